"""The data model: criteria sets, communes and results, as frozen dataclasses."""
