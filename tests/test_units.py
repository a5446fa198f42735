"""Units: parsing published amounts, checking dimensions, converting."""

from __future__ import annotations

from typing import Any

import pytest

from soracost.core.units import UnitProblem, check_unit, conversion_factor, parse_amount


@pytest.mark.parametrize(
    ("text", "quantity", "expected"),
    [
        ("90 Wh", "energy", (90.0, "Wh")),
        ("3.4 MJ", "energy", (3.4, "MJ")),
        ("109,000 J", "energy", (109000.0, "J")),
        ("1,164,111.77 J", "energy", (1164111.77, "J")),
        ("0.000085 gal", "water", (0.000085, "gal")),
        ("  .5 L ", "water", (0.5, "L")),
        ("2e3 mL", "water", (2000.0, "mL")),
        ("0 Wh", "energy", (0.0, "Wh")),
        ("1 kilowatt_hour", "energy", (1.0, "kilowatt_hour")),
    ],
)
def test_parse_amount_accepts_amounts_as_sources_write_them(
    text: str, quantity: str, expected: tuple[float, str]
) -> None:
    assert parse_amount(text, quantity) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "quantity", "message"),
    [
        ("90", "energy", "has no unit"),
        ("Wh", "energy", "not a number followed by a unit"),
        ("90 Whh", "energy", "unknown unit 'Whh'"),
        ("90 kg", "energy", "'kg' is not a unit of energy"),
        ("90 Wh", "water", "'Wh' is not a unit of water"),
        ("3 L", "energy", "'L' is not a unit of energy"),
        ("20 degC", "water", "'degC' is not a unit of water"),
        ("-5 Wh", "energy", "negative"),
        ("1e400 Wh", "energy", "not a finite number"),
        ("2**10 Wh", "energy", "unknown unit '\\*\\*10 Wh'"),
        ("nan Wh", "energy", "not a number followed by a unit"),
        ("e5 Wh", "energy", "not a number followed by a unit"),
        ("٩٠ Wh", "energy", "not a number followed by a unit"),
        ("-0 Wh", "energy", "negative"),
        ("90 Wh # note", "energy", "unreadable unit"),
        ("1,2 Wh", "energy", "not a number followed by a unit"),
        ("", "energy", "not a number followed by a unit"),
    ],
)
def test_parse_amount_rejects_bad_amounts_with_a_reason(
    text: str, quantity: str, message: str
) -> None:
    with pytest.raises(UnitProblem, match=message):
        parse_amount(text, quantity)  # type: ignore[arg-type]


def test_check_unit_returns_the_name_as_written() -> None:
    assert check_unit(" kWh ", "energy") == "kWh"
    assert check_unit("tsp", "water") == "tsp"


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("Wh", "Wh", 1.0),
        ("kWh", "Wh", 1000.0),
        ("Wh", "J", 3600.0),
        ("L", "mL", 1000.0),
        ("gal", "L", 3.785411784),
        ("tsp", "mL", 4.92892159375),
    ],
)
def test_conversion_factors_match_exact_definitions(
    source: str, target: str, factor: float
) -> None:
    assert conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)


def test_the_exact_unit_table_agrees_with_pint() -> None:
    import pint

    from soracost.core.units import _EXACT

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    names = list(_EXACT)
    for a in names:
        assert check_unit(a, _EXACT[a][0]) == a
        for b in names:
            if _EXACT[a][0] != _EXACT[b][0]:
                with pytest.raises(UnitProblem):
                    check_unit(a, _EXACT[b][0])
                continue
            # pint has no CO2e: "kgCO2e" is a mass in kilograms of CO2-equivalent
            mass_a, mass_b = a.replace("CO2e", ""), b.replace("CO2e", "")
            expected = float(ureg.Quantity(1.0, mass_a).to(mass_b).magnitude)
            assert conversion_factor(a, b) == pytest.approx(expected, rel=1e-15), (a, b)
    assert conversion_factor("L/kWh", "(mL)/(Wh)") == 1.0
    assert conversion_factor("kgCO2e/kWh", "gCO2e/kWh") == 1000.0
    assert conversion_factor("lb/MWh", "gCO2e/kWh") == pytest.approx(0.45359237, rel=1e-15)
    assert conversion_factor("gal/MWh", "L/kWh") == pytest.approx(
        float(ureg.Quantity(1.0, "gal/MWh").to("L/kWh").magnitude), rel=1e-15
    )


