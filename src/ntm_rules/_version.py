"""The package version (kept apart so that renderers need not import the package)."""

__version__ = "0.2.0"
