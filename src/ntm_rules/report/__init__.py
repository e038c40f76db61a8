"""Reporters, chosen by result type and format; one JSON serialisation for every result.

Each renderer takes a result, a language and a rich Console. Text that comes from user files
(names, districts, file names) is never read as rich markup and never carries terminal control
characters: renderers pass it through :func:`plain`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # imported where text is rendered: JSON output does not load rich
    from rich.console import Console
    from rich.text import Text as RichText

FORMATS = ("table", "json", "markdown")
Renderer = Callable[[Any, str, "Console"], None]
REPORTERS: dict[tuple[type, str], Renderer] = {}
# C0 and C1 control characters (ESC, BEL, CSI...) except tab and newline; bidi overrides
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Reportable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def clean(text: object) -> str:
    """User text fit for a terminal: control characters shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", "" if text is None else str(text))


def plain(text: object, style: str = "") -> RichText:
    """User text as a rich Text that is never parsed as markup."""
    from rich.text import Text as RichText

    return RichText(clean(text), style=style)


def _dumps(data: object) -> bytes:
    try:  # orjson writes the same text ~8× faster (a province is ~20 MB of JSON)
        import orjson

        return orjson.dumps(data)
    except (ImportError, TypeError, OverflowError):  # absent, or a value only json can write
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_bytes(result: Reportable | dict[str, Any]) -> bytes:
    """The JSON the CLI prints, UTF-8 encoded: exactly the library's ``to_dict()``."""
    return _dumps(result if isinstance(result, dict) else result.to_dict())


def to_json(result: Reportable | dict[str, Any]) -> str:
    """The JSON the CLI prints, as text (UTF-8 characters, not escaped)."""
    return json_bytes(result).decode("utf-8")


def print_json(result: Reportable | dict[str, Any], console: Console) -> None:
    """Print the JSON on `console`'s file (see :func:`write_json`)."""
    write_json(result, console.file)


def json_pieces(result: Reportable | dict[str, Any]) -> Iterator[bytes | memoryview]:
    """:func:`json_bytes` in pieces that join to exactly it. A result that streams its long
    lists (a province: ``json_stream()``) gives them a thousand items at a time, so that
    neither those lists nor the whole text (~20 MB for 10,000 communes) are ever held at once."""
    stream = getattr(result, "json_stream", None)
    if stream is None:
        yield json_bytes(result)
        return
    head, streamed = stream()
    yield b"{"
    for i, (name, value) in enumerate(head.items()):
        comma = b"," if i else b""
        chunks = streamed.get(name)
        if chunks is None:
            yield comma + _dumps({name: value})[1:-1]
            continue
        yield comma + _dumps(name) + b":["
        first = True
        for items in chunks:
            if items:
                if not first:
                    yield b","
                yield memoryview(_dumps(items))[1:-1]  # a megabyte or two: not copied
                first = False
        yield b"]"
    yield b"}"


def write_json(result: Reportable | dict[str, Any], out: IO[str]) -> None:
    """Write the JSON and a newline; to a UTF-8 stream with a byte buffer (standard output) the
    encoded bytes go straight through, without a decoded copy of a province's ~200 MB of text."""
    buffer = getattr(out, "buffer", None)
    encoding = str(getattr(out, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8":
        out.write(json_bytes(result).decode("utf-8") + "\n")
        return
    out.flush()
    for piece in json_pieces(result):
        buffer.write(piece)
    buffer.write(b"\n")
    buffer.flush()


def reporter(result_type: type, *formats: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer for `result_type` in `formats`."""

    def register(fn: Renderer) -> Renderer:
        for fmt in formats:
            REPORTERS[(result_type, fmt)] = fn
        return fn

    return register


def render(result: Any, fmt: str, lang: str, console: Console) -> None:
    """Print `result` in `fmt`: JSON for every result, else its registered renderer."""
    if fmt == "json":
        print_json(result, console)
        return
    for kind in type(result).__mro__:
        found = REPORTERS.get((kind, fmt))
        if found is not None:
            found(result, lang, console)
            return
    raise ValueError(f"no {fmt} reporter for {type(result).__name__}")


# the renderer module of each result type (a type not listed loads them all)
_MODULES: dict[str, tuple[str, ...]] = {
    "CheckRun": ("commune",),
    "Explanation": ("commune",),
    "PlanRun": ("plan",),
    "CompareView": ("compare",),
    "ProvinceResult": ("province",),
    "SetList": ("sets",),
    "SetView": ("sets",),
    "SetDiff": ("sets",),
    "ValidationReport": ("sets",),
}


def load_all() -> None:
    """Import every renderer module (they register themselves)."""
    from . import commune, compare, plan, province, sets  # noqa: F401


def load_for(result: Any) -> None:
    """Import the renderer module of `result` only: one commune does not pay for the province
    reporter and what it imports."""
    import importlib

    names = _MODULES.get(type(result).__name__)
    if names is None:
        load_all()
        return
    for name in names:
        importlib.import_module(f"{__name__}.{name}")


def md(text: object) -> str:
    """User text fit for a Markdown table cell: no control characters, no line breaks, and
    ``|``, ``<``, ``>`` and ``\\`` escaped so that it cannot add cells or markup."""
    out = clean(text).replace("\\", "\\\\").replace("|", "\\|")
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(out.split())
