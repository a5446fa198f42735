"""The compact tables print their lines directly (``CompactTable.lines``) wherever every
column gets its width; that must be exactly what Rich's table prints for them
(``CompactTable.table``): the same characters with the same styles, on every command
that has a compact table, at widths from the narrowest the CLI allows to very wide.
"""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.views import compact

COMMANDS = {
    "clip": ["clip", "--count", "10", "--carbon"],
    "clip-training": [
        *("clip", "--training-energy", "gpt4-training", "--lifetime-clips", "1000000000"),
    ],
    "clip-embodied": ["clip", "--embodied", "--site", "arizona"],
    "compare": ["compare"],
    "compare-water": ["compare", "-q", "water", "--count", "1000"],
    "sources": ["sources"],
    "sites": ["sites"],
}
WIDTHS = [40, 52, 64, 80, 100, 120, 160, 220]


def styled(output: str) -> list[list[tuple[str, str]]]:
    """Each line of a colour output as its characters, each with its style."""
    console = Console(width=10_000, color_system="truecolor", force_terminal=True)
    lines = []
    for line in output.splitlines():
        segments = Text.from_ansi(line).render(console)
        lines.append([(char, str(segment.style)) for segment in segments for char in segment.text])
    return lines


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "args"), COMMANDS.items(), ids=COMMANDS.keys())
def test_the_lines_are_what_richs_table_prints(
    monkeypatch: pytest.MonkeyPatch, name: str, args: list[str], width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")
    direct = CliRunner().invoke(app, args)
    monkeypatch.setattr(compact.CompactTable, "lines", lambda self, width: None)
    through_rich = CliRunner().invoke(app, args)
    assert (direct.exit_code, through_rich.exit_code) == (0, 0), direct.output
    assert styled(direct.stdout) == styled(through_rich.stdout)
    assert Text.from_ansi(direct.stdout).plain == Text.from_ansi(through_rich.stdout).plain


def test_the_lines_give_way_to_rich_where_a_column_would_be_squeezed() -> None:
    """Where even the ids and mids do not fit, Rich squeezes the table: no direct lines."""
    column = compact.Column(Text("ID"), [Text("a-rather-long-id")])
    table = compact.CompactTable([column, compact.Column(Text("Wh"), [Text("1,000")])])
    assert table.lines(10) is None
    assert table.lines(40) is not None
