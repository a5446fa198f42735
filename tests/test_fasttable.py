"""FastTable must look exactly like rich.table.Table: same characters, same style on each
(without colour, the same bytes).

Tables are generated (hypothesis) with the features soracost's views use and some they do
not (each of those must fall back to Rich's own code), then rendered by both classes at
several widths, with and without a colour system.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from soracost.views.fasttable import Cell, FastTable

WORDS = st.sampled_from(
    [
        "a",
        "Wh",
        "1,234",
        "0.0802",
        "GPU+CPU+RAM",
        "→",
        "facility",
        "(incl.",
        "PUE)",
        "WAN2.1-T2V-1.3B",
        "AnimateDiff-Lightning",
        "x" * 30,
        "–",
        "",
        " ",
        "  ",
        "中文",  # wide
        "ne\u0301e",  # a combining accent (zero width)
        "x❤️y",  # an emoji with a variation selector
        "⚠️ab",
        "a\u2028b",  # a line separator Rich's measure splits on
    ]
)
STYLES = st.sampled_from(["", "bold", "dim", "cyan", "dim italic", "bold blue", "red on white"])


@st.composite
def texts(draw: st.DrawFn) -> Text | str:
    """A cell: Text built of styled pieces and line breaks, or a markup string."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["", "plain", "[bold]mid[/bold] x", "a\nb", "[dim]1 – 2"]))
    text = Text(
        style=draw(STYLES),
        justify=draw(st.sampled_from([None, None, "left", "right", "center", "default"])),
        overflow=draw(st.sampled_from([None, None, "fold", "crop", "ellipsis"])),
        no_wrap=draw(st.sampled_from([None, None, True, False])),
    )
    for _ in range(draw(st.integers(0, 6))):
        piece = " ".join(draw(st.lists(WORDS, max_size=4)))
        text.append(piece, style=draw(STYLES))
        if draw(st.booleans()):
            text.append("\n")
    return text


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    """The arguments of a table: columns, rows, options."""
    column_count = draw(st.integers(1, 6))
    columns = [
        {
            "header": draw(st.sampled_from(["Source", "Energy per clip\nWh", "", "[b]Mid", "x"])),
            "justify": draw(st.sampled_from(["left", "right", "center"])),
            "overflow": draw(st.sampled_from(["fold", "ellipsis", "crop"])),
            "no_wrap": draw(st.booleans()),
            "style": draw(STYLES),
            "min_width": draw(st.sampled_from([None, None, 5, 12])),
            "max_width": draw(st.sampled_from([None, None, None, 8])),
        }
        for _ in range(column_count)
    ]
    rows = draw(st.lists(st.lists(texts(), min_size=column_count, max_size=column_count)))
    return {
        "columns": columns,
        "rows": rows,
        "show_lines": draw(st.booleans()),
        "show_header": draw(st.booleans()),
        "show_edge": draw(st.booleans()),
        "title": draw(st.sampled_from([None, "Title\nsubtitle"])),
        "caption": draw(st.sampled_from([None, "each cell: [bold]mid[/bold]"])),
        "header_style": draw(st.sampled_from([None, "bold magenta"])),
        "border_style": draw(st.sampled_from([None, "dim"])),
        "as_cells": draw(st.booleans()),
    }


def build(cls: type[Table], spec: dict[str, Any]) -> Table:
    options = {key: spec[key] for key in ("show_lines", "show_header", "show_edge", "title")}
    table = cls(caption=spec["caption"], **options)
    if spec["header_style"]:
        table.header_style = spec["header_style"]
    if spec["border_style"]:
        table.border_style = spec["border_style"]
    for column in spec["columns"]:
        table.add_column(**column)
    for row in spec["rows"]:
        table.add_row(*[as_cell(cell, spec.get("as_cells", False)) for cell in row])
    return table


