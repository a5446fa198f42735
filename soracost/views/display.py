"""Text helpers for people: rounded numbers and log-scale range bars. No Rich here.

Rounding happens only here, for tables; exports never call these. Every number a table
shows is written here, in the run's language (:mod:`soracost.i18n`): ``1,105.5`` in
English, ``1 105,5`` in French (U+202F between the thousands).
"""

from __future__ import annotations

import math
import sys

from soracost.i18n import N_, _, count_text, localise_number

SIGNIFICANT_DIGITS = 3

CANNOT_COMPUTE = N_("cannot compute")
"""What a table shows for a figure beyond what a float holds (the core refuses those
before they reach a view; this is the last guard, so that no table says nan or inf)."""


def format_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """``value`` rounded for reading: ``digits`` significant figures, thousands separated,
    in the run's language.

    Whole-number digits are never dropped (4152.2 gives "4,152", in French "4 152"),
    trailing zeros are, and very large or very small magnitudes switch to scientific
    notation ("5.82e-09", in French "5,82e-09").
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):  # never printed as nan or inf
        return _(CANNOT_COMPUTE)
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude >= 12 or magnitude < -4:
        return localise_number(f"{value:.{digits - 1}e}")
    decimals = digits - 1 - magnitude
    if decimals <= 0:
        return localise_number(format(value, ",.0f"))
    text = format(value, _FIXED_POINT[decimals] if decimals < 16 else f",.{decimals}f")
    return localise_number(text.rstrip("0").rstrip("."))


def format_count(count: int) -> str:
    """A whole count (of clips, of samples) for reading: "1,000", in French "1 000"."""
    return count_text(count)


# Format specs by number of decimals, made once: a big table formats tens of thousands
# of numbers.
_FIXED_POINT = [f",.{decimals}f" for decimals in range(16)]


def format_range(low: float, mid: float, high: float) -> tuple[str, str, str]:
    """The three cases formatted with :func:`format_number`."""
    return format_number(low), format_number(mid), format_number(high)


def log_axis(values: list[float]) -> tuple[float, float]:
    """A log axis spanning the positive ``values``, padded to whole powers of ten."""
    positive = [value for value in values if value > 0 and math.isfinite(value)]
    if not positive:
        return 0.1, 10.0
    # The smallest power of ten a float holds is 1e-323 (1e-324 is 0, with no logarithm).
    low = 10.0 ** max(math.floor(math.log10(min(positive))), -323)
    # Clamp to the largest power of ten a float holds: beyond it there is no axis to draw.
    high = 10.0 ** min(math.ceil(math.log10(max(positive))), 308)
    if high <= low:
        high = low * 10 if low < 1e307 else sys.float_info.max
    return low, high


def range_bar(
    low: float, mid: float, high: float, axis: tuple[float, float], width: int = 30
) -> str:
    """A one-line bar from ``low`` to ``high`` on a log ``axis``, with ``mid`` marked ●.

    Values at or below the axis minimum (zero included) sit at the left edge.
    """
    axis_low, axis_high = axis
    span = math.log10(axis_high) - math.log10(axis_low)

    def column(value: float) -> int:
        if value <= axis_low or math.isnan(value):
            return 0
        if value >= axis_high:
            return width - 1
        share = (math.log10(value) - math.log10(axis_low)) / span
        return min(width - 1, max(0, round(share * (width - 1))))

    start, centre, end = column(low), column(mid), column(high)
    cells = [" "] * width
    for position in range(start, end + 1):
        cells[position] = "─"
    if end > start:
        cells[start] = "├"
        cells[end] = "┤"
    cells[centre] = "●"
    return "".join(cells).rstrip()
