package vn.cds.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vn.cds.util.Text;

/**
 * The cell readers run on every cell of a run, so they check by hand what regular expressions used to check. These
 * tests hold them to the same answers: given values, and the regular expressions themselves over many generated texts.
 */
class ValuesTest {
  private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+([.,]\\d+)?|[.,]\\d+)$");

  /** Text.fold as it was written with regular expressions. */
  private static String foldByRegex(String s) {
    String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return decomposed.replace('đ', 'd').replace('Đ', 'D').replace('\u00a0', ' ').toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
  }

  @Test
  void numbersAsPeopleWriteThem() {
    assertEquals(7.0, Values.number("7"));
    assertEquals(7.5, Values.number(" 7,5 "));
    assertEquals(7.5, Values.number("7.5"));
    assertEquals(0.5, Values.number(",5"));
    assertEquals(-2.0, Values.number("-2"));
    assertEquals(12.0, Values.number("1 2"));
    assertEquals(3.25, Values.number("3,25\u00a0"));
    assertNull(Values.number("7."));
    assertNull(Values.number("+"));
    assertNull(Values.number(""));
    assertNull(Values.number("1.2.3"));
    assertNull(Values.number("Đạt"));
    assertNull(Values.number("1e3"));
    assertNull(Values.number("٣")); // an Arabic-Indic digit is not a digit here, as \d was not
  }

  @Test
  void foldingKeepsWhatMatchingNeeds() {
    assertEquals("ma don vi", Text.fold("  Mã  Đơn vị "));
    assertEquals("chua dat", Text.fold("Chưa\tđạt"));
    assertEquals("da nop", Text.fold("ĐÃ\u00a0NỘP"));
    assertEquals("self", Text.fold(" SELF\r\n"));
    assertEquals("a b", Text.fold("A \t\n B"));
    assertEquals("x", Text.fold("x"));
    assertEquals("", Text.fold(null));
    assertEquals("a\u0001b", Text.fold("A\u0001B")); // a control character inside is kept, as \s did not match it
  }

  @Test
  void handWrittenCheckersAgreeWithTheRegularExpressions() {
    String alphabet = "0123456789+-.,  \t\n\u000b\f\r\u00a0aZxĐđạẠ\u0301e\u0001";
    Random random = new Random(2025);
    int numbers = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(7);
      for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String s = b.toString();
      boolean byRegex = NUMBER.matcher(s).matches();
      assertEquals(byRegex, Values.isNumber(s), () -> "isNumber(\"" + s + "\")");
      assertEquals(foldByRegex(s), Text.fold(s), () -> "fold(\"" + s + "\")");
      if (byRegex) numbers++;
    }
    assertTrue(numbers > 1_000, "the generated texts hold numbers too: " + numbers);
    assertFalse(Values.isNumber("1,"));
  }
}
