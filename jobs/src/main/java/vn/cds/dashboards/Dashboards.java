package vn.cds.dashboards;

import java.nio.file.Path;

/** Writes both dashboards: the Superset import bundle pointing at a mart path, and the offline HTML page. */
public final class Dashboards {
  public static final String BUNDLE_ZIP = "cds-superset.zip";
  public static final String OFFLINE_HTML = "index.html";

  private Dashboards() {}

  /** What was written: the bundle, the offline page, and the pages of each province beside it (none for one province). */
  public record Written(Path bundle, Path html, int provincePages) {
    /** The offline pages for a person: "…/index.html" or "…/index.html và 62 trang tỉnh (tinh-*.html)". */
    public String pages() {
      return html + (provincePages == 0 ? "" : " và " + provincePages + " trang tỉnh (tinh-*.html)");
    }
  }

  /**
   * @param bundleDir the unzipped bundle (dashboards/superset of the project)
   * @param martForSuperset the path Superset will open (where the mart is deployed; need not exist here)
   * @param localMart the mart to read the offline page's numbers from
   */
  public static Written write(Path bundleDir, Path martForSuperset, Path localMart, Path outDir) throws Exception {
    Path zip = outDir.resolve(BUNDLE_ZIP), html = outDir.resolve(OFFLINE_HTML);
    SupersetBundle.load(bundleDir).writeZip(zip, martForSuperset);
    if (!java.nio.file.Files.exists(localMart)) throw new vn.cds.pipeline.ConfigException("Không thấy kho dữ liệu (mart not found): " + localMart);
    int pages = OfflineDashboard.write(localMart, html).size();
    return new Written(zip, html, pages - 1);
  }
}
