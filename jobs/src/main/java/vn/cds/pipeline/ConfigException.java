package vn.cds.pipeline;

/** A problem with what the user gave us (paths, options, catalogs): one clear line, exit code 2, no stack trace. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
