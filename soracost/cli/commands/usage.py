"""``soracost report LOG``: the footprint of a log of generations, per period, service and
site, with sources, ranges and what is left out. Reads the log with DuckDB (the
``report`` extra), builds the core's usage report and hands it to a view.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from soracost.cli.options import (
    OUTPUT,
    SELECTION,
    ForceOption,
    OutputOption,
    SourcesOption,
    choices,
    path,
)
from soracost.cli.scenario_options import (
    LifetimeClipsOption,
    MaxScaleOption,
    SiteOption,
    TrainingEnergyOption,
)
from soracost.core.answer import DEFAULT_MAX_SCALE
from soracost.i18n import N_, _, count_text, ngettext, os_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from soracost.core.usage import UsageReport

LOG = "The log"


class ReportFormat(str, Enum):
    """How a usage report is written."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"


class PeriodChoice(str, Enum):
    """The period the report groups by."""

    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"
    none = "none"


def _column(flag: str, default: str, what: str) -> object:
    return typer.Option(
        flag,
        help=_("The log's column holding {what} (default: {default}).").format(
            what=_(what), default=_(default)
        ),
        metavar="NAME",
        show_default=False,
        rich_help_panel=LOG,
    )


LogArgument = Annotated[
    str,
    typer.Argument(
        metavar="LOG",
        help="The log: a CSV, Parquet or JSON Lines file (.csv, .parquet, .jsonl), or a "
        "glob of them in quotes ('logs/*.parquet'); one row per generation or batch.",
        show_default=False,
    ),
]
PeriodOption = Annotated[
    PeriodChoice,
    typer.Option(
        "--period",
        "-p",
        help="Group by this period (UTC).",
        metavar=choices(PeriodChoice),
        rich_help_panel=LOG,
    ),
]


