"""Everyday equivalents: a figure expressed as minutes of TV, bottles of water, km driven.

Pure computation. A figure is divided by the equivalent's amount per counted unit, range
by range (the low count divides the low figure by the largest amount), so each
comparison keeps the uncertainty of both and states its basis: an energy figure is only
ever compared with energy equivalents, water with water, carbon with carbon.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct

from soracost.core.ranges import Range
from soracost.core.records import Catalog, Equivalent
from soracost.core.units import QUANTITIES, Quantity, UnitProblem, conversion_factor, parse_amount
from soracost.i18n import _


class Expressed(Struct, frozen=True):
    """A figure as a count of one equivalent: ``per_clip`` and ``batch`` are numbers of
    ``equivalent.counts`` (minutes, charges, km…)."""

    equivalent: Equivalent
    per_clip: Range
    batch: Range


def count_of(amount: Range, unit: str, equivalent: Equivalent) -> Range:
    """How many ``equivalent.counts`` ``amount`` (in ``unit``, of the equivalent's basis)
    makes: low ÷ the highest amount per unit, mid ÷ mid, high ÷ the lowest."""
    return amount * conversion_factor(unit, equivalent.amount_unit) / equivalent.amount


def of_basis(catalog: Catalog, basis: Quantity) -> list[Equivalent]:
    """The catalogue's equivalents of one basis, in catalogue order."""
    return [item for item in catalog.equivalents.values() if item.basis == basis]


def express(
    per_clip: Range, batch: Range, unit: str, equivalents: Iterable[Equivalent]
) -> list[Expressed]:
    """A per-clip and a batch figure (in ``unit``) as counts of each equivalent."""
    return [
        Expressed(
            equivalent=item,
            per_clip=count_of(per_clip, unit, item),
            batch=count_of(batch, unit, item),
        )
        for item in equivalents
    ]


class Amount(Struct, frozen=True):
    """An amount the user typed (``90 Wh``), read as ``value`` in ``unit`` of ``basis``."""

    text: str
    value: float
    unit: str
    basis: Quantity


def parse_any_amount(text: str) -> Amount:
    """``"90 Wh"``, ``"650 mL"`` or ``"40 gCO2e"`` as an :class:`Amount` of its basis.

    Raises :class:`ValueError` (a :class:`UnitProblem`) naming what was expected.
    """
    if text.strip().startswith("-"):
        raise UnitProblem(_("{text} is negative; an amount cannot be").format(text=repr(text)))
    try:
        parse_amount(text, "power")
    except UnitProblem:
        pass
    else:
        said = _("{text} is a power, not an amount: give an energy such as '90 Wh'")
        raise UnitProblem(said.format(text=repr(text)))
    for basis in QUANTITIES:
        try:
            value, unit = parse_amount(text, basis)
        except UnitProblem:
            continue
        return Amount(text=text.strip(), value=value, unit=unit, basis=basis)
    said = _(
        "{text} is not an energy, a volume of water or a mass of CO2e "
        "(e.g. '90 Wh', '650 mL', '40 gCO2e')"
    )
    raise UnitProblem(said.format(text=repr(text)))


def express_amount(catalog: Catalog, amount: Amount) -> list[Expressed]:
    """One typed amount as counts of each equivalent of its basis (batch = per clip)."""
    value = Range.single(amount.value)
    return express(value, value, amount.unit, of_basis(catalog, amount.basis))
