"""Readers shared by every record that cites a source: published cases and provenance.

Published cases (low, mid, high) are read as their source wrote them into a :class:`Range`.

Estimates ("90 Wh"), water factors ("0.14 L/kWh") and pure numbers such as a PUE ("1.14")
are all published this way: each case is text as the source printed it; the cases a
source did not give are set by a named ``fill`` rule, never silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from msgspec.structs import asdict

from soracost.core.ranges import Range
from soracost.core.records import CASES, CONFIDENCES, FILLS, Fill, Sourced
from soracost.core.units import UnitProblem, conversion_factor
from soracost.data.fields import Fields, Keys
from soracost.i18n import _, localise_number

Parser = Callable[[str], tuple[float, str]]
"""Reads one published case into ``(value, unit)``; raises UnitProblem if it cannot."""

_CASE_KEYS = frozenset(CASES)
"""The keys ``published`` may have (made once: every sourced entry has a ``published``)."""
_FILLS: tuple[Fill, ...] = tuple(FILLS)
"""The rules ``fill`` may name, in :data:`FILLS`' order (the order a message lists them)."""


def read_cases(
    item: Fields, parse: Parser, example: str, *, unitless: bool = False
) -> tuple[Range, str, dict[str, str], Fill | None]:
    """Read ``published`` and ``fill``: the filled range, its unit, the texts and the rule.

    Every case is converted to the unit of the first published case (low, mid, high order).
    A case given as a YAML number, not as text, is refused with ``example`` (``'90 Wh'``)
    as the way to write it: it has no unit, or, for a ``unitless`` figure (a PUE), it is
    not the text the source printed.
    """
    block = item.mapping("published")
    data = block.data
    block.reject_unknown(_CASE_KEYS)
    for case in CASES:
        value = data.get(case)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            said = (
                _("{value} is a bare number; write it as text, as printed, e.g. {example}")
                if unitless
                else _("{value} has no unit; write it as the source did, e.g. {example}")
            )
            block.fail(case, said.format(value=repr(value), example=example))
    published = {case: block.text(case) for case in CASES if case in data}
    if not published:
        block.fail(None, _("give at least one of low, mid, high (e.g. 'mid: 90 Wh')"))
    parsed: dict[str, tuple[float, str]] = {}
    for case, text in published.items():
        try:
            parsed[case] = parse(text)
        except UnitProblem as exc:
            block.fail(case, str(exc))
    unit = next(iter(parsed.values()))[1]  # the first case's, in CASES' order as published
    values: dict[str, float] = {}
    for case, (value, case_unit) in parsed.items():
        try:
            values[case] = value * conversion_factor(case_unit, unit)
        except ArithmeticError:
            values[case] = math.inf
        if not math.isfinite(values[case]):
            said = _("{value} is too large to express in {unit}")
            block.fail(case, said.format(value=repr(published[case]), unit=unit))
    fill = item.choice("fill", _FILLS, required=False)
    return _filled(item, published, values, fill), unit, published, fill


def _filled(
    item: Fields, published: dict[str, str], values: dict[str, float], fill: Fill | None
) -> Range:
    """Complete the cases the source did not give, by the rule the data names."""
    given = tuple(published)  # the cases published, in CASES' order (read_cases's)
    if fill is None:
        if len(given) != len(CASES):
            said = _("the source gives only {cases}; say how the other cases are set ({fills})")
            item.fail("fill", said.format(cases=", ".join(given), fills=", ".join(FILLS)))
    elif fill == "single-figure":
        if len(given) != 1:
            said = _("'single-figure' needs exactly one published case, not {n}")
            item.fail("fill", said.format(n=len(given)))
        values = dict.fromkeys(CASES, values[given[0]])
    elif given != ("low", "high"):
        item.fail("fill", _("{fill} needs exactly low and high published").format(fill=repr(fill)))
    elif fill == "geometric-mean":
        if values["low"] == 0:
            item.fail("fill", _("a geometric mean with a low of 0 is 0; use 'midpoint'"))
        values["mid"] = math.sqrt(values["low"] * values["high"])
    else:  # midpoint
        values["mid"] = (values["low"] + values["high"]) / 2
    low, mid, high = values["low"], values["mid"], values["high"]  # CASES, filled
    if not low <= mid <= high:
        said = _("cases must satisfy low <= mid <= high, got {low}, {mid}, {high} ({fill})")
        item.fail(
            "published",
            said.format(
                low=localise_number(f"{low:g}"),
                mid=localise_number(f"{mid:g}"),
                high=localise_number(f"{high:g}"),
                fill=fill or _("as published"),
            ),
        )
    return Range(low, mid, high)


_SOURCED_KEYS: dict[str, bool | tuple[str, ...]] = {
    "id": False, "published": CASES, "fill": True, "cases_note": True, "source": True,
    "chain": True, "see_also": True, "claim": True, "confidence": False,
    "unconfirmed": False, "note": True,
}  # fmt: skip
"""The keys every sourced entry has (its :class:`Sourced` fields, and ``id``), and
whether its ``unconfirmed`` may name each (see :class:`Keys`)."""


def sourced_keys(**own: bool | tuple[str, ...]) -> Keys:
    """The keys of one kind of sourced entry: its ``own`` and those every one has."""
    return Keys({**_SOURCED_KEYS, **own})


def read_sourced(
    item: Fields,
    sources: Mapping[str, object],
    keys: Keys,
    published: dict[str, str],
    fill: Fill | None,
) -> dict[str, Any]:
    """Read the :class:`Sourced` part of a record, whose cases :func:`read_cases` read:
    its references (checked against the known source ids), claim, confidence and notes.
    ``unconfirmed`` may name only ``keys.unconfirmable``.

    Returned as keyword arguments for the record's class (``Estimate(**sourced, ...)``):
    typed where they are read, into a :class:`Sourced`, since no type can say "the
    fields of a record" to the record's constructor.
    """
    source, chain, see_also = _read_references(item, sources)
    claim = item.text("claim")
    confidence = item.choice("confidence", CONFIDENCES)
    sourced = Sourced(
        published=published,
        fill=fill,
        cases_note=item.text("cases_note", required=False),
        source=source,
        chain=chain,
        see_also=see_also,
        claim=claim,
        confidence=confidence,
        line=item.line,
        unconfirmed=item.reasons("unconfirmed", allowed=keys.unconfirmable),
        note=item.text("note", required=False),
    )
    return asdict(sourced)  # its fields by name, not copied further (msgspec's, in C)


def _read_references(
    item: Fields, sources: Mapping[str, object]
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Read ``source``, ``chain`` and ``see_also``, each checked against known source ids.

    ``chain`` lists who reports whom, from the outermost report to the origin; it must
    include the record's own ``source``.
    """
    source_id = item.text("source")
    unknown = _("no source has id {id}")
    if source_id not in sources:
        item.fail("source", unknown.format(id=repr(source_id)))
    chain = item.text_list("chain", required=False) or ()
    for position, link in enumerate(chain):
        if link not in sources:
            item.fail(f"chain[{position}]", unknown.format(id=repr(link)))
    if chain and source_id not in chain:
        said = _("must include the record's own source {id}")
        item.fail("chain", said.format(id=repr(source_id)))
    if len(set(chain)) != len(chain):
        item.fail("chain", _("lists a source twice"))
    see_also = item.text_list("see_also", required=False) or ()
    for position, link in enumerate(see_also):
        if link not in sources:
            item.fail(f"see_also[{position}]", unknown.format(id=repr(link)))
    return source_id, chain, see_also
