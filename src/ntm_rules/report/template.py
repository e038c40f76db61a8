"""`template`: a blank commune file for a set, every measure with its unit and labels."""

from __future__ import annotations

from ..model.criteria import CriteriaSet
from ..model.vocab import Vocab


def render_template(criteria_set: CriteriaSet, vocab: Vocab, lang: str = "vi") -> str:
    measures = vocab.measures
    codes = ", ".join(vocab.regions.shown(c) for c in vocab.regions.codes)
    other = "en" if lang == "vi" else "vi"
    lines = [
        f"# Commune data for {criteria_set.id} ({criteria_set.decision}).",
        "# Fill in every value you have; leave a value empty (null) when there is no data:",
        "# missing data is reported as missing, never as a pass or a fail.",
        "# Percentages are 0..100; booleans are true/false (có/không, đạt/không đạt).",
        "name: ''",
        "province: ''",
        "district: ''",
        f"region:          # {codes} (or derived from province)",
        "year:            # the year the figures describe",
        "categories: []   # e.g. [dbkk] for an especially disadvantaged commune",
        "measures:",
    ]
    seen: set[str] = set()
    for crit in criteria_set.criteria:
        lines.append(f"  # --- {crit.id} {crit.name.get(lang)} / {crit.name.get(other)}")
        for ind in crit.indicators:
            keys = list(ind.measures)
            if ind.applies_if is not None:
                keys.insert(0, ind.applies_if.measure)
            for key in keys:
                if key in seen:
                    continue
                seen.add(key)
                m = measures[key]
                unit = m.unit_text(lang) or m.type
                lines.append(
                    f"  {key}:    # [{ind.id}] {m.label.get(lang)} ({unit}) / {m.label.get(other)}"
                )
    if criteria_set.recognition:
        lines.append("recognition:")
        for cond in criteria_set.recognition:
            for key in cond.measures:
                m = measures[key]
                lines.append(f"  {key}:    # {m.label.get(lang)} / {m.label.get(other)}")
    return "\n".join(lines) + "\n"
