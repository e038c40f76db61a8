"""Finding and loading the criteria sets: shipped with the package, or in a given directory.

Everything a set refers to is resolved here, when it is loaded: the base of an overlay
(`extends`), the sets a tier presupposes (`requires` -> ``CriteriaSet.required_sets``) and
derived thresholds (``derive``). Scoring never reads a file.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from ..errors import InvalidFileError, Issue, Location, UnknownSetError, raise_if
from ..model.assumptions import Assumption
from ..model.commune import TIERS
from ..model.criteria import CriteriaSet
from ..model.programme import Programme
from ..model.vocab import Measures, Regions, SetInfo, Vocab
from ..words import register_categories, register_regions
from . import compiled
from .assume import apply as apply_assumptions
from .criteria import parse_set
from .overlay import overlay_base, parse_overlay
from .programme import load_programme
from .source import Document, read_yaml
from .thresholds import resolve_derived
from .vocab import load_measures, load_regions

MEASURES_FILE = "measures.yaml"
REGIONS_FILE = "regions.yaml"
PROGRAMME_FILE = "programme.yaml"
OVERLAY_DIR = "overlays"
_NOT_SETS = {MEASURES_FILE, REGIONS_FILE, PROGRAMME_FILE}


def _registered(regions: Regions) -> Regions:
    """Regions, with how each code is written recorded for the renderers (ĐBSH for DBSH)."""
    register_regions({code: regions.shown(code) for code in regions.codes})
    register_categories(dict(regions.categories))
    return regions


def default_criteria_dir() -> Path:
    """The shipped `criteria/` directory: inside the wheel, or at the root of a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the ntm_rules package
    for candidate in (here / "criteria", here.parent.parent / "criteria"):
        if (candidate / MEASURES_FILE).is_file():
            return candidate
    raise UnknownSetError(
        "the shipped criteria/ directory was not found; reinstall the package or pass --criteria"
    )


