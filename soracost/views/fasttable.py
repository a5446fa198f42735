"""A Rich table that lays out plain Text cells in one pass.

Rich's ``Table`` renders each cell through its general machinery (Padding, render_lines,
word-wrapping into Text objects, segment splitting and cropping): about 0.2 ms a cell. A
``clip`` table over a large catalogue has tens of thousands of cells, so printing it took
most of the command's time. ``FastTable`` is a ``rich.table.Table`` that measures and
renders cells that are ``Text``, markup strings or its own :class:`Cell` with plain
string operations, making the same decisions Rich makes: the same words wrapped at the
same places (Rich's own ``divide_line``), the same justification, folding, cropping and
ellipsis, the same borders, and the same style on every character. Anything outside that
subset is handed to Rich's own code unchanged: other renderables; characters that are
not exactly one cell wide (wide, zero-width, control, emoji with selectors), tabs;
spans outside their text; row styles, sections, footers, "full" justification, fixed
column widths, very narrow columns. tests/test_fasttable.py compares the two character
by character, styles included, on generated tables.

Segments are merged where neighbouring characters share a style. When the console
writes no styles at all (no colour system, as for a pipe or a file, and not recording),
each line is a single segment without a style.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table
from rich.text import Span, Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod, RenderResult

_TRAILING_SPACE = re.compile(r"\s+$")  # Text.rstrip_end's own pattern
_SUPPORTED_JUSTIFY = frozenset({"default", "left", "center", "right"})
_SUPPORTED_OVERFLOW = frozenset({"fold", "crop", "ellipsis"})
_JUSTIFY_OR_NONE = frozenset({None, *_SUPPORTED_JUSTIFY})
_OVERFLOW_OR_NONE = frozenset({None, *_SUPPORTED_OVERFLOW})
_CELL_PADDING = (0, 1, 0, 1)  # Rich's default: one space either side


class _Cell(NamedTuple):
    """One cell's text and how Rich would treat it (a tuple: there are tens of thousands)."""

    plain: str
    text_style: str | Style
    source: Text | Cell  # whose spans to draw (asked for only when styles are written)
    justify: str | None
    overflow: str | None
    no_wrap: bool | None
    minimum: int  # the longest word, in cells
    maximum: int  # the longest line, in cells
    lines: list[str]  # the text's lines (split at line breaks)

    @property
    def spans(self) -> tuple[Span, ...]:
        return tuple(self.source.spans)  # Span is a (start, end, style) tuple


def _cell_of(text: Text) -> _Cell | None:
    """The cell, or None when Rich's own code must render it."""
    if text.end != "\n":
        return None
    return _cell(text.plain, text.style, text, text.justify, text.overflow, text.no_wrap)


def _cell(
    plain: str,
    style: str | Style,
    source: Text | Cell,
    justify: JustifyMethod | None,
    overflow: OverflowMethod | None,
    no_wrap: bool | None,
) -> _Cell | None:
    if (
        justify not in _JUSTIFY_OR_NONE
        or overflow not in _OVERFLOW_OR_NONE
        or not _one_cell_each(plain)
    ):
        return None  # odd settings or characters: Rich's own code handles them
    lines = plain.split("\n")  # the only line break left
    maximum = max(map(len, lines))
    words = plain.split()
    minimum = max(map(len, words)) if words else maximum
    return _Cell(plain, style, source, justify, overflow, no_wrap, minimum, maximum, lines)


def _one_cell_each(plain: str) -> bool:
    """Whether every character but line breaks is exactly one terminal cell wide, so that
    lengths and slices of the text are widths and slices of what is shown (no tabs, no
    wide, zero-width or control characters)."""
    global _NOT_YET_SEEN
    while (found := _NOT_YET_SEEN.search(plain)) is not None:
        character = found.group()
        if cell_len(character) != 1:
            return False
        _ONE_CELL_CHARACTERS.append(character)
        _NOT_YET_SEEN = _not_seen_pattern()
    return True


