"""Formatting: a report of the core as a Rich table, CSV text, JSON text or chart bytes."""
