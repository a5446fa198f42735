"""Pure computation: from a catalogue and a scenario to result rows. No I/O, no Rich.

A result row is plain data: its numbers (per clip and for the batch, in the user's unit)
and the estimate and sources behind them. Tables, CSV lines and JSON objects are all
rendered from the same rows, so they can never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from soracost.errors import DataError
from soracost.ranges import Range
from soracost.records import Catalog, Estimate, Source
from soracost.units import QUANTITIES, Quantity, conversion_factor

DEFAULT_ENERGY_UNIT = "Wh"
DEFAULT_WATER_UNIT = "mL"


@dataclass(frozen=True)
class Units:
    """The display unit chosen for each quantity (already checked for dimension)."""

    energy: str = DEFAULT_ENERGY_UNIT
    water: str = DEFAULT_WATER_UNIT

    def of(self, quantity: Quantity) -> str:
        """The unit in which ``quantity`` is reported."""
        return self.energy if quantity == "energy" else self.water


@dataclass(frozen=True)
class Scenario:
    """What the user asked for: how many clips, in which units, for which quantities."""

    count: int = 1
    units: Units = Units()
    quantities: tuple[Quantity, ...] = QUANTITIES

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"count must be at least 1, got {self.count}")


@dataclass(frozen=True)
class ResultRow:
    """One estimate's figures for a scenario.

    ``per_clip`` is per generated clip and ``batch`` is for ``count`` clips, both in
    ``unit``. ``chain`` lists the sources from the outermost report to the origin;
    ``see_also`` the supporting sources, such as the data set a figure was recomputed from.
    """

    estimate: Estimate
    source: Source
    chain: tuple[Source, ...]
    see_also: tuple[Source, ...]
    unit: str
    count: int
    per_clip: Range
    batch: Range

    @property
    def quantity(self) -> Quantity:
        return self.estimate.quantity


@dataclass(frozen=True)
class Spread:
    """How far apart the sources are: the highest high over the lowest low.

    ``ratio`` is ``None`` when the lowest low is zero or the ratio overflows a float:
    there is no finite ratio to report.
    """

    ratio: float | None
    lowest: ResultRow
    highest: ResultRow


def compute_row(catalog: Catalog, estimate: Estimate, unit: str, count: int) -> ResultRow:
    """One estimate converted to ``unit``, per clip and for ``count`` clips."""
    try:
        per_clip = estimate.values * conversion_factor(estimate.unit, unit)
        batch = per_clip * count
    except (ValueError, ArithmeticError):  # a figure or batch too large for a float here
        raise DataError(
            f"{estimate.quantity} in {unit} for {count:,} clip(s) is too large to compute",
            file=catalog.path,
            line=estimate.line,
            entry=f"estimate {estimate.id!r}",
        ) from None
    chain = tuple(catalog.sources[link] for link in estimate.chain) or (
        catalog.source_of(estimate),
    )
    return ResultRow(
        estimate=estimate,
        source=catalog.source_of(estimate),
        chain=chain,
        see_also=tuple(catalog.sources[link] for link in estimate.see_also),
        unit=unit,
        count=count,
        per_clip=per_clip,
        batch=batch,
    )


def clip_rows(catalog: Catalog, scenario: Scenario) -> list[ResultRow]:
    """Every estimate of the requested quantities, in catalogue order."""
    return [
        compute_row(catalog, estimate, scenario.units.of(estimate.quantity), scenario.count)
        for estimate in catalog.estimates
        if estimate.quantity in scenario.quantities
    ]


def compare_rows(catalog: Catalog, quantity: Quantity, unit: str) -> list[ResultRow]:
    """Every estimate of one quantity per clip, sorted by mid, then low, high and id."""
    rows = [
        compute_row(catalog, estimate, unit, count=1)
        for estimate in catalog.estimates
        if estimate.quantity == quantity
    ]
    return sorted(rows, key=lambda row: (*row.per_clip, row.estimate.id))


def spread(rows: list[ResultRow]) -> Spread | None:
    """The spread of a set of rows, or ``None`` when there are no rows."""
    if not rows:
        return None
    lowest = min(rows, key=lambda row: (row.per_clip.low, row.estimate.id))
    highest = max(rows, key=lambda row: (row.per_clip.high, row.estimate.id))
    low = lowest.per_clip.low
    ratio = highest.per_clip.high / low if low > 0 else None
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # wider than a float can say
    return Spread(ratio=ratio, lowest=lowest, highest=highest)
