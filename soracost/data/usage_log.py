"""Read a usage log (CSV, Parquet or JSON Lines, one file or a glob) with DuckDB and
aggregate it by period and key: service, resolution, duration and site.

DuckDB streams the files through one ``GROUP BY``: memory grows with the number of
distinct keys, not with the log. Every row is checked on the way (a readable time, a
service, a duration of 0.1–3,600 s, a whole count ≥ 1; a malformed CSV line is kept
aside by DuckDB's rejects table), and each distinct resolution and site once, after the
aggregation. A bad row is an error naming the file, the row and the column (found by a
second, single-threaded scan, only then), or with ``skip_bad_rows`` it is left out and
counted by kind.

DuckDB is imported only here, and only when a log is read (the ``report`` extra).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import glob
import hashlib
import os
import re
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from msgspec import Struct

from soracost.core.errors import DataError, UsageProblem
from soracost.core.services import normalised
from soracost.core.usage import KeyCheck, LogFile, Period, UsageGroup, UsageLog
from soracost.i18n import N_, _, count_text, localise_number

INSTALL_HINT = N_("soracost report needs DuckDB: {hint}")
"""Said when DuckDB is missing, with ``hint`` the command that installs it."""

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
"""A log file's format, by its suffix (lower-cased)."""

MIN_DURATION_S = 0.1
MAX_DURATION_S = 3600.0
MAX_COUNT = 10**15
FIRST_TIME = "0001-01-01 00:00:00+00"
LAST_TIME = "9999-12-31 23:59:59.999999+00"
"""The first and last instants (UTC) a log's time may be: Python's datetime range."""
LISTED_CHARS = 200
"""The longest list of a log's columns an error line quotes, in characters."""


class Columns(Struct, frozen=True):
    """The log's column for each field. ``timestamp`` ``None``: ``timestamp``, else
    ``time``; ``count`` and ``site`` are optional (a count of 1; the default site) when
    left at their default names and absent."""

    timestamp: str | None = None
    model: str = "model"
    duration: str = "duration_s"
    resolution: str = "resolution"
    count: str = "count"
    site: str = "site"


DEFAULT_COLUMNS = Columns()


class LogSpec(Struct, frozen=True):
    """What to read: ``pattern`` (a path or a glob), the column names, the period, and
    whether bad rows are skipped (counted) rather than refused."""

    pattern: str
    columns: Columns = DEFAULT_COLUMNS
    period: Period = "month"
    skip_bad_rows: bool = False


def duckdb_module() -> Any:
    """DuckDB, or a one-line error saying how to install it (exit 1)."""
    try:
        import duckdb
    except ImportError:
        raise DataError(_(INSTALL_HINT).format(hint="pip install 'soracost[report]'")) from None
    return duckdb


# --- Files -----------------------------------------------------------------------------


def log_files(pattern: str) -> list[tuple[str, str]]:
    """``(path, format)`` of each file ``pattern`` names (sorted, for a glob).

    A file of that very name is read before a glob: ``usage[1].csv`` is that file if it
    exists, else a pattern matching ``usage1.csv``. Raises :class:`DataError` for a
    missing file, a glob matching nothing, a folder, a file that is not a regular one (a
    pipe or a device: reading it would block or never end), an unknown suffix or a mix of
    formats; all before any file is opened."""
    if glob.has_magic(pattern) and not os.path.exists(pattern):
        paths = sorted(path for path in glob.glob(pattern, recursive=True) if os.path.isfile(path))
        if not paths:
            raise DataError(_("no file matches this pattern"), file=pattern)
    else:
        if not os.path.exists(pattern):
            raise DataError(_("no such file"), file=pattern)
        if os.path.isdir(pattern):
            said = _("is a folder; give a file or a glob such as {example}")
            raise DataError(said.format(example="'logs/*.parquet'"), file=pattern)
        if not os.path.isfile(pattern):
            raise DataError(_("is not a regular file"), file=pattern)
        paths = [pattern]
    found: list[tuple[str, str]] = []
    for path in paths:
        format = FORMATS.get(Path(path).suffix.lower())
        if format is None:
            known = ", ".join(FORMATS)
            said = _("unknown log format (the name must end in {suffixes})")
            raise DataError(said.format(suffixes=known), file=path)
        if not os.access(path, os.R_OK):
            raise DataError(_("cannot read: permission denied"), file=path)
        found.append((path, format))
    if len({format for _path, format in found}) > 1:
        raise DataError(_("the files mix formats; give one format at a time"), file=pattern)
    return found


