"""Words of progress over years, merged into the one word table (:data:`ntm_rules.words.WORDS`)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "yr_title": (
        "Diễn biến qua các năm — {name} (theo {set})",
        "Progress over years — {name} ({set})",
    ),
    "yr_same_set": (
        "Mọi năm được chấm theo cùng một bộ tiêu chí, nên thay đổi là của xã, không phải của quy "
        "định.",
        "Every year is scored against the same set, so a change is the commune's, not the law's.",
    ),
    "yr_verdict_line": (
        "{year}: {verdict} ({met}/{total} tiêu chí đạt)",
        "{year}: {verdict} ({met}/{total} criteria met)",
    ),
    "yr_change": ("{a} → {b}: {from_v} → {to_v}", "{a} → {b}: {from_v} → {to_v}"),
    "yr_gained": ("đạt thêm tiêu chí {ids}", "criteria gained: {ids}"),
    "yr_lost": ("không còn đạt tiêu chí {ids}", "criteria lost: {ids}"),
    "yr_undecided": (
        "tiêu chí {ids} đã đạt nay chưa xác định (thiếu số liệu hoặc ngưỡng chưa rõ)",
        "criteria {ids} passed, now undecided (missing data or unknown threshold)",
    ),
    "yr_unchanged": ("{a} → {b}: không đổi ({v})", "{a} → {b}: unchanged ({v})"),
    "yr_col_indicator": ("Chỉ tiêu", "Indicator"),
    "yr_marks": (
        "✓ đạt, ✗ không đạt, ? chưa xác định (thiếu số liệu hoặc ngưỡng chưa rõ).",
        "✓ pass, ✗ fail, ? undecided (missing data or unknown threshold).",
    ),
    "yr_col_change": ("Thay đổi (năm cuối)", "Change (last year)"),
    "yr_col_direction": ("Xu hướng", "Direction"),
    "yr_better": ("tốt lên", "better"),
    "yr_worse": ("xấu đi", "worse"),
    "yr_same": ("không đổi", "unchanged"),
    "yr_hidden": (
        "{n} chỉ tiêu không đổi qua các năm (hoặc không có số liệu) không hiện; --format json "
        "có đủ.",
        "{n} indicators unchanged over the years (or without data) are not shown; --format json "
        "has them all.",
    ),
    "yr_growth": (
        "{ind} ({measure}): tăng bình quân {rate}/năm ({y0}–{y1}); năm {next} ước đạt {projected}",
        "{ind} ({measure}): mean growth {rate} a year ({y0}–{y1}); {next} projected at {projected}",
    ),
    "yr_growth_reaches": (
        "ngưỡng năm {next} là {level}: đủ",
        "the {next} level is {level}: enough",
    ),
    "yr_growth_short": (
        "ngưỡng năm {next} là {level}: chưa đủ",
        "the {next} level is {level}: not enough",
    ),
    "yr_growth_unknown": (
        "ngưỡng năm {next} chưa rõ: đủ nếu ngưỡng không quá {projected}",
        "the {next} level is unknown: enough if it is at most {projected}",
    ),
    "yr_growth_outside": (
        "năm {next} ngoài giai đoạn của bộ {set}: bộ này không cho ngưỡng năm đó",
        "{next} is outside the period of {set}: this set gives no level for it",
    ),
    "yr_watch_yes": (
        "Cảnh báo thu hồi: xã đã công nhận ({rec}) nằm trong diện thu hồi hai lần đánh giá liên "
        "tiếp ({years}; QĐ 18/2022/QĐ-TTg)",
        "Revocation watch: the recognised commune ({rec}) is in the revocation frame in two "
        "consecutive assessments ({years}; Decision 18/2022/QĐ-TTg)",
    ),
    "yr_watch_maybe": (
        "Có thể phải theo dõi thu hồi: xã đã công nhận ({rec}) có thể nằm trong diện thu hồi hai "
        "lần liên tiếp ({years}), tùy các tiêu chí chưa xác định",
        "Possible revocation watch: the recognised commune ({rec}) may be in the revocation frame "
        "in two consecutive assessments ({years}), depending on undecided criteria",
    ),
    "yr_watch_no": (
        "Không thuộc diện theo dõi thu hồi: chưa có hai lần đánh giá liên tiếp trong diện thu hồi "
        "({years})",
        "No revocation watch: not in the revocation frame in two consecutive assessments ({years})",
    ),
    # --- batch --------------------------------------------------------------------------------
    "yr_batch_title": ("Diễn biến qua các năm (theo {set})", "Progress over years ({set})"),
    "yr_batch_note": (
        "{n} xã có số liệu nhiều năm; số liệu chung ở trên tính mỗi xã một lần, theo năm gần nhất "
        "({rows} dòng của các năm trước không tính vào).",
        "{n} communes have several data years; the headline above counts each commune once, in its"
        " latest year ({rows} rows of earlier years left out of it).",
    ),
    "yr_batch_changed": (
        "Xã thay đổi kết luận giữa các năm",
        "Communes whose verdict changed between years",
    ),
    "yr_batch_none_changed": (
        "Không xã nào thay đổi kết luận giữa các năm.",
        "No commune changed verdict between years.",
    ),
    "yr_batch_watch": (
        "Theo dõi thu hồi (hai lần đánh giá liên tiếp trong diện thu hồi)",
        "Revocation watch (in the revocation frame in two consecutive assessments)",
    ),
    "yr_batch_none_watch": (
        "Không xã nào thuộc diện theo dõi thu hồi.",
        "No commune is on the revocation watch.",
    ),
    "yr_batch_moving": (
        "Chỉ tiêu thay đổi nhiều nhất giữa năm đầu và năm cuối",
        "Indicators that moved most between the first and the last year",
    ),
    "yr_moving_legend": (
        "Mỗi ô: số xã đạt / số xã đã xác định được (đạt hoặc không đạt) trong năm, trong các xã "
        "có số liệu nhiều năm; thay đổi: số xã đạt năm cuối trừ năm đầu.",
        "Each cell: communes passing / communes decided (pass or fail) that year, among the "
        "communes with several years; change: passing in the last year minus the first.",
    ),
    "yr_col_change_total": ("Thay đổi (cuối − đầu)", "Change (last − first)"),
    "yr_progress_short": ("Qua các năm", "Over the years"),
    "yr_col_commune": ("Xã", "Commune"),
    "yr_col_years": ("Các năm", "Years"),
    "yr_col_verdicts": ("Kết luận theo năm", "Verdicts by year"),
    "yr_col_criteria": ("Tiêu chí", "Criteria"),
    "yr_col_watch": ("Theo dõi", "Watch"),
    "yr_watch_legend": (
        "Theo dõi: “có” — trong diện thu hồi hai lần đánh giá liên tiếp; “có thể” — sẽ như vậy "
        "nếu các tiêu chí chưa xác định không đạt. Trong ngoặc: diện thu hồi từng năm (a, b: "
        "trường hợp của QĐ 18/2022/QĐ-TTg; —: ngoài diện; ?: chưa xác định).",
        "Watch: “yes” — in the revocation frame in two consecutive assessments; “possibly” — "
        "so if the undecided criteria fail. In brackets: the frame year by year (a, b: the "
        "cases of Decision 18/2022/QĐ-TTg; —: outside; ?: undecided).",
    ),
    "yr_watch_word_yes": ("có", "yes"),
    "yr_watch_word_maybe": ("có thể", "possibly"),
}
