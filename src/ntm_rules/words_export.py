"""Words of the export feature, merged into the one word table (:data:`ntm_rules.words.WORDS`)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # long-format CSV headers (report/long.py), by column key
    "export_col_commune_id": ("STT xã", "Commune no."),
    "export_col_commune": ("Xã", "Commune"),
    "export_col_code": ("Mã xã", "Code"),
    "export_col_province": ("Tỉnh", "Province"),
    "export_col_district": ("Huyện", "District"),
    "export_col_year": ("Năm số liệu", "Data year"),
    "export_col_source": ("Nguồn dữ liệu", "Data source"),
    "export_col_set_id": ("Bộ tiêu chí", "Criteria set"),
    "export_col_criterion_id": ("Tiêu chí", "Criterion"),
    "export_col_indicator_id": ("Chỉ tiêu", "Indicator"),
    "export_col_check_no": ("STT phép kiểm", "Check no."),
    "export_col_measure": ("Số đo", "Measure"),
    "export_col_value": ("Giá trị", "Value"),
    "export_col_operator": ("Phép so sánh", "Operator"),
    "export_col_threshold": ("Ngưỡng", "Threshold"),
    "export_col_gap": ("Chênh lệch", "Gap"),
    "export_col_status": ("Kết quả phép kiểm", "Check status"),
    "export_col_indicator_status": ("Kết quả chỉ tiêu", "Indicator status"),
    "export_col_verified": ("Ngưỡng đã kiểm chứng", "Threshold verified"),
    "export_col_appraised": ("Theo thẩm định", "Appraised"),
    "export_col_source_key": ("Mã nguồn ngưỡng", "Threshold source"),
    "export_col_citation": ("Trích dẫn", "Citation"),
    "export_col_url": ("Đường dẫn", "URL"),
    "export_col_region_applied": ("Vùng áp dụng", "Region applied"),
    # to_frame without pandas (report/frame.py)
    "export_no_pandas": (
        "Cần gói pandas để tạo DataFrame; cài bằng: pip install ntm-rules[frame]",
        "pandas is needed for a DataFrame; install it with: pip install ntm-rules[frame]",
    ),
    "export_frame_kind": (
        "kind phải là 'results' hoặc 'long', không phải {kind!r}",
        "kind must be 'results' or 'long', not {kind!r}",
    ),
}
