"""Reading input files: UTF-8 text, size and file-type checks, and safe, located YAML.

Every file is read as UTF-8; YAML with PyYAML's safe composer (:mod:`.yaml_parse`), the node
tree turned into plain Python data by hand so that each value keeps its line and column,
duplicate keys are caught, and tags, aliases and merge keys are refused. Problems are collected,
never raised one by one.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Issue, Location

MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


def dotted(path: PathKey) -> str:
    """Render a path tuple as ``criteria[3].indicators[0].threshold``."""
    out = ""
    for part in path:
        if isinstance(part, str) and part.startswith("#"):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass
class Document:
    """Parsed YAML data plus the location of every node."""

    file: str
    data: Any = None
    locations: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    fatal: bool = False  # the text could not be read at all (encoding, syntax)

    def loc(self, path: PathKey) -> Location:
        """Location of `path`, or of its nearest located parent."""
        probe = tuple(path)
        while probe and probe not in self.locations:
            probe = probe[:-1]
        line, col = self.locations.get(probe, (1, 1))
        return Location(self.file, line, col, dotted(tuple(path)))

    def issue(
        self, code: str, message: str, path: PathKey, hint: str = "", severity: str = "error"
    ) -> Issue:
        found = Issue(code, message, self.loc(path), hint, severity)
        self.issues.append(found)
        return found


def decode(raw: bytes, file: str) -> tuple[str | None, Issue | None]:
    """Decode file bytes as UTF-8 (a UTF-8 BOM is accepted); anything else is an issue."""
    where = Location(file, 1, 1)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Issue(
            "bad-encoding",
            "the file is UTF-16, not UTF-8",
            where,
            "save it as UTF-8 (in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Issue(
            "bad-encoding",
            f"byte {exc.start} is not valid UTF-8",
            Location(file, line, 1),
            "save the file as UTF-8; Windows-1258 and other legacy encodings are not read",
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, Issue(
            "bad-encoding",
            "the file contains NUL bytes",
            Location(file, line, 1),
            "is it a binary file?",
        )
    return text, None


def special_file(path: Path) -> Issue | None:
    """An input must be a regular file (after following links): a FIFO would block for ever,
    a device such as /dev/zero would never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # the reader reports a missing file with its own words
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or special file"
    return Issue(
        "not-a-regular-file",
        f"this is {kind}, not a regular file",
        Location(str(path)),
        "only regular files are read; copy the data into a file",
    )


def read_text(path: Path) -> tuple[str | None, Issue | None]:
    """The text of a UTF-8 file, or the problem that stops it being read."""
    raw, problem = _read_bytes(path)
    if raw is None:
        return None, problem
    return decode(raw, str(path))


def read_utf8(path: Path) -> tuple[bytes | None, Issue | None]:
    """The bytes of a UTF-8 file (without a BOM), checked as :func:`read_text` checks them but
    without holding the whole text at once (a reader that works on bytes decodes only what it
    needs); or the problem, worded and located as :func:`read_text` does."""
    raw, problem = _read_bytes(path)
    if raw is None:
        return None, problem
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data:
        check = codecs.getincrementaldecoder("utf-8")()
        try:
            for at in range(0, len(data), _PIECE):
                check.decode(data[at : at + _PIECE])
            check.decode(b"", final=True)
            return data, None
        except UnicodeDecodeError:
            pass
    _text, problem = decode(raw, str(path))  # the problem, located
    return (data, None) if problem is None else (None, problem)


_PIECE = 1 << 18  # bytes checked at a time


def _read_bytes(path: Path) -> tuple[bytes | None, Issue | None]:
    file = str(path)
    special = special_file(path)
    if special is not None:
        return None, special
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, Issue(
            "file-not-found",
            f"cannot read the file: {exc.strerror}",
            Location(file),
            "check the path",
        )
    if path.is_dir():
        return None, Issue("not-a-file", "this is a directory, not a file", Location(file))
    if size > MAX_BYTES:
        return None, Issue(
            "file-too-large",
            f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
            Location(file),
            "split the data into several files",
        )
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, Issue(
            "file-not-found",
            f"cannot read the file: {exc.strerror}",
            Location(file),
            "check the path",
        )


def read_yaml(path: Path | str) -> Document:
    """Read one YAML file into a :class:`Document`; problems land in ``doc.issues``."""
    path = Path(path)
    doc = Document(str(path))
    text, problem = read_text(path)
    if problem is not None:
        doc.issues.append(problem)
        doc.fatal = True
        return doc
    assert text is not None
    return parse_yaml(text, str(path), doc)


def parse_yaml(text: str, file: str, doc: Document | None = None) -> Document:
    """Parse YAML `text` into a :class:`Document` (see :mod:`.yaml_parse`, which imports PyYAML
    on first use: a CSV-only run does not pay for it)."""
    from .yaml_parse import parse_yaml as parse

    return parse(text, file, doc)
