package vn.cds.catalog;

import java.util.List;

/** A catalog that cannot be used; the message names file and field, one problem per line. */
public class CatalogException extends RuntimeException {
  private final List<String> problems;

  public CatalogException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
