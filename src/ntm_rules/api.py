"""The use cases: what each command does, as library calls that return typed results.

The CLI parses options, calls one of these and prints the result; analysts call the same
functions. Every function takes the :class:`~ntm_rules.load.catalog.Catalog` to use (the
shipped one when omitted): it supplies the measures, regions and sets, so a ``--criteria``
directory drives every label and unit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NtmRulesError, UnknownSetError
from .load.catalog import Catalog, default_catalog
from .load.inputs import Inputs
from .load.inputs import read_communes as _read
from .model.columns import Columns
from .model.commune import Commune
from .model.criteria import CriteriaSet
from .model.programme import fallback_note
from .model.transitions import Transition
from .score.kernel import Decide, Scorer
from .score.transition import transition

if TYPE_CHECKING:  # one commune's results, the province scorer, set views and validation
    # load on first use (a province's batch never makes an Evaluation)
    from .model.plan import PlanRun
    from .model.results import CommuneReport, Evaluation
    from .model.views import CheckRun, CompareView, Explanation, ValidationReport
    from .province import ProvinceResult
    from .sets import SetDiff, SetList, SetView

Paths = Sequence[Path | str] | Path | str


def _catalog(catalog: Catalog | None) -> Catalog:
    return catalog if catalog is not None else default_catalog()


def _decider(engine: str) -> Decide | None:
    if engine == "core":
        return None
    if engine == "durable":
        from .score.durable import decide

        return decide
    raise NtmRulesError(f"unknown engine {engine!r}: core or durable")


def read_communes(paths: Paths, catalog: Catalog | None = None, *, strict: bool = True) -> Inputs:
    """Every commune of YAML, CSV or XLSX files or directories (see :mod:`.load.inputs`)."""
    return _read(paths, _catalog(catalog).vocab, strict=strict)


def communes_from_mapping(
    data: Mapping[str, Any], catalog: Catalog | None = None, *, origin: str = "<mapping>"
) -> list[Commune]:
    """The commune a mapping describes, read exactly as a commune YAML file is (``name``,
    ``year``, ``measures`` with values such as ``'27,3'``, ``'85%'``, ``'có'`` …; a ``years:``
    block gives one commune per year). Raises :class:`InvalidFileError` listing every problem,
    located by its key path under `origin`."""
    from .errors import raise_if
    from .load.source import Document
    from .load.yaml_communes import parse_commune

    raw = dict(data)
    doc = Document(origin, data=raw)
    found = parse_commune(doc, raw, (), _catalog(catalog).vocab)
    raise_if(doc.issues)
    return found


def commune_from_mapping(
    data: Mapping[str, Any], catalog: Catalog | None = None, *, origin: str = "<mapping>"
) -> Commune:
    """One commune from a mapping (:func:`communes_from_mapping` for a ``years:`` block)."""
    found = communes_from_mapping(data, catalog, origin=origin)
    if len(found) != 1:
        raise NtmRulesError(
            f"{origin}: the mapping gives {len(found)} data years; use communes_from_mapping"
        )
    return found[0]


def load_communes(path: Path | str, catalog: Catalog | None = None) -> list[Commune]:
    """The communes of one file or directory (YAML, CSV or XLSX); any bad row is an error."""
    return list(read_communes(path, catalog).communes)


def set_in_force(
    commune: Commune, catalog: Catalog | None = None, tier: str = "standard"
) -> CriteriaSet:
    """The national set of `tier` whose period covers the commune's data year (else the nearest)."""
    found = _catalog(catalog).in_force(tier, commune.year)
    if found is None:
        raise UnknownSetError(f"no {tier} criteria set is available")
    return found


def evaluate(
    commune: Commune,
    criteria_set: CriteriaSet,
    catalog: Catalog | None = None,
    engine: str = "core",
) -> Evaluation:
    """Score one commune against one set (prerequisites of a tier applied)."""
    from .score.explain import evaluation

    scores = Scorer([commune], _decider(engine)).score(criteria_set)
    return evaluation(scores, 0, _catalog(catalog).measures, engine)


def _with_fallback(ev: Evaluation, cset: CriteriaSet, cat: Catalog) -> Evaluation:
    """Say it when the data year belongs to a set that is known but not encoded (2026+)."""
    known = cat.programme.known_for(ev.year)
    if known is None or known.tier != cset.tier or cset.covers_year(ev.year):
        return ev
    return dataclasses.replace(ev, notes=(fallback_note(known, cset, ev.year), *ev.notes))


