"""`template`: a blank commune file for the sets a run uses — every measure they read, with its
unit and labels, the recognition conditions, a recorded recognition for a transition, and the
commune categories."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.criteria import CriteriaSet
from ..model.vocab import Vocab
from ..words import t


def _sets(criteria_sets: CriteriaSet | Sequence[CriteriaSet]) -> list[CriteriaSet]:
    return [criteria_sets] if isinstance(criteria_sets, CriteriaSet) else list(criteria_sets)


def _head(sets: list[CriteriaSet], vocab: Vocab, lang: str) -> list[str]:
    codes = ", ".join(vocab.regions.shown(c) for c in vocab.regions.codes)
    names = ", ".join(f"{s.id} ({s.decision})" for s in sets)
    categories = ", ".join(vocab.regions.categories)
    return [
        f"# {t('tpl_for', lang, sets=names)}",
        f"# {t('tpl_fill', lang)}",
        f"# {t('tpl_units', lang)}",
        "name: ''",
        "province: ''",
        "district: ''",
        f"region:          # {codes} ({t('tpl_region', lang)})",
        f"year:            # {t('tpl_year', lang)}",
        f"categories: []   # {categories}",
        f"# recognized: {{set: {sets[0].id}, year: 2020, tier: standard}}   "
        f"# {t('tpl_recognized', lang)}",
    ]


def render_template(
    criteria_sets: CriteriaSet | Sequence[CriteriaSet], vocab: Vocab, lang: str = "vi"
) -> str:
    """The YAML commune file to fill for every set given (their measures' union)."""
    sets = _sets(criteria_sets)
    measures = vocab.measures
    other = "en" if lang == "vi" else "vi"
    lines = [*_head(sets, vocab, lang), "measures:"]
    seen: set[str] = set()
    for cset in sets:
        for crit in cset.criteria:
            keys = [
                (ind.id, key)
                for ind in crit.indicators
                for key in (
                    ([ind.applies_if.measure] if ind.applies_if is not None else [])
                    + list(ind.measures)
                )
                if key not in seen
            ]
            if not keys:
                continue
            lines.append(f"  # --- {cset.id} {crit.id} {crit.name.get(lang)}")
            for ind_id, key in keys:
                if key in seen:
                    continue
                seen.add(key)
                m = measures[key]
                unit = m.unit_text(lang) or t("tpl_type_" + m.type, lang)
                lines.append(
                    f"  {key}:    # [{ind_id}] {m.label.get(lang)} ({unit}) / {m.label.get(other)}"
                )
    conditions = {key: None for s in sets for cond in s.recognition for key in cond.measures}
    if conditions:
        lines.append(f"recognition:    # {t('tpl_recognition', lang)}")
        for key in conditions:
            m = measures[key]
            lines.append(f"  {key}:    # {m.label.get(lang)} / {m.label.get(other)}")
    return "\n".join(lines) + "\n"
