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

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    OverflowMethod,
    RenderableType,
    RenderResult,
)
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from soracost.core.footprint import FAR_SCALE, NO_ENERGY, OPERATION_SYMBOLS, Step
from soracost.core.records import (
    BOUNDARY_LABELS,
    FILLS,
    OPTIONAL_SITE_FACTORS,
    SITE_FACTORS,
    Catalog,
    Clip,
    Closure,
    EmbodiedFactor,
    Equivalent,
    Estimate,
    Source,
)
from soracost.core.reports import ClipReport, CompareReport, EquivalentsReport, ExplainReport
from soracost.core.results import CARBON_NOTE, ResultRow, Results, Scenario, Spread
from soracost.core.units import Quantity
from soracost.i18n import N_, _, count_text, format_date, language, localise_number, ngettext
from soracost.views import compact
from soracost.views.answer import answer_line
from soracost.views.display import format_number, format_range, log_axis, range_bar
from soracost.views.links import WholeUrls, url_text
from soracost.views.prose import Prose, prose
from soracost.views.text import shown

if TYPE_CHECKING:  # equivalents, training and Monte Carlo are loaded only when asked for
    from soracost.core.embodied import EmbodiedShares
    from soracost.core.training import TrainingShare
    from soracost.core.uncertainty import Percentiles

# Translated when this module is imported: the CLI chooses the language before that.
_MISSING = Text(_("none"), style="dim italic")
_NOT_DERIVED = Text(_("n/a"), style="dim italic")
_ENERGY_ONLY = Text(_("energy only"), style="dim italic")


def _title(text: str) -> Text:
    """A table's title as Text, styled as Rich styles a title given as a string: a title
    holds text from outside (a file name, --model), which a string would be read as markup."""
    return Text(text, style="table.title")


