"""The compact tables of ``clip`` and ``compare`` read at any width.

On the shipped catalogue, at 80, 100 and 120 columns: every line fits the terminal; the
table (between the rule under its header and the rule under its last row) has one line
per estimate, in the order of the JSON rows, each opening with the estimate's id; and no
token is broken: each row holds its id, its source's year, its model (whole, or cut
short with an ellipsis, never carried to the next line) and its figures whole, and no
date anywhere in the output is cut. The wide table (``--wide``) fails these checks.
"""

from __future__ import annotations

import importlib.util
import json
import re
from typing import Any

import pytest
from rich.text import Text
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.views.display import format_number

COMMANDS = {
    "clip": ["clip"],
    "clip-batch": ["clip", "--count", "1000", "--site", "arizona"],
    "compare": ["compare"],
    "compare-water": ["compare", "-q", "water"],
    "clip-carbon": ["clip", "--carbon"],
}
if importlib.util.find_spec("ecologits") is not None:  # the extra: its rows and their line
    COMMANDS["compare-ecologits"] = [
        *("compare", "--ecologits", "openai/sora-2-pro", "-d", "10", "-r", "720p"),
    ]
WIDTHS = [80, 100, 120]

# Something that starts like a date: whole only as YYYY-MM or YYYY-MM-DD.
DATE_LIKE = re.compile(r"(?<![\w.])\d{4}-[\d-]*")
WHOLE_DATE = re.compile(r"\d{4}-\d\d(?:-\d\d)?")
CASES = ("low", "mid", "high")
CUT_NUMBER = re.compile(r"(?<![\w.-])\d[\d,.]*…")  # a number (or year) ellipsized
NO_TABLE = "no table with a rule under its header and under its last row"


def output(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def table_rows(lines: list[str]) -> list[str] | None:
    """The lines between the rule under the header and the rule under the last row."""
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"─"}]
    if len(rules) < 2:
        return None
    return lines[rules[0] + 1 : rules[1]]


def whole(token: str, line: str) -> bool:
    """``token`` in ``line`` with nothing of the same kind glued to either side."""
    return re.search(rf"(?<![\w.,]){re.escape(token)}(?![\w.,])", line) is not None


def short_model(model: str) -> str:
    return re.split(r" \(|, ", model, maxsplit=1)[0].strip()


def shown_whole_or_cut(name: str, line: str) -> bool:
    """The name whole, or its beginning and an ellipsis: never broken over two lines."""
    return name in line or any(f"{name[:end]}…" in line for end in range(1, len(name)))


def broken_dates(lines: list[str]) -> list[str]:
    return [
        token
        for line in lines
        for token in DATE_LIKE.findall(line)
        if not WHOLE_DATE.fullmatch(token)
    ]


