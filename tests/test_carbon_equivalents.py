"""Carbon equivalents: every row with a figure gets everyday equivalents of its own basis,
carbon included (the late-2025 catalogue had none for carbon)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.equivalents import express_amount, of_basis, parse_any_amount
from soracost.core.units import QUANTITIES
from soracost.data.catalog import default_sources_path, load_catalog

SHIPPED = load_catalog(default_sources_path(), use_cache=False)
GRAMS_PER_KM = 400 / 1.609344
"""EPA's 400 g of CO2 per mile, per km."""


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_the_catalogue_has_equivalents_of_every_basis() -> None:
    for basis in QUANTITIES:
        assert of_basis(SHIPPED, basis), basis


def test_the_petrol_car_is_epas_400_g_per_mile() -> None:
    car = SHIPPED.equivalents["petrol-car"]
    assert (car.basis, car.counts, car.amount_unit) == ("carbon", "km", "gCO2e")
    assert car.amount.mid == pytest.approx(GRAMS_PER_KM)
    assert car.source == "epa-passenger-vehicle"


@pytest.mark.parametrize("site", ["us-national", "france", "arizona"])
def test_every_row_with_a_figure_has_equivalents_of_its_basis(site: str) -> None:
    result = invoke("clip", "--carbon", "--equivalents", "--site", site, "-f", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["rows"]
    assert {row["quantity"] for row in rows} == set(QUANTITIES)
    for row in rows:
        items = row["equivalents"]
        assert items, (row["estimate_id"], row["quantity"])
        assert {item["basis"] for item in items} == {row["quantity"]}
        for item in items:  # low ≤ mid ≤ high, each count finite
            assert 0 <= item["low"] <= item["mid"] <= item["high"] < math.inf


def test_carbon_rows_are_counted_in_km_of_petrol_car() -> None:
    document = json.loads(invoke("clip", "--carbon", "-e", "-n", "10", "-f", "json").stdout)
    row = next(row for row in document["rows"] if row["quantity"] == "carbon")
    car = next(item for item in row["equivalents"] if item["id"] == "petrol-car")
    assert car["mid"] == pytest.approx(row["per_clip"]["mid"] / GRAMS_PER_KM)
    assert car["batch"]["mid"] == pytest.approx(10 * car["mid"])
    table = invoke("clip", "--carbon", "-e").stdout
    assert "Everyday equivalents of the carbon" in table


@settings(max_examples=50, deadline=None)
@given(grams=st.floats(1e-6, 1e9))
def test_an_amount_of_carbon_is_km_driven(grams: float) -> None:
    expressed = express_amount(SHIPPED, parse_any_amount(f"{grams!r} gCO2e"))
    car = next(item for item in expressed if item.equivalent.id == "petrol-car")
    assert math.isclose(car.per_clip.mid, grams / GRAMS_PER_KM, rel_tol=1e-12)
    assert all(item.equivalent.basis == "carbon" for item in expressed)
