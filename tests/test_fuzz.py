"""Property tests: the loader only ever raises its own errors; units round-trip."""

from __future__ import annotations

import math

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soracost.core.errors import DataError
from soracost.core.units import conversion_factor, parse_amount
from soracost.data.catalog import parse_catalog

from .test_catalog import MINI_TEXT

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["90 Wh", "3.4 MJ", "0.17 gal", "1e400 Wh", "-1 L", "x", "2025-09-23"]),
)
keys = st.one_of(
    st.sampled_from(
        ["schema_version", "sources", "estimates", "id", "published", "mid", "source", "quantity"]
    ),
    st.text(max_size=10),
)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)


def loads_or_reports(text: str) -> None:
    try:
        parse_catalog(text, "fuzz.yaml")
    except DataError as error:
        assert "\n" not in error.one_line()
        assert str(error).startswith("fuzz.yaml")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_yaml_document_loads_or_raises_a_data_error(document: object) -> None:
    loads_or_reports(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_loads_or_raises_a_data_error(text: str) -> None:
    loads_or_reports(text)


@settings(max_examples=200)
@given(st.data())
def test_mutated_catalogues_load_or_raise_a_data_error(data: st.DataObject) -> None:
    text = MINI_TEXT
    position = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    replacement = data.draw(st.text(max_size=8))
    cut = data.draw(st.integers(min_value=0, max_value=8))
    loads_or_reports(text[:position] + replacement + text[position + cut :])


ENERGY_UNITS = ["Wh", "kWh", "MWh", "J", "kJ", "MJ", "GJ", "kcal", "Btu", "eV"]
WATER_UNITS = ["mL", "L", "m**3", "gal", "tsp", "tbsp", "cup", "floz", "cm**3"]


@settings(deadline=None)  # the first unusual unit builds pint's registry
@given(st.sampled_from(ENERGY_UNITS), st.sampled_from(ENERGY_UNITS))
def test_energy_units_round_trip(a: str, b: str) -> None:
    assert math.isclose(conversion_factor(a, b) * conversion_factor(b, a), 1.0, rel_tol=1e-12)


@settings(deadline=None)
@given(st.sampled_from(WATER_UNITS), st.sampled_from(WATER_UNITS))
def test_water_units_round_trip(a: str, b: str) -> None:
    assert math.isclose(conversion_factor(a, b) * conversion_factor(b, a), 1.0, rel_tol=1e-12)


@given(st.floats(min_value=0, max_value=1e300, allow_nan=False), st.sampled_from(ENERGY_UNITS))
def test_published_amounts_parse_back_exactly(value: float, unit: str) -> None:
    assert parse_amount(f"{value!r} {unit}", "energy") == (value, unit)
