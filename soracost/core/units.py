"""The one pint unit registry, and the parsing and conversion helpers built on it.

Units live in the data as their sources wrote them ("90 Wh", "0.17 gal", "3.4 MJ").
They are parsed and checked for dimension when data loads, and converted to the
user's chosen unit only when results are computed. The units met on every run are
checked and converted from a table of their exact definitions; pint, whose import and
registry were most of a run's start-up, is imported only for other units, never at
import time.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from soracost.i18n import N_, _, count_text, ngettext

if TYPE_CHECKING:
    from fractions import Fraction

    import pint

Quantity = Literal["energy", "water", "carbon"]
"""The quantities soracost reports per clip: energy, water, and carbon (CO2-equivalent
mass). Sources publish energy or water; carbon is always derived from energy."""

QUANTITIES: tuple[Quantity, ...] = ("energy", "water", "carbon")
PUBLISHED_QUANTITIES: tuple[Quantity, ...] = ("energy", "water")
"""The quantities an estimate can publish."""

Dimension = Literal["energy", "water", "carbon", "power", "time", "length"]
"""What a unit measures: a reported quantity, or a power, duration or distance (used by
everyday equivalents such as watts of a TV, minutes, kilometres)."""

# pint's names for the dimension each quantity must have, and examples for error messages.
_DIMENSION: dict[Dimension, str] = {
    "energy": "[energy]",
    "water": "[volume]",
    "carbon": "[mass]",
    "power": "[power]",
    "time": "[time]",
    "length": "[length]",
}
_EXAMPLES: dict[Dimension, str] = {
    "energy": "Wh, kWh, J, MJ",
    "water": "mL, L, gal, tsp",
    "carbon": "gCO2e, kgCO2e, tCO2e",
    "power": "W, kW",
    "time": "s, min, h, day",
    "length": "m, km, mi",
}
_NOUN: dict[Dimension, str] = {
    "energy": N_("an energy"),
    "water": N_("a volume"),
    "carbon": N_("a mass of CO2e"),
    "power": N_("a power"),
    "time": N_("a duration"),
    "length": N_("a distance"),
}
_PER_ENERGY: dict[Dimension, str] = {
    "water": N_("a volume per energy"),
    "carbon": N_("a mass of CO2e per energy"),
}
"""What a factor per energy must be, by the dimension of its top (see _parse_per_energy)."""
_REFERENCE: dict[Dimension, str] = {
    "energy": "Wh",
    "water": "L",
    "carbon": "g",
    "power": "W",
    "time": "s",
    "length": "m",
}
CO2E_SUFFIX = "CO2e"
"""Carbon units may name what the mass is of (``kgCO2e``); the mass is what converts."""

# A published value is one plain number (commas may group thousands: "109,000 J") followed
# by a unit. Parsing it with this pattern, rather than pint's expression evaluator, keeps
# arithmetic ("2**99 Wh") out of the data. The unit runs to its last non-space character:
# greedy, so that matching is linear in the text (a lazy ".*?" before "\s*$" rescanned
# every run of spaces inside it: 40,000 spaces took half a minute).
_NUMBER_THEN_UNIT = re.compile(
    r"^\s*(?P<sign>[+-]?)(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<exponent>[eE][+-]?[0-9]+)?\s*(?P<unit>[^0-9\s.,+-](?:.*\S)?)?\s*$"
)

MAX_UNIT_LENGTH = 100
"""The longest unit text read: pint's parser takes time quadratic in the length of what
it reads (20,000 characters: seconds), and no unit needs more (spelled out in full,
``US_liquid_gallon / kilowatt_hour`` has 32)."""


class UnitProblem(ValueError):
    """A unit or quantity text is unusable; the message says why in one line."""


# The units soracost meets on every run, by their exact definitions in SI base units
# (joules, cubic metres, kilograms, watts, seconds, metres). Checking and converting these
# needs no pint: importing pint and building its registry is most of a run's start-up.
# Anything else goes to pint, and a test checks this table against pint for every pair.
# Each size is an exact ratio of whole numbers (numerator, denominator), not a Fraction:
# importing fractions (and decimal and numbers, which it loads) and making the table's
# Fractions cost 9.0 M instructions of `sources check` and of `clip -f json`, 0.8 M of
# `clip --count 10`, whose Rich table loads fractions for itself (callgrind, whole
# process). The ratio of two sizes is the same correctly rounded float either way: int /
# int rounds once, as Fraction.__float__ does (a test holds every pair to Fraction).
_Ratio = tuple[int, int]
"""An exact positive ratio of whole numbers: (numerator, denominator)."""

_EXACT: dict[str, tuple[Dimension, _Ratio]] = {
    "J": ("energy", (1, 1)),
    "kJ": ("energy", (10**3, 1)),
    "MJ": ("energy", (10**6, 1)),
    "GJ": ("energy", (10**9, 1)),
    "Wh": ("energy", (3600, 1)),
    "kWh": ("energy", (3600 * 10**3, 1)),
    "MWh": ("energy", (3600 * 10**6, 1)),
    "GWh": ("energy", (3600 * 10**9, 1)),
    "TWh": ("energy", (3600 * 10**12, 1)),
    "mL": ("water", (1, 10**6)),
    "L": ("water", (1, 10**3)),
    "kL": ("water", (1, 1)),
    "gal": ("water", (3785411784, 10**12)),  # the US gallon, 231 cubic inches
    "g": ("carbon", (1, 10**3)),
    "kg": ("carbon", (1, 1)),
    "t": ("carbon", (10**3, 1)),  # the tonne
    "lb": ("carbon", (45359237, 10**8)),  # the avoirdupois pound, exactly
    "W": ("power", (1, 1)),
    "kW": ("power", (10**3, 1)),
    "s": ("time", (1, 1)),
    "min": ("time", (60, 1)),
    "h": ("time", (3600, 1)),
    "day": ("time", (86400, 1)),
    "m": ("length", (1, 1)),
    "km": ("length", (10**3, 1)),
    "mi": ("length", (1609344, 10**3)),  # the international mile, exactly
}
_EXACT.update(
    {f"{name}{CO2E_SUFFIX}": ("carbon", _EXACT[name][1]) for name in ("g", "kg", "t", "lb")}
)


@cache
def _exact_ratio(from_unit: str, to_unit: str) -> float | None:
    """``from_unit`` in ``to_unit`` from the exact table (also ``A/B`` in ``C/D``, names
    possibly parenthesised), rounded once; ``None`` if a unit is not in the table."""

    def scale(name: str) -> _Ratio | None:
        parts = [part.strip() for part in name.replace("(", "").replace(")", "").split("/")]
        if not all(part in _EXACT for part in parts) or len(parts) > 2:
            return None
        top, bottom = _EXACT[parts[0]][1]
        if len(parts) == 2:
            divisor_top, divisor_bottom = _EXACT[parts[1]][1]
            return top * divisor_bottom, bottom * divisor_top
        return top, bottom

    source, target = scale(from_unit), scale(to_unit)
    if source is None or target is None:
        return None
    # Exact in whole numbers, then one correctly rounded division (CPython's int / int).
    return (source[0] * target[1]) / (source[1] * target[0])


def unit_dimension(name: str) -> Dimension | None:
    """What a unit of the exact table measures (``min`` → time), or ``None`` for any other
    text: a unit only pint knows, or a plain noun such as ``charges``."""
    entry = _EXACT.get(name.strip())
    return entry[0] if entry else None


@cache
def registry() -> pint.UnitRegistry[Any]:
    """The application's single pint registry, built on first use."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
    return ureg


