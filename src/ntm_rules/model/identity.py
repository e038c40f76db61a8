"""What identifies a commune across files, rows and data years."""

from __future__ import annotations

from collections.abc import Sequence

from .commune import Commune
from .vocab import fold_many

Key = tuple[str, ...]


def commune_keys(communes: Sequence[Commune]) -> list[tuple[str, ...]]:
    """What identifies each commune across its data years: its code, else province, district
    and name, folded (:func:`identity` without the year), folding each distinct text once."""
    texts = list(
        dict.fromkeys(t for c in communes for t in (c.code, c.province, c.district, c.name))
    )
    f = dict(zip(texts, fold_many(texts), strict=True))
    return [
        ("code", f[c.code]) if c.code else (f[c.province], f[c.district], f[c.name])
        for c in communes
    ]


def series(communes: Sequence[Commune], keys: Sequence[Key] | None = None) -> list[list[int]]:
    """The indices of each commune given for two or more distinct data years, oldest year
    first (the series in the order their commune first appears). Copies of one year are the
    reader's concern (it refuses them), not a series."""
    groups: dict[Key, list[int]] = {}
    for i, k in enumerate(keys if keys is not None else commune_keys(communes)):
        groups.setdefault(k, []).append(i)
    return [
        sorted(idx, key=lambda i: communes[i].year)
        for idx in groups.values()
        if len(idx) > 1 and len({communes[i].year for i in idx}) > 1
    ]


def latest(communes: Sequence[Commune], keys: Sequence[Key] | None = None) -> list[int]:
    """The communes in their latest data year, in input order: a row is left out only when
    the same commune is given for a later year."""
    keys = keys if keys is not None else commune_keys(communes)
    last: dict[Key, int] = {}
    for k, c in zip(keys, communes, strict=True):
        last[k] = max(last.get(k, c.year), c.year)
    return [i for i, (k, c) in enumerate(zip(keys, communes, strict=True)) if c.year == last[k]]
