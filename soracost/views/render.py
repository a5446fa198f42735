"""Rich renderables for people. Each function returns a renderable; only the CLI prints.

``clip`` and ``compare`` come in two layouts: compact (the default: the answer, then one
line per estimate that fits the terminal, see :mod:`soracost.views.compact`) and wide
(``--wide``: every detail, cells wrapped over several lines). In the wide tables every
figure row carries a footnote number that points at its source in a legend below the
table (title and URL); in the compact ones each row names its source (publisher and
year) and its id, which ``soracost explain ID`` and ``soracost sources`` expand: no
number appears without its origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Group, OverflowMethod, RenderableType
from rich.table import Table
from rich.text import Text

from soracost.core.footprint import FAR_SCALE, NO_ENERGY, OPERATION_SYMBOLS, Step
from soracost.core.records import BOUNDARY_LABELS, FILLS, Catalog, Clip, Closure, Estimate
from soracost.core.reports import ClipReport, CompareReport, ExplainReport
from soracost.core.results import CARBON_NOTE, ResultRow, Results, Scenario, Spread
from soracost.core.units import Quantity
from soracost.i18n import N_, _, count_text, format_date, localise_number, ngettext
from soracost.views import compact
from soracost.views.answer import answer_line
from soracost.views.common import (
    MISSING,
    Footnotes,
    citation,
    column_header,
    range_cell,
    title_text,
)
from soracost.views.display import format_number, format_range, log_axis, range_bar
from soracost.views.links import WholeUrls, url_text
from soracost.views.prose import prose
from soracost.views.text import shown

if TYPE_CHECKING:  # equivalents, training and Monte Carlo are loaded only when asked for
    from rich.tree import Tree  # explain's alone: imported there

    from soracost.core.embodied import EmbodiedShares
    from soracost.core.training import TrainingShare
    from soracost.core.uncertainty import Percentiles

# Translated when this module is imported: the CLI chooses the language before that.
_NOT_DERIVED = Text(_("n/a"), style="dim italic")
_ENERGY_ONLY = Text(_("energy only"), style="dim italic")


FILL_WORDS = (N_("single-figure"), N_("midpoint"), N_("geometric-mean"))
"""How a range's mid was filled in (``Estimate.fill``), marked for the catalogue: a table
shows the word translated (``_(fill)``), CSV and JSON the id."""


def _clip_text(clip: Clip) -> str:
    """:meth:`Clip.describe` in the run's language: ``1280×720, 81 frames, 5.4 s`` (French
    ``1280×720, 81 images, 5,4 s``); '' if unknown."""
    parts = []
    if clip.width and clip.height:
        parts.append(f"{clip.width}×{clip.height}")
    if clip.frames:
        parts.append(
            ngettext("{n} frame", "{n} frames", clip.frames).format(n=count_text(clip.frames))
        )
    if clip.duration_s:
        parts.append(f"{localise_number(f'{clip.duration_s:g}')} s")
    if clip.fps and not (clip.frames and clip.duration_s):  # else fps adds nothing
        parts.append(f"{localise_number(f'{clip.fps:g}')} fps")
    if clip.steps:
        parts.append(ngettext("{n} step", "{n} steps", clip.steps).format(n=count_text(clip.steps)))
    return ", ".join(parts)


def _source_cell(row: ResultRow, footnotes: Footnotes) -> Text:
    text = _Pieces(style="bold", overflow="fold").add(f"{footnotes.mark(row.source)} ")
    text.add(shown(row.source.publisher))
    date = format_date(row.source.date) if row.source.date else _("undated")
    text.add(f"\n{shown(date)}", "dim")
    # The chain runs from the outermost report to the origin: links before the row's own
    # source repeated its figure; links after it are where the figure came from.
    ids = [link.id for link in row.chain]
    position = ids.index(row.source.id) if row.source.id in ids else len(ids)
    reported_by, taken_from = row.chain[:position], row.chain[position + 1 :]
    doubt = _doubt(row.estimate, "chain", "source", "claim", "see_also")
    if taken_from:
        links = ", ".join(footnotes.mark(link) for link in taken_from)
        text.add("\n" + _("from {sources}").format(sources=links) + doubt, "dim")
    elif doubt:
        text.add(doubt, "dim")
    if reported_by:
        cited_by = ", ".join(footnotes.mark(link) for link in reported_by)
        text.add("\n" + _("cited by {sources}").format(sources=cited_by), "dim")
    if row.see_also:
        see_also = ", ".join(footnotes.mark(link) for link in row.see_also)
        text.add("\n" + _("see also {sources}").format(sources=see_also), "dim")
    return text.cell()


def _doubt(estimate: Estimate, *fields: str) -> str:
    """'?' when any of ``fields`` (or a field nested in one) is marked unconfirmed."""
    if not estimate.unconfirmed:
        return ""
    return "?" if _doubtful(tuple(estimate.unconfirmed), fields) else ""


@lru_cache(maxsize=1024)
def _doubtful(names: tuple[str, ...], fields: tuple[str, ...]) -> bool:
    """Whether a field in ``fields`` is one of ``names``, inside one, or contains one
    (cached: every row asks about the same few fields)."""
    return any(
        name == field or name.startswith(f"{field}.") or field.startswith(f"{name}.")
        for name in names
        for field in fields
    )


def _applies_cell(estimate: Estimate) -> Text:
    applies = estimate.applies_to
    text = _Pieces(overflow="fold").add(shown(applies.model) + _doubt(estimate, "applies_to.model"))
    if applies.sora_proxy:
        text.add("\n" + _("Sora proxy"), "yellow")
    elif applies.models_sora:
        text.add("\n" + _("models Sora (not measured)"), "yellow")
    clip = _clip_text(applies.clip)
    if clip:
        text.add(f"\n{shown(clip)}{_doubt(estimate, 'applies_to.clip')}", "dim")
    return text.cell()


def _basis_cell(estimate: Estimate, shown: str | None = None) -> _Pieces:
    """Boundary (and the one shown, if another), method and fill; callers may add to it."""
    label = _(BOUNDARY_LABELS[estimate.boundary]) + _doubt(estimate, "boundary")
    text = _Pieces(overflow="fold").add(label)
    if shown and shown != estimate.boundary:
        text.add(f"\n→ {_(BOUNDARY_LABELS[shown])}", "green")  # type: ignore[index]
    # Spaces, not hyphens, so a narrow column wraps between words.
    method = _(estimate.method).replace("-", " ")
    text.add(f"\n{method}{_doubt(estimate, 'method')}", "dim")
    if estimate.fill:
        text.add(f"\n{_(estimate.fill)}*", "magenta")
    return text


def _notes(rows: Sequence[ResultRow], *, explain_none: bool = False) -> Text:
    text = Text()
    fills = sorted({row.estimate.fill for row in rows if row.estimate.fill})
    for fill in fills:
        said = _("{fill}*: {meaning}.").format(fill=_(fill), meaning=_(FILLS[fill]))
        text.append(said + "\n", style="magenta")
    if any(row.estimate.unconfirmed for row in rows):
        text.append(
            _("?: not confirmed in the original (the JSON's 'unconfirmed' says why).") + "\n",
            style="dim",
        )
    if explain_none:
        text.append(
            _(
                "none: the source published no figure for this quantity; "
                "n/a: it could not be derived (reason above)."
            )
            + "\n",
            style="dim",
        )
    if any(row.derivation.derived_water for row in rows):
        text.append(
            _(
                "derived: water = whole-server energy × on-site WUE + facility energy × off-site "
                "EWIF (Li et al.), with the site's factors; no source published these."
            )
            + "\n",
            style="cyan",
        )
    if any(row.quantity == "carbon" for row in rows):
        text.append(_(CARBON_NOTE) + "\n", style="cyan")
    closed = _closed_note(rows)
    if closed.plain:
        text.append_text(closed).append("\n")
    text.append(
        _(
            "Nobody has published a measurement of Sora itself: 'Sora proxy' rows are other "
            "models standing in for it. Boundaries differ (GPU only < GPU+CPU+RAM < whole "
            "server < facility), so compare like with like."
        ),
        style="dim",
    )
    return text


def _closed_note(rows: Sequence[ResultRow]) -> Text:
    """One line per closed service among the rows' estimates (``applies_to.closed``):
    what closed, when, the source that says so and the rows it concerns; '' if none."""
    concerned: dict[Closure, list[str]] = {}
    for row in rows:
        closed = row.estimate.applies_to.closed
        if closed is not None and row.estimate.id not in concerned.get(closed, []):
            concerned.setdefault(closed, []).append(row.estimate.id)
    lines = [
        ngettext(
            "Closed: {what} shut down on {date} (source: {source}); {ids} is a figure for a "
            "service that no longer runs.",
            "Closed: {what} shut down on {date} (source: {source}); {ids} are figures for a "
            "service that no longer runs.",
            len(ids),
        ).format(
            what=shown(closed.what),
            date=shown(format_date(closed.date)),
            source=shown(closed.source),
            ids=", ".join(shown(i) for i in ids),
        )
        for closed, ids in concerned.items()
    ]
    return Text("\n".join(lines), style="yellow")


def _figure_cell(row: ResultRow, value_of: str, sampled: Percentiles | None = None) -> Text:
    """A range cell, with what was done to the figure: scaled, derived, converted; with
    Monte Carlo, its P50 (P5 – P95) beneath."""
    low, mid, high = row.per_clip if value_of == "per_clip" else row.batch
    low_text, mid_text, high_text = format_range(low, mid, high)
    doubt = _doubt(row.estimate, "published")
    if low == mid == high:  # as _range_cell: the whole cell in bold
        cell = _Pieces(style="bold").add(mid_text + doubt)
    else:
        cell = _Pieces().add(mid_text, "bold").add("\n").add(f"{low_text} – {high_text}", "dim")
        cell.add(doubt)
    if sampled is not None:
        p5, p50, p95 = format_range(sampled.p5, sampled.p50, sampled.p95)
        cell.add(f"\nP50 {p50}\nP5–95 {p5} – {p95}", "blue")
    derivation = row.derivation
    if value_of == "per_clip":
        status = _scaling_status(row)
        if status is not None:
            cell.add("\n").add(status.plain, str(status.style))
        split = derivation.water_split
        if split is not None:
            on_site, off_site = (format_number(part.mid) for part in split)
            said = _("derived: {on_site} on + {off_site} off-site")
            cell.add("\n" + said.format(on_site=on_site, off_site=off_site), "cyan")
    return cell.cell()


class _Pieces:
    """Styled pieces gathered into one table cell, joined into a Text at the end."""

    def __init__(self, style: str = "", overflow: OverflowMethod | None = None) -> None:
        self.style, self.overflow = style, overflow
        self.parts: list[tuple[str, str]] = []

    def add(self, text: str, style: str = "") -> _Pieces:
        self.parts.append((text, style))
        return self

    def cell(self) -> Text:
        text = Text(style=self.style, overflow=self.overflow)
        for piece, style in self.parts:
            text.append(piece, style)
        return text


def _factors_used(catalog: Catalog, rows: Sequence[ResultRow], footnotes: Footnotes) -> Text:
    """The factors the rows used, each with its source's footnote ('?': partly unconfirmed)."""
    used: dict[str, str] = {}
    for row in rows:
        for step in row.derivation.steps:
            factor = catalog.factors.get(step.factor_id or "")
            if factor is not None and factor.id not in used:
                doubt = "?" if factor.unconfirmed else ""
                used[factor.id] = (
                    f"{shown(factor.id)}{doubt} {footnotes.mark(catalog.sources[factor.source])}"
                )
    if not used:
        return Text()
    return Text(
        _("Factors used (every step: 'soracost explain ID'): {factors}.").format(
            factors=", ".join(used.values())
        )
        + "\n",
        style="dim",
    )


