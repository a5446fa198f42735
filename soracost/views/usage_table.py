"""A usage report (:class:`soracost.core.usage.UsageReport`) as a Rich table for people,
readable at 80 columns: the totals first, then one line per period × service × site, then
what the figures rest on and what they leave out. Everything from the data or the log
is shown through :func:`soracost.views.text.shown`.

In the run's language (:mod:`soracost.i18n`): words through ``_``, numbers through
:func:`~soracost.views.display.format_number` and :func:`~soracost.i18n.count_text`
(``1 105,5`` in French). Units are SI symbols in every language: energy in kWh, water in
m³, carbon in kgCO2e, video in s.
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
from soracost.i18n import N_, _, count_text, ngettext
from soracost.views.display import format_number
from soracost.views.links import WholeUrls, url_text
from soracost.views.prose import prose
from soracost.views.text import shown
from soracost.views.usage_export import (
    headline_counts,
    method_shares,
    period_title,
    shown_period,
    skipped_text,
    training_text,
)

_SHORT_LABELS: dict[Measure, tuple[str, str]] = {
    "energy": ("", N_("energy")),
    "water": ("", N_("water")),
    "water_onsite": (" ", N_("on-site")),
    "water_offsite": (" ", N_("off-site")),
    "carbon": ("", N_("carbon")),
}
"""Each measure's row label in the totals (on-site and off-site water indented under
water)."""


def _n(value: float | None) -> str:
    return _("n/a") if value is None else format_number(value)


def _totals(report: UsageReport) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        title=Text(_("Totals: mid (P50), low–high, P5–P95, per second of video")),
    )
    table.add_column(_("measure"), no_wrap=True, overflow="ellipsis")
    table.add_column(_("mid"), justify="right", no_wrap=True)
    table.add_column(_("low–high"), justify="right", no_wrap=True)
    table.add_column("P5–P95", justify="right", no_wrap=True)
    table.add_column(_("per s"), justify="right", no_wrap=True)
    for measure in MEASURES:
        total: Figure | None = report.total.totals[measure]
        per_second = report.total.per_second[measure]
        indent, word = _SHORT_LABELS[measure]
        label = f"{indent}{_(word)} {MEASURE_UNITS[measure]}"
        if total is None:
            table.add_row(label, _n(None), "", "", "")
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
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        title=Text(_("{title} (mid)").format(title=period_title(report))),
        show_footer=True,
    )
    total = report.total
    # (what the column is, its header, justification, footer)
    columns: list[tuple[str, str, str, str]] = [
        ("period", _("period"), "left", _("total")),
        ("service", _("service"), "left", ""),
        ("site", _("site"), "left", ""),
        ("clips", _("clips"), "right", count_text(total.clips)),
        ("seconds", _("video s"), "right", format_number(total.seconds)),
    ]
    shown_measures: tuple[Measure, ...] = ("energy", "water", "carbon")
    for measure in shown_measures:
        unit = MEASURE_UNITS[measure]
        columns.append((measure, unit, "right", _n(_mid(total.totals[measure]))))
    for what, header, justify, footer in columns:
        table.add_column(
            header,
            footer=footer,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis",
            max_width=14 if what in ("service", "site") else None,
        )
    for line in report.lines:
        table.add_row(
            shown(shown_period(line.period, report)),
            shown(line.service),
            shown(line.site),
            count_text(line.clips),
            format_number(line.seconds),
            *(_n(_mid(line.totals[measure])) for measure in shown_measures),
        )
    return table


def _mid(figure: Figure | None) -> float | None:
    return None if figure is None else figure.mid


def _say(text: str) -> RenderableType:
    """A line of the report, wrapped as prose (French: never inside a number)."""
    return prose(Text(text))


def usage_view(report: UsageReport) -> RenderableType:
    """The table: a headline, the totals, the lines, then sources, notes, exclusions."""
    total = report.total
    said = _("Footprint of {clips} ({seconds} s of video), {periods} ({period}), {rows} read.")
    headline = _say(said.format(**headline_counts(report)))
    parts: list[RenderableType] = [headline, Text(""), _totals(report), Text(""), _lines(report)]
    energy = total.per_second["energy"]
    if energy is not None:
        said = _("Per second of video: {value} {unit} energy.")
        parts.append(_say(said.format(value=_n(energy.mid), unit=per_second_unit("energy"))))
    said = _("Method classes (share of the clips' energy answers): {shares}.")
    parts.append(_say(said.format(shares=method_shares(total.methods))))
    if report.left_out:
        rows = sum(item.rows for item in report.left_out)
        clips = sum(item.clips for item in report.left_out)
        names = ", ".join(shown(item.name) for item in report.left_out)
        said = _("Left out, services not mapped: {rows}, {clips} ({names}).")
        parts.append(
            _say(
                said.format(
                    rows=ngettext("{n} row", "{n} rows", rows).format(n=count_text(rows)),
                    clips=ngettext("{n} clip", "{n} clips", clips).format(n=count_text(clips)),
                    names=names,
                )
            )
        )
    if report.log.skipped:
        said = _("Bad rows skipped: {skipped}.")
        parts.append(_say(said.format(skipped=skipped_text(report.log.skipped))))
    training = training_text(report)
    if training is not None:
        parts.append(_say(shown(training) + "."))
    parts.append(Text(""))
    by_model = _("{service} → estimates for '{model}' [{source}]")
    by_ids = _("{service} → estimates {ids} [{source}]")
    services = _("; ").join(
        (by_ids if s.ids else by_model).format(
            service=shown(s.id),
            model=shown(s.model or _("every estimate")),
            ids=shown(", ".join(s.ids)),
            source=shown(s.source),
        )
        for s in report.services
    )
    parts.append(_say(_("Services: {services}.").format(services=services)))
    # A note may end with a full stop (the carbon note is a sentence): not before a ";".
    notes = _("; ").join(shown(note.rstrip(".")) for note in report.notes)
    parts.append(_say(_("Counts: {notes}.").format(notes=notes)))
    excluded = _("; ").join(f"{what} ({detail})" for what, detail in report.exclusions)
    parts.append(_say(_("Not included: {excluded}.").format(excluded=excluded)))
    parts.append(Text(""))
    parts.append(Text(_("Sources")))
    for source in report.sources:
        cited = Text(f"[{shown(source.id)}] {shown(source.citation)}.")
        if source.url:  # a word of the line, but one never folded (soracost.views.links)
            cited.append(" ")
            cited.append_text(url_text(source.url))
        parts.append(WholeUrls(prose(cited)))
    parts.append(Text(""))
    log_line = _("Log: {path} ({format}) SHA-256 {sha256}")
    for file in report.log.files:
        parts.append(
            _say(log_line.format(path=shown(file.path), format=file.format, sha256=file.sha256))
        )
    said = _("Data: {path} SHA-256 {sha256}; soracost {version}")
    parts.append(
        _say(
            said.format(
                path=shown(report.catalog.path),
                sha256=report.catalog.sha256,
                version=report.version,
            )
        )
    )
    return Group(*parts)
