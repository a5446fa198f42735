"""A usage report (:class:`soracost.core.usage.UsageReport`) as CSV, JSON, Markdown or a
self-contained HTML page. Only formatting: every figure comes from the report.

CSV and JSON keep full precision; Markdown and HTML round as the table does. The HTML
page needs nothing from the network: its style and its chart (inline SVG) are in it,
and citations are links.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterator, Sequence
from typing import Any

from soracost.core.records import Source
from soracost.core.services import Service
from soracost.core.usage import (
    BAD_ROW_KINDS,
    FIGURE_FIELDS,
    MEASURE_LABELS,
    MEASURE_UNITS,
    MEASURES,
    Figure,
    Measure,
    ReportLine,
    UsageReport,
    per_second_unit,
)
from soracost.i18n import N_, _, count_text, language, localise_number, ngettext
from soracost.views.display import format_number

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell a spreadsheet would read as a formula gets a leading quote (OWASP)."""

_COLUMN_UNITS: dict[Measure, str] = {
    "energy": "kwh",
    "water": "m3",
    "water_onsite": "m3",
    "water_offsite": "m3",
    "carbon": "kgco2e",
}

LINE_COLUMNS: tuple[str, ...] = (
    "kind", "period", "service", "site", "rows", "clips", "video_seconds",
    *(f"{m}_{_COLUMN_UNITS[m]}_{f}" for m in MEASURES for f in FIGURE_FIELDS),
    *(f"{m}_{_COLUMN_UNITS[m]}_per_s_{f}" for m in MEASURES for f in FIGURE_FIELDS),
    "measured_share", "modelled_share", "disclosed_share", "back_of_envelope_share", "sources",
)  # fmt: skip
"""The CSV's columns: one row per period × service × site (``kind`` line), per period
(``period``) and in all (``total``); each measure's low/mid/high/P5/P50/P95 for the
clips and per second of video; each method class's share; the sources' ids."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _line_record(kind: str, line: ReportLine) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": kind,
        "period": line.period,
        "service": line.service,
        "site": line.site,
        "rows": line.rows,
        "clips": line.clips,
        "video_seconds": line.seconds,
    }
    for measure in MEASURES:
        unit = _COLUMN_UNITS[measure]
        for suffix, figures in (("", line.totals), ("_per_s", line.per_second)):
            figure = figures[measure]
            values = figure.values() if figure is not None else (None,) * 6
            for name, value in zip(FIGURE_FIELDS, values, strict=True):
                record[f"{measure}_{unit}{suffix}_{name}"] = value
    for method in ("measured", "modelled", "disclosed", "back-of-envelope"):
        record[f"{method.replace('-', '_')}_share"] = line.methods.get(method, 0.0)
    record["sources"] = ";".join(line.sources)
    return record


def _all_lines(report: UsageReport) -> Iterator[tuple[str, ReportLine]]:
    for line in report.lines:
        yield "line", line
    for line in report.period_totals:
        yield "period", line
    yield "total", report.total


def usage_csv(report: UsageReport) -> str:
    """The report's lines, period totals and total as CSV (see :data:`LINE_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINE_COLUMNS)
    for kind, line in _all_lines(report):
        record = _line_record(kind, line)
        writer.writerow([_cell(record[column]) for column in LINE_COLUMNS])
    return buffer.getvalue()


# --- JSON ------------------------------------------------------------------------------


def _figure_json(figure: Figure | None) -> dict[str, float] | None:
    if figure is None:
        return None
    return dict(zip(FIGURE_FIELDS, figure.values(), strict=True))


def _line_json(line: ReportLine) -> dict[str, Any]:
    return {
        "period": line.period,
        "service": line.service or None,
        "site": line.site or None,
        "rows": line.rows,
        "clips": line.clips,
        "video_seconds": line.seconds,
        "totals": {measure: _figure_json(line.totals[measure]) for measure in MEASURES},
        "per_second_of_video": {
            measure: _figure_json(line.per_second[measure]) for measure in MEASURES
        },
        "method_shares": line.methods,
        "sources": list(line.sources),
    }


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "citation": source.citation,
        "publisher": source.publisher,
        "title": source.title,
        "authors": list(source.authors) if source.authors else None,
        "date": source.date,
        "url": source.url,
        "confidence": source.confidence,
        "gaps": dict(source.gaps),
    }


