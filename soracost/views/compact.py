"""The compact tables of ``clip``, ``compare`` and ``sources``: one line per estimate
(or source), at any width.

No cell ever wraps, so no id, date, model name or number is broken across lines. The
layout is worked out when the table is printed, from the width Rich gives it:

1. the id, the boundary and every figure keep their whole width (``fixed`` columns);
2. ``optional`` columns (low–high beside each mid in ``clip``) come in only where there
   is room for them with the source and applies-to columns at a readable width;
3. the source and applies-to columns (``source``, ``applies``) get what is left,
   applies-to first up to :data:`APPLIES_MIN`, the source up to :data:`SOURCE_MIN`,
   then each up to its ``_WIDE`` width, and are ellipsized (…) when it is not enough,
   never inside a number (a version, a size: the cut moves back to a whole word);
   a source's year is kept whole and its publisher cut, or, in a column too narrow for
   both, the year left out;
4. a ``bar`` (``compare``'s log-scale range bar) takes what is left after that, if it is
   at least :data:`BAR_MIN`; anything left then widens the source and applies-to;
5. on a terminal too narrow even for step 1 with a few characters of source and
   applies-to, those two columns are left out (applies-to first), then the columns
   marked ``expendable`` (the boundary, then compare's low and high), never an id or a
   mid. Narrower still (about 45 columns for three quantities), Rich squeezes the table
   and cuts figures: the CLI allows 40.

The table has a rule under its header and another under its last row, and nothing
else: one line per row. Only Rich here; the cells are built by
:mod:`soracost.views.render`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from msgspec import Struct
from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod, RenderResult
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from soracost.core.records import AppliesTo, Source
from soracost.i18n import _
from soracost.views.text import shown

GAP = 2
"""Spaces between two columns."""

SOURCE_MIN = 10
"""The source column's width before the applies-to column may take the rest ("arXiv 2025")."""

APPLIES_MIN = 12
"""The applies-to column's width below which optional columns are left out."""

APPLIES_WIDE = 16
"""The applies-to column's width before the source's grows beyond :data:`SOURCE_MIN`
('WAN2.1-T2V-1.3B' with a mark)."""

SOURCE_WIDE = 16
"""The source column's width before both grow together."""

NARROWEST = 4
"""Below this, the source or applies-to column is left out rather than shown as 'a…'."""

BAR_MIN = 14
"""The narrowest range bar worth drawing (its header, '0.1 … 10,000', is 12)."""

BAR_MAX = 30

KEPT = 4
"""The fewest characters of a source's publisher (with the ellipsis) shown before its
year; in a narrower column the year is left out and the publisher cut short."""

BOUNDARY_SHORT: dict[str, str] = {
    "gpu": "GPU",
    "gpu+cpu+ram": "GPU+CPU+RAM",
    "server": "server",
    "facility": "facility",
    "unknown": "unknown",
}
"""A boundary in a word (the detailed table's labels say 'GPU only', 'whole server',
'facility (incl. PUE)')."""

SORA_PROXY = "≈"
"""Before a model standing in for Sora (a character the ASCII fallback keeps as one)."""

Role = Literal["fixed", "source", "applies", "optional"]

_GROWTH: tuple[tuple[Role, int], ...] = (
    ("applies", APPLIES_MIN),
    ("source", SOURCE_MIN),
    ("applies", APPLIES_WIDE),
    ("source", SOURCE_WIDE),
)
"""The order in which the flexible columns grow to a width, once each has a few characters."""