def duckdb_path(path: str) -> str:
    """``path`` as DuckDB reads it literally: DuckDB expands ``*``, ``?`` and ``[...]`` in
    every path it is given, so each is bracketed (``[*]``), as its glob syntax allows; the
    files were already found by :func:`log_files`."""
    return re.sub(r"([*?\[])", r"[\1]", path)


def _sha256(path: str, stop: threading.Event | None = None) -> str:
    """The file's SHA-256 (hex); '' if ``stop`` is set first (the run failed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if stop is not None and stop.is_set():
                return ""
            digest.update(chunk)
    return digest.hexdigest()


# --- Columns ---------------------------------------------------------------------------


def _csv_header(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        said = _("not UTF-8 text; is it a CSV file?")
        raise DataError(said, file=path, entry=_line(1)) from None
    except csv.Error as exc:
        said = _("not a CSV header ({problem})").format(problem=exc)
        raise DataError(said, file=path, entry=_line(1)) from None
    if not header:
        raise DataError(_("empty: no header line"), file=path)
    if any("\x00" in name for name in header):  # no text file holds NUL: a binary file
        raise DataError(_("holds NUL bytes; is it a CSV file?"), file=path, entry=_line(1))
    return [name.strip() for name in header]


def file_columns(
    connection: Any, files: Sequence[tuple[str, str]], skip: bool = False
) -> list[str]:
    """The columns every file has (a CSV's header, a Parquet's schema, the keys of the
    first JSON records), checked to agree across files (``skip``: past bad JSON lines)."""
    names: list[str] | None = None
    for path, format in files:
        if format == "csv":
            found = _csv_header(path)
        else:
            reader = _reader(format, [path], None, skip=skip, sniff=True)
            try:
                found = [
                    row[0]
                    for row in connection.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
                ]
            except Exception as exc:
                raise _read_error(exc, [path], format) from None
            if format == "jsonl" and found == ["json"]:  # DuckDB met values, not objects
                raise _read_error(ValueError("not records"), [path], format)
        if names is None:
            names = found
        elif found != names and format == "csv":
            said = _("its header ({columns}) differs from the first file's")
            raise DataError(said.format(columns=listed_columns(found)), file=path)
    assert names is not None
    return names


def listed_columns(names: Sequence[str]) -> str:
    """``names`` joined by commas, cut after :data:`LISTED_CHARS` characters with "…": a
    binary file's or a wide log's header would make an error line of any length."""
    listed = ", ".join(names)
    return listed if len(listed) <= LISTED_CHARS else listed[:LISTED_CHARS].rstrip() + "…"


class Mapped(Struct, frozen=True):
    """Each field's column in the files (``None``: absent, the default applies)."""

    timestamp: str | None
    model: str
    duration: str
    resolution: str
    count: str | None
    site: str | None


def map_columns(names: Sequence[str], columns: Columns, period: Period, first: str) -> Mapped:
    present = set(names)

    def need(name: str, option: str) -> str:
        if name not in present:
            said = _("no column {name} (columns: {columns}); name yours with {option}")
            raise DataError(
                said.format(name=repr(name), columns=listed_columns(names), option=option),
                file=first,
            )
        return name

    timestamp = columns.timestamp
    if timestamp is None:
        timestamp = next((name for name in ("timestamp", "time") if name in present), None)
        if timestamp is None and period != "none":
            need("timestamp", _("{option} (or use --period none)").format(option="--time-column"))
    elif period != "none":
        need(timestamp, "--time-column")
    else:
        timestamp = timestamp if timestamp in present else None

    def optional(name: str, default: str, option: str) -> str | None:
        if name in present:
            return name
        if name != default:
            need(name, option)
        return None

    return Mapped(
        timestamp=timestamp if period != "none" else None,
        model=need(columns.model, "--model-column"),
        duration=need(columns.duration, "--duration-column"),
        resolution=need(columns.resolution, "--resolution-column"),
        count=optional(columns.count, "count", "--count-column"),
        site=optional(columns.site, "site", "--site-column"),
    )


