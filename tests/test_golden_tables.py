"""Tables for people, pinned exactly: column order, units in headers, markers and legend.

The expected files in tests/data/golden were read and checked by hand. After a deliberate
change to a table, regenerate them with ``SORACOST_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden_tables.py``, read the diff, and commit it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app

from .conftest import DATA, MINI

GOLDEN = DATA / "golden"
TABLES = {
    "clip-3.txt": ["clip", "--count", "3"],
    "clip-kwh-l.txt": ["clip", "--energy-unit", "kWh", "--water-unit", "L"],
    "compare-energy.txt": ["compare"],
    "compare-water.txt": ["compare", "--quantity", "water"],
    "sources.txt": ["sources"],
}


@pytest.mark.parametrize(("name", "args"), TABLES.items(), ids=TABLES.keys())
def test_table_matches_its_golden_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str, args: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = runner.invoke(app, [*args, "--sources", str(MINI)])
    assert result.exit_code == 0, result.stderr
    # The sources file's path differs between machines; everything else must not.
    text = result.stdout.replace(str(MINI), "MINI")
    expected: Path = GOLDEN / name
    if os.environ.get("SORACOST_UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
