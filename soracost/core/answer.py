"""The answer: one figure people can quote, per quantity, from the estimates near the clip.

A table of every source answers no question by itself. The answer takes the rows that
describe the asked clip closely enough, and gives:

- the **spread** across them (the lowest low to the highest high, per clip);
- a **central estimate with its interval**: the P50 and the P5–P95 of an equal-weight
  mixture of the rows' distributions, each a split log-normal with its median at the
  row's mid, its 5th percentile at its low and its 95th at its high (the distribution
  ``--method montecarlo`` samples; a range with a low of 0 is split-normal below the
  median, clipped at 0; a single figure is a point). The mixture's percentiles are found
  in closed form, from its distribution function by bisection: the same rows always give
  the same numbers, and no sampling costs start-up time;
- which rows fed it, and which were **left out, and why**: scaled more than
  ``max_scale`` times from their source's own clip, shown at another boundary than the
  rest (not like for like), or the same measurement already counted through a chain of
  reports (a news story repeating a paper's figure).

Everything is per clip; the batch is ``count`` times it (the figures are linear in count).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

from msgspec import Struct
from msgspec.structs import astuple

from soracost.core.records import Clip, Estimate
from soracost.core.results import ResultRow, model_key
from soracost.core.units import Quantity
from soracost.i18n import N_

DEFAULT_MAX_SCALE = 3.0
"""Rows scaled more than this factor (up or down) from their source's clip are left out."""

Z_95 = 1.6448536269514722
"""The standard normal's 95th percentile: P5 and P95 lie this many σ from the median."""

LeftOutReason = Literal["far-scaled", "other-boundary", "same-measurement"]

LEFT_OUT_REASONS: dict[LeftOutReason, str] = {
    "far-scaled": N_("scaled more than ×{max_scale} from their source's clip"),
    "other-boundary": N_("at another boundary"),
    "same-measurement": N_("the same measurement counted again"),
}
"""Why estimates were left out, in words (plural: they are counted; translated where
shown, with ``max_scale`` formatted in)."""


class LeftOut(Struct, frozen=True):
    """A row that did not feed the answer; ``reason`` is typed, ``detail`` says it in words."""

    estimate_id: str
    reason: LeftOutReason
    detail: str


class Answer(Struct, frozen=True):
    """One quantity's answer, per clip in ``unit``; ``batch_*`` scale it by ``count``.

    ``lowest``/``highest`` bound every row that fed it; ``p5``, ``p50`` and ``p95`` are
    the pooled central estimate and its interval. ``fed`` lists the estimate ids behind
    it, in row order. With no row fed, every figure is ``None``.
    """

    quantity: Quantity
    unit: str
    count: int
    max_scale: float
    fed: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    lowest: float | None
    highest: float | None
    p5: float | None
    p50: float | None
    p95: float | None

    def batch(self, value: float | None) -> float | None:
        """A per-clip figure of this answer for the whole batch of ``count`` clips."""
        return None if value is None else value * self.count


def answer_for(
    rows: Sequence[ResultRow], quantity: Quantity, count: int, max_scale: float = DEFAULT_MAX_SCALE
) -> Answer:
    """The answer for ``quantity`` from ``rows`` (a clip's or a comparison's rows)."""
    if not max_scale >= 1:
        raise ValueError(f"max_scale must be at least 1, got {max_scale}")
    candidates = [row for row in rows if row.quantity == quantity]
    unit = candidates[0].unit if candidates else ""
    fed: list[ResultRow] = []
    left_out: list[LeftOut] = []
    counted: dict[tuple[str, str], list[ResultRow]] = {}
    for row in _first_hand_first(candidates):
        reason = _reason_to_leave_out(row, max_scale, counted)
        if reason is not None:
            left_out.append(reason)
            continue
        counted.setdefault(_measurement(row), []).append(row)
        fed.append(row)
    order = {row.estimate.id: position for position, row in enumerate(candidates)}
    fed.sort(key=lambda row: order[row.estimate.id])
    left_out.sort(key=lambda item: order[item.estimate_id])
    if not fed:
        return Answer(quantity, unit, count, max_scale, (), tuple(left_out), *([None] * 5))
    distributions = [_SplitDistribution.of(row) for row in fed]
    return Answer(
        quantity=quantity,
        unit=unit,
        count=count,
        max_scale=max_scale,
        fed=tuple(row.estimate.id for row in fed),
        left_out=tuple(left_out),
        lowest=min(row.per_clip.low for row in fed),
        highest=max(row.per_clip.high for row in fed),
        p5=mixture_quantile(distributions, 0.05),
        p50=mixture_quantile(distributions, 0.50),
        p95=mixture_quantile(distributions, 0.95),
    )


def _first_hand_first(rows: list[ResultRow]) -> list[ResultRow]:
    """Rows reported first-hand before rows that reached us through a chain, so that of
    one measurement counted twice, the first-hand report is the one kept."""
    return sorted(rows, key=lambda row: bool(row.estimate.chain))


def _measurement(row: ResultRow) -> tuple[str, str]:
    """Who measured what: the figure's original source and the model it was of."""
    origin = row.estimate.chain[-1] if row.estimate.chain else row.estimate.source
    return origin, model_key(row.estimate.applies_to.model)


def _same_work(row: Estimate, earlier: Estimate) -> bool:
    """Whether a model's figure repeats work already counted, whatever its clip: a model
    fitted to its origin's measurements (EcoLogits' video regressions, fitted to Jegham et
    al.'s data), or one model of one service evaluated at two clips (a paper's Sora 2 Pro
    at 8 s 720p and at 12 s 1080p) is one piece of work, not two. Measurements of two clips
    are two measurements."""
    if row.method != "modelled":
        return False
    return bool(row.chain) or earlier.method == "modelled"


