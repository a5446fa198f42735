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
from pathlib import PurePath
from typing import TYPE_CHECKING

from rich.console import Group, OverflowMethod, RenderableType
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
    Equivalent,
    Estimate,
    Source,
)
from soracost.core.reports import ClipReport, CompareReport, EquivalentsReport, ExplainReport
from soracost.core.results import CARBON_NOTE, ResultRow, Results, Scenario, Spread
from soracost.core.units import Quantity
from soracost.views import compact
from soracost.views.answer import answer_line
from soracost.views.display import format_number, format_range, log_axis, range_bar
from soracost.views.text import shown

if TYPE_CHECKING:  # equivalents, training and Monte Carlo are loaded only when asked for
    from soracost.core.training import TrainingShare
    from soracost.core.uncertainty import Percentiles

_MISSING = Text("none", style="dim italic")
_NOT_DERIVED = Text("n/a", style="dim italic")
_ENERGY_ONLY = Text("energy only", style="dim italic")


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

    def legend(self) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for source in self.sources:
            text = Text(shown(source.citation), overflow="fold")
            if source.url:
                text.append("\n")
                text.append(shown(source.url), style="cyan")
            gaps = [f"{shown(name)}: {shown(why)}" for name, why in source.gaps.items()]
            if gaps:
                text.append("\nnot known: " + "; ".join(gaps), style="dim")
            table.add_row(f"[{self.numbers[source.id]}]", text)
        return table


def _range_cell(low: float, mid: float, high: float) -> Text:
    """Mid in bold, with ``low – high`` beneath it; one line when the three are equal."""
    low_text, mid_text, high_text = format_range(low, mid, high)
    if low == mid == high:
        return Text(mid_text, style="bold")
    return Text.assemble((mid_text, "bold"), "\n", (f"{low_text} – {high_text}", "dim"))


def _source_cell(row: ResultRow, footnotes: _Footnotes) -> Text:
    text = _Pieces(style="bold", overflow="fold").add(f"{footnotes.mark(row.source)} ")
    text.add(shown(row.source.publisher))
    text.add(f"\n{shown(row.source.date or 'undated')}", "dim")
    # The chain runs from the outermost report to the origin: links before the row's own
    # source repeated its figure; links after it are where the figure came from.
    ids = [link.id for link in row.chain]
    position = ids.index(row.source.id) if row.source.id in ids else len(ids)
    reported_by, taken_from = row.chain[:position], row.chain[position + 1 :]
    doubt = _doubt(row.estimate, "chain", "source", "claim", "see_also")
    if taken_from:
        links = ", ".join(footnotes.mark(link) for link in taken_from)
        text.add(f"\nfrom {links}{doubt}", "dim")
    elif doubt:
        text.add(doubt, "dim")
    if reported_by:
        cited_by = ", ".join(footnotes.mark(link) for link in reported_by)
        text.add(f"\ncited by {cited_by}", "dim")
    if row.see_also:
        see_also = ", ".join(footnotes.mark(link) for link in row.see_also)
        text.add(f"\nsee also {see_also}", "dim")
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
        text.add("\nSora proxy", "yellow")
    elif applies.models_sora:
        text.add("\nmodels Sora (not measured)", "yellow")
    clip = applies.clip.describe()
    if clip:
        text.add(f"\n{shown(clip)}{_doubt(estimate, 'applies_to.clip')}", "dim")
    return text.cell()


def _basis_cell(estimate: Estimate, shown: str | None = None) -> _Pieces:
    """Boundary (and the one shown, if another), method and fill; callers may add to it."""
    label = BOUNDARY_LABELS[estimate.boundary] + _doubt(estimate, "boundary")
    text = _Pieces(overflow="fold").add(label)
    if shown and shown != estimate.boundary:
        text.add(f"\n→ {BOUNDARY_LABELS[shown]}", "green")  # type: ignore[index]
    # Spaces, not hyphens, so a narrow column wraps between words.
    method = estimate.method.replace("-", " ")
    text.add(f"\n{method}{_doubt(estimate, 'method')}", "dim")
    if estimate.fill:
        text.add(f"\n{estimate.fill}*", "magenta")
    return text