# --- SQL -------------------------------------------------------------------------------


def quoted(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


FILE = "soracost_file"
"""The column DuckDB adds with each row's file name, unless the log has one so named
(then ``soracost_file_2``…: see :func:`unused_name`)."""
ROW_NUMBER = "file_row_number"
"""The column DuckDB adds with a Parquet row's number (0-based), unless the log has one."""


def unused_name(base: str, names: Collection[str]) -> str:
    """``base``, or ``base_2``, ``base_3``…: the first that is not one of ``names`` (a
    column DuckDB adds must not clash with one of the log's)."""
    name, suffix = base, 1
    while name in names:
        suffix += 1
        name = f"{base}_{suffix}"
    return name


def _reader(
    format: str,
    paths: Sequence[str],
    names: Sequence[str] | None,
    skip: bool,
    sniff: bool = False,
    file: str = FILE,
    numbered: bool = True,
) -> str:
    """DuckDB's reader of the files (``file``: the column naming each row's file;
    ``numbered``: Parquet adds :data:`ROW_NUMBER`)."""
    files = "[" + ", ".join(literal(duckdb_path(path)) for path in paths) + "]"
    filename = literal(file)
    if sniff:  # the columns as the file has them, nothing added
        if format == "parquet":
            return f"read_parquet({files})"
        ignore = ", ignore_errors = true" if skip else ""
        return f"read_json({files}, format = 'newline_delimited'{ignore})"
    if format == "parquet":
        number = f", {ROW_NUMBER} = true" if numbered else ""
        return f"read_parquet({files}, filename = {filename}{number})"
    varchar = (
        "{" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in names) + "}" if names else None
    )
    if format == "jsonl":
        options = f"format = 'newline_delimited', filename = {filename}"
        if varchar:
            options += f", columns = {varchar}"
        if skip:
            options += ", ignore_errors = true"
        return f"read_json({files}, {options})"
    # CSV: the dialect is fixed (no sniffing, which guesses wrong on a bad line); every
    # column is read as text and checked by soracost; a malformed line goes to DuckDB's
    # rejects table, so that it can be reported (or counted) with its file and line.
    assert varchar is not None
    return (
        f"read_csv({files}, header = true, delim = ',', quote = '\"', escape = '\"', "
        f"auto_detect = false, columns = {varchar}, filename = {filename}, store_rejects = true)"
    )


TRUNCATE_UNITS: dict[Period, str] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}


