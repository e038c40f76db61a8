"""Reporters, chosen by name. Each takes a result object, a language and a rich Console."""

from __future__ import annotations

import json
from typing import Any, Protocol

from rich.console import Console


class Reportable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def to_json(result: Reportable) -> str:
    """The JSON the CLI prints: exactly the library's ``to_dict()``."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def print_json(result: Reportable, console: Console) -> None:
    console.file.write(to_json(result) + "\n")


FORMATS = ("table", "json", "markdown")
