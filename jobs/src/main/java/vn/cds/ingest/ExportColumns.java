package vn.cds.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.cds.util.Text;

/** What each header of a yearly export means, matched ignoring case, accents, spaces and Unicode normalisation. */
public final class ExportColumns {
  private ExportColumns() {}

  public enum Role { UNIT_CODE, UNIT_NAME, SCHOOL_YEAR, STAGE, INDICATOR_SET, SUBMITTED_ON, STATUS, CRITERION,
    DECLARED_POINTS, DECLARED_LEVEL, DESCRIPTIVE, CONTACT, UNKNOWN }

  /** One classified header. {@code key} is the criterion id or group id where the role has one. */
  public record Column(int index, String ref, String header, Role role, String key) implements java.io.Serializable {}

  public static final List<Role> REQUIRED = List.of(Role.UNIT_CODE, Role.UNIT_NAME, Role.SCHOOL_YEAR, Role.STAGE);
  public static final String UNIT_CODE_HEADER = "ma don vi";

  private static final Pattern CRITERION = Pattern.compile("^([a-z]{2,4}[0-9]+(\\.[0-9]+)?)(\\s*[-–:(].*)?$");
  private static final Pattern DECLARED_POINTS = Pattern.compile("^tong diem( nhom)? ([a-z]{2,4})$");
  private static final Pattern DECLARED_LEVEL = Pattern.compile("^muc( do)?( nhom)? ([a-z]{2,4})$");
  private static final List<String> DESCRIPTIVE = List.of("stt", "cap hoc", "loai hinh", "quan/huyen", "quan huyen",
      "xa/phuong", "xa phuong", "tinh/thanh pho", "tinh thanh pho", "ghi chu", "tong diem", "muc", "muc chung");
  private static final List<String> CONTACT_HINTS = List.of("dien thoai", "email", "e-mail", "nguoi lap", "nguoi lien he",
      "ho ten", "ho va ten", "so dt", "sdt", "nguoi dien");

  public static Column classify(int index, String header) {
    String f = Text.fold(header);
    String ref = Text.columnLetters(index);
    Role role;
    String key = null;
    Matcher m;
    switch (f) {
      case "ma don vi", "ma dv", "ma truong" -> role = Role.UNIT_CODE;
      case "ten don vi", "ten dv", "ten truong" -> role = Role.UNIT_NAME;
      case "nam hoc" -> role = Role.SCHOOL_YEAR;
      case "hinh thuc danh gia", "hinh thuc" -> role = Role.STAGE;
      case "bo chi so" -> role = Role.INDICATOR_SET;
      case "ngay nop" -> role = Role.SUBMITTED_ON;
      case "trang thai" -> role = Role.STATUS;
      default -> {
        if ((m = CRITERION.matcher(f)).matches()) {
          role = Role.CRITERION;
          key = m.group(1).toUpperCase(Locale.ROOT);
        } else if ((m = DECLARED_POINTS.matcher(f)).matches()) {
          role = Role.DECLARED_POINTS;
          key = m.group(2).toUpperCase(Locale.ROOT);
        } else if ((m = DECLARED_LEVEL.matcher(f)).matches()) {
          role = Role.DECLARED_LEVEL;
          key = m.group(3).toUpperCase(Locale.ROOT);
        } else if (DESCRIPTIVE.contains(f)) {
          role = Role.DESCRIPTIVE;
        } else if (CONTACT_HINTS.stream().anyMatch(f::contains)) {
          role = Role.CONTACT;
        } else {
          role = Role.UNKNOWN;
        }
      }
    }
    return new Column(index, ref, header == null ? "" : header.strip(), role, key);
  }

  public static List<Column> classifyAll(List<String> headers) {
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++)
      if (!Text.isBlank(headers.get(i))) out.add(classify(i, headers.get(i)));
    return out;
  }

  public static boolean isHeaderRow(List<String> cells) {
    // "unit_code" heads the long CSV layout
    return cells.stream().map(Text::fold).anyMatch(f -> UNIT_CODE_HEADER.equals(f) || "ma dv".equals(f) || "unit_code".equals(f));
  }

  /** Vietnamese names of required roles, for the FILE_MISSING_COLUMN message. */
  public static String label(Role role) {
    return switch (role) {
      case UNIT_CODE -> "Mã đơn vị";
      case UNIT_NAME -> "Tên đơn vị";
      case SCHOOL_YEAR -> "Năm học";
      case STAGE -> "Hình thức đánh giá";
      default -> role.name();
    };
  }
}
