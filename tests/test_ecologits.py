"""EcoLogits as a live source, checked against the installed library (no mock).

Skipped where the ``ecologits`` extra is not installed, unless SORACOST_REQUIRE_ECOLOGITS
is set (CI sets it after installing the extra, so there the tests cannot be skipped).
The test that the extra is missing needs no library and always runs.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app

try:
    from ecologits.estimations import video_impacts
except ImportError:  # pragma: no cover - depends on the extra
    video_impacts = None

if video_impacts is None and os.environ.get("SORACOST_REQUIRE_ECOLOGITS"):
    raise RuntimeError("SORACOST_REQUIRE_ECOLOGITS is set but EcoLogits cannot be imported")

needs_ecologits = pytest.mark.skipif(
    video_impacts is None, reason="the ecologits extra is not installed"
)

SORA = "openai/sora-2-pro"
CLIP = ("--duration", "10", "--resolution", "720p")


def run_json(runner: CliRunner, *arguments: str) -> dict[str, Any]:
    result = runner.invoke(app, [*arguments, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def ecologits_row(document: dict[str, Any], model: str, quantity: str) -> dict[str, Any]:
    return next(
        row
        for row in document["rows"]
        if row["applies_to"]["model"] == model and row["quantity"] == quantity
    )


@needs_ecologits
def test_compare_row_equals_video_impacts_to_full_precision(runner: CliRunner) -> None:
    document = run_json(runner, "compare", "--ecologits", SORA, *CLIP)
    expected = video_impacts(SORA, "720p", 10).energy.value
    row = ecologits_row(document, SORA, "energy")
    assert row["published"] == {"low": f"{expected.min!r} kWh", "high": f"{expected.max!r} kWh"}
    assert row["per_clip"]["low"] == expected.min * 1000.0  # kWh to Wh, one multiplication
    assert row["per_clip"]["high"] == expected.max * 1000.0
    assert row["per_clip"]["mid"] == (expected.min * 1000.0 + expected.max * 1000.0) / 2
    in_kwh = run_json(runner, "compare", "--ecologits", SORA, *CLIP, "--energy-unit", "kWh")
    exact = ecologits_row(in_kwh, SORA, "energy")["per_clip"]
    assert (exact["low"], exact["high"]) == (expected.min, expected.max)
    # a source like any other: the library's version, method, boundary, methodology link
    from importlib.metadata import version

    assert row["source"]["publisher"].startswith(f"EcoLogits {version('ecologits')}")
    assert row["source"]["url"] == "https://ecologits.ai/latest/methodology/video_generation/"
    assert (row["method"], row["boundary"], row["boundary_shown"]) == (
        "modelled", "facility", "facility",
    )  # fmt: skip
    assert not row["scaled"] and not row["not_scaled"]  # computed for this very clip
    assert "own defaults" in row["notes"][0]


@needs_ecologits
def test_monte_carlo_reads_ecologits_min_and_max_as_p2_5_and_p97_5(runner: CliRunner) -> None:
    from soracost.core.ecologits import ECOLOGITS_PERCENTILES
    from soracost.core.uncertainty import Z_95, edges_of
    from soracost.data.catalog import default_sources_path, load_catalog

    assert ECOLOGITS_PERCENTILES == (2.5, 97.5)  # the server power percentiles it uses
    document = run_json(
        runner, "compare", "--ecologits", SORA, *CLIP, "--method", "montecarlo", "--seed", "4",
        "--samples", "20000",
    )  # fmt: skip
    row = ecologits_row(document, SORA, "energy")
    low, mid, high = (row["per_clip"][case] for case in ("low", "mid", "high"))
    found = row["percentiles"]
    # low and high at ±1.96σ, so P5 and P95 at ±1.645σ: inside them, where log-normal
    # percentiles put them (read as P5 and P95, they would land on low and high, 4-5% out)
    share = Z_95 / edges_of(ECOLOGITS_PERCENTILES)[0]
    assert found["p5"] == pytest.approx(mid * (low / mid) ** share, rel=0.02)
    assert found["p95"] == pytest.approx(mid * (high / mid) ** share, rel=0.02)
    assert low * 1.03 < found["p5"] < found["p95"] < high / 1.03
    shipped = load_catalog(default_sources_path())
    assert {estimate.cases_percentiles for estimate in shipped.estimates} == {(5.0, 95.0)}


@needs_ecologits
def test_water_and_carbon_are_ecologits_own(runner: CliRunner) -> None:
    document = run_json(runner, "clip", "--ecologits", "google/veo-3.1", *CLIP, "--carbon")
    impacts = video_impacts("google/veo-3.1", "720p", 10)
    water = ecologits_row(document, "google/veo-3.1", "water")["per_clip"]
    assert (water["low"], water["high"]) == (
        impacts.wcf.value.min * 1000,
        impacts.wcf.value.max * 1000,
    )
    carbon = ecologits_row(document, "google/veo-3.1", "carbon")
    assert carbon["per_clip"]["low"] == impacts.gwp.value.min * 1000  # kgCO2e to gCO2e
    assert carbon["per_clip"]["high"] == impacts.gwp.value.max * 1000
    assert any("embodied" in note for note in carbon["notes"])


@needs_ecologits
def test_a_chosen_site_passes_its_factors_and_says_so(runner: CliRunner) -> None:
    document = run_json(runner, "clip", "--ecologits", SORA, *CLIP, "--site", "ireland")
    from soracost.data.catalog import default_sources_path, load_catalog

    catalog = load_catalog(default_sources_path())
    site = catalog.sites["ireland"]
    pue = catalog.site_factor(site, "pue").values.mid
    wue = catalog.site_factor(site, "wue-onsite").values.mid
    impacts = video_impacts(
        SORA, "1280x720", 10, datacenter_location="IRL", datacenter_pue=pue, datacenter_wue=wue
    )
    row = ecologits_row(document, SORA, "energy")
    assert row["per_clip"]["low"] == impacts.energy.value.min * 1000
    assert "site ireland's PUE and on-site WUE" in row["notes"][0]
    water = ecologits_row(document, SORA, "water")["per_clip"]
    assert water["high"] == impacts.wcf.value.max * 1000


@needs_ecologits
def test_the_table_places_the_row_among_the_published_figures(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--ecologits", SORA, *CLIP, "--wide"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    row = next(i for i, line in enumerate(lines) if "openai/sora-2-pro" in line)
    others = [i for i, line in enumerate(lines) if line.startswith("│ [")]
    assert min(others) < row < max(others)  # sorted by mid among the others
    assert "EcoLogits" in result.stdout


@needs_ecologits
def test_an_unknown_model_lists_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--ecologits", "openai/sora-9", *CLIP])
    assert result.exit_code == 2
    assert result.stderr.startswith("soracost: usage error: --ecologits: EcoLogits ")
    assert "knows no video model 'openai/sora-9'" in result.stderr
    assert "openai/sora-2-pro" in result.stderr and len(result.stderr.splitlines()) == 1


@needs_ecologits
def test_ecologits_needs_a_clip(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--ecologits", SORA])
    assert result.exit_code == 2 and "--duration and --resolution" in result.stderr


@needs_ecologits
def test_ecologits_models_lists_the_installed_models(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ecologits-models"])
    assert result.exit_code == 0
    assert SORA in result.stdout.splitlines() and "google/veo-3.1" in result.stdout


def test_without_the_extra_it_says_how_to_install(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ecologits.estimations", None)  # import fails
    result = runner.invoke(app, ["compare", "--ecologits", SORA, *CLIP])
    assert result.exit_code == 1
    assert result.stderr == (
        "soracost: error: --ecologits needs EcoLogits, which is not installed: "
        "pip install 'soracost[ecologits]'\n"
    )


@needs_ecologits
def test_explain_shows_the_steps_behind_an_ecologits_row(runner: CliRunner) -> None:
    row_id = "ecologits-openai-sora-2-pro"
    compared = run_json(runner, "compare", "--ecologits", SORA, *CLIP)
    compared = ecologits_row(compared, SORA, "energy")
    explained = run_json(runner, "explain", row_id, "--ecologits", SORA, *CLIP)
    energy = next(row for row in explained["derivations"] if row["quantity"] == "energy")
    assert energy["per_clip"] == compared["per_clip"]
    claim = energy["steps"][0]
    expected = video_impacts(SORA, "720p", 10).energy.value
    assert claim["kind"] == "claim"
    assert (claim["value"]["low"], claim["value"]["high"]) == (expected.min, expected.max)
    assert explained["step_sources"][compared["source"]["id"]] == compared["source"]
    unknown = runner.invoke(app, ["explain", row_id, *CLIP])  # without --ecologits
    assert unknown.exit_code == 2 and "no estimate has id" in unknown.stderr


@needs_ecologits
def test_a_model_of_sora_itself_is_not_called_a_proxy(runner: CliRunner) -> None:
    arguments = ("clip", "--ecologits", "openai/sora-2-pro", "-d", "10", "-r", "720p")
    document = run_json(runner, *arguments, "--model", "sora-2-pro")
    applies_to = document["rows"][0]["applies_to"]
    assert (applies_to["sora_proxy"], applies_to["models_sora"]) == (False, True)
    table = runner.invoke(
        app, [*arguments, "--model", "sora-2-pro", "--wide"], env={"COLUMNS": "200"}
    )
    assert "models Sora (not measured)" in table.stdout


@needs_ecologits
@pytest.mark.parametrize("duration", ["8", "10"])
def test_an_ecologits_row_fitted_to_a_catalogued_paper_is_not_pooled_twice(
    runner: CliRunner, duration: str
) -> None:
    # EcoLogits' video coefficients are fitted to Jegham et al.'s measurements: its Sora 2
    # Pro row carries that chain, and the answer counts the work once, at the paper's own
    # clip (8 s) and at any other (10 s).
    document = run_json(
        runner, "clip", "--ecologits", "openai/sora-2-pro", "--model", "sora",
        "--duration", duration, "--resolution", "720p",
    )  # fmt: skip
    row = next(r for r in document["rows"] if r["estimate_id"] == "ecologits-openai-sora-2-pro")
    assert row["chain"][-1]["id"] == "jegham2026"
    left_out = {item["estimate_id"]: item for item in document["answer"]["energy"]["left_out"]}
    assert left_out["ecologits-openai-sora-2-pro"]["reason"] == "same-measurement"
    assert "ecologits-openai-sora-2-pro" not in document["answer"]["energy"]["fed"]
