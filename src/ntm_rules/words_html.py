"""Words of the html feature, merged into the one word table (:data:`ntm_rules.words.WORDS`).

``hp_``: the batch page; ``hs_``: the printable one-commune sheet.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # --- the batch page: at a glance ----------------------------------------------------------
    "hp_glance": ("Tóm tắt nhanh", "At a glance"),
    "hp_line_two": (
        "{a}/{total} đạt chuẩn cũ → {b}/{total} mới; {lost} mất chuẩn",
        "{a}/{total} certified under the old set → {b}/{total} under the new; "
        "{lost} lose certification",
    ),
    "hp_line_one": ("{cert}/{total} đạt chuẩn", "{cert}/{total} certified"),
    "hp_hardest": ("khó nhất: {ids}", "hardest: {ids}"),
    "hp_hardest_names": ("Tiêu chí khó đạt nhất: {names}.", "Hardest criteria: {names}."),
    "hp_old_new": ("Bộ cũ: {a}. Bộ mới: {b}.", "Old set: {a}. New set: {b}."),
    "hp_see_errors": ("Xem mục Lỗi dòng dữ liệu.", "See Row errors."),
    "hp_card_unknown": (
        "Phần lớn ngưỡng của bộ này chưa rõ ({unk}/{total}): chưa thể coi là đã kiểm chứng.",
        "Most thresholds of this set are unknown ({unk} of {total}): it is not verified.",
    ),
    # --- filters and sorting -------------------------------------------------------------------
    "hp_filter": ("Lọc:", "Filter:"),
    "hp_all": ("Tất cả", "All"),
    "hp_shown": ("Đang hiện {n}/{total} xã", "Showing {n} of {total} communes"),
    "hp_sort": (
        "Bấm vào tiêu đề cột có thể sắp xếp (tên xã, huyện, số tiêu chí đạt, chuyển đổi) để "
        "sắp xếp; bấm lần nữa để đảo chiều.",
        "Click a sortable heading (commune, district, criteria met, transition) to sort; "
        "click again to reverse.",
    ),
    "hp_heat_intro": (
        "Mỗi hàng là một xã, mỗi ô là một tiêu chí. Xã MẤT CHUẨN đứng đầu, rồi xã CHƯA XÁC "
        "ĐỊNH, sau đó các xã khác (giữ thứ tự trong tệp). Di chuột lên ô để xem chi tiết.",
        "One row per commune, one cell per criterion. Communes that LOSE certification come "
        "first, then INDETERMINATE ones, then the others (in input order). Hover a cell for "
        "details.",
    ),
    # --- hard criteria -------------------------------------------------------------------------
    "hp_ranking": ("Xếp hạng theo tỷ lệ không đạt", "Ranked by fail rate"),
    "hp_failing_of": ("Không đạt / có số liệu", "Failing / with data"),
    "hp_median_gap_pct": ("Chênh lệch trung vị (% ngưỡng)", "Median gap (% of threshold)"),
    "hp_median_gap_unit": (
        "Chênh lệch trung vị (theo đơn vị chỉ tiêu)",
        "Median gap (in the indicator's unit)",
    ),
    "hp_near_col": ("Suýt đạt (thiếu ≤ {pct} ngưỡng)", "Near misses (short by ≤ {pct})"),
    "hp_explain_gap": (
        "Với mỗi xã không đạt tiêu chí, lấy chỉ tiêu thiếu nhiều nhất và tính phần còn thiếu "
        "theo % của ngưỡng (ngưỡng 90%, xã đạt 81%: thiếu 9 điểm, tức 10% ngưỡng); con số là "
        "trung vị của các xã đó: một nửa số xã không đạt thiếu ít hơn, một nửa thiếu nhiều hơn. "
        "Với ngưỡng tối đa (ví dụ tỷ lệ hộ nghèo ≤ 4%), đó là phần vượt quá ngưỡng.",
        "For each commune failing the criterion, take its worst indicator and its shortfall as "
        "a percentage of the threshold (threshold 90%, value 81%: 9 points short, i.e. 10% of "
        "the threshold); the figure is the median over those communes: half of them are "
        "closer, half further. For a ceiling (e.g. poor households ≤ 4%), it is the excess "
        "over the ceiling.",
    ),
    "hp_explain_near": (
        "Xã không đạt nhưng mọi chỉ tiêu không đạt đều chỉ thiếu không quá {pct} của ngưỡng "
        "(ngưỡng khác 0; chỉ tiêu có/không không bao giờ là suýt đạt).",
        "A failing commune whose every failing indicator is short by at most {pct} of the "
        "threshold (a non-zero threshold; a yes/no indicator is never a near miss).",
    ),
    "hp_explain_ind": (
        "Chênh lệch trung vị của chỉ tiêu: phần còn thiếu điển hình của các xã không đạt, theo "
        "đơn vị của chỉ tiêu (điểm % với chỉ tiêu tính bằng %). Suýt đạt: thiếu không quá {pct} "
        "của ngưỡng.",
        "An indicator's median gap: the typical shortfall of the communes failing it, in the "
        "indicator's unit (percentage points for a percentage). Near miss: short by at most "
        "{pct} of the threshold.",
    ),
    # --- provenance ----------------------------------------------------------------------------
    "hp_state_verified": ("Mọi ngưỡng đều đã kiểm chứng.", "Every threshold is verified."),
    "hp_state_partial": (
        "Mới kiểm chứng {ver}/{total} ngưỡng ({pct}); số còn lại là giả thuyết hoặc chưa rõ: "
        "kết quả dùng chúng là tạm tính hoặc chưa xác định.",
        "Only {ver} of {total} thresholds are verified ({pct}); the rest are hypotheses or "
        "unknown: results that use them are provisional or indeterminate.",
    ),
    "hp_state_mostly_unknown": (
        "CHƯA KIỂM CHỨNG: phần lớn ngưỡng chưa rõ ({unk}/{total}, {pct}), chỉ {ver} ngưỡng đã "
        "kiểm chứng. Kết quả theo bộ này phần lớn là chưa xác định hoặc tạm tính.",
        "NOT VERIFIED: most thresholds are unknown ({unk} of {total}, {pct}); only {ver} are "
        "verified. Results under this set are mostly indeterminate or provisional.",
    ),
    "hp_state_none": ("Không có thông tin về ngưỡng.", "No information on the thresholds."),
    "hp_src_official": ("văn bản chính thức", "official text"),
    "hp_src_secondary": ("nguồn thứ cấp", "secondary source"),
    "hp_src_provincial": ("văn bản của tỉnh", "provincial text"),
    "hp_src_reconstruction": ("tái dựng, chưa kiểm chứng", "reconstruction, unverified"),
    "hp_src_assumed": ("giả định (--assume)", "assumed (--assume)"),
    "hp_src_gap": ("GAP: chưa tìm được giá trị", "GAP: value not found"),
    "hp_gap_badge": (
        "Nguồn ghi “GAP” chỉ ghi nhận rằng chưa tìm được giá trị: không bao giờ được coi là văn "
        "bản chính thức, dù nó dẫn chiếu văn bản nào.",
        "A source marked “GAP” only records that no value was found: it is never shown as an "
        "official text, whatever document it names.",
    ),
    # --- the one-commune sheet -----------------------------------------------------------------
    "hs_heading": ("Phiếu đánh giá xã nông thôn mới", "New-rural commune assessment sheet"),
    "hs_print": ("In phiếu: Ctrl+P, khổ A4.", "To print: Ctrl+P, A4 paper."),
    "hs_region_file": ("khai báo trong tệp", "stated in the file"),
    "hs_region_province": ("suy ra từ tỉnh", "from the province"),
    "hs_data_year": ("Năm số liệu", "Data year"),
    "hs_categories": ("Nhóm xã", "Categories"),
    "hs_recognized": ("Đã công nhận", "Recognised"),
    "hs_recognized_text": ("{set}, năm {year}", "{set}, {year}"),
    "hs_data_file": ("Tệp số liệu", "Data file"),
    "hs_data_status": ("Tình trạng số liệu", "Data status"),
    "hs_content": ("Nội dung và giải thích", "Indicator and reason"),
    "hs_criterion": ("Tiêu chí {id}: {name}", "Criterion {id}: {name}"),
    "hs_indicators_met": ("{met}/{total} chỉ tiêu đạt", "{met}/{total} indicators met"),
    "hs_ver_yes": ("✓ đã kiểm chứng", "✓ verified"),
    "hs_ver_no": ("✗ chưa kiểm chứng", "✗ unverified"),
    "hs_ver_unknown": ("? chưa rõ ngưỡng", "? threshold unknown"),
    "hs_ver_assumed": ("giả định", "assumed"),
    "hs_other_check": ("phép so sánh khác", "other check"),
    "hs_gap_legend": (
        "Chênh lệch: + phần dư so với ngưỡng, − phần còn thiếu (điểm % với chỉ tiêu tính bằng "
        "%). Kiểm chứng: ngưỡng đã đối chiếu với văn bản có nêu nguồn (✓), là giả thuyết (✗) "
        "hoặc chưa rõ (?).",
        "Gap: + margin over the threshold, − shortfall (percentage points for a percentage). "
        "Verified: the threshold was checked against a cited text (✓), is a hypothesis (✗) or "
        "is unknown (?).",
    ),
    "hs_assumed": (
        "Ngưỡng giả định (--assume), không phải văn bản pháp luật",
        "Assumed thresholds (--assume), not the law",
    ),
    "hs_conditions_none": (
        "Không có điều kiện nào khác được liệt kê.",
        "No other condition is listed.",
    ),
    "hs_prepared": ("Người lập phiếu", "Prepared by"),
    "hs_checked": ("Người kiểm tra", "Checked by"),
    "hs_sign": ("(ký, ghi rõ họ tên)", "(signature and full name)"),
    "hs_date": ("Ngày ..... tháng ..... năm ........", "Date: ...................."),
    "hs_generated": (
        "Lập bằng ntm_rules {v}. Phiếu tự chứa, không tải gì từ mạng.",
        "Made with ntm_rules {v}. Self-contained: nothing is loaded from the network.",
    ),
    "hs_no_report": ("Không có xã nào để lập phiếu.", "No commune to report."),
}
