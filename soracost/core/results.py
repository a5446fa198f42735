"""Pure computation: from a catalogue and a scenario to result rows. No I/O, no Rich.

A result row is plain data: its numbers (per clip and for the batch, in the user's unit)
and the estimate and sources behind them. Tables, CSV lines and JSON objects are all
rendered from the same rows, so they can never disagree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from msgspec import Struct, field
from msgspec.structs import replace

from soracost.core.errors import DataError, UsageProblem
from soracost.core.footprint import (
    DEFAULT_BOUNDARY,
    NO_ENERGY,
    BoundaryChoice,
    ClipRequest,
    Derivation,
    FootprintCalculator,
)
from soracost.core.ranges import NonFiniteRange, Range
from soracost.core.records import Catalog, Estimate, Site, Source
from soracost.core.units import PUBLISHED_QUANTITIES, Quantity
from soracost.i18n import N_, _, localise_number, ngettext, report_

if TYPE_CHECKING:  # training and Monte Carlo are loaded only when asked for
    from soracost.core.training import TrainingRequest, TrainingShare
    from soracost.core.uncertainty import Percentiles, Pool

DEFAULT_ENERGY_UNIT = "Wh"
DEFAULT_WATER_UNIT = "mL"
DEFAULT_CARBON_UNIT = "gCO2e"
DEFAULT_SAMPLES = 100_000
"""Monte Carlo samples per figure when --samples is not given."""

CARBON_NOTE = N_(
    "carbon: location-based, facility energy × the average grid carbon intensity where the "
    "clips are made (the site's). Not comparable with market-based figures, which subtract "
    "the clean energy an operator buys: Google's 0.03 gCO2e per Gemini text prompt is "
    "reported to be one."
)
"""Said wherever carbon figures are shown: what they count, and what they cannot be
compared with."""


class Units(Struct, frozen=True):
    """The display unit chosen for each quantity (already checked for dimension)."""

    energy: str = DEFAULT_ENERGY_UNIT
    water: str = DEFAULT_WATER_UNIT
    carbon: str = DEFAULT_CARBON_UNIT

    def of(self, quantity: Quantity) -> str:
        """The unit in which ``quantity`` is reported."""
        return {"energy": self.energy, "water": self.water, "carbon": self.carbon}[quantity]


class Scenario(Struct, frozen=True):
    """What the user asked for: how many clips, in which units, for which quantities, for
    which clip, at which boundary and site, and for which model (``None``: every model)."""

    count: int = 1
    units: Units = Units()
    quantities: tuple[Quantity, ...] = PUBLISHED_QUANTITIES
    request: ClipRequest = field(default_factory=ClipRequest)
    boundary: BoundaryChoice = DEFAULT_BOUNDARY
    site: str | None = None
    model: str | None = None
    estimates: tuple[str, ...] = ()
    """Only the estimates with these ids (``clip --estimate``; empty: no such limit)."""
    equivalents: bool = False
    """Express each figure as everyday equivalents of its basis."""
    training: TrainingRequest | None = None
    """A training energy to share per clip, reported apart from inference."""
    method: str = "bounds"
    """``bounds`` (low × low … high × high) or ``montecarlo`` (percentiles of samples)."""
    samples: int = DEFAULT_SAMPLES
    seed: int | None = None
    """The Monte Carlo seed; ``None`` until the CLI picks one (and reports it)."""
    keep_samples: bool = False
    """Pool the rows' samples (``compare --pooled``): see :func:`compare_results`."""

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"count must be at least 1, got {self.count}")


class ResultRow(Struct, frozen=True):
    """One estimate's figure of one quantity for a scenario.

    ``per_clip`` is per generated clip and ``batch`` is for ``count`` clips, both in
    ``unit``; ``derivation`` holds every step from the published claim to them. ``chain``
    lists the sources from the outermost report to the origin; ``see_also`` the supporting
    sources, such as the data set a figure was recomputed from.
    """

    estimate: Estimate
    quantity: Quantity
    source: Source
    chain: tuple[Source, ...]
    see_also: tuple[Source, ...]
    unit: str
    count: int
    derivation: Derivation
    site: str | None = None
    """The site whose factors the figure used (``None`` when it used none)."""
    boundary_differs: bool = False
    """Shown at another boundary than the other rows: not the one asked for (server,
    facility), or, as published, not the boundary most of the rows share."""

    @property
    def per_clip(self) -> Range:
        return self.derivation.per_clip

    @property
    def batch(self) -> Range:
        return self.derivation.batch

    @property
    def derived(self) -> bool:
        """Water or carbon computed from the estimate's energy, not published by its
        source (carbon always is)."""
        return self.derivation.derived_water or self.quantity == "carbon"