class Source(Struct, frozen=True):
    """A log as SQL: its reader, its columns mapped and their types, and the period."""

    reader: str
    format: str
    mapped: Mapped
    types: dict[str, str]
    period: Period
    file: str = FILE
    numbered: bool = False

    def row_number(self) -> str:
        """Each row's 1-based number in its file (in file order only single-threaded,
        except for Parquet, which numbers its own: ``numbered``)."""
        if self.numbered:
            return f"{ROW_NUMBER} + 1"
        return f"row_number() OVER (PARTITION BY {quoted(self.file)})"

    def checked(self, numbered: bool = False) -> str:
        """``SELECT`` of each row's fields, typed and normalised (``file``, ``ts``,
        ``service``, ``duration``, ``resolution``, ``n``, ``site``, ``period``), and
        ``bad``: the kind of the row's first problem (``NULL`` if none)."""
        mapped, types = self.mapped, self.types

        def typed(column: str, sql_type: str) -> str:
            if types.get(column, "").upper() == sql_type:
                return quoted(column)
            return f"TRY_CAST({quoted(column)} AS {sql_type})"

        def text(column: str) -> str:
            # As the log has it: trimming and lower-casing every row cost as much as
            # reading a CSV; they are done once per distinct value, after the GROUP BY.
            name = quoted(column)
            if types.get(column, "VARCHAR").upper() != "VARCHAR":
                name = f"CAST({name} AS VARCHAR)"
            return name

        if mapped.timestamp is not None and self.period != "none":
            timestamp = typed(mapped.timestamp, "TIMESTAMP WITH TIME ZONE")
            period_sql = f"date_trunc('{TRUNCATE_UNITS[self.period]}', ts)"
            # A time DuckDB holds but Python cannot (year 0 or 10000 in UTC, infinity)
            # is as bad as one that does not parse: its period could not be labelled.
            timestamp_check = (
                "WHEN ts IS NULL OR NOT isfinite(ts) "
                f"OR ts < TIMESTAMPTZ '{FIRST_TIME}' OR ts > TIMESTAMPTZ '{LAST_TIME}' "
                "THEN 'timestamp' "
            )
        else:
            timestamp, period_sql, timestamp_check = "NULL", "NULL", ""
        count = typed(mapped.count, "DOUBLE") if mapped.count else "1.0"
        site = text(mapped.site) if mapped.site else "''"
        number = f"{self.row_number()} AS row_number, " if numbered else ""
        return (
            "SELECT *, CASE "
            "WHEN service IS NULL AND duration IS NULL AND resolution IS NULL THEN 'malformed' "
            f"{timestamp_check}"
            "WHEN service IS NULL OR service = '' THEN 'service' "
            f"WHEN duration IS NULL OR NOT isfinite(duration) OR duration < {MIN_DURATION_S} "
            f"OR duration > {MAX_DURATION_S} THEN 'duration' "
            "WHEN resolution IS NULL OR resolution = '' THEN 'resolution' "
            f"WHEN n IS NULL OR NOT isfinite(n) OR n < 1 OR n > {MAX_COUNT} OR n <> floor(n) "
            "THEN 'count' END AS bad, "
            f"{period_sql} AS period "
            f"FROM (SELECT {quoted(self.file)} AS file, {number}{timestamp} AS ts, "
            f"{text(mapped.model)} AS service, {typed(mapped.duration, 'DOUBLE')} AS duration, "
            f"{text(mapped.resolution)} AS resolution, {count} AS n, "
            f"coalesce({site}, '') AS site FROM {self.reader})"
        )


# --- Reading ---------------------------------------------------------------------------


def read_usage(
    spec: LogSpec, check: KeyCheck, progress: Callable[[float], None] | None = None
) -> UsageLog:
    """The log aggregated by period and key; see the module's note.

    ``check(resolution, site)`` gives the kind of problem of a distinct resolution and
    site (normalised text, site '' for none), or ``None``. ``progress(percent)`` is
    called from another thread, about ten times a second, while DuckDB reads the log.
    Raises :class:`DataError`."""
    duckdb = duckdb_module()
    files = log_files(spec.pattern)
    paths = [path for path, _format in files]
    format = files[0][1]
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing overlaps the query
        digests = pool.map(lambda path: _sha256(path, stop), paths)
        connection = duckdb.connect(":memory:")
        try:
            connection.execute("SET TimeZone = 'UTC'")
            with _polling(connection, progress):
                groups, skipped, rows = _aggregate(connection, spec, files, format, check)
        except BaseException:
            stop.set()  # no report: no need to finish hashing a large log
            raise
        finally:
            connection.close()
        hashes = list(digests)
    return UsageLog(
        files=tuple(
            LogFile(path, format, digest) for path, digest in zip(paths, hashes, strict=True)
        ),
        period=spec.period,
        groups=groups,
        rows_read=rows,
        skipped=skipped,
    )