def _pint_name(name: str) -> str:
    """The name pint knows: ``kgCO2e/kWh`` is ``kg/kWh`` (CO2e says what the mass is of)."""
    return name.replace(CO2E_SUFFIX, "")


def _refuse_long(name: str) -> None:
    """Refuse a unit longer than :data:`MAX_UNIT_LENGTH` before pint reads it."""
    if len(name) > MAX_UNIT_LENGTH:
        said = ngettext(
            "unreadable unit {start}…: {length} character long (a unit has at most {limit})",
            "unreadable unit {start}…: {length} characters long (a unit has at most {limit})",
            len(name),
        )
        raise UnitProblem(
            said.format(
                start=repr(name[:20]),
                length=count_text(len(name)),
                limit=count_text(MAX_UNIT_LENGTH),
            )
        )


def _not_a_unit(name: str, quantity: Dimension) -> UnitProblem:
    said = _("{name} is not a unit of {quantity}: {quantity} needs {noun} unit such as {examples}")
    noun, examples = _(_NOUN[quantity]), _EXAMPLES[quantity]
    return UnitProblem(
        said.format(name=repr(name), quantity=_(quantity), noun=noun, examples=examples)
    )


def check_unit(text: str, quantity: Dimension) -> str:
    """Return ``text`` stripped if it names a unit of ``quantity``'s dimension.

    Raises :class:`UnitProblem` for an unknown unit, an offset unit (degC) or a unit
    of another dimension.
    """
    name = text.strip()
    if name in _EXACT:
        if _EXACT[name][0] == quantity:
            return name
        raise _not_a_unit(name, quantity)
    if "#" in name:  # pint would silently drop everything after it
        raise UnitProblem(_("unreadable unit {name}").format(name=repr(name)))
    _refuse_long(name)
    import pint

    if not name:
        said = _("no unit given (expected a unit of {quantity}: {examples})")
        raise UnitProblem(said.format(quantity=_(quantity), examples=_EXAMPLES[quantity]))
    ureg = registry()
    if quantity != "carbon" and CO2E_SUFFIX in name:
        said = _("{name} is not a unit of {quantity}: only carbon is in {suffix}")
        raise UnitProblem(said.format(name=repr(name), quantity=_(quantity), suffix=CO2E_SUFFIX))
    try:
        unit = ureg.Unit(_pint_name(name))
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as exc:
        said = _("unknown unit {name} (expected a unit of {quantity}: {examples})")
        raise UnitProblem(
            said.format(name=repr(name), quantity=_(quantity), examples=_EXAMPLES[quantity])
        ) from exc
    except Exception as exc:  # pint's parser raises assorted errors on malformed text
        raise UnitProblem(_("unreadable unit {name}").format(name=repr(name))) from exc
    if unit.dimensionality != ureg.get_dimensionality(_DIMENSION[quantity]):
        raise _not_a_unit(name, quantity)
    _refuse_hidden_factors(name, unit)
    try:
        factor = conversion_factor(name, _REFERENCE[quantity])
    except ArithmeticError:
        factor = math.inf
    if not math.isfinite(factor) or factor == 0:
        said = _("{name} is too large or too small a unit to compute with")
        raise UnitProblem(said.format(name=repr(name)))
    return name