def _notes(rows: Sequence[ResultRow], *, explain_none: bool = False) -> Text:
    text = Text()
    fills = sorted({row.estimate.fill for row in rows if row.estimate.fill})
    for fill in fills:
        text.append(f"{fill}*: {FILLS[fill]}.\n", style="magenta")
    if any(row.estimate.unconfirmed for row in rows):
        text.append(
            "?: not confirmed in the original (the JSON's 'unconfirmed' says why).\n", style="dim"
        )
    if explain_none:
        text.append(
            "none: the source published no figure for this quantity; "
            "n/a: it could not be derived (reason above).\n",
            style="dim",
        )
    if any(row.derivation.derived_water for row in rows):
        text.append(
            "derived: water = whole-server energy × on-site WUE + facility energy × off-site "
            "EWIF (Li et al.), with the site's factors; no source published these.\n",
            style="cyan",
        )
    if any(row.quantity == "carbon" for row in rows):
        text.append(CARBON_NOTE + "\n", style="cyan")
    text.append(
        "Nobody has published a measurement of Sora itself: 'Sora proxy' rows are other models "
        "standing in for it. Boundaries differ (GPU only < GPU+CPU+RAM < whole server < "
        "facility), so compare like with like.",
        style="dim",
    )
    return text


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
            cell.add(f"\nderived: {on_site} on + {off_site} off-site", "cyan")
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
        "Factors used (every step: 'soracost explain ID'): " + ", ".join(used.values()) + ".\n",
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
        text.append(
            f"Scaled more than {FAR_SCALE:g}× from the source's own clip (read as an order of "
            f"magnitude): {far_ids}.\n",
            style="yellow",
        )
    for reason, ids in reasons.items():
        said = shown(reason)
        listed = ", ".join(dict.fromkeys(shown(estimate_id) for estimate_id in ids))
        text.append(f"{said[0].upper()}{said[1:]}: {listed}.\n", style="red")
    return text


_QUANTITY_TITLES: dict[str, str] = {"energy": "Energy", "water": "Water", "carbon": "Carbon"}


def _clip_title(count: int, quantities: Sequence[Quantity]) -> str:
    names = {"energy": "electricity", "water": "water", "carbon": "carbon"}
    listed = [names[quantity] for quantity in quantities]
    what = " and ".join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 1 else listed)
    return f"{what[0].upper()}{what[1:]} for {count:,} AI video clip{'s' if count != 1 else ''}"


def _answer_lines(report: ClipReport | CompareReport) -> list[Text]:
    """The answer, first: one line per quantity (see views.answer)."""
    return [Text(answer_line(answer), style="bold") for answer in report.answers.values()]


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
            "each cell: ",
            ("mid", "bold"),
            ", with low – high beneath; 'soracost explain ID' shows every step",
            style="table.caption",
        ),
        show_lines=True,
        expand=False,
    )
    table.add_column("Source")
    table.add_column("Applies to")
    table.add_column("Boundary\nmethod")
    for quantity in quantities:
        title, unit = _QUANTITY_TITLES[quantity], shown(units.of(quantity))
        table.add_column(Text(f"{title} per clip\n{unit}"), justify="right", overflow="fold")
        if batch:
            header = Text(f"{title} × {count:,}\n{unit}")
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
    parts: list[RenderableType] = [*_answer_lines(report), table, notes]
    if scenario.equivalents:
        parts += _equivalents_tables(report, footnotes)
    parts += [Text("\nSources", style="bold"), footnotes.legend()]
    return Group(*parts)


