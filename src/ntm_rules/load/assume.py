"""What-if thresholds: ``--assume 10@TN:2024=45`` fills (or overrides) one threshold cell as an
ad-hoc overlay, marked *assumed* wherever it is used, never verified.

The text form is ``[SET/]INDICATOR[[MEASURE]][@REGION[:YEAR]]=VALUE``:

- ``10@TN:2024=45``: indicator 10 of the newest national set, region TN, the 2024 level;
- ``11@TN=4``: every year (when the threshold changes by year) in region TN;
- ``12.1=40``: every region;
- ``ntm-2016-2020/10@TN:2020=36``: another set;
- ``17.1[centralised_clean_water_pct]@TN=30``: one check of an indicator with several.

A file of assumptions (``--assume @FILE``) holds one per line; ``#`` starts a comment.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import InvalidFileError, Issue, Location, NtmRulesError
from ..model.assumptions import ASSUMED, Assumption
from ..model.criteria import Cell, Check, CriteriaSet, RegionValues, Source, Threshold
from ..model.vocab import Regions

_FORM = re.compile(
    r"^(?:(?P<set>[A-Za-z0-9_.-]+)/)?(?P<ind>[0-9][0-9.]*)(?:\[(?P<measure>[a-z0-9_]+)\])?"
    r"(?:@(?P<region>[^:=]+)(?::(?P<year>\d{4}))?)?=(?P<value>.+)$"
)


def _value(text: str) -> float | bool | None:
    word = text.strip().lower()
    if word in ("true", "đạt", "có", "yes"):
        return True
    if word in ("false", "không đạt", "không", "no"):
        return False
    word = word.removesuffix("%").strip()
    if word.count(",") == 1 and "." not in word:
        word = word.replace(",", ".")
    try:
        number = float(word)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def parse_assumption(text: str, regions: Regions, where: str = "--assume") -> Assumption:
    """One assumption in the text form; :class:`NtmRulesError` says what is wrong with it."""
    found = _FORM.match(text.strip())
    if found is None:
        raise NtmRulesError(
            f"{where}: cannot read the assumption {text!r}; write INDICATOR@REGION:YEAR=VALUE, "
            "e.g. 10@TN:2024=45"
        )
    value = _value(found["value"])
    if value is None:
        raise NtmRulesError(f"{where}: {found['value']!r} in {text!r} is not a number")
    region = ""
    if found["region"]:
        code = regions.region_code(found["region"].strip())
        if code is None:
            codes = ", ".join(regions.codes)
            raise NtmRulesError(f"{where}: unknown region {found['region']!r}; use one of {codes}")
        region = code
    return Assumption(
        text=text.strip(),
        indicator=found["ind"],
        value=value,
        set_id=found["set"] or "",
        measure=found["measure"] or "",
        region=region,
        year=int(found["year"]) if found["year"] else None,
        where=where,
    )


def read_assumptions(items: Iterable[str], regions: Regions) -> tuple[Assumption, ...]:
    """Assumptions from the command line; ``@FILE`` reads one per line from a file."""
    out: list[Assumption] = []
    for item in items:
        if not item.startswith("@"):
            out.append(parse_assumption(item, regions))
            continue
        path = Path(item[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NtmRulesError(f"{path}: cannot read the assumptions file ({exc})") from None
        issues = []
        for number, line in enumerate(text.splitlines(), start=1):
            body = line.split("#", 1)[0].strip()
            if not body:
                continue
            try:
                out.append(parse_assumption(body, regions, f"{path}:{number}"))
            except NtmRulesError as exc:
                column = line.index(body[0]) + 1
                message = str(exc).split(": ", 1)[1]
                issues.append(Issue("bad-assumption", message, Location(str(path), number, column)))
        if issues:
            raise InvalidFileError(issues)
    return tuple(out)


def _cell(a: Assumption) -> Cell:
    source = Source(ASSUMED, f"assumed: {a.text}", "", ASSUMED)
    return Cell(a.value, False, source, note=f"assumed ({a.where})", origin=ASSUMED)


def _set_region(values: RegionValues, a: Assumption, regions: Regions) -> RegionValues:
    cell = _cell(a)
    if a.region:
        return dataclasses.replace(values, by_region={**values.by_region, a.region: cell})
    every = dict.fromkeys(regions.codes, cell)
    return dataclasses.replace(values, all_regions=cell, by_region=every)


def _threshold(t: Threshold, a: Assumption, regions: Regions, last_year: int) -> Threshold:
    if not t.by_year:
        return dataclasses.replace(t, base=_set_region(t.base, a, regions))
    if a.year is None:
        years = tuple((y, _set_region(v, a, regions)) for y, v in t.by_year)
        return dataclasses.replace(t, by_year=years)
    entries = dict(t.by_year)
    following = a.year + 1
    if following not in entries and following <= last_year:
        keep, _ = t.values_for_year(following)
        entries[following] = keep if keep is not None else RegionValues()
    at_year, _ = t.values_for_year(a.year)
    entries[a.year] = _set_region(at_year or RegionValues(), a, regions)
    return dataclasses.replace(t, by_year=tuple(sorted(entries.items())))


def _check_index(cset: CriteriaSet, a: Assumption, checks: Sequence[Check]) -> int:
    if a.measure:
        for k, check in enumerate(checks):
            if check.measure == a.measure:
                return k
        names = ", ".join(c.measure for c in checks)
        raise NtmRulesError(f"{a.where}: indicator {a.indicator} of {cset.id} reads {names}")
    if len(checks) > 1:
        names = ", ".join(c.measure for c in checks)
        raise NtmRulesError(
            f"{a.where}: indicator {a.indicator} has several checks ({names}); name one, e.g. "
            f"{a.indicator}[{checks[0].measure}]@..."
        )
    return 0


def apply(cset: CriteriaSet, assumptions: Sequence[Assumption], regions: Regions) -> CriteriaSet:
    """The set with the assumed cells in place (`assumptions` already chosen for this set)."""
    criteria = list(cset.criteria)
    for a in assumptions:
        found = next(
            (
                (ci, ki)
                for ci, crit in enumerate(criteria)
                for ki, ind in enumerate(crit.indicators)
                if ind.id == a.indicator
            ),
            None,
        )
        if found is None:
            raise NtmRulesError(f"{a.where}: {cset.id} has no indicator {a.indicator!r}")
        ci, ki = found
        ind = criteria[ci].indicators[ki]
        k = _check_index(cset, a, ind.checks)
        check = ind.checks[k]
        if check.operator == "is true" or isinstance(a.value, bool):
            raise NtmRulesError(f"{a.where}: indicator {a.indicator} is a yes/no check")
        if a.year is not None and not check.threshold.by_year:
            raise NtmRulesError(
                f"{a.where}: the threshold of {a.indicator} does not change by year; "
                f"drop ':{a.year}'"
            )
        threshold = _threshold(check.threshold, a, regions, cset.period[1])
        checks = list(ind.checks)
        checks[k] = dataclasses.replace(check, threshold=threshold)
        new_ind = dataclasses.replace(ind, checks=tuple(checks))
        inds = list(criteria[ci].indicators)
        inds[ki] = new_ind
        criteria[ci] = dataclasses.replace(criteria[ci], indicators=tuple(inds))
    return dataclasses.replace(cset, criteria=tuple(criteria))