def _refuse_hidden_factors(name: str, unit: pint.Unit) -> None:
    """Refuse a unit hiding a pure number: a dimensionless component ("cycle*Wh" is 2π Wh,
    "percent*Wh" 0.01 Wh), or components that cancel out in part ("Wh*ms/s" is 0.001 Wh,
    "Wh*m/ft" 3.28 Wh). Components cancel when their dimensions are linearly dependent:
    some product of their powers is a pure number. Independent ones ("W*h") are fine."""
    from fractions import Fraction  # only for units pint reads (see _EXACT)

    ureg = registry()
    components = [component for component, _power in ureg.Quantity(1, unit).unit_items()]
    vectors: list[dict[str, Fraction]] = []
    for component in components:
        dimensions = ureg.Unit(component).dimensionality
        if not dimensions:
            said = _("{name} contains the dimensionless factor {factor}")
            raise UnitProblem(said.format(name=repr(name), factor=repr(component)))
        vectors.append({key: Fraction(str(power)) for key, power in dimensions.items()})
    for index, vector in enumerate(vectors):
        for other, earlier in zip(components, vectors[:index], strict=False):
            if _proportional(vector, earlier):
                said = _("{name} hides a scale factor: {first} and {second} cancel out")
                raise UnitProblem(
                    said.format(name=repr(name), first=repr(components[index]), second=repr(other))
                )
    if _rank(vectors) < len(vectors):
        said = _("{name} hides a scale factor: some of its units cancel out")
        raise UnitProblem(said.format(name=repr(name)))


