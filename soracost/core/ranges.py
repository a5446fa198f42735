"""``Range``: a low/mid/high triple of non-negative magnitudes, and its arithmetic.

A Range carries no unit; whoever holds it knows the unit (see ``model.ResultRow``).
Arithmetic follows interval rules for non-negative numbers, so the result of every
operation is again ordered low <= mid <= high. Division by a Range swaps its ends:
``8 / Range(2, 3, 4)`` is ``Range(2, 8/3, 4)``, not ``Range(4, 8/3, 2)`` (EcoLogits once
shipped exactly that bug, by reusing forward division for the reflected operator).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from msgspec import Struct

Number = int | float


class NonFiniteRange(ValueError):
    """A range with a value that is not finite: a figure too large for a float (an
    overflow of the arithmetic, not a bug), which callers report as such."""


class Range(Struct, frozen=True):
    """Low, mid and high cases of one magnitude, with ``0 <= low <= mid <= high``."""

    low: float
    mid: float
    high: float

    def __post_init__(self) -> None:
        # Every range, loaded or computed, passes here (an overflow to inf is caught so).
        # One chained comparison accepts exactly the valid ones: NaN fails every
        # comparison and inf fails ``< math.inf``. The checks below only say what is wrong.
        if 0 <= self.low <= self.mid <= self.high < math.inf:
            return
        values = (self.low, self.mid, self.high)
        if not all(math.isfinite(v) for v in values):
            raise NonFiniteRange(f"range values must be finite, got {values}")
        if min(values) < 0:
            raise ValueError(f"range values must be non-negative, got {values}")
        if not self.low <= self.mid <= self.high:
            raise ValueError(f"range must satisfy low <= mid <= high, got {values}")

    @classmethod
    def single(cls, value: float) -> Range:
        """A range whose three cases are one value."""
        return cls(value, value, value)

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.mid, self.high))

    def as_dict(self) -> dict[str, float]:
        """``{"low": ..., "mid": ..., "high": ...}`` at full precision."""
        return {"low": self.low, "mid": self.mid, "high": self.high}

    def __mul__(self, other: Range | Number) -> Range:
        if isinstance(other, Range):
            return Range(self.low * other.low, self.mid * other.mid, self.high * other.high)
        if isinstance(other, int | float):
            return _scaled(self, float(other))
        return NotImplemented

    def __rmul__(self, other: Number) -> Range:
        if isinstance(other, int | float):
            return _scaled(self, float(other))
        return NotImplemented

    def __add__(self, other: Range | Number) -> Range:
        if isinstance(other, Range):
            return Range(self.low + other.low, self.mid + other.mid, self.high + other.high)
        if isinstance(other, int | float):
            return Range(self.low + other, self.mid + other, self.high + other)
        return NotImplemented

    def __radd__(self, other: Number) -> Range:
        return self.__add__(other)

    def __truediv__(self, other: Range | Number) -> Range:
        if isinstance(other, Range):
            # The smallest quotient divides the smallest numerator by the largest divisor.
            return Range(self.low / other.high, self.mid / other.mid, self.high / other.low)
        if isinstance(other, int | float):
            if other <= 0:
                raise ZeroDivisionError(f"cannot divide a footprint range by {other}")
            return Range(self.low / other, self.mid / other, self.high / other)
        return NotImplemented

    def __rtruediv__(self, other: Number) -> Range:
        if isinstance(other, int | float):
            return Range(other / self.high, other / self.mid, other / self.low)
        return NotImplemented


def _scaled(values: Range, factor: float) -> Range:
    if factor < 0:
        raise ValueError(f"cannot scale a footprint range by a negative factor ({factor})")
    return Range(values.low * factor, values.mid * factor, values.high * factor)
