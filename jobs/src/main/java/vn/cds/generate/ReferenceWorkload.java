package vn.cds.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;

/**
 * A clean workload of several provinces in the input-folder contract, laid out like the national reference workload
 * (provinces "Tỉnh N" with code PNN, districts "Huyện N-M"): units in the published national mix, one wide UTF-8 CSV
 * per province, indicator set and school year, self and external assessments; QĐ 3267 (preschools) only from
 * 2024-2025. Small enough for a test with a few provinces, with as many districts in each as asked.
 */
public final class ReferenceWorkload {
  static final List<String> YEARS = List.of("2022-2023", "2023-2024", "2024-2025");
  static final Map<String, Integer> MIX = Geography.NATIONAL_MIX;

  private ReferenceWorkload() {}

  /**
   * @param districts the number of districts of each province, in the order of their codes P00, P01, …
   * @return the number of export rows written
   */
  public static int write(Path dir, Catalogs catalogs, int units, int[] districts, long seed) throws IOException {
    Random rnd = new Random(seed);
    Files.createDirectories(dir.resolve("exports"));
    int total = MIX.values().stream().mapToInt(Integer::intValue).sum(), allDistricts = java.util.Arrays.stream(districts).sum();
    List<String[]> registry = new ArrayList<>(); // code, level, province, district
    for (var m : MIX.entrySet())
      for (int i = 0, n = Math.round((float) units * m.getValue() / total); i < n; i++) {
        int d = rnd.nextInt(allDistricts), p = 0;
        while (d >= districts[p]) d -= districts[p++];
        registry.add(new String[] {String.format("%s%06d", m.getKey(), registry.size()), m.getKey(), String.format("P%02d", p),
            String.format("P%02dD%02d", p, d)});
      }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("areas.csv"), StandardCharsets.UTF_8)) {
      w.write("area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n");
      for (int p = 0; p < districts.length; p++) {
        w.write(String.format("P%02d,Tỉnh %d,province,,%s,,%n", p, p, YEARS.get(0)));
        for (int d = 0; d < districts[p]; d++) w.write(String.format("P%02dD%02d,Huyện %d-%d,district,P%02d,%s,,%n", p, d, p, d, p, YEARS.get(0)));
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("units.csv"), StandardCharsets.UTF_8)) {
      w.write("unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,managing_unit_code,valid_from,valid_to\n");
      for (String[] u : registry) w.write(String.join(",", u[0], "Trường " + u[1] + " " + u[0], u[1], "cong_lap", u[2], u[3], "", "", YEARS.get(0), "") + "\n");
    }
    Map<String, Double> quality = new LinkedHashMap<>();
    for (String[] u : registry) quality.put(u[0], rnd.nextDouble());
    int rows = 0;
    for (int yi = 0; yi < YEARS.size(); yi++)
      for (String setId : List.of("QD4725", "QD3267")) {
        boolean preschool = setId.equals("QD3267");
        if (preschool && yi < 2) continue;
        IndicatorSet set = catalogs.byId(setId).orElseThrow();
        List<IndicatorSet.Criterion> criteria = set.criteria().stream().filter(c -> !c.derived()).toList();
        rows += writeSet(dir.resolve("exports"), registry, quality, set, criteria, YEARS.get(yi), yi, preschool, rnd);
      }
    return rows;
  }

  private static int writeSet(Path exports, List<String[]> registry, Map<String, Double> quality, IndicatorSet set,
      List<IndicatorSet.Criterion> criteria, String year, int yi, boolean preschool, Random rnd) throws IOException {
    Map<String, BufferedWriter> files = new LinkedHashMap<>();
    int rows = 0;
    try {
      for (String[] u : registry) {
        if (preschool != u[1].equals("MN")) continue;
        BufferedWriter w = files.get(u[2]);
        if (w == null) {
          w = Files.newBufferedWriter(exports.resolve(set.id() + "-" + year + "-" + u[2] + ".csv"), StandardCharsets.UTF_8);
          files.put(u[2], w);
          w.write("Mã đơn vị,Tên đơn vị,Năm học,Hình thức đánh giá,Ngày nộp,Trạng thái,Bộ chỉ số");
          for (var c : criteria) w.write("," + c.id());
          w.write("\n");
        }
        double q = Math.min(1.0, quality.get(u[0]) + 0.12 * yi);
        List<Object> values = new ArrayList<>();
        for (var c : criteria) {
          if (c.mandatory()) values.add(rnd.nextDouble() < 0.9 + 0.1 * q ? "Đạt" : "Chưa đạt");
          else if ("yes_no".equals(c.scoring())) values.add(rnd.nextDouble() < q ? c.maxPoints() : 0.0);
          else values.add(Math.round(c.maxPoints() * Math.min(1, Math.max(0, q + 0.25 * rnd.nextGaussian())) * 10) / 10.0);
        }
        String head = u[0] + ",Trường " + u[1] + " " + u[0] + "," + year + ",";
        String setNumber = set.id().substring(2), end = year.substring(5);
        w.write(head + "Tự đánh giá,20/05/" + end + ",Đã nộp," + setNumber + cells(values, 1, rnd) + "\n");
        rows++;
        if (rnd.nextDouble() < 0.6) {
          w.write(head + "Đánh giá ngoài,15/06/" + end + ",Đã duyệt," + setNumber + cells(values, 0.8, rnd) + "\n");
          rows++;
        }
      }
    } finally {
      for (BufferedWriter w : files.values()) w.close();
    }
    return rows;
  }

  /** The criteria's cells; an external assessment lowers a point score to 80 % three times in ten. */
  private static String cells(List<Object> values, double lowered, Random rnd) {
    StringBuilder sb = new StringBuilder();
    for (Object v : values) {
      Object cell = v instanceof Double d && lowered < 1 && rnd.nextDouble() < 0.3 ? Math.round(d * lowered * 10) / 10.0 : v;
      sb.append(',').append(cell instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(cell));
    }
    return sb.toString();
  }
}
