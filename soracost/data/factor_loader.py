"""Load the model's factors and sites from a catalogue: scaling exponents, boundary
overheads, PUE and water intensities, each a sourced record like an estimate.

Called by :func:`soracost.data.catalog.parse_catalog`; errors name file, line, entry and field.
"""

from __future__ import annotations

import re

from soracost.core.records import (
    ACCOUNTINGS,
    FACTOR_CEILINGS,
    FACTOR_KINDS,
    METHODS,
    OPTIONAL_SITE_FACTORS,
    SITE_FACTORS,
    SITE_KINDS,
    Boundary,
    Factor,
    FactorKind,
    Site,
    Source,
)
from soracost.core.units import (
    CARBON_INTENSITY_UNIT,
    WATER_INTENSITY_UNIT,
    conversion_factor,
    parse_carbon_intensity,
    parse_number,
    parse_water_intensity,
)
from soracost.data.cases import read_cases, read_sourced, sourced_keys
from soracost.data.fields import Fields
from soracost.i18n import _, localise_number

_OVERHEAD_FROM: tuple[Boundary, ...] = ("gpu", "gpu+cpu+ram")
"""The boundaries a server-overhead factor can lift to whole-server energy."""

_WATER_KINDS = ("wue-onsite", "ewif-offsite")

_CEILINGS = FACTOR_CEILINGS
"""Upper bounds far above any published value (see :data:`FACTOR_CEILINGS`), shared with
the factors a user supplies."""

_PER_SITE_KINDS = ("pue", *_WATER_KINDS, "carbon-intensity")
"""Kinds a catalogue holds one of per site, not one in all."""


def read_factors(top: Fields, sources: dict[str, Source]) -> dict[str, Factor]:
    """Every entry under ``factors``; ids unique, one scaling rule and overhead of each kind."""
    factors: dict[str, Factor] = {}
    singletons: dict[tuple[str, str | None], Factor] = {}
    for item, factor in top.unique_entries("factors", lambda entry: _factor(entry, sources)):
        factors[factor.id] = factor
        if factor.kind not in _PER_SITE_KINDS:
            key = (factor.kind, factor.converts_from)
            if key in singletons:
                first = repr(singletons[key].id)
                if factor.converts_from:
                    said = _("a second {kind} factor from {boundary} (first: {id}); keep one")
                else:
                    said = _("a second {kind} factor (first: {id}); keep one")
                item.fail(
                    "kind", said.format(kind=factor.kind, boundary=factor.converts_from, id=first)
                )
            singletons[key] = factor
    return factors


_FACTOR_KEYS = sourced_keys(kind=False, converts_from=False, accounting=True, method=True)
"""A factor's keys; what kind it is and the boundary it converts from are never unconfirmed."""
_FACTOR_KINDS: tuple[FactorKind, ...] = tuple(FACTOR_KINDS)
"""The kinds a factor may be, as one tuple made once (not at each factor read)."""


def _factor(item: Fields, sources: dict[str, Source]) -> Factor:
    item.reject_unknown(_FACTOR_KEYS.allowed)
    factor_id = item.identifier()
    kind = item.choice("kind", _FACTOR_KINDS)
    converts_from = item.choice("converts_from", _OVERHEAD_FROM, required=False)
    if kind == "server-overhead" and converts_from is None:
        said = _("missing; say which boundary it lifts ({boundaries})")
        item.fail("converts_from", said.format(boundaries=", ".join(_OVERHEAD_FROM)))
    if kind != "server-overhead" and converts_from is not None:
        item.fail("converts_from", _("only a server-overhead factor converts from a boundary"))
    accounting = item.choice("accounting", ACCOUNTINGS, required=kind == "carbon-intensity")
    if kind != "carbon-intensity" and accounting is not None:
        item.fail("accounting", _("only a carbon-intensity factor has an accounting basis"))
    if kind in _WATER_KINDS:
        values, unit, published, fill = read_cases(
            item,
            parse_water_intensity,
            "'0.14 L/kWh'",
        )
        values = values * conversion_factor(unit, WATER_INTENSITY_UNIT)
        unit = WATER_INTENSITY_UNIT
    elif kind == "carbon-intensity":
        values, unit, published, fill = read_cases(
            item,
            parse_carbon_intensity,
            "'0.35 kgCO2e/kWh'",
        )
        values = values * conversion_factor(unit, CARBON_INTENSITY_UNIT)
        unit = CARBON_INTENSITY_UNIT
    else:
        values, unit, published, fill = read_cases(
            item,
            parse_number,
            "'1.14'",
            unitless=True,
        )
    ceiling = _CEILINGS[kind]
    if values.high > ceiling:
        limit = f"{localise_number(f'{ceiling:g}')} {unit}".strip()
        said = _("a {kind} above {limit} is not plausible, got {value}")
        got = localise_number(f"{values.high:g}")
        item.fail("published", said.format(kind=kind, limit=limit, value=got))
    if kind in ("pue", "server-overhead") and values.low < 1:
        said = _("a {kind} below 1 would make energy vanish, got {value}")
        item.fail("published", said.format(kind=kind, value=localise_number(f"{values.low:g}")))
    if kind.endswith("-exponent") and values.low <= 0:  # the ceiling is checked above
        said = _("a scaling exponent must be above 0, got {value}")
        item.fail("published", said.format(value=localise_number(f"{values.low:g}")))
    sourced = read_sourced(item, sources, _FACTOR_KEYS, published, fill)
    return Factor(
        id=factor_id,
        kind=kind,
        values=values,
        unit=unit,
        method=item.choice("method", METHODS),
        converts_from=converts_from,
        accounting=accounting,
        **sourced,
    )


