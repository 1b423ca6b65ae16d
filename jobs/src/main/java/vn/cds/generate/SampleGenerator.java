package vn.cds.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import vn.cds.catalog.Catalogs;
import vn.cds.catalog.IndicatorSet;
import vn.cds.catalog.Milestones;
import vn.cds.catalog.IndicatorSet.Criterion;
import vn.cds.catalog.IndicatorSet.Group;
import vn.cds.generate.Geography.District;
import vn.cds.generate.Geography.Province;
import vn.cds.util.Text;

/**
 * Deterministic synthetic province modelled on Hải Phòng, with Hải Dương merged in from 2025-2026. It tells a story a
 * dashboard can reveal: maturity rising each year, weak criteria that differ by district, lagging districts, inflated
 * self-assessments, late and missing submissions, and a handful of messy rows. Every random draw comes from a
 * generator seeded by (seed, what is drawn), so output does not depend on iteration order.
 */
public final class SampleGenerator {
  static final String REFORM_YEAR = Geography.REFORM_YEAR;
  static final String PHONG_LAST_YEAR = Geography.PHONG_LAST_YEAR;
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

  /** Which data to make: the bundled province sample or the national benchmark dataset. */
  public enum Profile { PROVINCE, NATIONAL }

  public record Stats(int units, int areas, int files, int rows) {
    @Override
    public String toString() {
      return units + " units, " + areas + " areas, " + files + " export files, " + rows + " export rows";
    }
  }

  /** {@code province}: the province whose register lists the unit (its successor's after a merger). */
  record Unit(String code, String name, String level, String ownership, Province province, District district, String commune,
      String managingBefore, String managingAfter, String validFrom, String validTo, double effect, boolean inflates) {}

  private final long seed;
  private final int scale;
  private final Catalogs catalogs;
  private final Geography geo;
  private final Map<String, List<String>> communesByDistrict = new LinkedHashMap<>();
  private final Map<String, String> communeNames = new LinkedHashMap<>();
  private final List<Unit> units = new ArrayList<>();
  private final Set<String> usedCodes = new HashSet<>();
  private final Map<String, String> phongByDistrict = new LinkedHashMap<>();
  private Milestones milestones;

  public SampleGenerator(long seed, int scale) {
    this(seed, scale, Profile.PROVINCE);
  }

  public SampleGenerator(long seed, int scale, Profile profile) {
    this(seed, scale, profile, Catalogs.load(Path.of(System.getProperty("cds.home", ".")).resolve("schemas/indicator-sets")));
  }

  public SampleGenerator(long seed, int scale, Catalogs catalogs) {
    this(seed, scale, Profile.PROVINCE, catalogs);
  }

  /** With the document rules given (else schemas/milestones.json under cds.home). */
  public SampleGenerator(long seed, int scale, Catalogs catalogs, Milestones milestones) {
    this(seed, scale, Profile.PROVINCE, catalogs);
    this.milestones = milestones;
  }

  public SampleGenerator(long seed, int scale, Profile profile, Catalogs catalogs) {
    this.seed = seed;
    this.scale = scale;
    this.catalogs = catalogs;
    this.geo = profile == Profile.NATIONAL ? Geography.national(seed) : Geography.province();
  }

  Random rng(String what) {
    return new Random(seed * 0x9E3779B97F4A7C15L + what.hashCode());
  }