def _not_seen_pattern() -> re.Pattern[str]:
    """Any character but a line break, printable ASCII and those found one cell wide."""
    known = "".join(_ONE_CELL_CHARACTERS)
    return re.compile(f"[^\\n\\x20-\\x7e{re.escape(known)}]")


# Characters found one cell wide so far (a character's width does not change within a
# run), and a pattern for any other: most cells are then checked with one search. A
# table's cells use a few dozen distinct characters, so the pattern is remade rarely.
_ONE_CELL_CHARACTERS: list[str] = []
_NOT_YET_SEEN = _not_seen_pattern()


class Cell:
    """Styled text for a table cell, made without a rich ``Text``: its plain text, its own
    style and its spans, as ``Text(plain, style, overflow=..., spans=...)`` would hold
    them. A FastTable lays it out directly; anywhere else Rich renders it as that Text.
    (A big table has tens of thousands of cells: skipping Text's construction counts.)
    A Cell whose text has control codes is left to Rich, which strips them as Text does.
    """

    __slots__ = ("_pieces", "_spans", "overflow", "plain", "style")

    def __init__(
        self,
        plain: str,
        style: str = "",
        overflow: OverflowMethod | None = None,
        spans: tuple[Span, ...] = (),
    ) -> None:
        self.plain, self.style, self.overflow = plain, style, overflow
        self._spans: tuple[Span, ...] | None = spans
        self._pieces: list[tuple[str, str]] = []

    @classmethod
    def joined(
        cls, pieces: list[tuple[str, str]], style: str = "", overflow: OverflowMethod | None = None
    ) -> Cell:
        """``(text, style)`` pieces joined as ``Text.append`` would join them, control
        codes removed. Their spans are worked out only if asked for: a table written
        without styles (to a pipe or a file) never needs them."""
        plain = "".join([text for text, _ in pieces])
        if _CONTROL_CODES.search(plain):  # as Text.append: each piece sanitised
            pieces = [(strip_control_codes(text), piece_style) for text, piece_style in pieces]
            plain = "".join([text for text, _ in pieces])
        cell = cls(plain, style, overflow)
        cell._spans, cell._pieces = None, pieces
        return cell

    @property
    def spans(self) -> tuple[Span, ...]:
        if self._spans is None:
            spans, offset = [], 0
            for text, style in self._pieces:
                if style and text:
                    spans.append(Span(offset, offset + len(text), style))
                offset += len(text)
            self._spans = tuple(spans)
        return self._spans

    def __rich__(self) -> Text:
        return Text(self.plain, self.style, overflow=self.overflow, spans=list(self.spans))


# What rich.control.strip_control_codes removes (bell, backspace, vertical tab, form feed,
# carriage return); searching for them is far cheaper than translating every piece.
_CONTROL_CODES = re.compile("[\x07\x08\x0b\x0c\x0d]")


def _normalized(minimum: int, maximum: int) -> tuple[int, int]:
    """``Measurement.normalize``."""
    minimum = min(max(0, minimum), maximum)
    return max(0, minimum), max(0, max(minimum, maximum))


def _padded_measure(widths: tuple[int, int], max_width: int, extra: int) -> tuple[int, int]:
    """``Measurement.get`` of ``Padding(text)`` at ``max_width``, from the text's longest
    word and longest line (``widths``): the text measured within ``max_width`` less the
    padding, the padding added back, and the whole clamped to ``max_width``, each step
    normalised as Rich does."""
    if max_width < 1:
        return 0, 0
    if max_width - extra < 1:
        minimum, maximum = max_width, max_width
    else:
        inner = max_width - extra
        minimum, maximum = _normalized(*widths)
        minimum, maximum = min(minimum, inner), min(maximum, inner)
        if maximum < 1:
            minimum, maximum = 0, 0
        else:
            minimum, maximum = _normalized(minimum, maximum)
        minimum, maximum = min(minimum + extra, max_width), min(maximum + extra, max_width)
    minimum, maximum = _normalized(minimum, maximum)
    minimum, maximum = min(minimum, max_width), min(maximum, max_width)
    if maximum < 1:
        return 0, 0
    return _normalized(minimum, maximum)


