"""Embodied carbon (--embodied): a per-clip share of the hardware's manufacture, apart.

Exact figures on a hand-made catalogue (the model catalogue plus an embodied section whose
numbers can be followed by hand), the shipped records against EcoLogits' own data, the
loader's errors, and every output: table, CSV and JSON, with nothing changed without the
option.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.embodied import EMBODIED_NOTE, embodied_shares, hardware_of
from soracost.core.errors import DataError, UsageProblem
from soracost.core.footprint import ClipRequest, check_steps
from soracost.core.ranges import Range
from soracost.core.records import Catalog
from soracost.core.reports import clip_report
from soracost.core.results import Scenario
from soracost.data.catalog import default_sources_path, load_catalog, parse_catalog

from .conftest import DATA

# A server of 1,000 kgCO2e with 4 accelerators of 100 kgCO2e (1,400 kgCO2e in all), used
# for 1,000 h, drawing 500 W / 1 kW / 2,000 W: every figure below follows by hand.
EMBODIED = """
embodied:
  - id: box-server
    kind: server
    hardware: Test box (4 accelerators)
    published: {mid: "1000 kgCO2e"}
    fill: single-figure
    method: modelled
    source: paper
    claim: The base server's manufacture.
    confidence: confirmed
  - id: box-accelerator
    kind: accelerator
    hardware: Test box (4 accelerators)
    count: 4
    published: {mid: "100 kgCO2e"}
    fill: single-figure
    method: modelled
    source: paper
    claim: One accelerator's manufacture.
    confidence: confirmed
  - id: box-lifetime
    kind: lifetime
    hardware: Test box (4 accelerators)
    published: {mid: "1000 h"}
    fill: single-figure
    method: modelled
    source: paper
    claim: A thousand hours.
    confidence: confirmed
  - id: box-power
    kind: power
    hardware: Test box (4 accelerators)
    published: {low: "500 W", mid: "1 kW", high: "2000 W"}
    method: measured
    source: news
    claim: Its power.
    confidence: partial
    unconfirmed:
      published.mid: read second-hand
