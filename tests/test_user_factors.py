"""The user's own factors: --pue, --wue, --ewif, --grid-intensity and --site-file.

Exact figures on the model fixture (tests/data/model.yaml): site testland has PUE 1.25,
WUE 0.5 L/kWh, EWIF 2 L/kWh and 400 gCO2e/kWh; model-b is 7,200 J of GPU energy (2 Wh),
× 1.5 server overhead = 3 Wh of IT energy.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.records import USER_SOURCE_ID
from soracost.core.units import UnitProblem
from soracost.core.user_factors import parse_user_factor

from .conftest import DATA

MODEL = str(DATA / "model.yaml")
USER = ["--pue", "1.1", "--grid-intensity", "50 g/kWh"]


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def figures(*args: str) -> dict[tuple[str, str], dict[str, float]]:
    """Each row's per-clip figures, by (estimate id, quantity), from clip's JSON."""
    result = invoke("clip", "--sources", MODEL, "--carbon", "-f", "json", *args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    return {(row["estimate_id"], row["quantity"]): row["per_clip"] for row in rows}


def test_pue_and_grid_intensity_change_the_figures_exactly() -> None:
    before = figures()
    after = figures(*USER)
    assert before[("model-b", "energy")]["mid"] == pytest.approx(3.75)  # 3 Wh × 1.25
    assert after[("model-b", "energy")]["mid"] == pytest.approx(3.3)  # 3 Wh × 1.1
    assert before[("model-b", "carbon")]["mid"] == pytest.approx(1.5)  # 3.75 Wh × 0.4 g/Wh
    assert after[("model-b", "carbon")]["mid"] == pytest.approx(0.165)  # 3.3 Wh × 0.05 g/Wh
    # water: 3 Wh × 0.5 mL/Wh on site + 3.3 Wh × 2 mL/Wh off site (the site's WUE and EWIF)
    assert after[("model-b", "water")]["mid"] == pytest.approx(1.5 + 6.6)


def test_water_factors_change_only_their_branch() -> None:
    after = figures("--wue", "0 L/kWh", "--ewif", "1000 mL/kWh")
    assert after[("model-b", "water")]["mid"] == pytest.approx(3.75 * 1.0)  # off-site only
    assert after[("model-b", "energy")]["mid"] == pytest.approx(3.75)  # PUE untouched


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        (["--grid-intensity", "0.05 kgCO2e/kWh"], ["--grid-intensity", "50 gCO2e/kWh"]),
        (["--grid-intensity", "50 kg/MWh"], ["--grid-intensity", "50 g/kWh"]),
        (["--wue", "500 mL/kWh"], ["--wue", "0.5 L/kWh"]),
    ],
)
def test_units_go_through_the_registry(typed: list[str], same_as: list[str]) -> None:
    assert figures(*typed) == figures(*same_as)


def test_every_output_says_the_factors_were_user_supplied() -> None:
    line = "user-supplied: PUE 1.1, grid carbon intensity 50 g/kWh"
    compact = invoke("clip", "--sources", MODEL, "--carbon", *USER).stdout
    wide = invoke("clip", "--sources", MODEL, "--carbon", "--wide", *USER).stdout
    compare = invoke("compare", "--sources", MODEL, *USER).stdout
    explain = invoke("explain", "model-b", "--sources", MODEL, "--carbon", *USER).stdout
    for output in (compact, wide, compare, explain):
        assert line in " ".join(output.split()), output
    assert "whole server → facility (× PUE, testland, user-supplied)" in explain
    assert "(testland, user-supplied, location-based)" in explain
    assert "the user (supplied for this run)" in explain
    exported = invoke("clip", "--sources", MODEL, "--carbon", "-f", "csv", *USER).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    carbon = next(
        row for row in rows if row["estimate_id"] == "model-b" and row["quantity"] == "carbon"
    )
    assert carbon["user_factors"] == "1.1 (user-pue); 50 gCO2e/kWh (user-carbon-intensity)"
    document = json.loads(
        invoke("clip", "--sources", MODEL, "--carbon", "-f", "json", *USER).stdout
    )
    assert document["scenario"]["site"]["user_supplied"] == {
        "pue": "1.1",
        "carbon-intensity": "50 g/kWh",
    }
    row = next(row for row in document["rows"] if row["estimate_id"] == "model-b")
    assert row["user_factors"] == ["1.1 (user-pue)"]  # its energy row: the PUE only
    assert {step["source_id"] for step in row["steps"]} >= {USER_SOURCE_ID}


def test_without_user_factors_nothing_is_labelled() -> None:
    document = json.loads(invoke("clip", "--sources", MODEL, "-f", "json").stdout)
    assert document["scenario"]["site"]["user_supplied"] == {}
    assert all(row["user_factors"] == [] for row in document["rows"])
    assert "user-supplied" not in invoke("clip", "--sources", MODEL).stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--pue", "abc"], "--pue: 'abc' is not a PUE"),
        (["--pue", "0.9"], "--pue: '0.9': a PUE below 1"),
        (["--pue", "nan"], "--pue: 'nan' is not a PUE"),
        (["--pue", "7"], "--pue: '7': a PUE above 5 is not plausible"),
        (["--wue", "0.5"], "--wue: '0.5' is not an on-site WUE"),
        (["--wue", "3 kWh"], "--wue: '3 kWh' is not an on-site WUE"),
        (["--ewif", "-1 L/kWh"], "--ewif: '-1 L/kWh' is not an off-site EWIF"),
        (["--grid-intensity", "50 L/kWh"], "--grid-intensity: '50 L/kWh' is not a grid carbon"),
        (["--grid-intensity", "3 kg/kWh"], "a grid carbon intensity above 2000 gCO2e/kWh"),
    ],
)
def test_bad_values_are_one_line_usage_errors(args: list[str], words: str) -> None:
    result = invoke("clip", "--sources", MODEL, *args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and words in result.output, result.output


def site_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


GOOD_SITE = """\
site:
  id: my-dc
  name: My data centre
  pue: "1.5"
  wue_onsite: "1 L/kWh"
  ewif_offsite: "3 L/kWh"
  carbon: "100 g/kWh"
