"""Which indicator of an old set each indicator of a new set continues: one rule for `diff`
and for the culprits of a lost certification.

An old and a new indicator are paired, in this order of preference:

0. what the new set states, when it supersedes the old one (or the set the old one overlays):
   an indicator with ``continues: "14.3"`` continues old 14.3
   (``same`` at the same id and measure, ``moved`` at another id, else ``remeasured``);
1. ``same``: the same id reading the same measure;
2. ``moved``: renumbered — an unpaired new indicator reading the same measure (first in the
   new set's order);
3. ``remeasured``: the same legal place (id) measured another way — a new measure key or a
   reworded indicator;

an old indicator left over was ``removed``, a new one left over is ``added`` (new in the set).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.criteria import CriteriaSet, Indicator

SAME, MOVED, REMEASURED = "same", "moved", "remeasured"


@dataclass(frozen=True)
class Pairing:
    pairs: tuple[tuple[Indicator, Indicator, str], ...]  # (old, new, how)
    removed: tuple[Indicator, ...]
    added: tuple[Indicator, ...]

    def old_of(self) -> dict[str, tuple[Indicator, str]]:
        """New indicator id -> (the old indicator it continues, how they were paired)."""
        return {new.id: (old, how) for old, new, how in self.pairs}


def pair(old: CriteriaSet, new: CriteriaSet) -> Pairing:
    new_inds = new.indicators
    paired_new: set[str] = set()
    pairs: list[tuple[Indicator, Indicator, str]] = []
    pending: list[Indicator] = []
    stated = _stated(old, new)
    paired_new.update(n.id for n in stated.values())
    for ind in old.indicators:
        heir = stated.get(ind.id)
        if heir is not None:
            pairs.append((ind, heir, _how(ind, heir)))
            continue
        same = new.indicator(ind.id)
        if same is not None and same.measure == ind.measure and same.id not in paired_new:
            paired_new.add(same.id)
            pairs.append((ind, same, SAME))
        else:
            pending.append(ind)
    left: list[Indicator] = []
    for ind in pending:
        found = next(
            (n for n in new_inds if n.id not in paired_new and ind.measure in n.measures), None
        )
        if found is not None:
            paired_new.add(found.id)
            pairs.append((ind, found, MOVED))
        else:
            left.append(ind)
    removed: list[Indicator] = []
    for ind in left:
        place = new.indicator(ind.id)
        if place is not None and place.id not in paired_new:
            paired_new.add(place.id)
            pairs.append((ind, place, REMEASURED))
        else:
            removed.append(ind)
    added = tuple(n for n in new_inds if n.id not in paired_new)
    order = {n.id: k for k, n in enumerate(new_inds)}
    pairs.sort(key=lambda p: order[p[1].id])
    return Pairing(tuple(pairs), tuple(removed), added)


def _how(old: Indicator, new: Indicator) -> str:
    if new.measures != old.measures:
        return REMEASURED
    return SAME if new.id == old.id else MOVED


def _stated(old: CriteriaSet, new: CriteriaSet) -> dict[str, Indicator]:
    """Old indicator id -> the new indicator that says it continues it (`continues:`)."""
    if not new.supersedes or new.supersedes not in (old.id, old.base_id):
        return {}
    return {n.continues: n for n in new.indicators if n.continues}