  public Stats write(Path out) throws IOException {
    if (Files.exists(out.resolve("exports"))) {
      try (Stream<Path> s = Files.walk(out.resolve("exports"))) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    Files.createDirectories(out);
    buildAreas();
    buildUnits();
    writeAreas(out.resolve("areas.csv"));
    writeUnits(out.resolve("units.csv"));
    writeDeadlines(out.resolve("deadlines.csv"));
    writeCriterionCosts(out.resolve("criterion_costs.csv"));
    ExportWriter writer = new ExportWriter(out, rng("messy"));
    for (String year : geo.years) writeYear(writer, year);
    if (!geo.national) writer.injectMessyRows(this); // the sample's reasons, each once; the national data is for timing
    int rows = writer.flush();
    if (!geo.national) writeSubmissions(out.resolve("submissions.csv"));
    return new Stats(units.size(), communeNames.size() + geo.districts.size() + geo.provinces.size(), writer.files(), rows);
  }

  /** The yearly cycle's documents (schemas/milestones.json) as the units sent them; see {@link SubmissionWriter}. */
  private void writeSubmissions(Path file) throws IOException {
    Milestones rules = milestones != null ? milestones
        : Milestones.load(Path.of(System.getProperty("cds.home", ".")).resolve("schemas").resolve(Milestones.FILE));
    String lagging = geo.lagging.stream().sorted().map(phongByDistrict::get).filter(java.util.Objects::nonNull).findFirst().orElse("");
    Files.writeString(file, new SubmissionWriter(this, rules, units, this::rng, lagging).csv(), StandardCharsets.UTF_8);
  }

  // ---- areas ----

  private void buildAreas() {
    int next = 11000;
    for (District d : geo.districts) {
      Random r = rng("communes" + d.code());
      List<String> codes = new ArrayList<>();
      int n = "317".equals(d.code()) || "318".equals(d.code()) ? 1 : Math.max(2, (int) Math.round(d.size() * 4.5));
      for (int i = 0; i < n; i++) {
        String code = String.format(Locale.ROOT, "%05d", next += 3);
        String name;
        if ("317".equals(d.code())) name = "Đặc khu Cát Hải";
        else if ("318".equals(d.code())) name = "Đặc khu Bạch Long Vĩ";
        else {
          String word = Geography.NAME_WORDS[r.nextInt(Geography.NAME_WORDS.length)] + " " + Geography.NAME_WORDS[r.nextInt(Geography.NAME_WORDS.length)];
          name = (d.urban() ? "Phường " : "Xã ") + word;
          while (communeNames.containsValue(name)) name = name + " " + (char) ('A' + r.nextInt(3));
        }
        communeNames.put(code, name);
        codes.add(code);
      }
      communesByDistrict.put(d.code(), codes);
    }
  }

  private void writeAreas(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("area_code,area_name,area_type,parent_code,valid_from,valid_to,successor_code\n");
    for (Province p : geo.provinces)
      sb.append(csvLine(p.code(), p.name(), "province", "", geo.years.get(0), p.mergedInto() != null ? PHONG_LAST_YEAR : "",
          p.mergedInto() != null ? p.mergedInto() : ""));
    for (District d : geo.districts) {
      // one row per successor commune: the crosswalk from a 2024-2025 district to the communes that replaced it
      for (String c : communesByDistrict.get(d.code()))
        sb.append(csvLine(d.code(), d.name(), "district", d.provinceCode(), geo.years.get(0), PHONG_LAST_YEAR, c));
    }
    for (District d : geo.districts)
      for (String c : communesByDistrict.get(d.code()))
        sb.append(csvLine(c, communeNames.get(c), "commune", geo.province(d.provinceCode()).effectiveCode(), REFORM_YEAR, "", ""));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  // ---- units ----

  private String newCode(Random r) {
    String code;
    do code = String.format(Locale.ROOT, "%08d", 10_000_000 + r.nextInt(89_999_999));
    while (!usedCodes.add(code));
    return code;
  }

  private void buildUnits() {
    Random codes = rng("codes");
    for (Province p : geo.provinces) {
      if (p.mergedInto() != null) continue;
      units.add(new Unit(p.soCode(), "Sở Giáo dục và Đào tạo " + p.name().replaceFirst("^(Thành phố|Tỉnh) ", ""), "SO", "cong_lap", p, null,
          null, "", "", geo.years.get(0), null, 0.1, false));
    }
    for (District d : geo.districts) {
      Province p = geo.province(d.provinceCode());
      if (!d.hasPhong() || p.mergedInto() != null) continue;
      String code = newCode(codes);
      phongByDistrict.put(d.code(), code);
      units.add(new Unit(code, "Phòng Giáo dục và Đào tạo " + d.name(), "PHONG", "cong_lap", p, d, null, p.soCode(), p.soCode(), geo.years.get(0),
          PHONG_LAST_YEAR, rng("phong" + d.code()).nextGaussian() * 0.1, false));
    }
    Object[][] mix = {{"MN", 26.0}, {"TH", 19.0}, {"THCS", 15.0}, {"THPT", 4.0}, {"GDTX", 1.0}, {"TH-THCS", 2.0}, {"THCS-THPT", 0.4},
        {"TH-THCS-THPT", 0.3}};
    for (District d : geo.districts) {
      boolean merged = merged(d);
      double districtEffect = rng("district" + d.code()).nextGaussian() * 0.06 - (geo.lagging.contains(d.code()) ? 0.14 : 0) - (merged ? 0.06 : 0);
      Random r = rng("units" + d.code());
      for (Object[] m : mix) {
        String level = (String) m[0];
        int n = geo.units(d, level, (Double) m[1], scale);
        for (int i = 0; i < n; i++) units.add(unit(d, level, districtEffect, r, codes, merged));
      }
    }
  }

  /** Units of a province merged into another appear only from the reform, under the successor. */
  private boolean merged(District d) {
    return geo.province(d.provinceCode()).mergedInto() != null;
  }

  private Unit unit(District d, String level, double districtEffect, Random r, Random codes, boolean merged) {
    double privateShare = switch (level) {
      case "MN" -> 0.25;
      case "TH" -> 0.05;
      case "THCS" -> 0.02;
      case "THPT" -> 0.15;
      default -> 0.0;
    };
    String ownership = r.nextDouble() < privateShare ? "tu_thuc" : "cong_lap";
    String base = Geography.SCHOOL_NAMES[r.nextInt(Geography.SCHOOL_NAMES.length)];
    List<String> communes = communesByDistrict.get(d.code());
    String commune = communes.get(r.nextInt(communes.size()));
    String place = communeNames.get(commune).replaceFirst("^(Phường|Xã|Đặc khu) ", "");
    String name = switch (level) {
      case "MN" -> "Trường Mầm non " + (ownership.equals("tu_thuc") ? "tư thục " : "") + (r.nextBoolean() ? base : place);
      case "TH" -> "Trường Tiểu học " + (r.nextBoolean() ? base : place);
      case "THCS" -> "Trường THCS " + (r.nextBoolean() ? base : place);
      case "THPT" -> "Trường THPT " + base;
      case "GDTX" -> "Trung tâm GDNN-GDTX " + d.name().replaceFirst("^(Quận|Huyện|Thành phố|Thị xã) ", "");
      case "TH-THCS" -> "Trường TH&THCS " + place;
      case "THCS-THPT" -> "Trường THCS&THPT " + base;
      default -> "Trường Phổ thông nhiều cấp học " + base;
    };
    boolean soManaged = List.of("THPT", "GDTX", "THCS-THPT", "TH-THCS-THPT").contains(level) || !d.hasPhong();
    Province province = geo.province(d.provinceCode());
    String before = merged ? "" : soManaged ? province.soCode() : phongByDistrict.get(d.code());
    // after 1/7/2025 the commune oversees preschool, primary and lower secondary; the Sở the rest
    String after = soManaged ? province.soCode() : commune;
    String validFrom = merged ? REFORM_YEAR : r.nextDouble() < 0.04 ? geo.years.get(1 + r.nextInt(2)) : geo.years.get(0);
    String validTo = !merged && r.nextDouble() < 0.01 ? geo.years.get(1) : null;
    double effect = districtEffect + r.nextGaussian() * 0.1 + (level.contains("THPT") ? 0.04 : 0) - ("GDTX".equals(level) ? 0.05 : 0)
        + ("tu_thuc".equals(ownership) ? 0.03 : 0);
    boolean inflates = r.nextDouble() < (geo.inflating.contains(d.code()) ? 0.35 : 0.08);
    Province registered = merged ? geo.province(province.mergedInto()) : province;
    return new Unit(newCode(codes), name, level, ownership, registered, d, commune, before, after, validFrom, validTo, effect, inflates);
  }

  private void writeUnits(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("unit_code,unit_name,school_level,ownership,province_code,district_code,commune_code,managing_unit_code,valid_from,valid_to\n");
    for (Unit u : units) {
      String province = u.province().code();
      if (u.district() == null) {
        sb.append(csvLine(u.code(), u.name(), u.level(), u.ownership(), province, "", "", "", u.validFrom(), ""));
        continue;
      }
      boolean merged = merged(u.district());
      if (!merged && u.validFrom().compareTo(PHONG_LAST_YEAR) <= 0) {
        String to = u.validTo() != null ? u.validTo() : PHONG_LAST_YEAR;
        sb.append(csvLine(u.code(), u.name(), u.level(), u.ownership(), province, u.district().code(), "", u.managingBefore(), u.validFrom(), to));
      }
      if (!"PHONG".equals(u.level()) && u.validTo() == null)
        sb.append(csvLine(u.code(), u.name(), u.level(), u.ownership(), province, "", u.commune(), u.managingAfter(),
            merged ? REFORM_YEAR : later(u.validFrom(), REFORM_YEAR), ""));
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  private static String later(String a, String b) {
    return a.compareTo(b) > 0 ? a : b;
  }

  private void writeDeadlines(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("school_year,province_code,stage,deadline\n");
    for (Province p : geo.provinces) {
      if (p.mergedInto() != null) continue;
      for (String y : geo.years) {
        int end = Integer.parseInt(y.substring(5));
        sb.append(csvLine(y, p.code(), "self", "31/01/" + end));
        sb.append(csvLine(y, p.code(), "external", "31/03/" + end));
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Illustrative costs (VND per unit) of bringing each scored criterion to full points: made up, within plausible
   * ranges (a yes/no system is cheaper than raising a share of trained teachers), and marked illustrative in every row.
   */
  private void writeCriterionCosts(Path file) throws IOException {
    Random r = rng("costs");
    StringBuilder sb = new StringBuilder("indicator_set,criterion_id,cost_vnd_per_unit,illustrative\n");
    for (IndicatorSet set : catalogs.sets().stream().sorted(Comparator.comparing(IndicatorSet::id)).toList()) {
      for (IndicatorSet.Criterion c : set.criteria()) {
        if (c.mandatory() || c.derived()) continue;
        int millions = switch (c.scoring()) {
          case "yes_no" -> 5 + r.nextInt(36);
          case "percent_bands" -> 20 + r.nextInt(131);
          default -> 10 + r.nextInt(71);
        };
        sb.append(csvLine(set.id(), c.id(), millions + "000000", "true"));
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  // ---- assessments ----

  /** The set a unit reports against in a year, or null when none is in force (preschools and authorities before 2024-2025). */
  IndicatorSet setFor(Unit u, String year) {
    return catalogs.forSchoolLevel(u.level(), year).orElse(null);
  }

  boolean validIn(Unit u, String year) {
    boolean merged = u.district() != null && merged(u.district());
    if (merged && year.compareTo(REFORM_YEAR) < 0) return false;
    if ("PHONG".equals(u.level()) && year.compareTo(PHONG_LAST_YEAR) > 0) return false;
    return u.validFrom().compareTo(year) <= 0 && (u.validTo() == null || year.compareTo(u.validTo()) <= 0);
  }

  /**
   * The export file a unit's assessment goes into: its Phòng's until 2024-2025, its former district's cluster after.
   * Nationally, one file per province (as a Sở sends them on to the Ministry), the authorities' in the long layout.
   */
  String fileGroup(Unit u, String year) {
    if (geo.national)
      return (u.district() == null || "PHONG".equals(u.level()) ? "so-phong-" : "tinh-") + Text.slug(u.province().name().replaceFirst("^(Thành phố|Tỉnh) ", ""));
    if (u.district() == null || "PHONG".equals(u.level())) return "so-phong";
    if (year.compareTo(REFORM_YEAR) >= 0) return "cum-" + Text.slug(u.district().name());
    return isSo(u.managingBefore()) ? "so-truc-thuoc" : "phong-" + Text.slug(u.district().name());
  }

  private void writeYear(ExportWriter writer, String year) {
    int yearIndex = geo.years.indexOf(year);
    Map<String, List<Map<String, String>>> files = new LinkedHashMap<>();
    Map<String, IndicatorSet> fileSets = new LinkedHashMap<>();
    for (Unit u : units) {
      if (!validIn(u, year)) continue;
      IndicatorSet set = setFor(u, year);
      if (set == null) continue;
      Random r = rng("assess" + u.code() + year);
      boolean lagging = u.district() != null && geo.lagging.contains(u.district().code());
      if (r.nextDouble() < (lagging ? 0.10 : 0.03)) continue; // did not submit this year
      Map<String, Double> truth = truePoints(u, set, yearIndex, r);
      String group = fileGroup(u, year);
      String selfKey = year + "/" + group + "/tu-danh-gia-" + set.aliases().get(0);
      Map<String, Double> self = u.inflates() ? inflate(truth, set, r) : truth;
      files.computeIfAbsent(selfKey, k -> new ArrayList<>()).add(record(u, year, "Tự đánh giá", set, self, selfDate(year, lagging, r), selfStatus(r)));
      fileSets.put(selfKey, set);
      if (r.nextDouble() < externalShare(u, yearIndex)) {
        String extKey = year + "/" + group + "/danh-gia-ngoai-" + set.aliases().get(0);
        files.computeIfAbsent(extKey, k -> new ArrayList<>()).add(record(u, year, "Đánh giá ngoài", set, truth, externalDate(year, r), "Đã duyệt"));
        fileSets.put(extKey, set);
      }
    }
    files.forEach((key, rows) -> writer.add(key, fileSets.get(key), rows));
  }

  private double externalShare(Unit u, int yearIndex) {
    if ("SO".equals(u.level())) return 0;
    if ("PHONG".equals(u.level()) || isSo(u.managingBefore()) || isSo(u.managingAfter())) return 0.95;
    return new double[] {0.6, 0.7, 0.8, 0.5, 0.6}[yearIndex];
  }

  private static boolean isSo(String unitCode) {
    return unitCode != null && unitCode.startsWith("SO");
  }

  /** Points a fair assessor would give: unit maturity, rising by year, minus the district's weak criteria. */
  private Map<String, Double> truePoints(Unit u, IndicatorSet set, int yearIndex, Random r) {
    double maturity = new double[] {0.50, 0.58, 0.65, 0.71, 0.76}[yearIndex] + u.effect();
    String district = u.district() == null ? "so" : u.district().code();
    Random weak = rng("weak" + district + set.id());
    List<Criterion> scored = set.criteria().stream().filter(c -> !c.mandatory() && !c.derived()).toList();
    Set<String> weakCriteria = new HashSet<>();
    for (int i = 0; i < 2 && !scored.isEmpty(); i++) weakCriteria.add(scored.get(weak.nextInt(scored.size())).id());
    Map<String, Double> points = new LinkedHashMap<>();
    for (Criterion c : set.criteria()) {
      if (c.derived()) continue;
      if (c.mandatory()) {
        points.put(c.id(), r.nextDouble() < (maturity < 0.45 ? 0.9 : 0.985) ? 1.0 : 0.0);
        continue;
      }
      double difficulty = (Math.abs(c.id().hashCode()) % 25 - 12) / 100.0 + ("DH7.3".equals(c.id()) ? -0.25 : 0);
      double a = maturity + difficulty + (weakCriteria.contains(c.id()) ? -0.38 : 0) + r.nextGaussian() * 0.15;
      a = Math.max(0, Math.min(1, a));
      double p = "yes_no".equals(c.scoring()) ? (r.nextDouble() < a ? c.maxPoints() : 0) : Math.round(a * c.maxPoints() * 2) / 2.0;
      points.put(c.id(), r.nextDouble() < 0.015 ? null : p); // a few criteria are left blank: not reported
    }
    return points;
  }

  /** An inflating unit claims full points on a few criteria the assessor did not give. */
  private Map<String, Double> inflate(Map<String, Double> truth, IndicatorSet set, Random r) {
    Map<String, Double> self = new LinkedHashMap<>(truth);
    List<Criterion> scored = set.criteria().stream().filter(c -> !c.mandatory() && !c.derived()).toList();
    for (int i = 0; i < 3; i++) {
      Criterion c = scored.get(r.nextInt(scored.size()));
      self.put(c.id(), c.maxPoints());
    }
    return self;
  }

  private LocalDate selfDate(String year, boolean lagging, Random r) {
    LocalDate deadline = LocalDate.of(Integer.parseInt(year.substring(5)), 1, 31);
    if (r.nextDouble() < (lagging ? 0.3 : 0.08)) return deadline.plusDays(1 + r.nextInt(25));
    return deadline.minusDays(r.nextInt(60));
  }

  private LocalDate externalDate(String year, Random r) {
    return LocalDate.of(Integer.parseInt(year.substring(5)), 2, 10).plusDays(r.nextInt(45));
  }

  private String selfStatus(Random r) {
    double x = r.nextDouble();
    return x < 0.7 ? "Đã duyệt" : x < 0.97 ? "Đã nộp" : x < 0.99 ? "Nháp" : "Trả lại";
  }

  /** One export row with its columns in the order a vendor would write them. Numbers are plain Java doubles here. */
  private Map<String, String> record(Unit u, String year, String stage, IndicatorSet set, Map<String, Double> points, LocalDate date, String status) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("Mã đơn vị", u.code());
    row.put("Tên đơn vị", u.name());
    row.put("Năm học", year);
    row.put("Hình thức đánh giá", stage);
    row.put("Bộ chỉ số", set.aliases().get(0));
    row.put("Ngày nộp", date.format(DMY));
    row.put("Trạng thái", status);
    row.put("Cấp học", u.level());
    for (Group g : set.groups()) {
      double total = 0;
      boolean failed = false;
      for (Criterion c : g.criteria()) {
        if (c.derived()) continue;
        Double p = points.get(c.id());
        failed |= c.mandatory() && p != null && p == 0;
        if (c.mandatory()) row.put(c.id(), p == null ? "" : p > 0 ? "Đạt" : "Chưa đạt");
        else {
          row.put(c.id(), p == null ? "" : Catalogs.fmtPoints(p));
          if (p != null) total += p;
        }
      }
      if (set.levelRule().perGroup()) {
        final double t = total;
        row.put("Tổng điểm " + g.id(), Catalogs.fmtPoints(t));
        int level = failed ? 1 : set.levelRule().levels().stream().filter(b -> b.contains(t)).findFirst().orElseThrow().level();
        row.put("Mức " + g.id(), "Mức " + level);
      }
    }
    return row;
  }

  List<Unit> units() {
    return units;
  }

  static String csvLine(String... values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) sb.append(',');
      String v = values[i] == null ? "" : values[i];
      sb.append(v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
    }
    return sb.append('\n').toString();
  }
}