def assess_many(
    communes: Sequence[Commune],
    catalog: Catalog | None = None,
    sets: Sequence[CriteriaSet] = (),
    *,
    tiers: bool = False,
    engine: str = "core",
) -> CheckRun:
    """Score each commune against `sets` (else the set in force for its data year); with two
    sets, add the transition old -> new; with `tiers`, every tier in force and the highest
    one reached."""
    from .model.results import CommuneReport
    from .model.views import CheckRun
    from .score.explain import evaluation
    from .score.tiers import summarize

    cat = _catalog(catalog)
    if tiers and sets:
        raise NtmRulesError(
            "--tiers evaluates the national standard, advanced and model sets in force for the "
            "data year; it cannot be combined with --set (score an overlay with --set alone)"
        )
    scorer = Scorer(communes, _decider(engine))
    reports = []
    for i, commune in enumerate(communes):
        chosen = list(sets)
        if tiers:
            chosen = cat.tier_chain(commune.year)
        elif not chosen:
            chosen = [set_in_force(commune, cat)]
        scores = [scorer.score(s) for s in chosen]
        evaluations = tuple(evaluation(sc, i, cat.measures, engine) for sc in scores)
        if scores and not tiers:  # the newest set scored says when it is not the one in force
            last = _with_fallback(evaluations[-1], scores[-1].criteria_set, cat)
            evaluations = (*evaluations[:-1], last)
        trans = None
        if len(chosen) == 2 and not tiers:
            trans = transition(scores[0], scores[1], i, cat.measures)
        reports.append(
            CommuneReport(commune, evaluations, trans, summarize(evaluations) if tiers else None)
        )
    years = () if tiers else _years(scorer, communes, sets, cat, engine)
    return CheckRun(tuple(reports), cat.assumptions, years)


def _years(
    scorer: Scorer,
    communes: Sequence[Commune],
    sets: Sequence[CriteriaSet],
    cat: Catalog,
    engine: str,
) -> tuple[Any, ...]:
    """Each commune given for several data years, all scored against one set: the newest set
    named, else the set in force in its latest year."""
    if len({c.year for c in communes}) < 2:  # a series needs two data years
        return ()
    from .model.identity import series
    from .score import revocation
    from .score.explain import evaluation
    from .score.years import commune_years

    out = []
    for idx in series(communes):
        cset = sets[-1] if sets else set_in_force(communes[idx[-1]], cat)
        sc = scorer.score(cset)
        evs = [evaluation(sc, i, cat.measures, engine) for i in idx]
        out.append(commune_years(sc, idx, revocation.frame(sc), evs))
    return tuple(out)


def plan_many(run: CheckRun, catalog: Catalog | None = None) -> PlanRun:
    """Each evaluation of `run` with its plan: what to raise, by how much, in which order, to
    reach the standard (``check --plan``)."""
    from .model.plan import PlanRun
    from .score.steps import count_measures, plan_for

    whole = count_measures(_catalog(catalog).measures)
    return PlanRun(
        run, tuple(tuple(plan_for(ev, whole=whole) for ev in r.evaluations) for r in run.reports)
    )


def assess(
    commune: Commune,
    sets: Sequence[CriteriaSet],
    catalog: Catalog | None = None,
    engine: str = "core",
) -> CommuneReport:
    """Evaluate one commune against each set; with two sets, add the transition old -> new."""
    return assess_many([commune], catalog, sets, engine=engine).reports[0]


def assess_tiers(commune: Commune, catalog: Catalog | None = None) -> CommuneReport:
    """Every tier in force (standard, advanced, model), with the highest one reached."""
    return assess_many([commune], catalog, tiers=True).reports[0]


def compare(
    commune: Commune, old: CriteriaSet, new: CriteriaSet, catalog: Catalog | None = None
) -> CommuneReport:
    """One commune under the old and the new set, with its transition."""
    return assess(commune, [old, new], catalog)


def transition_of(
    commune: Commune, old: CriteriaSet, new: CriteriaSet, catalog: Catalog | None = None
) -> Transition:
    """The commune's transition old -> new: outcome, culprits, provisional."""
    found = compare(commune, old, new, catalog).transition
    assert found is not None
    return found


def compare_many(
    communes: Sequence[Commune],
    catalog: Catalog | None = None,
    old: CriteriaSet | None = None,
    new: CriteriaSet | None = None,
) -> CompareView:
    """Which communes keep, lose or gain certification from `old` to `new` (by default the
    newest national set and the one it supersedes)."""
    from .model.views import CompareView

    cat = _catalog(catalog)
    if old is None or new is None:
        default_old, default_new = cat.default_transition()
        old, new = old or default_old, new or default_new
    run = assess_many(communes, cat, [old, new])
    return CompareView(old.id, new.id, run.reports, cat.assumptions)


