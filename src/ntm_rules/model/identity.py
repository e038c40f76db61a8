"""What identifies a commune across files, rows and data years."""

from __future__ import annotations

from collections.abc import Sequence

from .commune import Commune
from .vocab import fold


def commune_keys(communes: Sequence[Commune]) -> list[tuple[str, ...]]:
    """What identifies each commune across its data years: its code, else province, district
    and name, folded (:func:`identity` without the year), folding each distinct text once."""
    memo: dict[str, str] = {}

    def f(text: str) -> str:
        found = memo.get(text)
        if found is None:
            found = memo[text] = fold(text)
        return found

    return [
        ("code", f(c.code)) if c.code else (f(c.province), f(c.district), f(c.name))
        for c in communes
    ]