class Column(Struct):
    """A column of the compact table: its header (lines joined by newlines), its cells and
    how it gives way when the terminal is narrow (see the module docstring)."""

    header: Text
    cells: Sequence[Text]
    role: Role = "fixed"
    justify: JustifyMethod = "left"
    expendable: int = 0
    """For a ``fixed`` column: left out (highest first) on a terminal too narrow for the
    figures and ids even without the source and applies-to columns; 0: never."""
    tails: Sequence[str] = ()
    """For ``source``: text kept whole at the end of each cell when the cell is cut (or
    left out, if the column is too narrow for it and a little of the cell)."""
    words: bool = False
    """Cut a cell that does not fit after its last whole word that does (with the
    ellipsis), rather than anywhere: 'eGRID Summary Tables …', not 'eGRID Summary Tables
    2…'. Only a first word wider than the column is cut inside it."""

    def natural(self) -> int:
        """The width that shows every cell and the header whole."""
        # The widths of the plain strings: what each line's and each whole cell's Text
        # measures, without splitting the header or copying a cell into a Text.
        widths = [cell_len(line) for line in self.header.plain.split("\n")]
        widths += [cell_len(self._full_plain(position)) for position in range(len(self.cells))]
        return max(widths, default=0)

    def _full_plain(self, position: int) -> str:
        """The plain text of :meth:`_full` (the cell and its tail)."""
        plain = self.cells[position].plain
        if self.tails:
            # As Text.append of the tail: control codes stripped.
            return f"{plain}{strip_control_codes(f' {self.tails[position]}')}"
        return plain

    def _full(self, position: int) -> Text:
        cell = self.cells[position].copy()
        if self.tails:
            cell.append(f" {self.tails[position]}")
        return cell

    def piece(self, position: int, width: int, overflow: OverflowMethod) -> Piece:
        """:meth:`fitted` cut with ``overflow`` to ``width`` as :func:`_line` draws it, as a
        :data:`Piece`; without copying the cell where it fits whole (nearly always)."""
        cell = self.cells[position]
        plain = self._full_plain(position)
        length = cell_len(plain)
        if length <= width:
            return plain, length, cell.style, cell.spans
        return _piece(self.fitted(position, width), width, overflow)

    def fitted(self, position: int, width: int) -> Text:
        """A cell cut to ``width`` (with an ellipsis), its tail kept whole if it fits."""
        cell = self._full(position)
        if cell.cell_len <= width:
            return cell
        if self.tails:
            tail = f" {self.tails[position]}"
            if len(tail) + KEPT <= width:
                body = self._cut(self.cells[position].copy(), width - len(tail))
                body.append(tail)
                return body
            cell = self.cells[position].copy()
        return self._cut(cell, width)

    def _cut(self, cell: Text, width: int) -> Text:
        """``cell`` ellipsized to ``width``: after a whole word (:attr:`words`), or anywhere
        but inside a number ('EcoLogits 0.…' would misquote a version, a year, a size):
        such a cut moves back to the word before."""
        if self.words:
            return _cut_at_a_word(cell, width)
        cut = cell.copy()
        cut.truncate(width, overflow="ellipsis")
        if _INSIDE_A_NUMBER.search(cut.plain):
            return _cut_at_a_word(cell, width)
        return cut


_INSIDE_A_NUMBER = re.compile(r"\d[.,]?…$")
"""An ellipsis right after a digit (or a digit and its point): a number cut short."""


def _cut_at_a_word(cell: Text, width: int) -> Text:
    """``cell`` cut after the last whole word that leaves room for ' …' in ``width``
    (see :attr:`Column.words`)."""
    plain = cell.plain
    room = width - 2  # the space and the ellipsis
    ends = [m.start() for m in re.finditer(r"\s", plain) if cell_len(plain[: m.start()]) <= room]
    end = max(ends, default=0)
    if end == 0:  # a first word too long for the column: cut inside it
        cell.truncate(width, overflow="ellipsis")
        return cell
    kept = cell[:end]
    kept.rstrip()
    kept.append(" …")
    return kept


class Bar(Struct):
    """A column whose header and cells are drawn for the width it is given."""

    draw: Callable[[int], tuple[Text, list[Text]]]


