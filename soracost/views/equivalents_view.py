"""The everyday equivalents: ``clip --equivalents``' tables (compact and wide) and the
``soracost equivalents`` listing."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from soracost.core.ranges import Range
from soracost.core.records import Equivalent
from soracost.core.reports import ClipReport, EquivalentsReport
from soracost.i18n import _, count_text, language, localise_number, ngettext
from soracost.views.common import Footnotes, range_cell
from soracost.views.display import format_range
from soracost.views.prose import prose
from soracost.views.text import shown

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


def equivalents_tables(
    report: ClipReport, footnotes: Footnotes, *, compact: bool = False
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
            parts += _compact_tables(quantity, clips, labelled, kept, counts, report, footnotes)
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
            header = Text(f"{shown(_(item.name))}\n{shown(_(item.counts))}{_doubt(item)} {mark}")
            table.add_column(header, justify="right", overflow="fold")
        for position, (label, _expressed) in enumerate(labelled):
            table.add_row(
                Text(shown(label), overflow="fold"),
                *(range_cell(*counts[item.id][position]) for item in kept),
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


def _doubt(item: Equivalent) -> str:
    """``?`` after what an equivalent counts when its amount is not confirmed."""
    return "?" if item.unconfirmed or item.confidence == "unconfirmed" else ""


def _compact_tables(
    quantity: str,
    clips: str,
    labelled: Sequence[tuple[str, object]],
    kept: list[Equivalent],
    counts: dict[str, list[Range]],
    report: ClipReport,
    footnotes: Footnotes,
) -> list[RenderableType]:
    """The compact table of one quantity's equivalents (:class:`_EquivalentColumns`),
    then the line naming each column's key: what it counts, and its source."""
    title = _(
        "Everyday equivalents of the {quantity} of {clips} "
        "(basis: {quantity}; mid; --wide: low – high)"
    ).format(quantity=_(quantity), clips=clips)
    keyed = [(_column_key(n), item) for n, item in enumerate(kept)]
    columns = [
        (
            f"{key}\n{shown(_(item.counts))}{_doubt(item)}",
            [format_range(*count)[1] for count in counts[item.id]],
        )
        for key, item in keyed
    ]
    labels = [shown(label) for label, _expressed in labelled]
    named = [
        _("{key}: {name}, in {counts} {source}").format(
            key=key,
            name=shown(_(item.name)),
            counts=shown(_(item.counts)),
            source=footnotes.mark(report.catalog.sources[item.source]),
        )
        for key, item in keyed
    ]
    return [
        _EquivalentColumns(title, labels, columns),
        prose(Text(_("; ").join(named) + ".", style="dim")),
    ]


def equivalents_view(report: EquivalentsReport) -> RenderableType:
    """``soracost equivalents``: the records, or typed amounts expressed in them."""
    catalog, amounts = report.catalog, report.amounts
    footnotes = Footnotes()
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
                        range_cell(*entry.per_clip),
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
        per_unit = range_cell(*item.amount)
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
