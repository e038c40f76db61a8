"""Scoring: the decision rules, transitions and tiers."""
