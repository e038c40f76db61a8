"""The one commune builder, for a YAML mapping and a spreadsheet row alike.

Both readers hand :func:`build_commune` a :class:`Fields` adapter (what was written for each
identity key, and how to locate a problem with it) plus the measure values they parsed with
:func:`ntm_rules.load.values.parse_value`. Every identity rule lives here once: name, year,
region (stated, else from the province), categories, the recorded recognition (known set,
plausible year, tier) and the free-text fields. So ``validate``, ``check`` and ``batch`` cannot
disagree about a commune, and a problem is reported at the same field in YAML and in a table.

YAML commune files hold one commune, or a list under ``communes:``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol

from ..errors import Location
from ..model.appraisal import Appraisal
from ..model.commune import TIERS, Commune, Observed, Recognized
from ..model.vocab import Regions, Vocab, fold
from . import checks
from .vocab import region_hint

IDENTITY = (
    "name",
    "year",
    "province",
    "district",
    "code",
    "region",
    "categories",
    "recognized_set",
    "recognized_year",
    "recognized_tier",
    "note",
    "data_status",
)
COMMUNE_KEYS = ("name", "year", "measures")
COMMUNE_OPTIONAL = (
    "kind",
    "code",
    "province",
    "district",
    "region",
    "categories",
    "recognized",
    "recognition",
    "note",
    "data_status",
    "appraisals",
)
# Words people type for a tier, folded (no diacritics, lower case).
TIER_WORDS = {
    "standard": "standard",
    "chuan": "standard",
    "dat chuan": "standard",
    "ntm": "standard",
    "advanced": "advanced",
    "nang cao": "advanced",
    "ntm nang cao": "advanced",
    "model": "model",
    "kieu mau": "model",
    "ntm kieu mau": "model",
}
_SPLIT = re.compile(r"[,;]")
_YEAR_TEXT = re.compile(r"[0-9]{1,6}(?:\.0+)?")
# A recognition can be recorded up to this many years after its set's period ends (communes
# were still recognised under the 2016–2020 set in 2021, before 318/QĐ-TTg came in 2022).
RECOGNITION_GRACE = 2


class Fields(Protocol):
    """One commune as written: raw values by identity key, and where each one is.

    `typed` sources (YAML) give every value its own type: a year must be a number and a name
    text. Spreadsheet cells are text or numbers whatever the column, so a table reads
    "2024" as a year and 12345 as a code.
    """

    typed: bool

    def has(self, key: str) -> bool:
        """Whether the source has a place for `key` (a YAML key, a table column)."""

    def raw(self, key: str) -> object:
        """The value written for `key` (None when absent or empty)."""

    def text(self, key: str) -> str | None:
        """`key`'s value already read as :func:`normal_text` (a table reads each distinct text
        cell of a column once), or None to read it by the rules of this module."""

    def shared(self) -> tuple[object, ...]:
        """The raw values of the :data:`SHARED` keys: what a table's rows memoise on."""

    def issue(
        self, code: str, message: str, key: str, hint: str = "", index: int | None = None
    ) -> None:
        """Record a problem with the value of `key` (or with the commune when `key` is "");
        `index` is the position of the item at fault in a list value (categories)."""

    def location(self) -> Location:
        """Where the commune starts."""

    def warn(self, code: str, message: str, key: str, hint: str = "") -> None:
        """Record something the reader should know that does not stop the commune."""

    def problems(self) -> int:
        """How many problems have been recorded so far."""


