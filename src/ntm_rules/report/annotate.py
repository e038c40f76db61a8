"""`batch --annotate OUT.xlsx`: the planner's own workbook written back with every problem
marked where it is — the cell filled (red for an error, amber for a warning) and the message, in
the reader's language, in a comment. The input is copied, never changed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Issue, NtmRulesError
from ..issue_text import hint, message

_FILL = {"error": "FFF4B4B4", "warning": "FFFFE08A"}


def annotate(source: Path, issues: Sequence[Issue], target: Path, lang: str) -> int:
    """Write `source` with `issues` marked to `target`; return how many cells were marked."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    if source.suffix.lower() != ".xlsx":
        raise NtmRulesError(f"--annotate writes back an .xlsx workbook; {source} is not one")
    book = load_workbook(source)
    marked = 0
    notes: dict[tuple[str, str], list[str]] = {}
    worst: dict[tuple[str, str], str] = {}
    for issue in issues:
        where = issue.location
        if not (where.table and where.line and where.column) or where.file != str(source):
            continue
        sheet = where.sheet or book.worksheets[0].title
        key = (sheet, where.cell)
        text = f"[{issue.code}] {message(issue, lang)}"
        tip = hint(issue, lang)
        notes.setdefault(key, []).append(text + (f" — {tip}" if tip else ""))
        if worst.get(key) != "error":
            worst[key] = issue.severity if issue.severity in _FILL else "warning"
    for (sheet, cell), lines in notes.items():
        if sheet not in book.sheetnames:
            continue
        target_cell = book[sheet][cell]
        colour = _FILL[worst[(sheet, cell)]]
        target_cell.fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        comment = Comment("\n".join(lines)[:2000], "ntm-check")
        comment.width, comment.height = 360, 60 + 20 * len(lines)
        target_cell.comment = comment
        marked += 1
    book.save(target)
    return marked