_Line = tuple[int, int, int, bool, int, int]
"""One rendered line of a cell: ``before`` spaces inside the text's style, the characters
``plain[start:end]`` (the last replaced by '…' if ``ellipsis``), ``after`` spaces inside
the text's style and ``outside`` spaces in the cell's style only. A plain tuple: a big
table has tens of thousands."""


def _wrap(
    hard_lines: list[str], width: int, justify: str, overflow: str, no_wrap: bool
) -> list[_Line]:
    """The lines ``Text.wrap`` would make at ``width`` cells of a text made of
    ``hard_lines`` (all characters are one cell wide here, so lengths and cell lengths
    agree); offsets count from the start of the first."""
    lines: list[_Line] = []
    line_start = 0
    fold = overflow == "fold"
    for hard_line in hard_lines:
        length = len(hard_line)
        if no_wrap or length <= width:
            lines.append(_justified(hard_line, line_start, 0, length, width, justify, overflow))
        else:
            offsets = [0, *divide_line(hard_line, width, fold=fold), length]
            for start, end in pairwise(offsets):
                excess = end - start - width
                if excess > 0:  # Text.rstrip_end: trailing spaces beyond the width
                    trailing = _TRAILING_SPACE.search(hard_line, start, end)
                    if trailing is not None:
                        end -= min(len(trailing.group(0)), excess)
                lines.append(
                    _justified(hard_line, line_start, start, end, width, justify, overflow)
                )
        line_start += length + 1
    return lines


def _simple_wrap(line: str, width: int) -> list[str] | None:
    """``line`` wrapped at ``width`` as Rich's ``divide_line`` would, for the common case
    its rules reduce to: words separated by single spaces, none longer than ``width``
    (then each line is the greedy run of words that fits). None otherwise. Each line
    comes without the space after its last word: Rich keeps it only where it fits, as
    one more space of the same (plain) padding."""
    words = line.split(" ")
    if "" in words or len(words) != len(line.split()) or max(map(len, words)) > width:
        return None  # a space at either end, two in a row, other whitespace, a long word
    lines: list[str] = []
    first = 0
    used = -1  # the cells taken on this line, counting the space before each word
    for index, word in enumerate(words):
        used += len(word) + 1
        if used > width:
            lines.append(" ".join(words[first:index]))
            first, used = index, len(word)
    lines.append(" ".join(words[first:]))
    return lines


def _padded(piece: str, width: int, justify: str) -> str:
    """A line that fits in ``width``, justified and padded, one space either side, as
    ``_justified`` places it (without styles, left and default look the same)."""
    if justify == "left" or justify == "default":
        return " " + piece + " " * (width - len(piece) + 1)
    piece = piece.rstrip()  # right, center: trailing spaces go first
    spare = width - len(piece)
    before = spare if justify == "right" else spare // 2
    return " " * (before + 1) + piece + " " * (spare - before + 1)


def _justified(
    hard_line: str, offset: int, start: int, end: int, width: int, justify: str, overflow: str
) -> _Line:
    """``Lines.justify`` then ``Text.truncate`` of ``hard_line[start:end]``, a line that
    begins at ``offset`` in the cell."""
    if justify == "left":
        length = end - start  # truncate(pad=True) pads by the length before cropping
        after = width - length if length < width else 0
    elif justify != "default":  # right, center: trailing spaces go first
        end = start + len(hard_line[start:end].rstrip())
    ellipsis = False
    if end - start > width:
        ellipsis = overflow == "ellipsis"
        end = start + width
    if justify == "left":
        return (0, offset + start, offset + end, ellipsis, after, 0)
    spare = width - (end - start)
    if justify == "default":  # no justification: padded outside the text
        return (0, offset + start, offset + end, ellipsis, 0, spare)
    before = spare if justify == "right" else spare // 2
    return (before, offset + start, offset + end, ellipsis, spare - before, 0)


