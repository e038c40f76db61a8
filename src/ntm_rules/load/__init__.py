"""Reading files: criteria sets, measures, regions, communes (YAML, CSV, XLSX)."""
