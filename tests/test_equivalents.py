"""Everyday equivalents and the training share: exact against hand computations.

tests/data/model.yaml holds equivalents chosen to be checked by hand: a 120 W TV (2 Wh a
minute), a 1–4 kW oven, a scooter at 10 Wh per 2 km, a 0.5 L bottle and a car at
200 gCO2e/km; and a training record of 1–4 MWh (mid 2 MWh, the geometric mean).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.equivalents import count_of, parse_any_amount
from soracost.core.errors import DataError, UsageProblem
from soracost.core.ranges import Range
from soracost.core.records import Catalog
from soracost.core.training import resolve_training, training_share
from soracost.data.catalog import load_catalog

from .conftest import DATA

MODEL_YAML = DATA / "model.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(MODEL_YAML)


def invoke(runner: CliRunner, *arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*arguments, "--sources", str(MODEL_YAML)])
    return result.exit_code, result.stdout, result.stderr


# --- amounts per counted unit -------------------------------------------------------------


def test_amounts_per_counted_unit_are_exact(catalog: Catalog) -> None:
    items = catalog.equivalents
    assert items["tv"].amount == Range.single(2.0)  # 120 W for one minute = 2 Wh
    assert items["tv"].amount_unit == "Wh"
    assert items["oven"].amount == Range(1000.0, 2000.0, 4000.0)  # Wh per hour
    assert items["scooter"].amount == Range.single(5.0)  # 10 Wh per 2 km
    assert items["bottle"].amount == Range.single(0.5) and items["bottle"].amount_unit == "L"
    assert items["car"].amount == Range.single(200.0) and items["car"].amount_unit == "gCO2e"


def test_a_count_divides_range_by_range(catalog: Catalog) -> None:
    assert count_of(Range(60.0, 90.0, 120.0), "Wh", catalog.equivalents["tv"]) == Range(
        30.0, 45.0, 60.0
    )
    # the fewest hours: the smallest figure over the strongest oven
    assert count_of(Range(1.0, 2.0, 4.0), "kWh", catalog.equivalents["oven"]) == Range(
        0.25, 1.0, 4.0
    )
    assert count_of(Range.single(750.0), "mL", catalog.equivalents["bottle"]) == Range.single(1.5)


@given(
    st.floats(min_value=1e-6, max_value=1e9),
    st.floats(min_value=1.0, max_value=1e3),
)
def test_counts_grow_with_the_figure_and_keep_their_order(value: float, factor: float) -> None:
    item = load_catalog(MODEL_YAML).equivalents["oven"]
    counts = count_of(Range(value, value * factor, value * factor * 2), "Wh", item)
    assert counts.low <= counts.mid <= counts.high
    doubled = count_of(Range(value, value * factor, value * factor * 2) * 2.0, "Wh", item)
    assert doubled.mid == pytest.approx(counts.mid * 2)


def test_typed_amounts_find_their_basis() -> None:
    assert parse_any_amount("90 Wh").basis == "energy"
    assert parse_any_amount(" 650 mL").basis == "water"
    assert parse_any_amount("40 gCO2e").basis == "carbon"
    with pytest.raises(ValueError, match="not an energy, a volume of water or a mass of CO2e"):
        parse_any_amount("3 parsecs")


# --- the loader says what is wrong, and where -----------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('published: {mid: "120 W"}', 'published: {mid: "120 L"}', "not a unit of energy"),
        ("counts: min\n    basis: energy\n    published: {mid: \"120 W\"}",
         "counts: hugs\n    basis: energy\n    published: {mid: \"120 W\"}",
         "needs 'counts' to be a duration"),
        ("per: 2 km", "per: 2 kg", "not a unit of length"),
        ("per: 2 km", "per: 0 km", "more than zero"),
        ("counts: km\n    basis: carbon", "counts: kg\n    basis: carbon", "count time, distance"),
        ("counts: bottles\n", "counts: bottles\n    per: 2 km\n", "'per' needs 'counts'"),
        ("basis: water", "basis: mood", "basis"),
        ("id: oven", "id: tv", "duplicate id 'tv'"),
        ("accounting: market-based", "accounting: market-based\n    per: 1 km", "per"),
        ('published: {low: "1 MWh", high: "4 MWh"}', 'published: {low: "1 ML", high: "4 ML"}',
         "not a unit of energy"),
    ],
)  # fmt: skip
def test_bad_equivalents_and_training_records_name_the_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = MODEL_YAML.read_text()
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError, match=message) as caught:
        load_catalog(bad)
    assert caught.value.line is not None


# --- clip --equivalents ---------------------------------------------------------------------


def test_clip_json_rows_carry_equivalents_of_their_own_basis(runner: CliRunner) -> None:
    code, out, err = invoke(
        runner, "clip", "--count", "2", "--equivalents", "--carbon", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    rows = {(row["estimate_id"], row["quantity"]): row for row in document["rows"]}
    for row in document["rows"]:
        assert row["equivalents"], row["estimate_id"]
        for entry in row["equivalents"]:
            assert entry["basis"] == row["quantity"]
            assert {"name", "basis", "low", "mid", "high", "source", "batch"} <= set(entry)
    # model-b: 7,200 J = 2 Wh as published, GPU only → × 1.5 server → × 1.25 PUE = 3.75 Wh
    energy = {entry["id"]: entry for entry in rows[("model-b", "energy")]["equivalents"]}
    assert energy["tv"]["mid"] == pytest.approx(3.75 / 2)
    assert energy["tv"]["batch"]["mid"] == pytest.approx(3.75)
    assert energy["scooter"]["mid"] == pytest.approx(3.75 / 5)
    carbon = {entry["id"]: entry for entry in rows[("model-b", "carbon")]["equivalents"]}
    assert carbon["car"]["mid"] == pytest.approx(3.75 * 0.4 / 200)  # 1.5 gCO2e ÷ 200 g/km
    water = {entry["id"]: entry for entry in rows[("water-c", "water")]["equivalents"]}
    assert water["bottle"]["mid"] == pytest.approx(0.5 / 0.5)  # 500 mL as published
    assert document["step_sources"]["news"]["publisher"] == "Daily News"


def test_clip_csv_has_a_column_per_equivalent_empty_for_another_basis(
    runner: CliRunner,
) -> None:
    code, out, err = invoke(runner, "clip", "--equivalents", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    b_energy = next(r for r in rows if (r["estimate_id"], r["quantity"]) == ("model-b", "energy"))
    assert float(b_energy["equivalent_tv_per_clip_mid"]) == pytest.approx(3.75 / 2)
    assert b_energy["equivalent_bottle_per_clip_mid"] == ""
    water = next(r for r in rows if r["quantity"] == "water")
    assert (
        water["equivalent_tv_per_clip_mid"] == "" and water["equivalent_bottle_per_clip_mid"] != ""
    )


def test_clip_table_shows_equivalents_with_their_sources(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "clip", "--equivalents", "--count", "2")
    assert code == 0, err
    out = " ".join(out.split())  # titles wrap to their table's width
    assert "Everyday equivalents of the energy of 2 clips (basis: energy" in out
    assert "Everyday equivalents of the water of 2 clips (basis: water" in out
    assert "a TV on" in out and "a bottle" in out
    assert "'soracost equivalents' lists them" in out


def test_without_the_flag_there_are_no_equivalents(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "clip", "--format", "json")
    assert code == 0
    assert all("equivalents" not in row for row in json.loads(out)["rows"])


# --- soracost equivalents -------------------------------------------------------------------


def test_equivalents_lists_every_record(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "equivalents", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert [item["id"] for item in document["equivalents"]] == [
        "tv", "oven", "scooter", "bottle", "car",
    ]  # fmt: skip
    scooter = document["equivalents"][2]
    assert scooter["amount_per_unit"] == {"low": 5.0, "mid": 5.0, "high": 5.0, "unit": "Wh"}
    assert scooter["per"] == "2 km" and scooter["source"]["id"] == "news"
    code, out, _ = invoke(runner, "equivalents")
    assert code == 0 and "Everyday equivalents for --equivalents" in out


def test_equivalents_of_typed_amounts(runner: CliRunner) -> None:
    code, out, err = invoke(
        runner, "equivalents", "--of", "90 Wh", "--of", "1 L", "--format", "json"
    )
    assert code == 0, err
    amounts = json.loads(out)["amounts"]
    assert [a["basis"] for a in amounts] == ["energy", "water"]
    energy = {entry["id"]: entry for entry in amounts[0]["equivalents"]}
    assert energy["tv"]["mid"] == 45.0 and energy["scooter"]["mid"] == 18.0
    assert energy["oven"]["low"] == pytest.approx(90 / 4000)
    assert amounts[1]["equivalents"][0]["mid"] == 2.0  # 1 L = two 0.5 L bottles
    code, out, _ = invoke(runner, "equivalents", "--of", "90 Wh", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("90 Wh,90.0,Wh,energy,tv,")
    code, out, _ = invoke(runner, "equivalents", "--of", "90 Wh")
    assert code == 0 and "45" in out


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-3 Wh", "is negative"), ("90 W", "is a power, not an amount")],
)
def test_amounts_that_are_not_amounts_say_why(runner: CliRunner, amount: str, message: str) -> None:
    code, _, err = invoke(runner, "equivalents", "--of", amount)
    assert code == 2 and message in err


def test_an_unreadable_amount_is_a_usage_error(runner: CliRunner) -> None:
    code, _, err = invoke(runner, "equivalents", "--of", "lots")
    assert code == 2
    assert err.strip().startswith("soracost: usage error: --of:") and len(err.splitlines()) == 1


# --- the training share ---------------------------------------------------------------------


def test_training_share_is_training_over_lifetime_clips(catalog: Catalog) -> None:
    request = resolve_training(catalog, "big-model", 1000)
    assert request is not None and request.record is catalog.training["big-model"]
    share = training_share(request, "Wh", 3)
    assert share.training == Range(1e6, 2e6, 4e6)
    assert share.per_clip == Range(1000.0, 2000.0, 4000.0)
    assert share.batch == Range(3000.0, 6000.0, 12000.0)
    typed = resolve_training(catalog, "3 kWh", 4)
    assert typed is not None and typed.record is None
    assert training_share(typed, "Wh", 1).per_clip == Range.single(750.0)


@pytest.mark.parametrize(
    ("energy", "clips", "message"),
    [
        ("big-model", None, "--training-energy needs --lifetime-clips"),
        (None, 10, "--lifetime-clips needs --training-energy"),
        ("a lot", 10, "name a training record: big-model"),
        ("0 Wh", 10, "more than zero"),
        ("5 L", 10, "not a unit of energy"),
    ],
)
def test_training_options_are_checked(
    catalog: Catalog, energy: str | None, clips: int | None, message: str
) -> None:
    with pytest.raises(UsageProblem, match=message):
        resolve_training(catalog, energy, clips)
    assert resolve_training(catalog, None, None) is None


def test_training_energy_without_lifetime_clips_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "clip", "--training-energy", "big-model")
    assert code == 2 and out == ""
    assert err == (
        "soracost: usage error: --training-energy needs --lifetime-clips N: the number of "
        "clips the model makes in its life, over which its training energy is shared\n"
    )


def test_the_training_share_is_never_folded_into_inference(runner: CliRunner) -> None:
    _, plain, _ = invoke(runner, "clip", "--format", "json")
    code, shared, err = invoke(
        runner, "clip", "--count", "2", "--training-energy", "big-model",
        "--lifetime-clips", "1000", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(shared)
    per_clip = [row["per_clip"] for row in json.loads(plain)["rows"]]
    assert [row["per_clip"] for row in document["rows"]] == per_clip
    share = document["training_share"]
    assert share["per_clip"] == {"low": 1000.0, "mid": 2000.0, "high": 4000.0}
    assert share["batch"] == {"low": 2000.0, "mid": 4000.0, "high": 8000.0}
    assert share["record_id"] == "big-model" and share["lifetime_clips"] == 1000
    assert share["source"]["id"] == "paper" and "Sora's training energy" in share["note"]


def test_training_share_has_its_own_row_and_columns(runner: CliRunner) -> None:
    arguments = ("clip", "--training-energy", "2 MWh", "--lifetime-clips", "500")
    code, out, err = invoke(runner, *arguments, "--wide")
    assert code == 0, err
    assert "training share" in out and "÷ 500 lifetime clips" in out
    assert "Sora's training energy has not been published" in out
    code, out, err = invoke(runner, *arguments, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    energy = next(r for r in rows if r["quantity"] == "energy")
    assert float(energy["training_share_mid"]) == 4000.0  # 2 MWh ÷ 500 clips, in Wh
    assert energy["training_id"] == "2 MWh" and energy["training_lifetime_clips"] == "500"
    water = next(r for r in rows if r["quantity"] == "water")
    assert water["training_share_mid"] == ""


def test_a_batch_cannot_share_more_than_the_whole_training(catalog: Catalog) -> None:
    with pytest.raises(UsageProblem, match="--count 10 is more than --lifetime-clips 3"):
        resolve_training(catalog, "big-model", 3, count=10)
    assert resolve_training(catalog, "big-model", 3, count=3) is not None


@pytest.mark.parametrize(
    "arguments",
    [
        ("clip", "--training-energy", "1e300 GWh", "--lifetime-clips", "1"),
        ("equivalents", "--of", "1e308 GWh"),
    ],
)
def test_huge_amounts_are_usage_errors_not_tracebacks(
    runner: CliRunner, arguments: tuple[str, ...]
) -> None:
    code, _, err = invoke(runner, *arguments)
    assert code == 2 and "too large" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('published: {mid: "0.5 L"}', 'published: {mid: "1e-320 mL"}', "outside what can be"),
        ('published: {low: "1 MWh", high: "4 MWh"}', 'published: {low: "1 MWh", high: "1e300 GWh"}',
         "is a typo"),
    ],
)  # fmt: skip
def test_absurd_amounts_in_the_data_are_refused_at_load(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MODEL_YAML.read_text().replace(old, new, 1))
    with pytest.raises(DataError, match=message):
        load_catalog(bad)


def test_figures_without_equivalents_of_their_basis_say_so(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = MODEL_YAML.read_text()
    start = text.index("  - id: car\n")
    end = text.index("training:")
    without_car = tmp_path / "no_car.yaml"
    without_car.write_text(text[:start] + text[end:])
    result = runner.invoke(
        app, ["clip", "--carbon", "--equivalents", "--sources", str(without_car)]
    )
    assert result.exit_code == 0, result.stderr
    assert "no equivalents of basis carbon" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("counts", "after_per", "many", "one"),
    [
        ("charges", "charge", "charges", "charge"),
        ("glasses", "glass", "glasses", "glass"),
        ("teaspoons", "teaspoon", "teaspoons", "teaspoon"),
        ("min", "min", "min", "min"),
        ("km", "km", "km", "km"),
        ("day", "day", "days", "day"),
    ],
)
def test_what_is_counted_reads_in_the_singular_and_the_plural(
    counts: str, after_per: str, many: str, one: str
) -> None:
    from soracost.views.equivalents_view import _many, _one

    assert _one(counts) == after_per  # "Wh per charge"
    assert _many(counts, 3.24) == many  # "3.24 days"
    assert _many(counts, 1) == one  # "1 day"