def _notes_for(results: Results) -> Text:
    """One line per distinct reason, naming the estimates it applies to."""
    far: list[str] = []
    reasons: dict[str, list[str]] = {}
    for row in results.rows:
        derivation = row.derivation
        far_note = derivation.far_scaling_note
        if far_note is not None:
            far.append(row.estimate.id)
        for reason in (*derivation.not_scaled, *derivation.notes):
            if reason != far_note:  # said once for every such row, below
                reasons.setdefault(reason, []).append(row.estimate.id)
    for (estimate_id, quantity), reason in results.missing.items():
        if quantity != "energy" and reason != NO_ENERGY:
            reasons.setdefault(reason, []).append(estimate_id)
    text = Text()
    if far:
        far_ids = ", ".join(dict.fromkeys(shown(estimate_id) for estimate_id in far))
        said = _(
            "Scaled more than {far}× from the source's own clip (read as an order of "
            "magnitude): {ids}."
        )
        far_scale = localise_number(f"{FAR_SCALE:g}")
        text.append(said.format(far=far_scale, ids=far_ids) + "\n", style="yellow")
    for reason, ids in reasons.items():
        said = shown(reason)
        listed = ", ".join(dict.fromkeys(shown(estimate_id) for estimate_id in ids))
        reason_ids = _("{reason}: {ids}.").format(reason=f"{said[0].upper()}{said[1:]}", ids=listed)
        text.append(reason_ids + "\n", style="red")
    return text