class CompactTable:
    """One line per row, laid out for the terminal's width (see the module docstring)."""

    def __init__(self, columns: Sequence[Column], bar: Bar | None = None) -> None:
        self.columns, self.bar = list(columns), bar
        self.rows = len(columns[0].cells) if columns else 0
        self.sections: set[int] = set()
        """Rows after which a blank line starts a new section (the training share's)."""

    def layout(self, width: int) -> tuple[dict[int, int], Bar | None, int]:
        """The widths of the columns shown, by position in ``self.columns``, the bar (or
        ``None``) and its width, for a table at most ``width`` wide."""
        natural = {index: column.natural() for index, column in enumerate(self.columns)}
        by_role: dict[Role, list[int]] = {"fixed": [], "source": [], "applies": [], "optional": []}
        for index, column in enumerate(self.columns):
            by_role[column.role].append(index)
        flexible = by_role["source"] + by_role["applies"]

        def used(indexes: Sequence[int]) -> int:
            return sum(natural[index] for index in indexes) + GAP * max(0, len(indexes) - 1)

        def readable(index: int) -> int:
            least = SOURCE_MIN if self.columns[index].role == "source" else APPLIES_MIN
            return min(natural[index], least)

        fixed = by_role["fixed"]
        least = sum(readable(index) for index in flexible) + GAP * len(flexible)
        if by_role["optional"] and used(fixed + by_role["optional"]) + least <= width:
            fixed = sorted(fixed + by_role["optional"])
        # Leave out applies-to, then the source, while even a few characters of them do
        # not fit beside the fixed columns.
        kept = list(flexible)
        while kept and width - used(fixed) - GAP * len(kept) < sum(
            min(natural[index], NARROWEST) for index in kept
        ):
            applies = [index for index in kept if index in by_role["applies"]]
            kept.remove(applies[-1] if applies else kept[-1])
        # Then the expendable fixed columns, most expendable first (columns of one level
        # together), while the rest do not fit.
        levels = sorted({self.columns[index].expendable for index in fixed} - {0}, reverse=True)
        for level in levels:
            if used(fixed) <= width:
                break
            fixed = [index for index in fixed if self.columns[index].expendable != level]
        widths = {index: natural[index] for index in fixed}
        room = width - used(fixed) - GAP * len(kept)
        for index in kept:
            widths[index] = min(natural[index], NARROWEST)
        room -= sum(widths[index] for index in kept)
        # Each flexible column grows in turn to its target (applies-to first: a model's
        # size tells rows apart), then the bar takes its place, then the flexible
        # columns share what is left, the narrowest first.
        for role, target in _GROWTH:
            for index in (index for index in kept if index in by_role[role]):
                grow = min(max(0, min(natural[index], target) - widths[index]), room)
                widths[index] += grow
                room -= grow
        bar, bar_width = None, 0
        if self.bar is not None and room - GAP >= BAR_MIN:
            bar, bar_width = self.bar, min(BAR_MAX, room - GAP)
            room -= GAP + bar_width
        while room > 0:
            short = [index for index in kept if widths[index] < natural[index]]
            if not short:
                break
            widths[min(short, key=lambda index: widths[index])] += 1
            room -= 1
        return dict(sorted(widths.items())), bar, bar_width

    def table(self, width: int) -> Table:
        """The Rich table for ``width`` columns of terminal."""
        widths, bar, bar_width = self.layout(width)
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            padding=(0, GAP - 1, 0, 0),
            expand=False,
        )
        cells: list[list[Text]] = []
        headers = [self.columns[index].header for index in widths]
        bar_header, drawn = bar.draw(bar_width) if bar is not None else (Text(), [])
        if bar is not None:
            headers.append(bar_header)
        depth = max((_depth(header) for header in headers), default=1)
        for index, column_width in widths.items():
            column = self.columns[index]
            flexible = column.role in ("source", "applies")
            table.add_column(
                _lowered(column.header, depth),
                justify=column.justify,
                no_wrap=True,
                overflow="ellipsis" if flexible else "crop",
                width=column_width,
                min_width=column_width,
            )
            cells.append([column.fitted(row, column_width) for row in range(self.rows)])
        if bar is not None:
            header = _lowered(bar_header, depth)
            table.add_column(header, no_wrap=True, width=bar_width, min_width=bar_width)
            cells.append(drawn)
        for row in range(self.rows):
            table.add_row(*(column[row] for column in cells), end_section=row in self.sections)
        return table

    def lines(self, width: int) -> list[Text] | None:
        """The table for ``width`` columns of terminal as lines of text, exactly as
        :meth:`table` renders when every column gets the width :meth:`layout` gave it;
        ``None`` where it would not (the columns left are wider than ``width``: Rich then
        squeezes them).

        Why not always :meth:`table`: no cell of this table wraps, so Rich's measuring and
        wrapping of each cell (two thirds of the time ``clip --count 10`` spent printing,
        ~13 ms of ~19 on the shipped catalogue) only pads each cell to its width."""
        widths, bar, bar_width = self.layout(width)
        spans = [*widths.values(), *([bar_width] if bar is not None else [])]
        if sum(spans) + GAP * (len(spans) - 1) > width:
            return None
        right = [self.columns[index].justify == "right" for index in widths]
        overflow: list[OverflowMethod] = [
            "ellipsis" if self.columns[index].role in ("source", "applies") else "crop"
            for index in widths
        ]
        grid = [
            [self.columns[index].piece(row, column_width, cut) for row in range(self.rows)]
            for (index, column_width), cut in zip(widths.items(), overflow, strict=True)
        ]
        headers = [self.columns[index].header for index in widths]
        if bar is not None:
            bar_header, drawn = bar.draw(bar_width)
            headers.append(bar_header)
            grid.append([_piece(cell, bar_width, "ellipsis") for cell in drawn])
            right.append(False)
            overflow.append("ellipsis")
        depth = max((_depth(header) for header in headers), default=1)
        header_lines = [
            [_piece(line, column_width, cut) for line in _lowered(header, depth).split("\n")]
            for header, column_width, cut in zip(headers, spans, overflow, strict=True)
        ]
        out = [
            _line([column[line] for column in header_lines], spans, right, "table.header")
            for line in range(depth)
        ]
        rule_width = sum(spans) + GAP * (len(spans) - 1)
        out.append(Text("─" * rule_width))
        for row in range(self.rows):
            out.append(_line([column[row] for column in grid], spans, right))
            if row in self.sections and row < self.rows - 1:
                out.append(Text(" " * rule_width))
        out.append(Text("─" * rule_width))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain_box = box.SIMPLE_HEAD.substitute(options, safe=console.safe_box) is box.SIMPLE_HEAD
        lines = self.lines(options.max_width) if plain_box else None
        if lines is not None:
            for line in lines:
                yield from line.render(console)
                yield Segment.line()
            return
        rendered = console.render_lines(self.table(options.max_width), options, pad=False)
        width = max((Segment.get_line_length(line) for line in rendered), default=0)
        for segments in rendered:
            yield from segments
            yield Segment.line()
        yield Segment("─" * width)
        yield Segment.line()