def _same_clip(first: Clip, second: Clip) -> bool:
    """Whether two clips can be one: no property known for both differs (a report that
    leaves the duration out may still describe the paper's clip)."""
    return all(
        a is None or b is None or a == b
        for a, b in zip(astuple(first), astuple(second), strict=True)
    )


def _reason_to_leave_out(
    row: ResultRow, max_scale: float, counted: dict[tuple[str, str], list[ResultRow]]
) -> LeftOut | None:
    estimate_id = row.estimate.id
    scale = row.derivation.scale_factor
    if scale is not None and scale.mid > 0:
        factor = max(scale.mid, 1 / scale.mid)
        if factor > max_scale:
            return LeftOut(
                estimate_id,
                "far-scaled",
                f"scaled ×{scale.mid:.3g} from its source's clip (more than ×{max_scale:g})",
            )
    if row.boundary_differs:
        return LeftOut(
            estimate_id,
            "other-boundary",
            f"at another boundary ({row.derivation.boundary}): not like for like",
        )
    clip = row.estimate.applies_to.clip
    for earlier in counted.get(_measurement(row), []):
        if _same_clip(clip, earlier.estimate.applies_to.clip):
            return LeftOut(
                estimate_id,
                "same-measurement",
                f"the same measurement as {earlier.estimate.id}, second-hand",
            )
        if _same_work(row.estimate, earlier.estimate):
            return LeftOut(
                estimate_id,
                "same-measurement",
                f"the same model as {earlier.estimate.id}, at another clip",
            )
    return None


class _SplitDistribution(Struct, frozen=True):
    """A row's distribution per clip: median ``mid``; P5 at ``low``, P95 at ``high``."""

    low: float
    mid: float
    high: float

    @classmethod
    def of(cls, row: ResultRow) -> _SplitDistribution:
        per_clip = row.per_clip
        return cls(per_clip.low, per_clip.mid, per_clip.high)


_SQRT2 = math.sqrt(2)


def mixture_cdf_of(distributions: Sequence[_SplitDistribution]) -> Callable[[float], float]:
    """The equal-weight mixture's distribution function: x ↦ the mean of the parts' P(X ≤ x).

    Each part is split at its median ``mid``: below it a log-normal half with its P5 at
    ``low`` (σ = ln(mid/low)/z95), or a normal half clipped at 0 where ``low`` is 0;
    above it a log-normal half with its P95 at ``high`` (a normal half where ``mid`` is
    0); a side with no spread is a point at the median. Each part's scales are worked
    out once, not at each of the bisection's ~45 steps (the quantiles of `clip` take 1.7
    ms instead of 3.4; tests/test_answer.py holds the values to the last bit to a part by
    part reading of the same definition)."""
    parts = []
    for d in distributions:
        low, mid, high = d.low, d.mid, d.high
        # Each side's σ: in log space from a positive bound, else linear (a low of 0).
        below_log = low > 0
        below = (math.log(mid / low) if below_log else mid - low) / Z_95 if low != mid else 0.0
        above_log = mid > 0
        above = (math.log(high / mid) if above_log else high - mid) / Z_95 if high != mid else 0.0
        parts.append((low, mid, high, below_log, below, above_log, above))
    count = len(parts)
    erfc, log = math.erfc, math.log

    def mixture_cdf(x: float) -> float:
        values = []
        for low, mid, high, below_log, below, above_log, above in parts:
            if x < mid:
                if low == mid or (below_log and x <= 0):
                    values.append(0.0)  # nothing below: a point at the median, or x ≤ 0 < low
                    continue
                z = log(x / mid) / below if below_log else (x - mid) / below
                values.append(0.5 * (2 * (0.5 * erfc(-z / _SQRT2))))
            elif x == mid or high == mid:
                values.append(1.0 if x >= high else 0.5)
            else:
                z = log(x / mid) / above if above_log else (x - mid) / above
                values.append(0.5 + 0.5 * (2 * (0.5 * erfc(-z / _SQRT2)) - 1))
        # The built-in sum, as the mean of the parts' cdf used: from Python 3.12 it adds
        # floats with compensation, which a running total would not.
        return sum(values) / count

    return mixture_cdf


def mixture_quantile(distributions: Sequence[_SplitDistribution], p: float) -> float:
    """The ``p`` quantile (0.05 ≤ p ≤ 0.95) of an equal-weight mixture: the least x with
    F(x) ≥ p, found by bisection (in log space where the values are positive)."""
    lowest = min(d.low for d in distributions)
    highest = max(d.high for d in distributions)
    if lowest == highest:
        return lowest
    mixture_cdf = mixture_cdf_of(distributions)

    # Every distribution has 5 % below its low and above its high: widen the bracket.
    low_end = lowest / 1e6 if lowest > 0 else 0.0
    high_end = highest * 1e6
    for _ in range(200):
        if low_end > 0:
            if high_end <= low_end * (1 + 1e-12):  # as close as a printed figure needs
                break
            middle = math.sqrt(low_end * high_end)
        else:
            middle = (low_end + high_end) / 2
        if middle in (low_end, high_end):
            break
        if mixture_cdf(middle) >= p:
            high_end = middle
        else:
            low_end = middle
    # Within the lowest low and the highest high, as every P5..P95 quantile is; the last
    # bisection step may overshoot them by a rounding error.
    return min(max(high_end, lowest), highest)