_COMPACT_HINT = Text(
    "--wide shows every detail (clips, methods, why a figure is missing or left out, "
    "sources); 'soracost explain ID' every step.",
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
        cell = Text(compact.BOUNDARY_SHORT.get(row.derivation.boundary, row.derivation.boundary))
        if row.boundary_differs:
            marks.add("≠")
            cell.append(" ≠", style="bold red")
        boundaries.append(cell)
    return [
        compact.Column(_header("ID"), [Text(shown(row.estimate.id), style="bold") for row in rows]),
        compact.Column(
            _header("Source"),
            [publisher for publisher, _ in sources],
            role="source",
            tails=[year for _, year in sources],
        ),
        compact.Column(
            _header("Applies to"),
            [compact.model_cell(row.estimate.applies_to) for row in rows],
            role="applies",
        ),
        compact.Column(_header("Boundary"), boundaries, expendable=2),
    ]


def _marks_note(marks: set[str], scenario: Scenario, derived_water: bool) -> Text:
    """One paragraph that says what each mark used in a compact table means."""
    other = (
        "most rows' boundary" if scenario.boundary == "as-published" else "the boundary asked for"
    )
    meanings = {
        "≈": "≈ Sora proxy: another model standing in for Sora (never measured itself)",
        "~": f"~ rough: scaled over {FAR_SCALE:g}× from its source's clip, or not scaled to yours",
        "?": "? not confirmed in the original",
        "≠": f"≠ not at {other}: not like for like",
        "none": "none: not published",
        "n/a": "n/a: cannot be derived",
    }
    said = [meaning for mark, meaning in meanings.items() if mark in marks]
    if derived_water:
        said.append("water not published is derived from energy with the site's factors")
    return Text("; ".join(said) + "." if said else "", style="dim")


def _compact_method_note(scenario: Scenario) -> Text:
    """Under a compact table: the Monte Carlo samples and the seed that repeats them."""
    if scenario.method != "montecarlo":
        return Text()
    return Text(
        f"Monte Carlo: {scenario.samples:,} samples, seed {scenario.seed} (--seed "
        f"{scenario.seed} repeats it); --wide shows each estimate's P50 and P5–95.",
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
    firsts = [first for first, _ in estimates]
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
        columns.append(compact.Column(_header("low–high"), spans, role="optional", justify="right"))
    share = report.training
    sections: set[int] = set()
    if share is not None:
        sections.add(len(firsts) - 1)
        _add_compact_training(columns, share, catalog, quantities)
    table = compact.CompactTable(columns)
    table.sections = sections
    title = _clip_title(count, quantities).split(" for ", 1)[0]
    parts: list[RenderableType] = [
        *_answer_lines(report),
        Text(f"\n{title} per clip, one line per estimate", style="table.title"),
        Text(shown(report.description), style="dim"),
        table,
    ]
    if count > 1:
        parts.append(
            Text(f"Per clip; for {count:,} clips, see the answer above (--wide: each row's).")
        )
    derived = any(row.derivation.derived_water for row in results.rows)
    parts.append(_marks_note(marks, scenario, derived))
    if "carbon" in quantities:
        parts.append(Text(CARBON_NOTE, style="cyan"))
    parts.append(_compact_method_note(scenario))
    if share is not None:
        parts.append(_training_note(share))
    parts.append(_COMPACT_HINT)
    if scenario.equivalents:
        footnotes = _Footnotes()
        parts += _equivalents_tables(report, footnotes)
        if footnotes.sources:
            parts += [Text("\nSources", style="bold"), footnotes.legend()]
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
        applies = Text(f"{shown(record.model)} training")
    else:
        publisher, year = Text("your figure"), ""
        applies = Text(f"training: {shown(share.request.text)}")
    label = Text("training share", style="magenta")
    cells = [label, publisher, applies, Text("share", style="magenta")]
    for quantity in quantities:
        if quantity == "energy":
            low, mid, high = share.per_clip.low, share.per_clip.mid, share.per_clip.high
            cells += [Text(format_number(mid), style="bold"), _compact_range(low, high)]
        else:
            cells += [_NOT_DERIVED.copy(), Text()]
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
        low, _, high = format_range(*row.per_clip)
        lows.append(Text(low))
        mids.append(_compact_mid(row, marks))
        highs.append(Text(high))
    columns += [
        compact.Column(_header("Low"), lows, justify="right", expendable=1),
        compact.Column(_header("Mid"), mids, justify="right"),
        compact.Column(_header("High"), highs, justify="right", expendable=1),
    ]
    axis = log_axis([value for row in rows for value in row.per_clip])

    def bar(width: int) -> tuple[Text, list[Text]]:
        header = Text(f"log scale\n{format_number(axis[0])} … {format_number(axis[1])}")
        cells = [
            Text(
                range_bar(row.per_clip.low, row.per_clip.mid, row.per_clip.high, axis, width),
                style="cyan",
            )
            for row in rows
        ]
        return header, cells

    table = compact.CompactTable(columns, compact.Bar(bar))
    title = f"{quantity.capitalize()} per clip ({unit}), lowest to highest, one line per estimate"
    derived = any(row.derivation.derived_water for row in rows)
    parts: list[RenderableType] = [
        *_answer_lines(report),
        Text(f"\n{title}", style="table.title"),
        Text(shown(report.description), style="dim"),
        table,
        *_spread_and_pool(report),
        _marks_note(marks, scenario, derived),
        _compact_method_note(scenario),
        _COMPACT_HINT,
    ]
    return Group(*(part for part in parts if not isinstance(part, Text) or part.plain))


def _method_note(scenario: Scenario) -> Text:
    """What the P5/P50/P95 lines are, with the seed that repeats them."""
    if scenario.method != "montecarlo":
        return Text()
    from soracost.core.uncertainty import DISTRIBUTION

    return Text(
        f"\nMonte Carlo: {scenario.samples:,} samples, seed {scenario.seed} (--seed "
        f"{scenario.seed} repeats it). P50 and P5–95 are percentiles of the samples; "
        f"low – high stay the bounds. Distributions: {DISTRIBUTION}.\n",
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
        source_cell.append(f"\n{shown(source.date or 'undated')}", style="dim")
        applies = Text(f"{shown(record.model)} training", overflow="fold")
        applies.append("\nnot Sora (unknown)", style="yellow")
    else:
        source_cell = Text("your figure", style="bold")
        applies = Text(f"training: {shown(share.request.text)}", overflow="fold")
    basis = Text("training share", style="magenta", overflow="fold")
    basis.append(f"\n÷ {share.request.lifetime_clips:,} lifetime clips", style="dim")
    cells: list[Text] = []
    for quantity in quantities:
        if quantity == "energy":
            cells.append(_range_cell(*share.per_clip))
            if batch:
                cells.append(_range_cell(*share.batch))
        else:
            cells += [_ENERGY_ONLY, _ENERGY_ONLY] if batch else [_ENERGY_ONLY]
    table.add_row(source_cell, applies, basis, *cells, style="magenta")


def _training_note(share: TrainingShare) -> Text:
    from soracost.core.training import SORA_TRAINING_UNKNOWN

    request = share.request
    total = format_number(share.training.mid)
    clips = f"{request.lifetime_clips:,} clip{'s' if request.lifetime_clips != 1 else ''}"
    per_clip = format_number(share.per_clip.mid)
    return Text(
        f"\ntraining share: {shown(request.label)}, {total} {shown(share.unit)} ÷ {clips} = "
        f"{per_clip} {shown(share.unit)} per clip, on its own row. {SORA_TRAINING_UNKNOWN}\n",
        style="magenta",
    )


TOO_FEW = 1e-3
"""An equivalent whose count stays below this for every figure (7e-08 days of a city's
electricity) says nothing to a reader: its column is left out, and the note names it."""


def _equivalents_tables(report: ClipReport, footnotes: _Footnotes) -> list[RenderableType]:
    """One table per quantity shown: each figure as counts of the equivalents of its basis
    (the batch's, as the main table's right-hand column); the training share and the
    whole training energy as rows of their own."""
    catalog, rows, count = report.catalog, report.rows, report.scenario.count
    share, trained = report.training, report.training_equivalents
    parts: list[RenderableType] = []
    left_out: list[str] = []
    no_equivalents: list[str] = []
    clips = f"{count:,} clip{'s' if count != 1 else ''}"
    for quantity in ("energy", "water", "carbon"):
        # Each figure shown, with the counts of every equivalent of its basis (batch).
        labelled = [
            (row.estimate.id, report.equivalents[(row.estimate.id, row.quantity)])
            for row in rows
            if row.quantity == quantity
        ]
        if quantity == "energy" and share is not None and trained is not None:
            labelled.append(("training share (own row)", trained.share))
            labelled.append((f"whole training: {shown(share.request.label)}", trained.whole))
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
        table = Table(
            title=f"\nEveryday equivalents of the {quantity} of {clips} "
            f"(basis: {quantity}; mid, with low – high beneath)",
            show_lines=True,
        )
        table.add_column("Figure", overflow="fold")
        for item in kept:
            mark = footnotes.mark(catalog.sources[item.source])
            doubt = "?" if item.unconfirmed or item.confidence == "unconfirmed" else ""
            header = Text(f"{shown(item.name)}\n{shown(item.counts)}{doubt} {mark}")
            table.add_column(header, justify="right", overflow="fold")
        for position, (label, _) in enumerate(labelled):
            table.add_row(
                Text(shown(label), overflow="fold"),
                *(_range_cell(*counts[item.id][position]) for item in kept),
            )
        parts.append(table)
    if parts or left_out or no_equivalents:
        note = (
            "Each comparison divides the figure by the equivalent's own amount per unit, of "
            "the same basis (source in brackets; ?: not confirmed); 'soracost equivalents' "
            "lists them."
        )
        if left_out:
            names = ", ".join(shown(name) for name in left_out)
            note += f" Too small to show here (under {TOO_FEW:g}): {names}."
        if no_equivalents:
            note += (
                f" The data file has no equivalents of basis {' or '.join(no_equivalents)}: "
                "those figures are not compared with anything."
            )
        parts.append(Text(note, style="dim"))
    return parts


def equivalents_view(report: EquivalentsReport) -> RenderableType:
    """``soracost equivalents``: the records, or typed amounts expressed in them."""
    catalog, amounts = report.catalog, report.amounts
    footnotes = _Footnotes()
    if amounts:
        table = Table(title="Amounts as everyday equivalents (each of its own basis)",
                  show_lines=True)  # fmt: skip
        table.add_column("Amount", style="bold", no_wrap=True)
        table.add_column("Basis")
        table.add_column("Equivalent")
        table.add_column("How many", justify="right")
        for amount, expressed in amounts:
            for entry in expressed:
                item = entry.equivalent
                table.add_row(
                    Text(shown(amount.text)),
                    amount.basis,
                    Text(f"{shown(item.name)} {footnotes.mark(catalog.sources[item.source])}"),
                    Text.assemble(
                        _range_cell(*entry.per_clip),
                        f" {shown(_many(item.counts, entry.per_clip.mid))}",
                    ),
                )
            if not expressed:
                table.add_row(Text(shown(amount.text)), amount.basis, "none in this data file", "")
        return Group(table, Text("\nSources", style="bold"), footnotes.legend())
    table = Table(title="Everyday equivalents for --equivalents", show_lines=True)
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("Equivalent")
    table.add_column("Basis")
    table.add_column("Amount per unit", justify="right")
    table.add_column("As published", overflow="fold")
    for item in catalog.equivalents.values():
        published = ", ".join(f"{case} {shown(text)}" for case, text in item.published.items())
        if item.per:
            published += f" per {shown(item.per)}"
        detail = Text(published)
        detail.append(f"\n{footnotes.mark(catalog.sources[item.source])} {item.confidence}",
                      style="dim")  # fmt: skip
        if item.cases_note:
            detail.append(f"\n{shown(item.cases_note)}", style="dim")
        per_unit = _range_cell(*item.amount)
        per_unit.append(f"\n{item.amount_unit} per {shown(_one(item.counts))}", style="dim")
        table.add_row(Text(shown(item.id)), Text(shown(item.name)), item.basis, per_unit, detail)
    return Group(table, Text("\nSources", style="bold"), footnotes.legend())


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
    """``counts`` after a number: 3.24 days, 1 day, 2 charges, 15 min."""
    return _UNIT_PLURALS.get(counts, counts) if how_many != 1 else _one(counts)


def _scaling_status(row: ResultRow) -> Text | None:
    """'scaled ×N', 'partly scaled ×N' or 'not scaled', when scaling was asked for."""
    derivation = row.derivation
    factor = derivation.scale_factor
    if factor is None and not derivation.not_scaled:
        return None
    if factor is None:
        return Text("not scaled", style="red")
    partly = "partly " if derivation.not_scaled else ""
    return Text(f"{partly}scaled ×{format_number(factor.mid)}", style="yellow")


def compare_view(
    report: CompareReport, bar_width: int = 26, *, wide: bool = False
) -> RenderableType:
    """The ``compare`` table, compact unless ``wide`` (see :func:`_compare_compact`); the
    wide one's range bars are ``bar_width`` characters wide."""
    quantity, unit = report.quantity, shown(report.scenario.units.of(report.quantity))
    if not report.rows:
        title = f"{quantity.capitalize()} per clip, every source side by side ({unit})\n"
        message = Text(
            f"{title}{shown(report.description)}\n"
            f"No {quantity} figure can be given for these options.\n"
        )
        return Group(*_answer_lines(report), message, _notes_for(report.results))
    return _compare_wide(report, bar_width) if wide else _compare_compact(report)


def _compare_wide(report: CompareReport, bar_width: int) -> RenderableType:
    """The wide ``compare`` table: one quantity's estimates sorted, with log-scale range
    bars ``bar_width`` characters wide."""
    catalog, results, scenario, rows = report.catalog, report.results, report.scenario, report.rows
    quantity = report.quantity
    footnotes = _Footnotes()
    unit = shown(scenario.units.of(quantity))
    title = f"{quantity.capitalize()} per clip, every source side by side ({unit})\n" + shown(
        report.description
    )
    axis = log_axis([value for row in rows for value in row.per_clip])
    table = Table(title=_title(title), show_lines=True)
    table.add_column("Source")
    table.add_column("Applies to")
    table.add_column("Boundary\nmethod\nfigure")
    table.add_column("Low", justify="right", overflow="fold")
    table.add_column("Mid", justify="right", style="bold", overflow="fold")
    table.add_column("High", justify="right", overflow="fold")
    sampled = results.percentiles
    if sampled:
        table.add_column("P5", justify="right", overflow="fold", style="blue")
        table.add_column("P50", justify="right", overflow="fold", style="bold blue")
        table.add_column("P95", justify="right", overflow="fold", style="blue")
    axis_label = f"log scale\n{format_number(axis[0])} … {format_number(axis[1])} {unit}"
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
            basis.add("\nderived water", "cyan")
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
            Text(
                range_bar(row.per_clip.low, row.per_clip.mid, row.per_clip.high, axis, bar_width),
                style="cyan",
            ),
        )
    parts: list[RenderableType] = [*_answer_lines(report), table, *_spread_and_pool(report)]
    legend = Text()
    if any(row.boundary_differs for row in rows):
        if scenario.boundary == "as-published":
            common = next(row.derivation.boundary for row in rows if not row.boundary_differs)
            why = (
                f"measured within another boundary than most rows "
                f"({BOUNDARY_LABELS[common]}); not like for like. "  # type: ignore[index]
                "--boundary facility converts what can be converted.\n"
            )
        else:
            why = (
                f"could not be converted to the {scenario.boundary} boundary and is shown as "
                "published; not like for like (see 'soracost explain ID').\n"
            )
        legend.append("≠: " + why, style="bold red")
    if any(row.derivation.derived_water for row in rows):
        legend.append(
            "derived water: computed from energy with the site's factors; "
            "no source published it.\n",
            style="cyan",
        )
    parts += [
        legend,
        _factors_used(catalog, rows, footnotes),
        _notes_for(results),
        _notes(rows),
        *([_method_note(scenario)] if scenario.method == "montecarlo" else []),
        Text("\nSources", style="bold"),
        footnotes.legend(),
    ]
    return Group(*parts)


def _spread_and_pool(report: CompareReport) -> list[Text]:
    """Under a ``compare`` table: the spread and, with ``--pooled``, the pooled figure."""
    rows, spread, pool = report.rows, report.spread, report.pool
    unit = shown(report.scenario.units.of(report.quantity))
    parts: list[Text] = []
    if spread is not None:
        sentence = _spread_sentence(spread, unit)
        if any(row.derivation.not_scaled for row in rows):
            sentence += " (includes figures not scaled to your clip)"
        parts.append(Text(sentence, style="bold"))
    if pool is not None:
        p5, p50, p95 = format_range(*pool.percentiles.as_dict().values())
        parts.append(
            Text(
                f"Pooled over the {len(rows)} estimate{'s' if len(rows) != 1 else ''} shown "
                f"({shown(pool.description)}): "
                f"P50 {p50} {unit}, P5–95 {p5} – {p95} {unit}.",
                style="bold blue",
            )
        )
        for caveat in pool.caveats:
            parts.append(Text(f"Note: {shown(caveat)}.", style="yellow"))
    return parts


def _step_text(step: Step, position: int, catalog: Catalog) -> Text:
    factor_sources = catalog.sources
    low, mid, high = format_range(*step.value)
    value = mid if step.value.low == step.value.high else f"{mid} ({low} – {high})"
    text = Text(f"{position}. {shown(step.label)}", style="bold" if step.roles else "")
    symbol = OPERATION_SYMBOLS[step.op]
    if step.op in ("multiply", "divide") and step.inputs and step.inputs[0] != position - 2:
        text.append(f" (of step {step.inputs[0] + 1})")
    text.append(": ")
    text.append(f"{value} {shown(step.unit)}", style="bold green" if step.roles else "green")
    if step.op in ("multiply", "divide") and step.factor_text:
        factor_text = shown(step.factor_text)
        written = factor_text if factor_text.startswith("×") else f"{symbol} {factor_text}"
        text.append(f"  [{written}]", style="yellow")
    elif step.op == "add":
        text.append(f"  [steps {' + '.join(str(i + 1) for i in step.inputs)}]", style="yellow")
    if step.source_id and step.source_id in factor_sources:
        source = factor_sources[step.source_id]
        text.append(f"\n   source: {shown(source.short_citation)}", style="dim")
        if source.url:
            text.append(f"\n   {shown(source.url)}", style="cyan")
        factor = catalog.factors.get(step.factor_id or "")
        if factor is not None:
            doubt = (
                "; not confirmed: " + "; ".join(shown(name) for name in factor.unconfirmed)
                if factor.unconfirmed
                else ""
            )
            text.append(f"\n   confidence: {factor.confidence}{doubt}", style="dim")
    return text


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
            (f"confidence: {estimate.confidence}", "dim"),
            (f"; not confirmed: {doubts}" if doubts else "", "dim"),
            "\n",
            (shown(report.description), "dim"),
        )
    )
    energy_steps: tuple[Step, ...] = ()
    for row in rows:
        derivation = row.derivation
        what = {
            "water": "water, derived from energy" if row.derived else "water",
            "carbon": "carbon, location-based, derived from energy",
        }.get(row.quantity, row.quantity)
        branch = tree.add(Text(f"{what} ({shown(row.unit)})", style="bold magenta"))
        shared = _shared_prefix(energy_steps, derivation.steps)
        if shared > 1:
            branch.add(Text(f"1–{shared}. as in the energy branch above", style="dim"))
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
                    f"per clip: on-site {format_number(on_site.mid)} + off-site "
                    f"{format_number(off_site.mid)} = {format_number(row.per_clip.mid)} "
                    f"{shown(row.unit)}"
                    " (mid)",
                    style="cyan",
                )
            )
    for quantity, reason in missing.items():
        tree.add(Text(f"{quantity}: {shown(reason)}", style="dim"))
    return tree


