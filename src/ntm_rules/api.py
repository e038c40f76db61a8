"""The commune-level API: pick the sets, evaluate, compare."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .errors import UnknownSetError
from .load.catalog import Catalog, default_catalog
from .load.communes import Commune
from .model.criteria import CriteriaSet
from .model.results import CommuneReport, Evaluation
from .score.engine import evaluate
from .score.transition import transition


def set_in_force(
    commune: Commune, catalog: Catalog | None = None, tier: str = "standard"
) -> CriteriaSet:
    """The national set of `tier` whose period covers the commune's data year (else the nearest)."""
    found = (catalog or default_catalog()).in_force(tier, commune.year)
    if found is None:
        raise UnknownSetError(f"no {tier} criteria set is available")
    return found


def units_of(catalog: Catalog) -> dict[str, str]:
    return {k: m.unit_text("en") for k, m in catalog.measures.items()}


def assess(
    commune: Commune,
    sets: Sequence[CriteriaSet],
    catalog: Catalog | None = None,
    engine: str = "core",
) -> CommuneReport:
    """Evaluate one commune against each set; with two sets, add the transition old -> new."""
    catalog = catalog or default_catalog()
    units = units_of(catalog)
    scorer: Callable[[Commune, CriteriaSet, dict[str, str]], Evaluation] = evaluate
    if engine == "durable":
        from .score.durable import evaluate_durable

        scorer = evaluate_durable
    if any(s.requires for s in sets):
        from .score.tiers import TierEvaluator

        evaluator = TierEvaluator(catalog, units, scorer)
        evaluations = [evaluator.evaluate(commune, s) for s in sets]
    else:
        evaluations = [scorer(commune, s, units) for s in sets]
    trans = None
    if len(sets) == 2:
        trans = transition(commune, sets[0], sets[1], evaluations[0], evaluations[1])
    return CommuneReport(commune.to_dict(), tuple(evaluations), trans)


def assess_tiers(commune: Commune, catalog: Catalog | None = None) -> CommuneReport:
    """Evaluate every tier in force (standard, advanced, model) with prerequisites applied."""
    from .score.tiers import TierEvaluator, summarize, tier_sets

    catalog = catalog or default_catalog()
    evaluator = TierEvaluator(catalog, units_of(catalog))
    evaluations = tuple(evaluator.evaluate(commune, s) for s in tier_sets(commune, catalog))
    return CommuneReport(commune.to_dict(), evaluations, None, summarize(evaluations))


def compare(
    commune: Commune, old: CriteriaSet, new: CriteriaSet, catalog: Catalog | None = None
) -> CommuneReport:
    return assess(commune, [old, new], catalog)