class _Styler:
    """The style of each run of a cell's characters, as Rich's Text.render and Padding
    give it: the cell's style, then the text's own style, then its spans in order."""

    def __init__(self, console: Console, cell: _Cell, cell_style: Style) -> None:
        get, null = console.get_style, Style.null()
        self.cell_style = cell_style
        base = [get(cell.text_style, default=null)] if cell.text_style else []
        self.line_style = cell_style + Style.combine([null, *base])
        spans = [(start, end, get(style, default=null)) for start, end, style in cell.spans]
        bounds = sorted({0, len(cell.plain), *(b for start, end, _ in spans for b in (start, end))})
        self.bounds = bounds
        self.styles = [
            cell_style
            + Style.combine([null, *base, *(style for s, e, style in spans if s <= low < e)])
            for low in bounds[:-1]
        ]

    def runs(self, start: int, end: int, text: str) -> list[tuple[str, Style]]:
        """``text`` (the characters ``start:end`` of the cell) cut where the style changes."""
        pieces: list[tuple[str, Style]] = []
        index = bisect_right(self.bounds, start) - 1
        position = start
        while position < end:
            stop = min(end, self.bounds[index + 1])
            pieces.append((text[position - start : stop - start], self.styles[index]))
            position = stop
            index += 1
        return pieces