class Spread(Struct, frozen=True):
    """How far apart the sources are: the highest high over the lowest low.

    ``ratio`` is ``None`` when the lowest low is zero or the ratio overflows a float:
    there is no finite ratio to report.
    """

    ratio: float | None
    lowest: ResultRow
    highest: ResultRow


def resolve_site(catalog: Catalog, name: str | None) -> Site | None:
    """The site called ``name`` (the catalogue's default for ``None``).

    Raises :class:`UsageProblem` naming the valid choices for an unknown site.
    """
    if name is None:
        return catalog.default_site
    if name.strip().lower() in catalog.sites:
        return catalog.sites[name.strip().lower()]
    renamed = _renamed(catalog, name)
    if renamed is not None:  # a former id (us-average) still names its site
        return renamed
    choices = ", ".join(
        site.id
        + (_(" (formerly {ids})").format(ids=", ".join(site.aliases)) if site.aliases else "")
        for site in catalog.sites.values()
    )
    choices = choices or _("none (the data file defines no sites)")
    said = _("--site: unknown site {name}; choose one of: {choices}")
    raise UsageProblem(said.format(name=repr(name), choices=choices))


def _renamed(catalog: Catalog, name: str) -> Site | None:
    """The site that ``name`` names as a former id (an alias), or ``None``."""
    wanted = name.strip().lower()
    return next((site for site in catalog.sites.values() if wanted in site.aliases), None)


def select_estimates(
    catalog: Catalog, model: str | None, ids: tuple[str, ...] = ()
) -> list[Estimate]:
    """The estimates for ``model`` (a case-insensitive part of the model's name), or every
    estimate for ``None``; ``sora`` also keeps the estimates that stand in for Sora. With
    ``ids``, only the estimates of those ids (each must exist), in the catalogue's order.

    Raises :class:`UsageProblem` listing the models (or the ids) when nothing matches.
    """
    if ids:
        known = {estimate.id for estimate in catalog.estimates}
        unknown = [estimate_id for estimate_id in ids if estimate_id not in known]
        if unknown:
            said = _("--estimate: no estimate {ids}; the ids are in the tables' first column")
            raise UsageProblem(said.format(ids=", ".join(repr(i) for i in unknown)))
        of_model = {estimate.id for estimate in select_estimates(catalog, model)}
        elsewhere = [estimate_id for estimate_id in ids if estimate_id not in of_model]
        if elsewhere:  # never dropped silently: the scenario names every id asked for
            said = _("--estimate and --model: {ids} not for {model}")
            raise UsageProblem(said.format(ids=", ".join(elsewhere), model=repr(model)))
        wanted_ids = set(ids)
        return [estimate for estimate in catalog.estimates if estimate.id in wanted_ids]
    if model is None:
        return list(catalog.estimates)
    wanted = model_key(model)
    if not wanted:
        said = _("--model: {model} names no model (give part of a model's name)")
        raise UsageProblem(said.format(model=repr(model)))
    chosen = [
        estimate
        for estimate in catalog.estimates
        if wanted in model_key(estimate.applies_to.model)
        or (wanted == "sora" and estimate.applies_to.sora_proxy)
        or (wanted == "sora" and estimate.applies_to.models_sora)
    ]
    if not chosen:
        models = sorted({estimate.applies_to.model for estimate in catalog.estimates})
        said = _("--model: no estimate is for {model}; models: sora (and its proxies), {models}")
        raise UsageProblem(said.format(model=repr(model), models=", ".join(models)))
    return chosen


