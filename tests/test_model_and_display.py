"""The pure model (batch arithmetic, sorting, spread) and the display helpers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soracost.core.ranges import Range
from soracost.core.results import Scenario, Units, clip_rows, compare_rows, spread
from soracost.data.catalog import load_catalog
from soracost.views.display import format_number, log_axis, range_bar

from .conftest import MINI


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(MINI)


def test_clip_rows_in_catalogue_order_with_batch_totals(catalog) -> None:  # type: ignore[no-untyped-def]
    rows = clip_rows(catalog, Scenario(count=3))
    assert [(r.estimate.id, r.unit) for r in rows] == [
        ("model-a", "Wh"),
        ("model-b", "Wh"),
        ("water-c", "mL"),
    ]
    assert rows[0].per_clip == Range(80.0, 90.0, 100.0)
    assert rows[0].batch == Range(240.0, 270.0, 300.0)
    assert rows[1].per_clip == Range(2.0, 2.0, 2.0)  # 7,200 J
    assert rows[2].per_clip == Range(250.0, 500.0, 1000.0)  # 0.25–1 L, geometric mean 0.5 L
    assert rows[2].batch == Range(750.0, 1500.0, 3000.0)
    assert [link.id for link in rows[1].chain] == ["news", "paper"]
    assert [link.id for link in rows[0].chain] == ["paper"]


@pytest.mark.parametrize(
    ("energy", "water"), [("Wh", "mL"), ("kWh", "L"), ("MJ", "gal"), ("J", "tsp")]
)
@given(count=st.integers(min_value=1, max_value=10**9))
@settings(max_examples=25)
def test_batch_is_count_times_per_clip_in_any_unit(
    catalog, energy: str, water: str, count: int
) -> None:  # type: ignore[no-untyped-def]
    for row in clip_rows(catalog, Scenario(count=count, units=Units(energy, water))):
        assert row.batch == row.per_clip * count
        assert row.batch.mid == count * row.per_clip.mid


def test_unit_round_trip(catalog) -> None:  # type: ignore[no-untyped-def]
    in_wh = clip_rows(catalog, Scenario(units=Units("Wh", "mL")))
    in_mj = clip_rows(catalog, Scenario(units=Units("MJ", "gal")))
    for a, b in zip(in_wh, in_mj, strict=True):
        factor = 3600 / 1e6 if a.quantity == "energy" else 1 / 3785.411784
        assert b.per_clip.mid == pytest.approx(a.per_clip.mid * factor, rel=1e-12)


def test_scenario_refuses_a_count_below_one() -> None:
    with pytest.raises(ValueError):
        Scenario(count=0)


def test_compare_sorts_by_mid_and_reports_the_spread(catalog) -> None:  # type: ignore[no-untyped-def]
    rows = compare_rows(catalog, Scenario(), "energy")
    assert [r.estimate.id for r in rows] == ["model-b", "model-a"]
    widest = spread(rows)
    assert widest is not None
    assert widest.ratio == 100.0 / 2.0
    assert (widest.lowest.estimate.id, widest.highest.estimate.id) == ("model-b", "model-a")
    assert spread([]) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (90.0, "90"),
        (90.5, "90.5"),
        (415.22, "415"),
        (4152.2, "4,152"),
        (0.139, "0.139"),
        (0.1401, "0.14"),
        (46.904157598234, "46.9"),
        (1_164_111.77, "1,164,112"),
        (0.00002, "2.00e-05"),
        (3.4e12, "3.40e+12"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_log_axis_pads_to_powers_of_ten() -> None:
    assert log_axis([0.139, 944.4]) == (0.1, 1000.0)
    assert log_axis([0.0, 5.0]) == (1.0, 10.0)
    assert log_axis([]) == (0.1, 10.0)


def test_range_bar_marks_low_mid_high_on_a_log_scale() -> None:
    axis = (1.0, 1000.0)
    assert range_bar(10, 100, 1000, axis, width=10) == "   ├──●──┤"
    assert range_bar(1, 1, 1, axis, width=10) == "●"
    assert range_bar(0, 10, 100, axis, width=10) == "├──●──┤"