@contextmanager
def _polling(connection: Any, progress: Callable[[float], None] | None) -> Iterator[None]:
    """Report DuckDB's progress (its own bar stays off) while the body runs."""
    if progress is None:
        yield
        return
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(0.1):
            with contextlib.suppress(Exception):  # between queries there is nothing to ask
                value = float(connection.query_progress())
                if 0 <= value <= 100:
                    progress(value)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def log_source(connection: Any, spec: LogSpec, files: Sequence[tuple[str, str]]) -> Source:
    """The log as SQL (see :class:`Source`): columns checked and mapped, types known."""
    format = files[0][1]
    paths = [path for path, _format in files]
    names = file_columns(connection, files, spec.skip_bad_rows)
    mapped = map_columns(names, spec.columns, spec.period, paths[0])
    file = unused_name(FILE, names)
    numbered = format == "parquet" and ROW_NUMBER not in names
    if format == "parquet":
        reader = _reader(format, paths, None, spec.skip_bad_rows, file=file, numbered=numbered)
        described = connection.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        types = {str(row[0]): str(row[1]) for row in described}
    else:
        reader = _reader(format, paths, names, spec.skip_bad_rows, file=file)
        types = dict.fromkeys(names, "VARCHAR")
    return Source(reader, format, mapped, types, spec.period, file, numbered)


def _aggregate(
    connection: Any,
    spec: LogSpec,
    files: Sequence[tuple[str, str]],
    format: str,
    check: KeyCheck,
) -> tuple[tuple[UsageGroup, ...], dict[str, int], int]:
    try:
        source = log_source(connection, spec, files)
        result = connection.execute(
            "SELECT bad, "
            "CASE WHEN bad IS NULL THEN period END, CASE WHEN bad IS NULL THEN service END, "
            "CASE WHEN bad IS NULL THEN resolution END, "
            "CASE WHEN bad IS NULL THEN duration END, "
            "CASE WHEN bad IS NULL THEN site END, count(*), "
            "CAST(sum(CASE WHEN bad IS NULL THEN n END) AS HUGEINT) "
            f"FROM ({source.checked()}) GROUP BY ALL"
        ).fetchall()
    except DataError:
        raise
    except Exception as exc:
        raise _read_error(exc, [path for path, _format in files], format) from None
    skipped: dict[str, int] = {}
    malformed = _rejects(connection) if format == "csv" else []
    if malformed:
        if not spec.skip_bad_rows:
            path, line, column, message = malformed[0]
            said = _("malformed line: {problem}").format(problem=message)
            where = _column(column) if column else None
            raise DataError(said, file=path, entry=_line(line), field=where)
        skipped["malformed"] = len(malformed)
    rows_read = sum(int(row[6]) for row in result) + len(malformed)
    verdicts: dict[tuple[str, str], str | None] = {}
    merged: dict[tuple[Any, ...], list[int]] = {}
    bad_keys: dict[tuple[str, str, str], str] = {}  # as the log has them: their problem
    for bad, period, service, resolution, duration, site, rows, clips in result:
        if bad is not None:
            skipped[bad] = skipped.get(bad, 0) + int(rows)
            continue
        pair = (normalised(resolution), normalised(site))
        if pair not in verdicts:
            verdicts[pair] = check(*pair)
        problem = "service" if not normalised(service) else verdicts[pair]
        if problem is not None:
            skipped[problem] = skipped.get(problem, 0) + int(rows)
            bad_keys[(service, resolution, site)] = problem
            continue
        key = (period, normalised(service), pair[0], float(duration), pair[1])
        counts = merged.setdefault(key, [0, 0])
        counts[0] += int(rows)
        counts[1] += int(clips)
    if skipped and not spec.skip_bad_rows:
        raise _first_bad_row(connection, source, bad_keys)
    groups = tuple(
        UsageGroup(
            period=period_label(period, spec.period),
            service=service,
            resolution=resolution,
            duration_s=duration,
            site=site,
            rows=rows,
            clips=clips,
        )
        # In the keys' order, not DuckDB's (which varies between runs with its threads):
        # the same log gives the same report, byte for byte, sums included.
        for (period, service, resolution, duration, site), (rows, clips) in sorted(
            merged.items(), key=lambda item: tuple(str(part) for part in item[0])
        )
    )
    return groups, dict(sorted(skipped.items())), rows_read