class _Footnotes:
    """Numbers sources in order of first appearance, for a legend under a table."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.sources: list[Source] = []

    def mark(self, source: Source) -> str:
        if source.id not in self.numbers:
            self.numbers[source.id] = len(self.numbers) + 1
            self.sources.append(source)
        return f"[{self.numbers[source.id]}]"

    def legend(self) -> RenderableType:
        """Each source's number, citation, URL (whole, on its own line: see
        :mod:`soracost.views.links`) and what it does not say."""
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for source in self.sources:
            lines: list[RenderableType] = [Text(shown(_citation(source)), overflow="fold")]
            if source.url:
                lines.append(url_text(source.url, style="cyan"))
            # a field's name and why the source lacks it: the data's words, as written
            gaps = [f"{shown(name)}: {shown(why)}" for name, why in source.gaps.items()]
            if gaps:
                said = _("not known: {gaps}").format(gaps="; ".join(gaps))
                lines.append(Text(said, style="dim", overflow="fold"))
            table.add_row(f"[{self.numbers[source.id]}]", Group(*lines))
        return WholeUrls(table)


def _citation(source: Source, *, short: bool = False) -> str:
    """:attr:`Source.citation` (``short``: :attr:`Source.short_citation`, the first author
    only) for reading: publisher, authors, the date in the run's language (``23 septembre
    2025``; ``undated`` translated), title."""
    parts = [source.publisher]
    if source.authors and short:
        parts.append(source.authors[0] + (" et al" if len(source.authors) > 1 else ""))
    elif source.authors:
        parts.append(", ".join(source.authors))
    parts.append(format_date(source.date) if source.date else _("undated"))
    if source.title:
        parts.append(f"“{source.title}”")
    return ". ".join(parts)


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


def _range_cell(low: float, mid: float, high: float) -> Text:
    """Mid in bold, with ``low – high`` beneath it; one line when the three are equal."""
    low_text, mid_text, high_text = format_range(low, mid, high)
    if low == mid == high:
        return Text(mid_text, style="bold")
    return Text.assemble((mid_text, "bold"), "\n", (f"{low_text} – {high_text}", "dim"))


def _source_cell(row: ResultRow, footnotes: _Footnotes) -> Text:
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


def _factors_used(catalog: Catalog, rows: Sequence[ResultRow], footnotes: _Footnotes) -> Text:
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
    footnotes = _Footnotes()
    count, units = scenario.count, scenario.units
    quantities = scenario.quantities
    batch = count > 1
    table = Table(
        title=_title(_clip_title(count, quantities) + "\n" + shown(report.description)),
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
                gap = _MISSING if published or no_energy else _NOT_DERIVED
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
        parts += _equivalents_tables(report, footnotes)
    parts += [Text("\n" + _("Sources"), style="bold"), footnotes.legend()]
    return Group(*parts)


_COMPACT_HINT = Text(
    _(
        "--wide shows every detail (clips, methods, why a figure is missing or left out, "
        "sources); 'soracost explain ID' every step."
    ),
    style="dim",
)


def _header(*lines: str) -> Text:
    """A compact table's header, one line each of ``lines``."""
    return Text("\n".join(lines))


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
            _header(_("ID")), [Text(shown(row.estimate.id), style="bold") for row in rows]
        ),
        compact.Column(
            _header(_("Source")),
            [publisher for publisher, _year in sources],
            role="source",
            tails=[year for _publisher, year in sources],
        ),
        compact.Column(
            _header(_("Applies to")),
            [compact.model_cell(row.estimate.applies_to) for row in rows],
            role="applies",
        ),
        compact.Column(_header(_("Boundary")), boundaries, expendable=2),
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
        _MISSING.plain: _("none: not published"),
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
                gap = _MISSING if published or reason == NO_ENERGY else _NOT_DERIVED
                marks.add(gap.plain)
                mids.append(gap.copy())
                spans.append(Text())
            else:
                mids.append(_compact_mid(figure, marks))
                spans.append(_compact_range(figure.per_clip.low, figure.per_clip.high))
        unit = shown(units.of(quantity))
        columns.append(compact.Column(_header(_QUANTITY_TITLES[quantity], unit), mids,
                                      justify="right"))  # fmt: skip
        columns.append(
            compact.Column(_header(_("low–high")), spans, role="optional", justify="right")
        )
    shares = report.embodied
    if shares is not None:  # columns of their own: never added to the figures beside them
        cells = [_embodied_compact(shares, first.estimate.id, marks) for first, _f in estimates]
        mids, spans = [cell[0] for cell in cells], [cell[1] for cell in cells]
        header = _header(_("Embodied"), shown(shares.unit))
        columns.append(compact.Column(header, mids, justify="right"))
        columns.append(
            compact.Column(_header(_("low–high")), spans, role="optional", justify="right")
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
        footnotes = _Footnotes()
        parts += _equivalents_tables(report, footnotes, compact=True)
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
        compact.Column(_header(_("Low")), lows, justify="right", expendable=1),
        compact.Column(_header(_("Mid")), mids, justify="right"),
        compact.Column(_header(_("High")), highs, justify="right", expendable=1),
    ]
    shares = report.embodied
    if shares is not None:  # a column of its own: not in the spread, the pool or the bars
        cells = [_embodied_compact(shares, row.estimate.id, marks)[0] for row in rows]
        columns.append(compact.Column(_header(_("Embodied"), shown(shares.unit)), cells,
                                      justify="right"))  # fmt: skip
    axis = log_axis([value for row in rows for value in row.per_clip])

    def bar(width: int) -> tuple[Text, list[Text]]:
        header = Text(f"{_('log scale')}\n{format_number(axis[0])} … {format_number(axis[1])}")
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
    footnotes: _Footnotes,
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
            cells.append(_range_cell(*share.per_clip))
            if batch:
                cells.append(_range_cell(*share.batch))
        else:
            cells += [_ENERGY_ONLY, _ENERGY_ONLY] if batch else [_ENERGY_ONLY]
    table.add_row(source_cell, applies, basis, *cells, style="magenta")


