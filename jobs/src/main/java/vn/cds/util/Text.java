package vn.cds.util;

import java.text.Normalizer;
import java.util.Locale;

/** Text helpers for matching what people type against what machines expect. */
public final class Text {
  private Text() {}

  /** "  Mã  Đơn vị " (NFC or NFD) -> "ma don vi": no accents, lower case, single spaces. */
  public static String fold(String s) {
    if (s == null) return "";
    String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return decomposed.replace('đ', 'd').replace('Đ', 'D')
        .replace('\u00a0', ' ')
        .toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
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
