"""The shared vocabulary: measures (what a commune reports) and regions (where it lies).

Both come from data files in the criteria directory (``measures.yaml``, ``regions.yaml``); this
module holds only the frozen types and the name folding used to match what people type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from ..words import Text

MEASURE_TYPES = ("number", "percent", "boolean", "count")
# How the values of several communes combine into the value of the commune they merge into.
COMBINE_RULES = ("sum", "weighted", "all", "any", "min", "max", "none")


_DROP = ("Mn", "Cf", "Cc", "Co", "Cn")
_SPACE = "-–—_.,()[]"
# text made only of ASCII, Latin letters (Vietnamese included) and combining marks folds one
# character at a time, through one translation table (C speed); anything else takes the slow way
_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff]")


def _fold_char(ch: str) -> str:
    if ch in _SPACE:
        return " "
    text = unicodedata.normalize("NFKD", ch.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) not in _DROP).lower()


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    ranges = (range(0x00, 0x250), range(0x300, 0x370), range(0x1E00, 0x1F00))
    return {cp: _fold_char(chr(cp)) for r in ranges for cp in r}


_PREFIXES = (["tinh"], ["thanh", "pho"], ["tp"])  # dropped before a name: "Tỉnh Kon Tum"
_PREFIX_TEXTS = tuple(" ".join(words) + " " for words in _PREFIXES)


def _words(text: str) -> str:
    words = text.split()
    for prefix in _PREFIXES:
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
    return " ".join(words)


def fold_slow(name: str) -> str:
    """:func:`fold` for any text (the definition the fast path must equal)."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP).lower()
    for ch in _SPACE:
        text = text.replace(ch, " ")
    return _words(text)


_SEPARATOR = "\ue000"  # a private-use character: the translation table leaves it alone
_LATIN_OR_SEPARATOR = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\ue000]")


def fold_many(names: Sequence[str]) -> list[str]:
    """``[fold(name) for name in names]`` (tested), the translation done once for them all."""
    joined = _SEPARATOR.join(names)
    if (
        not names
        or joined.count(_SEPARATOR) != len(names) - 1
        or _LATIN_OR_SEPARATOR.search(joined) is not None
    ):
        return [fold(name) for name in names]
    # one space between words, none next to a separator: each name as _words spaces it
    text = " ".join(joined.translate(_fold_table()).split())
    text = text.replace(" " + _SEPARATOR, _SEPARATOR).replace(_SEPARATOR + " ", _SEPARATOR)
    return [_words(t) if t.startswith(_PREFIX_TEXTS) else t for t in text.split(_SEPARATOR)]


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """Lower-case, strip diacritics (đ -> d), invisible characters and punctuation, squash
    spaces; drop a leading "tỉnh"/"thành phố"/"tp": for matching names people type."""
    if _LATIN.search(name) is not None:
        return fold_slow(name)
    return _words(name.translate(_fold_table()))


@dataclass(frozen=True)
class Combine:
    """How a measure is derived for a merged commune from the values of its parts.

    `rule`: ``sum`` (counts add), ``weighted`` (mean weighted by the measure `weight`, e.g.
    income by population, a share by its denominator), ``all`` / ``any`` (a yes/no fact that
    holds when it holds in every / some part), ``min`` / ``max``, or ``none`` (no honest rule:
    the merged value is missing, `note` says why).
    """

    rule: str
    weight: str = ""
    note: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "weight": self.weight or None,
            "note": self.note.to_dict() if self.note else None,
        }


@dataclass(frozen=True)
class Measure:
    key: str
    type: str
    label: Text
    unit: str = ""
    unit_label: Text | None = None
    min: float | None = None
    max: float | None = None
    combine: Combine | None = None

    @property
    def numeric(self) -> bool:
        return self.type != "boolean"

    def unit_text(self, lang: str = "vi") -> str:
        if self.type == "percent":
            return "%"
        return self.unit_label.get(lang) if self.unit_label else ""

    def in_range(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def range_text(self) -> str:
        return f"{_plain(self.min)}..{_plain(self.max)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "unit": self.unit_text("en"),
            "label": self.label.to_dict(),
            "min": self.min,
            "max": self.max,
        }


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class Measures(Mapping[str, Measure]):
    """Read-only mapping of measure key -> :class:`Measure`."""

    def __init__(self, items: Mapping[str, Measure], path: str = "") -> None:
        self._items = dict(items)
        self.path = path

    def __getitem__(self, key: str) -> Measure:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def unit(self, key: str, lang: str) -> str:
        """The unit of `key` in `lang` ("" for an unknown key or a yes/no measure)."""
        measure = self._items.get(key)
        return measure.unit_text(lang) if measure is not None else ""


@dataclass(frozen=True)
class Region:
    code: str
    name: Text
    # A region code written for people: ĐBSH, not DBSH. The ASCII code stays the key in data.
    display: str = ""

    def shown(self) -> str:
        return self.display or self.code


@dataclass(frozen=True)
class ProvinceRegion:
    province: str
    region: str
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class Regions:
    """Regions, commune categories and the province -> region map, with name matching."""

    regions: Mapping[str, Region]
    categories: Mapping[str, Text]
    provinces: Mapping[str, ProvinceRegion]
    region_index: Mapping[str, str] = field(default_factory=dict)
    category_index: Mapping[str, str] = field(default_factory=dict)
    province_index: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("regions", "categories", "provinces", "region_index", "category_index",
                     "province_index"):  # fmt: skip
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.regions)

    def region_code(self, text: str) -> str | None:
        """Code for a region code, Vietnamese name or alias (diacritics optional)."""
        return self.region_index.get(fold(text))

    def category_key(self, text: str) -> str | None:
        return self.category_index.get(fold(text))

    def province(self, name: str) -> ProvinceRegion | None:
        key = self.province_index.get(fold(name))
        return self.provinces.get(key) if key else None

    def shown(self, code: str) -> str:
        """The code as people write it (ĐBSH), or the code itself when unknown."""
        region = self.regions.get(code)
        return region.shown() if region is not None else code

    def name(self, code: str, lang: str) -> str:
        region = self.regions.get(code)
        return region.name.get(lang) if region is not None else code


@dataclass(frozen=True)
class SetInfo:
    """What the commune reader needs to know of a criteria set a commune may record."""

    id: str
    tier: str
    period: tuple[int, int]


@dataclass(frozen=True)
class Vocab:
    """The vocabulary of one criteria directory: measures, regions, and the sets it holds."""

    measures: Measures
    regions: Regions
    sets: Mapping[str, SetInfo] | None = None
