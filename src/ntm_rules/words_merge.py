"""Words of the merge feature, merged into the one word table (:data:`ntm_rules.words.WORDS`)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # --- how a measure of the merged commune was derived -------------------------------------
    "merge_how_sum": ("tổng của {n} xã cũ", "sum of the {n} parts"),
    "merge_how_weighted": (
        "bình quân gia quyền theo {weight} của {n} xã cũ",
        "mean of the {n} parts weighted by {weight}",
    ),
    "merge_how_all_true": ("đúng ở mọi xã cũ", "true in every part"),
    "merge_how_all_false": ("sai ở {parts}", "false in {parts}"),
    "merge_how_any_true": ("đúng ở {parts}", "true in {parts}"),
    "merge_how_any_false": ("sai ở mọi xã cũ", "false in every part"),
    "merge_how_min": ("nhỏ nhất của {n} xã cũ", "smallest of the {n} parts"),
    "merge_how_max": ("lớn nhất của {n} xã cũ", "largest of the {n} parts"),
    "merge_left_out": (
        "{parts} có {weight} bằng 0 nên không tính",
        "{parts} left out: {weight} is 0",
    ),
    # --- why a measure of the merged commune is missing ---------------------------------------
    "merge_missing": ("thiếu", "missing"),
    "merge_no_value": ("{parts} không có số liệu", "no value in {parts}"),
    "merge_no_weight": (
        "thiếu mẫu số {weight} ở {parts} (không lấy bình quân không gia quyền)",
        "no weight {weight} in {parts} (never an unweighted mean)",
    ),
    "merge_zero_weight": ("tổng {weight} của các xã cũ bằng 0", "the parts' {weight} add up to 0"),
    "merge_rule_none": ("không có quy tắc gộp trung thực: {note}", "no honest rule: {note}"),
    "merge_no_rule": (
        "measures.yaml không nêu quy tắc gộp (combine) cho số đo này",
        "measures.yaml gives this measure no combine rule",
    ),
    "merge_bad_rule": (
        "quy tắc gộp {rule} không dùng được cho số đo kiểu {type}",
        "the combine rule {rule} does not fit a {type} measure",
    ),
    # --- the recognition path ------------------------------------------------------------------
    "merge_path_confirmation": (
        "Ứng viên thừa nhận {tier}: mọi xã cũ đã được công nhận (hạng thấp nhất chung: "
        "{tier}); UBND tỉnh xem xét quyết định thừa nhận",
        "Confirmation candidate at {tier} (thừa nhận): every part is recognised (lowest tier "
        "they share: {tier}); the provincial People's Committee decides",
    ),
    "merge_path_review": (
        "Rà soát và xét công nhận theo quy trình thông thường: {recognised} đã được công nhận, "
        "{others} chưa",
        "Review and recognition through the normal procedure: {recognised} recognised, "
        "{others} not",
    ),
    "merge_path_normal": (
        "Chưa xã cũ nào được công nhận: xét công nhận theo quy trình thông thường",
        "No part is recognised: recognition through the normal procedure",
    ),
    "merge_path_caveat": (
        "Theo cách làm của đợt sắp xếp 2023–2025 (Văn bản 5424/BNN-VPĐP ngày 09/8/2023); chưa "
        "tìm thấy văn bản quốc gia cho đợt sắp xếp năm 2025",
        "As in the 2023–2025 reorganisation (MARD letter 5424/BNN-VPĐP of 09/08/2023); no "
        "national text for the 2025 round was found",
    ),
    # --- identity of the merged commune ---------------------------------------------------------
    "merge_formed": (
        "Xã hình thành từ sáp nhập {parts} (số liệu năm {year})",
        "Commune formed by merging {parts} (data year {year})",
    ),
    "merge_region_common": ("Vùng {region}: mọi xã cũ cùng vùng", "Region {region}: every part"),
    "merge_region_stated": (
        "Vùng {region}: do người gộp nêu (các xã cũ thuộc {regions})",
        "Region {region}: stated for the merge (the parts lie in {regions})",
    ),
    "merge_categories": (
        "Nhóm xã chỉ giữ khi mọi xã cũ cùng thuộc; bỏ: {dropped} (danh sách chính thức cho xã "
        "mới quyết định)",
        "A category is kept only when every part has it; dropped: {dropped} (the official "
        "lists for the new commune decide)",
    ),
    "merge_summary": (
        "{name}: {derived} số đo tính được, {missing} số đo thiếu.",
        "{name}: {derived} measures derived, {missing} missing.",
    ),
    "merge_no_recognition": (
        "Xã mới không mang quyết định công nhận của xã cũ nào",
        "The merged commune carries no part's recognition decision",
    ),
    # --- the merged commune as a commune file ---------------------------------------------------
    "merge_yaml_header": (
        "Xã sau sáp nhập, do `ntm-check merge` viết: mỗi số đo ghi cách tính hoặc lý do thiếu. "
        "Số đo để trống là thiếu số liệu.",
        "Merged commune written by `ntm-check merge`: each measure says how it was derived or "
        "why it is missing. An empty measure has no value.",
    ),
    "merge_yaml_parts": ("Các xã cũ", "Parts"),
    "merge_yaml_path": ("Hướng công nhận", "Recognition path"),
    "merge_yaml_source": ("Nguồn", "Source"),
    "merge_recognized_as": (
        "đã công nhận {tier} ({set}, {year})",
        "recognised {tier} ({set}, {year})",
    ),
    "merge_not_recognized": ("chưa được công nhận", "not recognised"),
    # --- before and after: what the merger costs ------------------------------------------------
    "merge_lost": (
        "{part}: đạt chuẩn trước sáp nhập ({why}); xã mới: {after}",
        "{part}: certified before the merger ({why}); merged commune: {after}",
    ),
    "merge_by_figures": ("theo số liệu", "by its figures"),
    "merge_broken": (
        "Tiêu chí {id} ({name}): đạt ở {parts}; xã mới không đạt",
        "Criterion {id} ({name}): met in {parts}; the merged commune fails it",
    ),
    "merge_undecided": (
        "Tiêu chí {id} ({name}): đạt ở {parts}; xã mới chưa xác định",
        "Criterion {id} ({name}): met in {parts}; undecided for the merged commune",
    ),
    "merge_recorded": (
        "có quyết định công nhận; theo số liệu: {verdict}",
        "recorded recognition; by its figures: {verdict}",
    ),
}