Piece = tuple[str, int, "str | Style", list[Span]]
"""A cell as :func:`_line` draws it: its plain text, that text's width in cells, its own
style and its spans (Rich's ``Text.plain``, ``cell_len``, ``style`` and ``spans``)."""


def _piece(cell: Text, width: int, overflow: OverflowMethod) -> Piece:
    """``cell`` cut to ``width`` with ``overflow`` (as Rich's ``Text.truncate``), as a
    :data:`Piece`; copied only when it must be cut."""
    plain = cell.plain
    length = cell_len(plain)
    if length > width:
        cell = cell.copy()
        cell.truncate(width, overflow=overflow)
        plain = cell.plain
        length = cell_len(plain)
    return plain, length, cell.style, cell.spans


def _line(
    cells: Sequence[Piece], widths: Sequence[int], right: Sequence[bool], style: str = ""
) -> Text:
    """One line of the table as Rich's table draws it: each cell (already cut to its
    column's width) padded to it in the cell's own style (on the left where the column
    is right-justified), then one space of padding in the row's ``style`` (none after the
    last column), then one unstyled space between columns.

    The same text and spans, in the same order, as appending to a Text each cell padded
    in a Text of the row's style (what this did before), built from strings: a Text
    and a few copies fewer per cell."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    last = len(cells) - 1
    for position, ((plain, length, own, inner), width) in enumerate(
        zip(cells, widths, strict=True)
    ):
        room = width - length
        shift = 0
        if right[position]:
            padded, shift = " " * room + plain, room
        else:
            padded = plain + " " * room
        size = len(padded)
        piece = size + 1 if position < last else size  # with the row's padding
        if style and piece:
            spans.append(Span(offset, offset + piece, style))
        if size:
            if own:
                spans.append(Span(offset, offset + size, own))
            start = offset + shift
            spans.extend(Span(start + begin, start + end, how) for begin, end, how in inner)
        parts.append(padded)
        if position < last:
            parts.append("  ")
            offset += piece + 1
    return Text("".join(parts), spans=spans)


def _lowered(header: Text, depth: int) -> Text:
    """``header`` with blank lines above it, ``depth`` lines in all: headers sit on the rule."""
    lines = _depth(header)
    return Text("\n" * (depth - lines)) + header if lines < depth else header


def _depth(header: Text) -> int:
    """How many lines Rich's ``Text.split`` of ``header`` at newlines gives (a last newline
    starts none), counted without splitting it."""
    plain = header.plain
    return plain.count("\n") + (0 if plain.endswith("\n") else 1)


def source_cell(source: Source) -> tuple[Text, str]:
    """The publisher, short (what comes before a bracket: 'arXiv'), and the year."""
    publisher = re.split(r" \(", shown(source.publisher), maxsplit=1)[0].strip()
    date = shown(source.date or "")
    year = date[:4] if date[:4].isdigit() else date or _("n.d.")
    return Text(publisher or shown(source.publisher)), year


def model_cell(applies: AppliesTo) -> Text:
    """The model, short (before a bracket or a comma), after a mark if it stands in for
    Sora."""
    model = shown(applies.model)
    short = re.split(r" \(|, ", model, maxsplit=1)[0].strip() or model
    text = Text()
    if applies.sora_proxy:
        text.append(SORA_PROXY, style="yellow")
    text.append(short)
    return text