_QUANTITY_TITLES: dict[str, str] = {
    "energy": _("Energy"),
    "water": _("Water"),
    "carbon": _("Carbon"),
}


def _clip_what(quantities: Sequence[Quantity]) -> str:
    """``Electricity and water``, ``Electricity, water and carbon``."""
    names = {"energy": N_("electricity"), "water": N_("water"), "carbon": N_("carbon")}
    listed = [_(names[quantity]) for quantity in quantities]
    what = _(" and ").join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 1 else listed)
    return f"{what[0].upper()}{what[1:]}"


def _clip_title(count: int, quantities: Sequence[Quantity]) -> str:
    clips = ngettext("{n} AI video clip", "{n} AI video clips", count)
    return _("{what} for {clips}").format(
        what=_clip_what(quantities), clips=clips.format(n=count_text(count))
    )


def _answer_lines(report: ClipReport | CompareReport) -> list[RenderableType]:
    """The answer, first: one line per quantity (see views.answer)."""
    return [prose(Text(answer_line(answer), style="bold")) for answer in report.answers.values()]


def _site_factor_lines(report: ClipReport | CompareReport) -> list[Text]:
    """Under the line that names the site: one line per row computed with other site
    factors than that site's (EcoLogits' rows), saying which, and whose."""
    return [
        Text(_("{id}: {note}.").format(id=shown(estimate_id), note=shown(said)), style="cyan")
        for estimate_id, said in report.site_factors.items()
    ]


def clip_view(report: ClipReport, *, wide: bool = False) -> RenderableType:
    """The ``clip`` table, compact unless ``wide`` (see :func:`_clip_compact`)."""
    return _clip_wide(report) if wide else _clip_compact(report)


def _clip_wide(report: ClipReport) -> RenderableType:
    """The wide ``clip`` table: each estimate's energy and water (and carbon, if asked), per
    clip and for the batch (for one clip, the batch columns would repeat the per-clip
    ones, and are left out)."""
    catalog, results, scenario = report.catalog, report.results, report.scenario
    footnotes = Footnotes()
    count, units = scenario.count, scenario.units
    quantities = scenario.quantities
    batch = count > 1
    table = Table(
        title=title_text(_clip_title(count, quantities) + "\n" + shown(report.description)),
        caption=Text.assemble(
            _("each cell: "),
            (_("mid"), "bold"),
            _(", with low – high beneath; 'soracost explain ID' shows every step"),
            style="table.caption",
        ),
        show_lines=True,
        expand=False,
    )
    table.add_column(_("Source"))
    table.add_column(_("Applies to"))
    table.add_column(_("Boundary\nmethod"))
    for quantity in quantities:
        title, unit = _QUANTITY_TITLES[quantity], shown(units.of(quantity))
        per_clip = _("{quantity} per clip").format(quantity=title)
        table.add_column(Text(f"{per_clip}\n{unit}"), justify="right", overflow="fold")
        if batch:
            header = Text(f"{title} × {count_text(count)}\n{unit}")
            table.add_column(header, justify="right", overflow="fold")
    shares = report.embodied
    if shares is not None:  # a column of its own: never added to the figures beside it
        unit = shown(shares.unit)
        per_clip = _("Embodied per clip")
        table.add_column(Text(f"{per_clip}\n{unit}"), justify="right", overflow="fold")
        if batch:
            embodied = _("Embodied × {count}").format(count=count_text(count))
            header = Text(f"{embodied}\n{unit}")
            table.add_column(header, justify="right", overflow="fold")
    by_estimate: dict[str, dict[Quantity, ResultRow]] = {}
    for row in results.rows:
        by_estimate.setdefault(row.estimate.id, {})[row.quantity] = row
    for quantities_found in by_estimate.values():
        first = next(iter(quantities_found.values()))
        cells: list[Text] = []
        for quantity in quantities:
            found = quantities_found.get(quantity)
            if found is None:
                reason = results.missing.get((first.estimate.id, quantity))
                published = quantity == "energy" or (quantity == "water" and reason is None)
                no_energy = reason == NO_ENERGY
                gap = MISSING if published or no_energy else _NOT_DERIVED
                cells += [gap, gap] if batch else [gap]
            else:
                sampled = results.percentiles.get((found.estimate.id, quantity))
                cells.append(_figure_cell(found, "per_clip", sampled[0] if sampled else None))
                if batch:
                    cells.append(_figure_cell(found, "batch", sampled[1] if sampled else None))
        if shares is not None:
            cells.append(_embodied_cell(shares, first.estimate.id, "per_clip"))
            if batch:
                cells.append(_embodied_cell(shares, first.estimate.id, "batch"))
        energy = quantities_found.get("energy")
        table.add_row(
            _source_cell(first, footnotes),
            _applies_cell(first.estimate),
            _basis_cell(first.estimate, energy.derivation.boundary if energy else None).cell(),
            *cells,
        )
    share = report.training
    if share is not None:
        _add_training_row(table, share, catalog, quantities, footnotes, batch)
    notes = _factors_used(catalog, results.rows, footnotes)
    notes.append_text(_notes_for(results))
    notes.append_text(_notes(results.rows, explain_none=True))
    notes.append_text(_method_note(scenario))
    if share is not None:
        notes.append_text(_training_note(share))
    if shares is not None:
        notes.append_text(_embodied_note(shares))
    parts: list[RenderableType] = [
        *_answer_lines(report),
        *_site_factor_lines(report),
        table,
        notes,
    ]
    if scenario.equivalents:
        from soracost.views.equivalents_view import equivalents_tables

        parts += equivalents_tables(report, footnotes)
    parts += [Text("\n" + _("Sources"), style="bold"), footnotes.legend()]
    return Group(*parts)


_COMPACT_HINT = Text(
    _(
        "--wide shows every detail (clips, methods, why a figure is missing or left out, "
        "sources); 'soracost explain ID' every step."
    ),
    style="dim",
)


def _rough(row: ResultRow) -> bool:
    """Read as an order of magnitude: scaled far from its source's clip, or not (or only
    partly) scaled to the clip asked for."""
    return row.derivation.far_scaling_note is not None or bool(row.derivation.not_scaled)


