"""The footprint model: scaling, boundaries, derived water and the steps behind each figure.

Hand-made cases use tests/data/model.yaml, whose factors are chosen so that every value
can be checked by hand (and to the last digit, by repeating the same float operations).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.errors import DataError, UsageProblem
from soracost.core.footprint import (
    ClipRequest,
    FootprintCalculator,
    check_steps,
    exponent_factor,
    parse_resolution,
)
from soracost.core.ranges import Range
from soracost.core.records import Catalog, Clip
from soracost.core.results import Scenario, Units, clip_results, select_estimates
from soracost.data.catalog import default_sources_path, load_catalog

from .conftest import DATA

MODEL_YAML = DATA / "model.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(MODEL_YAML)


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_sources_path())


def model(catalog: Catalog, **options: Any) -> FootprintCalculator:
    site = catalog.sites[options.pop("site")] if "site" in options else None
    return FootprintCalculator(catalog, energy_unit="Wh", water_unit="mL", site=site, **options)


def estimate(catalog: Catalog, estimate_id: str) -> Any:
    return next(e for e in catalog.estimates if e.id == estimate_id)


# --- boundaries, checked to the last digit --------------------------------------------


def test_gpu_cpu_ram_to_facility_multiplies_overhead_then_pue(catalog: Catalog) -> None:
    derivation = model(catalog, count=3).energy(estimate(catalog, "model-a"))
    overhead = math.sqrt(1 * 1.21)  # geometric-mean fill of 1 and 1.21
    assert derivation.per_clip == Range(80 * 1.0 * 1.25, 90 * overhead * 1.25, 100 * 1.21 * 1.25)
    assert derivation.per_clip == Range(100.0, 123.75000000000001, 151.25)
    assert derivation.batch == Range(300.0, 90 * overhead * 1.25 * 3, 453.75)
    kinds = [step.kind for step in derivation.steps]
    assert kinds == ["claim", "boundary", "boundary", "batch"]
    assert [step.factor_id for step in derivation.steps] == [None, "oh-host", "test-pue", None]
    assert derivation.boundary == "facility"


def test_gpu_only_to_server_uses_the_gpu_overhead(catalog: Catalog) -> None:
    derivation = model(catalog, boundary="server").energy(estimate(catalog, "model-b"))
    # 7,200 J is 2 Wh; the server uses 1.5× its GPU; no PUE at the server boundary.
    assert derivation.per_clip == Range.single(7200 * (1 / 3600) * 1.5)
    assert [step.kind for step in derivation.steps] == ["claim", "unit", "boundary", "batch"]
    assert derivation.steps[1].factor == Range.single(1 / 3600)


def test_as_published_changes_nothing(catalog: Catalog) -> None:
    derivation = model(catalog, boundary="as-published").energy(estimate(catalog, "model-a"))
    assert derivation.per_clip == Range(80.0, 90.0, 100.0)
    assert derivation.boundary == "gpu+cpu+ram"


def test_facility_figure_to_server_divides_by_pue_swapping_ends(catalog: Catalog) -> None:
    derivation = model(catalog, boundary="server", site="drytown").energy(
        estimate(catalog, "model-d")
    )
    # Interval division: the lowest IT energy comes from the highest PUE.
    assert derivation.per_clip == Range(10 / 1.5, 10 / 1.2, 10 / 1.1)
    assert derivation.steps[1].op == "divide"


def test_unknown_boundary_is_shown_as_published_and_says_why(catalog: Catalog) -> None:
    derivation = model(catalog).energy(estimate(catalog, "model-e"))
    assert derivation.per_clip == Range.single(50.0)
    assert derivation.boundary == "unknown"
    assert "boundary unknown" in derivation.notes[0]
    reason = model(catalog).water(estimate(catalog, "model-e"))
    assert isinstance(reason, str) and reason.startswith("no water derived")


# --- derived water ----------------------------------------------------------------------


def test_water_is_it_energy_times_wue_plus_facility_energy_times_ewif(catalog: Catalog) -> None:
    water = model(catalog, count=2).water(estimate(catalog, "model-a"))
    assert not isinstance(water, str) and water.derived_water
    it = Range(80 * 1.0, 90 * math.sqrt(1.21), 100 * 1.21)
    on_site, off_site = water.water_split  # type: ignore[misc]
    assert on_site == it * 0.5  # 0.5 L/kWh = 0.5 mL/Wh
    assert off_site == it * 1.25 * 2.0
    assert water.per_clip == on_site + off_site == Range(240.0, 297.00000000000006, 363.0)
    assert water.batch == water.per_clip * 2


def test_pue_is_never_applied_twice_to_a_facility_figure(catalog: Catalog) -> None:
    for site, pue in (("testland", Range.single(1.25)), ("drytown", Range(1.1, 1.2, 1.5))):
        water = model(catalog, site=site).water(estimate(catalog, "model-d"))
        assert not isinstance(water, str)
        on_site, off_site = water.water_split  # type: ignore[misc]
        wue = 0.5 if site == "testland" else 2.0
        ewif = 2.0 if site == "testland" else 4.0
        # Off-site: the published facility energy × EWIF, with no PUE on top.
        assert off_site == Range.single(10 * ewif)
        # On-site: IT energy = facility ÷ PUE, × WUE.
        assert on_site == Range.single(10.0) / pue * wue
        pue_steps = [step for step in water.steps if step.factor_id in ("test-pue", "dry-pue")]
        assert len(pue_steps) == 1 and pue_steps[0].op == "divide"
    water = model(catalog).water(estimate(catalog, "model-d"))
    assert not isinstance(water, str)
    assert water.per_clip == Range.single(24.0)  # 10/1.25 × 0.5 + 10 × 2


def test_pue_appears_once_on_each_path_of_a_gpu_figure(catalog: Catalog) -> None:
    water = model(catalog).water(estimate(catalog, "model-b"))
    assert not isinstance(water, str)
    assert [step.factor_id for step in water.steps].count("test-pue") == 1
    assert water.per_clip == Range.single(2 * 1.5 * 0.5 + 2 * 1.5 * 1.25 * 2)  # 9 mL


def test_water_factors_are_converted_to_the_display_units(catalog: Catalog) -> None:
    in_litres = FootprintCalculator(
        catalog, energy_unit="kWh", water_unit="L", site=catalog.sites["drytown"]
    ).water(estimate(catalog, "model-b"))
    in_ml = model(catalog, site="drytown").water(estimate(catalog, "model-b"))
    assert not isinstance(in_litres, str) and not isinstance(in_ml, str)
    for litres, millilitres in zip(in_litres.per_clip, in_ml.per_clip, strict=True):
        assert math.isclose(litres * 1000, millilitres, rel_tol=1e-12)


def test_a_published_water_figure_stays_as_published(catalog: Catalog) -> None:
    water = model(catalog, request=ClipRequest(duration_s=20)).water(estimate(catalog, "water-c"))
    assert not isinstance(water, str)
    assert water.per_clip == Range(250.0, math.sqrt(0.25 * 1) * 1000, 1000.0)
    assert not water.derived_water and water.water_split is None
    assert water.not_scaled  # its clip is unknown: it says so rather than inventing one


# --- scaling ------------------------------------------------------------------------------


def test_resolution_and_duration_scale_by_their_exponents(catalog: Catalog) -> None:
    request = ClipRequest(duration_s=81 / 16 * 2, width=2560, height=1440)
    derivation = model(catalog, boundary="as-published", request=request).energy(
        estimate(catalog, "model-a")
    )
    pixels = Range(4**1.5, 4**1.75, 4**2)
    frames = Range(2**1, 2**1.5, 2**2)
    assert derivation.scale_factor == pixels * frames
    assert derivation.per_clip == Range(80.0, 90.0, 100.0) * pixels * frames
    assert [step.kind for step in derivation.steps] == ["claim", "scale", "scale", "batch"]


def test_scaling_down_puts_the_high_exponent_in_the_low_case() -> None:
    assert exponent_factor(0.25, Range(1.5, 1.75, 2.0)) == Range(0.25**2, 0.25**1.75, 0.25**1.5)


def test_fps_changes_the_frame_count(catalog: Catalog) -> None:
    derivation = model(catalog, boundary="as-published", request=ClipRequest(fps=32)).energy(
        estimate(catalog, "model-a")
    )
    assert derivation.scale_factor == Range(2.0, 2**1.5, 4.0)  # 81 → 162 frames


def test_an_unknown_reference_clip_is_not_scaled_and_says_so(catalog: Catalog) -> None:
    request = ClipRequest(duration_s=10, width=1920, height=1080)
    derivation = model(catalog, boundary="as-published", request=request).energy(
        estimate(catalog, "model-b")
    )
    assert derivation.per_clip == Range.single(2.0)
    assert derivation.scale_factor is None
    assert len(derivation.not_scaled) == 2
    assert all("unknown" in reason for reason in derivation.not_scaled)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(1, 4096),
    height=st.integers(1, 4096),
    frames=st.integers(1, 1000),
    fps=st.floats(1, 120),
)
def test_the_reference_clip_itself_scales_by_exactly_one(
    width: int, height: int, frames: int, fps: float
) -> None:
    catalog = load_catalog(MODEL_YAML)
    base = estimate(catalog, "model-a")
    clip = Clip(width=width, height=height, frames=frames, fps=fps)
    moved = replace(base, applies_to=replace(base.applies_to, sora_proxy=True, clip=clip))
    for request in (
        ClipRequest(duration_s=frames / fps, width=width, height=height, fps=fps),
        ClipRequest(duration_s=frames / fps, width=width, height=height),  # at its own fps
    ):
        derivation = model(catalog, boundary="as-published", request=request).energy(moved)
        # Factor 1: no scaling step, no "scaled" flag, the figure exactly as published.
        assert derivation.scale_factor is None and not derivation.not_scaled
        assert derivation.per_clip == moved.values
        assert "scale" not in [step.kind for step in derivation.steps]


def test_a_ratio_of_one_is_a_factor_of_exactly_one() -> None:
    assert exponent_factor(1.0, Range(1.5, 1.74, 2.0)) == Range(1.0, 1.0, 1.0)


def test_a_stored_duration_rounded_to_the_millisecond_is_the_same_clip() -> None:
    shipped = load_catalog(default_sources_path())
    ltx = estimate(shipped, "hf-ltx-video-0.9.7")  # 121 frames at 24 fps, stored as 5.042 s
    derivation = model(shipped, boundary="as-published", request=ClipRequest(duration_s=5.042))
    assert derivation.energy(ltx).per_clip == ltx.values


@settings(max_examples=40, deadline=None)
@given(
    duration=st.one_of(st.none(), st.floats(0.5, 60)),
    side=st.one_of(st.none(), st.sampled_from(["480p", "720p", "1080p", "640x360"])),
    fps=st.one_of(st.none(), st.floats(8, 60)),
    boundary=st.sampled_from(["as-published", "server", "facility"]),
    site=st.sampled_from(
        [
            *("us-national", "us-average", "virginia", "texas", "iowa", "arizona", "ireland"),
            *("azure", "aws", "google", "france"),
        ]
    ),
    count=st.integers(1, 10_000),
)
def test_every_steps_list_recomputes_to_the_printed_figures(
    duration: float | None,
    side: str | None,
    fps: float | None,
    boundary: str,
    site: str,
    count: int,
) -> None:
    shipped = load_catalog(default_sources_path())
    width, height = parse_resolution(side) if side else (None, None)
    scenario = Scenario(
        count=count,
        request=ClipRequest(duration_s=duration, width=width, height=height, fps=fps),
        boundary=boundary,  # type: ignore[arg-type]
        site=site,
    )
    for row in clip_results(shipped, scenario).rows:
        steps = row.derivation.steps
        check_steps(steps)
        assert "batch" in steps[-1].roles and steps[-1].value == row.batch
        assert [s.value for s in steps if "per_clip" in s.roles] == [row.per_clip]
        roles = [role for step in steps for role in step.roles]
        assert len(roles) == len(set(roles)), roles  # value_of: a role names one step
        for value in (*row.per_clip, *row.batch):
            assert value >= 0 and math.isfinite(value)
        split = row.derivation.water_split
        if split is not None:
            assert row.per_clip == split[0] + split[1]


# --- choices and filters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("480p", (854, 480)), ("720p", (1280, 720)), ("1080P", (1920, 1080)), ("640x360", (640, 360)),
     ("640×360", (640, 360))],
)  # fmt: skip
def test_resolutions(text: str, expected: tuple[int, int]) -> None:
    assert parse_resolution(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("8k", "choose one of: 480p, 720p, 1080p, 4k, or WxH (e.g. 1280x720)"),
        ("720", "choose one of: 480p, 720p, 1080p"),
        ("x", "choose one of"),
        ("-1x5", "choose one of"),
        ("0x10", "each side must be 16 to 16,384 pixels"),
        ("99999x10", "each side must be 16 to 16,384 pixels"),
    ],
)
def test_bad_resolutions_name_the_choices(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_resolution(text)


def test_model_filter_keeps_a_model_or_the_sora_proxies(catalog: Catalog) -> None:
    assert [e.id for e in select_estimates(catalog, "model a")] == ["model-a"]
    assert [e.id for e in select_estimates(catalog, "SORA")] == ["model-a", "model-e"]
    with pytest.raises(UsageProblem, match="Model A"):
        select_estimates(catalog, "veo")


# --- the command line -------------------------------------------------------------------


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--site", "mars"], ["us-national", "arizona", "azure", "google"]),
        (["--resolution", "8k"], ["480p", "720p", "1080p", "4k", "WxH"]),
        (["--model", "midjourney"], ["sora", "WAN2.1-T2V-1.3B"]),
    ],
)
@pytest.mark.parametrize("command", ["clip", "compare"])
def test_unknown_choices_are_one_line_usage_errors(
    command: str, args: list[str], names: list[str]
) -> None:
    result = invoke(command, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("soracost: usage error: ")
    for name in names:
        assert name in line


def test_issue_example_water_is_on_site_plus_off_site_with_steps() -> None:
    result = invoke(
        "clip", "--duration", "12", "--resolution", "1080p", "--site", "arizona", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["scenario"]["site"]["id"] == "arizona"
    energy_only = {row["estimate_id"] for row in document["rows"] if row["quantity"] == "energy"}
    derived = {row["estimate_id"]: row for row in document["rows"] if row["derived"]}
    not_derived = {
        entry["estimate_id"] for entry in document["not_given"] if entry["quantity"] == "water"
    }
    assert energy_only == set(derived) | not_derived and derived
    for row in derived.values():
        split = row["water_split"]
        for case in ("low", "mid", "high"):
            assert row["per_clip"][case] == split["on_site"][case] + split["off_site"][case]
        steps = row["steps"]
        assert "batch" in steps[-1]["roles"] and steps[-1]["value"] == row["batch"]
        per_clip = [step["value"] for step in steps if "per_clip" in step["roles"]]
        assert per_clip == [row["per_clip"]]
    for row in document["rows"]:
        assert row["steps"][0]["kind"] == "claim"


def test_explain_an_mlenergy_figure_shows_each_boundary_step_with_its_source() -> None:
    result = invoke("explain", "mlenergy-wan21-1.3b", "--boundary", "facility")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "as published, GPU only" in out
    assert "gpu → whole server (server overhead)" in out
    assert "whole server → facility (× PUE, us-national)" in out
    assert (
        "Cooper Elsworth et al" in out and "A. Shehabi et al" in out
    )  # each factor cites its source (the default site's PUE: LBNL 2024)
    as_json = json.loads(invoke("explain", "mlenergy-wan21-1.3b", "-f", "json").stdout)
    energy = as_json["derivations"][0]
    assert [step["kind"] for step in energy["steps"]] == [
        "claim", "unit", "boundary", "boundary", "batch"
    ]  # fmt: skip
    assert [step["source_id"] for step in energy["steps"][2:4]] == ["elsworth2025", "lbnl2024"]
    assert energy["steps"][0]["unit"] == "J" and energy["steps"][1]["unit"] == "Wh"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clip", "--model", "!!!"], "names no model"),
        (["clip", "--model", ""], "names no model"),
        (["clip", "--duration", "nan"], "a duration in seconds must be a number from 0.1 to 3,600"),
        (["compare", "--duration", "inf"], "must be a number from 0.1 to 3,600"),
        (["clip", "--fps", "nan"], "a frame rate must be a number from 1 to 240"),
        (["clip", "--resolution", "²x2"], "choose one of: 480p, 720p, 1080p"),
        (["clip", "--resolution", "1x1"], "each side must be 16 to 16,384 pixels"),
        (["clip", "--resolution", "9" * 5000 + "x1"], "choose one of"),
    ],
)
def test_odd_values_get_plain_messages(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_site_names_ignore_case() -> None:
    document = json.loads(invoke("clip", "--site", "ARIZONA", "-f", "json").stdout)
    assert document["scenario"]["site"]["id"] == "arizona"


def test_fps_alone_scales_by_frame_rate_and_says_what_is_missing() -> None:
    ltx = load_catalog(default_sources_path())
    derivation = model(ltx, boundary="as-published", request=ClipRequest(fps=24)).energy(
        estimate(ltx, "hf-ltx-video-0.9.7")
    )
    assert derivation.scale_factor is None  # 121 frames at 24 fps already: nothing to scale
    assert derivation.per_clip == estimate(ltx, "hf-ltx-video-0.9.7").values
    # MIT Technology Review gives CogVideoX's frame rate (8 fps) but not its clip's length.
    mittr = model(ltx, boundary="as-published", request=ClipRequest(fps=24)).energy(
        estimate(ltx, "mittr-cogvideox-8fps")
    )
    assert mittr.not_scaled == (
        "not scaled to the frame rate: the source's clip duration is unknown",
    )


def test_less_than_a_frame_is_not_scaled(catalog: Catalog) -> None:
    derivation = model(
        catalog, boundary="as-published", request=ClipRequest(duration_s=0.1, fps=1)
    ).energy(estimate(catalog, "model-a"))
    assert derivation.scale_factor is None
    assert "less than a frame" in derivation.not_scaled[0]


def test_no_site_means_no_unused_server_step(mini: Path) -> None:
    catalog = load_catalog(mini)
    derivation = FootprintCalculator(catalog, energy_unit="Wh", water_unit="mL").energy(
        estimate(catalog, "model-a")
    )
    assert [step.kind for step in derivation.steps] == ["claim", "batch"]


def test_explain_computes_only_the_estimate_it_explains(tmp_path: Path) -> None:
    text = BASE.replace('published: {mid: "1.5"}', 'published: {mid: "9.9"}')
    data = tmp_path / "data.yaml"
    data.write_text(text, encoding="utf-8")
    result = invoke("explain", "model-a", "--sources", str(data), "-n", "1000000000000000")
    assert result.exit_code == 0, result.stderr


def test_sites_without_sites_is_a_data_error(mini: Path) -> None:
    result = invoke("sites", "--sources", str(mini))
    assert result.exit_code == 1 and "defines no sites" in result.stderr


def test_csv_rows_name_the_site_and_factors_and_sources_list_what_factors_cite() -> None:
    import csv
    import io

    rows = list(
        csv.DictReader(io.StringIO(invoke("clip", "--site", "ireland", "-f", "csv").stdout))
    )
    derived = next(row for row in rows if row["derived"] == "true")
    assert derived["site"] == "ireland"
    assert "li-ireland-wue" in derived["factor_ids"] and "li-ireland-ewif" in derived["factor_ids"]
    published = next(row for row in rows if row["estimate_id"] == "sora-650ml-ratio")
    assert published["site"] == "" and published["factor_ids"] == ""
    sources = json.loads(invoke("sources", "-f", "json").stdout)["sources"]
    li = next(source for source in sources if source["id"] == "li2023")
    assert "li-arizona-pue" in li["estimates"]
    assert "li-arizona-pue\u00a0(factor)" in invoke("sources", "--wide").stdout


def test_explain_tree_shows_shared_steps_once_and_names_branch_inputs() -> None:
    out = invoke("explain", "mlenergy-wan21-1.3b", "--site", "arizona").stdout
    assert "1–4. as in the energy branch above" in out
    assert "on-site water: whole-server energy × WUE (arizona) (of step 3)" in out
    assert "off-site water: facility energy × EWIF (arizona) (of step 4)" in out
    assert "water: on-site + off-site" in out and "[steps 5 + 6]" in out
    assert "confidence: confirmed" in out


def test_explain_shows_the_estimates_own_doubts() -> None:
    out = invoke("explain", "cnet-90wh").stdout
    assert "as published, GPU+CPU+RAM?" in out and "not confirmed: " in out
    document = json.loads(invoke("explain", "sora-650ml-ratio", "-f", "json").stdout)
    assert document["confidence"] == "unconfirmed" and document["unconfirmed"]
    assert document["derivations"][0]["steps"][0]["label"].startswith(
        "as published, boundary unknown"
    )
    assert "techdrops-sora" in document["step_sources"]


def test_water_steps_state_the_unit_of_their_factor() -> None:
    document = json.loads(
        invoke(
            "explain",
            "hf-wan21-1.3b-720p",
            "--energy-unit",
            "J",
            "--water-unit",
            "gal",
            "-f",
            "json",
        ).stdout
    )
    water = next(d for d in document["derivations"] if d["derived"])
    on_site = next(step for step in water["steps"] if "on_site" in step["roles"])
    assert on_site["factor_unit"] == "gal/J"
    # The default site's on-site WUE: LBNL's US average, "just over 0.36 L/kWh" (mid), with
    # 0.525 L/kWh per IT kWh derived from LBNL's totals as its high.
    assert on_site["factor_text"].startswith("0.36–0.525 L/kWh")
    assert math.isclose(on_site["factor"]["mid"], 0.36 / 3.785411784 / 3.6e6, rel_tol=1e-12)


def test_explain_unknown_id_lists_the_ids() -> None:
    result = invoke("explain", "nope")
    assert result.exit_code == 2 and "hf-wan21-1.3b-720p" in result.stderr


def test_compare_marks_the_rows_whose_boundary_differs() -> None:
    result = invoke("compare", "--boundary", "as-published", "--wide")
    assert result.exit_code == 0
    # Most rows are GPU+CPU+RAM since Jegham et al.'s closed-model rows are whole-server.
    assert "≠: measured within another boundary than most rows (GPU+CPU+RAM)" in result.stdout
    document = json.loads(invoke("compare", "--boundary", "as-published", "-f", "json").stdout)
    assert document["boundaries_differ"] is True
    for row in document["rows"]:
        assert row["boundary_differs"] == (row["boundary_shown"] != "gpu+cpu+ram")
    converted = json.loads(invoke("compare", "--boundary", "server", "-f", "json").stdout)
    marked = {row["estimate_id"] for row in converted["rows"] if row["boundary_differs"]}
    assert marked == {"wsj-20-110wh", "lebigdata-wsj-20-100wh"}  # unknown: not converted


def test_compare_water_includes_derived_and_published_figures() -> None:
    document = json.loads(invoke("compare", "-q", "water", "-f", "json").stdout)
    ids = {row["estimate_id"]: row["derived"] for row in document["rows"]}
    assert ids["sora-650ml-ratio"] is False
    assert ids["hf-wan21-1.3b-720p"] is True


def test_steps_csv_and_sites_exports(tmp_path: Path) -> None:
    steps = invoke("explain", "hf-wan21-1.3b-720p", "-f", "csv").stdout.splitlines()
    assert steps[0].startswith("estimate_id,quantity,index,kind,label,op,inputs")
    assert len(steps) > 8
    sites = json.loads(invoke("sites", "-f", "json").stdout)["sites"]
    assert [site["id"] for site in sites if site["default"]] == ["us-national"]
    arizona = next(site for site in sites if site["id"] == "arizona")
    assert arizona["factors"]["wue-onsite"]["values"]["mid"] == 1.63
    assert arizona["factors"]["ewif-offsite"]["source"]["id"] == "li2023"
    table = invoke("sites").stdout
    assert "us-national*" in table and "* the default site" in table
    assert "(default)" in invoke("sites", "--wide").stdout
    assert invoke("sites", "-f", "csv").stdout.startswith("site_id,name,kind,default,pue_low")


# --- the data file's factors and sites are validated ----------------------------------

BASE = MODEL_YAML.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind: resolution-exponent', 'kind: speed', "'speed' is not one of"),
        ('published: {mid: "0.5 L/kWh"}', 'published: {mid: "0.5 L"}', "not a volume per energy"),
        ('published: {mid: "0.5 L/kWh"}', "published: {mid: 0.5}", "has no unit"),
        ('published: {mid: "1.25"}', 'published: {mid: "0.9"}', "below 1"),
        ('published: {mid: "1.25"}', "published: {mid: 1.25}", "bare number"),
        ('published: {low: "1", mid: "1.5", high: "2"}', 'published: {low: "1", mid: "1.5", high: "9"}',
         "a frames-exponent above 4 is not plausible, got 9"),
        ('published: {mid: "1.25"}', 'published: {mid: "1e308"}', "a pue above 5 is not plausible"),
        ('published: {mid: "2 L/kWh"}', 'published: {mid: "2e300 L/kWh"}', "above 100 L/kWh"),
        ('published: {mid: "1.25"}', 'published: {mid: "-1.25"}', "negative"),
        ("    converts_from: gpu\n", "", "converts_from: missing"),
        ("    pue: dry-pue\n", "    pue: dry-wue\n", "is a wue-onsite factor, not pue"),
        ("    pue: dry-pue\n", "    pue: nothing\n", "no factor has id 'nothing'"),
        ("    kind: provider\n", "    kind: provider\n    default: true\n", "exactly one site"),
        ("  - id: frames-exp\n    kind: frames-exponent", "  - id: frames-exp\n    kind: resolution-exponent",
         "a second resolution-exponent factor"),
        ("    source: news\n    method: disclosed\n    claim: PUE 1.25.",
         "    source: nobody\n    method: disclosed\n    claim: PUE 1.25.", "no source has id 'nobody'"),
    ],
)  # fmt: skip
def test_bad_factors_and_sites_name_the_field(old: str, new: str, message: str) -> None:
    from soracost.data.catalog import parse_catalog

    assert old in BASE, old
    with pytest.raises(DataError, match=message) as caught:
        parse_catalog(BASE.replace(old, new, 1), "model.yaml")
    assert caught.value.line is not None


def test_a_clip_whose_duration_disagrees_with_its_frames_is_refused() -> None:
    from soracost.data.catalog import parse_catalog

    text = BASE.replace("frames: 81, fps: 16, steps: 50}", "frames: 81, fps: 16, duration_s: 50}")
    with pytest.raises(DataError, match=r"disagrees with 81 frames at 16 fps \(5.062 s\)"):
        parse_catalog(text, "model.yaml")


def test_a_catalogue_without_factors_still_works(mini: Path) -> None:
    results = clip_results(load_catalog(mini), Scenario(units=Units()))
    assert {row.quantity for row in results.rows} == {"energy", "water"}
    assert results.missing == {
        ("model-a", "water"): "no water derived: the data file has no sites",
        ("model-b", "water"): "no water derived: the data file has no sites",
        ("water-c", "energy"): "the source published no energy figure",
    }


# --- carbon (location-based) -------------------------------------------------------------


def test_carbon_is_facility_energy_times_the_grid_intensity(catalog: Catalog) -> None:
    carbon = model(catalog, count=3).carbon(estimate(catalog, "model-a"))
    assert not isinstance(carbon, str)
    facility = Range(80 * 1.0, 90 * math.sqrt(1.21), 100 * 1.21) * 1.25
    assert carbon.per_clip == facility * 0.4  # 0.4 kgCO2e/kWh = 0.4 gCO2e/Wh
    assert carbon.per_clip == Range(40.0, 49.50000000000001, 60.5)
    assert carbon.batch == carbon.per_clip * 3.0
    assert carbon.unit == "gCO2e" and carbon.boundary == "facility"
    last = carbon.steps[-2]
    assert (last.kind, last.factor_id, last.factor_unit) == ("carbon", "test-carbon", "gCO2e/Wh")
    assert "location-based" in last.label
    check_steps(carbon.steps)


def test_carbon_of_a_facility_figure_takes_it_as_published(catalog: Catalog) -> None:
    carbon = model(catalog).carbon(estimate(catalog, "model-d"))
    assert not isinstance(carbon, str)
    assert carbon.per_clip == Range.single(10 * 0.4)  # no PUE on top of a facility figure
    assert not any(step.factor_id == "test-pue" for step in carbon.steps)


def test_carbon_is_converted_to_the_chosen_unit(catalog: Catalog) -> None:
    in_kg = FootprintCalculator(
        catalog, energy_unit="kWh", water_unit="L", carbon_unit="kgCO2e"
    ).carbon(estimate(catalog, "model-b"))
    in_g = model(catalog).carbon(estimate(catalog, "model-b"))
    assert not isinstance(in_kg, str) and not isinstance(in_g, str)
    assert in_g.per_clip == Range.single(2 * 1.5 * 1.25 * 0.4)
    for kilograms, grams in zip(in_kg.per_clip, in_g.per_clip, strict=True):
        assert math.isclose(kilograms * 1000, grams, rel_tol=1e-12)


def test_carbon_is_not_given_without_energy_or_a_grid_intensity(catalog: Catalog) -> None:
    assert model(catalog).carbon(estimate(catalog, "water-c")) == (
        "the source published no energy figure"
    )
    assert model(catalog, site="drytown").carbon(estimate(catalog, "model-a")) == (
        "no carbon derived: site 'drytown' has no grid carbon intensity"
    )
    reason = model(catalog).carbon(estimate(catalog, "model-e"))
    assert isinstance(reason, str) and "boundary unknown" in reason


def test_a_site_cannot_use_a_market_based_intensity(tmp_path: Path) -> None:
    text = MODEL_YAML.read_text().replace("carbon: test-carbon", "carbon: market-carbon")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(DataError, match="market-based; a site's grid intensity is location-based"):
        load_catalog(bad)


def test_carbon_intensity_needs_its_accounting(tmp_path: Path) -> None:
    text = MODEL_YAML.read_text().replace("    accounting: location-based\n", "", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(DataError, match="accounting"):
        load_catalog(bad)


def test_clip_carbon_json_rows_cite_the_grid_intensity(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["clip", "--carbon", "--count", "2", "--format", "json", "--sources", str(MODEL_YAML)]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    carbon = [row for row in document["rows"] if row["quantity"] == "carbon"]
    assert {row["estimate_id"] for row in carbon} == {"model-a", "model-b", "model-d"}
    for row in carbon:
        assert row["unit"] == "gCO2e" and row["derived"]
        assert any(step["factor_id"] == "test-carbon" for step in row["steps"])
    assert document["units"]["carbon"] == "gCO2e"
    assert document["scenario"]["carbon_basis"]["accounting"] == "location-based"
    assert "market-based" in document["scenario"]["carbon_basis"]["note"]
    assert "news" in document["step_sources"]