def period_label(start: dt.datetime | None, period: Period) -> str:
    """A period's label from its first instant: ``2025-09-01`` (day), ``2025-W36``
    (ISO week), ``2025-09``, ``2025-Q3``, ``2025``; ``all`` for no period."""
    if start is None or period == "none":
        return "all"
    if period == "day":
        return start.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return start.strftime("%Y-%m")
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _rejects(connection: Any) -> list[tuple[str, int, str | None, str]]:
    """CSV lines DuckDB could not parse: ``(file, line, column, message)``, in order."""
    return [
        (str(path), int(line), column, " ".join(str(message).split()))
        for path, line, column, message in connection.execute(
            # A line may have several errors (one per missing column): one row each.
            "SELECT s.file_path, e.line, min(e.column_name), min(e.error_message) "
            "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
            "GROUP BY s.file_path, e.line ORDER BY s.file_path, e.line"
        ).fetchall()
    ]


_MESSAGES: dict[str, str] = {
    "malformed": N_(
        "{value} has none of the fields (a line that is not a JSON record?) (or add "
        "--skip-bad-rows to leave such rows out)"
    ),
    "timestamp": N_(
        "{value} is not a date and time (ISO 8601, e.g. 2025-09-01T10:00:00Z) (or add "
        "--skip-bad-rows to leave such rows out)"
    ),
    "service": N_(
        "{value} is empty: every row needs a service (or add --skip-bad-rows to leave such "
        "rows out)"
    ),
    "duration": N_(
        "{value} is not a duration in seconds from {low} to {high} (or add --skip-bad-rows "
        "to leave such rows out)"
    ),
    "resolution": N_(
        "{value} is not a resolution: 480p, 720p, 1080p, 4k or WxH (e.g. 1280x720) (or add "
        "--skip-bad-rows to leave such rows out)"
    ),
    "count": N_(
        "{value} is not a whole number of clips from 1 to {high} (or add --skip-bad-rows to "
        "leave such rows out)"
    ),
    "site": N_(
        "{value} is not a site of the data file ('soracost sites' lists them) (or add "
        "--skip-bad-rows to leave such rows out)"
    ),
}
"""What is wrong with a bad row's value, by kind (English; shown with ``_``)."""
_LIMITS: dict[str, tuple[str, str]] = {
    # written out in full (3,600 and 1,000,000,000,000,000, not 1e+15), as option bounds are
    "duration": (f"{MIN_DURATION_S:g}", f"{int(MAX_DURATION_S):,}"),
    "count": ("1", f"{MAX_COUNT:,}"),
}


def _line(number: int) -> str:
    """A line of a file (1-based, the header included): ``line 3``."""
    return _("line {number}").format(number=count_text(number))


def _row(number: int) -> str:
    """A row of a log (1-based, the header not counted): ``row 2``."""
    return _("row {number}").format(number=count_text(number))


def _column(name: str) -> str:
    """A column of the log, its name quoted as the log has it: ``column 'count'``."""
    return _("column {name}").format(name=repr(name))


