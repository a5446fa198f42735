"""Reports: one object per command holding everything its views show.

A view (table, CSV, JSON, chart) takes one report and only formats it: the rows, what
was left out and why, the site whose factors were used, the training share, each
figure's everyday equivalents, the spread between sources and the pooled distribution
are all worked out here, once, so that the formats cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct, field

from soracost.core.answer import DEFAULT_MAX_SCALE, Answer, answer_for
from soracost.core.records import Catalog, Equivalent, Site
from soracost.core.results import (
    ResultRow,
    Results,
    Scenario,
    Spread,
    clip_results,
    compare_results,
    describe_scenario,
    resolve_site,
    spread,
    training_share_of,
)
from soracost.core.units import Quantity

if TYPE_CHECKING:  # equivalents, Monte Carlo and training are loaded only when asked for
    from soracost.core.embodied import EmbodiedShares
    from soracost.core.equivalents import Amount, Expressed
    from soracost.core.training import TrainingShare
    from soracost.core.uncertainty import Pool

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while Monte Carlo samples the rows."""

RowKey = tuple[str, Quantity]
"""A row's key: its estimate id and quantity."""


class TrainingEquivalents(Struct, frozen=True):
    """The training share and the whole training energy as counts of each equivalent of
    energy (``share``: per clip and batch; ``whole``: the training energy, in both)."""

    share: list[Expressed]
    whole: list[Expressed]


class FootprintReport(Struct, frozen=True):
    """What every footprint report holds: the catalogue (for citations), the scenario,
    the results, the line saying what they are for, and the site whose factors were
    used (``None`` when the data file has none)."""

    catalog: Catalog
    scenario: Scenario
    results: Results
    description: str
    site: Site | None
    answers: dict[Quantity, Answer] = field(default_factory=dict)
    """The answer for each quantity asked, from the rows near the clip (see core.answer)."""
    embodied: EmbodiedShares | None = None
    """With ``--embodied``: each row's share of the hardware's manufacture, kept apart."""

    @property
    def rows(self) -> list[ResultRow]:
        return self.results.rows

    @property
    def site_factors(self) -> dict[str, str]:
        """Rows computed with other site factors than the header's site, by estimate id:
        what they used instead, in words (``computed by EcoLogits with …``). EcoLogits
        computes its rows itself, with its own PUE, WUE and electricity mix, or with the
        --site's PUE and WUE and its own country mix: never the site's grid factors."""
        said: dict[str, str] = {}
        for row in self.results.rows:
            if row.source.kind != "library" or row.estimate.id in said:
                continue
            from soracost.core.ecologits import factors_said

            found = factors_said(row.estimate)
            if found is not None:
                said[row.estimate.id] = found
        return said


class ClipReport(FootprintReport, frozen=True):
    """``clip``: every estimate's figures for a batch of clips.

    ``equivalents`` holds, by row, the counts of every equivalent of the row's basis
    (empty unless the scenario asks for equivalents); ``equivalents_by_basis`` the
    catalogue's equivalents of each basis shown, in catalogue order.
    """

    training: TrainingShare | None = None
    equivalents: dict[RowKey, list[Expressed]] = field(default_factory=dict)
    equivalents_by_basis: dict[Quantity, list[Equivalent]] = field(default_factory=dict)
    training_equivalents: TrainingEquivalents | None = None


class CompareReport(FootprintReport, frozen=True):
    """``compare``: one quantity's figures per clip, sorted, with the spread between the
    sources and, with ``--pooled``, their pooled distribution."""

    quantity: Quantity = "energy"
    spread: Spread | None = None
    pool: Pool | None = None


class ExplainReport(FootprintReport, frozen=True):
    """``explain``: one estimate's derivations (a row per quantity) and, by quantity, why
    one could not be given."""

    estimate_id: str = ""
    missing: dict[Quantity, str] = field(default_factory=dict)


class EquivalentsReport(Struct, frozen=True):
    """``equivalents``: the catalogue's equivalents, or amounts expressed in them."""

    catalog: Catalog
    amounts: list[tuple[Amount, list[Expressed]]]