def usage_document(report: UsageReport) -> dict[str, Any]:
    """The report as one JSON-ready document, at full precision."""
    log = report.log
    return {
        "soracost_version": report.version,
        "command": "report",
        "sources_file": {"path": report.catalog.path, "sha256": report.catalog.sha256},
        "log": {
            "files": [
                {"path": file.path, "format": file.format, "sha256": file.sha256}
                for file in log.files
            ],
            "rows_read": log.rows_read,
            "skipped_rows": dict(log.skipped),
        },
        "period": log.period,
        "units": {
            **{measure: MEASURE_UNITS[measure] for measure in MEASURES},
            "video": "s",
            "per_second_of_video": {measure: per_second_unit(measure) for measure in MEASURES},
        },
        "measures": dict(MEASURE_LABELS),
        "carbon_accounting": "location-based",
        "figures": "low/mid/high and P5/P50/P95; mid = P50 (see notes)",
        "notes": list(report.notes),
        "excluded": [{"what": what, "detail": detail} for what, detail in report.exclusions],
        "lines": [_line_json(line) for line in report.lines],
        "period_totals": [_line_json(line) for line in report.period_totals],
        "total": _line_json(report.total),
        "left_out_services": [
            {"name": item.name, "rows": item.rows, "clips": item.clips} for item in report.left_out
        ],
        "services": [
            {
                "id": service.id,
                "name": service.name,
                "estimates_model": service.model,
                "estimates_ids": list(service.ids),
                "source": service.source,
                "note": service.note,
            }
            for service in report.services
        ],
        "keys": [
            {
                "service": key.service,
                "resolution": key.resolution,
                "width": key.width,
                "height": key.height,
                "duration_s": key.duration_s,
                "site": key.site,
                "per_clip": {measure: _figure_json(key.per_clip[measure]) for measure in MEASURES},
                "fed": {measure: list(ids) for measure, ids in key.fed.items()},
                "method_shares": key.methods,
                "sources": list(key.sources),
            }
            for key in report.keys
        ],
        "max_scale": report.max_scale,
        "training_share": _training_json(report),
        "sources": [_source_json(source) for source in report.sources],
    }


def _training_json(report: UsageReport) -> dict[str, Any] | None:
    share = report.training
    if share is None:
        return None
    cases = ("low", "mid", "high")
    return {
        "what": share.request.label,
        "record": share.request.record.id if share.request.record else None,
        "unit": share.unit,
        "training_energy": dict(zip(cases, tuple(share.training), strict=True)),
        "lifetime_clips": share.request.lifetime_clips,
        "per_clip": dict(zip(cases, tuple(share.per_clip), strict=True)),
        "clips": dict(zip(cases, tuple(share.batch), strict=True)),
        "note": "shown apart, never added to the totals",
    }


def training_text(report: UsageReport) -> str | None:
    """``Training share, apart (not in the totals): 0.3 kWh (0.2–0.4) for 365 clips: …``,
    in the run's language (kWh: the report's energy unit)."""
    share = report.training
    if share is None:
        return None
    batch = share.batch
    clips, lifetime = report.total.clips, share.request.lifetime_clips
    said = ngettext(
        "Training share, apart (not in the totals): {mid} kWh ({low}–{high}) for {clips}: "
        "{what}, shared over {n} lifetime clip",
        "Training share, apart (not in the totals): {mid} kWh ({low}–{high}) for {clips}: "
        "{what}, shared over {n} lifetime clips",
        lifetime,
    )
    return said.format(
        mid=format_number(batch.mid),
        low=format_number(batch.low),
        high=format_number(batch.high),
        clips=_clips(clips),
        what=share.request.label,
        n=count_text(lifetime),
    )


def _clips(count: int) -> str:
    """``365 clips``, in the run's language."""
    return ngettext("{n} clip", "{n} clips", count).format(n=count_text(count))


def _rows(count: int) -> str:
    """``365 rows``, in the run's language."""
    return ngettext("{n} row", "{n} rows", count).format(n=count_text(count))


def usage_json(report: UsageReport) -> Iterator[str]:
    """The report as JSON (indented, UTF-8, no NaN), in pieces."""
    from soracost.views.jsontext import pieces

    return pieces(usage_document(report), end="\n")


# --- Markdown and HTML -------------------------------------------------------------------
# In the run's language, as the table: words through ``_``, numbers through
# format_number / count_text (French: 1 105,5). What the log, the data file or a source
# says (services, sites, periods, notes of the mapping, citations) is shown as written.

_SHOWN: tuple[Measure, ...] = ("energy", "water", "carbon")

