package vn.cds.ingest;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.cds.util.Text;

/** Parsers for the values people write in exports. Each returns null for "not recognised"; callers give the reason. */
public final class Values {
  private Values() {}

  public static final String SELF = "self";
  public static final String EXTERNAL = "external";
  private static final Pattern YEAR = Pattern.compile("^(\\d{4})\\s*[-–—/]\\s*(\\d{4})$");
  private static final Pattern LEVEL = Pattern.compile("^(muc\\s*)?([123])\\b");
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT);
  private static final Set<String> PASS = Set.of("dat", "x", "1", "co", "yes", "true", "pass");
  private static final Set<String> FAIL = Set.of("chua dat", "khong dat", "0", "khong", "no", "false", "fail");

  /** "2024 - 2025", "2024–2025" -> "2024-2025"; the second year must follow the first. */
  public static String schoolYear(String raw) {
    if (raw == null) return null;
    Matcher m = YEAR.matcher(raw.strip());
    if (!m.matches()) return null;
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    return b == a + 1 ? a + "-" + b : null;
  }

  public static String stage(String raw) {
    return switch (Text.fold(raw)) {
      case "tu danh gia", "tu đanh gia", "self" -> SELF;
      case "danh gia ngoai", "external" -> EXTERNAL;
      default -> null;
    };
  }

  /** Status code; a blank status means "Đã nộp" (submitted), as the contract says. */
  public static String status(String raw) {
    if (Text.isBlank(raw)) return "submitted";
    return switch (Text.fold(raw)) {
      case "nhap" -> "draft";
      case "da nop" -> "submitted";
      case "da duyet" -> "approved";
      case "tra lai" -> "returned";
      default -> null;
    };
  }

  public static LocalDate date(String raw) {
    if (Text.isBlank(raw)) return null;
    String s = raw.strip();
    try {
      return LocalDate.parse(s.replace('-', '/').replace('.', '/'), DMY);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(s); // ISO yyyy-mm-dd, as JSON documents write it
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** "7", "7.5", "7,5", " 7 " -> the number; anything else -> null. */
  public static Double number(String raw) {
    if (raw == null) return null;
    String s = raw.strip().replace('\u00a0', ' ').replace(" ", "");
    if (!isNumber(s)) return null;
    return Double.parseDouble(s.replace(',', '.'));
  }

  /**
   * {@code s} matches {@code [+-]?(\d+([.,]\d+)?|[.,]\d+)}: checked by hand, as it is for every cell a run reads (a
   * regular expression's matcher per cell showed in the national validation's profile).
   */
  static boolean isNumber(String s) {
    int n = s.length(), i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
    int whole = digits(s, i);
    i += whole;
    if (i == n) return whole > 0;
    if (s.charAt(i) != '.' && s.charAt(i) != ',') return false;
    int fraction = digits(s, i + 1);
    return fraction > 0 && i + 1 + fraction == n;
  }

  /** How many ASCII digits start at {@code from}. */
  private static int digits(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
    return i - from;
  }

  /** Đạt / x / 1 / Có -> true; Chưa đạt / 0 / Không -> false; else null. */
  public static Boolean passFail(String raw) {
    String f = Text.fold(raw);
    if (PASS.contains(f)) return Boolean.TRUE;
    if (FAIL.contains(f)) return Boolean.FALSE;
    return null;
  }

  /** "Mức 2", "2", "Muc 2 - Dap ung co ban" -> 2. */
  public static Integer level(String raw) {
    Matcher m = LEVEL.matcher(Text.fold(raw));
    return m.find() ? Integer.valueOf(m.group(2)) : null;
  }
}
