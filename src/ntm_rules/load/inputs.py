"""Reading communes from whatever a planner has: YAML files, CSV or XLSX tables, directories.

:func:`read_communes` is the one entry point for every command and for library users. Which
files a directory contributes is decided once (:func:`discover`): every ``.yaml``, ``.yml``,
``.csv`` and ``.xlsx`` file below it (any letter case), hidden files and other suffixes skipped
and listed. A file that cannot be read at all (bad encoding, YAML syntax, a table's header) is an
error for the whole run; a bad row of a table is an issue of that row, which the caller may
treat as an error (``strict``) or skip.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidFileError, Issue, Location, NtmRulesError
from ..model.columns import Columns
from ..model.commune import Commune
from ..model.identity import commune_keys
from ..model.vocab import Vocab

YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")
SUFFIXES = YAML_SUFFIXES + TABLE_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """A file a directory held that was not read, and why."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class Inputs:
    """What :func:`read_communes` read.

    `issues` are the problems of table rows that were left out (errors) and warnings; `rows`
    counts the communes offered (YAML communes and non-empty table rows, read or not).
    """

    communes: tuple[Commune, ...]
    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    rows: int = 0
    columns: Columns | None = field(default=None, compare=False, repr=False)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity != "error")


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[Skipped]]:
    """The files to read: each path given, and every commune or criteria file under each
    directory given (recursively, sorted); what a directory held that is not read."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append(path)
            continue
        for found in sorted(path.rglob("*")):
            if found.is_dir():
                continue
            rel = found.relative_to(path)
            if any(part.startswith(".") for part in rel.parts):
                skipped.append(Skipped(str(found), "hidden"))
            elif found.suffix.lower() in SUFFIXES:
                files.append(found)
            else:
                skipped.append(
                    Skipped(str(found), f"not a commune file ({found.suffix or 'no suffix'})")
                )
    return files, skipped


def read_communes(
    paths: Sequence[Path | str] | Path | str, vocab: Vocab, *, strict: bool = True
) -> Inputs:
    """Every commune of `paths` (YAML, CSV, XLSX files, or directories of them).

    Raises :class:`InvalidFileError` with every problem of every file that cannot be read, and,
    when `strict`, with the problems of every bad table row too; otherwise bad rows are left
    out and their problems returned in :attr:`Inputs.issues`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, skipped = discover(paths)
    if not files:
        raise NtmRulesError("no commune files found (expected .yaml, .yml, .csv or .xlsx files)")
    communes: list[Commune] = []
    parts: list[Columns] = []
    row_issues: list[Issue] = []
    file_issues: list[Issue] = []
    rows = 0
    for file in files:
        try:
            if file.suffix.lower() in YAML_SUFFIXES:
                from .yaml_communes import read_yaml_communes

                found = read_yaml_communes(file, vocab, row_issues)
                communes.extend(found)
                parts.append(Columns(found))
                rows += len(found)
            else:  # a table; any other format is refused there, with a hint
                from .table import read_table

                table = read_table(file, vocab)
                communes.extend(table.communes)
                parts.append(table.columns or Columns(table.communes))
                row_issues.extend(table.issues)
                rows += table.rows
        except InvalidFileError as exc:
            file_issues.extend(exc.issues)
    if file_issues:
        raise InvalidFileError(file_issues)
    columns = Columns.concat(parts)
    keys = commune_keys(communes)
    keep, duplicates = _distinct(communes, keys)
    row_issues.extend(duplicates)
    if strict and any(i.severity == "error" for i in row_issues):
        raise InvalidFileError(row_issues)
    if len(keep) < len(communes):
        columns = columns.take(keep)
        communes = [communes[i] for i in keep]
        keys = [keys[i] for i in keep]
    columns.keys = keys
    return Inputs(
        tuple(communes),
        tuple(row_issues),
        tuple(str(f) for f in files),
        tuple(skipped),
        rows,
        columns,
    )


def _distinct(
    communes: Sequence[Commune], keys: Sequence[tuple[str, ...]]
) -> tuple[list[int], list[Issue]]:
    """The first of each commune in each data year, and a located error for every later copy
    (counted twice, a copy would change every total)."""
    first: dict[tuple[str, ...], Commune] = {}
    keep: list[int] = []
    issues: list[Issue] = []
    for i, commune in enumerate(communes):
        key = (*keys[i], str(commune.year))
        seen = first.get(key)
        if seen is None:
            first[key] = commune
            keep.append(i)
            continue
        where = seen.where() or "?"
        issues.append(
            Issue(
                "duplicate-commune",
                f"{commune.label} ({commune.year}) is already read from {where}; "
                "this copy is left out",
                commune.source or Location(""),
                "remove the copy; a commune is identified by its code, or by province, "
                "district and name",
            )
        )
    return keep, issues