"""


def test_a_site_file_is_used_and_labelled(tmp_path: Path) -> None:
    path = site_file(tmp_path, GOOD_SITE)
    got = figures("--site-file", path)
    assert got[("model-b", "energy")]["mid"] == pytest.approx(4.5)  # 3 Wh × 1.5
    assert got[("model-b", "water")]["mid"] == pytest.approx(3 * 1 + 4.5 * 3)
    assert got[("model-b", "carbon")]["mid"] == pytest.approx(0.45)
    table = " ".join(invoke("clip", "--sources", MODEL, "--site-file", path).stdout.split())
    assert "site: my-dc · user-supplied: PUE 1.5, on-site WUE 1 L/kWh" in table


def test_options_override_a_site_file(tmp_path: Path) -> None:
    got = figures("--site-file", site_file(tmp_path, GOOD_SITE), "--pue", "1.2")
    assert got[("model-b", "energy")]["mid"] == pytest.approx(3.6)


@pytest.mark.parametrize(
    ("body", "where", "words"),
    [
        (GOOD_SITE.replace('"1.5"', '"0.5"'), ":4: site: pue:", "a PUE below 1"),
        (GOOD_SITE.replace('"1.5"', "1.5"), ":4: site: pue:", "is a bare number"),
        (GOOD_SITE.replace('"3 L/kWh"', '"3 kWh"'), ":6: site: ewif_offsite:", "not an off-site"),
        (
            GOOD_SITE.replace('  ewif_offsite: "3 L/kWh"\n', ""),
            ":2: site: ewif_offsite:",
            "missing",
        ),
        (GOOD_SITE + "  colour: blue\n", ":8: site: colour:", "unknown key"),
        (GOOD_SITE.replace("my-dc", "testland"), ":2: site: id:", "already a site of the data"),
        ("- just a list\n", ":1:", "a site file is a mapping"),
    ],
)
def test_bad_site_files_name_file_and_line(
    tmp_path: Path, body: str, where: str, words: str
) -> None:
    path = site_file(tmp_path, body)
    result = invoke("clip", "--sources", MODEL, "--site-file", path)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert f"{path}{where}" in result.output and words in result.output, result.output


def test_a_site_file_and_a_site_are_not_both_given(tmp_path: Path) -> None:
    path = site_file(tmp_path, GOOD_SITE)
    result = invoke("clip", "--sources", MODEL, "--site-file", path, "--site", "drytown")
    assert result.exit_code == 2 and "--site-file" in result.output


def test_explain_and_compare_take_the_options() -> None:
    compare = invoke("compare", "--sources", MODEL, "-f", "json", "--pue", "1.1")
    row = next(r for r in json.loads(compare.stdout)["rows"] if r["estimate_id"] == "model-b")
    assert row["per_clip"]["mid"] == pytest.approx(3.3)
    explain = invoke("explain", "model-b", "--sources", MODEL, "-f", "json", "--pue", "1.1")
    energy = json.loads(explain.stdout)["derivations"][0]
    assert energy["quantity"] == "energy" and energy["per_clip"]["mid"] == pytest.approx(3.3)


@settings(max_examples=30, deadline=None)
@given(pue=st.floats(1, 5), intensity=st.floats(0, 2000))
def test_figures_scale_linearly_with_the_factors(pue: float, intensity: float) -> None:
    got = figures("--pue", repr(pue), "--grid-intensity", f"{intensity!r} g/kWh")
    assert math.isclose(got[("model-b", "energy")]["mid"], 3 * pue, rel_tol=1e-9)
    assert math.isclose(
        got[("model-b", "carbon")]["mid"], 3 * pue * intensity / 1000, rel_tol=1e-9, abs_tol=1e-12
    )


@pytest.mark.parametrize("text", ["", "1,5", "1.2 L/kWh", "inf", "1e400"])
def test_a_pue_is_a_plain_number(text: str) -> None:
    with pytest.raises(UnitProblem):
        parse_user_factor("pue", text, "--pue")