def as_cell(cell: Text | str, as_cells: bool) -> Text | Cell | str:
    """A copy of ``cell``, or (``as_cells``) the same text as a soracost Cell: Rich's Table
    renders that through its ``__rich__`` Text, FastTable lays it out directly."""
    if not isinstance(cell, Text):
        return cell
    if as_cells and cell.justify is None and cell.no_wrap is None:
        return Cell(cell.plain, str(cell.style), cell.overflow, tuple(cell.spans))
    return cell.copy()


def characters(table: Table, width: int, color: bool) -> list[tuple[str, Style | None]]:
    """Each character of the rendered table with its style (None: unstyled)."""
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
    )
    segments = Segment.split_and_crop_lines(console.render(table), width, pad=False)
    out: list[tuple[str, Style | None]] = []
    for line in segments:
        for segment in line:
            style = segment.style if segment.style else None
            out.extend((character, style) for character in segment.text)
        out.append(("\n", None))
    return out


def printed(table: Table, width: int, color: bool) -> str:
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
    )
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=tables(), width=st.sampled_from([20, 40, 80, 120, 200]))
def test_same_characters_and_styles_as_rich(spec: dict[str, Any], width: int) -> None:
    rich_table, fast_table = build(Table, spec), build(FastTable, spec)
    assert printed(fast_table, width, False) == printed(rich_table, width, False)
    assert characters(fast_table, width, True) == characters(rich_table, width, True)


@pytest.mark.parametrize("width", [30, 80, 120])
def test_a_realistic_table_is_identical(width: int) -> None:
    spec: dict[str, Any] = {
        "columns": [
            {"header": "Source"},
            {"header": "Energy per clip\nWh", "justify": "right", "overflow": "fold"},
        ],
        "rows": [
            [
                Text.assemble(("[1] ", "bold"), "arXiv (Hugging Face)", ("\n2025-09-23", "dim")),
                Text.assemble(("111", "bold"), "\n", ("105 – 118", "dim")),
            ],
            [Text("none", style="dim italic"), Text("1,111,111,111,111", style="bold")],
        ],
        "show_lines": True,
        "show_header": True,
        "show_edge": True,
        "title": "Electricity for 10 AI video clips",
        "caption": "each cell: [bold]mid[/bold]",
        "header_style": None,
        "border_style": None,
    }
    assert printed(build(FastTable, spec), width, False) == printed(
        build(Table, spec), width, False
    )
    # With colour, runs of one style are merged into one escape sequence: the bytes differ
    # from Rich's, what a terminal shows does not.
    rich_characters = characters(build(Table, spec), width, True)
    assert characters(build(FastTable, spec), width, True) == rich_characters


def test_other_renderables_fall_back_to_rich() -> None:
    """A cell Rich must render itself (here a nested table) leaves the work to Rich."""
    inner = Table()
    inner.add_column("x")
    inner.add_row("1")
    tables = []
    for cls in (Table, FastTable):
        table = cls()
        table.add_column("a")
        table.add_row(inner)
        tables.append(table)
    assert printed(tables[1], 40, False) == printed(tables[0], 40, False)


def test_without_colour_each_line_is_one_segment() -> None:
    """The speed-up that makes big tables cheap: no per-style segments off a terminal."""
    table = FastTable()
    table.add_column("a")
    table.add_row(Text.assemble(("bold", "bold"), " and ", ("dim", "dim")))
    console = Console(file=io.StringIO(), width=40, color_system=None)
    segments = console.render(table)
    lines = list(Segment.split_and_crop_lines(segments, 40, pad=False, include_new_lines=False))
    assert lines and all(len(line) == 1 for line in lines if line)