"""

MODEL_TEXT = (DATA / "model.yaml").read_text(encoding="utf-8")
WITH_EMBODIED = MODEL_TEXT + EMBODIED


@pytest.fixture(scope="module")
def box() -> Catalog:
    return parse_catalog(WITH_EMBODIED, "box.yaml")


@pytest.fixture
def box_file(tmp_path: Path) -> Path:
    path = tmp_path / "box.yaml"
    path.write_text(WITH_EMBODIED, encoding="utf-8")
    return path


def approx(values: Range) -> tuple[Any, ...]:
    return tuple(pytest.approx(value, rel=1e-12) for value in values)


# --- the model ----------------------------------------------------------------------------


def test_a_share_follows_by_hand(box: Catalog) -> None:
    shares = embodied_shares(box, Scenario(count=3), box.estimates)
    model_a = shares.of("model-a")
    assert model_a is not None
    # model-a: 80 / 90 / 100 Wh GPU+CPU+RAM × host overhead 1 / 1.1 / 1.21 = 80 / 99 / 121 Wh
    # of whole-server energy; ÷ 2,000 / 1,000 / 500 W (the low share divides by the high
    # power) = 0.04 / 0.099 / 0.242 h; ÷ 1,000 h; × 1,400,000 gCO2e.
    assert tuple(model_a.per_clip) == approx(Range(56.0, 138.6, 338.8))
    assert tuple(model_a.batch) == approx(Range(168.0, 415.8, 1016.4))
    labels = [step.label for step in model_a.steps]
    assert labels[-5:] == [
        "share of the hardware's life: hours ÷ lifetime",
        "embodied: share × the base server's manufacture",
        "embodied: share × 4 accelerators' manufacture",
        "embodied per clip: server + accelerators",
        "batch of 3 clips",
    ]
    by_label = {step.label: step for step in model_a.steps}
    server = by_label["embodied: share × the base server's manufacture"]
    accelerators = by_label["embodied: share × 4 accelerators' manufacture"]
    assert tuple(server.value) == approx(Range(40.0, 99.0, 242.0))
    assert tuple(accelerators.value) == approx(Range(16.0, 39.6, 96.8))
    assert (server.factor_id, server.source_id) == ("box-server", "paper")
    assert accelerators.factor_text == "4 × 100 kgCO2e (box-accelerator)"
    hours = model_a.steps[-6]
    assert hours.unit == "h" and hours.factor_id == "box-power"
    assert tuple(hours.value) == approx(Range(0.04, 0.099, 0.242))
    for derivation in shares.derivations.values():
        check_steps(derivation.steps)  # every step recomputes from its inputs


def test_a_facility_figure_goes_back_to_server_energy_with_the_pue(box: Catalog) -> None:
    shares = embodied_shares(box, Scenario(), box.estimates)
    model_d = shares.of("model-d")
    assert model_d is not None
    # 10 Wh at the facility ÷ Testland's PUE 1.25 = 8 Wh; ÷ 2,000 / 1,000 / 500 W; ÷ 1,000 h
    assert tuple(model_d.per_clip) == approx(Range(5.6, 11.2, 22.4))


def test_rows_without_server_energy_say_why(box: Catalog) -> None:
    shares = embodied_shares(box, Scenario(), box.estimates)
    assert shares.missing == {
        "water-c": "no embodied share: the source published no energy figure",
        "model-e": (
            "no embodied share: the source does not say what its figure covers (boundary unknown)"
        ),
    }
    assert list(shares.derivations) == ["model-a", "model-b", "model-d"]


def test_the_share_is_scaled_with_the_clip(box: Catalog) -> None:
    asked = Scenario(request=ClipRequest(duration_s=10.0))
    scaled = embodied_shares(box, asked, box.estimates)
    plain = embodied_shares(box, Scenario(), box.estimates)
    energy_scaled = clip_report(box, asked).results.rows
    for estimate_id, derivation in scaled.derivations.items():
        mine = derivation.scale_factor
        row = next(row for row in energy_scaled if row.estimate.id == estimate_id)
        assert mine == row.derivation.scale_factor  # the same scaling as the energy row
        unscaled = plain.of(estimate_id)
        assert unscaled is not None
        if mine is not None:
            assert derivation.per_clip.mid == pytest.approx(unscaled.per_clip.mid * mine.mid)


def test_without_embodied_records_the_option_is_a_usage_problem() -> None:
    catalog = parse_catalog(MODEL_TEXT, "model.yaml")
    with pytest.raises(UsageProblem, match="no 'embodied' section"):
        hardware_of(catalog)


@settings(max_examples=60, deadline=None)
@given(
    lifetime=st.floats(min_value=1.0, max_value=1e5),
    power=st.floats(min_value=10.0, max_value=1e5),
    count=st.integers(min_value=1, max_value=10**6),
)
def test_the_share_falls_with_lifetime_and_power_and_grows_with_the_batch(
    box: Catalog, lifetime: float, power: float, count: int
) -> None:
    changed = replace(
        box,
        embodied={
            **box.embodied,
            "box-lifetime": replace(box.embodied["box-lifetime"], values=Range.single(lifetime)),
            "box-power": replace(box.embodied["box-power"], values=Range.single(power)),
        },
    )
    twice = replace(
        changed,
        embodied={
            **changed.embodied,
            "box-lifetime": replace(
                changed.embodied["box-lifetime"], values=Range.single(2 * lifetime)
            ),
        },
    )
    one = embodied_shares(changed, Scenario(count=count), changed.estimates).of("model-a")
    longer = embodied_shares(twice, Scenario(count=count), twice.estimates).of("model-a")
    assert one is not None and longer is not None
    for case, doubled in zip(one.per_clip, longer.per_clip, strict=True):
        assert doubled == pytest.approx(case / 2, rel=1e-12)  # twice the life, half the share
    for case, batch in zip(one.per_clip, one.batch, strict=True):
        assert batch == pytest.approx(case * count, rel=1e-12)
    # energy ÷ power ÷ lifetime × 1,400 kgCO2e, case by case (one power: no interval swap)
    server_wh = Range(80.0, 99.0, 121.0)
    for case, energy in zip(one.per_clip, server_wh, strict=True):
        assert case == pytest.approx(energy / power / lifetime * 1.4e6, rel=1e-12)
    check_steps(one.steps)


# --- the shipped records ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_sources_path(), use_cache=False)


def test_the_shipped_records_are_ecologits_own_figures(shipped: Catalog) -> None:
    data = json.loads(
        (resources.files("ecologits") / "data" / "video_models.json").read_text("utf-8")
    )
    dgx = data["hardware_configurations"]["dgx_h200"]
    hardware = hardware_of(shipped)
    assert hardware.name == "NVIDIA DGX H200 (8 × H200)"
    assert (hardware.server.values.mid, hardware.server.unit) == (
        dgx["server_embodied"]["gwp"], "kgCO2e",
    )  # fmt: skip
    assert hardware.accelerator.values.mid == dgx["accelerator_embodied"]["gwp"]
    assert hardware.accelerator.count == dgx["number_of_accelerators"]
    power = dgx["server_power"]
    assert tuple(hardware.power.values) == (power["p2_5"], power["mean"], power["p97_5"])
    assert hardware.power.unit == "W"
    from ecologits.impacts.video import HARDWARE_LIFESPAN  # seconds

    assert hardware.lifetime_hours().mid == pytest.approx(HARDWARE_LIFESPAN / 3600, rel=1e-15)
    assert hardware.total("kgCO2e").mid == 6000 + 8 * 364
    for record in hardware.records:
        assert record.source in shipped.sources
        assert shipped.others_citing(record.source)  # the sources list shows what cites it


def test_ecologits_own_embodied_figure_is_recovered_from_its_energy(runner: CliRunner) -> None:
    """EcoLogits knows a request's generation time; soracost recovers it from the energy.
    At EcoLogits' low power, its low energy gives exactly its generation time, and so its
    embodied figure."""
    from ecologits.estimations import video_impacts

    document = json.loads(
        run(runner, "explain", "ecologits-openai-sora-2-pro", "--ecologits", "openai/sora-2-pro",
            "-d", "10", "-r", "720p", "--embodied", "-f", "json")
    )  # fmt: skip
    block = document["embodied"]
    share = block["shares"][0]
    server_wh = next(step for step in share["steps"] if "it_energy" in step["roles"])["value"]
    power = next(record for record in block["records"] if record["kind"] == "power")
    hours = server_wh["low"] / power["values"]["low"]
    mine = hours / block["lifetime_hours"]["mid"] * block["embodied_total"]["mid"]  # gCO2e
    theirs = video_impacts("openai/sora-2-pro", "720p", 10).embodied.gwp.value * 1000
    assert mine == pytest.approx(theirs, rel=1e-9)
    # and the share shown brackets it: soracost does not know which power was drawn
    assert share["per_clip"]["low"] <= theirs <= share["per_clip"]["high"]


# --- the loader ---------------------------------------------------------------------------


def error_of(text: str) -> DataError:
    with pytest.raises(DataError) as caught:
        parse_catalog(text, "bad.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        ("    count: 4\n", "", "say how many accelerators one server holds", "count"),
        ("    count: 4\n", "    count: 0\n", "must be 1 to 1024, got 0", "count"),
        (
            "    kind: lifetime\n    hardware: Test box (4 accelerators)\n",
            "    kind: lifetime\n    hardware: Test box (4 accelerators)\n    count: 2\n",
            "only an accelerator record says how many",
            "count",
        ),
        ('{mid: "1000 h"}', '{mid: "1000 Wh"}', "'Wh' is not a unit of time", "published.mid"),
        ('{mid: "1000 kgCO2e"}', '{mid: "0 kgCO2e"}', "must be more than zero", "published"),
        ('{mid: "1000 kgCO2e"}', '{mid: "9e9 kgCO2e"}', "a typo?", "published"),
        (
            "kind: power\n    hardware: Test box",
            "kind: power\n    hardware: Other box",
            "every embodied record describes the same hardware",
            "hardware",
        ),
        (
            '    kind: lifetime\n    hardware: Test box (4 accelerators)\n    published: {mid: "1000 h"}',
            '    kind: server\n    hardware: Test box (4 accelerators)\n    published: {mid: "1 t"}',
            "a second server record (first: 'box-server')",
            "kind",
        ),
        ("    kind: power\n", "    kind: voltage\n", "voltage", "kind"),
    ],
)
def test_bad_embodied_records_name_the_entry_and_field(
    old: str, new: str, message: str, field: str
) -> None:
    assert EMBODIED.count(old) == 1, old
    error = error_of(MODEL_TEXT + EMBODIED.replace(old, new))
    assert message in str(error)
    assert error.field == field
    assert error.entry is not None and error.entry.startswith("embodied record ")
    assert "\n" not in error.one_line()


def test_a_section_missing_a_kind_is_refused() -> None:
    start = EMBODIED.index("  - id: box-power")
    error = error_of(MODEL_TEXT + EMBODIED[:start])
    assert str(error).endswith("embodied: needs one record of each kind; missing: power")


# --- the outputs --------------------------------------------------------------------------


def run(runner: CliRunner, *arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_nothing_changes_without_the_option(
    runner: CliRunner, box_file: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(MODEL_TEXT, encoding="utf-8")
    for command in (["clip", "--count", "2"], ["compare"], ["explain", "model-a"]):
        for extra in ([], ["--format", "csv"], ["--format", "json"], ["--wide"]):
            if extra == ["--wide"] and command[0] == "explain":
                continue
            with_section = run(runner, *command, *extra, "--sources", str(box_file))
            without = run(runner, *command, *extra, "--sources", str(plain))
            # the data file's path and digest differ; nothing else may
            normalised = with_section.replace(str(box_file), str(plain))
            if extra == ["--format", "json"]:
                mine, theirs = json.loads(normalised), json.loads(without)
                mine["sources_file"] = theirs["sources_file"]
                assert "embodied" not in mine
                assert mine == theirs
            else:
                assert normalised == without


def test_clip_table_has_its_own_column_and_says_what_it_is(
    runner: CliRunner, box_file: Path
) -> None:
    out = run(runner, "clip", "--embodied", "--sources", str(box_file))
    header = next(line for line in out.splitlines() if "Embodied" in line)
    assert header.split()[-1] == "Embodied"
    line_a = next(line for line in out.splitlines() if line.startswith("model-a"))
    assert "139" in line_a.split()  # 138.6 gCO2e, the mid (the compact table: 3 figures)
    line_e = next(line for line in out.splitlines() if line.startswith("model-e"))
    assert line_e.split()[-1] == "n/a"
    flat = " ".join(out.split())
    assert " ".join(EMBODIED_NOTE.split()) in flat
    assert "Test box (4 accelerators), 1,000 kgCO2e (server) + 4 × 100 kgCO2e" in flat
    assert "None for: water-c, model-e" in flat


def test_wide_clip_shows_per_clip_and_batch_columns(runner: CliRunner, box_file: Path) -> None:
    out = run(runner, "clip", "--embodied", "--wide", "--count", "3", "--sources", str(box_file))
    assert "Embodied per" in out and "Embodied × 3" in out
    assert "139" in out and "416" in out  # 138.6 per clip, 415.8 for 3


def test_csv_gives_full_precision_on_each_estimates_first_row(
    runner: CliRunner, box_file: Path
) -> None:
    text = run(runner, "clip", "--embodied", "--count", "3", "-f", "csv", "--sources",
               str(box_file))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(text)))
    model_a = [row for row in rows if row["estimate_id"] == "model-a"]
    assert [row["quantity"] for row in model_a] == ["energy", "water"]
    first, second = model_a
    assert float(first["embodied_mid"]) == pytest.approx(138.6, rel=1e-12)
    assert float(first["embodied_batch_high"]) == pytest.approx(1016.4, rel=1e-12)
    assert (first["embodied_unit"], first["embodied_hardware"]) == (
        "gCO2e", "Test box (4 accelerators)",
    )  # fmt: skip
    assert all(second[key] == "" for key in first if key.startswith("embodied_"))
    water_c = next(row for row in rows if row["estimate_id"] == "water-c")
    assert water_c["embodied_reason"] == "no embodied share: the source published no energy figure"
    assert water_c["embodied_mid"] == ""
    # never folded into the usage figures
    assert float(first["per_clip_mid"]) == pytest.approx(90 * 1.1 * 1.25, rel=1e-12)


def test_json_has_an_embodied_block_apart_from_the_rows(runner: CliRunner, box_file: Path) -> None:
    document = json.loads(
        run(runner, "compare", "--embodied", "-f", "json", "--sources", str(box_file))
    )
    block = document["embodied"]
    assert block["unit"] == "gCO2e" and block["hardware"] == "Test box (4 accelerators)"
    assert block["embodied_total"] == {"low": 1.4e6, "mid": 1.4e6, "high": 1.4e6, "unit": "gCO2e"}
    assert [record["id"] for record in block["records"]] == [
        "box-power", "box-lifetime", "box-server", "box-accelerator",
    ]  # fmt: skip
    assert block["records"][0]["unconfirmed"] == {"published.mid": "read second-hand"}
    share = next(item for item in block["shares"] if item["estimate_id"] == "model-a")
    assert share["per_clip"]["mid"] == pytest.approx(138.6, rel=1e-12)
    assert share["steps"][-2]["roles"] == ["per_clip"]
    assert {item["estimate_id"] for item in block["not_given"]} == {"model-e"}
    assert all("embodied" not in row for row in document["rows"])
    plain = json.loads(run(runner, "compare", "-f", "json", "--sources", str(box_file)))
    assert document["rows"] == plain["rows"]  # the usage rows are the same, to the last digit


def test_explain_shows_the_steps_in_table_csv_and_json(runner: CliRunner, box_file: Path) -> None:
    sources = ("--sources", str(box_file))
    table = run(runner, "explain", "model-a", "--embodied", *sources)
    assert "embodied, apart from the figures above (gCO2e)" in table
    assert "1–2. as in the energy branch above" in table
    assert "÷ 500–1,000–2,000 W (box-power)" in table
    assert "confidence: partial; not confirmed: published.mid" in table
    steps = list(csv.DictReader(io.StringIO(run(runner, "explain", "model-a", "--embodied",
                                                "-f", "csv", *sources))))  # fmt: skip
    embodied = [row for row in steps if row["quantity"] == "embodied"]
    assert [row["kind"] for row in embodied][-4:] == ["embodied", "embodied", "embodied", "batch"]
    assert float(embodied[-1]["value_mid"]) == pytest.approx(138.6, rel=1e-12)
    document = json.loads(run(runner, "explain", "model-a", "--embodied", "-f", "json", *sources))
    assert document["embodied"]["shares"][0]["estimate_id"] == "model-a"
    none = run(runner, "explain", "model-e", "--embodied", *sources)
    assert "no embodied share: the source does not say what its figure covers" in none


def test_the_option_without_records_is_exit_2_in_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(MODEL_TEXT, encoding="utf-8")
    result = runner.invoke(app, ["clip", "--embodied", "--sources", str(plain)])
    assert result.exit_code == 2
    assert "--embodied: the data file has no 'embodied' section" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_shipped_catalogue_gives_a_share_to_every_row_with_server_energy(
    runner: CliRunner,
) -> None:
    document = json.loads(run(runner, "clip", "--embodied", "-f", "json"))
    block = document["embodied"]
    given_ids = {item["estimate_id"] for item in block["shares"]}
    energy_rows = {row["estimate_id"] for row in document["rows"] if row["quantity"] == "energy"}
    server_rows = {
        row["estimate_id"] for row in document["rows"]
        if row["quantity"] == "energy" and row["boundary_shown"] != "unknown"
    }  # fmt: skip
    assert server_rows <= given_ids <= energy_rows
    cnet = next(item for item in block["shares"] if item["estimate_id"] == "cnet-90wh")
    # 90 Wh × 1.0488 (host overhead, mid) ÷ 6,646.63 W ÷ 26,280 h × 8,912,000 gCO2e
    assert cnet["per_clip"]["mid"] == pytest.approx(4.816, rel=1e-3)
