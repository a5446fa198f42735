"""Load everyday equivalents and training-energy records from a catalogue.

Called by :func:`soracost.data.catalog.parse_catalog`; errors name file, line, entry and field.
An equivalent is kept as its source published it ("90 Wh" for "37 min" of TV, "750 W"
for a microwave, "15.8 gal" for a shower) and reduced here, once, to an amount per one
counted unit (Wh per minute, L per shower).
"""

from __future__ import annotations

from soracost.core.ranges import NonFiniteRange
from soracost.core.records import METHODS, Equivalent, Source, TrainingRecord
from soracost.core.units import (
    PUBLISHED_QUANTITIES,
    QUANTITIES,
    Dimension,
    Quantity,
    UnitProblem,
    conversion_factor,
    parse_amount,
    unit_dimension,
)
from soracost.data.cases import read_cases, read_sourced, sourced_keys
from soracost.data.fields import Fields
from soracost.i18n import N_, _, localise_number

REFERENCE_UNITS: dict[Quantity, str] = {"energy": "Wh", "water": "L", "carbon": "gCO2e"}
"""The unit an equivalent's amount per counted unit is held in, by basis."""

_EXAMPLES: dict[Quantity, str] = {"energy": "'90 Wh'", "water": "'90 L'", "carbon": "'90 gCO2e'"}
"""How a published case is written, by basis (for a case given as a bare YAML number)."""

_SMALLEST, _LARGEST = 1e-9, 1e15
"""Bounds on an equivalent's amount per counted unit (Wh, L or gCO2e): far beyond any
everyday thing, and far from where a division by it would overflow."""

_COUNTABLE: tuple[Dimension, ...] = ("time", "length")
"""Dimensions a ``counts`` unit may have; any other ``counts`` is a noun (charges)."""

_DIMENSION_NAMES: dict[Dimension, str] = {
    "energy": N_("energy"),
    "water": N_("water"),
    "carbon": N_("carbon"),
    "power": N_("power"),
    "time": N_("time"),
    "length": N_("length"),
}
"""What a unit measures, in a message."""


def read_equivalents(top: Fields, sources: dict[str, Source]) -> dict[str, Equivalent]:
    """Every entry under ``equivalents``, with unique ids."""
    return top.unique("equivalents", lambda item: _equivalent(item, sources))


_EQUIVALENT_KEYS = sourced_keys(name=True, counts=True, basis=False, per=True)
"""An equivalent's keys; its basis (energy, water or carbon) is never unconfirmed."""


def _equivalent(item: Fields, sources: dict[str, Source]) -> Equivalent:
    item.reject_unknown(_EQUIVALENT_KEYS.allowed)
    equivalent_id = item.identifier()
    basis = item.choice("basis", QUANTITIES)
    counts = item.text("counts")
    counts_dimension = unit_dimension(counts)
    if counts_dimension is not None and counts_dimension not in _COUNTABLE:
        said = _("{counts} is a unit of {dimension}; count time, distance (min, km) or things "
                 "(charges)")  # fmt: skip
        dimension = _(_DIMENSION_NAMES[counts_dimension])
        item.fail("counts", said.format(counts=repr(counts), dimension=dimension))

    def parse(text: str) -> tuple[float, str]:
        try:
            return parse_amount(text, basis)
        except UnitProblem:
            if basis != "energy":
                raise
        try:  # a power (a TV's watts): energy per unit of time
            return parse_amount(text, "power")
        except UnitProblem:
            pass
        return parse_amount(text, basis)  # raise the message about the basis

    values, unit, published, fill = read_cases(item, parse, _EXAMPLES[basis])
    reference = REFERENCE_UNITS[basis]
    per = item.text("per", required=False)
    bounds = {
        "smallest": localise_number(f"{_SMALLEST:g}"),
        "largest": localise_number(f"{_LARGEST:g}"),
        "unit": reference,
        "counts": counts,
    }
    try:
        if unit_dimension(unit) == "power":
            if counts_dimension != "time":
                said = _("a power ({unit}) needs 'counts' to be a duration (min, h)")
                item.fail("published", said.format(unit=unit))
            if per is not None:
                item.fail("per", _("a power is already per unit of time; remove 'per'"))
            # watts × one counted unit of time, in watt-hours
            hours = conversion_factor(counts, "s") / 3600
            watt_hours = conversion_factor(unit, "W") * hours
            amount = values * watt_hours * conversion_factor("Wh", reference)
        else:
            amount = values * conversion_factor(unit, reference)
            if per is not None:
                amount = amount / _per_in_counts(item, per, counts, counts_dimension)
    except (NonFiniteRange, ArithmeticError):  # beyond a float, or 'per' rounded to zero
        said = _(
            "the amount per {counts} is outside what can be compared with ({smallest} to "
            "{largest} {unit})"
        )
        item.fail("published", said.format(**bounds))
    if not (amount.low >= _SMALLEST and amount.high <= _LARGEST):
        said = _(
            "{amount} {unit} per {counts} is outside what can be compared with ({smallest} to "
            "{largest} {unit})"
        )
        item.fail("published", said.format(amount=localise_number(f"{amount.mid:g}"), **bounds))
    sourced = read_sourced(item, sources, _EQUIVALENT_KEYS, published, fill)
    return Equivalent(
        id=equivalent_id,
        name=item.text("name"),
        counts=counts,
        basis=basis,
        amount=amount,
        amount_unit=reference,
        per=per,
        **sourced,
    )


def _per_in_counts(item: Fields, per: str, counts: str, dimension: Dimension | None) -> float:
    """``per`` ("37 min", "140 mi") expressed in ``counts`` (min, km)."""
    if dimension is None:
        said = _("'per' needs 'counts' to be a unit of time or distance, not {counts}")
        item.fail("per", said.format(counts=repr(counts)))
    try:
        value, unit = parse_amount(per, dimension)
    except UnitProblem as exc:
        item.fail("per", str(exc))
    if value <= 0:
        item.fail("per", _("{per} must be more than zero").format(per=repr(per)))
    return value * conversion_factor(unit, counts)


_LARGEST_TRAINING_WH = 1e18
"""A training energy ceiling (an exawatt-hour, far above the world's yearly electricity)."""


def read_training(top: Fields, sources: dict[str, Source]) -> dict[str, TrainingRecord]:
    """Every entry under ``training``: published training energies, unique ids."""
    return top.unique("training", lambda item: _training(item, sources))


_TRAINING_KEYS = sourced_keys(model=True, method=True)
"""A training record's keys."""


def _training(item: Fields, sources: dict[str, Source]) -> TrainingRecord:
    item.reject_unknown(_TRAINING_KEYS.allowed)
    record_id = item.identifier()
    energy: Quantity = PUBLISHED_QUANTITIES[0]
    values, unit, published, fill = read_cases(
        item,
        lambda text: parse_amount(text, energy),
        "'50 GWh'",
    )
    if values.low <= 0:
        item.fail("published", _("a training energy must be more than zero"))
    if values.high * conversion_factor(unit, "Wh") > _LARGEST_TRAINING_WH:
        said = _("a training energy above {limit} Wh is a typo")
        item.fail("published", said.format(limit=localise_number(f"{_LARGEST_TRAINING_WH:g}")))
    sourced = read_sourced(item, sources, _TRAINING_KEYS, published, fill)
    return TrainingRecord(
        id=record_id,
        model=item.text("model"),
        values=values,
        unit=unit,
        method=item.choice("method", METHODS),
        **sourced,
    )