TITLE = N_("AI video generation footprint report")
# The headings of Markdown and HTML (marked here: gettext's extractor cannot see into an
# f-string).
_TOTALS = N_("Totals")
_PER_PERIOD_HEADING = N_("Per period")
_SERVICES = N_("Services and the estimates behind them")
_COUNTS = N_("What the figures count")
_NOT_INCLUDED = N_("Not included")
_SOURCES = N_("Sources")
_PROVENANCE = N_("Provenance")
_LEFT_OUT = N_("Left out")
_ENERGY_PER_LINE = N_("Energy per line")

PERIOD_WORDS: dict[str, str] = {
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "quarter": N_("quarter"),
    "year": N_("year"),
    "none": N_("none"),
}
"""The period a report groups by, as a word (``(month)`` in the headline)."""

PER_PERIOD: dict[str, str] = {
    "day": N_("Per day, service and site"),
    "week": N_("Per week, service and site"),
    "month": N_("Per month, service and site"),
    "quarter": N_("Per quarter, service and site"),
    "year": N_("Per year, service and site"),
    "none": N_("Per log, service and site"),
}
"""The title of the lines' table, by period."""


def _na() -> str:
    return _("n/a")


def _mid(figure: Figure | None) -> str:
    return _na() if figure is None else format_number(figure.mid)


def _interval(figure: Figure | None) -> str:
    if figure is None:
        return _na()
    return f"{format_number(figure.p5)} – {format_number(figure.p95)}"


def _span(figure: Figure | None) -> str:
    if figure is None:
        return _na()
    return f"{format_number(figure.low)} – {format_number(figure.high)}"


def percent(share: float) -> str:
    """A share (0.5) as a whole percentage: ``50%``, in French ``50 %`` (U+202F, CLDR)."""
    return _("{percent}%").format(percent=localise_number(f"{share * 100:.0f}"))


def method_shares(methods: dict[str, float]) -> str:
    """``measured 50%, modelled 50%``: each method class's share, in the run's language."""
    return ", ".join(f"{_(method)} {percent(share)}" for method, share in methods.items()) or _na()


def period_title(report: UsageReport) -> str:
    """``Per month, service and site``."""
    return _(PER_PERIOD.get(report.log.period, PER_PERIOD["none"]))


def shown_period(label: str, report: UsageReport) -> str:
    """A line's period as the report labels it (``2025-09``), ``all`` in the run's
    language for a report without periods."""
    return _("all") if report.log.period == "none" and label == "all" else label


def headline_counts(report: UsageReport) -> dict[str, str]:
    """The counts a headline gives, in the run's language: ``clips`` (``365 clips``),
    ``seconds`` of video (``4,025``), ``periods`` (``1 period``), ``period`` (``month``),
    ``rows`` read (``365 rows``)."""
    total = report.total
    periods = len(report.period_totals)
    return {
        "clips": _clips(total.clips),
        "seconds": format_number(total.seconds),
        "periods": ngettext("{n} period", "{n} periods", periods).format(n=count_text(periods)),
        "period": _(PERIOD_WORDS.get(report.log.period, report.log.period)),
        "rows": _rows(report.log.rows_read),
    }


def headline(report: UsageReport) -> str:
    """``365 clips (4,025 s of video) in 1 period (month), from 365 rows``."""
    said = _("{clips} ({seconds} s of video) in {periods} ({period}), from {rows}")
    return said.format(**headline_counts(report))


def _line_cells(line: ReportLine, report: UsageReport) -> list[str]:
    cells = [
        shown_period(line.period, report),
        line.service or _("all"),
        line.site or _("all"),
        count_text(line.clips),
        format_number(line.seconds),
    ]
    for measure in _SHOWN:
        cells.append(f"{_mid(line.totals[measure])} ({_interval(line.totals[measure])})")
    return cells


_LINE_HEADERS = (
    N_("Period"), N_("Service"), N_("Site"), N_("Clips"), N_("Video (s)"),
    N_("Energy kWh (P5–P95)"), N_("Water m³ (P5–P95)"), N_("Carbon kgCO2e (P5–P95)"),
)  # fmt: skip


def _line_headers(*more: str) -> list[str]:
    return [_(header) for header in (*_LINE_HEADERS, *more)]