def problems(
    text: str, width: int, rows: list[dict[str, Any]], by_id: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """What is wrong with a compact table printed as ``text`` (empty: nothing). ``rows``
    are the JSON's, one per estimate in table order; ``by_id`` every figure of each."""
    lines = text.splitlines()
    found = [f"too wide: {line!r}" for line in lines if Text(line).cell_len > width]
    found += [f"broken date: {token!r}" for token in broken_dates(lines)]
    table = table_rows(lines)
    if table is None:
        return [*found, NO_TABLE]
    if len(table) != len(rows):
        found.append(f"{len(table)} table lines for {len(rows)} estimates")
    compare = any(line.split()[-3:] == ["Low", "Mid", "High"] for line in lines if line.strip())
    ranges = any("low–high" in line for line in lines)
    for line, row in zip(table, rows, strict=False):
        estimate_id = row["estimate_id"]
        if line.split(" ", 1)[0] != estimate_id:
            found.append(f"{estimate_id!r} is not whole at the start of {line!r}")
        year = (row["source"]["date"] or "")[:4]
        if year in line and not whole(year, line):  # or left out, in a narrow column
            found.append(f"year {year} is not whole in {line!r}")
        found += [f"{cut!r} cut short in {line!r}" for cut in CUT_NUMBER.findall(line)]
        if not shown_whole_or_cut(short_model(row["applies_to"]["model"]), line):
            found.append(f"model {row['applies_to']['model']!r} is broken in {line!r}")
        for figure in by_id[estimate_id]:
            low, mid, high = (format_number(figure["per_clip"][case]) for case in CASES)
            numbers = [mid]
            if compare:
                numbers += [low, high]
            elif ranges and low != high:
                numbers.append(f"{low}–{high}")
            found += [f"{n} is not whole in {line!r}" for n in numbers if not whole(n, line)]
    return found


def rows_and_figures(
    runner: CliRunner, args: list[str]
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The JSON's rows: the first of each estimate, in table order, and all of each."""
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in json.loads(result.stdout)["rows"]:
        by_id.setdefault(row["estimate_id"], []).append(row)
    return [figures[0] for figures in by_id.values()], by_id


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_the_compact_table_fits_with_one_whole_line_per_estimate(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int
) -> None:
    rows, by_id = rows_and_figures(runner, args)
    text = output(runner, monkeypatch, args, width)
    assert problems(text, width, rows, by_id) == []


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_the_wide_table_fails_the_same_checks(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """The checks bite: at 80 columns the detailed table spreads each estimate over many
    lines and breaks dates and model names mid-way."""
    rows, by_id = rows_and_figures(runner, args)
    text = output(runner, monkeypatch, [*args, "--wide"], 80)
    found = problems(text, 80, rows, by_id)
    assert NO_TABLE in found
    lines = text.splitlines()
    models = {short_model(row["applies_to"]["model"]) for row in rows}
    broken_models = [model for model in models if not any(model in line for line in lines)]
    assert broken_models or broken_dates(lines)  # WAN2.1-T2V-1.3 / B, 2025-09- / 23


def test_the_readme_command_fits_a_screen(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's first command, at 80 columns: one line per estimate and a screenful
    besides (the answer, headers, notes), not several lines per estimate."""
    rows, _ = rows_and_figures(runner, ["clip", "--count", "10"])
    compact = output(runner, monkeypatch, ["clip", "--count", "10"], 80).splitlines()
    wide = output(runner, monkeypatch, ["clip", "--count", "10", "--wide"], 80).splitlines()
    assert len(compact) - len(rows) <= 24 and len(wide) >= 5 * len(rows)
    assert not broken_dates(compact) and broken_dates(wide)


def source_problems(text: str, width: int, sources: list[dict[str, Any]]) -> list[str]:
    """What is wrong with ``soracost sources`` printed as ``text`` (empty: nothing):
    ``sources`` are the JSON's, in listing order."""
    lines = text.splitlines()
    found = [f"too wide: {line!r}" for line in lines if Text(line).cell_len > width]
    found += [f"broken date: {token!r}" for token in broken_dates(lines)]
    table = table_rows(lines)
    if table is None:
        return [*found, NO_TABLE]
    if len(table) != len(sources):
        found.append(f"{len(table)} table lines for {len(sources)} sources")
    confidence = any(line.split()[-2:] == ["Confidence", "Covers"] for line in lines)
    for line, source in zip(table, sources, strict=False):
        if line.split(" ", 1)[0] != source["id"]:
            found.append(f"{source['id']!r} is not whole at the start of {line!r}")
        tokens = [source["date"] or "n.d.", f"{len(source['estimates']):,}"]
        tokens += [source["confidence"]] if confidence else []  # left out below ~90 columns
        found += [
            f"{token!r} is not whole in {line!r}" for token in tokens if not whole(token, line)
        ]
        if not line.rstrip().endswith(f" {len(source['estimates']):,}"):
            found.append(f"the count of what {source['id']!r} covers does not end {line!r}")
        found += [f"{cut!r} cut short in {line!r}" for cut in CUT_NUMBER.findall(line)]
        publisher, title = re.split(r"\s{2,}", line.strip())[1:3]
        found += [
            f"{name!r} is broken in {line!r}"
            for name, cell in ((source["publisher"], publisher), (source["title"], title))
            if name and not cut_at_a_word(name, cell)
        ]
    return found


def cut_at_a_word(name: str, cell: str) -> bool:
    """The cell shows ``name`` whole, or its beginning up to a whole word and ' …'."""
    if cell == name:
        return True
    kept = cell.removesuffix(" …")
    return kept != cell and name.startswith(kept) and name[len(kept)] == " "


@pytest.mark.parametrize("width", WIDTHS)
def test_sources_fit_one_whole_line_per_source(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    listed = runner.invoke(app, ["sources", "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    sources = json.loads(listed.stdout)["sources"]
    text = output(runner, monkeypatch, ["sources"], width)
    assert source_problems(text, width, sources) == []
    # and the detailed listing, behind --wide, fails the same checks
    wide = output(runner, monkeypatch, ["sources", "--wide"], width)
    assert NO_TABLE in source_problems(wide, width, sources)


@pytest.mark.parametrize(
    ("text", "width", "words", "cut"),
    [
        ("eGRID Summary Tables 2022", 23, True, "eGRID Summary Tables …"),
        ("eGRID Summary Tables 2022", 24, True, "eGRID Summary Tables …"),
        ("GitHub (companion repository)", 12, True, "GitHub …"),
        ("Lawrence", 5, True, "Lawr…"),  # a first word wider than the column
        ("MIT Technology Review", 12, False, "MIT Technol…"),  # a name may be cut
        ("EcoLogits 0.11.3", 13, False, "EcoLogits …"),  # a version may not
        ("Tables 2022 edition", 10, False, "Tables …"),
    ],
)
def test_a_cell_is_cut_after_a_whole_word_or_at_least_not_inside_a_number(
    text: str, width: int, words: bool, cut: str
) -> None:
    from soracost.views.compact import Column

    column = Column(Text("header"), [Text(text)], role="source", words=words)
    assert column.fitted(0, width).plain == cut
    assert Text(cut).cell_len <= width
