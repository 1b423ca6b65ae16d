package vn.cds.generate;

import java.util.ArrayList;
import java.util.List;

/** Hải Phòng and Hải Dương before and after 1/7/2025, for realistic sample data (names for realism, not official use). */
final class Geography {
  private Geography() {}

  record District(String code, String name, String provinceCode, boolean urban, double size, boolean hasPhong) {}

  static final String HP = "31";
  static final String HD = "30";

  static List<District> districts() {
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
    return d;
  }

  /** Syllables for commune and school names; combined deterministically. */
  static final String[] NAME_WORDS = {"An", "Bình", "Hòa", "Phú", "Tân", "Hưng", "Thịnh", "Thuận", "Đông", "Tây", "Nam", "Bắc",
      "Quang", "Minh", "Đại", "Trung", "Vĩnh", "Kiến", "Hải", "Thanh", "Hồng", "Lạc", "Phong", "Thái", "Việt", "Cường", "Lợi",
      "Hiệp", "Long", "Xuân", "Mỹ", "Đức", "Lương", "Sơn", "Hà", "Dương", "Lâm", "Quý", "Phúc", "Khê"};

  static final String[] SCHOOL_NAMES = {"Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Chu Văn An", "Lý Tự Trọng", "Võ Thị Sáu", "Hoa Sen",
      "Sao Mai", "Họa Mi", "Tuổi Thơ", "Bình Minh", "Hoa Phượng", "Ngô Quyền", "Trần Hưng Đạo", "Lê Quý Đôn", "Nguyễn Du",
      "Kim Đồng", "Tô Hiệu", "Lê Hồng Phong", "Hùng Vương", "Quang Trung", "Đoàn Thị Điểm", "Măng Non", "Hướng Dương", "Ánh Sao",
      "Thăng Long", "Vạn Xuân", "Hồng Bàng", "Bạch Đằng", "Đằng Hải"};
}