def _embodied_cell(shares: EmbodiedShares, estimate_id: str, value_of: str) -> Text:
    """An estimate's embodied share (``per_clip`` or ``batch``) as a wide-table cell:
    mid, with low – high beneath; ``n/a`` when it has none."""
    derivation = shares.of(estimate_id)
    if derivation is None:
        return _NOT_DERIVED
    return _range_cell(*(derivation.per_clip if value_of == "per_clip" else derivation.batch))


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


TOO_FEW = 1e-3
"""An equivalent whose count stays below this for every figure (7e-08 days of a city's
electricity) says nothing to a reader: its column is left out, and the note names it."""


def _column_key(position: int) -> str:
    """The key of a compact equivalents table's column: A … Z, then AA, AB …"""
    key = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        key = chr(ord("A") + rest) + key
    return key


class _EquivalentColumns:
    """A compact equivalents table, laid out here rather than by Rich's Table, which cuts
    a number that does not fit its column: one line per figure, its label whole on the
    left; a column per equivalent (its key, named under the table, and the unit counted),
    as wide as its widest number or header word, two spaces apart. Where the terminal is
    too narrow for every column, those that do not fit go to a table underneath (one
    column a table at the least: a line then runs past the edge rather than cut)."""

    def __init__(self, title: str, labels: list[str], columns: list[tuple[str, list[str]]]):
        self.title = title
        self.labels = labels
        self.columns = columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        corner = _("Figure")
        label_width = max(cell_len(label) for label in [corner, *self.labels])
        widths = [
            max(cell_len(line) for line in [*header.split("\n"), *values])
            for header, values in self.columns
        ]
        chunks: list[list[int]] = [[]]
        used = label_width
        for position, width in enumerate(widths):
            if chunks[-1] and used + 2 + width > options.max_width:
                chunks.append([])
                used = label_width
            chunks[-1].append(position)
            used += 2 + width
        header_style = console.get_style("table.header")
        bold = console.get_style("bold")
        for number, chunk in enumerate(chunks):
            total = label_width + sum(2 + widths[position] for position in chunk)
            if number == 0:
                title = Text(self.title, style="table.title", justify="center")
                yield from console.render(
                    title, options.update(width=min(total, options.max_width))
                )
            else:
                yield Segment.line()
            headers = [self.columns[position][0].split("\n") for position in chunk]
            depth = max(len(lines) for lines in headers)
            for row in range(depth):
                left = corner if row == depth - 1 else ""
                cells = [left + " " * (label_width - cell_len(left))]
                for position, lines in zip(chunk, headers, strict=True):
                    line = lines[row - (depth - len(lines))] if row >= depth - len(lines) else ""
                    cells.append(" " * (2 + widths[position] - cell_len(line)) + line)
                yield Segment("".join(cells), header_style)
                yield Segment.line()
            yield Segment("─" * total)
            yield Segment.line()
            for index, label in enumerate(self.labels):
                yield Segment(label + " " * (label_width - cell_len(label)))
                for position in chunk:
                    value = self.columns[position][1][index]
                    yield Segment(" " * (2 + widths[position] - cell_len(value)))
                    yield Segment(value, bold)
                yield Segment.line()


