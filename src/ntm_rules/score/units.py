"""A measure's unit in both languages, as results show it next to a value."""

from __future__ import annotations

from ..model.vocab import Measures
from ..words import Text

NO_UNIT = Text("", "")


def unit_of(measures: Measures, key: str) -> Text:
    measure = measures.get(key)
    if measure is None:
        return NO_UNIT
    return Text(measure.unit_text("vi"), measure.unit_text("en"))
