"""The pure core: ranges, units, records, the footprint steps, uncertainty, equivalents,
training, EcoLogits as a source, and the reports each command shows.

It imports no CLI, terminal or file-format library (checked by import-linter)."""