def _compact_mid(row: ResultRow, marks: set[str]) -> Text:
    """A figure's mid per clip, with its marks: ~ rough, ? not confirmed."""
    text = Text(style="bold")
    if _rough(row):
        marks.add("~")
        text.append("~", style="yellow")
    text.append(format_number(row.per_clip.mid))
    if _doubt(row.estimate, "published"):
        marks.add("?")
        text.append("?")
    return text


def _compact_range(low: float, high: float) -> Text:
    """``low–high``, or nothing for a single figure."""
    if low == high:
        return Text()
    return Text(f"{format_number(low)}–{format_number(high)}", style="dim")


def _compact_start(
    rows: Sequence[ResultRow], marks: set[str], shown_at: Sequence[ResultRow]
) -> list[compact.Column]:
    """The columns every compact table opens with: the estimate's id, its source, what
    it applies to and the boundary of ``shown_at`` (its figure, or its energy's)."""
    sources = [compact.source_cell(row.source) for row in rows]
    if any(row.estimate.applies_to.sora_proxy for row in rows):
        marks.add("≈")
    boundaries: list[Text] = []
    for row in shown_at:
        boundary = row.derivation.boundary
        cell = Text(_(compact.BOUNDARY_SHORT.get(boundary, boundary)))
        if row.boundary_differs:
            marks.add("≠")
            cell.append(" ≠", style="bold red")
        boundaries.append(cell)
    return [
        compact.Column(
            column_header(_("ID")), [Text(shown(row.estimate.id), style="bold") for row in rows]
        ),
        compact.Column(
            column_header(_("Source")),
            [publisher for publisher, _year in sources],
            role="source",
            tails=[year for _publisher, year in sources],
        ),
        compact.Column(
            column_header(_("Applies to")),
            [compact.model_cell(row.estimate.applies_to) for row in rows],
            role="applies",
        ),
        compact.Column(column_header(_("Boundary")), boundaries, expendable=2),
    ]


def _marks_note(marks: set[str], scenario: Scenario, derived_water: bool) -> Text:
    """One paragraph that says what each mark used in a compact table means."""
    not_at = (
        _("≠ not at most rows' boundary: not like for like")
        if scenario.boundary == "as-published"
        else _("≠ not at the boundary asked for: not like for like")
    )
    far = localise_number(f"{FAR_SCALE:g}")
    meanings = {
        "≈": _("≈ Sora proxy: another model standing in for Sora (never measured itself)"),
        "~": _("~ rough: scaled over {far}× from its source's clip, or not scaled to yours").format(
            far=far
        ),
        "?": _("? not confirmed in the original"),
        "≠": not_at,
        MISSING.plain: _("none: not published"),
        _NOT_DERIVED.plain: _("n/a: cannot be derived"),
    }
    said = [meaning for mark, meaning in meanings.items() if mark in marks]
    if derived_water:
        said.append(_("water not published is derived from energy with the site's factors"))
    return Text(_("; ").join(said) + "." if said else "", style="dim")


def _compact_method_note(scenario: Scenario) -> Text:
    """Under a compact table: the Monte Carlo samples and the seed that repeats them."""
    if scenario.method != "montecarlo":
        return Text()
    return Text(
        _(
            "Monte Carlo: {samples} samples, seed {seed} (--seed {seed} repeats it); --wide "
            "shows each estimate's P50 and P5–95."
        ).format(samples=count_text(scenario.samples), seed=scenario.seed),
        style="blue",
    )


def _clip_compact(report: ClipReport) -> RenderableType:
    """The compact ``clip`` table: the answer lines, then one line per estimate: its id
    (for ``soracost explain ID``), source (publisher and year), model (≈ before a Sora
    proxy), the boundary its figures are shown at (≠ when another than the one asked
    for) and, for each quantity, the mid per clip (~ when rough for your clip, ? when not
    confirmed), with low–high beside it where the terminal has room for them (about 100
    columns for energy and water; the mids alone fit 80). Figures are per clip only: the
    batch is in the answer lines, and each estimate's in ``--wide``. Then one line on the
    marks used and one on where every detail is; a training share gets a row of its own,
    and ``--equivalents`` its tables, as in the wide view."""
    catalog, results, scenario = report.catalog, report.results, report.scenario
    count, units, quantities = scenario.count, scenario.units, scenario.quantities
    by_estimate: dict[str, dict[Quantity, ResultRow]] = {}
    for row in results.rows:
        by_estimate.setdefault(row.estimate.id, {})[row.quantity] = row
    estimates = [(next(iter(found.values())), found) for found in by_estimate.values()]
    firsts = [first for first, _found in estimates]
    marks: set[str] = set()
    shown_at = [found.get("energy", first) for first, found in estimates]
    columns = _compact_start(firsts, marks, shown_at)
    for quantity in quantities:
        mids: list[Text] = []
        spans: list[Text] = []
        for first, found in estimates:
            figure = found.get(quantity)
            if figure is None:
                reason = results.missing.get((first.estimate.id, quantity))
                published = quantity == "energy" or (quantity == "water" and reason is None)
                gap = MISSING if published or reason == NO_ENERGY else _NOT_DERIVED
                marks.add(gap.plain)
                mids.append(gap.copy())
                spans.append(Text())
            else:
                mids.append(_compact_mid(figure, marks))
                spans.append(_compact_range(figure.per_clip.low, figure.per_clip.high))
        unit = shown(units.of(quantity))
        columns.append(compact.Column(column_header(_QUANTITY_TITLES[quantity], unit), mids,
                                      justify="right"))  # fmt: skip
        columns.append(
            compact.Column(column_header(_("low–high")), spans, role="optional", justify="right")
        )
    shares = report.embodied
    if shares is not None:  # columns of their own: never added to the figures beside them
        cells = [_embodied_compact(shares, first.estimate.id, marks) for first, _f in estimates]
        mids, spans = [cell[0] for cell in cells], [cell[1] for cell in cells]
        header = column_header(_("Embodied"), shown(shares.unit))
        columns.append(compact.Column(header, mids, justify="right"))
        columns.append(
            compact.Column(column_header(_("low–high")), spans, role="optional", justify="right")
        )
    share = report.training
    sections: set[int] = set()
    if share is not None:
        sections.add(len(firsts) - 1)
        _add_compact_training(columns, share, catalog, quantities)
    table = compact.CompactTable(columns)
    table.sections = sections
    title = _("{what} per clip, one line per estimate").format(what=_clip_what(quantities))
    parts: list[RenderableType] = [
        *_answer_lines(report),
        Text(f"\n{title}", style="table.title"),
        Text(shown(report.description), style="dim"),
        *_site_factor_lines(report),
        table,
    ]
    if count > 1:
        per_clip = _("Per clip; for {clips} clips, see the answer above (--wide: each row's).")
        parts.append(prose(Text(per_clip.format(clips=count_text(count)))))
    derived = any(row.derivation.derived_water for row in results.rows)
    parts.append(prose(_marks_note(marks, scenario, derived)))
    parts.append(prose(_closed_note(results.rows)))
    if "carbon" in quantities:
        parts.append(prose(Text(_(CARBON_NOTE), style="cyan")))
    parts.append(prose(_compact_method_note(scenario)))
    if share is not None:
        parts.append(_training_note(share))
    if shares is not None:
        parts.append(_embodied_note(shares))
    parts.append(prose(_COMPACT_HINT))
    if scenario.equivalents:
        footnotes = Footnotes()
        from soracost.views.equivalents_view import equivalents_tables

        parts += equivalents_tables(report, footnotes, compact=True)
        if footnotes.sources:
            parts += [Text("\n" + _("Sources"), style="bold"), footnotes.legend()]
    return Group(*(part for part in parts if not isinstance(part, Text) or part.plain))


