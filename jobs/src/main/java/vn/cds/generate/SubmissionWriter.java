package vn.cds.generate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import vn.cds.catalog.Milestones;
import vn.cds.generate.SampleGenerator.Unit;
import vn.cds.util.Text;

/**
 * The sample's submissions.csv, telling the letters' story: in 2024-2025 only 3 of the 14 Phòng sent their plan in
 * November (most after the Sở's January letter) and of the schools under the Sở only one; boards arrive late; some
 * results are never published; one Phòng inspects fewer than 30 % of its units, and one commune after the reform; then
 * a few bad rows. Who must send what comes from schemas/milestones.json. Its draws come from their own random streams
 * ({@code rng("submissions…")}), so the rest of the sample does not move.
 */
final class SubmissionWriter {
  static final List<String> YEARS = List.of("2024-2025", "2025-2026");
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  /** Shares of units sending a document on time and late (the rest never send it), for schools; the Phòng's are counts below. */
  private static final Map<String, double[]> SCHOOL_RATES = Map.of("ke_hoach", new double[] {0.55, 0.30}, "bo_phan_cds", new double[] {0.40, 0.40},
      "qd_phe_duyet_tu_danh_gia", new double[] {0.75, 0.15}, "de_nghi_danh_gia_ngoai", new double[] {0.70, 0.20},
      "cong_bo", new double[] {0.55, 0.15});
  /** Of 14 Phòng: on time, late (the rest never). "Hiện mới có 03/14 phòng GDĐT gửi Kế hoạch về Sở GDĐT". */
  private static final Map<String, int[]> PHONG_OF_14 = Map.of("ke_hoach", new int[] {3, 9}, "bo_phan_cds", new int[] {5, 7},
      "qd_cong_nhan", new int[] {10, 3}, "cong_bo", new int[] {9, 2}, "bao_cao", new int[] {8, 4});

  private final Milestones rules;
  private final List<Unit> units;
  private final Function<String, Random> rng;
  private final SampleGenerator gen;
  private final String laggingPhong;
  private final List<String> rows = new ArrayList<>();

  SubmissionWriter(SampleGenerator gen, Milestones rules, List<Unit> units, Function<String, Random> rng, String laggingPhong) {
    this.gen = gen;
    this.rules = rules;
    this.units = units;
    this.rng = rng;
    this.laggingPhong = laggingPhong;
  }

  String csv() {
    rows.add(SampleGenerator.csvLine("unit_code", "school_year", "document", "submitted_on", "reference", "note"));
    for (String year : YEARS) {
      for (Milestones.Document d : rules.documents())
        if ("each_unit".equals(d.tracking())) documents(year, d);
      inspections(year);
    }
    badRows();
    return String.join("", rows);
  }

  private boolean required(Unit u, String year, Milestones.Document d) {
    return d.requirements().stream().anyMatch(r -> r.appliesTo(year, rules.reformSchoolYear()) && r.schoolLevels().contains(u.level()));
  }

  private LocalDate deadline(String year, Milestones.Document d, Unit u) {
    Milestones.Requirement r = d.requirements().stream().filter(q -> q.appliesTo(year, rules.reformSchoolYear()) && q.schoolLevels().contains(u.level()))
        .findFirst().orElseThrow();
    return LocalDate.of(Integer.parseInt(year.substring(r.secondYear() ? 5 : 0, r.secondYear() ? 9 : 4)), r.month(), r.day());
  }

  private String managing(Unit u, String year) {
    return year.compareTo(rules.reformSchoolYear()) >= 0 ? u.managingAfter() : u.managingBefore();
  }

  private void documents(String year, Milestones.Document d) {
    Random r = rng.apply("submissions" + year + d.code());
    List<Unit> required = units.stream().filter(u -> gen.validIn(u, year) && required(u, year, d)).toList();
    List<Unit> phong = new ArrayList<>(required.stream().filter(u -> "PHONG".equals(u.level())).toList());
    Collections.shuffle(phong, r);
    int[] of14 = PHONG_OF_14.getOrDefault(d.code(), new int[] {14, 0});
    int onTime = Math.round(of14[0] * phong.size() / 14f), late = Math.round(of14[1] * phong.size() / 14f);
    boolean soSchoolSent = false;
    for (Unit u : required) {
      int outcome; // 0 on time, 1 late, 2 never
      if ("PHONG".equals(u.level())) outcome = phong.indexOf(u) < onTime ? 0 : phong.indexOf(u) < onTime + late ? 1 : 2;
      else if ("SO".equals(u.level())) outcome = 0;
      else if ("ke_hoach".equals(d.code()) && year.equals(YEARS.get(0)) && u.managingBefore().startsWith("SO")) {
        outcome = soSchoolSent ? (r.nextDouble() < 0.8 ? 1 : 2) : 0; // "only one school under the Sở had sent its plan"
        soSchoolSent = true;
      } else {
        double[] rates = SCHOOL_RATES.getOrDefault(d.code(), new double[] {0.8, 0.15});
        double x = r.nextDouble();
        outcome = x < rates[0] ? 0 : x < rates[0] + rates[1] ? 1 : 2;
      }
      if (outcome == 2) continue;
      LocalDate due = deadline(year, d, u);
      // the Phòng's late plans came after the Sở's January letter
      LocalDate sent = outcome == 0 ? due.minusDays(r.nextInt(25))
          : "ke_hoach".equals(d.code()) && "PHONG".equals(u.level()) ? LocalDate.of(due.getYear() + 1, 1, 15).plusDays(r.nextInt(45))
          : due.plusDays(1 + r.nextInt(60));
      rows.add(SampleGenerator.csvLine(u.code(), year, d.code(), sent.format(DMY), reference(u, year, d, r), ""));
    }
  }