def _text(fields: Fields, key: str) -> str:
    known = fields.text(key)
    if known is not None:
        return known
    value = fields.raw(key)
    if value is None:
        return ""
    if fields.typed and not isinstance(value, str):
        fields.issue("wrong-type", f"expected text for {key}, found {checks.type_name(value)}", key)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        fields.issue("wrong-type", f"expected text for {key}, found {checks.type_name(value)}", key)
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normal_text(str(value))


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normal_text(text: str) -> str:
    """One spelling for one name: NFC (``ệ`` typed as e + two marks is ``ệ``), no zero-width
    characters, soft hyphens or BOMs, single spaces, no spaces around."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_INVISIBLE).split())


_INVISIBLE_CHAR = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")


def _already_normal(joined: str) -> bool:
    """Every text of a column joined by NUL is its own normal_text: NFC, no invisible
    character, and its white space single spaces between words (splitting on white space and
    joining with one space changes nothing, and no space touches a NUL)."""
    return (
        unicodedata.is_normalized("NFC", joined)
        and _INVISIBLE_CHAR.search(joined) is None
        and " ".join(joined.split()) == joined
        and " \x00" not in joined
        and "\x00 " not in joined
    )


def normal_texts(column: Sequence[object]) -> list[str | None]:
    """``normal_text`` of each text cell of a column (None for a cell that is not text), each
    distinct text read once. A column of texts that are all normal already (the usual case:
    NFC, single spaces) is found so at once, and kept as it is."""
    try:
        joined = "\x00".join(column)  # type: ignore[arg-type]
    except TypeError:  # not all text (a workbook's numbers)
        joined = None
    if joined is not None and joined.count("\x00") == len(column) - 1 and _already_normal(joined):
        return list(column)  # type: ignore[arg-type]
    seen = {cell: normal_text(cell) if type(cell) is str else None for cell in set(column)}
    return [seen[c] for c in column]


def _year(fields: Fields, key: str, what: str) -> int:
    raw = fields.raw(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if fields.has(key):  # an absent key is reported by the structural check
            fields.issue("missing-value", f"the {what} is empty", key, "write the year, e.g. 2024")
        return 0
    if fields.typed and (isinstance(raw, bool) or not isinstance(raw, int)):
        fields.issue(
            "wrong-type", f"expected {what} as a whole number, found {checks.type_name(raw)}", key
        )
        return 0
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        fields.issue(
            "wrong-type",
            f"the {what} must be a number such as 2024, found a date ({raw})",
            key,
            "format the cell as a number, not a date",
        )
        return 0
    year: int | None = None
    if isinstance(raw, bool):
        year = None
    elif isinstance(raw, int):
        year = raw
    elif isinstance(raw, float) and raw.is_integer():
        year = int(raw)
    elif isinstance(raw, str) and _YEAR_TEXT.fullmatch(raw.strip()):
        year = int(raw.strip().split(".")[0])
    if year is None:
        fields.issue(
            "wrong-type",
            f"expected a whole year for the {what}, found {raw!r}",
            key,
            "write the year, e.g. 2024",
        )
        return 0
    if not 2000 <= year <= 2100:
        fields.issue("bad-year", f"{year} is not a plausible year", key)
        return 0
    return year


def _region(fields: Fields, regions: Regions, province: str) -> tuple[str, str, bool]:
    stated = _text(fields, "region")
    if stated:
        code = regions.region_code(stated)
        if code is None:
            fields.issue(
                "bad-region", f"unknown region {stated!r}", "region", region_hint(regions, stated)
            )
            return "", "file", True
        mapped = regions.province(province) if province else None
        if mapped is not None and mapped.region != code:
            fields.warn(
                "region-contradicts-province",
                f"region {regions.shown(code)} is stated, but {province} is in "
                f"{regions.shown(mapped.region)} (province map); the stated region "
                f"{regions.shown(code)} is used",
                "region",
                "check the region; leave it empty to take the province's",
            )
        return code, "file", True
    if province:
        mapped = regions.province(province)
        if mapped is None:
            fields.issue(
                "missing-region",
                f"province {province!r} is not in the province map",
                "province",
                "state the region (e.g. TN), or check the province name",
            )
            return "", "province", False
        return mapped.region, "province", mapped.verified
    fields.issue(
        "missing-region",
        "the commune gives neither a region nor a province",
        "",
        "give the region with a code such as TN or the region's Vietnamese name",
    )
    return "", "file", True


def _categories(fields: Fields, regions: Regions) -> tuple[str, ...]:
    raw = fields.raw("categories")
    if raw is None:
        return ()
    if isinstance(raw, str):
        items: list[object] = [p.strip() for p in _SPLIT.split(raw) if p.strip()]
    elif isinstance(raw, list):
        items = list(raw)
    else:
        fields.issue("wrong-type", f"expected a list, found {checks.type_name(raw)}", "categories")
        return ()
    found: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            fields.issue(
                "wrong-type", f"expected text, found {checks.type_name(item)}", "categories", "", i
            )
            continue
        key = regions.category_key(item)
        if key is None:
            fields.issue(
                "unknown-category",
                f"unknown commune category {item!r}",
                "categories",
                f"known: {', '.join(regions.categories)}",
                i,
            )
        elif key not in found:
            found.append(key)
    return tuple(found)


def tier_key(text: str) -> str | None:
    """The tier a word names (``nâng cao`` -> advanced), or None."""
    return TIER_WORDS.get(fold(text))


def _recognized(fields: Fields, vocab: Vocab) -> Recognized | None:
    set_id = _text(fields, "recognized_set")
    tier_text = _text(fields, "recognized_tier")
    if not (set_id or tier_text or fields.raw("recognized_year") is not None):
        return None
    if not set_id:
        fields.issue(
            "missing-value",
            "a recognition is given without its set",
            "recognized_set",
            "name the set, e.g. ntm-2016-2020",
        )
    year = _year(fields, "recognized_year", "recognition year")
    info = vocab.sets.get(set_id) if vocab.sets is not None else None
    if set_id and vocab.sets is not None and info is None:
        fields.issue(
            "unknown-set",
            f"recognized under unknown set {set_id!r}",
            "recognized_set",
            checks.suggest(set_id, vocab.sets) or f"known sets: {', '.join(sorted(vocab.sets))}",
        )
    tier = info.tier if info is not None else "standard"
    if tier_text:
        named = tier_key(tier_text)
        if named is None:
            fields.issue(
                "bad-tier",
                f"unknown tier {tier_text!r}",
                "recognized_tier",
                "one of: standard (chuẩn), advanced (nâng cao), model (kiểu mẫu)",
            )
        elif info is not None and named != info.tier:
            fields.issue(
                "bad-tier",
                f"{set_id} is the {info.tier} set; the tier given is {named}",
                "recognized_tier",
                "leave the tier empty, or name the set of that tier",
            )
        else:
            tier = named
    if info is not None and year:
        start, end = info.period
        if not start <= year <= end + RECOGNITION_GRACE:
            fields.issue(
                "bad-year",
                f"a recognition under {set_id} ({start}–{end}) cannot date from {year}",
                "recognized_year",
                "check the year and the set of the recognition decision",
            )
    return Recognized(set_id, year, tier if tier in TIERS else "standard", fields.location())


SHARED = (
    "year",
    "province",
    "region",
    "categories",
    "recognized_set",
    "recognized_year",
    "recognized_tier",
)
Shared = tuple[int, str, str, str, bool, tuple[str, ...], Recognized | None]


def _shared(fields: Fields, vocab: Vocab) -> Shared:
    year = _year(fields, "year", "data year")
    province = _text(fields, "province")
    region, basis, verified = _region(fields, vocab.regions, province)
    categories = _categories(fields, vocab.regions)
    return (year, province, region, basis, verified, categories, _recognized(fields, vocab))


def build_commune(
    fields: Fields,
    vocab: Vocab,
    measures: Mapping[str, Observed],
    recognition: Mapping[str, Observed],
    appraisals: tuple[Appraisal, ...] = (),
    memo: dict[tuple[object, ...], Shared] | None = None,
) -> Commune:
    """The commune `fields` describe; every problem is recorded through `fields.issue`.

    The caller discards the result when any problem was recorded. With `memo` (a table's rows),
    the year, province, region, categories and recognition are read once per distinct set of
    raw values that raised no problem.
    """
    name = _text(fields, "name")
    if not name and fields.has("name"):
        raw_name = fields.raw("name")
        if raw_name is None or str(raw_name).strip() == "":
            fields.issue("missing-value", "the commune name is empty", "name")
    key: tuple[object, ...] = ()
    found: Shared | None = None
    if memo is not None:
        key = fields.shared()
        found = memo.get(key)
    if found is None:
        before = fields.problems()
        found = _shared(fields, vocab)
        if memo is not None and fields.problems() == before:
            memo[key] = found
    elif found[6] is not None:  # the row's own recognition, located at this row
        rec = found[6]
        found = (*found[:6], Recognized(rec.set, rec.year, rec.tier, fields.location()))
    year, province, region, basis, verified, categories, recognized = found
    return Commune(
        name=name,
        year=year,
        region=region,
        region_basis=basis,
        region_verified=verified,
        measures=measures,
        province=province,
        district=_text(fields, "district"),
        code=_text(fields, "code"),
        categories=categories,
        recognized=recognized,
        recognition=recognition,
        note=_text(fields, "note"),
        data_status=_text(fields, "data_status"),
        source=fields.location(),
        appraisals=appraisals,
    )
