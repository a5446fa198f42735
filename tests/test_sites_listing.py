"""``soracost sites``: one line per site at any width (the default), the detailed table
behind ``--wide``."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.views.display import format_number

from .conftest import DATA
from .helpers import past_the_edge

MODEL = DATA / "model.yaml"
GOLDEN = DATA / "golden" / "sites-compact-80.txt"
FACTORS = ("pue", "wue_onsite", "ewif_offsite", "carbon_intensity")


def listing(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = CliRunner().invoke(app, ["sites", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_listing_matches_its_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read and checked by hand; regenerate with SORACOST_UPDATE_GOLDEN=1 after a
    deliberate change."""
    text = listing(monkeypatch, 80, "--sources", str(MODEL))
    if os.environ.get("SORACOST_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def mids(site: dict[str, Any]) -> list[str]:
    """Each factor's mid as the listing shows it (none: not given)."""
    factors = site["factors"]
    return [
        format_number(factors[kind]["values"]["mid"]) if factors.get(kind) else "none"
        for kind in ("pue", "wue-onsite", "ewif-offsite", "carbon-intensity")
    ]


def table_lines(text: str) -> list[str]:
    lines = text.splitlines()
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"─"}]
    assert len(rules) >= 2, text
    return lines[rules[0] + 1 : rules[1]]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_one_whole_line_per_site_at_every_width(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    sites = json.loads(listing(monkeypatch, 120, "--format", "json"))["sites"]
    text = listing(monkeypatch, width)
    assert [line for line in text.splitlines() if past_the_edge(line, width)] == []
    rows = table_lines(text)
    assert len(rows) == len(sites)
    for line, site in zip(rows, sites, strict=True):
        assert line.split()[0] == site["id"] + ("*" if site["default"] else "")
        figures = re.findall(r"(\S+) \[\d+\]|(none)\b", line)
        assert [mid or gap for mid, gap in figures] == mids(site), line


def test_the_details_are_behind_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """--wide adds each factor's range and each site's full name and note, a block per
    site, where the default listing has a line per site."""
    compact = listing(monkeypatch, 80)
    wide = listing(monkeypatch, 80, "--wide")
    assert len(wide.splitlines()) > 1.5 * len(compact.splitlines())
    assert "(0.36 – 0.525)" in wide.replace("\u00a0", " ")
    assert "(0.36 – 0.525)" not in compact
    assert "The default site: every factor" in wide and "The default site" not in compact


@pytest.mark.parametrize("width", [40, 48, 56, 64])
def test_on_a_narrow_terminal_factors_give_way_never_an_id(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """A cut id would be no --site value: the factors after the PUE are left out first."""
    sites = json.loads(listing(monkeypatch, 120, "--format", "json"))["sites"]
    rows = table_lines(listing(monkeypatch, width))
    assert [line.split()[0].rstrip("*") for line in rows] == [site["id"] for site in sites]
    assert all(re.search(r"\[\d+\]", line) for line in rows)  # the PUE and its source stay