  private static String reference(Unit u, String year, Milestones.Document d, Random r) {
    if ("url".equals(d.reference()))
      return "https://" + Text.slug(u.name()).replace("-", "") + ".edu.vn/tin-tuc/cong-bo-ket-qua-cds-" + year.substring(5);
    String kind = switch (d.code()) {
      case "ke_hoach" -> "KH";
      case "bao_cao" -> "BC";
      case "de_nghi_danh_gia_ngoai" -> "TTr";
      default -> "QĐ";
    };
    String issuer = "PHONG".equals(u.level()) ? "PGDĐT" : "SO".equals(u.level()) ? "SGDĐT" : "TRƯỜNG";
    return (1 + r.nextInt(250)) + "/" + kind + "-" + issuer;
  }

  /** At least 30 % of the units under each managing body inspected on site, except one that falls short each year. */
  private void inspections(String year) {
    Milestones.Document d = rules.documents().stream().filter(x -> "share_of_units".equals(x.tracking())).findFirst().orElse(null);
    if (d == null) return;
    Map<String, List<Unit>> byBody = new LinkedHashMap<>();
    for (Unit u : units)
      if (gen.validIn(u, year) && required(u, year, d) && !managing(u, year).isEmpty())
        byBody.computeIfAbsent(managing(u, year), k -> new ArrayList<>()).add(u);
    String shortOne = year.equals(YEARS.get(0)) ? laggingPhong : byBody.keySet().stream().filter(k -> !k.startsWith("SO") && byBody.get(k).size() >= 8)
        .findFirst().orElse("");
    for (Map.Entry<String, List<Unit>> e : byBody.entrySet()) {
      Random r = rng.apply("submissions-inspect" + year + e.getKey());
      List<Unit> under = new ArrayList<>(e.getValue());
      Collections.shuffle(under, r);
      int n = e.getKey().equals(shortOne) ? under.size() * 15 / 100 : (int) Math.ceil(under.size() * 0.35);
      for (Unit u : under.subList(0, Math.min(n, under.size()))) {
        LocalDate on = LocalDate.of(Integer.parseInt(year.substring(5)), 2, 1).plusDays(r.nextInt(110));
        rows.add(SampleGenerator.csvLine(u.code(), year, d.code(), on.format(DMY), (1 + r.nextInt(400)) + "/BB-KT", ""));
      }
    }
  }

  /** One of each problem the Sở meets, so that each reason code shows up. */
  private void badRows() {
    Unit school = units.stream().filter(u -> "TH".equals(u.level()) && gen.validIn(u, YEARS.get(0)) && gen.validIn(u, YEARS.get(1))).findFirst().orElseThrow();
    Unit phong = units.stream().filter(u -> "PHONG".equals(u.level())).findFirst().orElseThrow();
    rows.add(SampleGenerator.csvLine(school.code(), "2024-2025", "ke_hoach_cds", "20/11/2024", "15/KH-TRƯỜNG", "")); // DOCUMENT_UNKNOWN
    rows.add(SampleGenerator.csvLine(school.code(), "2024-2025", "cong_bo", "20/05/2025", "Đã đăng trên cổng thông tin của trường", "")); // REFERENCE_NOT_URL
    rows.add(SampleGenerator.csvLine(school.code(), "2024-2025", "bo_phan_cds", "31/11/2024", "8/QĐ-TRƯỜNG", "")); // SUBMISSION_DATE_INVALID
    rows.add(SampleGenerator.csvLine(school.code(), "2024-2025", "bao_cao", "20/05/2025", "9/BC-TRƯỜNG", "")); // DOCUMENT_NOT_REQUIRED
    rows.add(SampleGenerator.csvLine(phong.code(), "2025-2026", "bao_cao", "20/05/2026", "30/BC-PGDĐT", "Phòng đã giải thể")); // UNIT_NOT_VALID_IN_YEAR
    rows.add(SampleGenerator.csvLine("9999999", "2024-2025", "ke_hoach", "25/11/2024", "1/KH", "")); // UNIT_UNKNOWN
    rows.add(SampleGenerator.csvLine(school.code(), "2024-2026", "ke_hoach", "25/11/2024", "1/KH", "")); // SCHOOL_YEAR_INVALID
    rows.add(SampleGenerator.csvLine(phong.code(), "2024-2025", "ke_hoach", "03/03/2025", "45/KH-PGDĐT (bản sửa)", "gửi lại")); // superseded, if sent before
  }
}
