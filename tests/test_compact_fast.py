"""The compact tables' fast printing path builds each line from strings and spans
(``compact._line``). It must give exactly what it replaces: the same Text (plain text,
spans in the same order, style) as padding and appending Rich Texts cell by cell. The
lines are compared with a copy of the Text-appending code they replace, on every compact command at
several widths and on small tables made to hit each edge (cut cells, wide characters,
multi-line and too-wide headers, styled cells, sections)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from rich.console import OverflowMethod
from rich.style import Style
from rich.text import Text
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.views import compact

COMMANDS = {
    "clip": ["clip", "--count", "10", "--carbon"],
    "clip-embodied": ["clip", "--embodied", "--site", "arizona"],
    "clip-training": [
        *("clip", "--training-energy", "gpt4-training", "--lifetime-clips", "1000000000"),
    ],
    "compare": ["compare"],
    "compare-water": ["compare", "-q", "water", "--count", "1000"],
    "sources": ["sources"],
}
WIDTHS = [40, 64, 100, 160]


def _old_line(
    cells: Sequence[Text],
    widths: Sequence[int],
    justify: Sequence[str],
    overflow: Sequence[OverflowMethod],
    style: str = "",
) -> Text:
    """A line as compact._line built it before it worked on strings (copied unchanged)."""
    line = Text()
    last = len(cells) - 1
    for position, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        padded = cell.copy()
        padded.truncate(width, overflow=overflow[position])
        room = width - padded.cell_len
        if justify[position] == "right":
            padded.pad_left(room)
        else:
            padded.pad_right(room)
        piece = Text(style=style)
        piece.append(padded)
        if position < last:
            piece.append(" ")
            line.append(piece)
            line.append(" ")
        else:
            line.append(piece)
    return line


def _old_lines(table: compact.CompactTable, width: int) -> list[Text] | None:
    """CompactTable.lines as it was before, with Text copies per cell (copied unchanged)."""
    widths, bar, bar_width = table.layout(width)
    spans = [*widths.values(), *([bar_width] if bar is not None else [])]
    if sum(spans) + compact.GAP * (len(spans) - 1) > width:
        return None
    justify = [table.columns[index].justify for index in widths]
    overflow: list[OverflowMethod] = [
        "ellipsis" if table.columns[index].role in ("source", "applies") else "crop"
        for index in widths
    ]
    grid = [
        [table.columns[index].fitted(row, column_width) for row in range(table.rows)]
        for index, column_width in widths.items()
    ]
    headers = [table.columns[index].header for index in widths]
    if bar is not None:
        bar_header, drawn = bar.draw(bar_width)
        headers.append(bar_header)
        grid.append(drawn)
        justify.append("left")
        overflow.append("ellipsis")
    depth = max((len(header.split("\n")) for header in headers), default=1)
    header_lines = [compact._lowered(header, depth).split("\n") for header in headers]
    out = [
        _old_line(
            [column[line] for column in header_lines], spans, justify, overflow, "table.header"
        )
        for line in range(depth)
    ]
    rule_width = sum(spans) + compact.GAP * (len(spans) - 1)
    out.append(Text("─" * rule_width))
    for row in range(table.rows):
        out.append(_old_line([column[row] for column in grid], spans, justify, overflow))
        if row in table.sections and row < table.rows - 1:
            out.append(Text(" " * rule_width))
    out.append(Text("─" * rule_width))
    return out


def _old_natural(column: compact.Column) -> int:
    """Column.natural as it was before, measuring Texts (copied unchanged)."""
    widths = [line.cell_len for line in column.header.split("\n")]
    widths += [column._full(position).cell_len for position in range(len(column.cells))]
    return max(widths, default=0)


def _same_lines(new: list[Text] | None, old: list[Text] | None) -> bool:
    """Whether there were lines to compare (not where Rich squeezes the table)."""
    assert (new is None) == (old is None)
    if new is None or old is None:
        return False
    assert [line.plain for line in new] == [line.plain for line in old]
    assert [line.spans for line in new] == [line.spans for line in old]
    assert [line.style for line in new] == [line.style for line in old]
    return True


def _tables(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> list[compact.CompactTable]:
    """The compact tables a command prints (recorded as they are printed)."""
    seen: list[compact.CompactTable] = []
    lines = compact.CompactTable.lines

    def recording(self: compact.CompactTable, width: int) -> list[Text] | None:
        seen.append(self)
        return lines(self, width)

    monkeypatch.setattr(compact.CompactTable, "lines", recording)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(compact.CompactTable, "lines", lines)
    assert seen
    return seen


@pytest.mark.parametrize(("name", "args"), COMMANDS.items(), ids=COMMANDS.keys())
def test_the_lines_are_those_of_the_rich_texts_they_replace(
    monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]
) -> None:
    compared = 0
    for table in _tables(monkeypatch, args):
        for column in table.columns:
            assert column.natural() == _old_natural(column)
        for width in WIDTHS:
            new = table.lines(width)
            if _same_lines(new, _old_lines(table, width)):
                assert new is not None
                compared += 1
    assert compared >= len(WIDTHS) - 1


def _edgy_table() -> compact.CompactTable:
    """A small table with each case the fast path must draw as the Text path did."""
    styled = Text("bold", style="bold")
    styled.append("~", style="yellow")
    styled.append("12,345")
    styled.append("?", style=Style(italic=True))
    empty_styled = Text(style="dim")
    wide = Text("東京大学の測定 2024 A100", style="cyan")
    columns = [
        compact.Column(Text("ID"), [Text("a-id", style="bold"), Text("b"), Text("c-id")]),
        compact.Column(
            Text("Source"),
            [Text("Some Publisher (Journal)"), Text("東京大学"), Text("EcoLogits 0.9.1")],
            role="source",
            tails=["2024", "n.d.", ""],
        ),
        compact.Column(
            Text("Applies to the very long header"),
            [wide, Text("WAN2.1-T2V-1.3B"), Text("")],
            role="applies",
            words=True,
        ),
        compact.Column(Text("Energy\nWh\n"), [styled, empty_styled, Text("1")], justify="right"),
        compact.Column(
            Text("low–high"),
            [Text("1–2", style="dim"), Text(""), Text("0.1–1,000,000", style="dim")],
            role="optional",
            justify="right",
        ),
        compact.Column(
            Text("Boundary"),
            [Text("GPU"), Text("server ≠"), Text("facility")],
            expendable=1,
        ),
    ]

    def bar(width: int) -> tuple[Text, list[Text]]:
        header = Text("log scale\n0.1 … 10,000")
        return header, [Text("├──●──┤" * width, style="cyan"), Text(""), Text("●")]

    table = compact.CompactTable(columns, compact.Bar(bar))
    table.sections = {1}
    return table


@pytest.mark.parametrize("width", [10, 24, 30, 40, 52, 64, 80, 100, 140, 220])
def test_edge_cells_give_the_same_lines(width: int) -> None:
    table = _edgy_table()
    for column in table.columns:
        assert column.natural() == _old_natural(column)
    new = table.lines(width)
    if not _same_lines(new, _old_lines(table, width)):
        assert width <= 24  # squeezed by Rich: only on the narrowest
        return
    assert new is not None


def test_a_cell_cut_with_its_tail_keeps_it() -> None:
    """The fast path still cuts what does not fit, through Column.fitted."""
    column = compact.Column(Text("S"), [Text("Lawrence Berkeley")], role="source", tails=["2024"])
    plain, length, style, spans = column.piece(0, 12, "ellipsis")
    assert (plain, length, style, spans) == ("Lawren… 2024", 12, "", [])