def _total_rows(line: ReportLine) -> list[list[str]]:
    rows = []
    for measure in MEASURES:
        total, per_second = line.totals[measure], line.per_second[measure]
        rows.append(
            [
                _(MEASURE_LABELS[measure]),
                MEASURE_UNITS[measure],
                _mid(total),
                _span(total),
                _interval(total),
                _mid(per_second),
                _interval(per_second),
            ]
        )
    return rows


_TOTAL_HEADERS = (
    N_("Measure"), N_("Unit"), N_("Mid (P50)"), N_("Low – high"), N_("P5 – P95"),
    N_("Per s of video (mid)"), N_("Per s: P5 – P95"),
)  # fmt: skip
_LEFT_OUT_HEADERS = (N_("Service"), N_("Rows"), N_("Clips"))


def _translated(headers: Sequence[str]) -> list[str]:
    return [_(header) for header in headers]


def _md_escape(text: str) -> str:
    """Text for a Markdown table cell or line: the characters Markdown acts on escaped."""
    out = []
    for character in text:
        if character in "\\`*_[]<>|~":  # what Markdown (GFM) would act on mid-line
            out.append("\\" + character)
        elif character in "\r\n\t":
            out.append(" ")
        else:
            out.append(character)
    return "".join(out)


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_escape(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _header in headers) + "|")
    lines.extend("| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows)
    return lines


def _citation(source: Source) -> str:
    return source.citation + (f". {source.url}" if source.url else "")


def _shares_sentence(report: UsageReport) -> str:
    """``Method classes (share of the clips' energy answers): modelled 100%.``"""
    said = _("Method classes (share of the clips' energy answers): {shares}.")
    return said.format(shares=method_shares(report.total.methods))


def _service_text(service: Service) -> str:
    """``model-d (Model D): estimates for 'Model D' [paper]. Model D's own figure.``"""
    if service.ids:  # named one by one, not by a model's name
        said = _("{service} ({name}): estimates {ids} [{source}]. {note}")
        return said.format(
            service=service.id,
            name=service.name,
            ids=", ".join(service.ids),
            source=service.source,
            note=service.note,
        )
    said = _("{service} ({name}): estimates for '{model}' [{source}]. {note}")
    return said.format(
        service=service.id,
        name=service.name,
        model=service.model or _("every estimate"),
        source=service.source,
        note=service.note,
    )


def _left_out_sentence(report: UsageReport) -> str:
    """``Services not mapped, left out: 2 rows, 15 clips.``"""
    rows = sum(item.rows for item in report.left_out)
    clips = sum(item.clips for item in report.left_out)
    return _("Services not mapped, left out: {rows}, {clips}.").format(
        rows=_rows(rows), clips=_clips(clips)
    )


def _left_out_rows(report: UsageReport) -> list[list[str]]:
    return [[i.name, count_text(i.rows), count_text(i.clips)] for i in report.left_out]


def _skipped_sentence(report: UsageReport) -> str:
    return _("Bad rows skipped: {skipped}.").format(skipped=_skipped(report))


def usage_markdown(report: UsageReport) -> str:
    """The report as Markdown, to paste into a document, in the run's language."""
    out = [f"# {_md_escape(_(TITLE))}", "", _md_escape(headline(report)) + ".", ""]
    out += [f"## {_(_TOTALS)}", ""]
    out += _md_table(_translated(_TOTAL_HEADERS), _total_rows(report.total))
    out += ["", _md_escape(_shares_sentence(report)), ""]
    out += [f"## {_md_escape(period_title(report))}", ""]
    out += _md_table(
        _line_headers(N_(_SOURCES)),
        [[*_line_cells(line, report), ", ".join(line.sources)] for line in report.lines],
    )
    if len(report.period_totals) > 1:
        out += ["", f"### {_(_PER_PERIOD_HEADING)}", ""]
        out += _md_table(
            _line_headers(), [_line_cells(line, report) for line in report.period_totals]
        )
    out += ["", f"## {_(_SERVICES)}", ""]
    out += [_md_escape(f"- {_service_text(service)}") for service in report.services]
    out += _left_out_md(report)
    if report.training is not None:
        out += ["", _md_escape(f"{training_text(report)}.")]
    out += ["", f"## {_(_COUNTS)}", ""]
    out += [_md_escape(f"- {note}") for note in report.notes]
    out += ["", f"## {_(_NOT_INCLUDED)}", ""]
    out += [_md_escape("- " + _exclusion(what, detail)) for what, detail in report.exclusions]
    out += ["", f"## {_(_SOURCES)}", ""]
    for source in report.sources:
        text = _md_escape(f"[{source.id}] {source.citation}")
        out.append(f"- {text}" + (f" <{source.url}>" if source.url else ""))
    out += ["", f"## {_(_PROVENANCE)}", ""]
    out += [_md_escape(f"- {line}") for line in _provenance(report)]
    return "\n".join(out) + "\n"


def _exclusion(what: str, detail: str) -> str:
    """``embodied: making the hardware…`` (both from the report, in its language)."""
    return _("{what}: {detail}").format(what=what, detail=detail)


def _left_out_md(report: UsageReport) -> list[str]:
    out: list[str] = []
    if report.left_out:
        out += ["", f"## {_(_LEFT_OUT)}", "", _md_escape(_left_out_sentence(report)), ""]
        out += _md_table(_translated(_LEFT_OUT_HEADERS), _left_out_rows(report))
    if report.log.skipped:
        out += ["", _md_escape(_skipped_sentence(report))]
    return out


def _skipped(report: UsageReport) -> str:
    return skipped_text(report.log.skipped)


def skipped_text(skipped: dict[str, int]) -> str:
    """``3 rows: 2 bad duration, 1 unknown site``, in the run's language."""
    kinds = ", ".join(
        _("{count} {kind}").format(
            count=count_text(count), kind=_(BAD_ROW_KINDS[kind]) if kind in BAD_ROW_KINDS else kind
        )
        for kind, count in skipped.items()
    )
    return _("{rows}: {kinds}").format(rows=_rows(sum(skipped.values())), kinds=kinds)


def _provenance(report: UsageReport) -> list[str]:
    """Where the figures come from: the log's files, the data file, soracost's version."""
    log_line = _("log: {path} ({format}), SHA-256 {sha256}")
    lines = [
        log_line.format(path=file.path, format=file.format, sha256=file.sha256)
        for file in report.log.files
    ]
    data_line = _("data file: {path}, SHA-256 {sha256}")
    lines.append(data_line.format(path=report.catalog.path, sha256=report.catalog.sha256))
    lines.append(f"soracost {report.version}")
    return lines


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_lines(report: UsageReport) -> str:
    """The lines' table, each line's sources as links to the citations below."""
    head = "".join(f"<th>{_h(h)}</th>" for h in _line_headers(N_(_SOURCES)))
    rows = []
    for line in report.lines:
        cells = "".join(f"<td>{_h(cell)}</td>" for cell in _line_cells(line, report))
        links = ", ".join(
            f'<a class="cite" href="#source-{_h(source)}">{_h(source)}</a>'
            for source in line.sources
        )
        rows.append(f"<tr>{cells}<td>{links}</td></tr>")
    return (
        f'<table class="lines"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in rows)
    attribute = f' class="{css}"' if css else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def chart_svg(report: UsageReport, measure: Measure = "energy") -> str:
    """A horizontal bar per line: the mid of ``measure``, with its P5–P95 as a whisker,
    on a linear axis from 0 to the largest P95. Its words and the numbers it shows are in
    the run's language; its coordinates in SVG's (``12.50``)."""
    lines = [line for line in report.lines if line.totals[measure] is not None]
    bar, gap, label_width, plot_width = 18, 8, 260, 420
    height = 40 + len(lines) * (bar + gap)
    top = max((line.totals[measure].p95 for line in lines), default=0.0)  # type: ignore[union-attr]
    scale = plot_width / top if top > 0 else 0.0
    label = _(MEASURE_LABELS[measure])
    unit = MEASURE_UNITS[measure]
    aria = _("{measure} per line").format(measure=label)
    title = _("{measure}, {unit}: mid and P5–P95").format(measure=label, unit=unit)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{label_width + plot_width + 80}" '
        f'height="{height}" aria-label="{_h(aria)}">',
        f"<title>{_h(title)}</title>",
    ]
    for index, line in enumerate(lines):
        figure = line.totals[measure]
        assert figure is not None
        y = 10 + index * (bar + gap)
        period = shown_period(line.period, report)
        named = " · ".join(part for part in (period, line.service, line.site) if part)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" '
            f'font-size="12">{_h(named)}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y}" width="{figure.mid * scale:.2f}" '
            f'height="{bar}" fill="#4a7fb5"/>'
        )
        middle = y + bar / 2
        parts.append(
            f'<line class="whisker" x1="{label_width + figure.p5 * scale:.2f}" y1="{middle}" '
            f'x2="{label_width + figure.p95 * scale:.2f}" y2="{middle}" stroke="#222" '
            'stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{label_width + figure.mid * scale + 4:.2f}" y="{y + bar - 5}" '
            f'font-size="11">{_h(format_number(figure.mid))}</text>'
        )
    axis_y = 10 + len(lines) * (bar + gap) + 14
    parts.append(
        f'<text x="{label_width}" y="{axis_y}" font-size="11">0</text>'
        f'<text x="{label_width + plot_width}" y="{axis_y}" font-size="11" text-anchor="end">'
        f"{_h(format_number(top))} {_h(MEASURE_UNITS[measure])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#111}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;font-size:.9em}
td:nth-child(n+4){font-variant-numeric:tabular-nums}
.note{color:#444;font-size:.9em}
"""


def usage_html(report: UsageReport) -> str:
    """The report as one HTML page that needs nothing else: tables, an inline SVG chart
    of energy per line, citations as links; in the run's language (``<html lang>``)."""
    title = _h(_(TITLE))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}"><head><meta charset="utf-8">',
        # Nothing may be fetched: the page works offline and leaks nothing when opened.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f'<p id="headline">{_h(headline(report))}.</p>',
        f"<h2>{_h(_(_TOTALS))}</h2>",
        _html_table(_translated(_TOTAL_HEADERS), _total_rows(report.total), "totals"),
        f"<p>{_h(_shares_sentence(report))}</p>",
        f"<h2>{_h(period_title(report))}</h2>",
        _html_lines(report),
    ]
    if len(report.period_totals) > 1:
        parts += [
            f"<h3>{_h(_(_PER_PERIOD_HEADING))}</h3>",
            _html_table(_line_headers(), [_line_cells(t, report) for t in report.period_totals]),
        ]
    caption = _("Bars: mid (P50); lines: P5–P95. kWh at the facility boundary.")
    parts += [
        f'<h2>{_h(_(_ENERGY_PER_LINE))}</h2><figure id="chart">',
        chart_svg(report),
        f"<figcaption>{_h(caption)}</figcaption></figure>",
        f"<h2>{_h(_(_SERVICES))}</h2><ul>",
    ]
    # The sentence is translated, then escaped, then given the escaped pieces (markup).
    by_model = _h(_("{service} ({name}): estimates for “{model}” [{source}]. {note}"))
    by_ids = _h(_("{service} ({name}): estimates {ids} [{source}]. {note}"))
    for service in report.services:
        item = (by_ids if service.ids else by_model).format(
            service=f"<b>{_h(service.id)}</b>",
            name=_h(service.name),
            model=_h(service.model or _("every estimate")),
            ids=_h(", ".join(service.ids)),
            source=f'<a href="#source-{_h(service.source)}">{_h(service.source)}</a>',
            note=_h(service.note),
        )
        parts.append(f"<li>{item}</li>")
    parts.append("</ul>")
    if report.left_out:
        parts += [
            f"<h2>{_h(_(_LEFT_OUT))}</h2>",
            f"<p>{_h(_left_out_sentence(report))}</p>",
            _html_table(_translated(_LEFT_OUT_HEADERS), _left_out_rows(report)),
        ]
    if report.log.skipped:
        parts.append(f"<p>{_h(_skipped_sentence(report))}</p>")
    if report.training is not None:
        parts.append(f'<p id="training">{_h(training_text(report))}.</p>')
    parts += [f"<h2>{_h(_(_COUNTS))}</h2><ul>"]
    parts += [f'<li class="note">{_h(note)}</li>' for note in report.notes]
    parts += [f"</ul><h2>{_h(_(_NOT_INCLUDED))}</h2><ul>"]
    parts += [f"<li>{_h(_exclusion(what, detail))}</li>" for what, detail in report.exclusions]
    parts += [f'</ul><h2>{_h(_(_SOURCES))}</h2><ol id="sources">']
    for source in report.sources:
        link = (
            f' <a class="citation" href="{_h(source.url)}">{_h(source.url)}</a>'
            if source.url and source.url.startswith(("https://", "http://"))
            else ""
        )
        parts.append(
            f'<li id="source-{_h(source.id)}">[{_h(source.id)}] {_h(source.citation)}.{link}</li>'
        )
    parts += [f"</ol><h2>{_h(_(_PROVENANCE))}</h2><ul>"]
    parts += [f"<li>{_h(line)}</li>" for line in _provenance(report)]
    parts += ["</ul></body></html>"]
    return "\n".join(parts) + "\n"