def _add_compact_training(
    columns: list[compact.Column],
    share: TrainingShare,
    catalog: Catalog,
    quantities: Sequence[Quantity],
) -> None:
    """The training share's row in a compact table (energy only, never summed)."""
    record = share.request.record
    if record is not None:
        publisher, year = compact.source_cell(catalog.sources[record.source])
        applies = Text(_("{model} training").format(model=shown(record.model)))
    else:
        publisher, year = Text(_("your figure")), ""
        applies = Text(_("training: {text}").format(text=shown(share.request.text)))
    label = Text(_("training share"), style="magenta")
    cells = [label, publisher, applies, Text(_("share"), style="magenta")]
    for quantity in quantities:
        if quantity == "energy":
            low, mid, high = share.per_clip.low, share.per_clip.mid, share.per_clip.high
            cells += [Text(format_number(mid), style="bold"), _compact_range(low, high)]
        else:
            cells += [_NOT_DERIVED.copy(), Text()]
    cells += [Text() for _ in range(len(columns) - len(cells))]  # embodied: none for training
    for column, cell in zip(columns, cells, strict=True):
        column.cells = [*column.cells, cell]
        if column.tails:
            column.tails = [*column.tails, year]


def _compare_compact(report: CompareReport) -> RenderableType:
    """The compact ``compare`` table: the answer line, then one line per estimate, lowest
    to highest: its id, source (publisher and year), model (≈ before a Sora proxy), the
    boundary its figure is shown at (≠ when not like for like) and the figure's low, mid
    (~ when rough for your clip, ? when not confirmed) and high per clip, then a
    log-scale range bar where the terminal has room for one. The spread (and with
    ``--pooled`` the pooled figure) follow, then one line on the marks used and one on
    where every detail is."""
    scenario, rows, quantity = report.scenario, report.rows, report.quantity
    unit = shown(scenario.units.of(quantity))
    marks: set[str] = set()
    columns = _compact_start(rows, marks, rows)
    lows, mids, highs = [], [], []
    for row in rows:
        low, _mid, high = format_range(*row.per_clip)
        lows.append(Text(low))
        mids.append(_compact_mid(row, marks))
        highs.append(Text(high))
    columns += [
        compact.Column(column_header(_("Low")), lows, justify="right", expendable=1),
        compact.Column(column_header(_("Mid")), mids, justify="right"),
        compact.Column(column_header(_("High")), highs, justify="right", expendable=1),
    ]
    shares = report.embodied
    if shares is not None:  # a column of its own: not in the spread, the pool or the bars
        cells = [_embodied_compact(shares, row.estimate.id, marks)[0] for row in rows]
        columns.append(compact.Column(column_header(_("Embodied"), shown(shares.unit)), cells,
                                      justify="right"))  # fmt: skip
    axis = log_axis([value for row in rows for value in row.per_clip])

    def bar(width: int) -> tuple[Text, list[Text]]:
        scale = _("log scale")  # not inside the f-string: the extractor would not see it
        header = Text(f"{scale}\n{format_number(axis[0])} … {format_number(axis[1])}")
        cells = [
            Text(
                range_bar(row.per_clip.low, row.per_clip.mid, row.per_clip.high, axis, width),
                style="cyan",
            )
            for row in rows
        ]
        return header, cells

    table = compact.CompactTable(columns, compact.Bar(bar))
    title = _("{quantity} per clip ({unit}), lowest to highest, one line per estimate").format(
        quantity=_QUANTITY_TITLES.get(quantity, quantity), unit=unit
    )
    derived = any(row.derivation.derived_water for row in rows)
    parts: list[RenderableType] = [
        *_answer_lines(report),
        Text(f"\n{title}", style="table.title"),
        Text(shown(report.description), style="dim"),
        *_site_factor_lines(report),
        table,
        *_spread_and_pool(report),
        prose(_marks_note(marks, scenario, derived)),
        prose(_closed_note(rows)),
        prose(_compact_method_note(scenario)),
        *([_embodied_note(shares)] if shares is not None else []),
        prose(_COMPACT_HINT),
    ]
    return Group(*(part for part in parts if not isinstance(part, Text) or part.plain))


def _method_note(scenario: Scenario) -> Text:
    """What the P5/P50/P95 lines are, with the seed that repeats them."""
    if scenario.method != "montecarlo":
        return Text()
    from soracost.core.uncertainty import DISTRIBUTION

    said = _(
        "Monte Carlo: {samples} samples, seed {seed} (--seed {seed} repeats it). P50 and P5–95 "
        "are percentiles of the samples; low – high stay the bounds. Distributions: "
        "{distribution}."
    )
    # DISTRIBUTION is core text: translated once the core marks it for the catalogue.
    return Text(
        "\n"
        + said.format(
            samples=count_text(scenario.samples), seed=scenario.seed, distribution=_(DISTRIBUTION)
        )
        + "\n",
        style="blue",
    )


