"""Range arithmetic, checked by example and by property, in both operand orders."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soracost.core.ranges import Range

finite = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    low, mid, high = sorted(draw(st.tuples(finite, finite, finite)))
    return Range(low, mid, high)


def test_reflected_division_swaps_the_ends() -> None:
    # EcoLogits once computed 8 / RangeValue(2, 4) as 0.25–0.5 (forward division reused).
    assert 8 / Range(2, 4, 4) == Range(2, 2, 4)
    assert 8 / Range(2, 3, 4) == Range(2.0, 8 / 3, 4.0)


def test_scalar_operations_in_both_orders() -> None:
    r = Range(1, 2, 4)
    assert r * 3 == 3 * r == Range(3, 6, 12)
    assert r + 1 == 1 + r == Range(2, 3, 5)
    assert r / 2 == Range(0.5, 1, 2)


def test_range_by_range() -> None:
    assert Range(1, 2, 3) * Range(2, 3, 4) == Range(2, 6, 12)
    assert Range(1, 2, 3) + Range(2, 3, 4) == Range(3, 5, 7)
    assert Range(2, 6, 12) / Range(1, 2, 4) == Range(0.5, 3, 12)


@pytest.mark.parametrize(
    "values", [(2, 1, 3), (1, 3, 2), (-1, 0, 1), (0, math.nan, 1), (0, 1, math.inf)]
)
def test_invalid_ranges_are_refused(values: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError):
        Range(*values)


def test_negative_scaling_and_zero_division_are_refused() -> None:
    with pytest.raises(ValueError):
        Range(1, 2, 3) * -1
    with pytest.raises(ZeroDivisionError):
        Range(1, 2, 3) / 0


@given(ranges(), finite)
def test_scaling_commutes_and_keeps_order(r: Range, k: float) -> None:
    product = r * k
    assert product == k * r
    assert product.low <= product.mid <= product.high


@given(ranges(), ranges())
def test_sum_and_product_keep_order_in_both_orders(a: Range, b: Range) -> None:
    for result in (a + b, b + a, a * b, b * a):
        assert result.low <= result.mid <= result.high
    assert a + b == b + a
    assert a * b == b * a


@given(ranges(), finite)
def test_reflected_division_bounds_every_case(r: Range, k: float) -> None:
    quotient = k / r
    assert quotient.low <= quotient.mid <= quotient.high
    assert quotient.low == k / r.high
    assert quotient.high == k / r.low


@given(ranges(), ranges())
def test_range_division_bounds_the_extreme_quotients(a: Range, b: Range) -> None:
    quotient = a / b
    assert quotient.low == a.low / b.high
    assert quotient.high == a.high / b.low