def describe_scenario(catalog: Catalog, scenario: Scenario) -> str:
    """One line saying what the figures are for: clip, boundary, site (and model)."""
    site = resolve_site(catalog, scenario.site)
    clip = scenario.request.describe() or report_("each source's own clip")
    parts = [
        report_("clip: {clip}").format(clip=clip),
        report_("energy: {boundary}").format(boundary=report_(scenario.boundary)),
    ]
    if site is not None:
        default = report_(" (default)") if site.default else ""
        parts.append(report_("site: {site}").format(site=site.id) + default)
        if scenario.site is not None and _renamed(catalog, scenario.site) is site:
            parts[-1] += f" (named {scenario.site.strip().lower()}, its former id)"
        if site.user_supplied:
            from soracost.core.user_factors import user_supplied_text

            parts.append(f"user-supplied: {user_supplied_text(catalog, site)}")
    if scenario.model is not None:
        parts.append(report_("model: {model}").format(model=scenario.model))
    if scenario.estimates:
        parts.append(report_("estimates: {ids}").format(ids=", ".join(scenario.estimates)))
    return " · ".join(parts)


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
"""What a model's name loses to be compared: ``\\w`` is exactly ``str.isalnum`` and
the underscore."""


@cache
def model_key(name: str) -> str:
    """A model's name as names are compared (``--model``, one measurement counted once):
    case-folded, with only its letters and digits: 'WAN2.1-T2V-14B' gives 'wan21t2v14b'.
    Cached: it runs for every estimate of every service when a catalogue is loaded (~480
    calls on the shipped one, for a few dozen names), 6.6 M instructions a run uncached."""
    return _NOT_ALPHANUMERIC.sub("", name.casefold())


def _calculator(catalog: Catalog, scenario: Scenario, count: int) -> FootprintCalculator:
    return FootprintCalculator(
        catalog,
        energy_unit=scenario.units.energy,
        water_unit=scenario.units.water,
        carbon_unit=scenario.units.carbon,
        count=count,
        request=scenario.request,
        boundary=scenario.boundary,
        site=resolve_site(catalog, scenario.site),
    )


def _rows(
    catalog: Catalog,
    figures: list[tuple[Estimate, Quantity, Derivation]],
    count: int,
    site: Site | None,
    asked: BoundaryChoice,
) -> list[ResultRow]:
    """One row per ``(estimate, quantity, derivation)``, in order.

    An estimate's rows are consecutive and share its sources; ``boundary_differs`` (see
    :class:`ResultRow`) is known before the rows are made, so each is made once.
    """
    expected = _expected_boundaries(figures, asked)
    site_factor_ids = frozenset(site.factors.values()) if site else frozenset()
    rows: list[ResultRow] = []
    previous: Estimate | None = None
    for estimate, quantity, derivation in figures:
        if estimate is not previous:  # the first of its rows: look its sources up once
            previous = estimate
            source = catalog.source_of(estimate)
            chain = tuple(catalog.sources[link] for link in estimate.chain) or (source,)
            see_also = tuple(catalog.sources[link] for link in estimate.see_also)
        used_site = any(step.factor_id in site_factor_ids for step in derivation.steps)
        rows.append(
            ResultRow(
                estimate=estimate,
                quantity=quantity,
                source=source,
                chain=chain,
                see_also=see_also,
                unit=derivation.unit,
                count=count,
                derivation=derivation,
                site=site.id if site and used_site else None,
                boundary_differs=expected[quantity] not in (None, derivation.boundary),
            )
        )
    return rows


def _expected_boundaries(
    figures: list[tuple[Estimate, Quantity, Derivation]], asked: BoundaryChoice
) -> dict[Quantity, str | None]:
    """Per quantity, the boundary its rows should be shown at when they are not all at
    one (the one asked for, or, as published, the one most rows share); ``None`` when
    they are all at one."""
    shown: dict[Quantity, list[str]] = {}
    for _row, quantity, derivation in figures:
        shown.setdefault(quantity, []).append(derivation.boundary)
    expected: dict[Quantity, str | None] = {}
    for quantity, boundaries in shown.items():
        distinct = set(boundaries)
        common = max(sorted(distinct), key=boundaries.count)  # the boundary most rows share
        mixed = len(distinct) > 1
        expected[quantity] = (common if asked == "as-published" else asked) if mixed else None
    return expected