def clip_report(
    catalog: Catalog,
    scenario: Scenario,
    progress: Progress | None = None,
    max_scale: float = DEFAULT_MAX_SCALE,
    embodied: bool = False,
) -> ClipReport:
    """Every chosen estimate's figures for the scenario's batch, with what goes beside them;
    the answer feeds on rows scaled at most ``max_scale`` times from their source's clip."""
    results = clip_results(catalog, scenario, progress=progress)
    training = training_share_of(scenario)
    by_basis: dict[Quantity, list[Equivalent]] = {}
    by_row: dict[RowKey, list[Expressed]] = {}
    training_equivalents = None
    if scenario.equivalents:
        from soracost.core.equivalents import express, of_basis

        by_basis = {quantity: of_basis(catalog, quantity) for quantity in scenario.quantities}
        for row in results.rows:
            items = by_basis.get(row.quantity) or of_basis(catalog, row.quantity)
            by_row[(row.estimate.id, row.quantity)] = express(
                row.per_clip, row.batch, row.unit, items
            )
        if training is not None:
            energy = of_basis(catalog, "energy")
            training_equivalents = TrainingEquivalents(
                share=express(training.per_clip, training.batch, training.unit, energy),
                whole=express(training.training, training.training, training.unit, energy),
            )
    return ClipReport(
        catalog=catalog,
        scenario=scenario,
        results=results,
        description=describe_scenario(catalog, scenario),
        site=resolve_site(catalog, scenario.site),
        training=training,
        equivalents=by_row,
        equivalents_by_basis=by_basis,
        training_equivalents=training_equivalents,
        answers=_answers(results, scenario, max_scale),
        embodied=_embodied(catalog, scenario, results) if embodied else None,
    )


def compare_report(
    catalog: Catalog,
    scenario: Scenario,
    quantity: Quantity,
    weights: dict[str, float] | None = None,
    progress: Progress | None = None,
    max_scale: float = DEFAULT_MAX_SCALE,
    embodied: bool = False,
) -> CompareReport:
    """One quantity's figures side by side; pooled when the scenario keeps its samples
    (``weights``: pooling weights by method, a method not named weighing 1)."""
    results = compare_results(catalog, scenario, quantity, progress, weights)
    return CompareReport(
        catalog=catalog,
        scenario=scenario,
        results=results,
        description=describe_scenario(catalog, scenario),
        site=resolve_site(catalog, scenario.site),
        quantity=quantity,
        spread=spread(results.rows),
        answers=_answers(results, scenario, max_scale),
        pool=results.pool,
        embodied=_embodied(catalog, scenario, results) if embodied else None,
    )


def _answers(results: Results, scenario: Scenario, max_scale: float) -> dict[Quantity, Answer]:
    return {
        quantity: answer_for(results.rows, quantity, scenario.count, max_scale)
        for quantity in scenario.quantities
    }


def explain_report(
    catalog: Catalog, scenario: Scenario, estimate_id: str, embodied: bool = False
) -> ExplainReport:
    """Every step behind one estimate's figures for the scenario (and, with ``embodied``,
    behind its embodied share)."""
    results = clip_results(catalog, scenario, only=estimate_id)
    missing = {
        quantity: reason
        for (estimate, quantity), reason in results.missing.items()
        if estimate == estimate_id
    }
    return ExplainReport(
        catalog=catalog,
        scenario=scenario,
        results=results,
        description=describe_scenario(catalog, scenario),
        site=resolve_site(catalog, scenario.site),
        estimate_id=estimate_id,
        missing=missing,
        embodied=_embodied(catalog, scenario, results, estimate_id) if embodied else None,
    )


def _embodied(
    catalog: Catalog, scenario: Scenario, results: Results, only: str | None = None
) -> EmbodiedShares:
    """The embodied share of each estimate the rows show (or of ``only``), apart from them."""
    from soracost.core.embodied import embodied_shares

    estimates = [row.estimate for row in results.rows]
    if only is not None:
        estimates = [estimate for estimate in catalog.estimates if estimate.id == only]
    return embodied_shares(catalog, scenario, estimates)


def equivalents_report(catalog: Catalog, amounts: Sequence[Amount]) -> EquivalentsReport:
    """The catalogue's equivalents, and each typed amount as counts of those of its basis."""
    from soracost.core.equivalents import express_amount

    return EquivalentsReport(
        catalog=catalog,
        amounts=[(amount, express_amount(catalog, amount)) for amount in amounts],
    )