def _proportional(a: dict[str, Fraction], b: dict[str, Fraction]) -> bool:
    if a.keys() != b.keys():
        return False
    ratios = {a[key] / b[key] for key in a}
    return len(ratios) == 1


def _rank(vectors: list[dict[str, Fraction]]) -> int:
    """The rank of dimension vectors (exact, by Gaussian elimination over fractions)."""
    from fractions import Fraction

    keys = sorted({key for vector in vectors for key in vector})
    rows = [[vector.get(key, Fraction(0)) for key in keys] for vector in vectors]
    rank = 0
    for column in range(len(keys)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                ratio = rows[r][column] / rows[rank][column]
                rows[r] = [x - ratio * y for x, y in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def parse_amount(text: str, quantity: Dimension) -> tuple[float, str]:
    """Split a published amount such as ``"0.17 gal"`` into ``(0.17, "gal")``.

    The number must be finite and non-negative, and the unit must be of the quantity's
    dimension. Raises :class:`UnitProblem` otherwise.
    """
    match = _NUMBER_THEN_UNIT.match(text)
    if match is None:
        said = _("{text} is not a number followed by a unit (e.g. '90 Wh')")
        raise UnitProblem(said.format(text=repr(text)))
    unit_text = match.group("unit")
    if unit_text is None:
        said = _("{text} has no unit (write it as the source did, e.g. '90 Wh' or '0.17 gal')")
        raise UnitProblem(said.format(text=repr(text)))
    if match.group("sign") == "-":
        raise UnitProblem(_("{text} is negative; a footprint cannot be").format(text=repr(text)))
    value = float(match.group("number").replace(",", "") + (match.group("exponent") or ""))
    if not math.isfinite(value):
        raise UnitProblem(_("{text} is not a finite number").format(text=repr(text)))
    if value == 0 and re.search("[1-9]", match.group("number")):
        raise UnitProblem(_("{text} is too small to represent").format(text=repr(text)))
    return value, check_unit(unit_text, quantity)


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The number that converts a magnitude in ``from_unit`` into ``to_unit``.

    Both units must already be known to be of the same dimension. The factor is exactly
    1.0 for two spellings of the same unit, so values pass through untouched. Raises
    :class:`OverflowError` (an ``ArithmeticError``) when the factor is not finite.
    """
    if from_unit == to_unit:
        return 1.0
    exact = _exact_ratio(from_unit, to_unit)
    if exact is not None:
        return exact
    ureg = registry()
    quantity = ureg.Quantity(1.0, _pint_name(from_unit))
    factor = float(quantity.to(_pint_name(to_unit)).magnitude)  # may overflow
    if not math.isfinite(factor):
        raise OverflowError(f"converting {from_unit} to {to_unit} overflows")
    return factor


WATER_INTENSITY_UNIT = "L/kWh"
"""The unit water factors (on-site WUE, off-site EWIF) are held in: litres per kWh."""

_PLAIN_NUMBER = re.compile(r"^\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$")


def parse_number(text: str) -> tuple[float, str]:
    """Read a pure number published as text (a PUE "1.14", an exponent "2") as ``(value, "")``.

    Raises :class:`UnitProblem` for anything but one finite, non-negative plain number.
    """
    if text.strip().startswith("-"):
        raise UnitProblem(_("{text} is negative; this factor cannot be").format(text=repr(text)))
    if not _PLAIN_NUMBER.match(text):
        raise UnitProblem(_("{text} is not a plain number (e.g. '1.14')").format(text=repr(text)))
    value = float(text)
    if not math.isfinite(value):
        raise UnitProblem(_("{text} is not a finite number").format(text=repr(text)))
    return value, ""


def parse_water_intensity(text: str) -> tuple[float, str]:
    """Read a water factor such as ``"0.14 L/kWh"`` as ``(value, unit)``.

    The unit must be a volume per energy (L/kWh, gal/kWh, mL/Wh…). Raises
    :class:`UnitProblem` otherwise.
    """
    return _parse_per_energy(text, "water", WATER_INTENSITY_UNIT, N_("a water factor"))


CARBON_INTENSITY_UNIT = "gCO2e/kWh"
"""The unit grid carbon intensities are held in: grams of CO2-equivalent per kWh."""


def parse_carbon_intensity(text: str) -> tuple[float, str]:
    """Read a grid carbon intensity such as ``"0.35 kgCO2e/kWh"`` or ``"823.1 lb/MWh"`` as
    ``(value, unit)``. The unit must be a mass per energy. Raises :class:`UnitProblem`."""
    return _parse_per_energy(text, "carbon", CARBON_INTENSITY_UNIT, N_("a carbon intensity"))


def _parse_per_energy(text: str, top: Dimension, reference: str, what: str) -> tuple[float, str]:
    """A number followed by a ``top`` unit per energy unit, e.g. ``0.14 L/kWh``; ``what``
    (marked with ``N_``) names the factor in the message for a negative one."""
    match = _NUMBER_THEN_UNIT.match(text)
    if match is None or match.group("unit") is None:
        said = _("{text} is not a number followed by a unit (e.g. '1 {reference}')")
        raise UnitProblem(said.format(text=repr(text), reference=reference))
    if match.group("sign") == "-":
        said = _("{text} is negative; {what} cannot be")
        raise UnitProblem(said.format(text=repr(text), what=_(what)))
    value = float(match.group("number").replace(",", "") + (match.group("exponent") or ""))
    name = match.group("unit").strip()
    per_energy = _(_PER_ENERGY[top])

    def not_per_energy() -> UnitProblem:
        said = _("{name} is not {what} (expected e.g. {reference})")
        return UnitProblem(said.format(name=repr(name), what=per_energy, reference=reference))

    parts = [part.strip() for part in name.split("/")]
    if len(parts) == 2 and parts[0] in _EXACT and parts[1] in _EXACT:
        if (_EXACT[parts[0]][0], _EXACT[parts[1]][0]) == (top, "energy"):
            return value, name
        raise not_per_energy()
    if "#" in name or (top != "carbon" and CO2E_SUFFIX in name):
        said = _("unreadable unit {name} (expected {reference})")
        raise UnitProblem(said.format(name=repr(name), reference=reference))
    _refuse_long(name)
    import pint

    ureg = registry()
    try:
        unit = ureg.Unit(_pint_name(name))
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as exc:
        said = _("unknown unit {name} (expected {what} (expected e.g. {reference}))")
        raise UnitProblem(
            said.format(name=repr(name), what=per_energy, reference=reference)
        ) from exc
    except Exception as exc:  # pint's parser raises assorted errors on malformed text
        raise UnitProblem(_("unreadable unit {name}").format(name=repr(name))) from exc
    if unit.dimensionality != ureg.get_dimensionality(f"{_DIMENSION[top]} / [energy]"):
        raise not_per_energy()
    _refuse_hidden_factors(name, unit)
    if not math.isfinite(value) or not math.isfinite(conversion_factor(name, reference)):
        raise UnitProblem(_("{text} is too large to compute with").format(text=repr(text)))
    return value, name