def test_the_exact_table_converts_as_exact_fractions_rounded_once() -> None:
    """The table's sizes are ratios of whole numbers; every factor between two of its
    units, and between two of its per-units (``L/kWh`` in ``mL/Wh``), is the exact ratio
    rounded to a float once, bit for bit what :class:`~fractions.Fraction` gives."""
    from fractions import Fraction

    from soracost.core.units import _EXACT

    def size(name: str) -> Fraction:
        top, bottom = _EXACT[name][1]
        return Fraction(top, bottom)

    names = list(_EXACT)
    for a in names:
        for b in names:
            exact = float(size(a) / size(b))
            assert conversion_factor(a, b) == exact, (a, b)
    per = [f"{top}/{bottom}" for top in ("L", "gal", "g", "lb") for bottom in ("Wh", "kWh", "MJ")]
    for a in per:
        for b in per:
            top_a, bottom_a = a.split("/")
            top_b, bottom_b = b.split("/")
            exact = float((size(top_a) / size(bottom_a)) / (size(top_b) / size(bottom_b)))
            if _EXACT[top_a][0] == _EXACT[top_b][0]:
                assert conversion_factor(a, b) == exact, (a, b)
    assert conversion_factor("gal", "mL") == 3785.411784
    assert conversion_factor("lb/MWh", "gCO2e/kWh") == 0.45359237


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.35 kgCO2e/kWh", (0.35, "kgCO2e/kWh")),
        ("823.1 lb/MWh", (823.1, "lb/MWh")),
        ("384 g/kWh", (384.0, "g/kWh")),
        ("0.4 mgCO2e/Wh", (0.4, "mgCO2e/Wh")),
    ],
)
def test_carbon_intensities_are_read_as_mass_per_energy(
    text: str, expected: tuple[float, str]
) -> None:
    from soracost.core.units import parse_carbon_intensity

    assert parse_carbon_intensity(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.35 L/kWh", "not a mass of CO2e per energy"),
        ("0.35 kg", "not a mass of CO2e per energy"),
        ("-1 g/kWh", "negative"),
        ("0.35", "not a number followed by a unit"),
        ("3 gCO2e/parsec", "not a mass of CO2e per energy|unknown unit"),
    ],
)
def test_bad_carbon_intensities_say_why(text: str, message: str) -> None:
    from soracost.core.units import parse_carbon_intensity

    with pytest.raises(UnitProblem, match=message):
        parse_carbon_intensity(text)


def test_co2e_only_qualifies_carbon_units() -> None:
    assert check_unit("kgCO2e", "carbon") == "kgCO2e"
    assert check_unit("mgCO2e", "carbon") == "mgCO2e"
    assert conversion_factor("mgCO2e", "gCO2e") == pytest.approx(1e-3)
    with pytest.raises(UnitProblem):
        check_unit("WhCO2e", "energy")
    with pytest.raises(UnitProblem, match="not a unit of carbon"):
        check_unit("Wh", "carbon")


@pytest.mark.parametrize(
    "name",
    ["Wh*ms/s", "kWh*ms/s", "Wh*m/ft", "J*s/min", "Wh*mL/L", "Wh*g/kg", "Wh/ms*s", "N*m*kJ/(W*s)"],
)
def test_units_that_cancel_out_in_part_are_refused(name: str) -> None:
    # Each hides a pure number (ms/s is 0.001), like the dimensionless factors refused above.
    with pytest.raises(UnitProblem, match="hides a scale factor"):
        check_unit(name, "energy")


@pytest.mark.parametrize("name", ["W*h", "kW*h", "W*s", "N*m", "kg*m**2/s**2", "Btu"])
def test_units_whose_parts_are_independent_are_kept(name: str) -> None:
    assert check_unit(name, "energy") == name


@pytest.mark.parametrize(
    ("parse", "text"),
    [("parse_water_intensity", "0.14 L*ms/s/kWh"), ("parse_carbon_intensity", "1 g*ms/s/kWh"),
     ("parse_water_intensity", "0.14 L*percent/kWh")],
)  # fmt: skip
def test_factors_per_energy_refuse_hidden_numbers_too(parse: str, text: str) -> None:
    from soracost.core import units

    with pytest.raises(UnitProblem, match=r"hides a scale factor|dimensionless factor"):
        getattr(units, parse)(text)
