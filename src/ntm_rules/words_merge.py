"""Words of the merge feature, merged into the one word table (:data:`ntm_rules.words.WORDS`)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
