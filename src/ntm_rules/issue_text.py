"""Problems as a reader reads them, in Vietnamese or English.

Every :class:`~ntm_rules.errors.Issue` keeps its stable `code`, its English `message` and `hint`
(the API and the JSON). For a Vietnamese reader the message and the hint are rewritten from
those English sentences by the patterns below (the quoted values are kept as they are); a
sentence no pattern knows is shown as it is, so nothing is ever lost.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .errors import Issue

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "note": "ghi chú"}

# (English message pattern, Vietnamese template): groups by name, filled as they were matched
MESSAGES: tuple[tuple[str, str], ...] = (
    (
        r"threshold (?P<x>\S+) is outside the range (?P<r>\S+) of measure (?P<m>.+)",
        "ngưỡng {x} nằm ngoài khoảng hợp lệ {r} của số đo {m}",
    ),
    (r"criterion (?P<x>'[^']*') is not in (?P<s>.+)", "tiêu chí {x} không có trong {s}"),
    (r"unknown region code (?P<x>'[^']*')", "mã vùng {x} không có"),
    (
        r"source (?P<x>'[^']*') is not in the `sources:` table",
        "nguồn {x} không có trong bảng `sources:`",
    ),
    (r"indicator id (?P<x>'[^']*') is used twice", "mã chỉ tiêu {x} bị dùng hai lần"),
    (r"(?P<x>'[^']*') is not a year", "{x} không phải là năm"),
    (r"unknown operator (?P<x>'[^']*')", "phép so sánh {x} không có"),
    (r"every value needs a `source`", "mỗi giá trị cần có `source`"),
    (r"expected a number, found (?P<t>.+)", "cần một số, gặp {t}"),
    (r"YAML merge keys \(<<\) are not allowed", "không dùng khóa gộp YAML (<<)"),
    (r"the threshold gives no value", "ngưỡng không có giá trị nào"),
    (r"unknown measure (?P<x>.+)", "số đo {x} không có trong danh mục số đo"),
    (r"unknown key (?P<x>.+)", "khóa {x} không hợp lệ ở đây"),
    (r"required key (?P<x>.+) is missing", "thiếu khóa bắt buộc {x}"),
    (
        r"duplicate key (?P<x>.+) \(first defined on line (?P<n>\d+)\)",
        "khóa {x} bị lặp (đã có ở dòng {n})",
    ),
    (r"unknown column (?P<x>.+)", "cột {x} không rõ là gì"),
    (r"the required column (?P<x>.+) is missing", "thiếu cột bắt buộc {x}"),
    (
        r"column (?P<h>.+) names (?P<k>.+), as column (?P<n>\d+) \((?P<o>.+)\) already does",
        "cột {h} trùng nghĩa với cột {n} ({o}): cùng là {k}",
    ),
    (
        r"column (?P<n>\d+) has no header but row (?P<r>\d+) has data in it",
        "cột {n} không có tiêu đề nhưng dòng {r} có số liệu",
    ),
    (r"(?P<x>.+) is not a number", "{x} không phải là số"),
    (
        r"(?P<x>.+) mixes '\.' and ',' separators",
        "{x} vừa có dấu '.' vừa có dấu ',': không rõ nghĩa",
    ),
    (r"(?P<x>.+) has a space between its digits", "{x} có khoảng trắng giữa các chữ số"),
    (
        r"(?P<x>.+) is outside the range (?P<r>.+) of (?P<m>.+)",
        "{x} nằm ngoài khoảng hợp lệ {r} của {m}",
    ),
    (r"(?P<x>.+): a % sign on (?P<m>.+), which is not a percentage", "{x}: {m} không phải tỷ lệ %"),
    (r"expected true/false, found (?P<x>.+)", "cần giá trị có/không, gặp {x}"),
    (r"expected a number for (?P<m>.+), found (?P<x>.+)", "{m} cần một số, gặp {x}"),
    (r"NaN and infinity are not (?:values|allowed)", "NaN và vô cực không phải là giá trị"),
    (
        r"(?P<m>\S+) counts (?P<u>.+); (?P<x>.+) is not a whole number",
        "{m} đếm {u}; {x} không phải số nguyên",
    ),
    (
        r"(?P<x>.+) \((?P<n>\d+) digits\) is not a plausible value",
        "{x} ({n} chữ số) không phải giá trị hợp lý",
    ),
    (r"the commune name is empty", "tên xã để trống"),
    (r"the (?P<w>data year|recognition year) is empty", "{w} để trống"),
    (r"(?P<y>\d+) is not a plausible year", "{y} không phải năm hợp lý"),
    (
        r"expected a whole year for the (?P<w>.+), found (?P<x>.+)",
        "{w}: cần một năm (số nguyên), gặp {x}",
    ),
    (
        r"the (?P<w>.+) must be a number such as 2024, found a date \((?P<x>.+)\)",
        "{w} phải là số như 2024, gặp một ngày ({x})",
    ),
    (
        r"unknown region (?P<x>'[^']*'); use one of (?P<c>.+)",
        "vùng {x} không có trong danh mục; dùng một trong {c}",
    ),
    (r"unknown region (?P<x>'[^']*')", "vùng {x} không có trong danh mục vùng"),
    (r"province (?P<x>.+) is not in the province map", "tỉnh {x} không có trong danh mục tỉnh"),
    (r"the commune gives neither a region nor a province", "xã không ghi vùng cũng không ghi tỉnh"),
    (r"unknown commune category (?P<x>.+)", "nhóm xã {x} không có trong danh mục"),
    (r"recognized under unknown set (?P<x>.+)", "công nhận theo bộ tiêu chí không có: {x}"),
    (r"a recognition is given without its set", "ghi công nhận nhưng không ghi bộ tiêu chí"),
    (r"unknown tier (?P<x>.+)", "mức {x} không rõ (chuẩn, nâng cao, kiểu mẫu)"),
    (
        r"a recognition under (?P<s>.+) \((?P<p>.+)\) cannot date from (?P<y>\d+)",
        "công nhận theo {s} ({p}) không thể có năm {y}",
    ),
    (
        r"(?P<c>.+) \((?P<y>\d+)\) is already read from (?P<w>.+); this copy is left out",
        "{c} ({y}) đã được đọc từ {w}; bản trùng này bị bỏ qua",
    ),
    (
        r"the row has (?P<n>\d+) cells, the header (?P<m>\d+): a line broken or a cell missing",
        "dòng có {n} ô, tiêu đề có {m}: dòng bị ngắt hoặc thiếu ô",
    ),
    (r"the cell shows the spreadsheet error (?P<x>.+)", "ô đang báo lỗi bảng tính {x}"),
    (
        r"the formula in this cell has no saved value \(the file was never calculated\)",
        "công thức trong ô chưa có giá trị lưu (tệp chưa được tính lại)",
    ),
    (r"this cell is part of the merged range (?P<x>\S+).*", "ô này nằm trong vùng gộp ô {x}"),
    (
        r"the file is (?P<n>[\d,]+) bytes; the limit is (?P<m>[\d,]+)",
        "tệp có {n} byte; giới hạn là {m}",
    ),
    (r"this is (?P<k>.+), not a regular file", "đây không phải tệp thông thường ({k})"),
    (r"the file is UTF-16, not UTF-8", "tệp mã hóa UTF-16, không phải UTF-8"),
    (r"byte (?P<n>\d+) is not valid UTF-8", "byte thứ {n} không phải UTF-8 hợp lệ"),
    (r"the file contains NUL bytes", "tệp chứa byte NUL"),
    (r"the file has no header row", "tệp không có dòng tiêu đề"),
    (r"the table has a header but no data rows", "bảng có tiêu đề nhưng không có dòng số liệu"),
    (r"cannot read the file: (?P<x>.+)", "không đọc được tệp: {x}"),
    (r"more than (?P<n>[\d,]+) data rows", "quá {n} dòng số liệu"),
    (
        r"the header has (?P<n>[\d,]+) cells; at most (?P<m>[\d,]+) columns are read",
        "dòng tiêu đề có {n} ô; chỉ đọc tối đa {m} cột",
    ),
    (r"(?P<n>[\d,]+) more (?:header )?problems are not listed", "còn {n} lỗi khác không liệt kê"),
    (
        r"region (?P<r>\S+) is stated, but (?P<p>.+) is in (?P<q>\S+) \(province map\); "
        r"the stated region (?P<s>\S+) is used",
        "ghi vùng {r}, nhưng {p} thuộc vùng {q} (danh mục tỉnh); dùng vùng đã ghi {s}",
    ),
    (
        r"only the sheet (?P<s>.+) is read; not read: (?P<o>.+)",
        "chỉ đọc trang {s}; không đọc: {o}",
    ),
    (
        r"unknown appraisal result (?P<x>.+): write đạt or không đạt",
        "kết quả thẩm định {x} không rõ",
    ),
    (r"an appraisal names its decision.*", "kết quả thẩm định phải ghi số quyết định"),
    (r"not a commune file \((?P<x>.+)\)", "không phải tệp số liệu xã ({x})"),
    (r"no commune could be read from the input", "không đọc được xã nào từ dữ liệu đã cho"),
    (
        r"(?P<n>\d+) communes match; choose one with --commune NAME or --row N",
        "{n} xã khớp; chọn một xã bằng --commune TÊN hoặc --row SỐ",
    ),
    (
        r"no commune named (?P<x>'[^']*'); the file holds: (?P<l>.+)",
        "không có xã tên {x}; tệp có: {l}",
    ),
    (
        r"no commune on row (?P<r>\d+); the file holds: (?P<l>.+)",
        "không có xã ở dòng {r}; tệp có: {l}",
    ),
    (
        r"unknown criteria set (?P<x>'[^']*')(?P<rest>.*)",
        "không có bộ tiêu chí {x}{rest}",
    ),
    (r"hidden", "tệp ẩn"),
    (
        r"every percentage in this row is at most 1: were shares typed as fractions\?",
        "mọi tỷ lệ % trong dòng này đều không quá 1: có phải đã gõ dạng phân số?",
    ),
    (
        r"a value of at most 1 in a column of percentages: a fraction\?",
        "giá trị không quá 1 trong cột tỷ lệ %: có phải dạng phân số?",
    ),
    (
        r"cannot read value (?P<x>'[^']*'): .*",
        "không đọc được giá trị {x} theo kiểu YAML đã ghi",
    ),
    (
        r"YAML anchors and aliases \(&, \*\) are not allowed",
        "không dùng neo và bí danh YAML (&, *)",
    ),
    (r"cannot tell what kind of file this is", "không nhận ra đây là loại tệp nào"),
    (r"YAML tag (?P<x>.+) is not allowed", "không dùng thẻ YAML {x}"),
    (
        r"expected (?P<w>.+) as a whole number, found (?P<t>.+)",
        "{w} phải là số nguyên, gặp {t}",
    ),
    (
        r"expected a mapping for (?P<w>.+), found (?P<t>.+)",
        "{w} phải là bảng khóa: giá trị, gặp {t}",
    ),
    (r"expected a mapping, found (?P<t>.+)", "cần bảng khóa: giá trị, gặp {t}"),
    (r"(?P<x>.+) is not a plain decimal number", "{x} không phải số thập phân thông thường"),
    (
        r"a commune gives either year \(one data year\) or years \(several\), not both",
        "một xã ghi year (một năm số liệu) hoặc years (nhiều năm), không ghi cả hai",
    ),
    (r"years must list at least one year", "years phải có ít nhất một năm"),
)

HINTS: tuple[tuple[str, str], ...] = (
    (
        r"name a measure by its key, Vietnamese or English label \(see `ntm-check template`\), "
        r"or an identity column: (?P<x>.+)",
        "đặt tên cột là khóa số đo, nhãn tiếng Việt hoặc tiếng Anh (xem `ntm-check template`), "
        "hoặc một cột định danh: {x}",
    ),
    (r"allowed keys: (?P<x>.+)", "các khóa được dùng: {x}"),
    (r"name a key of the `sources:` table", "ghi một khóa của bảng `sources:`"),
    (r"write the keys out in full", "ghi đầy đủ các khóa"),
    (r"one of: (?P<x>'.+)", "một trong: {x}"),
    (
        r"add all_regions, by_region or by_year \(use value: null for a gap\)",
        "thêm all_regions, by_region hoặc by_year (value: null cho giá trị chưa rõ)",
    ),
    (r"did you mean (?P<x>.+)\?(?P<rest>.*)", "có phải {x}?{rest}"),
    (r"write the year, e\.g\. 2024", "ghi năm, ví dụ 2024"),
    (
        r"write digits with one '\.' or ',' as the decimal mark",
        "ghi chữ số, dùng một dấu '.' hoặc ',' làm dấu thập phân",
    ),
    (
        r"write the number without (?:spaces or )?thousands separators, e\.g\. 1234\.5",
        "ghi số không có dấu cách hay dấu phân cách hàng nghìn, ví dụ 1234,5",
    ),
    (r"percentages are written 0\.\.100 \(85 means 85%\)", "tỷ lệ ghi từ 0 đến 100 (85 là 85%)"),
    (r"write true/false, có/không or đạt/không đạt", "ghi có/không hoặc đạt/không đạt"),
    (r"leave it empty", "để trống"),
    (r"type 92 for 92%, not 0,92", "gõ 92 cho 92%, không gõ 0,92"),
    (r"check the path", "kiểm tra đường dẫn"),
    (r"split the data into several files", "chia số liệu thành nhiều tệp"),
    (r"check the quotes and separators of this line", "kiểm tra dấu ngoặc kép và dấu phân cách"),
    (
        r"remove the copy; a commune is identified by its code, or by province, district and name",
        "bỏ bản trùng; xã được nhận biết theo mã xã, hoặc theo tỉnh, huyện và tên",
    ),
    (
        r"check the region; leave it empty to take the province's",
        "kiểm tra vùng; để trống để lấy vùng theo tỉnh",
    ),
    (r"name the set, e\.g\. ntm-2016-2020", "ghi bộ tiêu chí, ví dụ ntm-2016-2020"),
    (
        r"only regular files are read; copy the data into a file",
        "chỉ đọc tệp thông thường; hãy chép số liệu ra một tệp",
    ),
    (r"use one of (?P<x>.+) or the region's Vietnamese name", "dùng một trong {x} hoặc tên vùng"),
    (r"known: (?P<x>.+)", "các nhóm có: {x}"),
    (
        r"give the region with a code such as TN or the region's Vietnamese name",
        "ghi vùng bằng mã (ví dụ TN) hoặc tên vùng",
    ),
    (
        r"state the region \(e\.g\. TN\), or check the province name",
        "ghi vùng (ví dụ TN), hoặc kiểm tra tên tỉnh",
    ),
    (r"add a column headed (?P<x>.+)", "thêm cột có tiêu đề {x}"),
    (r"keep one of the two columns", "giữ một trong hai cột"),
    (r"name the column or delete its data", "đặt tên cột hoặc xóa số liệu của cột"),
    (
        r"save it as UTF-8 .*|save the file as UTF-8.*",
        "lưu lại dưới dạng UTF-8 (trong Excel: 'CSV UTF-8')",
    ),
    (
        r"fix the problems above \(often one wrong column\) and run again",
        "sửa các lỗi trên (thường do một cột sai) rồi chạy lại",
    ),
    (
        r"put every commune on one sheet, or name the sheet to read 'communes' or 'Xã'",
        "đặt mọi xã trên một trang, hoặc đặt tên trang cần đọc là 'communes' hoặc 'Xã'",
    ),
    (
        r"open the file in Excel or LibreOffice and save it, or type the value",
        "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc gõ giá trị",
    ),
    (r"write the value out in full", "ghi đầy đủ giá trị"),
    (
        r"criteria files start with `kind: criteria-set` or `kind: overlay`; commune files have "
        r"`name`, `year` and `measures`",
        "tệp bộ tiêu chí bắt đầu bằng `kind: criteria-set` hoặc `kind: overlay`; tệp xã có "
        "`name`, `year` và `measures`",
    ),
    (r"remove or rename one of them", "xóa hoặc đổi tên một trong hai"),
    (
        r"one of: standard \(chuẩn\), advanced \(nâng cao\), model \(kiểu mẫu\)",
        "một trong: chuẩn, nâng cao, kiểu mẫu",
    ),
    (r"the valid range is (?P<r>.+)", "khoảng hợp lệ là {r}"),
    (r"is it a binary file\?", "có phải tệp nhị phân?"),
    (r"write the number in (?P<u>.+)", "ghi số theo đơn vị {u}"),
    (r"remove the '!' tag; only plain data is read", "bỏ thẻ '!'; chỉ đọc dữ liệu thuần"),
    (r"remove the '!' tag", "bỏ thẻ '!'"),
    (
        r"write digits only, without leading zeros, '_', ':' or 0x \(e\.g\. 75 or 44\.8\); "
        r"quote it if it is text",
        "chỉ ghi chữ số, không có số 0 đứng đầu, '_', ':' hay 0x (ví dụ 75 hoặc 44,8); nếu là "
        "chữ thì đặt trong dấu nháy",
    ),
    (r"move this year's values under years:", "chuyển số liệu của năm này vào years:"),
    (r"format the cell as a number, not a date", "định dạng ô là số, không phải ngày"),
)

Patterns = tuple[tuple[re.Pattern[str], str], ...]


@cache
def _compiled(kind: str) -> Patterns:
    """The patterns of `kind` (messages or hints), compiled when first needed."""
    table = MESSAGES if kind == "messages" else HINTS
    return tuple((re.compile(p + r"\Z", re.S), v) for p, v in table)


# a measure's unit code, as a Vietnamese reader says it (group "u" of a pattern)
UNITS_VI = {
    "children": "trẻ em",
    "establishments": "cơ sở",
    "households": "hộ",
    "houses": "nhà",
    "persons": "người",
    "pupils": "học sinh",
    "schools": "trường",
    "villages": "thôn",
    "models": "mô hình",
    "units": "đơn vị",
    "points": "điểm",
    "tonnes_per_year": "tấn/năm",
    "m2_per_person": "m²/người",
    "million_vnd_per_person_year": "triệu đồng/người/năm",
}


# what an English message names (group "w") and the types it found (group "t")
WHAT_VI = {
    "data year": "năm số liệu",
    "recognition year": "năm công nhận",
    "the measures table": "bảng số đo",
    "the years table": "bảng các năm",
    "a commune": "một xã",
    "the recognition block": "khối công nhận",
    "an indicator": "một chỉ tiêu",
    "a criterion": "một tiêu chí",
    "a value cell {value, verified, source}": "một ô giá trị {value, verified, source}",
}
TYPES_VI = {
    "text": "chữ",
    "a number": "một số",
    "a whole number": "một số nguyên",
    "nothing (null)": "giá trị rỗng (null)",
    "a list": "một danh sách",
    "a mapping": "một bảng khóa: giá trị",
    "true/false": "có/không",
    "a boolean": "một giá trị có/không",
    "a date": "một ngày",
}


def _rewrite(text: str, table: Patterns) -> str:
    for pattern, template in table:
        found = pattern.match(text)
        if found is not None:
            groups = found.groupdict()
            for key, words in (("u", UNITS_VI), ("w", WHAT_VI), ("t", TYPES_VI)):
                if groups.get(key) is not None:
                    groups[key] = words.get(groups[key], groups[key])
            return template.format(**groups)
    return text


def message(issue: Issue, lang: str) -> str:
    """The issue's message in `lang` (the English sentence when no pattern knows it)."""
    return issue.message if lang == "en" else _rewrite(issue.message, _compiled("messages"))


