"""The commands, by family: footprint (clip, compare, explain) and catalogue."""