def _first_bad_row(
    connection: Any,
    source: Source,
    bad_keys: dict[tuple[str, str, str], str],
) -> DataError:
    """The error for the first bad row of the log (a row ``bad`` in SQL, or one of
    ``bad_keys``: service, resolution and site as the log has them, found bad after the
    aggregation): a second scan, single-threaded so that rows are numbered in file order
    (Parquet numbers its own)."""
    connection.execute("SET threads = 1")
    keys = " OR ".join(
        f"(service = {literal(service)} AND resolution = {literal(resolution)} "
        f"AND site = {literal(site)})"
        for service, resolution, site in sorted(bad_keys)
    )
    condition = "bad IS NOT NULL" + (f" OR {keys}" if keys else "")
    found = connection.execute(
        f"SELECT file, row_number, bad, service, resolution, site "
        f"FROM ({source.checked(numbered=True)}) "
        f"WHERE {condition} ORDER BY file, row_number LIMIT 1"
    ).fetchone()
    assert found is not None
    file, row, bad, service, resolution, site = found
    kind = bad or bad_keys[(service, resolution, site)]
    mapped = source.mapped
    column = {
        "malformed": None,
        "timestamp": mapped.timestamp,
        "service": mapped.model,
        "duration": mapped.duration,
        "resolution": mapped.resolution,
        "count": mapped.count,
        "site": mapped.site,
    }[kind]
    value = _("the row") if column is None else _raw_value(connection, source, file, row, column)
    low, high = (localise_number(limit) for limit in _LIMITS.get(kind, ("", "")))
    return DataError(
        _(_MESSAGES[kind]).format(value=value, low=low, high=high),
        file=str(file),
        entry=_row(row),
        field=_column(column) if column else None,
    )


def _raw_value(connection: Any, source: Source, file: str, row: int, column: str) -> str:
    """The cell as the file has it, quoted (``empty`` for none)."""
    # Only soracost's own names leave the inner query: none can clash with the log's.
    value = connection.execute(
        f"SELECT value FROM (SELECT CAST({quoted(column)} AS VARCHAR) AS value, "
        f"{quoted(source.file)} AS file, {source.row_number()} AS number "
        f"FROM {source.reader}) WHERE file = ? AND number = ?",
        [file, row],
    ).fetchone()
    text = None if value is None else value[0]
    return _("empty") if text is None or text == "" else repr(text[:80])


def _read_error(exc: Exception, paths: Sequence[str], format: str) -> DataError:
    """DuckDB's error as one line naming the file (a Parquet file that is not one, a
    binary file given as CSV); a JSON line that does not parse is found and named by
    soracost itself, with its line number."""
    if format == "jsonl":
        found = _first_bad_json_line(paths)
        if found is not None:
            path, line, problem = found
            said = _("not a JSON object: {problem}").format(problem=problem)
            return DataError(said, file=path, entry=_line(line))
    first = " ".join(str(exc).split("\n")[0].split())
    for prefix in ("Invalid Input Error: ", "IO Error: ", "Conversion Error: ", "Binder Error: "):
        first = first.removeprefix(prefix)
    what = {"csv": "CSV", "parquet": "Parquet", "jsonl": "JSON Lines"}[format]
    said = _("cannot read it as {format}: {problem}")
    return DataError(said.format(format=what, problem=first), file=paths[0])


_JSON_KINDS: dict[str, str] = {
    "list": N_("a JSON list"),
    "str": N_("a JSON string"),
    "int": N_("a JSON number"),
    "float": N_("a JSON number"),
    "bool": N_("a JSON true or false"),
    "NoneType": N_("a JSON null"),
}
"""What a line of a JSON Lines log holds instead of an object, by Python's type name."""


def _first_bad_json_line(paths: Sequence[str]) -> tuple[str, int, str] | None:
    """The first line of the files that is not a JSON object: ``(file, line, why)``.
    Read only after DuckDB has refused a file, and only up to that line."""
    import json

    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        value = json.loads(line)
                    except ValueError as exc:
                        return path, number, str(exc).split(":")[0]
                    except RecursionError:  # json.loads recurses once per level
                        return path, number, _("nested too deeply")
                    if not isinstance(value, dict):
                        kind = _JSON_KINDS.get(type(value).__name__, _JSON_KINDS["list"])
                        return path, number, _(kind)
        except UnicodeDecodeError:
            return path, 1, _("not UTF-8 text")
    return None


def check_period(period: str) -> Period:
    """``period`` as a :data:`Period`, or a usage error listing the choices."""
    from soracost.core.usage import PERIODS

    for choice in PERIODS:
        if choice == period:
            return choice
    said = _("--period: {period}; choose one of: {choices}")
    raise UsageProblem(said.format(period=repr(period), choices=", ".join(PERIODS)))