def _add_training_row(
    table: Table,
    share: TrainingShare,
    catalog: Catalog,
    quantities: Sequence[Quantity],
    footnotes: Footnotes,
    batch: bool,
) -> None:
    """The training share: its own row, in its own section, never summed with inference."""
    if table.rows:
        table.rows[-1].end_section = True
    record = share.request.record
    if record is not None:
        source = catalog.sources[record.source]
        source_cell = Text(f"{footnotes.mark(source)} ", style="bold", overflow="fold")
        source_cell.append(shown(source.publisher), style="")
        date = format_date(source.date) if source.date else _("undated")
        source_cell.append(f"\n{shown(date)}", style="dim")
        applies = Text(_("{model} training").format(model=shown(record.model)), overflow="fold")
        applies.append("\n" + _("not Sora (unknown)"), style="yellow")
    else:
        source_cell = Text(_("your figure"), style="bold")
        text = shown(share.request.text)
        applies = Text(_("training: {text}").format(text=text), overflow="fold")
    basis = Text(_("training share"), style="magenta", overflow="fold")
    lifetime = share.request.lifetime_clips
    over = ngettext("÷ {n} lifetime clip", "÷ {n} lifetime clips", lifetime)
    basis.append("\n" + over.format(n=count_text(lifetime)), style="dim")
    cells: list[Text] = []
    for quantity in quantities:
        if quantity == "energy":
            cells.append(range_cell(*share.per_clip))
            if batch:
                cells.append(range_cell(*share.batch))
        else:
            cells += [_ENERGY_ONLY, _ENERGY_ONLY] if batch else [_ENERGY_ONLY]
    table.add_row(source_cell, applies, basis, *cells, style="magenta")


def _embodied_cell(shares: EmbodiedShares, estimate_id: str, value_of: str) -> Text:
    """An estimate's embodied share (``per_clip`` or ``batch``) as a wide-table cell:
    mid, with low – high beneath; ``n/a`` when it has none."""
    derivation = shares.of(estimate_id)
    if derivation is None:
        return _NOT_DERIVED
    return range_cell(*(derivation.per_clip if value_of == "per_clip" else derivation.batch))


def _embodied_compact(shares: EmbodiedShares, estimate_id: str, marks: set[str]) -> list[Text]:
    """An estimate's embodied share per clip in a compact table: the mid, and low–high."""
    derivation = shares.of(estimate_id)
    if derivation is None:
        marks.add(_NOT_DERIVED.plain)
        return [_NOT_DERIVED.copy(), Text()]
    low, mid, high = derivation.per_clip
    return [Text(format_number(mid), style="bold"), _compact_range(low, high)]


def _embodied_note(shares: EmbodiedShares) -> Text:
    """Under a table with embodied figures: the hardware and its sourced figures, how a
    clip's share is computed, and that it is never added to the other figures."""
    from soracost.core.embodied import EMBODIED_NOTE

    hardware = shares.hardware
    total = hardware.total("kg").mid
    server, accelerator = hardware.server, hardware.accelerator
    power = hardware.power.values
    said = _(
        "embodied ({unit} per clip): {note} Hardware: {hardware}, {server} {server_unit} "
        "(server) + {count} × {accelerator} {accelerator_unit} (accelerators) = {total} "
        "kgCO2e over {hours} h, at {power} W ({low}–{high}) ({ids})."
    ).format(
        unit=shown(shares.unit),
        # EMBODIED_NOTE is core text: translated once the core marks it for the catalogue.
        note=_(EMBODIED_NOTE),
        hardware=shown(hardware.name),
        server=format_number(server.values.mid),
        server_unit=shown(server.unit),
        count=count_text(accelerator.count),
        accelerator=format_number(accelerator.values.mid),
        accelerator_unit=shown(accelerator.unit),
        total=format_number(total),
        hours=format_number(hardware.lifetime_hours().mid),
        power=format_number(power.mid),
        low=format_number(power.low),
        high=format_number(power.high),
        ids=", ".join(shown(record.id) for record in hardware.records),
    )
    if shares.missing:
        listed = ", ".join(shown(estimate_id) for estimate_id in shares.missing)
        none = _("None for: {ids} (no whole-server energy; 'soracost explain ID' says why).")
        said += " " + none.format(ids=listed)
    return Text(f"\n{said}\n", style="green")


def _training_note(share: TrainingShare) -> Text:
    from soracost.core.training import SORA_TRAINING_UNKNOWN

    request = share.request
    said = ngettext(
        "training share: {label}, {total} {unit} ÷ {n} clip = {per_clip} {unit} per clip, on "
        "its own row.",
        "training share: {label}, {total} {unit} ÷ {n} clips = {per_clip} {unit} per clip, on "
        "its own row.",
        request.lifetime_clips,
    ).format(
        label=shown(request.label),
        total=format_number(share.training.mid),
        unit=shown(share.unit),
        n=count_text(request.lifetime_clips),
        per_clip=format_number(share.per_clip.mid),
    )
    return Text(f"\n{said} {_(SORA_TRAINING_UNKNOWN)}\n", style="magenta")


def _scaling_status(row: ResultRow) -> Text | None:
    """'scaled ×N', 'partly scaled ×N' or 'not scaled', when scaling was asked for."""
    derivation = row.derivation
    factor = derivation.scale_factor
    if factor is None and not derivation.not_scaled:
        return None
    if factor is None:
        return Text(_("not scaled"), style="red")
    said = _("partly scaled ×{factor}") if derivation.not_scaled else _("scaled ×{factor}")
    return Text(said.format(factor=format_number(factor.mid)), style="yellow")


def compare_view(
    report: CompareReport, bar_width: int = 26, *, wide: bool = False
) -> RenderableType:
    """The ``compare`` table, compact unless ``wide`` (see :func:`_compare_compact`); the
    wide one's range bars are ``bar_width`` characters wide."""
    quantity, unit = report.quantity, shown(report.scenario.units.of(report.quantity))
    if not report.rows:
        title = _("{quantity} per clip, every source side by side ({unit})").format(
            quantity=_QUANTITY_TITLES.get(quantity, quantity), unit=unit
        )
        none = _("No {quantity} figure can be given for these options.").format(
            quantity=_(quantity)
        )
        message = Text(f"{title}\n{shown(report.description)}\n{none}\n")
        return Group(*_answer_lines(report), message, _notes_for(report.results))
    return _compare_wide(report, bar_width) if wide else _compare_compact(report)