def _equivalents_tables(
    report: ClipReport, footnotes: _Footnotes, *, compact: bool = False
) -> list[RenderableType]:
    """One table per quantity shown: each figure as counts of the equivalents of its basis
    (the batch's, as the main table's right-hand column); the training share and the
    whole training energy as rows of their own. ``compact`` (the default view): each
    count's mid only, one line per figure, no vertical rules, and the figure's id never
    cut (its column is as wide as the longest id); the wide view adds low – high."""
    catalog, rows, count = report.catalog, report.rows, report.scenario.count
    share, trained = report.training, report.training_equivalents
    parts: list[RenderableType] = []
    left_out: list[str] = []
    no_equivalents: list[str] = []
    clips = ngettext("{n} clip", "{n} clips", count).format(n=count_text(count))
    for quantity in ("energy", "water", "carbon"):
        # Each figure shown, with the counts of every equivalent of its basis (batch).
        labelled = [
            (row.estimate.id, report.equivalents[(row.estimate.id, row.quantity)])
            for row in rows
            if row.quantity == quantity
        ]
        if quantity == "energy" and share is not None and trained is not None:
            labelled.append((_("training share (own row)"), trained.share))
            # compact: the training's name is in the note above; a long one would push
            # every column of the table off the terminal
            whole = (
                _("whole training")
                if compact
                else _("whole training: {label}").format(label=shown(share.request.label))
            )
            labelled.append((whole, trained.whole))
        items = report.equivalents_by_basis.get(quantity, [])
        if labelled and not items:
            no_equivalents.append(quantity)
        if not labelled or not items:
            continue
        counts = {
            item.id: [
                next(entry.batch for entry in expressed if entry.equivalent.id == item.id)
                for _, expressed in labelled
            ]
            for item in items
        }
        kept = [item for item in items if max(c.mid for c in counts[item.id]) >= TOO_FEW]
        left_out += [item.name for item in items if item not in kept]
        if not kept:
            continue
        if compact:
            title = _(
                "Everyday equivalents of the {quantity} of {clips} "
                "(basis: {quantity}; mid; --wide: low – high)"
            ).format(quantity=_(quantity), clips=clips)
            columns = []
            for key, item in ((_column_key(n), item) for n, item in enumerate(kept)):
                doubt = "?" if item.unconfirmed or item.confidence == "unconfirmed" else ""
                mids = [format_range(*count)[1] for count in counts[item.id]]
                columns.append((f"{key}\n{shown(_(item.counts))}{doubt}", mids))
            labels = [shown(label) for label, _expressed in labelled]
            parts.append(_EquivalentColumns(title, labels, columns))
            keyed = [
                _("{key}: {name}, in {counts} {source}").format(
                    key=key,
                    name=shown(_(item.name)),
                    counts=shown(_(item.counts)),
                    source=footnotes.mark(catalog.sources[item.source]),
                )
                for key, item in ((_column_key(n), item) for n, item in enumerate(kept))
            ]
            parts.append(prose(Text(_("; ").join(keyed) + ".", style="dim")))
            continue
        table = Table(
            title="\n"
            + _(
                "Everyday equivalents of the {quantity} of {clips} "
                "(basis: {quantity}; mid, with low – high beneath)"
            ).format(quantity=_(quantity), clips=clips),
            show_lines=True,
        )
        table.add_column(_("Figure"), overflow="fold")
        for item in kept:
            mark = footnotes.mark(catalog.sources[item.source])
            doubt = "?" if item.unconfirmed or item.confidence == "unconfirmed" else ""
            header = Text(f"{shown(_(item.name))}\n{shown(_(item.counts))}{doubt} {mark}")
            table.add_column(header, justify="right", overflow="fold")
        for position, (label, _expressed) in enumerate(labelled):
            table.add_row(
                Text(shown(label), overflow="fold"),
                *(_range_cell(*counts[item.id][position]) for item in kept),
            )
        parts.append(table)
    if parts or left_out or no_equivalents:
        note = _(
            "Each comparison divides the figure by the equivalent's own amount per unit, of "
            "the same basis (source in brackets; ?: not confirmed); 'soracost equivalents' "
            "lists them."
        )
        if left_out:
            names = ", ".join(shown(_(name)) for name in left_out)
            note += " " + _("Too small to show here (under {least}): {names}.").format(
                least=localise_number(f"{TOO_FEW:g}"), names=names
            )
        if no_equivalents:
            bases = _(" or ").join(_(basis) for basis in no_equivalents)
            note += " " + _(
                "The data file has no equivalents of basis {bases}: those figures are not "
                "compared with anything."
            ).format(bases=bases)
        parts.append(prose(Text(note, style="dim")))
    return parts


