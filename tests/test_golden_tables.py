"""Tables for people, pinned exactly: column order, units in headers, markers and legend.

The expected files in tests/data/golden were read and checked by hand. After a deliberate
change to a table, regenerate them with ``SORACOST_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden_tables.py``, read the diff, and commit it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from soracost.cli.app import app

from .conftest import DATA, MINI
from .helpers import past_the_edge

GOLDEN = DATA / "golden"
# The detailed tables (--wide, at 120 columns) and the compact ones (the default for clip,
# compare and sources; at 80, sources at 120).
TABLES = {
    "clip-3.txt": ["clip", "--count", "3", "--wide"],
    "clip-kwh-l.txt": ["clip", "--energy-unit", "kWh", "--water-unit", "L", "--wide"],
    "compare-energy.txt": ["compare", "--wide"],
    "compare-water.txt": ["compare", "--quantity", "water", "--wide"],
    "sources.txt": ["sources"],
    "sources-wide.txt": ["sources", "--wide"],
    "clip-compact-80.txt": ["clip", "--count", "3"],
    "compare-compact-80.txt": ["compare"],
}
WIDTHS = {"clip-compact-80.txt": 80, "compare-compact-80.txt": 80}


@pytest.mark.parametrize(("name", "args"), TABLES.items(), ids=TABLES.keys())
def test_table_matches_its_golden_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTHS.get(name, 120)))
    result = runner.invoke(app, [*args, "--sources", str(MINI)])
    assert result.exit_code == 0, result.stderr
    # The sources file's path differs between machines; everything else must not.
    text = result.stdout.replace(str(MINI), "MINI")
    expected: Path = GOLDEN / name
    if os.environ.get("SORACOST_UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


# Every view that prints a boxed table, on the shipped catalogue (footnotes, equivalents,
# Monte Carlo, sites and sources included), where the golden files above use the mini one.
# The compact tables of clip and compare, which have no box, are tests/test_widths.py's.
SHIPPED_TABLES = {
    "clip": ["clip", "--count", "10", "--carbon", "--equivalents", "--site", "arizona", "--wide"],
    "montecarlo": [
        *("clip", "-n", "3", "--method", "montecarlo", "--samples", "200", "--seed", "7"),
        "--wide",
    ],
    "compare": ["compare", "--wide"],
    "equivalents": ["equivalents", "--of", "90 Wh"],
}
# The default box (HEAVY_HEAD): each table line's first character and the one it must end in.
RIGHT_EDGE = {"┏": "┓", "┃": "┃", "┡": "┩", "│": "│", "├": "┤", "└": "┘"}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", SHIPPED_TABLES.values(), ids=SHIPPED_TABLES.keys())
def test_tables_fit_the_terminal_without_cropping(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int
) -> None:
    """Columns shrink and wrap to the terminal's width: no line is wider than it, and every
    table line ends in the table's right border (a line cut at the edge would not)."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    table_lines = [line for line in lines if line[:1] in RIGHT_EDGE]
    assert table_lines
    for line in lines:
        assert not past_the_edge(line, width), line
    for line in table_lines:
        assert line.endswith(RIGHT_EDGE[line[0]]), line


@pytest.mark.parametrize(
    "more", [(), ("--count", "1000000000", "--carbon"), ("--training-energy", "gpt4-training",
    "--lifetime-clips", "1000000000")], ids=["plain", "a billion clips", "training"],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_compact_equivalents_keep_every_id_and_number_whole(
    width: int, lang: str, more: tuple[str, ...]
) -> None:
    """``clip --equivalents`` (compact): one line per figure in each equivalents table,
    the id whole at its start and a number in every column (none cut), columns that do
    not fit moved to a table underneath; no line wider than the terminal."""
    from .test_french import run

    done = run("--lang", lang, "clip", "--count", "10", "--equivalents", *more, columns=width)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for line in lines:
        assert not past_the_edge(line, width), line
    listed = run("clip", "--count", "10", "--format", "json", columns=width)
    ids = [row["estimate_id"] for row in json.loads(listed.stdout)["rows"]]
    number = re.compile(r"^(\S+)((?:\s+[\d.,\u202fe+-]+)+)$")
    figures = [number.match(line) for line in lines]
    seen = [match.group(1) for match in figures if match and match.group(1) in ids]
    assert set(seen) == set(ids)
    for match in figures:
        if match and match.group(1) in ids:
            assert all(
                re.fullmatch(r"[\d.,\u202f]+(?:e[+-]\d+)?", value)
                for value in match.group(2).split()
            ), match.group(0)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("listing", ["sources", "sites"])
def test_the_detailed_listings_fit_the_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int, listing: str
) -> None:
    """``sources --wide`` and ``sites --wide`` are one block per record (no table): no
    line is wider than the terminal but for a URL, whole on a line of its own, and every
    record's block starts with its id, whole, on a line of its own."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, [listing, "--wide"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    for line in lines:
        assert not past_the_edge(line, width), line
    listed = runner.invoke(app, [listing, "--format", "json"])
    ids = [record["id"] for record in json.loads(listed.stdout)[listing]]
    blocks = [lines[at + 1] for at, line in enumerate(lines[:-1]) if not line.strip()]
    heads = [block.split(" ")[0] for block in blocks if block and not block.startswith(" ")]
    assert [head for head in heads if head in ids] == ids


def test_titles_and_captions_keep_their_styles_in_a_colour_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titles and captions are Text (never read as markup), styled as Rich styles them."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = runner.invoke(app, ["clip", "--count", "3", "--wide", "--sources", str(MINI)])
    lines = result.stdout.splitlines()[2:]  # after the answer's two lines
    assert lines[0].startswith("\x1b[3m") and "Electricity and water for 3" in lines[0]
    assert lines[1].startswith("\x1b[3m") and "clip: each source's own clip" in lines[1]
    assert "each cell: \x1b[0m\x1b[1;2;3mmid\x1b[0m\x1b[2;3m, with low" in result.stdout


@pytest.mark.parametrize(("name", "args"), TABLES.items(), ids=TABLES.keys())
def test_a_table_to_an_ascii_stdout_keeps_its_columns(
    monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]
) -> None:
    """On a stdout that cannot encode them, the table's own characters (box, –, ×, ●)
    become one ASCII character each: every line as wide as in UTF-8."""
    monkeypatch.setenv("COLUMNS", str(WIDTHS.get(name, 120)))
    command = [*args, "--sources", str(MINI)]
    utf8 = CliRunner().invoke(app, command)
    ascii_only = CliRunner(charset="ascii").invoke(app, command)
    assert (utf8.exit_code, ascii_only.exit_code) == (0, 0), ascii_only.output
    assert ascii_only.stdout_bytes.isascii()
    widths = [Text(line).cell_len for line in utf8.stdout.splitlines()]
    assert [len(line) for line in ascii_only.stdout.splitlines()] == widths


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_equivalents_listing_never_cuts_a_number(width: int) -> None:
    """The longest amount per unit (a city's electricity per day, 15 billion Wh) whole on
    one line, in English and with French's no-break spaces."""
    from .test_french import run

    english = run("equivalents", columns=width).stdout
    french = run("--lang", "fr", "equivalents", columns=width).stdout
    for line in (english + french).splitlines():
        assert not past_the_edge(line, width), line
    assert "15,454,232,564" in english
    assert "15\u202f454\u202f232\u202f564" in french
    assert not re.search(r"\d…", english + french)


def test_compact_equivalents_keys_go_on_past_z() -> None:
    from soracost.views.equivalents_view import _column_key

    assert [_column_key(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
