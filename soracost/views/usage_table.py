"""A usage report (:class:`soracost.core.usage.UsageReport`) as a Rich table for people,
readable at 80 columns: the totals first, then one line per period × service × site, then
what the figures rest on and what they leave out. Everything from the data or the log
is shown through :func:`soracost.views.text.shown`.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from soracost.core.usage import (
    MEASURE_UNITS,
    MEASURES,
    Figure,
    Measure,
    UsageReport,
    per_second_unit,
)
from soracost.views.display import format_number
from soracost.views.text import shown
from soracost.views.usage_export import skipped_text, training_text

_SHORT_LABELS: dict[Measure, str] = {
    "energy": "energy",
    "water": "water",
    "water_onsite": " on-site",
    "water_offsite": " off-site",
    "carbon": "carbon",
}


def _n(value: float | None) -> str:
    return "n/a" if value is None else format_number(value)


def _totals(report: UsageReport) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        title=Text("Totals: mid (P50), low–high, P5–P95, per second of video"),
    )
    table.add_column("measure", no_wrap=True, overflow="ellipsis")
    table.add_column("mid", justify="right", no_wrap=True)
    table.add_column("low–high", justify="right", no_wrap=True)
    table.add_column("P5–P95", justify="right", no_wrap=True)
    table.add_column("per s", justify="right", no_wrap=True)
    for measure in MEASURES:
        total: Figure | None = report.total.totals[measure]
        per_second = report.total.per_second[measure]
        label = f"{_SHORT_LABELS[measure]} {MEASURE_UNITS[measure]}"
        if total is None:
            table.add_row(label, "n/a", "", "", "")
            continue
        table.add_row(
            label,
            _n(total.mid),
            f"{_n(total.low)}–{_n(total.high)}",
            f"{_n(total.p5)}–{_n(total.p95)}",
            _n(per_second.mid if per_second else None),
        )
    return table


def _lines(report: UsageReport) -> Table:
    per = report.log.period if report.log.period != "none" else "log"
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        title=Text(f"Per {per}, service and site (mid)"),
        show_footer=True,
    )
    total = report.total
    columns: list[tuple[str, str, str]] = [
        ("period", "left", "total"),
        ("service", "left", ""),
        ("site", "left", ""),
        ("clips", "right", f"{total.clips:,}"),
        ("video s", "right", format_number(total.seconds)),
    ]
    shown_measures: tuple[Measure, ...] = ("energy", "water", "carbon")
    for measure in shown_measures:
        columns.append((MEASURE_UNITS[measure], "right", _n(_mid(total.totals[measure]))))
    for header, justify, footer in columns:
        table.add_column(
            header,
            footer=footer,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis",
            max_width=14 if header in ("service", "site") else None,
        )
    for line in report.lines:
        table.add_row(
            shown(line.period),
            shown(line.service),
            shown(line.site),
            f"{line.clips:,}",
            format_number(line.seconds),
            *(_n(_mid(line.totals[measure])) for measure in shown_measures),
        )
    return table


def _mid(figure: Figure | None) -> float | None:
    return None if figure is None else figure.mid


def usage_view(report: UsageReport) -> RenderableType:
    """The table: a headline, the totals, the lines, then sources, notes, exclusions."""
    total = report.total
    periods = len(report.period_totals)
    headline = Text(
        f"Footprint of {total.clips:,} clips ({format_number(total.seconds)} s of video), "
        f"{periods} period{'s' if periods != 1 else ''} ({report.log.period}), "
        f"{report.log.rows_read:,} rows read."
    )
    parts: list[RenderableType] = [headline, Text(""), _totals(report), Text(""), _lines(report)]
    energy = total.per_second["energy"]
    if energy is not None:
        parts.append(
            Text(f"Per second of video: {_n(energy.mid)} {per_second_unit('energy')} energy.")
        )
    shares = ", ".join(f"{m} {s:.0%}" for m, s in total.methods.items()) or "n/a"
    parts.append(Text(f"Method classes (share of the clips' energy answers): {shares}."))
    if report.left_out:
        rows = sum(item.rows for item in report.left_out)
        clips = sum(item.clips for item in report.left_out)
        names = ", ".join(shown(item.name) for item in report.left_out)
        parts.append(
            Text(f"Left out, services not mapped: {rows:,} rows, {clips:,} clips ({names}).")
        )
    if report.log.skipped:
        parts.append(Text(f"Bad rows skipped: {skipped_text(report.log.skipped)}."))
    training = training_text(report)
    if training is not None:
        parts.append(Text(shown(training) + "."))
    parts.append(Text(""))
    parts.append(
        Text(
            "Services: "
            + "; ".join(
                f"{shown(s.id)} → estimates for '{shown(s.model or 'every estimate')}' "
                f"[{shown(s.source)}]"
                for s in report.services
            )
            + "."
        )
    )
    parts.append(Text("Counts: " + "; ".join(shown(note) for note in report.notes) + "."))
    parts.append(
        Text(
            "Not included: "
            + "; ".join(f"{what} ({detail})" for what, detail in report.exclusions)
            + "."
        )
    )
    parts.append(Text(""))
    parts.append(Text("Sources"))
    for source in report.sources:
        url = f" {shown(source.url)}" if source.url else ""
        parts.append(Text(f"[{shown(source.id)}] {shown(source.citation)}.{url}"))
    parts.append(Text(""))
    for file in report.log.files:
        parts.append(Text(f"Log: {shown(file.path)} ({file.format}) SHA-256 {file.sha256}"))
    parts.append(
        Text(
            f"Data: {shown(report.catalog.path)} SHA-256 {report.catalog.sha256}; "
            f"soracost {report.version}"
        )
    )
    return Group(*parts)