def equivalents_view(report: EquivalentsReport) -> RenderableType:
    """``soracost equivalents``: the records, or typed amounts expressed in them."""
    catalog, amounts = report.catalog, report.amounts
    footnotes = _Footnotes()
    if amounts:
        table = Table(title=_("Amounts as everyday equivalents (each of its own basis)"),
                  show_lines=True)  # fmt: skip
        table.add_column(_("Amount"), style="bold", no_wrap=True)
        table.add_column(_("Basis"))
        table.add_column(_("Equivalent"))
        table.add_column(_("How many"), justify="right")
        for amount, expressed in amounts:
            for entry in expressed:
                item = entry.equivalent
                table.add_row(
                    Text(shown(amount.text)),
                    _(amount.basis),
                    Text(f"{shown(_(item.name))} {footnotes.mark(catalog.sources[item.source])}"),
                    Text.assemble(
                        _range_cell(*entry.per_clip),
                        f" {shown(_many(item.counts, entry.per_clip.mid))}",
                    ),
                )
            if not expressed:
                none = _("none in this data file")
                table.add_row(Text(shown(amount.text)), _(amount.basis), none, "")
        return Group(table, Text("\n" + _("Sources"), style="bold"), footnotes.legend())
    table = Table(title=_("Everyday equivalents for --equivalents"), show_lines=True)
    # the basis under the id (a short word in a column as wide as the longest id), not in
    # a column of its own: at 80 columns that one made the table a cell too wide
    table.add_column(_("ID\nbasis"), no_wrap=True)
    table.add_column(_("Equivalent"))
    # as wide as its longest number: a number is never cut (nor, in French, broken at the
    # no-break spaces that group its digits, where Rich would wrap it)
    numbers = [text for item in catalog.equivalents.values() for text in format_range(*item.amount)]
    widest = max((cell_len(text) for text in numbers), default=None)
    table.add_column(_("Amount per unit"), justify="right", min_width=widest)
    table.add_column(_("As published"), overflow="fold")
    for item in catalog.equivalents.values():
        published = ", ".join(f"{_(case)} {shown(text)}" for case, text in item.published.items())
        if item.per:
            published += " " + _("per {what}").format(what=shown(item.per))
        detail = Text(published)
        detail.append(f"\n{footnotes.mark(catalog.sources[item.source])} {_(item.confidence)}",
                      style="dim")  # fmt: skip
        if item.cases_note:
            detail.append(f"\n{shown(item.cases_note)}", style="dim")
        per_unit = _range_cell(*item.amount)
        one = _("{unit} per {what}").format(unit=item.amount_unit, what=shown(_(_one(item.counts))))
        per_unit.append(f"\n{one}", style="dim")
        name = Text(shown(_(item.name)))
        identity = Text.assemble((shown(item.id), "bold"), "\n", (_(item.basis), "dim"))
        table.add_row(identity, name, per_unit, detail)
    return Group(table, Text("\n" + _("Sources"), style="bold"), footnotes.legend())


# What an equivalent counts is a unit (min, km) or a plural noun (charges, glasses); the
# one unit that is a word takes a plural too.
_UNIT_PLURALS = {"day": "days"}


def _one(counts: str) -> str:
    """``counts`` in the singular, after "per": charges → charge, glasses → glass."""
    if counts in _UNIT_PLURALS:
        return counts
    if counts.endswith(("sses", "ches", "shes", "xes")):
        return counts[:-2]
    return counts[:-1] if counts.endswith("s") and not counts.endswith("ss") else counts


def _many(counts: str, how_many: float) -> str:
    """``counts`` after a number, in the run's language: 3.24 days, 1 day, 2 charges,
    15 min; in French the singular up to 2 (1,3 bouteille, 2 bouteilles)."""
    singular = how_many < 2 if language() == "fr" else how_many == 1
    return _(_one(counts) if singular else _UNIT_PLURALS.get(counts, counts))


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
    footnotes = _Footnotes()
    unit = shown(scenario.units.of(quantity))
    title = _("{quantity} per clip, every source side by side ({unit})").format(
        quantity=_QUANTITY_TITLES.get(quantity, quantity), unit=unit
    )
    title += "\n" + shown(report.description)
    axis = log_axis([value for row in rows for value in row.per_clip])
    table = Table(title=_title(title), show_lines=True)
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
        table.add_column(Text(f"{_('Embodied')}\n{shown(shares.unit)}"), justify="right",
                         overflow="fold")  # fmt: skip
    axis_label = f"{_('log scale')}\n{format_number(axis[0])} … {format_number(axis[1])} {unit}"
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
        said = _("source: {citation}").format(citation=shown(_citation(source, short=True)))
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


