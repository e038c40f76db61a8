"""`--help` in Vietnamese: the commands' help is written in English in the code; for a Vietnamese
reader (the default, unless ``--lang en`` or ``NTM_RULES_LANG=en``) every text below replaces
its English original when the help is shown, and click's own words (Usage, Options…) follow.
A help text without an entry here is shown in English (a test keeps the table complete)."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

HELP_VI: dict[str, str] = {
    "Chấm điểm xã theo Bộ tiêu chí quốc gia về nông thôn mới / Check Vietnamese communes against "
    "the national new-rural (NTM) criteria. `ntm-check COMMUNE.yaml` is short for `ntm-check "
    "check COMMUNE.yaml`.": "Chấm điểm xã theo Bộ tiêu chí quốc gia về xã nông thôn mới. "
    "`ntm-check TEP-XA.yaml` là cách viết ngắn của `ntm-check check TEP-XA.yaml`. Thêm `--lang "
    "en` để xem hướng dẫn tiếng Anh.",
    "Score communes against the set in force for their data year, or the sets named.": "Chấm "
    "điểm xã theo bộ tiêu chí có hiệu lực ở năm số liệu, hoặc theo các bộ được chỉ định.",
    "Commune files (YAML, CSV, XLSX) or directories of them.": "Tệp số liệu xã (YAML, CSV, "
    "XLSX) hoặc thư mục chứa các tệp đó.",
    "Criteria set id or file (repeat: first = old).": "Mã hoặc tệp bộ tiêu chí (ghi nhiều lần: "
    "bộ đầu là bộ cũ).",
    "Output format.": "Dạng kết quả.",
    "Ngôn ngữ / language: vi (mặc định / default) or en; also NTM_RULES_LANG.": "Ngôn ngữ: vi "
    "(mặc định) hoặc en; cũng đặt được bằng biến môi trường NTM_RULES_LANG.",
    "Exit 1 unless every commune is certified.": "Thoát với mã 1 nếu có xã không đạt chuẩn.",
    "Scoring engine.": "Bộ máy chấm điểm.",
    "Evaluate every tier (standard, advanced, model) and show the highest reached and the gaps "
    "to the next.": "Chấm mọi mức (chuẩn, nâng cao, kiểu mẫu), cho biết mức cao nhất đạt được "
    "và phần còn thiếu để lên mức tiếp theo.",
    "For each commune: the steps that reach the standard, in order.": "Với mỗi xã: các việc cần "
    "làm để đạt chuẩn, theo thứ tự.",
    "Write the printable sheet of each commune (with --plan, its plan) as HTML.": "Ghi phiếu "
    "đánh giá của từng xã (với --plan, kèm kế hoạch) ra tệp HTML để in.",
    "Overwrite existing output files.": "Ghi đè tệp kết quả đã có.",
    "A what-if threshold, e.g. 10@TN:2024=45 (repeat it; @FILE reads one per line). Every result "
    "that uses one is marked assumed, never verified.": "Ngưỡng giả định, ví dụ 10@TN:2024=45 "
    "(ghi nhiều lần; @TEP đọc mỗi dòng một ngưỡng). Kết quả dùng ngưỡng này được ghi là giả "
    "định, không bao giờ là đã kiểm chứng.",
    "A criteria directory to use instead of the shipped one.": "Thư mục bộ tiêu chí dùng thay "
    "cho thư mục đi kèm.",
    "Which communes keep, lose or gain certification from one set to another.": "Xã nào giữ, "
    "mất hay mới đạt chuẩn khi chuyển từ bộ tiêu chí này sang bộ khác.",
    "The old set.": "Bộ tiêu chí cũ.",
    "The new set.": "Bộ tiêu chí mới.",
    "Score a whole province: headline figures, lost certifications, hard criteria, gaps.": "Chấm "
    "cả tỉnh: số liệu tổng hợp, xã mất chuẩn, tiêu chí khó đạt, số liệu còn thiếu.",
    "Write a self-contained HTML report.": "Ghi báo cáo HTML (mở được không cần mạng).",
    "Write per-commune results as XLSX.": "Ghi kết quả từng xã ra tệp Excel (XLSX).",
    "Write per-commune results as CSV.": "Ghi kết quả từng xã ra tệp CSV.",
    "For --csv and --long: standard (',' and the decimal point), or excel-vi (';' and the "
    "decimal comma, for Excel under Vietnamese regional settings).": "Cho --csv và --long: "
    "standard (dấu ',' giữa các ô, dấu chấm thập phân), hoặc excel-vi (dấu ';' và dấu phẩy "
    "thập phân, cho Excel cài đặt vùng Việt Nam).",
    "Write one row per commune, set and indicator check as CSV.": "Ghi mỗi xã × bộ tiêu chí × "
    "phép so sánh chỉ tiêu một dòng, ra tệp CSV (dạng dài).",
    "Write every result as a SQLite database.": "Ghi toàn bộ kết quả ra cơ sở dữ liệu SQLite.",
    "Write the input workbook back with every problem marked on its cell.": "Ghi lại chính bảng "
    "Excel đầu vào, đánh dấu mỗi lỗi ngay trên ô của nó.",
    "Stop (exit 2) on any bad row instead of skipping it.": "Dừng (mã 2) khi có dòng lỗi thay vì "
    "bỏ qua dòng đó.",
    "Also count communes per highest tier (standard, advanced, model).": "Đếm thêm số xã theo mức "
    "cao nhất đạt được (chuẩn, nâng cao, kiểu mẫu).",
    "Why a criterion passed or failed: every indicator, value, threshold and source.": "Vì sao "
    "một tiêu chí đạt hay không đạt: từng chỉ tiêu, giá trị, ngưỡng và nguồn.",
    "A commune file (YAML, CSV, XLSX).": "Tệp số liệu xã (YAML, CSV, XLSX).",
    "Criterion (e.g. 10) or indicator (e.g. 13.3).": "Tiêu chí (ví dụ 10) hoặc chỉ tiêu (ví dụ "
    "13.3).",
    "Criteria set.": "Bộ tiêu chí.",
    "The commune, in a file of several.": "Tên xã, khi tệp có nhiều xã.",
    "The commune on this row (as Excel numbers it).": "Xã ở dòng này (số dòng như Excel đánh).",
    "List the criteria sets and overlays: decision, period, counts, verified share.": "Liệt kê "
    "các bộ tiêu chí và bộ của tỉnh: quyết định, giai đoạn, số chỉ tiêu, tỷ lệ đã kiểm chứng.",
    "Show a set's effective thresholds with their source and verification mark.": "Hiện các "
    "ngưỡng của một bộ tiêu chí, kèm nguồn và dấu kiểm chứng.",
    "Set id or file.": "Mã hoặc tệp bộ tiêu chí.",
    "Region: a code such as TN, or its Vietnamese name.": "Vùng: mã như TN, hoặc tên vùng.",
    "Year for year-dependent values.": "Năm, cho các ngưỡng thay đổi theo năm.",
    "Indicators added, removed, moved and changed (per region) between two sets.": "Chỉ tiêu "
    "thêm, bỏ, đổi số thứ tự và thay đổi ngưỡng (theo vùng) giữa hai bộ tiêu chí.",
    "Year to read OLD's values at.": "Năm đọc ngưỡng của bộ cũ.",
    "Year to read NEW's values at.": "Năm đọc ngưỡng của bộ mới.",
    "Check files and report every problem with its place; exit 2 if any.": "Kiểm tra tệp và báo "
    "mọi lỗi kèm vị trí; thoát với mã 2 nếu có lỗi.",
    "Criteria, overlay or commune files, or directories.": "Tệp bộ tiêu chí, bộ của tỉnh hoặc "
    "số liệu xã, hoặc thư mục.",
    "A blank commune file (YAML) or data-collection workbook (XLSX) for the sets a run uses:\n"
    "every measure they read, with units, vi/en labels and, in XLSX, data validation.": "Tệp xã "
    "trống (YAML) hoặc bảng Excel thu thập số liệu (XLSX) cho các bộ tiêu chí sẽ dùng: mọi số "
    "đo các bộ đó cần, kèm đơn vị, nhãn tiếng Việt/Anh và, trong XLSX, danh sách chọn.",
    "Set ids or files (several: the union of their measures).": "Mã hoặc tệp bộ tiêu chí "
    "(nhiều bộ: gộp các số đo của chúng).",
    "yaml: a commune file on stdout; xlsx: the data-collection workbook (needs --output).": "yaml: "
    "tệp xã in ra màn hình; xlsx: bảng Excel thu thập số liệu (cần --output).",
    "File to write.": "Tệp cần ghi.",
    "Merge communes into one (the 2025 reorganisation): each measure by its `combine` rule in\n"
    "measures.yaml; a part without a value or a weight leaves the merged value missing. Writes a\n"
    "commune file that `ntm-check FILE` scores; with --set, says on stderr which certified\n"
    "statuses and criteria the merger loses under that set.": "Gộp nhiều xã thành một (sắp xếp "
    "năm 2025): mỗi số đo theo quy tắc `combine` trong measures.yaml; xã cũ thiếu giá trị hoặc "
    "mẫu số thì giá trị gộp để trống. Ghi một tệp xã để `ntm-check TEP` chấm; với --set, cho "
    "biết (trên stderr) các trạng thái đạt chuẩn và tiêu chí bị mất do sáp nhập.",
    "Name of the merged commune.": "Tên xã sau sáp nhập.",
    "Merge a whole province by a mapping table instead of --name: CSV (a header, then old commune "
    "name or code, new commune name) or YAML (old: new).": "Gộp cả tỉnh theo bảng sắp xếp thay "
    "cho --name: CSV (dòng tiêu đề, rồi tên hoặc mã xã cũ, tên xã mới) hoặc YAML (cũ: mới).",
    "Commune file to write (default: standard output).": "Tệp xã cần ghi (mặc định: in ra màn "
    "hình).",
    "Province of the merged commune (default: the parts' own).": "Tỉnh của xã mới (mặc định: "
    "tỉnh của các xã cũ).",
    "District of the merged commune, if any.": "Huyện của xã mới, nếu có.",
    "Code of the merged commune.": "Mã xã mới.",
    "Region code, needed when the parts lie in different regions.": "Mã vùng, cần khi các xã cũ "
    "thuộc các vùng khác nhau.",
    "Print the version.": "In số phiên bản.",
    "Provincial overlays: `overlay init SET --province P` writes a skeleton to fill.": "Bộ tiêu "
    "chí của tỉnh: `overlay init BO --province TINH` tạo khung để điền.",
    "An overlay listing every unknown and unverified threshold of the province's region, each\n"
    "with its national context and an empty source, to fill from the provincial decision.": "Khung "
    "bộ tiêu chí của tỉnh: mọi ngưỡng chưa rõ hoặc chưa kiểm chứng của vùng, kèm bối cảnh quốc "
    "gia và nguồn để trống, để điền theo quyết định của tỉnh.",
    "The set the overlay extends.": "Bộ tiêu chí quốc gia mà bộ của tỉnh bổ sung.",
    "The province.": "Tỉnh.",
}

# click's own words, as they appear in the formatted help
_CLICK_VI = (
    (re.compile(r"^Usage:", re.M), "Cách dùng:"),
    (re.compile(r"^Options:", re.M), "Tùy chọn:"),
    (re.compile(r"^Arguments:", re.M), "Tham số:"),
    (re.compile(r"^Commands:", re.M), "Lệnh:"),
    (re.compile(r"Show this message and exit\."), "Hiện hướng dẫn này rồi thoát."),
    (re.compile(r"\[default: "), "[mặc định: "),
    (re.compile(r"\[required\]"), "[bắt buộc]"),
    (re.compile(r"\[env var: "), "[biến môi trường: "),
    (re.compile(r"; default: "), "; mặc định: "),
)


def help_lang(argv: list[str] | None = None) -> str:
    """The language of `--help`: ``--lang en`` on the command line, else NTM_RULES_LANG, else
    Vietnamese."""
    args = sys.argv[1:] if argv is None else argv
    for k, word in enumerate(args):
        if word == "--lang" and k + 1 < len(args):
            return "en" if args[k + 1] == "en" else "vi"
        if word.startswith("--lang="):
            return "en" if word.split("=", 1)[1] == "en" else "vi"
    return "en" if os.environ.get("NTM_RULES_LANG") == "en" else "vi"


def _vi(text: str | None) -> str | None:
    if not text:
        return text
    return HELP_VI.get(text.strip(), text)


def translate(command: Any, args: list[str] | None = None) -> Any:
    """`command` (and its subcommands) with Vietnamese help, unless the reader asked for
    English. Typer builds the commands afresh for every run, so nothing leaks between runs."""
    if help_lang(args) != "vi" or getattr(command, "_ntm_vi", False):
        return command
    command.help = _vi(command.help)
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = _vi(param.help)
    original = command.format_help

    def format_help(ctx: Any, formatter: Any) -> None:
        original(ctx, formatter)
        text = "".join(formatter.buffer)
        for pattern, words in _CLICK_VI:
            text = pattern.sub(words, text)
        formatter.buffer[:] = [text]

    command.format_help = format_help
    command._ntm_vi = True
    for sub in (getattr(command, "commands", None) or {}).values():
        translate(sub, args)
    return command
