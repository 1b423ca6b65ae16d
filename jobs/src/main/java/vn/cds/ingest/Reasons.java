package vn.cds.ingest;

/**
 * Stable reason codes for rejected, superseded and flagged rows and files. Codes never change meaning; messages are
 * Vietnamese for the Sở officer with an English gloss, built in {@link #message}.
 */
public enum Reasons {
  FILE_EMPTY("Tệp rỗng, không có dòng dữ liệu", "empty file"),
  FILE_UNREADABLE("Không đọc được tệp (hỏng hoặc sai định dạng)", "unreadable file"),
  FILE_TOO_LARGE("Tệp quá lớn, không đọc (giới hạn 64 MB mỗi tệp)", "file larger than the 64 MB limit"),
  FILE_TOO_WIDE("Tệp có quá nhiều cột (giới hạn 2.000 cột)", "more than 2,000 columns"),
  FILE_NOT_UTF8("Tệp không phải mã UTF-8 hay UTF-16 và không đọc được (TCVN3 hoặc mã không xác định)", "file is not UTF-8"),
  FILE_ENCODING_WINDOWS_1258("Tệp mã Windows-1258 (ANSI), đã chuyển sang Unicode và đọc; lần sau xin gửi dạng CSV UTF-8",
      "file in Windows-1258, converted and read; ask the sender for CSV UTF-8 next time"),
  FILE_NO_HEADER("Không tìm thấy dòng tiêu đề có cột \"Mã đơn vị\"", "no header row with 'Mã đơn vị'"),
  FILE_MISSING_COLUMN("Thiếu cột bắt buộc", "required column missing"),
  FILE_UNSUPPORTED("Định dạng tệp không được hỗ trợ", "unsupported file type"),
  JSON_SCHEMA_INVALID("Phiếu JSON không đúng lược đồ assessment.schema.json", "JSON document does not match its schema"),
  UNIT_CODE_MISSING("Thiếu mã đơn vị", "unit code missing"),
  UNIT_UNKNOWN("Mã đơn vị không có trong danh mục đơn vị", "unknown unit"),
  UNIT_NOT_VALID_IN_YEAR("Đơn vị không còn/chưa có hiệu lực trong năm học này", "unit not valid in that school year"),
  SCHOOL_YEAR_INVALID("Năm học không hợp lệ (cần dạng 2024-2025)", "school year unrecognised"),
  STAGE_INVALID("Hình thức đánh giá không hợp lệ (Tự đánh giá / Đánh giá ngoài)", "stage unrecognised"),
  STATUS_INVALID("Trạng thái không hợp lệ (Nháp / Đã nộp / Đã duyệt / Trả lại)", "status unrecognised"),
  DATE_INVALID("Ngày nộp không hợp lệ (cần dạng dd/mm/yyyy)", "submission date unrecognised"),
  INDICATOR_SET_UNKNOWN("Bộ chỉ số không xác định", "indicator set unknown"),
  INDICATOR_SET_NOT_APPLICABLE("Bộ chỉ số không áp dụng cho cấp học của đơn vị hoặc cho năm học này", "indicator set does not apply to this unit or year"),
  CRITERION_NOT_IN_SET("Tiêu chí không thuộc bộ chỉ số của đơn vị", "criterion not in the unit's indicator set"),
  CRITERION_REPEATED("Tiêu chí được nhập nhiều lần trong cùng một phiếu", "criterion given more than once in the same row"),
  VALUE_NOT_NUMBER("Điểm không phải là số", "value is not a number"),
  VALUE_OUT_OF_RANGE("Điểm nằm ngoài khoảng cho phép (0 đến điểm tối đa)", "points below 0 or above the criterion's max"),
  MANDATORY_VALUE_UNRECOGNISED("Giá trị điều kiện bắt buộc không hợp lệ (Đạt / Chưa đạt)", "mandatory value not recognised"),
  DUPLICATE_SUPERSEDED("Dòng trùng đơn vị, năm học, hình thức: đã có bản nộp mới hơn", "duplicate row, superseded by a later submission"),
  DECLARED_TOTAL_MISMATCH("Tổng điểm khai báo khác tổng điểm tính lại", "declared total differs from the recomputed one"),
  DECLARED_LEVEL_MISMATCH("Mức khai báo khác mức tính lại", "declared level differs from the recomputed one"),
  DOCUMENT_UNKNOWN("Mã văn bản không có trong quy định (schemas/milestones.json)", "unknown document code"),
  DOCUMENT_NOT_REQUIRED("Đơn vị không phải gửi văn bản này trong năm học này (theo cấp học và quy định)",
      "document not required of this unit in that school year"),
  SUBMISSION_DATE_INVALID("Ngày gửi thiếu hoặc không hợp lệ (cần dạng dd/mm/yyyy)", "submission date missing or unrecognised"),
  REFERENCE_NOT_URL("Đường link công bố không phải địa chỉ http(s)", "the published result's reference is not an http(s) URL"),
  FIGURE_PROVINCE_MISSING("Số liệu công bố thiếu tên tỉnh/thành phố (published_figures.csv)", "published figure without a province"),
  FIGURE_SCHOOL_LEVEL_UNKNOWN("Cấp học không hợp lệ (MN, TH, THCS, THPT, GDTX hoặc để trống cho mọi cấp)", "school level unknown"),
  FIGURE_COUNT_INVALID("Số đơn vị không phải số nguyên không âm", "count is not a whole number of units"),
  FIGURE_LEVELS_NOT_ASSESSED("Mức 1 + Mức 2 + Mức 3 khác số đơn vị đã đánh giá", "the three levels do not add up to the units assessed"),
  FIGURE_SOURCE_MISSING("Số liệu công bố thiếu nguồn (cột source)", "published figure without its source"),
  SUBMISSION_REPEATED("Văn bản này đơn vị đã gửi trước đó: tính lần gửi sớm nhất", "document sent again; the earliest submission counts");

  public static final String SEVERITY_REJECTED = "rejected";
  public static final String SEVERITY_SUPERSEDED = "superseded";
  public static final String SEVERITY_FLAGGED = "flagged";

  private final String vietnamese;
  private final String english;

  Reasons(String vietnamese, String english) {
    this.vietnamese = vietnamese;
    this.english = english;
  }

  public String vietnamese() {
    return vietnamese;
  }

  public String english() {
    return english;
  }

  public String code() {
    return name();
  }

  /** Problems that keep the row (accepted, flagged) rather than reject it. */
  public boolean flagOnly() {
    return this == DATE_INVALID || this == DECLARED_TOTAL_MISMATCH || this == DECLARED_LEVEL_MISMATCH || this == FILE_ENCODING_WINDOWS_1258;
  }

  public static java.util.List<String> flagOnlyCodes() {
    return java.util.Arrays.stream(values()).filter(Reasons::flagOnly).map(Reasons::code).toList();
  }

  /** "Điểm không phải là số: "abc" (value is not a number)" and so on. */
  public String message(String detail) {
    return vietnamese + (detail == null || detail.isEmpty() ? "" : ": " + detail) + " (" + english + ")";
  }
}