def sites_view(catalog: Catalog, *, wide: bool = False) -> RenderableType:
    """The ``sites`` listing: one line per site (see :func:`_sites_compact`), or, ``wide``,
    each factor's range and each site's full name and note."""
    return _sites_wide(catalog) if wide else _sites_compact(catalog)


_SITE_FACTOR_HEADERS: tuple[tuple[str, str], ...] = (
    ("PUE", ""),
    (N_("WUE\non-site"), "L/kWh"),
    (N_("EWIF\noff-site"), "L/kWh"),
    (N_("Grid\ncarbon"), "gCO2e/kWh"),
)
"""The header of each site factor's column (the kinds of SITE_FACTORS, then
OPTIONAL_SITE_FACTORS, in order), on three lines: narrow enough for the sites' names to
keep a few words at 80 columns."""


def _sites_compact(catalog: Catalog) -> RenderableType:
    """One line per site: its id (whole), name (cut after a whole word, with an ellipsis,
    on a narrow terminal) and the mid of each factor with the number of its source, then
    the sources. The default site is marked; --wide gives the ranges and notes."""
    footnotes = _Footnotes()
    sites = list(catalog.sites.values())
    columns = [
        compact.Column(
            _header(_("Site")),
            [Text(shown(site.id) + ("*" if site.default else ""), style="bold") for site in sites],
        ),
        compact.Column(
            _header(_("Name")), [Text(_short_name(site.name)) for site in sites],
            role="applies", words=True,
        ),
    ]  # fmt: skip
    for expendable, (kind, (title, unit)) in enumerate(
        zip((*SITE_FACTORS, *OPTIONAL_SITE_FACTORS), _SITE_FACTOR_HEADERS, strict=True)
    ):
        cells = []
        for site in sites:
            factor = catalog.optional_site_factor(site, kind)
            if factor is None:
                cells.append(_MISSING.copy())
                continue
            cell = Text(format_number(factor.values.mid))
            cell.append(f" {footnotes.mark(catalog.sources[factor.source])}", style="dim")
            cells.append(cell)
        header = _header(*_(title).split("\n"), unit) if unit else _header(title)
        # On a very narrow terminal the factors after the PUE (position 0: never) are left
        # out, the last first, rather than the ids cut: a cut id is no --site value.
        columns.append(compact.Column(header, cells, justify="right", expendable=expendable))
    default = next((site.id for site in sites if site.default), None)
    hint = _(
        "Mid values, rounded to 3 significant figures; carbon is location-based. --wide "
        "shows each factor's range and each site's note; --format json all of it."
    )
    parts: list[RenderableType] = [
        _title(_("Sites for --site: PUE, water factors and grid carbon intensity")),
        compact.CompactTable(columns),
    ]
    if default is not None:
        parts.append(prose(Text(_("* the default site, when --site is not given."), style="dim")))
    parts += [prose(Text(hint, style="dim")), Text("\n" + _("Sources"), style="bold")]
    parts.append(footnotes.legend())
    return Group(*parts)


def _short_name(name: str) -> str:
    """A site's name without what follows its first bracket (the sources of its factors,
    which the listing numbers): 'Arizona, USA (Li et al., Table 1; …)' gives 'Arizona,
    USA'."""
    return shown(name.split(" (", 1)[0].strip() or name)