def _compare_wide(report: CompareReport, bar_width: int) -> RenderableType:
    """The wide ``compare`` table: one quantity's estimates sorted, with log-scale range
    bars ``bar_width`` characters wide."""
    catalog, results, scenario, rows = report.catalog, report.results, report.scenario, report.rows
    quantity = report.quantity
    footnotes = Footnotes()
    unit = shown(scenario.units.of(quantity))
    title = _("{quantity} per clip, every source side by side ({unit})").format(
        quantity=_QUANTITY_TITLES.get(quantity, quantity), unit=unit
    )
    title += "\n" + shown(report.description)
    axis = log_axis([value for row in rows for value in row.per_clip])
    table = Table(title=title_text(title), show_lines=True)
    table.add_column(_("Source"))
    table.add_column(_("Applies to"))
    table.add_column(_("Boundary\nmethod\nfigure"))
    table.add_column(_("Low"), justify="right", overflow="fold")
    table.add_column(_("Mid"), justify="right", style="bold", overflow="fold")
    table.add_column(_("High"), justify="right", overflow="fold")
    sampled = results.percentiles
    if sampled:
        table.add_column("P5", justify="right", overflow="fold", style="blue")
        table.add_column("P50", justify="right", overflow="fold", style="bold blue")
        table.add_column("P95", justify="right", overflow="fold", style="blue")
    shares = report.embodied
    if shares is not None:  # a column of its own: not in the spread, the pool or the bars
        embodied = _("Embodied")
        table.add_column(Text(f"{embodied}\n{shown(shares.unit)}"), justify="right",
                         overflow="fold")  # fmt: skip
    scale = _("log scale")  # not inside the f-string: the extractor would not see it
    axis_label = f"{scale}\n{format_number(axis[0])} … {format_number(axis[1])} {unit}"
    table.add_column(Text(axis_label), no_wrap=True, min_width=bar_width)
    for row in rows:
        low, mid, high = format_range(*row.per_clip)
        mid += _doubt(row.estimate, "published")
        basis = _basis_cell(row.estimate, row.derivation.boundary)
        if row.boundary_differs:
            basis.add(" ≠", "bold red")
        status = _scaling_status(row)
        if status is not None:
            basis.add("\n").add(status.plain, str(status.style))
        if row.derivation.derived_water:
            basis.add("\n" + _("derived water"), "cyan")
        percentiles = sampled.get((row.estimate.id, row.quantity))
        table.add_row(
            _source_cell(row, footnotes),
            _applies_cell(row.estimate),
            basis.cell(),
            low,
            mid,
            high,
            *(
                format_range(percentiles[0].p5, percentiles[0].p50, percentiles[0].p95)
                if percentiles
                else ()
            ),
            *([_embodied_cell(shares, row.estimate.id, "per_clip")] if shares else []),
            Text(
                range_bar(row.per_clip.low, row.per_clip.mid, row.per_clip.high, axis, bar_width),
                style="cyan",
            ),
        )
    parts: list[RenderableType] = [
        *_answer_lines(report),
        *_site_factor_lines(report),
        table,
        *_spread_and_pool(report),
    ]
    legend = Text()
    if any(row.boundary_differs for row in rows):
        if scenario.boundary == "as-published":
            common = next(row.derivation.boundary for row in rows if not row.boundary_differs)
            why = _(
                "measured within another boundary than most rows ({boundary}); not like for "
                "like. --boundary facility converts what can be converted."
            ).format(boundary=_(BOUNDARY_LABELS[common]))  # type: ignore[index]
        else:
            why = _(
                "could not be converted to the {boundary} boundary and is shown as published; "
                "not like for like (see 'soracost explain ID')."
            ).format(boundary=_(scenario.boundary))
        why += "\n"
        legend.append("≠: " + why, style="bold red")
    if any(row.derivation.derived_water for row in rows):
        legend.append(
            _(
                "derived water: computed from energy with the site's factors; "
                "no source published it."
            )
            + "\n",
            style="cyan",
        )
    parts += [
        legend,
        _factors_used(catalog, rows, footnotes),
        _notes_for(results),
        _notes(rows),
        *([_method_note(scenario)] if scenario.method == "montecarlo" else []),
        *([_embodied_note(shares)] if shares is not None else []),
        Text("\n" + _("Sources"), style="bold"),
        footnotes.legend(),
    ]
    return Group(*parts)


def _spread_and_pool(report: CompareReport) -> list[RenderableType]:
    """Under a ``compare`` table: the spread and, with ``--pooled``, the pooled figure."""
    rows, spread, pool = report.rows, report.spread, report.pool
    unit = shown(report.scenario.units.of(report.quantity))
    parts: list[RenderableType] = []
    if spread is not None:
        sentence = _spread_sentence(spread, unit)
        if any(row.derivation.not_scaled for row in rows):
            sentence += _(" (includes figures not scaled to your clip)")
        parts.append(prose(Text(sentence, style="bold")))
    if pool is not None:
        p5, p50, p95 = format_range(*pool.percentiles.as_dict().values())
        parts.append(
            Text(
                # Not the answer the output opens with: that one leaves out figures
                # counted twice, far-scaled or at another boundary; this pools every row.
                ngettext(
                    "Monte Carlo pool of all {n} estimate shown, none left out ({how}): "
                    "P50 {p50} {unit}, P5–95 {p5} – {p95} {unit}. For a figure to quote, take "
                    "the answer on the first line.",
                    "Monte Carlo pool of all {n} estimates shown, none left out ({how}): "
                    "P50 {p50} {unit}, P5–95 {p5} – {p95} {unit}. For a figure to quote, take "
                    "the answer on the first line.",
                    len(rows),
                ).format(
                    n=count_text(len(rows)),
                    how=shown(pool.description),
                    p50=p50,
                    p5=p5,
                    p95=p95,
                    unit=unit,
                ),
                style="bold blue",
            )
        )
        for caveat in pool.caveats:
            parts.append(Text(_("Note: {caveat}.").format(caveat=shown(caveat)), style="yellow"))
    return [prose(part) if isinstance(part, Text) else part for part in parts]


