"""``soracost report --emit-sql``: the per-key factor table and the SQL that joins a log
to it and aggregates, so that a SQL engine (a warehouse, or DuckDB) gives the report's
figures for a log too large for one machine.

The factor table has one row per distinct key of the log as the log spells it
(service, resolution and site trimmed and lower-cased, the duration in seconds), with
the service and site soracost read them as, and each measure's per-clip figures
(low/mid/high/P5/P50/P95). The SQL (DuckDB's dialect; see docs/report.md for others)
reads the log, joins each row to its key and sums ``count × figure`` per period, service
and site: as the report sums, every figure adds (see :mod:`soracost.core.usage`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from soracost.core.usage import (
    FIGURE_FIELDS,
    MEASURES,
    UsageReport,
    group_footprints,
)
from soracost.data.usage_log import (
    TRUNCATE_UNITS,
    LogSpec,
    Mapped,
    duckdb_module,
    duckdb_path,
    file_columns,
    literal,
    log_files,
    map_columns,
    quoted,
)

_UNITS = {
    "energy": "kwh",
    "water": "m3",
    "water_onsite": "m3",
    "water_offsite": "m3",
    "carbon": "kgco2e",
}
FIGURE_COLUMNS = tuple(f"{m}_{_UNITS[m]}_{f}" for m in MEASURES for f in FIGURE_FIELDS)
"""The factor table's figure columns, per clip."""
KEY_COLUMNS = ("service_key", "resolution_key", "duration_s", "site_key")
FACTOR_COLUMNS = (*KEY_COLUMNS, "service", "site", "width", "height", *FIGURE_COLUMNS)


def factor_rows(report: UsageReport) -> list[tuple[Any, ...]]:
    """One row per distinct key of the report's log (see :data:`FACTOR_COLUMNS`)."""
    rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for group, footprint in group_footprints(report):
        key = (group.service, group.resolution, group.duration_s, group.site)
        if key in rows:
            continue
        figures: list[float | None] = []
        for measure in MEASURES:
            figure = footprint.per_clip[measure]
            figures.extend(figure.values() if figure is not None else (None,) * 6)
        rows[key] = (
            *key,
            footprint.service,
            footprint.site,
            footprint.width,
            footprint.height,
            *figures,
        )
    return sorted(rows.values(), key=lambda row: tuple(str(part) for part in row[:4]))


def report_sql(spec: LogSpec, factors: str = "factors.parquet") -> str:
    """The SQL joining the log ``spec`` names to the factor table and aggregating it."""
    files = log_files(spec.pattern)
    format = files[0][1]
    paths = ", ".join(literal(duckdb_path(os.path.abspath(path))) for path, _ in files)
    reader = {
        "csv": f"read_csv([{paths}], header = true, all_varchar = true)",
        "parquet": f"read_parquet([{paths}])",
        "jsonl": f"read_json([{paths}], format = 'newline_delimited')",
    }[format]
    mapped = _mapped(spec)

    def text(name: str) -> str:
        return f"lower(trim(CAST({quoted(name)} AS VARCHAR)))"

    if spec.period == "none" or mapped.timestamp is None:
        period = "'all'"
    else:
        time = quoted(mapped.timestamp)
        period = (
            f"date_trunc('{TRUNCATE_UNITS[spec.period]}', CAST({time} AS TIMESTAMP WITH TIME ZONE))"
        )
    count = f"CAST({quoted(mapped.count)} AS DOUBLE)" if mapped.count else "1.0"
    site = f"coalesce({text(mapped.site)}, '')" if mapped.site else "''"
    sums = ",\n  ".join(f"sum(clips * {name}) AS {name}" for name in FIGURE_COLUMNS)
    return f"""-- soracost report, as SQL: the log joined to the per-key factor table, summed.
-- Written for DuckDB; run it in the folder holding {factors}:
--   duckdb < report.sql
-- In another engine, load {factors} (or factors.csv) as a table, replace the log reader
-- below with the log's table, and the date_trunc/CAST spellings with the engine's.
-- Rows whose key is not in the factor table (a service left out, a bad row) do not join:
-- the factor table holds the keys of the log it was made from. Times are read in UTC.
-- The log's file names have DuckDB's glob characters bracketed ([*], [?], [[]), so
-- that each is read as named.
SET TimeZone = 'UTC';
WITH log AS (
  SELECT
    {period} AS period_start,
    {text(mapped.model)} AS service_key,
    {text(mapped.resolution)} AS resolution_key,
    CAST({quoted(mapped.duration)} AS DOUBLE) AS duration_s,
    {site} AS site_key,
    {count} AS clips
  FROM {reader}
),
joined AS (
  SELECT log.period_start, log.clips, log.clips * log.duration_s AS video_seconds, f.*
  FROM log JOIN read_parquet({literal(factors)}) AS f
    USING (service_key, resolution_key, duration_s, site_key)
)
SELECT
  period_start, service, site, count(*) AS rows, sum(clips) AS clips,
  sum(video_seconds) AS video_seconds,
  {sums}
FROM joined
GROUP BY period_start, service, site
ORDER BY period_start, service, site;
"""


def _mapped(spec: LogSpec) -> Mapped:
    """The log's columns for each field, as ``report`` read them."""
    duckdb = duckdb_module()
    files = log_files(spec.pattern)
    connection = duckdb.connect(":memory:")
    try:
        names = file_columns(connection, files)
    finally:
        connection.close()
    return map_columns(names, spec.columns, spec.period, files[0][0])


def emitted_files(report: UsageReport, spec: LogSpec) -> dict[str, bytes]:
    """``factors.parquet``, ``factors.csv`` and ``report.sql``, by name, as bytes:
    written by DuckDB's COPY into a temporary folder, so that the CLI can write each
    whole or not at all."""
    duckdb = duckdb_module()
    connection = duckdb.connect(":memory:")
    try:
        definitions = ", ".join(f"{quoted(name)} {_type(name)}" for name in FACTOR_COLUMNS)
        connection.execute(f"CREATE TABLE factors ({definitions})")
        rows = factor_rows(report)
        if rows:
            marks = ", ".join("?" for _ in FACTOR_COLUMNS)
            connection.executemany(f"INSERT INTO factors VALUES ({marks})", rows)
        files: dict[str, bytes] = {}
        with tempfile.TemporaryDirectory(prefix="soracost-sql-") as folder:
            parquet = Path(folder) / "factors.parquet"
            table = Path(folder) / "factors.csv"
            connection.execute(f"COPY factors TO {literal(str(parquet))} (FORMAT parquet)")
            connection.execute(f"COPY factors TO {literal(str(table))} (FORMAT csv, HEADER)")
            files["factors.parquet"] = parquet.read_bytes()
            files["factors.csv"] = table.read_bytes()
    finally:
        connection.close()
    files["report.sql"] = report_sql(spec).encode("utf-8")
    return files


def _type(column: str) -> str:
    if column in ("width", "height"):
        return "INTEGER"
    if column == "duration_s" or column in FIGURE_COLUMNS:
        return "DOUBLE"
    return "VARCHAR"
