"""A figure of a service that has closed says so wherever it is shown (review M2, part 3).

``applies_to.closed: {date, what, source}`` in a data file is read into
:class:`~soracost.core.records.Closure`; the compact and wide ``clip`` and ``compare``
tables add one line for it when such a row is shown, and JSON and CSV rows carry it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.errors import DataError
from soracost.core.records import Closure
from soracost.data.catalog import parse_catalog

from .conftest import MINI

MODEL_B = "      model: Model B\n      sora_proxy: false\n"
CLOSED = (
    "      model: Model B\n      sora_proxy: false\n"
    "      closed: {date: 2026-09-24, what: the Model B API, source: paper}\n"
)
LINE = (
    "Closed: the Model B API shut down on 2026-09-24 (source: paper); model-b is a figure for a "
    "service that no longer runs."
)


def mini_text(applies_to_lines: str = CLOSED) -> str:
    text = MINI.read_text("utf-8")
    assert text.count(MODEL_B) == 1
    return text.replace(MODEL_B, applies_to_lines)


@pytest.fixture
def closed_mini(tmp_path: Path) -> Path:
    path = tmp_path / "closed.yaml"
    path.write_text(mini_text(), "utf-8")
    return path


def test_the_closing_is_read_from_the_data_file() -> None:
    catalog = parse_catalog(mini_text(), "mini.yaml")
    by_id = {estimate.id: estimate for estimate in catalog.estimates}
    assert by_id["model-b"].applies_to.closed == Closure("2026-09-24", "the Model B API", "paper")
    assert by_id["model-a"].applies_to.closed is None  # absent: the service runs


@pytest.mark.parametrize(
    ("closed", "message"),
    [
        ("{date: 2026-09-24, what: it, source: nobody}", "no source has id 'nobody'"),
        ("{date: 24 September, what: it, source: paper}", "expected a date"),
        ("{what: it, source: paper}", "say when the service closed"),
        ("{date: 2026-09-24, source: paper}", "what"),
        ("{date: 2026-09-24, what: it, source: paper, why: money}", "why"),
        ("yes", "expected a mapping"),
    ],
)
def test_a_bad_closing_is_one_clear_error(closed: str, message: str) -> None:
    lines = f"      model: Model B\n      sora_proxy: false\n      closed: {closed}\n"
    with pytest.raises(DataError, match=message) as raised:
        parse_catalog(mini_text(lines), "mini.yaml")
    assert "closed" in str(raised.value)


@pytest.mark.parametrize(
    "args",
    [
        ["clip"],
        ["clip", "--wide"],
        ["compare"],
        ["compare", "--wide"],
    ],
    ids=["clip", "clip-wide", "compare", "compare-wide"],
)
def test_every_table_showing_the_row_says_it_has_closed(
    runner: CliRunner, closed_mini: Path, args: list[str]
) -> None:
    shown = runner.invoke(app, [*args, "--sources", str(closed_mini)])
    assert shown.exit_code == 0, shown.output
    assert " ".join(shown.stdout.split()).count(LINE) == 1  # one line, not one per quantity


@pytest.mark.parametrize("args", [["clip"], ["clip", "--wide"], ["compare"]])
def test_no_line_when_no_row_shown_has_closed(
    runner: CliRunner, mini: Path, closed_mini: Path, args: list[str]
) -> None:
    for sources, model in ((mini, None), (closed_mini, "Model A")):
        extra = ["--model", model] if model else []
        shown = runner.invoke(app, [*args, *extra, "--sources", str(sources)])
        assert shown.exit_code == 0, shown.output
        assert "Closed:" not in shown.stdout and "no longer runs" not in shown.stdout


def test_the_line_escapes_what_the_data_file_says(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(
        mini_text(
            "      model: Model B\n      sora_proxy: false\n"
            '      closed: {date: 2026-09-24, what: "[bold]x[/bold]", source: paper}\n'
        ),
        "utf-8",
    )
    shown = runner.invoke(app, ["clip", "--sources", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "Closed: [bold]x[/bold] shut down" in shown.stdout  # as text, not as markup


def test_json_and_csv_rows_carry_the_closing(runner: CliRunner, closed_mini: Path) -> None:
    as_json = runner.invoke(app, ["clip", "--format", "json", "--sources", str(closed_mini)])
    rows = {row["estimate_id"]: row for row in json.loads(as_json.stdout)["rows"]}
    assert rows["model-b"]["applies_to"]["closed"] == {
        "date": "2026-09-24", "what": "the Model B API", "source_id": "paper",
    }  # fmt: skip
    assert rows["model-a"]["applies_to"]["closed"] is None
    as_csv = runner.invoke(app, ["compare", "--format", "csv", "--sources", str(closed_mini)])
    by_id = {row["estimate_id"]: row for row in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert by_id["model-b"]["service_closed"] == "2026-09-24: the Model B API (paper)"
    assert by_id["model-a"]["service_closed"] == ""


def test_the_shipped_sora_rows_show_the_closing(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["clip", "--model", "sora"])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    assert "Closed: the Sora 2 models and OpenAI's Videos API shut down on 2026-09-24" in text
    assert "jegham-sora-2-pro-720p" in text.split("Closed:", 1)[1]
