package vn.cds.util;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Text helpers for matching what people type against what machines expect. */
public final class Text {
  private Text() {}

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  /**
   * "  Mã  Đơn vị " (NFC or NFD) -> "ma don vi": no accents, lower case, single spaces. Called for every cell a run
   * reads (~5 million nationally), so plain ASCII, most cells, needs no decomposition, and spaces are collapsed
   * without a regular expression.
   */
  public static String fold(String s) {
    if (s == null) return "";
    String plain = isAscii(s) ? s : MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("")
        .replace('đ', 'd').replace('Đ', 'D').replace('\u00a0', ' ');
    return collapseSpaces(plain.toLowerCase(Locale.ROOT).trim());
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
    return true;
  }

  /** {@code s.replaceAll("\\s+", " ")} without a regular expression: each run of [ \t\n\x0B\f\r] as one space. */
  private static String collapseSpaces(String s) {
    if (!hasSpaceToCollapse(s)) return s;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isRegexSpace(c)) out.append(c);
      else if (i == 0 || !isRegexSpace(s.charAt(i - 1))) out.append(' ');
    }
    return out.toString();
  }

  /** A space other than ' ', or two spaces in a row. */
  private static boolean hasSpaceToCollapse(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isRegexSpace(c) && (c != ' ' || (i + 1 < s.length() && isRegexSpace(s.charAt(i + 1))))) return true;
    }
    return false;
  }

  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }

  public static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  public static String trimToNull(String s) {
    if (s == null) return null;
    String t = s.replace('\u00a0', ' ').strip();
    return t.isEmpty() ? null : Normalizer.normalize(t, Normalizer.Form.NFC);
  }

  /** 0 -> A, 25 -> Z, 26 -> AA: the column letters a person sees in Excel. */
  public static String columnLetters(int index) {
    StringBuilder sb = new StringBuilder();
    int n = index + 1;
    while (n > 0) {
      int rem = (n - 1) % 26;
      sb.insert(0, (char) ('A' + rem));
      n = (n - 1) / 26;
    }
    return sb.toString();
  }

  /** ASCII slug for file and folder names: "Hồng Bàng" -> "hong-bang". */
  public static String slug(String s) {
    return fold(s).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