def _machine_text(value: ReportFormat) -> str:
    """CSV and JSON carry the report's text (its notes, what it leaves out) in English
    whatever the language (soracost.i18n.machine_output), set before the report is built;
    the table, Markdown and HTML speak the run's language. Returns the value as typed:
    Typer converts it to the enum again."""
    if value in (ReportFormat.csv, ReportFormat.json):
        from soracost import i18n

        i18n.machine_output()
    return value.value


ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        callback=_machine_text,
        help="table for people; csv or json for machines; markdown to paste into a report; "
        "html, a self-contained page (no network needed to open it).",
        metavar=choices(ReportFormat),
        rich_help_panel=OUTPUT,
    ),
]
LeaveOutUnknownOption = Annotated[
    bool,
    typer.Option(
        "--leave-out-unknown",
        help="Leave out the rows of services the data file does not map (the report lists "
        "them, with their rows and clips) instead of failing.",
        rich_help_panel=SELECTION,
    ),
]
SkipBadRowsOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Leave out bad rows (a malformed line, an unreadable time, a bad duration, "
        "count or resolution, an unknown site) and count them by kind, instead of failing "
        "on the first.",
        rich_help_panel=LOG,
    ),
]
EmitSqlOption = Annotated[
    Path | None,
    typer.Option(
        "--emit-sql",
        help="Also write, into folder DIR, the per-key factor table (factors.parquet, "
        "factors.csv) and report.sql, which joins and aggregates a log against it in a "
        "SQL engine (DuckDB as written; see docs/report.md for warehouses).",
        metavar="DIR",
        parser=path,
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
TimeColumn = Annotated[
    str | None, _column("--time-column", N_("timestamp, else time"), N_("the time"))
]
ModelColumn = Annotated[str, _column("--model-column", "model", N_("the service or model"))]
DurationColumn = Annotated[str, _column("--duration-column", "duration_s", N_("seconds of video"))]
ResolutionColumn = Annotated[
    str, _column("--resolution-column", "resolution", N_("the resolution"))
]
CountColumn = Annotated[
    str, _column("--count-column", N_("count; none: 1 a row"), N_("the clip count"))
]
SiteColumn = Annotated[str, _column("--site-column", N_("site; none: --site"), N_("the site"))]


def report(
    log: LogArgument,
    period: PeriodOption = PeriodChoice.month,
    site: SiteOption = None,
    leave_out_unknown: LeaveOutUnknownOption = False,
    skip_bad_rows: SkipBadRowsOption = False,
    time_column: TimeColumn = None,
    model_column: ModelColumn = "model",
    duration_column: DurationColumn = "duration_s",
    resolution_column: ResolutionColumn = "resolution",
    count_column: CountColumn = "count",
    site_column: SiteColumn = "site",
    format: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    emit_sql: EmitSqlOption = None,
    max_scale: MaxScaleOption = DEFAULT_MAX_SCALE,
    training_energy: TrainingEnergyOption = None,
    lifetime_clips: LifetimeClipsOption = None,
    sources: SourcesOption = None,
) -> None:
    """Energy, water and carbon of a log of generations, per period, service and site.

    Each row of LOG is a generation (or a batch of COUNT): a time, a service or model, a
    duration in seconds, a resolution (720p or WxH), a count and a site. Each distinct
    service, resolution, duration and site gets the answer 'soracost clip' gives for it;
    the report sums them, with low/mid/high and P5–P50–P95, per second of video, the
    sources behind every figure and what is left out. Needs pip install 'soracost\\[report]'.

    [b]Examples[/b]

      soracost report usage.csv

      soracost report 'logs/*.parquet' --period quarter --format html -o report.html

      soracost report usage.jsonl --model-column service --leave-out-unknown -f markdown

      soracost report usage.csv --emit-sql warehouse/
    """
    _run(
        log=log,
        period=period.value,
        site=site,
        leave_out_unknown=leave_out_unknown,
        skip_bad_rows=skip_bad_rows,
        columns=(
            time_column,
            model_column,
            duration_column,
            resolution_column,
            count_column,
            site_column,
        ),
        format=format.value,
        output=output,
        force=force,
        emit_sql=emit_sql,
        max_scale=max_scale,
        training=(training_energy, lifetime_clips),
        sources=sources,
    )


def describe(report: "UsageReport") -> str:
    """What was written, for the ``wrote … to FILE`` line."""
    rows = report.log.rows_read
    said = ngettext("the report of {n} row", "the report of {n} rows", rows)
    return said.format(n=count_text(rows))


def _run(
    *,
    log: str,
    period: str,
    site: str | None,
    leave_out_unknown: bool,
    skip_bad_rows: bool,
    columns: tuple[str | None, str, str, str, str, str],
    format: str,
    output: Path | None,
    force: bool,
    emit_sql: Path | None,
    max_scale: float,
    training: tuple[str | None, int | None],
    sources: Path | None,
) -> None:
    """Check the outputs, read the log, build the report, write it (and the SQL)."""
    from soracost import __version__
    from soracost.cli.inputs import load_catalog_for
    from soracost.core.results import resolve_site
    from soracost.core.usage import key_problem, usage_report
    from soracost.data.catalog import resolve_sources_path
    from soracost.data.service_loader import load_services
    from soracost.data.usage_log import Columns, LogSpec, check_period, duckdb_module, read_usage

    if not log.strip():  # an unset variable ("$LOG"): say so, not "no such file"
        from soracost.core.errors import UsageProblem

        raise UsageProblem(_("LOG is empty: give a log file (CSV, Parquet or JSON Lines)"))
    _check_outputs(log, sources, output, force, emit_sql)
    duckdb_module()  # before any work: the one-line install hint if DuckDB is missing
    catalog = load_catalog_for(sources)
    services = load_services(resolve_sources_path(sources), catalog.sources, catalog.estimates)
    share = None
    if training != (None, None):  # checked before reading: a usage error comes quickly
        from soracost.core.training import resolve_training

        share = resolve_training(catalog, *training)
    default = resolve_site(catalog, site)
    if default is None:
        from soracost.core.errors import DataError

        said = _("the data file defines no sites; a report needs one")
        raise DataError(said, file=catalog.path)
    spec = LogSpec(log, Columns(*columns), check_period(period), skip_bad_rows)
    with _reading_bar() as progress:
        usage = read_usage(spec, key_problem(catalog, default.id), progress)
    made = usage_report(
        catalog, services, usage, __version__, default.id, leave_out_unknown, max_scale,
        training=share,
    )  # fmt: skip
    if emit_sql is None:
        _deliver(made, format, output, force)
        return
    sql_files = _sql_files(made, spec)
    made_folder = _make_folder(emit_sql)  # before the report: a folder that cannot be made
    try:  # fails the run with nothing written
        _deliver(made, format, output, force)
        _write_sql(emit_sql, sql_files, force)
    except BaseException:
        if made_folder and not any(emit_sql.iterdir()):
            emit_sql.rmdir()
        raise


@contextmanager
def _reading_bar() -> "Iterator[Callable[[float], None] | None]":
    """A bar on stderr while DuckDB reads the log, once a run has lasted a second, only
    when stderr is a terminal (never in piped output)."""
    import sys
    import time

    if sys.stderr is None or not sys.stderr.isatty():
        yield None
        return
    start = time.monotonic()
    state: dict[str, Any] = {}

    def progress(percent: float) -> None:
        if not state and time.monotonic() - start < 1.0:
            return
        if not state:
            from rich.console import Console
            from rich.progress import Progress

            state["bar"] = Progress(console=Console(stderr=True), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task(_("Reading the log"), total=100)
        state["bar"].update(state["task"], completed=percent)

    try:
        yield progress
    finally:
        if state:
            state["bar"].stop()


SQL_FILES = ("factors.parquet", "factors.csv", "report.sql")


def _check_outputs(
    log: str, sources: Path | None, output: Path | None, force: bool, emit_sql: Path | None
) -> None:
    """Before any work: --output and the --emit-sql files can be written, and none is the
    data file or a log file."""
    outputs: dict[str, Path | None] = {"--output": output}
    if emit_sql is not None:
        if emit_sql.exists() and not emit_sql.is_dir():
            from soracost.core.errors import UsageProblem

            said = _("--emit-sql {folder}: is not a folder")
            raise UsageProblem(said.format(folder=emit_sql))
        if emit_sql.is_dir():  # a folder still to be made holds nothing to replace
            outputs.update({f"--emit-sql {name}": emit_sql / name for name in SQL_FILES})
    if not any(outputs.values()):
        return
    import glob

    from soracost.cli.output import check_outputs
    from soracost.data.catalog import resolve_sources_path

    logs = [Path(path) for path in glob.glob(log)] if glob.has_magic(log) else [Path(log)]
    check_outputs(outputs, [resolve_sources_path(sources), *logs], force)


def _deliver(made: "UsageReport", format: str, output: Path | None, force: bool) -> None:
    from soracost.cli.delivery import emit, to_terminal

    if format == "table":
        from soracost.views.usage_table import usage_view

        emit(None, usage_view(made), output, force, _("the table"))
        return
    from soracost.views import usage_export

    text = {
        "csv": usage_export.usage_csv,
        "json": lambda report: "".join(usage_export.usage_json(report)),
        "markdown": usage_export.usage_markdown,
        "html": usage_export.usage_html,
    }[format](made)
    if to_terminal(output):
        text = _for_terminal(text, format)
    emit(text, None, output, force, describe(made))


def _for_terminal(text: str, format: str) -> str:
    """An export for a terminal: JSON with hidden characters as \\uXXXX, others shown."""
    if format == "json":
        from soracost.views.jsontext import for_terminal

        return "".join(for_terminal([text]))
    from soracost.views.text import shown

    return "\n".join(shown(line) for line in text.split("\n"))


def _sql_files(made: "UsageReport", spec: object) -> dict[str, bytes]:
    from soracost.data.usage_sql import emitted_files

    return emitted_files(made, spec)  # type: ignore[arg-type]


def _make_folder(folder: Path) -> bool:
    """Make --emit-sql's folder if it is not there yet; whether it was made."""
    from soracost.core.errors import OutputError

    if folder.is_dir():
        return False
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        said = _("{folder}: cannot make the folder: {reason}")
        raise OutputError(said.format(folder=folder, reason=os_reason(exc))) from None
    return True


def _write_sql(folder: Path, files: dict[str, bytes], force: bool) -> None:
    from soracost.cli.faults import say
    from soracost.cli.output import write_atomically
    from soracost.views.text import shown_path

    for name, content in files.items():
        write_atomically(folder / name, content, force=force)
    say(_("wrote {what} to {file}").format(what=", ".join(files), file=shown_path(folder)))