def sites_view(catalog: Catalog) -> RenderableType:
    """The ``sites`` table: each site's PUE, on-site WUE, off-site EWIF and grid carbon
    intensity, with sources."""
    footnotes = _Footnotes()
    table = Table(
        title="Sites for --site: PUE, water factors and grid carbon intensity",
        caption=Text(
            "rounded to 3 significant figures; --format json keeps them as published; "
            "carbon is location-based",
            style="table.caption",
        ),
        show_lines=True,
    )
    table.add_column("Site", style="bold", no_wrap=True)
    table.add_column("Name")
    for label in ("PUE", "WUE on-site\nL/kWh", "EWIF off-site\nL/kWh", "Grid carbon\ngCO2e/kWh"):
        table.add_column(label, justify="right")
    for site in catalog.sites.values():
        cells = []
        for kind in (*SITE_FACTORS, *OPTIONAL_SITE_FACTORS):
            factor = catalog.optional_site_factor(site, kind)
            if factor is None:
                cells.append(_MISSING)
                continue
            cell = _range_cell(*factor.values)
            cell.append(f"\n{footnotes.mark(catalog.sources[factor.source])}", style="dim")
            cells.append(cell)
        name = Text(shown(site.name) + (" (default)" if site.default else ""), overflow="fold")
        if site.note:
            name.append(f"\n{shown(site.note)}", style="dim")
        table.add_row(Text(shown(site.id)), name, *cells)
    return Group(table, Text("\nSources", style="bold"), footnotes.legend())