class Catalog:
    """The criteria sets, measures and regions of one `criteria/` directory."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_criteria_dir()
        self._cache: dict[str, CriteriaSet] = {}
        self._loading: list[str] = []
        self._assumed: dict[str, list[Assumption]] = {}  # set id -> what-if thresholds
        self.assumptions: tuple[Assumption, ...] = ()
        self._compiled: dict[str, CriteriaSet] | None = None  # from the on-disk cache

    def _warm(self) -> None:
        """Take the sets, measures, regions and programme from the compiled cache, if any."""
        if self._compiled is not None:
            return
        self._compiled = {}
        payload = compiled.read(self.root)
        if payload is None:
            return
        self._compiled = dict(payload["sets"])
        for name in ("measures", "regions", "programme"):
            self.__dict__.setdefault(name, payload[name])
        _registered(payload["regions"])

    def assume(self, *texts: str) -> Catalog:
        """:meth:`assuming` from the text form: ``catalog.assume("10@TN:2024=45")``."""
        from .assume import read_assumptions

        return self.assuming(read_assumptions(texts, self.regions))

    def assuming(self, assumptions: Sequence[Assumption]) -> Catalog:
        """A catalog of the same directory whose sets carry the assumed thresholds
        (``--assume``); an assumption without a set applies to the newest national set."""
        other = Catalog(self.root)
        if not assumptions:
            return other
        default = ""
        if any(not a.set_id for a in assumptions):
            default = self.default_transition()[1].id
        known = self.set_paths()
        for a in assumptions:
            set_id = a.set_id or default
            if set_id not in known:
                raise UnknownSetError(f"{a.where}: unknown criteria set {set_id!r}")
            other._assumed.setdefault(set_id, []).append(dataclasses.replace(a, set_id=set_id))
        other.assumptions = tuple(a for found in other._assumed.values() for a in found)
        return other

    @cached_property
    def measures(self) -> Measures:
        self._warm()
        if "measures" in self.__dict__:
            return self.__dict__["measures"]  # type: ignore[no-any-return]
        return load_measures(self.root / MEASURES_FILE)

    @cached_property
    def regions(self) -> Regions:
        self._warm()
        if "regions" in self.__dict__:
            return self.__dict__["regions"]  # type: ignore[no-any-return]
        return _registered(load_regions(self.root / REGIONS_FILE))

    @cached_property
    def programme(self) -> Programme:
        """Bands, targets and not-encoded national sets (`programme.yaml`; defaults if absent)."""
        self._warm()
        if "programme" in self.__dict__:
            return self.__dict__["programme"]  # type: ignore[no-any-return]
        return load_programme(self.root / PROGRAMME_FILE)

    @cached_property
    def vocab(self) -> Vocab:
        """Measures, regions and every set's id, tier and period (for reading communes)."""
        sets = {s.id: SetInfo(s.id, s.tier, s.period) for s in self.all_sets()}
        return Vocab(self.measures, self.regions, sets)

    def set_paths(self) -> dict[str, Path]:
        """Set id -> file, for every set and overlay in the directory (file stem = id)."""
        out: dict[str, Path] = {}
        for folder in (self.root, self.root / OVERLAY_DIR):
            if folder.is_dir():
                for path in sorted(folder.glob("*.yaml")):
                    if path.name not in _NOT_SETS:
                        out[path.stem] = path
        return out

    def ids(self) -> list[str]:
        return list(self.set_paths())

    def load(self, ref: str | Path) -> CriteriaSet:
        """Load a set by id (``ntm-2021-2025``) or by path to a criteria or overlay file."""
        key = str(ref)
        if key in self._cache:
            return self._cache[key]
        self._warm()
        found = (self._compiled or {}).get(key)
        if found is not None:
            if found.id in self._assumed:
                found = apply_assumptions(found, self._assumed[found.id], self.regions)
            self._cache[key] = found
            return found
        path = Path(ref)
        if not (path.suffix in (".yaml", ".yml") and path.exists()):
            paths = self.set_paths()
            if key not in paths:
                close = difflib.get_close_matches(key, list(paths), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise UnknownSetError(
                    f"unknown criteria set {key!r}{hint} Known sets: {', '.join(paths)}"
                )
            path = paths[key]
        if key in self._loading:
            chain = " -> ".join([*self._loading, key])
            raise UnknownSetError(f"criteria sets refer to each other in a loop: {chain}")
        self._loading.append(key)
        try:
            loaded = self.load_file(path)
            self._check_reserved(loaded, path)
            loaded = self._with_required(loaded)
            self._check_continues(loaded)
            if loaded.id in self._assumed:
                loaded = apply_assumptions(loaded, self._assumed[loaded.id], self.regions)
        finally:
            self._loading.pop()
        self._cache[key] = loaded
        self._cache[loaded.id] = loaded
        return loaded

    def _check_reserved(self, cset: CriteriaSet, path: Path) -> None:
        """A file given by path may not take the id of a set of the catalog: beside the real one
        it would be reported as that set."""
        owner = self.set_paths().get(cset.id)
        if owner is not None and owner.resolve() != path.resolve():
            raise InvalidFileError(
                [
                    Issue(
                        "reserved-id",
                        f"the id {cset.id!r} belongs to {owner}; this file cannot use it",
                        Location(str(path), 1, 1, "id"),
                        "give the set its own id (and the file the same name)",
                    )
                ]
            )

    def _with_required(self, cset: CriteriaSet) -> CriteriaSet:
        if not cset.requires:
            return cset
        required = []
        for ref in cset.requires:
            try:
                required.append(self.load(ref))
            except UnknownSetError as exc:
                raise InvalidFileError(
                    [Issue("unknown-set", str(exc), Location(cset.path, 1, 1, "requires"))]
                ) from None
        return dataclasses.replace(cset, required_sets=tuple(required))

    def _check_continues(self, cset: CriteriaSet) -> None:
        """Every `continues:` names an indicator of the superseded set, each at most once."""
        stated = [i for i in cset.indicators if i.continues]
        if not stated:
            return
        old = self.load(cset.supersedes) if cset.supersedes else None
        issues: list[Issue] = []
        seen: dict[str, str] = {}
        for ind in stated:
            where = ind.location or Location(cset.path, 1, 1, "continues")
            if old is None:
                issues.append(
                    Issue("bad-continues", "`continues:` needs `supersedes:` in the set", where)
                )
            elif old.indicator(ind.continues) is None:
                issues.append(
                    Issue(
                        "bad-continues",
                        f"indicator {ind.id} continues {ind.continues!r}, "
                        f"which {old.id} does not have",
                        where,
                    )
                )
            elif ind.continues in seen:
                issues.append(
                    Issue(
                        "bad-continues",
                        f"indicators {seen[ind.continues]} and {ind.id} both continue "
                        f"{ind.continues} of {old.id}",
                        where,
                    )
                )
            seen.setdefault(ind.continues, ind.id)
        raise_if(issues)

    def load_file(self, path: Path, bases: dict[str, CriteriaSet] | None = None) -> CriteriaSet:
        doc = read_yaml(path)
        if doc.fatal:
            raise_if(doc.issues)
        return self.parse_document(doc, bases or {})

    def parse_document(self, doc: Document, bases: dict[str, CriteriaSet]) -> CriteriaSet:
        base_id = overlay_base(doc)
        if base_id is not None:
            base = bases.get(base_id)
            if base is None:
                try:
                    base = self.load(base_id)
                except UnknownSetError as exc:
                    raise InvalidFileError(
                        [
                            Issue(
                                "unknown-set",
                                str(exc),
                                doc.loc(("extends",)),
                                "name a set from `ntm-check sets`",
                            )
                        ]
                    ) from None
            result = parse_overlay(doc, self.measures, self.regions, base)
        else:
            result = parse_set(doc, self.measures, self.regions)
        raise_if(doc.issues)
        assert result is not None
        result = resolve_derived(result, doc, self.load)
        raise_if(doc.issues)
        stem = Path(doc.file).stem
        if (
            Path(doc.file).parent.resolve()
            in (self.root.resolve(), (self.root / OVERLAY_DIR).resolve())
            and stem != result.id
        ):
            raise InvalidFileError(
                [
                    Issue(
                        "id-mismatch",
                        f"set id {result.id!r} differs from the file name {stem!r}",
                        Location(doc.file, 1, 1, "id"),
                        "rename the file or the id",
                    )
                ]
            )
        return result

    def all_sets(self) -> list[CriteriaSet]:
        found = [self.load(set_id) for set_id in self.ids()]
        if not self._compiled and not self._assumed:  # parsed now, without errors: keep it
            sets = {s.id: s for s in found}
            compiled.write(
                self.root,
                {
                    "sets": sets,
                    "measures": self.measures,
                    "regions": self.regions,
                    "programme": self.programme,
                },
            )
            self._compiled = sets
        return found

    def national(self) -> list[CriteriaSet]:
        """The national sets (not overlays)."""
        return [s for s in self.all_sets() if s.overlay is None]

    def in_force(self, tier: str, year: int) -> CriteriaSet | None:
        """The national set of `tier` whose period covers `year`; for a year outside every
        period, the nearest one (the earliest before, the latest after). None if no such tier."""
        sets = [s for s in self.national() if s.tier == tier]
        if not sets:
            return None

        def distance(s: CriteriaSet) -> tuple[int, int]:
            start, end = s.period
            return (start - year if year < start else max(0, year - end), -end)

        return min(sets, key=distance)

    def tier_chain(self, year: int) -> list[CriteriaSet]:
        """The national set of each tier in force for `year` (standard, advanced, model)."""
        found = (self.in_force(tier, year) for tier in TIERS)
        return [s for s in found if s is not None]

    def default_transition(self) -> tuple[CriteriaSet, CriteriaSet]:
        """The newest national standard set and the set it supersedes (from `supersedes`)."""
        for cset in sorted(self.national(), key=lambda s: s.period[1], reverse=True):
            if cset.tier == "standard" and cset.supersedes:
                return self.load(cset.supersedes), cset
        raise UnknownSetError("no national set says which set it supersedes (`supersedes:`)")


_DEFAULT: dict[str, Catalog] = {}


def default_catalog() -> Catalog:
    """The catalog of the shipped criteria directory (one per process)."""
    if "default" not in _DEFAULT:
        _DEFAULT["default"] = Catalog()
    return _DEFAULT["default"]


def load_set(ref: str | Path, criteria_dir: Path | str | None = None) -> CriteriaSet:
    """Load a criteria set (or a resolved overlay) by id or path."""
    catalog = Catalog(criteria_dir) if criteria_dir is not None else default_catalog()
    return catalog.load(ref)
