"""Problems as data: located issues and the exception types of the public API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def column_letters(column: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: a spreadsheet column as Excel names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """Where a problem or a value sits: file, 1-based line and column, dotted path.

    For a spreadsheet row (`table` set), `line` is the row as the spreadsheet numbers it and
    `column` the 1-based column, shown as the cell people see in Excel (``J4``); `path` is the
    column's header and `sheet` the worksheet (XLSX).
    """

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    table: bool = False
    sheet: str = ""

    @property
    def cell(self) -> str:
        """The spreadsheet cell (``J4``) of a table location, or of its row (``4``)."""
        if not self.table or not self.line:
            return ""
        return f"{column_letters(self.column)}{self.line}" if self.column else str(self.line)

    def __str__(self) -> str:
        where = self.file
        if self.table and self.line:
            where += f" [{self.sheet}]" if self.sheet else ""
            where += f":{self.cell}" if self.column else f":{self.line}"
        elif self.line:
            where += f":{self.line}:{self.column}"
        if self.path:
            where += f" ({self.path})"
        return where

    def to_dict(self) -> dict[str, Any]:
        if not self.table:
            return {"file": self.file, "line": self.line, "column": self.column, "path": self.path}
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "cell": self.cell,
            "sheet": self.sheet,
        }


@dataclass(frozen=True)
class Issue:
    """One problem found in an input file.

    `code` is a stable kebab-case identifier (e.g. ``duplicate-key``); `hint` suggests a fix.
    """

    code: str
    message: str
    location: Location
    hint: str = ""
    severity: str = "error"
    subject: str = ""  # the commune the problem concerns, when known (a table row's name)

    def __str__(self) -> str:
        where = f"{self.location} [{self.subject}]" if self.subject else str(self.location)
        text = f"{where}: {self.severity}[{self.code}] {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
            "location": self.location.to_dict(),
            "subject": self.subject,
        }


class NtmRulesError(Exception):
    """Base class of every error the library raises on purpose."""


@dataclass
class InvalidFileError(NtmRulesError):
    """One or more files could not be read; carries every issue found."""

    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        if not self.issues:
            return "invalid input"
        first = self.issues[0]
        more = len(self.issues) - 1
        return str(first) + (f" (and {more} more)" if more else "")

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self.issues)


class UnknownSetError(NtmRulesError):
    """A criteria set id or path that cannot be found."""


class EvaluationError(NtmRulesError):
    """A commune cannot be evaluated against a set (e.g. no region can be determined)."""


def raise_if(issues: Iterable[Issue]) -> None:
    """Raise :class:`InvalidFileError` when any issue is an error."""
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise InvalidFileError(list(issues))