def _step_text(step: Step, position: int, catalog: Catalog) -> RenderableType:
    """A step of a derivation, for :func:`explain_view`'s tree: what it does and its
    value, then (indented by 3 spaces) the source of its factor, that source's URL (whole,
    on its own line: see :mod:`soracost.views.links`) and the factor's confidence."""
    factor_sources = catalog.sources
    low, mid, high = format_range(*step.value)
    value = mid if step.value.low == step.value.high else f"{mid} ({low} – {high})"
    base = "bold" if step.roles else ""
    text = Text(f"{position}. {shown(step.label)}", style=base)
    lines: list[RenderableType] = [text]
    symbol = OPERATION_SYMBOLS[step.op]
    if step.op in ("multiply", "divide") and step.inputs and step.inputs[0] != position - 2:
        text.append(_(" (of step {n})").format(n=step.inputs[0] + 1))
    text.append(_(": "))
    text.append(f"{value} {shown(step.unit)}", style="bold green" if step.roles else "green")
    if step.op in ("multiply", "divide") and step.factor_text:
        factor_text = shown(step.factor_text)
        written = factor_text if factor_text.startswith("×") else f"{symbol} {factor_text}"
        text.append(f"  [{written}]", style="yellow")
    elif step.op == "add":
        steps = " + ".join(str(i + 1) for i in step.inputs)
        text.append("  [" + _("steps {steps}").format(steps=steps) + "]", style="yellow")
    if step.source_id and step.source_id in factor_sources:
        source = factor_sources[step.source_id]
        said = _("source: {citation}").format(citation=shown(citation(source, short=True)))
        text.append(f"\n   {said}", style="dim")
        if source.url:
            lines.append(url_text(source.url, style="cyan", indent="   ", base=base))
        factor = catalog.factors.get(step.factor_id or "") or catalog.embodied.get(
            step.factor_id or ""
        )
        if factor is not None:
            doubt = (
                _("; not confirmed: {fields}").format(
                    fields="; ".join(shown(name) for name in factor.unconfirmed)
                )
                if factor.unconfirmed
                else ""
            )
            confidence = _("confidence: {confidence}").format(confidence=_(factor.confidence))
            confidence_line = f"   {confidence}{doubt}"
            if source.url:  # a Text of its own, under the URL's
                lines.append(Text.assemble((confidence_line, "dim"), style=base))
            else:
                text.append(f"\n{confidence_line}", style="dim")
    return Group(*lines) if len(lines) > 1 else text


def _shared_prefix(first: Sequence[Step], second: Sequence[Step]) -> int:
    """How many leading steps two derivations share (roles aside)."""
    count = 0
    for a, b in zip(first, second, strict=False):
        if (a.label, a.value, a.unit, a.inputs) != (b.label, b.value, b.unit, b.inputs):
            break
        count += 1
    return count


def explain_view(report: ExplainReport) -> RenderableType:
    """The derivation of one estimate as a tree: one branch per quantity, one leaf per step."""
    catalog, rows, missing = report.catalog, report.rows, report.missing
    # With every quantity missing there is no row: still say what the estimate is.
    estimate = next(e for e in catalog.estimates if e.id == report.estimate_id)
    doubts = "; ".join(f"{shown(name)}: {shown(why)}" for name, why in estimate.unconfirmed.items())
    from rich.tree import Tree

    tree = Tree(
        Text.assemble(
            (shown(estimate.id), "bold"),
            f" — {shown(estimate.claim)}\n",
            (_("confidence: {confidence}").format(confidence=_(estimate.confidence)), "dim"),
            (_("; not confirmed: {fields}").format(fields=doubts) if doubts else "", "dim"),
            "\n",
            (shown(report.description), "dim"),
        )
    )
    energy_steps: tuple[Step, ...] = ()
    for row in rows:
        derivation = row.derivation
        what = {
            "energy": _("energy"),
            "water": _("water, derived from energy") if row.derived else _("water"),
            "carbon": _("carbon, location-based, derived from energy"),
        }.get(row.quantity, row.quantity)
        branch = tree.add(Text(f"{what} ({shown(row.unit)})", style="bold magenta"))
        shared = _shared_prefix(energy_steps, derivation.steps)
        if shared > 1:
            same = _("1–{n}. as in the energy branch above").format(n=shared)
            branch.add(Text(same, style="dim"))
        for position, step in enumerate(derivation.steps, start=1):
            if position > shared:
                branch.add(_step_text(step, position, catalog))
        if row.quantity == "energy":
            energy_steps = derivation.steps
        for reason in (*derivation.not_scaled, *derivation.notes):
            branch.add(Text(shown(reason), style="red"))
        split = derivation.water_split
        if split is not None:
            on_site, off_site = split
            branch.add(
                Text(
                    _(
                        "per clip: on-site {on_site} + off-site {off_site} = {total} {unit} (mid)"
                    ).format(
                        on_site=format_number(on_site.mid),
                        off_site=format_number(off_site.mid),
                        total=format_number(row.per_clip.mid),
                        unit=shown(row.unit),
                    ),
                    style="cyan",
                )
            )
    for quantity, reason in missing.items():
        name = {"energy": _("energy"), "water": _("water"), "carbon": _("carbon")}
        said = _("{quantity}: {reason}").format(
            quantity=name.get(quantity, quantity), reason=shown(reason)
        )
        tree.add(Text(said, style="dim"))
    if report.embodied is not None:
        _add_embodied_branch(tree, report, energy_steps)
    return WholeUrls(tree)


def _spread_sentence(spread: Spread, unit: str) -> str:
    highest, lowest = shown(spread.highest.estimate.id), shown(spread.lowest.estimate.id)
    high = f"{format_number(spread.highest.per_clip.high)} {unit} ({highest})"
    low = f"{format_number(spread.lowest.per_clip.low)} {unit} ({lowest})"
    if spread.ratio is None:
        said = _("Spread: highest high {high} over lowest low {low}: undefined (lowest is zero).")
        return said.format(high=high, low=low)
    return _("Spread: highest high {high} ÷ lowest low {low} = {ratio}×").format(
        high=high, low=low, ratio=format_number(spread.ratio)
    )


def _add_embodied_branch(tree: Tree, report: ExplainReport, energy_steps: Sequence[Step]) -> None:
    """The embodied share's steps under the estimate's tree (from whole-server energy), or
    why it has none, then what the share counts and assumes."""
    shares = report.embodied
    assert shares is not None
    derivation = shares.of(report.estimate_id)
    what = _("embodied, apart from the figures above ({unit})").format(unit=shown(shares.unit))
    branch = tree.add(Text(what, style="bold green"))
    if derivation is None:
        reason = shares.missing.get(report.estimate_id, "no embodied share")
        branch.add(Text(shown(reason), style="dim"))
        return
    shared = _shared_prefix(energy_steps, derivation.steps)
    if shared > 1:
        same = _("1–{n}. as in the energy branch above").format(n=shared)
        branch.add(Text(same, style="dim"))
    for position, step in enumerate(derivation.steps, start=1):
        if position > shared:
            branch.add(_step_text(step, position, report.catalog))
    branch.add(Text(_embodied_note(shares).plain.strip(), style="green"))


_ELSEWHERE = {
    "equivalents_view": "soracost.views.equivalents_view",
    "sites_view": "soracost.views.listings",
    "sources_view": "soracost.views.listings",
}
"""Views of their own modules that the CLI's table builders find in this one (they are
handed this module), imported only when asked for: a ``clip`` run loads neither."""


def __getattr__(name: str) -> object:
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