def hint(issue: Issue, lang: str) -> str:
    return issue.hint if lang == "en" else _rewrite(issue.hint, _compiled("hints"))


def error_text(text: str, lang: str) -> str:
    """The message of an error raised without an issue, in `lang` (as far as known)."""
    return text if lang == "en" else _rewrite(text, _compiled("messages"))


def issue_text(issue: Issue, lang: str) -> str:
    """``file:J4 (column): lỗi[bad-number] '38,5 tr' không phải là số — ghi chữ số, …``"""
    severity = issue.severity if lang == "en" else SEVERITY_VI.get(issue.severity, issue.severity)
    where = f"{issue.location} [{issue.subject}]" if issue.subject else str(issue.location)
    text = f"{where}: {severity}[{issue.code}] {message(issue, lang)}"
    shown_hint = hint(issue, lang)
    return text + (f" — {shown_hint}" if shown_hint else "")


def row_error(issue: Issue) -> dict[str, Any]:
    """A table row left out, as the batch JSON lists it (``row_errors``)."""
    where = issue.location
    return {
        "file": where.file,
        "row": where.line,
        "column": where.path,
        "cell": where.cell,
        "commune": issue.subject,
        "code": issue.code,
        "message": issue.message,
        "hint": issue.hint,
        "text": {lang: message(issue, lang) for lang in ("vi", "en")},
        "hint_text": {lang: hint(issue, lang) for lang in ("vi", "en")},
    }
