"""The answer in CSV: the columns after the row's own, on every ``clip`` and ``compare``
row, carry the answer for the row's quantity, exactly JSON's ``answer`` object, and whether
the row fed it.

The CSV stays one header and one line per estimate and quantity, so that a spreadsheet or
``pandas.read_csv`` reads it with nothing to skip.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.views.export import ANSWER_COLUMNS, ANSWER_FIGURES, ROW_COLUMNS

from .conftest import MINI

COMMANDS = {
    "clip-batch": ["clip", "--count", "1000", "--site", "arizona", "--model", "sora"],
    "clip-carbon": [
        "clip",
        "--count",
        "7",
        "--carbon",
        "--duration",
        "10",
        "--resolution",
        "1080p",
    ],
    "clip-max-scale": ["clip", "--max-scale", "50", "--duration", "10", "--resolution", "720p"],
    "compare-count": ["compare", "--count", "10"],
    "compare-water": ["compare", "-q", "water", "--site", "ireland", "--water-unit", "L"],
    "compare-montecarlo": ["compare", "--method", "montecarlo", "--samples", "300", "--seed", "3"],
    "clip-mini": ["clip", "--count", "3", "--sources", str(MINI)],
}


def exported(runner: CliRunner, args: list[str]) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The CSV's rows (checked to be one rectangular table) and the JSON's answer."""
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert (as_csv.exit_code, as_json.exit_code) == (0, 0), as_csv.output + as_json.output
    records = list(csv.reader(io.StringIO(as_csv.stdout)))
    header = records[0]
    assert all(len(record) == len(header) for record in records)  # nothing to skip
    assert header[: len(ROW_COLUMNS)] == list(ROW_COLUMNS)  # earlier columns where they were
    answer_columns = header[len(ROW_COLUMNS) : len(ROW_COLUMNS) + len(ANSWER_COLUMNS)]
    assert answer_columns == list(ANSWER_COLUMNS)  # the options' columns stay last
    return [dict(zip(header, record, strict=True)) for record in records[1:]], json.loads(
        as_json.stdout
    )["answer"]


def number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_the_csv_answer_is_the_json_answer_exactly(runner: CliRunner, args: list[str]) -> None:
    rows, answers = exported(runner, args)
    assert rows and {row["quantity"] for row in rows} == set(answers)
    for row in rows:
        answer = answers[row["quantity"]]
        assert row["unit"] == answer["unit"]
        for figure in ANSWER_FIGURES:  # full precision: the same float, not a rounding
            assert number(row[f"answer_{figure}"]) == answer["per_clip"][figure]
            assert number(row[f"answer_batch_{figure}"]) == answer["batch"][figure]
        assert int(row["answer_count"]) == answer["count"]
        assert float(row["answer_max_scale"]) == answer["max_scale"]
        assert int(row["answer_fed_count"]) == len(answer["fed"])
        assert int(row["answer_left_out_count"]) == len(answer["left_out"])
        left_out = {item["estimate_id"]: item for item in answer["left_out"]}
        estimate_id = row["estimate_id"]
        if row["answer_fed"] == "true":
            assert estimate_id in answer["fed"] and estimate_id not in left_out
            assert row["answer_left_out"] == row["answer_left_out_detail"] == ""
        else:
            assert row["answer_fed"] == "false" and estimate_id not in answer["fed"]
            assert row["answer_left_out"] == left_out[estimate_id]["reason"]
            assert row["answer_left_out_detail"] == left_out[estimate_id]["detail"]
    for quantity, answer in answers.items():  # every row the answer names is in the CSV
        named = set(answer["fed"]) | {item["estimate_id"] for item in answer["left_out"]}
        assert named == {row["estimate_id"] for row in rows if row["quantity"] == quantity}


def test_a_compare_batch_is_in_the_answer_columns_while_rows_stay_per_clip(
    runner: CliRunner,
) -> None:
    rows, answers = exported(runner, ["compare", "--count", "10"])
    p50 = answers["energy"]["per_clip"]["p50"]
    assert {row["count"] for row in rows} == {"1"} and {row["answer_count"] for row in rows} == {
        "10"
    }
    assert {number(row["answer_batch_p50"]) for row in rows} == {p50 * 10}


def test_the_mini_answer_cells_are_pinned(runner: CliRunner) -> None:
    """Exact cells for the small fixture: two rows left out (shown at another boundary,
    the file having no PUE), the water row alone feeding its answer."""
    rows, _ = exported(runner, COMMANDS["clip-mini"])
    cells = [[row[column] for column in ANSWER_COLUMNS] for row in rows]
    assert cells == [
        ["false", "other-boundary", "at another boundary (gpu+cpu+ram): not like for like",
         "3", *[""] * 10, "3.0", "0", "2"],
        ["false", "other-boundary", "at another boundary (gpu): not like for like",
         "3", *[""] * 10, "3.0", "0", "2"],
        ["true", "", "", "3", "250.0", "250.0000000001881", "500.0", "1000.0", "1000.0",
         "750.0", "750.0000000005643", "1500.0", "3000.0", "3000.0", "3.0", "1", "0"],
    ]  # fmt: skip


def test_the_answer_columns_read_as_numbers(runner: CliRunner, tmp_path: Path) -> None:
    """Every figure cell is a number or empty (what a spreadsheet and pandas read as a
    float column); the export to a file is the same text as to a pipe."""
    args = ["clip", "--count", "1000", "--site", "arizona"]
    target = tmp_path / "clip.csv"
    written = runner.invoke(app, [*args, "-f", "csv", "-o", str(target)])
    assert written.exit_code == 0, written.output
    piped = runner.invoke(app, [*args, "-f", "csv"]).stdout
    assert target.read_text(encoding="utf-8") == piped
    figures = [c for c in ANSWER_COLUMNS if c.split("_")[-1] in ANSWER_FIGURES]
    assert len(figures) == 10
    for row in csv.DictReader(io.StringIO(piped)):
        for column in figures:
            assert row[column] == "" or float(row[column]) >= 0
