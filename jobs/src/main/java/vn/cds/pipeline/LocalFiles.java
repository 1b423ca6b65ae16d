package vn.cds.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system (checksums and all), but setting a folder's or file's permissions through Java instead of
 * a {@code chmod} process. Without Hadoop's native library, which Spark's Maven jars do not bring, Hadoop's own starts
 * one {@code chmod} (and a thread to read its errors) for every folder a write's committer makes: ~390 processes in
 * a run over 40 units, each paid while the task waits. Registered for {@code file:} in {@link Sessions#settings}.
 */
public final class LocalFiles extends LocalFileSystem {
  public LocalFiles() {
    super(new Raw());
  }

  /** The raw local file system with a process-free chmod where the JVM can do it. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (NativeIO.isAvailable() || permission.getStickyBit()) {
        super.setPermission(p, permission); // Hadoop's own way: the native call, or chmod for what POSIX sets lack
        return;
      }
      Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(permission.toString()));
    }
  }
}