def read_sites(top: Fields, factors: dict[str, Factor]) -> dict[str, Site]:
    """Every entry under ``sites``: unique ids, factors of the right kind, one default."""
    sites: dict[str, Site] = {}
    named: dict[str, str] = {}  # every alias, and the site it names
    for item, site in top.unique_entries("sites", lambda item: _site(item, factors)):
        sites[site.id] = site
        for position, alias in enumerate(site.aliases):
            if alias in named or alias in sites:
                other = named.get(alias, alias)
                said = _("{alias} already names site {site}")
                item.fail(f"aliases[{position}]", said.format(alias=repr(alias), site=repr(other)))
            named[alias] = site.id
    for item in top.entries("sites") if named.keys() & sites.keys() else ():
        site_id = item.data.get("id")
        if site_id in named:  # a later site took an id an earlier one keeps as an alias
            said = _("{id} is already an alias of site {site}")
            item.fail("id", said.format(id=repr(site_id), site=repr(named[site_id])))
    defaults = [site for site in sites.values() if site.default]
    if sites and len(defaults) != 1:
        found = ", ".join(site.id for site in defaults) or _("none")
        said = _("exactly one site must be marked 'default: true' (found: {found})")
        top.fail("sites", said.format(found=found))
    return sites


_SITE_KEYS: dict[str, FactorKind] = {key.replace("-", "_"): key for key in SITE_FACTORS}
"""A site's keys for its factors (``wue_onsite``) and the factor kind each must name."""

_OPTIONAL_SITE_KEYS: dict[str, FactorKind] = {"carbon": OPTIONAL_SITE_FACTORS[0]}

_SITE_FACTOR_KEYS = (*_SITE_KEYS.items(), *_OPTIONAL_SITE_KEYS.items())
"""Each key of a site's factors, required first, with the factor kind it names."""
_SITE_ENTRY_KEYS = frozenset(
    {"id", "name", "kind", "default", *_SITE_KEYS, *_OPTIONAL_SITE_KEYS, "note", "aliases"}
)
"""A site's keys."""


def _site(item: Fields, factors: dict[str, Factor]) -> Site:
    item.reject_unknown(_SITE_ENTRY_KEYS)
    chosen: dict[FactorKind, str] = {}
    for key, kind in _SITE_FACTOR_KEYS:
        factor_id = item.text(key, required=key in _SITE_KEYS)
        if factor_id is None:
            continue
        if factor_id not in factors:
            item.fail(key, _("no factor has id {id}").format(id=repr(factor_id)))
        if factors[factor_id].kind != kind:
            said = _("{id} is a {kind} factor, not {wanted}")
            item.fail(
                key, said.format(id=repr(factor_id), kind=factors[factor_id].kind, wanted=kind)
            )
        if kind == "carbon-intensity" and factors[factor_id].accounting != "location-based":
            said = _("{id} is market-based; a site's grid intensity is location-based")
            item.fail(key, said.format(id=repr(factor_id)))
        chosen[kind] = factor_id
    return Site(
        id=item.identifier(),
        name=item.text("name"),
        kind=item.choice("kind", SITE_KINDS),
        factors=chosen,
        line=item.line,
        default=item.boolean("default") if item.has_key("default") else False,
        note=item.text("note", required=False),
        aliases=_aliases(item),
    )


def _aliases(item: Fields) -> tuple[str, ...]:
    """A site's former ids (``aliases: [us-average]``): each shaped like an id."""
    aliases = item.text_list("aliases") or ()
    for position, alias in enumerate(aliases):
        if not _ALIAS.match(alias):
            said = _("{value} is not a valid id (lower-case letters, digits, '.', '_', '-')")
            item.fail(f"aliases[{position}]", said.format(value=repr(alias)))
    return aliases


_ALIAS = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""An alias is spelled like an id."""
