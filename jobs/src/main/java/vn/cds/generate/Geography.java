package vn.cds.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Where the synthetic units live: provinces, districts and their sizes, the school years generated, and how many units
 * of each school level a district gets. Two profiles: {@link #province} (Hải Phòng with Hải Dương merged in from
 * 2025-2026, the bundled sample) and {@link #national} (63 provinces, 705 districts, the published national mix).
 * Names and codes are for realism, not official use.
 */
final class Geography {
  record Province(String code, String name, String mergedInto) {
    /** The Sở that oversees this province's units: a merged province's units go to its successor's Sở. */
    String soCode() {
      return "SO" + (mergedInto != null ? mergedInto : code);
    }

    String effectiveCode() {
      return mergedInto != null ? mergedInto : code;
    }
  }

  record District(String code, String name, String provinceCode, boolean urban, double size, boolean hasPhong) {}

  static final String HP = "31";
  static final String HD = "30";
  static final String REFORM_YEAR = "2025-2026";
  static final String PHONG_LAST_YEAR = "2024-2025";

  final boolean national;
  final List<String> years;
  final List<Province> provinces;
  final List<District> districts;
  /** Districts whose units lag behind: lower maturity, more late and missing submissions. */
  final Set<String> lagging;
  /** Districts where many units inflate their self-assessment. */
  final Set<String> inflating;
  /** National profile only: units of each school level per district, distributed exactly to the published totals. */
  private final Map<String, Map<String, Integer>> nationalCounts;

  private Geography(boolean national, List<String> years, List<Province> provinces, List<District> districts, Set<String> lagging,
      Set<String> inflating, Map<String, Map<String, Integer>> nationalCounts) {
    this.national = national;
    this.years = years;
    this.provinces = provinces;
    this.districts = districts;
    this.lagging = lagging;
    this.inflating = inflating;
    this.nationalCounts = nationalCounts;
  }

  Province province(String code) {
    return provinces.stream().filter(p -> p.code().equals(code)).findFirst().orElseThrow();
  }

  /** The bundled sample: Hải Phòng and Hải Dương before and after 1/7/2025. */
  static Geography province() {
    List<District> d = new ArrayList<>();
    Object[][] hp = {
        {"303", "Quận Hồng Bàng", true, 0.8}, {"304", "Quận Ngô Quyền", true, 1.1}, {"305", "Quận Lê Chân", true, 1.2},
        {"306", "Quận Hải An", true, 0.9}, {"307", "Quận Kiến An", true, 0.9}, {"308", "Quận Đồ Sơn", true, 0.5},
        {"309", "Quận Dương Kinh", true, 0.6}, {"311", "Thành phố Thủy Nguyên", false, 1.9}, {"312", "Quận An Dương", true, 1.3},
        {"313", "Huyện An Lão", false, 1.0}, {"314", "Huyện Kiến Thụy", false, 1.0}, {"315", "Huyện Tiên Lãng", false, 1.1},
        {"316", "Huyện Vĩnh Bảo", false, 1.2}, {"317", "Huyện Cát Hải", false, 0.4}, {"318", "Huyện Bạch Long Vĩ", false, 0.03}};
    for (Object[] r : hp) d.add(new District((String) r[0], (String) r[1], HP, (Boolean) r[2], (Double) r[3], !"318".equals(r[0])));
    Object[][] hd = {
        {"288", "Thành phố Hải Dương", true, 1.1}, {"290", "Thành phố Chí Linh", true, 0.8}, {"292", "Thị xã Kinh Môn", false, 0.8},
        {"296", "Huyện Bình Giang", false, 0.6}, {"295", "Huyện Cẩm Giàng", false, 0.7}, {"297", "Huyện Gia Lộc", false, 0.7},
        {"293", "Huyện Kim Thành", false, 0.6}, {"291", "Huyện Nam Sách", false, 0.6}, {"299", "Huyện Ninh Giang", false, 0.7},
        {"294", "Huyện Thanh Hà", false, 0.7}, {"300", "Huyện Thanh Miện", false, 0.6}, {"298", "Huyện Tứ Kỳ", false, 0.7}};
    for (Object[] r : hd) d.add(new District((String) r[0], (String) r[1], HD, (Boolean) r[2], (Double) r[3], true));
    return new Geography(false, List.of("2022-2023", "2023-2024", "2024-2025", "2025-2026"),
        List.of(new Province(HP, "Thành phố Hải Phòng", null), new Province(HD, "Tỉnh Hải Dương", HP)), d, Set.of("315", "318", "317"),
        Set.of("316", "313"), Map.of());
  }

  /** Units of each school level nationwide (the published mix), besides the 705 Phòng and 63 Sở. */
  static final Map<String, Integer> NATIONAL_MIX = orderedMap("MN", 15_500, "TH", 12_700, "THCS", 10_800, "THPT", 2_900, "GDTX", 640);
  static final int NATIONAL_DISTRICTS = 705;

  /**
   * 63 provinces (the pre-2025 list, codes as in the national register) with 705 districts between them in
   * proportion to a drawn size, and the national mix of units spread over the districts by size. Five school years;
   * the fifth (2026-2027) is a projection so that QĐ 4725 has five years. The 2025 reform replaces districts by
   * communes as in the province profile; the merging of provinces is not modelled here.
   */
  static Geography national(long seed) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + "national".hashCode());
    List<Province> provinces = new ArrayList<>();
    for (String[] p : PROVINCES) provinces.add(new Province(p[0], p[1], null));
    double[] weight = new double[provinces.size()];
    double total = 0;
    for (int i = 0; i < weight.length; i++) total += weight[i] = Math.exp(r.nextGaussian() * 0.45);
    int[] perProvince = largestRemainder(weight, total, NATIONAL_DISTRICTS, 1);
    List<District> districts = new ArrayList<>();
    Set<String> lagging = new HashSet<>(), inflating = new HashSet<>(), names = new HashSet<>();
    int next = 1;
    for (int i = 0; i < provinces.size(); i++) {
      Province p = provinces.get(i);
      for (int k = 0; k < perProvince[i]; k++) {
        String code = String.format(Locale.ROOT, "%03d", next++);
        boolean urban = k == 0 || r.nextDouble() < 0.2;
        String name;
        do name = (k == 0 ? "Thành phố " : urban ? "Quận " : "Huyện ") + NAME_WORDS[r.nextInt(NAME_WORDS.length)] + " "
            + NAME_WORDS[r.nextInt(NAME_WORDS.length)];
        while (!names.add(p.code() + name)); // unique within the province
        districts.add(new District(code, name, p.code(), urban, 0.3 + Math.exp(r.nextGaussian() * 0.5), true));
        if (r.nextDouble() < 0.08) lagging.add(code);
        if (r.nextDouble() < 0.12) inflating.add(code);
      }
    }
    double sizes = districts.stream().mapToDouble(District::size).sum();
    double[] w = districts.stream().mapToDouble(District::size).toArray();
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> level : NATIONAL_MIX.entrySet()) {
      int[] n = largestRemainder(w, sizes, level.getValue(), 0);
      for (int i = 0; i < n.length; i++) counts.computeIfAbsent(districts.get(i).code(), k -> new LinkedHashMap<>()).put(level.getKey(), n[i]);
    }
    return new Geography(true, List.of("2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027"), provinces, districts, lagging,
        inflating, counts);
  }

  /** Units of a school level in a district. */
  int units(District d, String level, double provinceShare, int scale) {
    if (national) return nationalCounts.get(d.code()).getOrDefault(level, 0) * scale;
    boolean merged = HD.equals(d.provinceCode());
    if ("318".equals(d.code())) return "MN".equals(level) || "TH-THCS".equals(level) ? 1 : 0;
    if ("GDTX".equals(level)) return d.size() >= 0.4 ? 1 : 0;
    return (int) Math.round(provinceShare * d.size() * scale * (merged ? 0.45 : 1.0));
  }

  /** Splits {@code total} in proportion to {@code weights} (summing to {@code sum}) so that the parts add up exactly. */
  private static int[] largestRemainder(double[] weights, double sum, int total, int minimum) {
    int[] parts = new int[weights.length];
    double[] rest = new double[weights.length];
    int given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = minimum + (total - minimum * weights.length) * weights[i] / sum;
      parts[i] = (int) Math.floor(exact);
      rest[i] = exact - parts[i];
      given += parts[i];
    }
    while (given < total) {
      int best = 0;
      for (int i = 1; i < rest.length; i++) if (rest[i] > rest[best]) best = i;
      parts[best]++;
      rest[best] = -1;
      given++;
    }
    return parts;
  }

  private static Map<String, Integer> orderedMap(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
    return m;
  }

  static final String[][] PROVINCES = {{"01", "Thành phố Hà Nội"}, {"02", "Tỉnh Hà Giang"}, {"04", "Tỉnh Cao Bằng"},
      {"06", "Tỉnh Bắc Kạn"}, {"08", "Tỉnh Tuyên Quang"}, {"10", "Tỉnh Lào Cai"}, {"11", "Tỉnh Điện Biên"}, {"12", "Tỉnh Lai Châu"},
      {"14", "Tỉnh Sơn La"}, {"15", "Tỉnh Yên Bái"}, {"17", "Tỉnh Hòa Bình"}, {"19", "Tỉnh Thái Nguyên"}, {"20", "Tỉnh Lạng Sơn"},
      {"22", "Tỉnh Quảng Ninh"}, {"24", "Tỉnh Bắc Giang"}, {"25", "Tỉnh Phú Thọ"}, {"26", "Tỉnh Vĩnh Phúc"}, {"27", "Tỉnh Bắc Ninh"},
      {"30", "Tỉnh Hải Dương"}, {"31", "Thành phố Hải Phòng"}, {"33", "Tỉnh Hưng Yên"}, {"34", "Tỉnh Thái Bình"}, {"35", "Tỉnh Hà Nam"},
      {"36", "Tỉnh Nam Định"}, {"37", "Tỉnh Ninh Bình"}, {"38", "Tỉnh Thanh Hóa"}, {"40", "Tỉnh Nghệ An"}, {"42", "Tỉnh Hà Tĩnh"},
      {"44", "Tỉnh Quảng Bình"}, {"45", "Tỉnh Quảng Trị"}, {"46", "Tỉnh Thừa Thiên Huế"}, {"48", "Thành phố Đà Nẵng"},
      {"49", "Tỉnh Quảng Nam"}, {"51", "Tỉnh Quảng Ngãi"}, {"52", "Tỉnh Bình Định"}, {"54", "Tỉnh Phú Yên"}, {"56", "Tỉnh Khánh Hòa"},
      {"58", "Tỉnh Ninh Thuận"}, {"60", "Tỉnh Bình Thuận"}, {"62", "Tỉnh Kon Tum"}, {"64", "Tỉnh Gia Lai"}, {"66", "Tỉnh Đắk Lắk"},
      {"67", "Tỉnh Đắk Nông"}, {"68", "Tỉnh Lâm Đồng"}, {"70", "Tỉnh Bình Phước"}, {"72", "Tỉnh Tây Ninh"}, {"74", "Tỉnh Bình Dương"},
      {"75", "Tỉnh Đồng Nai"}, {"77", "Tỉnh Bà Rịa - Vũng Tàu"}, {"79", "Thành phố Hồ Chí Minh"}, {"80", "Tỉnh Long An"},
      {"82", "Tỉnh Tiền Giang"}, {"83", "Tỉnh Bến Tre"}, {"84", "Tỉnh Trà Vinh"}, {"86", "Tỉnh Vĩnh Long"}, {"87", "Tỉnh Đồng Tháp"},
      {"89", "Tỉnh An Giang"}, {"91", "Tỉnh Kiên Giang"}, {"92", "Thành phố Cần Thơ"}, {"93", "Tỉnh Hậu Giang"}, {"94", "Tỉnh Sóc Trăng"},
      {"95", "Tỉnh Bạc Liêu"}, {"96", "Tỉnh Cà Mau"}};

  /** Syllables for commune and school names; combined deterministically. */
  static final String[] NAME_WORDS = {"An", "Bình", "Hòa", "Phú", "Tân", "Hưng", "Thịnh", "Thuận", "Đông", "Tây", "Nam", "Bắc",
      "Quang", "Minh", "Đại", "Trung", "Vĩnh", "Kiến", "Hải", "Thanh", "Hồng", "Lạc", "Phong", "Thái", "Việt", "Cường", "Lợi",
      "Hiệp", "Long", "Xuân", "Mỹ", "Đức", "Lương", "Sơn", "Hà", "Dương", "Lâm", "Quý", "Phúc", "Khê"};

  static final String[] SCHOOL_NAMES = {"Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Chu Văn An", "Lý Tự Trọng", "Võ Thị Sáu", "Hoa Sen",
      "Sao Mai", "Họa Mi", "Tuổi Thơ", "Bình Minh", "Hoa Phượng", "Ngô Quyền", "Trần Hưng Đạo", "Lê Quý Đôn", "Nguyễn Du",
      "Kim Đồng", "Tô Hiệu", "Lê Hồng Phong", "Hùng Vương", "Quang Trung", "Đoàn Thị Điểm", "Măng Non", "Hướng Dương", "Ánh Sao",
      "Thăng Long", "Vạn Xuân", "Hồng Bàng", "Bạch Đằng", "Đằng Hải"};
}