def _spread_sentence(spread: Spread, unit: str) -> str:
    highest, lowest = shown(spread.highest.estimate.id), shown(spread.lowest.estimate.id)
    high = f"{format_number(spread.highest.per_clip.high)} {unit} ({highest})"
    low = f"{format_number(spread.lowest.per_clip.low)} {unit} ({lowest})"
    if spread.ratio is None:
        return f"Spread: highest high {high} over lowest low {low}: undefined (lowest is zero)."
    return f"Spread: highest high {high} ÷ lowest low {low} = {format_number(spread.ratio)}×"


def _role(estimate: Estimate, source: Source) -> str:
    """How an estimate uses a source: its own (''), reported in its chain, or data."""
    if estimate.source == source.id:
        return ""
    return " (in chain)" if source.id in estimate.chain else " (data)"


def sources_view(catalog: Catalog) -> RenderableType:
    """The ``sources`` table: each source's citation, confidence and what it covers."""
    table = Table(title=_title(f"Sources in {shown(PurePath(catalog.path).name)}"), show_lines=True)
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("Citation")
    table.add_column("Confidence")
    table.add_column("Covers", overflow="fold")
    for source in catalog.sources.values():
        citation = Text(shown(source.citation), overflow="fold")
        if source.url:
            citation.append(f"\n{shown(source.url)}", style="cyan")
        if source.gaps:
            gaps = "; ".join(f"{shown(k)}: {shown(v)}" for k, v in source.gaps.items())
            citation.append("\nnot known: " + gaps, style="dim")
        covered = catalog.estimates_citing(source.id)
        lines = [f"{shown(estimate.id)}{_role(estimate, source)}" for estimate in covered]
        lines += [f"{shown(factor.id)} (factor)" for factor in catalog.factors_citing(source.id)]
        lines += [
            f"{shown(record.id)} ({'equivalent' if isinstance(record, Equivalent) else 'training'})"
            for record in catalog.others_citing(source.id)
        ]
        covers = Text("\n".join(lines))
        table.add_row(Text(shown(source.id)), citation, source.confidence, covers)
    return table