class FastTable(Table):
    """``rich.table.Table``, measured and rendered in one pass when its cells allow."""

    # The cells of the render in progress, with the console and markup setting they were
    # read for. Rich's Table calls _measure_column and _render on the instance, so they
    # live here; a render by another console (or markup setting) meanwhile finds them
    # not its own and leaves the work to Rich.
    _fast: tuple[Console, bool | None, list[list[_Cell]]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cells = self._collect(console, options)
        fast = (console, options.markup, cells) if cells is not None else None
        self._fast = fast
        try:
            yield from super().__rich_console__(console, options)
        finally:
            if self._fast is fast:
                self._fast = None

    def _cells_for(self, console: Console, options: ConsoleOptions) -> list[list[_Cell]] | None:
        """The cells collected for this console's render, or None (Rich does the work)."""
        fast = self._fast
        if fast is None or fast[0] is not console or fast[1] != options.markup:
            return None
        return fast[2]

    def _collect(self, console: Console, options: ConsoleOptions) -> list[list[_Cell]] | None:
        """Each column's cells (header first), or None when Rich must do the work."""
        if (
            self.show_footer
            or self.row_styles
            or self.leading
            or self.collapse_padding
            or not self.pad_edge
            or tuple(self.padding) != _CELL_PADDING
            or any(row.style is not None or row.end_section for row in self.rows)
        ):
            return None
        columns: list[list[_Cell]] = []
        for position, column in enumerate(self.columns):
            if (
                column._index != position  # a Column appended by hand: Rich's own code
                or column.highlight
                or column.width is not None
                or column.justify not in _SUPPORTED_JUSTIFY
                or column.overflow not in _SUPPORTED_OVERFLOW
                or column.vertical != "top"
            ):
                return None
            cells: list[_Cell] = []
            renderables = [column.header, *column.cells] if self.show_header else column.cells
            for renderable in renderables:
                if isinstance(renderable, str):  # as Rich does: markup, no highlighting
                    renderable = console.render_str(
                        renderable, markup=options.markup, highlight=False
                    )
                if type(renderable) is Cell:
                    cell = _cell(
                        renderable.plain,
                        renderable.style,
                        renderable,
                        None,
                        renderable.overflow,
                        None,
                    )
                else:
                    cell = _cell_of(renderable) if type(renderable) is Text else None
                if cell is None:
                    return None
                cells.append(cell)
            columns.append(cells)
        return columns

    def _measure_column(
        self, console: Console, options: ConsoleOptions, column: Column
    ) -> Measurement:
        cells = self._cells_for(console, options)
        if cells is None:
            return super()._measure_column(console, options, column)
        max_width = options.max_width
        if max_width < 1:
            return Measurement(0, 0)
        padding_width = self._get_padding_width(column._index)
        # Cells share few distinct (longest word, longest line) pairs: measure each once.
        distinct = {(cell.minimum, cell.maximum) for cell in cells[column._index]}
        measures = [_padded_measure(widths, max_width, padding_width) for widths in distinct]
        measurement = Measurement(
            max(minimum for minimum, _ in measures) if measures else 1,
            max(maximum for _, maximum in measures) if measures else max_width,
        ).with_maximum(max_width)
        return measurement.clamp(
            None if column.min_width is None else column.min_width + padding_width,
            None if column.max_width is None else column.max_width + padding_width,
        )

    def _render(self, console: Console, options: ConsoleOptions, widths: list[int]) -> RenderResult:
        cells = self._cells_for(console, options)
        if (
            cells is None
            or any(width < 3 for width in widths)  # no room inside the padding
            or (_styled(console) and not all(map(_spans_inside, chain.from_iterable(cells))))
        ):
            yield from super()._render(console, options, widths)
            return
        yield from _Renderer(self, console, options, widths, cells).segments()


def _styled(console: Console) -> bool:
    """Whether the console writes styles (else Rich drops them, and spans do not matter)."""
    return console.color_system is not None or console.record


def _spans_inside(cell: _Cell) -> bool:
    """Whether every span lies within the text: Rich lets one that runs past the end
    style the padding after it, a case left to Rich's own code."""
    length = len(cell.plain)
    return all(0 <= start <= end <= length for start, end, _ in cell.spans)


class _Renderer:
    """Draws a FastTable as Table._render does: borders, then each row's cells line by line.

    Cells are rendered as lists of lines; a line is a string (no colour system: Rich would
    write no style at all, so each table line becomes one plain segment) or a list of
    (text, style) pieces, merged into one segment per run of a style."""

    def __init__(
        self,
        table: FastTable,
        console: Console,
        options: ConsoleOptions,
        widths: list[int],
        columns: list[list[_Cell]],
    ) -> None:
        self.table, self.console, self.widths, self.columns = table, console, widths, columns
        get = console.get_style
        self.border_style = get(table.style or "") + get(table.border_style or "")
        safe = table.safe_box if table.safe_box is not None else console.safe_box
        box = table.box.substitute(options, safe=safe) if table.box else None
        self.box = box.get_plain_headed_box() if box and not table.show_header else box
        self.plain = not _styled(console)

    def segments(self) -> Iterator[Segment]:
        table, box, border, widths = self.table, self.box, self.border_style, self.widths
        edge = table.show_edge
        new_line = Segment.line()
        get = self.console.get_style
        header_style = get(table.header_style or "")
        body_styles = [get(column.style or "") for column in table.columns]
        header_styles = [header_style + get(column.header_style) for column in table.columns]
        if box and edge:
            yield Segment(box.get_top(widths), border)
            yield new_line
        head_row = box.get_row(widths, "head", edge=edge) if box else ""
        body_row = box.get_row(widths, "row", edge=edge) if box else ""
        # As Rich's zip of the columns: a column added after some rows ends the table there.
        row_count = min(map(len, self.columns)) if self.columns else 0
        render_cell = self._plain_cell if self.plain else self._styled_cell
        for index in range(row_count):
            header = table.show_header and index == 0
            last = index == row_count - 1
            styles = header_styles if header else body_styles
            # A cell's lines are strings (plain) or lists of (text, style) pieces (styled).
            cells: list[list[Any]] = [
                render_cell(column[index], width, style, table_column)
                for column, width, style, table_column in zip(
                    self.columns, widths, styles, table.columns, strict=True
                )
            ]
            height = max(len(lines) for lines in cells)
            for number, lines in enumerate(cells):
                if len(lines) < height:  # a header aligns to the bottom, other rows to the top
                    blank = " " * widths[number]
                    extra = [blank if self.plain else [(blank, styles[number])]]
                    extra *= height - len(lines)
                    cells[number] = extra + lines if header else lines + extra
            left = right = divider = ""
            if box:
                if index == 0:
                    left, right, divider = box.head_left, box.head_right, box.head_vertical
                elif last:
                    left, right, divider = box.foot_left, box.foot_right, box.foot_vertical
                else:
                    left, right, divider = box.mid_left, box.mid_right, box.mid_vertical
                if not edge:
                    left = right = ""
            separator = ""
            if box and header:
                separator = head_row
            elif box and table.show_lines and not last:
                separator = body_row
            if self.plain:  # the row's lines and the rule under it, in one segment
                rows = zip(*cells, strict=True)  # every cell is ``height`` lines by now
                block = [left + divider.join(parts) + right + "\n" for parts in rows]
                if separator:
                    block.append(separator + "\n")
                yield Segment("".join(block))
                continue
            for line_number in range(height):
                yield from self._merged(
                    [(left, border)],
                    [lines[line_number] for lines in cells],
                    (divider, border),
                    [(right, border)],
                )
                yield new_line
            if separator:
                yield Segment(separator, border)
                yield new_line
        if box and edge:
            yield Segment(box.get_bottom(widths), border)
            yield new_line

    @staticmethod
    def _merged(
        left: list[tuple[str, Style]],
        cells: list[list[tuple[str, Style]]],
        divider: tuple[str, Style],
        right: list[tuple[str, Style]],
    ) -> list[Segment]:
        """One line's pieces, one segment per run of a style."""
        pieces = list(left)
        for number, cell in enumerate(cells):
            if number:
                pieces.append(divider)
            pieces += cell
        pieces += right
        merged: list[Segment] = []
        run_text, run_style = "", Style.null()
        for text, style in pieces:
            if not text:
                continue
            if style == run_style and run_text:
                run_text += text
                continue
            if run_text:
                merged.append(Segment(run_text, run_style))
            run_text, run_style = text, style
        if run_text:
            merged.append(Segment(run_text, run_style))
        return merged

    @staticmethod
    def _settings(cell: _Cell, column: Column) -> tuple[str, str, bool]:
        """The cell's justify, overflow and no_wrap: its own, else its column's."""
        justify = cell.justify or column.justify or "default"
        overflow = cell.overflow or column.overflow or "fold"
        no_wrap = cell.no_wrap if cell.no_wrap is not None else bool(column.no_wrap)
        return justify, overflow, no_wrap

    def _layout(self, cell: _Cell, width: int, column: Column) -> list[_Line]:
        justify, overflow, no_wrap = self._settings(cell, column)
        return _wrap(cell.lines, width - 2, justify, overflow, no_wrap)  # a space either side

    def _plain_cell(self, cell: _Cell, width: int, _style: Style, column: Column) -> list[str]:
        """The cell's lines, each ``width`` characters wide (one space either side)."""
        justify, overflow, no_wrap = self._settings(cell, column)
        inner = width - 2
        lines: list[str] = []
        for hard_line in cell.lines:
            if len(hard_line) <= inner:
                lines.append(_padded(hard_line, inner, justify))
            elif not no_wrap and (pieces := _simple_wrap(hard_line, inner)) is not None:
                lines += [_padded(piece, inner, justify) for piece in pieces]
            else:  # a long word, odd spacing, or no wrapping: the general way
                for before, start, end, ellipsis, after, outside in _wrap(
                    [hard_line], inner, justify, overflow, no_wrap
                ):
                    text = hard_line[start:end] if not ellipsis else hard_line[start : end - 1]
                    text += "…" if ellipsis else ""
                    lines.append(" " * (1 + before) + text + " " * (after + outside + 1))
        return lines

    def _styled_cell(
        self, cell: _Cell, width: int, cell_style: Style, column: Column
    ) -> list[list[tuple[str, Style]]]:
        """The cell's lines, each ``width`` cells wide, as (text, style) pieces."""
        styler = _Styler(self.console, cell, cell_style)
        plain, line_style = cell.plain, styler.line_style
        lines = []
        for before, start, end, ellipsis, after, outside in self._layout(cell, width, column):
            text = plain[start:end] if not ellipsis else plain[start : end - 1] + "…"
            pieces = [(" ", cell_style), (" " * before, line_style)]
            pieces += styler.runs(start, end, text)
            pieces += [(" " * after, line_style), (" " * (outside + 1), cell_style)]
            lines.append(pieces)
        return lines