_SITE_FACTOR_LABELS: tuple[tuple[str, str], ...] = (
    ("PUE", ""),
    (N_("WUE on-site"), "L/kWh"),
    (N_("EWIF off-site"), "L/kWh"),
    (N_("grid carbon"), "gCO2e/kWh"),
)
"""Each site factor's name and unit in ``sites --wide`` (the kinds of SITE_FACTORS, then
OPTIONAL_SITE_FACTORS, in order)."""


def _sites_wide(catalog: Catalog) -> RenderableType:
    """The detailed ``sites`` listing, one block per site: its id, full name, each factor
    (mid, low – high, unit and the number of its source) and its note. Blocks rather than
    a table: the names and notes are paragraphs, which a narrow column cut into a word or
    two a line. A factor's words are joined by no-break spaces, so a line ends between two
    factors (:class:`~soracost.views.prose.Prose` wraps at plain spaces only)."""
    footnotes = _Footnotes()
    parts: list[RenderableType] = [
        _title(_("Sites for --site: PUE, water factors and grid carbon intensity"))
    ]

    def paragraph(text: Text) -> RenderableType:
        return Padding(Prose(text), (0, 0, 0, 2))

    for site in catalog.sites.values():
        head = Text(shown(site.id), style="bold")
        if site.default:
            head.append(_(" (default)"))
        factors = Text()
        for kind, (label, unit) in zip(
            (*SITE_FACTORS, *OPTIONAL_SITE_FACTORS), _SITE_FACTOR_LABELS, strict=True
        ):
            factor = catalog.optional_site_factor(site, kind)
            if factors.plain:
                factors.append(" · ")
            if factor is None:
                factors.append(f"{_(label)} ").append_text(_MISSING.copy())
                continue
            low, mid, high = format_range(*factor.values)
            said = f"{_(label)} {mid}"
            if factor.values.low != factor.values.high:
                said += f" ({low} – {high})"
            if unit:
                said += f" {unit}"
            factors.append(said.replace(" ", "\u00a0"))
            mark = footnotes.mark(catalog.sources[factor.source])
            factors.append(f"\u00a0{mark}", style="dim")
        parts += [Text(""), head, paragraph(Text(shown(site.name))), paragraph(factors)]
        if site.note:
            parts.append(paragraph(Text(shown(site.note), style="dim")))
    caption = _(
        "rounded to 3 significant figures; --format json keeps them as published; "
        "carbon is location-based"
    )
    parts += [Text(""), prose(Text(caption, style="dim"))]
    return Group(*parts, Text("\n" + _("Sources"), style="bold"), footnotes.legend())


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


def _role(estimate: Estimate, source: Source) -> str:
    """How an estimate uses a source: its own (''), reported in its chain, or data."""
    if estimate.source == source.id:
        return ""
    return _(" (in chain)") if source.id in estimate.chain else _(" (data)")


def sources_view(catalog: Catalog, *, wide: bool = False) -> RenderableType:
    """The ``sources`` listing: one line per source (see :func:`_sources_compact`), or,
    ``wide``, each source's full citation, URL, gaps and every record it covers."""
    return _sources_wide(catalog) if wide else _sources_compact(catalog)


_SOURCES_HINT = Text(
    _(
        "--wide shows each source's full citation, URL, what is not known and every record "
        "it covers; --format json all of it."
    ),
    style="dim",
)


def _covered(catalog: Catalog, source: Source) -> int:
    """How many records (estimates, factors, equivalents…) cite ``source``."""
    return (
        len(catalog.estimates_citing(source.id))
        + len(catalog.factors_citing(source.id))
        + len(catalog.others_citing(source.id))
    )