def _derive(
    catalog: Catalog, calculator: FootprintCalculator, estimate: Estimate, quantity: Quantity
) -> Derivation | str:
    """One estimate's derivation of ``quantity``, or why there is none."""
    try:
        if quantity == "energy":
            if estimate.quantity != "energy":
                return NO_ENERGY
            return calculator.energy(estimate)
        if quantity == "carbon":
            return calculator.carbon(estimate)
        return calculator.water(estimate)
    except (NonFiniteRange, ArithmeticError):  # a figure or batch too large for a float
        said = ngettext(
            "{quantity} in {unit} for {count} clip is too large to compute",
            "{quantity} in {unit} for {count} clips is too large to compute",
            calculator.count,
        )
        raise DataError(
            said.format(
                quantity=_(quantity),
                unit=_unit_of(calculator, quantity),
                count=localise_number(f"{calculator.count:,}"),
            ),
            file=catalog.path,
            line=estimate.line,
            entry=_("estimate {id}").format(id=repr(estimate.id)),
        ) from None


def _unit_of(calculator: FootprintCalculator, quantity: Quantity) -> str:
    return {
        "energy": calculator.energy_unit,
        "water": calculator.water_unit,
        "carbon": calculator.carbon_unit,
    }[quantity]


class Results(Struct, frozen=True):
    """Rows in order, and, by estimate id, why a quantity could not be given.

    With Monte Carlo, ``percentiles`` holds each row's (per clip, batch) percentiles by
    ``(estimate id, quantity)``, and ``pool`` the rows' samples mixed when the scenario
    pools them. The samples themselves are not kept.
    """

    rows: list[ResultRow]
    missing: dict[tuple[str, Quantity], str]
    percentiles: dict[tuple[str, Quantity], tuple[Percentiles, Percentiles]] = field(
        default_factory=dict
    )
    pool: Pool | None = None