def score_province(
    communes: Sequence[Commune] | Columns | Inputs,
    sets: Sequence[CriteriaSet] = (),
    catalog: Catalog | None = None,
    *,
    tiers: bool = False,
    engine: str = "core",
    progress: Callable[[str], None] | None = None,
) -> ProvinceResult:
    """A whole province: every commune against `sets` (by default the newest national set and
    the one it supersedes: the transition), aggregated as planners report it."""
    cat = _catalog(catalog)
    chosen = list(sets) or list(cat.default_transition())
    row_errors: tuple[Any, ...] = ()
    rows_read = 0
    if isinstance(communes, Inputs):
        row_errors = communes.errors
        rows_read = communes.rows
        communes = communes.columns if communes.columns is not None else communes.communes
    if not len(communes if not isinstance(communes, Columns) else communes.communes):
        raise NtmRulesError("no commune could be read from the input")
    tier_chain = cat.tier_chain(max(s.period[1] for s in chosen)) if tiers else []
    from .province import score_province as _score_province

    every = Columns.of(communes)
    groups, keep = _series(every)
    result = _score_province(
        every.take(keep) if groups else every,
        chosen,
        cat.measures,
        row_errors=row_errors,
        tier_sets=tier_chain,
        decide=_decider(engine),
        progress=progress,
        programme=cat.programme,
        assumptions=cat.assumptions,
        rows_read=rows_read,
    )
    if not groups:
        return result
    from .score.years import province_years

    scores = Scorer(every, _decider(engine)).score(chosen[-1])
    found = province_years(scores, groups, every.n - len(keep))
    return dataclasses.replace(result, years=found)


def _series(every: Columns) -> tuple[list[list[int]], list[int]]:
    """The communes given for several data years (their rows, oldest first), and the rows the
    headline keeps: each commune once, in its latest year."""
    from .model.identity import commune_keys, latest, series

    if len(set(every.years.tolist())) < 2:  # a series needs two data years
        return [], list(range(every.n))
    keys = every.keys if every.keys is not None else commune_keys(every.communes)
    groups = series(every.communes, keys)
    return groups, latest(every.communes, keys) if groups else list(range(every.n))


def explain(
    commune: Commune,
    criterion: str,
    catalog: Catalog | None = None,
    criteria_set: CriteriaSet | None = None,
) -> Explanation:
    """Every indicator of one criterion (``10``) — or one indicator (``13.3``) — for one
    commune, with values, thresholds and sources."""
    from .model.views import Explanation

    cat = _catalog(catalog)
    cset = criteria_set or set_in_force(commune, cat)
    ev = evaluate(commune, cset, cat)
    if ev.criterion(criterion) is not None:
        return Explanation(commune, ev, criterion)
    for crit in ev.criteria:
        if any(i.id == criterion for i in crit.indicators):
            return Explanation(commune, ev, crit.id, criterion)
    known = ", ".join(c.id for c in cset.criteria)
    raise NtmRulesError(
        f"{criterion!r} is neither a criterion nor an indicator of {cset.id} (criteria: {known})"
    )


def pick_commune(
    communes: Sequence[Commune], name: str | None = None, row: int | None = None
) -> Commune:
    """One commune of a file: by name (case and diacritics ignored) or by its row or line."""
    from .model.vocab import fold

    if name is not None:
        found = [c for c in communes if fold(c.name) == fold(name)]
    elif row is not None:
        found = [c for c in communes if c.source is not None and c.source.line == row]
    else:
        found = list(communes)
    if len(found) == 1:
        return found[0]
    if not found:
        what = f"no commune named {name!r}" if name is not None else f"no commune on row {row}"
        raise NtmRulesError(f"{what}; the file holds: {', '.join(c.name for c in communes[:20])}")
    raise NtmRulesError(f"{len(found)} communes match; choose one with --commune NAME or --row N")


def list_sets(catalog: Catalog | None = None) -> SetList:
    """Every set of the catalog; an overlay says how many of its base's unknowns it closes."""
    from .sets import SetList, SetSummary

    cat = _catalog(catalog)
    return SetList(
        tuple(
            SetSummary(s, cat.load(s.base_id) if s.overlay and s.base_id else None)
            for s in cat.all_sets()
        ),
        cat.programme.not_encoded,
    )


def show(
    criteria_set: CriteriaSet,
    catalog: Catalog | None = None,
    region: str | None = None,
    year: int | None = None,
) -> SetView:
    cat = _catalog(catalog)
    code = None
    if region is not None:
        code = cat.regions.region_code(region)
        if code is None:
            from .load.vocab import region_hint

            raise NtmRulesError(f"unknown region {region!r}: {region_hint(cat.regions, region)}")
    base = None
    if criteria_set.overlay is not None and criteria_set.base_id:
        base = cat.load(criteria_set.base_id)
    from .sets import SetView

    return SetView(criteria_set, cat.measures, code, year, cat.regions.codes, base)


def diff(
    old: CriteriaSet,
    new: CriteriaSet,
    catalog: Catalog | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> SetDiff:
    from .sets import diff_sets

    return diff_sets(old, new, year_from, year_to, _catalog(catalog).regions.codes)


def validate(paths: Paths, catalog: Catalog | None = None) -> ValidationReport:
    from .load.inputs import discover

    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, _skipped = discover(paths)
    from .load.validate import validate_files

    return validate_files(files, _catalog(catalog))
