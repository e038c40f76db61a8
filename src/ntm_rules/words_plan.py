"""Words of the plan feature, merged into the one word table (:data:`ntm_rules.words.WORDS`)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # --- the rules a plan states -------------------------------------------------------------
    "plan_order_rule": (
        "Thứ tự: tiêu chí có ít chỉ tiêu không đạt nhất làm trước; nếu bằng nhau, tiêu chí có "
        "mức thiếu hụt tương đối lớn nhất nhỏ hơn làm trước, rồi theo thứ tự trong bộ tiêu chí; "
        "trong một tiêu chí, bước có mức thiếu hụt tương đối nhỏ hơn làm trước. Mức thiếu hụt "
        "tương đối = |mục tiêu − hiện tại| / giá trị lớn hơn trong hai; bước có/không hoặc chưa "
        "có số liệu tính 100%. Các điều kiện công nhận xếp như một nhóm tiêu chí.",
        "Order: the criterion with the fewest failing indicators first; on a tie, the one whose "
        "largest relative shortfall is smaller, then the set's order; within a criterion, the "
        "smallest relative shortfall first. Relative shortfall = |target − current| / the larger "
        "of the two; a yes/no step, or one without a value, counts 100%. The recognition "
        "conditions are ordered as one more criterion.",
    ),
    "plan_strict_rule": (
        "Ngưỡng “≥”, “≤”, “=”: mục tiêu đúng bằng ngưỡng. Ngưỡng “>”, “<”: mục tiêu vượt ngưỡng "
        "một bước nhỏ nhất — 1 với số đếm, còn lại một đơn vị ở chữ số thập phân cuối của "
        "ngưỡng, ít nhất 0,1 (vd. > 90% → 90,1%).",
        "For “≥”, “≤”, “=” the target is the threshold itself. For “>”, “<” it is one smallest "
        "step beyond the threshold: 1 for counts, otherwise one unit of the threshold's last "
        "decimal, at least 0.1 (e.g. > 90% → 90.1%).",
    ),
    "plan_within_order_rule": (
        "Thứ tự: ít chỉ tiêu không đạt nhất trước, rồi ít chỉ tiêu chưa xác định nhất, rồi theo "
        "thứ tự đầu vào. Chỉ tiêu không đạt tính cả điều kiện công nhận.",
        "Order: fewest failing indicators first, then fewest undecided indicators, then input "
        "order. Failing indicators include the recognition conditions.",
    ),
    # --- a plan ------------------------------------------------------------------------------
    "plan_title": ("Kế hoạch đạt chuẩn {set}", "Plan to reach the standard of {set}"),
    "plan_recognition": ("Điều kiện công nhận", "Recognition conditions"),
    "plan_action_raise": ("nâng lên", "raise to"),
    "plan_action_lower": ("giảm xuống", "lower to"),
    "plan_action_set": ("đưa về bằng", "set to"),
    "plan_action_achieve": ("thực hiện đạt", "achieve"),
    "plan_action_reappraise": ("đáp ứng và thẩm định lại", "meet it and have it re-appraised"),
    "plan_col_rank": ("#", "#"),
    "plan_col_criterion": ("Tiêu chí", "Criterion"),
    "plan_col_indicator": ("Chỉ tiêu", "Indicator"),
    "plan_col_measure": ("Số đo", "Measure"),
    "plan_col_action": ("Việc cần làm", "Action"),
    "plan_col_now": ("Hiện tại", "Now"),
    "plan_col_target": ("Mục tiêu", "Target"),
    "plan_col_change": ("Mức thay đổi", "Change"),
    "plan_col_closes": ("Hoàn thành tiêu chí", "Closes"),
    "plan_col_met": ("Tiêu chí đạt", "Criteria met"),
    "plan_no_value": ("chưa có số liệu", "no data"),
    "plan_achieved": ("đạt", "achieved"),
    "plan_closed_pass": ("{crit} ✓", "{crit} ✓"),
    "plan_closed_indeterminate": ("{crit} (còn chưa xác định)", "{crit} (still undecided)"),
    "plan_now_line": (
        "Hiện nay: {verdict} — đạt {met}/{total} tiêu chí; {n} chỉ tiêu không đạt.",
        "Now: {verdict} — {met}/{total} criteria met; {n} failing indicators.",
    ),
    "plan_now_line_one": (
        "Hiện nay: {verdict} — đạt {met}/{total} tiêu chí; {n} chỉ tiêu không đạt.",
        "Now: {verdict} — {met}/{total} criteria met; {n} failing indicator.",
    ),
    "plan_reach_certified": (
        "Xã đã đạt chuẩn theo {set}: không cần bước nào.",
        "The commune is already certified under {set}: nothing to do.",
    ),
    "plan_reach_reaches": (
        "Làm đủ các bước trên, xã đạt chuẩn ({met}/{total} tiêu chí).",
        "With every step above done, the commune reaches the standard ({met}/{total} criteria).",
    ),
    "plan_reach_if_undecided_pass": (
        "Làm đủ các bước trên, xã đạt chuẩn nếu các chỉ tiêu chưa xác định sau đây cũng đạt "
        "({met}/{total} tiêu chí đạt chắc chắn):",
        "With every step above done, the commune reaches the standard if the undecided "
        "indicators below pass too ({met}/{total} criteria surely met):",
    ),
    "plan_reach_undecided_only": (
        "Không có chỉ tiêu nào không đạt: xã đạt chuẩn nếu các chỉ tiêu chưa xác định sau đây "
        "đạt ({met}/{total} tiêu chí đạt chắc chắn):",
        "No indicator fails: the commune reaches the standard if the undecided indicators "
        "below pass ({met}/{total} criteria surely met):",
    ),
    "plan_reach_needs_prerequisite": (
        "Các bước trên chưa đủ: xã phải đạt chuẩn trước theo {sets}.",
        "The steps above are not enough: the commune must first be certified under {sets}.",
    ),
    "plan_unverified_mark": ("* ngưỡng chưa kiểm chứng", "* unverified threshold"),
    # --- communes within reach ---------------------------------------------------------------
    "plan_within_title": (
        "Các xã chưa đạt chuẩn còn không quá {n} chỉ tiêu không đạt",
        "Communes not certified within {n} failing indicators of the standard",
    ),
    "plan_within_none": ("Không có xã nào.", "No commune."),
    "plan_col_commune": ("Xã", "Commune"),
    "plan_col_set": ("Bộ tiêu chí", "Set"),
    "plan_col_verdict": ("Kết luận", "Verdict"),
    "plan_col_failing": ("Chỉ tiêu không đạt", "Failing indicators"),
    "plan_col_criteria_failing": ("Tiêu chí không đạt", "Failing criteria"),
    "plan_col_undecided": ("Chỉ tiêu chưa xác định", "Undecided indicators"),
}