def clip_results(
    catalog: Catalog,
    scenario: Scenario,
    only: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Each chosen estimate's rows, in catalogue order: energy, then water (published, or
    derived from energy with the site's factors). ``only`` keeps one estimate id."""
    results = _bounds_results(catalog, scenario, only)
    if scenario.method == "montecarlo":
        results = _monte_carlo(results, scenario, progress)
    return results


def _bounds_results(catalog: Catalog, scenario: Scenario, only: str | None = None) -> Results:
    """The rows of :func:`clip_results`, before any Monte Carlo."""
    model = _calculator(catalog, scenario, scenario.count)
    figures: list[tuple[Estimate, Quantity, Derivation]] = []
    missing: dict[tuple[str, Quantity], str] = {}
    chosen = select_estimates(catalog, scenario.model, scenario.estimates)
    if only is not None:
        chosen = [estimate for estimate in chosen if estimate.id == only]
    for estimate in chosen:
        for quantity in scenario.quantities:
            derivation = _derive(catalog, model, estimate, quantity)
            if isinstance(derivation, str):
                missing[(estimate.id, quantity)] = derivation
            else:
                figures.append((estimate, quantity, derivation))
    rows = _rows(catalog, figures, scenario.count, model.site, scenario.boundary)
    return Results(rows=rows, missing=missing)


def _monte_carlo(
    results: Results,
    scenario: Scenario,
    progress: Callable[[int, int], None] | None,
    weights: dict[str, float] | None = None,
) -> Results:
    """Each row's steps sampled (see :mod:`soracost.core.uncertainty`), in row order;
    ``progress(done, total)`` is called after each row. With ``scenario.keep_samples``
    the rows' samples are pooled, in row order, with ``weights`` by method.

    One row's samples are held at a time (and the pool's, one per sample): memory does
    not grow with the number of rows, and every draw is the same whatever the order of
    the rows or how many there are (a key's draws come from its own stream).
    """
    from soracost.core.uncertainty import (
        Percentiles,
        PoolBuilder,
        Sampler,
        claim_key,
        percentiles,
        sample_steps,
    )

    assert scenario.seed is not None  # chosen by the caller, so it can be reported
    sampler = Sampler(scenario.samples, scenario.seed)
    pooling = None
    if scenario.keep_samples and results.rows:  # checks the weights before any sampling
        pooling = PoolBuilder(results.rows, weights or {}, scenario.seed, scenario.samples)
    found: dict[tuple[str, Quantity], tuple[Percentiles, Percentiles]] = {}
    previous: str | None = None
    count = float(scenario.count)
    for index, row in enumerate(results.rows):
        if previous is not None and previous != row.estimate.id:
            sampler.forget(claim_key(previous))  # an estimate's rows are consecutive
        previous = row.estimate.id
        steps = row.derivation.steps
        estimate = row.estimate
        values = sample_steps(steps, claim_key(estimate.id), sampler, estimate.cases_percentiles)
        per_clip = next(v for s, v in zip(steps, values, strict=True) if "per_clip" in s.roles)
        del values  # the intermediate steps' samples
        try:
            clip_percentiles = percentiles(per_clip)
        except NonFiniteRange:
            raise _beyond_a_float(row, None) from None
        # the batch is the per-clip figure × count, a constant: its percentiles scale alike
        batch = Percentiles(*(value * count for value in clip_percentiles.as_dict().values()))
        if not math.isfinite(batch.p95):
            raise _beyond_a_float(row, scenario.count)
        found[(estimate.id, row.quantity)] = (clip_percentiles, batch)
        if pooling is not None:
            pooling.add(index, per_clip)
        del per_clip
        if progress is not None:
            progress(len(found), len(results.rows))
    try:
        pool = pooling.pool() if pooling is not None else None
    except NonFiniteRange:
        raise DataError(
            _(
                "--pooled: the pooled percentiles are beyond what a float holds (a range "
                "spans too many orders of magnitude); pool fewer estimates (--model) or use "
                "--weights"
            )
        ) from None
    return replace(results, percentiles=found, pool=pool)


def _beyond_a_float(row: ResultRow, count: int | None) -> DataError:
    """The error for a row whose Monte Carlo percentiles (per clip, or for ``count``
    clips) cannot be computed: never NaN or infinity in an output."""
    if count is None:
        said = _(
            "{quantity} in {unit}: its Monte Carlo percentiles are beyond what a float "
            "holds (its ranges span too many orders of magnitude); use --method bounds"
        )
    else:
        said = ngettext(
            "{quantity} in {unit}: its Monte Carlo percentiles for {count} clip are beyond "
            "what a float holds (its ranges span too many orders of magnitude); use "
            "--method bounds",
            "{quantity} in {unit}: its Monte Carlo percentiles for {count} clips are beyond "
            "what a float holds (its ranges span too many orders of magnitude); use "
            "--method bounds",
            count,
        )
    count_shown = localise_number(f"{count:,}") if count is not None else ""
    return DataError(
        said.format(quantity=_(row.quantity), unit=row.unit, count=count_shown),
        entry=_("estimate {id}").format(id=repr(row.estimate.id)),
    )


def clip_rows(catalog: Catalog, scenario: Scenario) -> list[ResultRow]:
    """The rows of :func:`clip_results`."""
    return clip_results(catalog, scenario).rows


def compare_results(
    catalog: Catalog,
    scenario: Scenario,
    quantity: Quantity,
    progress: Callable[[int, int], None] | None = None,
    weights: dict[str, float] | None = None,
) -> Results:
    """Every figure of one quantity per clip, sorted by mid, then low, high and id, and why
    the others could not be given. With ``scenario.keep_samples`` (``--pooled``) the
    rows' samples are pooled in that order, weighed by method with ``weights`` (a method
    not named weighs 1).

    Raises :class:`UsageProblem` when every row to pool weighs 0.
    """
    one_clip = replace(scenario, count=1, quantities=(quantity,), equivalents=False, training=None)
    results = _bounds_results(catalog, one_clip)
    results = replace(results, rows=sorted(results.rows, key=_by_figure))
    if one_clip.method == "montecarlo":
        results = _monte_carlo(results, one_clip, progress, weights)
    return results


def _by_figure(row: ResultRow) -> tuple[float, float, float, str]:
    """Sort key of :func:`compare_results`: mid, then low, high and id."""
    per_clip = row.per_clip
    return per_clip.mid, per_clip.low, per_clip.high, row.estimate.id


def compare_rows(catalog: Catalog, scenario: Scenario, quantity: Quantity) -> list[ResultRow]:
    """The rows of :func:`compare_results`."""
    return compare_results(catalog, scenario, quantity).rows


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


def training_share_of(scenario: Scenario) -> TrainingShare | None:
    """The scenario's training share (per clip and per batch), or ``None`` if not asked."""
    if scenario.training is None:
        return None
    from soracost.core.training import training_share

    return training_share(scenario.training, scenario.units.energy, scenario.count)
