"""Reading data files: safe YAML with line numbers, field checks, the catalogue loaders
and their cache. Builds the core's records; knows nothing of views or the CLI."""