def shipped_views() -> dict[str, Any]:
    """soracost's views of the shipped catalogue, built on whatever ``render.FastTable`` is."""
    from soracost.core.equivalents import parse_any_amount
    from soracost.core.reports import Scenario, clip_results, compare_results
    from soracost.core.units import QUANTITIES
    from soracost.data.catalog import default_sources_path, load_catalog
    from soracost.views import render

    catalog = load_catalog(default_sources_path())
    clip = Scenario(count=10, quantities=QUANTITIES, equivalents=True, site="arizona")
    sampled = Scenario(count=3, method="montecarlo", samples=200, seed=7)
    energy = compare_results(catalog, Scenario(), "energy")
    return {
        "clip": render.clip_view(catalog, clip_results(catalog, clip), clip),
        "montecarlo": render.clip_view(catalog, clip_results(catalog, sampled), sampled),
        "compare": render.compare_view(energy, "energy", Scenario(), None, catalog),
        "sources": render.sources_view(catalog),
        "sites": render.sites_view(catalog),
        "equivalents": render.equivalents_view(catalog, [parse_any_amount("90 Wh")]),
    }


def test_soracost_views_look_as_with_rich_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table soracost prints, on the shipped data, at a narrow and a wide width."""
    from soracost.views import render

    fast = shipped_views()
    monkeypatch.setattr(render, "FastTable", Table)
    slow = shipped_views()
    for name in fast:
        for width in (80, 120):
            assert printed(fast[name], width, False) == printed(slow[name], width, False), name
            assert characters(fast[name], width, True) == characters(slow[name], width, True)


def both(build_table: Any, width: int = 40) -> None:
    """``build_table(cls)`` printed by Rich's Table and by FastTable: the same, plain and
    per character in colour."""
    rich_table, fast_table = build_table(Table), build_table(FastTable)
    assert printed(fast_table, width, False) == printed(rich_table, width, False)
    rich_table, fast_table = build_table(Table), build_table(FastTable)
    assert characters(fast_table, width, True) == characters(rich_table, width, True)


def test_a_column_added_after_the_rows_ends_the_table_as_rich_does() -> None:
    def table(cls: type[Table]) -> Table:
        made = cls()
        made.add_column("a")
        made.add_row("x")
        made.add_column("b")  # no cells: Rich shows the header and drops the row
        return made

    both(table)


def test_a_column_appended_by_hand_is_measured_as_rich_does() -> None:
    from rich.table import Column

    def table(cls: type[Table]) -> Table:
        made = cls()
        made.add_column("a")
        made.columns.append(Column(header="a much longer header"))  # its _index stays 0
        made.add_row("x", "y")
        return made

    both(table)


@pytest.mark.parametrize(
    ("cell", "column", "width"),
    [
        ("中\nne\u0301e", {}, 40),  # a wide and a zero-width character: widths cancel out
        ("x❤️yz", {"max_width": 2, "overflow": "crop"}, 40),
        (Text("⚠️ab", justify="right"), {}, 6),
        (Text("ab", spans=[Span(0, 5, "on red")]), {"justify": "left"}, 40),  # past the end
        (Text("ab", spans=[Span(0, 5, "on red")]), {"justify": "center"}, 40),
    ],
)
def test_cells_only_rich_can_lay_out_are_left_to_rich(
    cell: Text | str, column: dict[str, Any], width: int
) -> None:
    def table(cls: type[Table]) -> Table:
        made = cls()
        made.add_column("header-wide", **column)
        made.add_row(cell.copy() if isinstance(cell, Text) else cell)
        return made

    both(table, width)


def test_renders_interleaved_by_two_consoles_each_get_their_own_layout() -> None:
    table = FastTable(title="a title: rendered before the rows")
    table.add_column("a")
    table.add_row("[b]bold[/b]")
    plain = Console(file=io.StringIO(), width=30, color_system=None)
    no_markup = Console(file=io.StringIO(), width=30, color_system=None, markup=False)
    first, second = plain.render(table), no_markup.render(table)
    next(first)
    started = next(second)  # the second render begins while the first is paused
    rest = "".join(segment.text for segment in first)
    assert "bold" in rest and "[b]" not in rest
    assert "[b]bold[/b]" in started.text + "".join(segment.text for segment in second)
