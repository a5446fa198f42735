"""Rich renderables for people. Each function returns a renderable; only the CLI prints.

Every figure row carries a footnote number that points at its source in a legend below
the table (title and URL), so no number appears without its origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from soracost.display import format_number, format_range, log_axis, range_bar
from soracost.model import ResultRow, Spread, Units
from soracost.records import BOUNDARY_LABELS, FILLS, Catalog, Estimate, Source

_MISSING = Text("none", style="dim italic")


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
            text = Text(source.citation, overflow="fold")
            if source.url:
                text.append("\n")
                text.append(source.url, style="cyan")
            gaps = [f"{name}: {why}" for name, why in source.gaps.items()]
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
    text = Text(f"{footnotes.mark(row.source)} ", style="bold", overflow="fold")
    text.append(row.source.publisher, style="")
    text.append(f"\n{row.source.date or 'undated'}", style="dim")
    # The chain runs from the outermost report to the origin: links before the row's own
    # source repeated its figure; links after it are where the figure came from.
    ids = [link.id for link in row.chain]
    position = ids.index(row.source.id) if row.source.id in ids else len(ids)
    reported_by, taken_from = row.chain[:position], row.chain[position + 1 :]
    doubt = _doubt(row.estimate, "chain", "source", "claim", "see_also")
    if taken_from:
        links = ", ".join(footnotes.mark(link) for link in taken_from)
        text.append(f"\nfrom {links}{doubt}", style="dim")
    elif doubt:
        text.append(doubt, style="dim")
    if reported_by:
        cited_by = ", ".join(footnotes.mark(link) for link in reported_by)
        text.append(f"\ncited by {cited_by}", style="dim")
    if row.see_also:
        see_also = ", ".join(footnotes.mark(link) for link in row.see_also)
        text.append(f"\nsee also {see_also}", style="dim")
    return text


def _doubt(estimate: Estimate, *fields: str) -> str:
    """'?' when any of ``fields`` (or a field nested in one) is marked unconfirmed."""
    doubtful = any(
        name == field or name.startswith(f"{field}.") or field.startswith(f"{name}.")
        for name in estimate.unconfirmed
        for field in fields
    )
    return "?" if doubtful else ""


def _applies_cell(estimate: Estimate) -> Text:
    applies = estimate.applies_to
    text = Text(applies.model + _doubt(estimate, "applies_to.model"), overflow="fold")
    if applies.sora_proxy:
        text.append("\nSora proxy", style="yellow")
    clip = applies.clip.describe()
    if clip:
        text.append(f"\n{clip}{_doubt(estimate, 'applies_to.clip')}", style="dim")
    return text


def _basis_cell(estimate: Estimate) -> Text:
    text = Text(BOUNDARY_LABELS[estimate.boundary] + _doubt(estimate, "boundary"), overflow="fold")
    # Spaces, not hyphens, so a narrow column wraps between words.
    method = estimate.method.replace("-", " ")
    text.append(f"\n{method}{_doubt(estimate, 'method')}", style="dim")
    if estimate.fill:
        text.append(f"\n{estimate.fill}*", style="magenta")
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
        text.append("none: the source published no figure for this quantity.\n", style="dim")
    text.append(
        "Nobody has published a measurement of Sora itself: 'Sora proxy' rows are other models "
        "standing in for it. Boundaries differ (GPU only < GPU+CPU+RAM < whole server < "
        "facility), so compare like with like.",
        style="dim",
    )
    return text


def clip_view(rows: Sequence[ResultRow], count: int, units: Units) -> RenderableType:
    """The ``clip`` table: each estimate's energy and water, per clip and for the batch."""
    footnotes = _Footnotes()
    table = Table(
        title=f"Electricity and water for {count:,} AI video clip{'s' if count != 1 else ''}, "
        "as published",
        caption="each cell: [bold]mid[/bold], with low – high beneath",
        show_lines=True,
        expand=False,
    )
    table.add_column("Source")
    table.add_column("Applies to")
    table.add_column("Boundary\nmethod")
    table.add_column(f"Energy per clip\n{units.energy}", justify="right")
    table.add_column(f"Energy × {count:,}\n{units.energy}", justify="right")
    table.add_column(f"Water per clip\n{units.water}", justify="right")
    table.add_column(f"Water × {count:,}\n{units.water}", justify="right")
    for row in rows:
        doubt = _doubt(row.estimate, "published")
        per_clip = _range_cell(*row.per_clip) + doubt
        batch = _range_cell(*row.batch) + doubt
        if row.quantity == "energy":
            cells = (per_clip, batch, _MISSING, _MISSING)
        else:
            cells = (_MISSING, _MISSING, per_clip, batch)
        table.add_row(
            _source_cell(row, footnotes),
            _applies_cell(row.estimate),
            _basis_cell(row.estimate),
            *cells,
        )
    notes = _notes(rows, explain_none=True)
    return Group(table, notes, Text("\nSources", style="bold"), footnotes.legend())


def compare_view(
    rows: Sequence[ResultRow], quantity: str, unit: str, spread: Spread | None, bar_width: int = 26
) -> RenderableType:
    """The ``compare`` table: one quantity's estimates sorted, with log-scale range bars."""
    footnotes = _Footnotes()
    axis = log_axis([value for row in rows for value in row.per_clip])
    table = Table(
        title=f"{quantity.capitalize()} per clip, every source side by side ({unit})",
        show_lines=True,
    )
    table.add_column("Source")
    table.add_column("Applies to")
    table.add_column("Boundary\nmethod")
    table.add_column("Low", justify="right")
    table.add_column("Mid", justify="right", style="bold")
    table.add_column("High", justify="right")
    axis_label = f"log scale\n{format_number(axis[0])} … {format_number(axis[1])} {unit}"
    table.add_column(axis_label, no_wrap=True, min_width=bar_width)
    for row in rows:
        low, mid, high = format_range(*row.per_clip)
        mid += _doubt(row.estimate, "published")
        table.add_row(
            _source_cell(row, footnotes),
            _applies_cell(row.estimate),
            _basis_cell(row.estimate),
            low,
            mid,
            high,
            Text(
                range_bar(row.per_clip.low, row.per_clip.mid, row.per_clip.high, axis, bar_width),
                style="cyan",
            ),
        )
    parts: list[RenderableType] = [table]
    if spread is not None:
        parts.append(Text(_spread_sentence(spread, unit), style="bold"))
    parts += [_notes(rows), Text("\nSources", style="bold"), footnotes.legend()]
    return Group(*parts)


def _spread_sentence(spread: Spread, unit: str) -> str:
    high = f"{format_number(spread.highest.per_clip.high)} {unit} ({spread.highest.estimate.id})"
    low = f"{format_number(spread.lowest.per_clip.low)} {unit} ({spread.lowest.estimate.id})"
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
    table = Table(title=f"Sources in {PurePath(catalog.path).name}", show_lines=True)
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("Citation")
    table.add_column("Confidence")
    table.add_column("Covers")
    for source in catalog.sources.values():
        citation = Text(source.citation, overflow="fold")
        if source.url:
            citation.append(f"\n{source.url}", style="cyan")
        if source.gaps:
            citation.append(
                "\nnot known: " + "; ".join(f"{k}: {v}" for k, v in source.gaps.items()),
                style="dim",
            )
        covered = catalog.estimates_citing(source.id)
        covers = Text("\n".join(f"{estimate.id}{_role(estimate, source)}" for estimate in covered))
        table.add_row(source.id, citation, source.confidence, covers)
    return table
