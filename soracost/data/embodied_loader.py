"""Load the embodied-carbon records of a catalogue: the hardware whose manufacture
``--embodied`` shares per clip.

Called by :func:`soracost.data.catalog.build_catalog`; errors name file, line, entry and
field. Each record is one sourced figure of one configuration (a DGX H200, say): the base
server's manufacturing emissions, one accelerator's (with how many the server holds), the
hardware's lifetime and the whole server's power. A section holds exactly one of each, all
of the same hardware, so that the four always describe one machine.
"""

from __future__ import annotations

from soracost.core.records import EMBODIED_KINDS, METHODS, EmbodiedFactor, EmbodiedKind, Source
from soracost.core.units import Dimension, UnitProblem, conversion_factor, parse_amount
from soracost.data.cases import read_cases, read_sourced, sourced_keys
from soracost.data.fields import Fields
from soracost.i18n import N_, _, localise_number

_DIMENSIONS: dict[EmbodiedKind, Dimension] = {
    "server": "carbon",
    "accelerator": "carbon",
    "lifetime": "time",
    "power": "power",
}
"""What each kind of record measures."""

_EXAMPLES: dict[EmbodiedKind, str] = {
    "server": "'6000 kgCO2e'",
    "accelerator": "'364 kgCO2e'",
    "lifetime": "'1095 day'",
    "power": "'6646.63 W'",
}
"""How a published case is written, by kind (for a case given as a bare YAML number)."""

_REFERENCE: dict[EmbodiedKind, str] = {
    "server": "kg",
    "accelerator": "kg",
    "lifetime": "h",
    "power": "W",
}
_CEILINGS: dict[EmbodiedKind, float] = {
    "server": 1e6,  # kgCO2e: a thousand tonnes for one server is a typo
    "accelerator": 1e5,
    "lifetime": 50 * 8766.0,  # hours: fifty years
    "power": 1e6,  # W: a megawatt for one server
}
"""Upper bounds far above any published value (a server's manufacture ≈ 1–10 tCO2e, a life
of 3–6 years, a few kW), in :data:`_REFERENCE` units: beyond them a figure is a typo."""

_POSITIVE: dict[EmbodiedKind, str] = {
    "server": N_("a server figure must be more than zero"),
    "accelerator": N_("an accelerator figure must be more than zero"),
    "lifetime": N_("a lifetime figure must be more than zero"),
    "power": N_("a power figure must be more than zero"),
}
"""What a figure of zero or below is told, by kind (a sentence each: French agrees)."""

_BEYOND: dict[EmbodiedKind, str] = {
    "server": N_("{value} {unit} is beyond any server figure ({ceiling} {unit}): a typo?"),
    "accelerator": N_(
        "{value} {unit} is beyond any accelerator figure ({ceiling} {unit}): a typo?"
    ),
    "lifetime": N_("{value} {unit} is beyond any lifetime figure ({ceiling} {unit}): a typo?"),
    "power": N_("{value} {unit} is beyond any power figure ({ceiling} {unit}): a typo?"),
}
"""What a figure above its kind's ceiling is told, by kind."""

MAX_ACCELERATORS = 1024
"""The most accelerators one server record may hold (an 8-GPU server has 8)."""


def read_embodied(top: Fields, sources: dict[str, Source]) -> dict[str, EmbodiedFactor]:
    """Every entry under ``embodied``: unique ids, exactly one of each kind, one hardware."""
    records: dict[str, EmbodiedFactor] = {}
    seen: dict[str, EmbodiedFactor] = {}
    for item, record in top.unique_entries("embodied", lambda entry: _record(entry, sources)):
        if record.kind in seen:
            said = _("a second {kind} record (first: {id})")
            item.fail("kind", said.format(kind=record.kind, id=repr(seen[record.kind].id)))
        first = next(iter(seen.values()), None)
        if first is not None and record.hardware != first.hardware:
            said = _(
                "{hardware} is not {first} (of {id}): every embodied record describes the "
                "same hardware"
            )
            item.fail(
                "hardware",
                said.format(
                    hardware=repr(record.hardware), first=repr(first.hardware), id=repr(first.id)
                ),
            )
        seen[record.kind] = record
        records[record.id] = record
    if records and len(seen) != len(EMBODIED_KINDS):
        missing = ", ".join(kind for kind in EMBODIED_KINDS if kind not in seen)
        top.fail(
            "embodied", _("needs one record of each kind; missing: {kinds}").format(kinds=missing)
        )
    return records


_KEYS = sourced_keys(kind=False, hardware=False, count=True, method=True)
"""An embodied record's keys; its kind and hardware are never unconfirmed."""
_KINDS: tuple[EmbodiedKind, ...] = tuple(EMBODIED_KINDS)


def _record(item: Fields, sources: dict[str, Source]) -> EmbodiedFactor:
    item.reject_unknown(_KEYS.allowed)
    record_id = item.identifier()
    kind = item.choice("kind", _KINDS)
    dimension = _DIMENSIONS[kind]

    def parse(text: str) -> tuple[float, str]:
        return parse_amount(text, dimension)

    values, unit, published, fill = read_cases(item, parse, _EXAMPLES[kind])
    try:
        in_reference = values * conversion_factor(unit, _REFERENCE[kind])
    except (UnitProblem, ArithmeticError):  # pragma: no cover - parse checked the dimension
        item.fail("published", _("cannot be expressed in {unit}").format(unit=_REFERENCE[kind]))
    if not in_reference.low > 0:
        item.fail("published", _(_POSITIVE[kind]))
    if in_reference.high > _CEILINGS[kind]:
        item.fail(
            "published",
            _(_BEYOND[kind]).format(
                value=localise_number(f"{in_reference.high:g}"),
                ceiling=localise_number(f"{_CEILINGS[kind]:g}"),
                unit=_REFERENCE[kind],
            ),
        )
    count = 1
    if item.has_key("count"):
        if kind != "accelerator":
            item.fail("count", _("only an accelerator record says how many a server holds"))
        count = item.integer("count")
        if not 1 <= count <= MAX_ACCELERATORS:
            said = _("must be 1 to {most}, got {count}")
            item.fail("count", said.format(most=MAX_ACCELERATORS, count=count))
    elif kind == "accelerator":
        item.fail("count", _("say how many accelerators one server holds (e.g. 'count: 8')"))
    sourced = read_sourced(item, sources, _KEYS, published, fill)
    return EmbodiedFactor(
        id=record_id,
        kind=kind,
        hardware=item.text("hardware"),
        values=values,
        unit=unit,
        method=item.choice("method", METHODS),
        count=count,
        **sourced,
    )