def _sources_compact(catalog: Catalog) -> RenderableType:
    """One line per source, at any width (the layout of :mod:`soracost.views.compact`):
    its id (whole), publisher and title (cut after a whole word, with an ellipsis, when
    the terminal is narrow), date (whole; n.d. when the source gives none), confidence
    (where there is room: about 90 columns) and how many records cite it. Then how many
    sources leave a citation field unknown."""
    sources = list(catalog.sources.values())
    dates = [Text(shown(source.date) if source.date else _("n.d.")) for source in sources]
    confidence = [Text(_(source.confidence)) for source in sources]
    columns = [
        compact.Column(_header(_("ID")),
                       [Text(shown(source.id), style="bold") for source in sources]),
        compact.Column(
            _header(_("Publisher")), [Text(shown(source.publisher)) for source in sources],
            role="source", words=True,
        ),
        compact.Column(
            _header(_("Title")),
            [Text(shown(source.title)) if source.title else Text(_("untitled"), style="dim")
             for source in sources],
            role="applies", words=True,
        ),
        compact.Column(_header(_("Date")), dates),
        compact.Column(_header(_("Confidence")), confidence, role="optional"),
        compact.Column(
            _header(_("Covers")),
            [Text(count_text(_covered(catalog, source))) for source in sources],
            justify="right",
        ),
    ]  # fmt: skip
    parts: list[RenderableType] = [
        _title(
            _("Sources in {file}, one line per source").format(
                file=shown(PurePath(catalog.path).name)
            )
        ),
        compact.CompactTable(columns),
    ]
    gaps = Counter(name for source in sources for name in source.gaps)
    if gaps:
        with_gaps = sum(1 for source in sources if source.gaps)
        listed = ", ".join(f"{shown(name)}: {count}" for name, count in gaps.most_common())
        parts.append(
            Text(
                ngettext(
                    "{n} of {total} sources leaves a citation field unknown ({fields}); "
                    "--wide says which, and why.",
                    "{n} of {total} sources leave a citation field unknown ({fields}); "
                    "--wide says which, and why.",
                    with_gaps,
                ).format(n=count_text(with_gaps), total=count_text(len(sources)), fields=listed),
                style="dim",
            )
        )
    parts.append(prose(_SOURCES_HINT))
    return Group(*parts)


def _sources_wide(catalog: Catalog) -> RenderableType:
    """The detailed ``sources`` listing, one block per source: its id and confidence, its
    citation, its URL (whole, on its own line: see :mod:`soracost.views.links`), what it
    does not say and why, and every record that cites it. Blocks rather than a table: a
    citation's long words and URLs need the terminal's whole width. Paragraphs wrap at
    plain spaces only (:class:`~soracost.views.prose.Prose`): a record's id and its role
    (``cnet-90wh (in chain)``, joined by a no-break space) stay on one line."""
    title = _("Sources in {file}").format(file=shown(PurePath(catalog.path).name))
    parts: list[RenderableType] = [_title(title)]

    def paragraph(text: str, style: str = "") -> RenderableType:
        return Padding(Prose(Text(text, style=style)), (0, 0, 0, 2))

    for source in catalog.sources.values():
        head = Text(shown(source.id), style="bold")
        head.append(f" · {_(source.confidence)}")
        parts += [Text(""), head, paragraph(shown(_citation(source)))]
        if source.url:
            parts.append(url_text(source.url, style="cyan", indent="  "))
        if source.gaps:
            gaps = "; ".join(f"{shown(k)}: {shown(v)}" for k, v in source.gaps.items())
            parts.append(paragraph(_("not known: {gaps}").format(gaps=gaps), "dim"))
        covered = catalog.estimates_citing(source.id)
        records = [shown(estimate.id) + _role(estimate, source) for estimate in covered]
        records += [
            shown(factor.id) + _(" (factor)") for factor in catalog.factors_citing(source.id)
        ]
        records += [
            f"{shown(record.id)} ({_(_kind_of(record))})"
            for record in catalog.others_citing(source.id)
        ]
        if records:
            joined = ", ".join(record.replace(" (", "\u00a0(", 1) for record in records)
            parts.append(paragraph(_("covers: {records}").format(records=joined)))
    return WholeUrls(Group(*parts))


def _kind_of(record: object) -> str:
    """What a record that is neither an estimate nor a factor is, in a word."""
    if isinstance(record, Equivalent):
        return N_("equivalent")
    return N_("embodied") if isinstance(record, EmbodiedFactor) else N_("training")


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
