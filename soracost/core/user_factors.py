"""Factors the user supplies for one run: --pue, --wue, --ewif, --grid-intensity, and a
site of their own (--site-file). Pure computation, no I/O.

A supplied factor becomes a catalogue factor like any other, whose source is the user
(:data:`~soracost.core.records.USER_SOURCE_ID`): every step that uses it names it, so the
explain tree, the tables, CSV and JSON all say where it came from. The site whose
factors it replaces keeps its id and records which factors the user supplied
(:attr:`~soracost.core.records.Site.user_supplied`).
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from msgspec.structs import replace

from soracost.core.ranges import Range
from soracost.core.records import FACTOR_CEILINGS as FACTOR_CEILINGS  # still importable here
from soracost.core.records import (
    SITE_FACTORS,
    USER_SOURCE_ID,
    Catalog,
    Factor,
    FactorKind,
    Site,
    Source,
)
from soracost.core.units import (
    CARBON_INTENSITY_UNIT,
    WATER_INTENSITY_UNIT,
    UnitProblem,
    conversion_factor,
    parse_carbon_intensity,
    parse_number,
    parse_water_intensity,
)
from soracost.i18n import N_, _, localise_number, report_

USER_FACTOR_KINDS: tuple[FactorKind, ...] = (*SITE_FACTORS, "carbon-intensity")
"""The factors a user may supply, in the order they are shown."""

FACTOR_LABELS: dict[FactorKind, str] = {
    "pue": N_("PUE"),
    "wue-onsite": N_("on-site WUE"),
    "ewif-offsite": N_("off-site EWIF"),
    "carbon-intensity": N_("grid carbon intensity"),
}
"""How each supplied factor is named in a line of output (marked: translated where shown)."""

_NOT_A: dict[FactorKind, str] = {
    "pue": N_("{text} is not a PUE: give a plain number such as {example}"),
    "wue-onsite": N_("{text} is not an on-site WUE: give one such as {example}"),
    "ewif-offsite": N_("{text} is not an off-site EWIF: give one such as {example}"),
    "carbon-intensity": N_("{text} is not a grid carbon intensity: give one such as {example}"),
}
"""What a supplied factor that cannot be read is told, by kind (whole sentences, so that
each language can agree its words with the factor's name)."""

_IMPLAUSIBLE: dict[FactorKind, str] = {
    "pue": N_("{text}: a PUE above {limit} is not plausible"),
    "wue-onsite": N_("{text}: an on-site WUE above {limit} is not plausible"),
    "ewif-offsite": N_("{text}: an off-site EWIF above {limit} is not plausible"),
    "carbon-intensity": N_("{text}: a grid carbon intensity above {limit} is not plausible"),
}
"""What a supplied factor beyond :data:`FACTOR_CEILINGS` is told, by kind."""

_EXAMPLES: dict[FactorKind, str] = {
    "pue": "'1.2'",
    "wue-onsite": "'0.5 L/kWh'",
    "ewif-offsite": "'3 L/kWh'",
    "carbon-intensity": "'50 g/kWh'",
}


class UserFactor(Struct, frozen=True):
    """One factor the user supplied: ``value`` in the model's unit (a pure number for a
    PUE, L/kWh for water, gCO2e/kWh for carbon), ``text`` as typed, and ``origin``,
    where it was given (``--pue``, or ``my-site.yaml:4``)."""

    kind: FactorKind
    value: float
    text: str
    origin: str


def parse_user_factor(kind: FactorKind, text: str, origin: str) -> UserFactor:
    """Read a supplied factor (``"1.2"``, ``"0.5 L/kWh"``, ``"50 g/kWh"``) through the unit
    registry, checked for dimension and plausibility like the catalogue's.

    Raises :class:`UnitProblem` with a one-line reason (the caller names where).
    """
    example = _EXAMPLES[kind]
    if kind == "pue":
        try:
            value, unit = parse_number(text)
        except UnitProblem:
            said = _(_NOT_A[kind]).format(text=repr(text), example=example)
            raise UnitProblem(said) from None
        reference = ""
    else:
        parse = parse_carbon_intensity if kind == "carbon-intensity" else parse_water_intensity
        reference = CARBON_INTENSITY_UNIT if kind == "carbon-intensity" else WATER_INTENSITY_UNIT
        try:
            value, unit = parse(text)
        except UnitProblem:
            said = _(_NOT_A[kind]).format(text=repr(text), example=example)
            raise UnitProblem(said) from None
        value *= conversion_factor(unit, reference)
    ceiling = FACTOR_CEILINGS[kind]
    if not value <= ceiling:  # also refuses nan
        limit = f"{localise_number(f'{ceiling:g}')} {reference}".strip()
        raise UnitProblem(_(_IMPLAUSIBLE[kind]).format(text=repr(text), limit=limit))
    if kind == "pue" and value < 1:
        said = _("{text}: a PUE below 1 would make energy vanish")
        raise UnitProblem(said.format(text=repr(text)))
    return UserFactor(kind=kind, value=value, text=text.strip(), origin=origin)


def user_source() -> Source:
    """The source every user-supplied factor cites. Built when a run uses it, not when
    the module is imported: its publisher, gap and note are report text, in the run's
    language in a table and in English in CSV and JSON (``report_``)."""
    not_a_publication = report_("a factor the user supplied, not a publication")
    return Source(
        id=USER_SOURCE_ID,
        publisher=report_("the user (supplied for this run)"),
        title=None,
        authors=None,
        date=None,
        url=None,
        kind="definition",
        confidence="unconfirmed",
        line=0,
        gaps=dict.fromkeys(("title", "authors", "date", "url"), not_a_publication),
        note=report_(
            "Given with --pue, --wue, --ewif, --grid-intensity or in a --site-file: soracost "
            "checked its unit and that it is plausible, nothing more."
        ),
    )


def user_factor_id(kind: FactorKind) -> str:
    """The id of the user's factor of ``kind`` (``user-pue``)."""
    return f"user-{kind}"


def _factor(given: UserFactor) -> Factor:
    unit = {"pue": "", "carbon-intensity": CARBON_INTENSITY_UNIT}.get(
        given.kind, WATER_INTENSITY_UNIT
    )
    return Factor(
        id=user_factor_id(given.kind),
        kind=given.kind,
        values=Range.single(given.value),
        unit=unit,
        method="disclosed",
        accounting="location-based" if given.kind == "carbon-intensity" else None,
        published={"mid": given.text},
        fill="single-figure",
        cases_note=None,
        source=USER_SOURCE_ID,
        chain=(),
        see_also=(),
        claim=report_("user-supplied with {origin}").format(origin=given.origin),
        confidence="unconfirmed",
        line=0,
        note=report_("user-supplied for this run, not from a source"),
    )


def with_user_factors(
    catalog: Catalog,
    given: Sequence[UserFactor],
    *,
    base: Site | None,
    own: Site | None = None,
) -> tuple[Catalog, Site]:
    """The catalogue with the user's factors, and the site that uses them.

    ``base``: the catalogue's site whose factors ``given`` replace (the rest are its own).
    ``own``: a site of the user's own (from --site-file), added to the catalogue; its
    factors are all in ``given``. Raises :class:`ValueError` when the site would lack a
    factor every site needs.
    """
    factors = {item.kind: _factor(item) for item in given}  # a later one wins (options)
    template = own if own is not None else base
    if template is None:
        missing = [kind for kind in SITE_FACTORS if kind not in factors]
        if missing:
            names = ", ".join(_(FACTOR_LABELS[kind]) for kind in missing)
            said = _("the data file has no site to take the rest from; also give: {factors}")
            raise ValueError(said.format(factors=names))
        name = report_("your own site")
        template = Site(id="user", name=name, kind="location", factors={}, line=0)
    chosen = {**(base.factors if base is not None and own is None else {}), **{
        kind: factor.id for kind, factor in factors.items()
    }}  # fmt: skip
    site = replace(
        template,
        factors=chosen,
        user_supplied=tuple(kind for kind in USER_FACTOR_KINDS if kind in factors),
    )
    sites = {**catalog.sites, site.id: site}
    updated = replace(
        catalog,
        sources={**catalog.sources, USER_SOURCE_ID: user_source()},
        factors={**catalog.factors, **{factor.id: factor for factor in factors.values()}},
        sites=sites,
    )
    return updated, site


def user_supplied_text(catalog: Catalog, site: Site) -> str:
    """``PUE 1.1, grid carbon intensity 50 g/kWh``: the site's user-supplied factors as
    the user gave them; '' when there are none."""
    return ", ".join(
        f"{report_(FACTOR_LABELS[kind])} {catalog.factors[site.factors[kind]].published['mid']}"
        for kind in site.user_supplied
    )
