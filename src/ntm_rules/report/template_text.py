"""The words of the data-collection workbook (:mod:`ntm_rules.report.template_xlsx`), in
Vietnamese and English: the guide sheet, the data-validation prompts and the measures sheet."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.commune import TIERS


@dataclass(frozen=True)
class _Words:
    boolean: str
    percent: str
    count: str
    number: str
    region: str
    year: str
    tier: str
    range: str
    title: str
    bad: str
    measures_head: tuple[str, ...]
    guide_sheet: str
    guide: tuple[str, ...]

    def kind(self, measure_type: str) -> str:
        return str(getattr(self, measure_type))


_TEXT = {
    "vi": _Words(
        boolean="có / không (cũng nhận TRUE/FALSE, đạt/không đạt, x); để trống nếu chưa có số liệu",
        percent="tỷ lệ % từ 0 đến 100 (85 nghĩa là 85%)",
        count="số nguyên ≥ 0",
        number="số",
        region="một trong: {codes}",
        year="năm, ví dụ 2024",
        tier="một trong: chuẩn, nâng cao, kiểu mẫu",
        range="khoảng hợp lệ",
        title="Nhập liệu",
        bad="Giá trị không hợp lệ",
        measures_head=(
            "Cột",
            "Khóa",
            "Nhãn (tiếng Việt)",
            "Nhãn (tiếng Anh)",
            "Kiểu",
            "Đơn vị",
            "Khoảng hợp lệ",
            "Tiêu chí",
            "Chỉ tiêu",
        ),
        guide_sheet="huong-dan",
        guide=(
            "Biểu thu thập số liệu xã nông thôn mới — {set} ({decision})",
            "Mỗi xã một dòng trong trang 'communes', bắt đầu từ dòng 2. Không sửa dòng 1 "
            "(tên cột).",
            "Ý nghĩa, đơn vị và khoảng hợp lệ của từng cột: trang 'measures' và chú thích ở "
            "dòng 1.",
            "Tỷ lệ % ghi từ 0 đến 100 (85 hoặc 85%). Có/không ghi 'có'/'không' (hoặc "
            "TRUE/FALSE, đạt/không đạt).",
            "Chưa có số liệu thì để trống: thiếu số liệu không bao giờ được tính là đạt hay "
            "không đạt.",
            "Có thể dùng dấu phẩy thập phân (41,5). Không gộp ô (merge).",
            "Kiểm tra: ntm-check batch <tệp>.xlsx --set {set}",
        ),
    ),
    "en": _Words(
        boolean="có / không (TRUE/FALSE, đạt/không đạt and x are accepted too); leave empty "
        "when there is no data",
        percent="a percentage 0..100 (85 means 85%)",
        count="a whole number >= 0",
        number="a number",
        region="one of: {codes}",
        year="a year, e.g. 2024",
        tier="one of: " + ", ".join(TIERS),
        range="valid range",
        title="Input",
        bad="Invalid value",
        measures_head=(
            "Column",
            "Key",
            "Label (English)",
            "Label (Vietnamese)",
            "Type",
            "Unit",
            "Valid range",
            "Criterion",
            "Indicators",
        ),
        guide_sheet="guide",
        guide=(
            "New-rural commune data collection — {set} ({decision})",
            "One commune per row on the 'communes' sheet, from row 2. Do not change row 1 "
            "(the column keys).",
            "What each column means, its unit and valid range: the 'measures' sheet and the "
            "comments on row 1.",
            "Percentages are 0..100 (85 or 85%). Yes/no is 'có'/'không' (or TRUE/FALSE, "
            "đạt/không đạt).",
            "Leave a cell empty when there is no data: missing data is never a pass or a fail.",
            "Decimal commas (41,5) are fine. Do not merge cells.",
            "Check it with: ntm-check batch <file>.xlsx --set {set}",
        ),
    ),
}
