"""Small structural checks shared by every loader: keys, types, labels.

Each helper records an :class:`~ntm_rules.errors.Issue` on the document and returns a
best-effort value, so a loader can go on and report every problem in a file at once.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from typing import Any

from ..words import Text
from .source import Document, PathKey

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def suggest(word: str, choices: Iterable[str]) -> str:
    """A "did you mean" hint, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def mapping(
    doc: Document,
    value: Any,
    path: PathKey,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    what: str = "",
    partial_ok: bool = False,
) -> dict[str, Any] | None:
    """Check that `value` is a mapping with exactly the allowed keys.

    With neither `required` nor `optional` given, any keys are allowed (a table of entries).
    Returns None (after reporting) when a required key is missing, unless `partial_ok`: then
    the caller reads keys with `.get` and goes on, to report more problems.
    """
    if not isinstance(value, dict):
        doc.issue(
            "wrong-type",
            f"expected a mapping{' for ' + what if what else ''}, found {type_name(value)}",
            path,
        )
        return None
    required = list(required)
    allowed = set(required) | set(optional)
    for key in value if allowed else ():
        if key not in allowed:
            doc.issue(
                "unknown-key",
                f"unknown key {key!r}",
                (*path, key),
                suggest(key, allowed) or f"allowed keys: {', '.join(sorted(allowed))}",
            )
    missing = [key for key in required if key not in value]
    for key in missing:
        doc.issue("missing-key", f"required key {key!r} is missing", path)
    if missing and not partial_ok:
        return None
    return value


def text(doc: Document, value: Any, path: PathKey, *, what: str = "text") -> str:
    if isinstance(value, str) and not value.strip():
        doc.issue("empty-text", f"{what} is empty", path, "fill it in")
        return ""
    if not isinstance(value, str):
        doc.issue(
            "wrong-type", f"expected non-empty text for {what}, found {type_name(value)}", path
        )
        return ""
    return value


def label(doc: Document, value: Any, path: PathKey) -> Text:
    """A ``{vi: ..., en: ...}`` label."""
    if mapping(doc, value, path, required=("vi", "en"), what="a vi/en label") is None:
        return Text("", "")
    return Text(
        text(doc, value.get("vi"), (*path, "vi"), what="the Vietnamese label"),
        text(doc, value.get("en"), (*path, "en"), what="the English label"),
    )


def boolean(doc: Document, value: Any, path: PathKey) -> bool:
    if not isinstance(value, bool):
        doc.issue("wrong-type", f"expected true or false, found {type_name(value)}", path)
        return False
    return value


def integer(doc: Document, value: Any, path: PathKey, *, what: str = "a whole number") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        doc.issue("wrong-type", f"expected {what}, found {type_name(value)}", path)
        return 0
    return value


def number(doc: Document, value: Any, path: PathKey) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        doc.issue("wrong-type", f"expected a number, found {type_name(value)}", path)
        return None
    if value != value or value in (float("inf"), float("-inf")):
        doc.issue("bad-number", "NaN and infinity are not allowed", path)
        return None
    if isinstance(value, int) and abs(value) > 10**15:
        doc.issue("out-of-range", f"a {len(str(abs(value)))}-digit number is not a value", path)
        return None
    return float(value) if isinstance(value, float) else value


def ident(doc: Document, value: Any, path: PathKey) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        doc.issue(
            "bad-id",
            f"{value!r} is not a valid id",
            path,
            "use lower-case letters, digits and '-', e.g. ntm-2021-2025",
        )
        return str(value)
    return value


def date(doc: Document, value: Any, path: PathKey) -> str:
    if not isinstance(value, str) or not DATE_RE.match(value):
        doc.issue(
            "bad-date",
            f"expected a date YYYY-MM-DD, found {value!r}",
            path,
            'write it quoted, e.g. "2022-03-08"',
        )
        return str(value)
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        doc.issue("bad-date", f"{value} is not a calendar date", path)
    return value


def id_text(doc: Document, value: Any, path: PathKey, *, what: str = "id") -> str:
    """A criterion or indicator id: text such as "2.10"; a bare 2.10 would read as 2.1."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    doc.issue(
        "bad-id",
        f"expected the {what} as text, found {type_name(value)} {value!r}",
        path,
        'quote ids, e.g. id: "2.10"',
    )
    return str(value)


def str_list(doc: Document, value: Any, path: PathKey) -> list[str]:
    if not isinstance(value, list):
        doc.issue("wrong-type", f"expected a list, found {type_name(value)}", path)
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, (int, str)) and not isinstance(item, bool):
            out.append(str(item))
        else:
            doc.issue("wrong-type", f"expected text, found {type_name(item)}", (*path, i))
    return out
