"""The footprint commands: clip, compare and explain. Each reads its options, builds the
core's report and hands it to a view through delivery.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from typing import TYPE_CHECKING

import typer

from soracost.cli.delivery import (
    bar_width,
    check_plot,
    deliver,
    draw_chart,
    progress_bar,
    write_chart,
)
from soracost.cli.inputs import (
    build_scenario,
    check_outputs,
    load_catalog_for,
    parse_weights,
    pooling_method,
    with_ecologits,
)
from soracost.cli.options import (
    CarbonUnitOption,
    CitationFormat,
    CiteOption,
    EnergyUnitOption,
    ForceOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    PlotOption,
    SourcesOption,
    WaterUnitOption,
    WideOption,
)
from soracost.cli.scenario_options import (
    BoundaryChoiceOption,
    BoundaryOption,
    CarbonOption,
    CountOption,
    DurationOption,
    EcoLogitsOption,
    EmbodiedOption,
    EquivalentsOption,
    EstimateIdArgument,
    EstimateOption,
    FpsOption,
    LifetimeClipsOption,
    MaxScaleOption,
    MethodChoice,
    MethodOption,
    ModelOption,
    PooledOption,
    QuantityChoice,
    QuantityOption,
    ResolutionOption,
    SamplesOption,
    SeedOption,
    SiteOption,
    TrainingEnergyOption,
    WeightsOption,
)
from soracost.cli.site_options import (
    EwifOption,
    GridIntensityOption,
    PueOption,
    SiteFileOption,
    WueOption,
    apply_site_options,
)
from soracost.core.answer import DEFAULT_MAX_SCALE
from soracost.core.errors import UsageProblem
from soracost.core.results import (
    DEFAULT_CARBON_UNIT,
    DEFAULT_ENERGY_UNIT,
    DEFAULT_SAMPLES,
    DEFAULT_WATER_UNIT,
    Units,
)
from soracost.i18n import _, count_text, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path
    from types import ModuleType

    from rich.console import RenderableType

    from soracost.core.records import Catalog
    from soracost.core.reports import ClipReport, CompareReport


def check_cite(cite: CitationFormat | None, format: OutputFormat) -> None:
    """--cite writes citations instead of the figures: not with a --format for them."""
    if cite is not None and format is not OutputFormat.table:
        said = _(
            "--cite {cite} and --format {format}: --cite writes the citations "
            "instead of the figures; give one of them"
        )
        raise UsageProblem(said.format(cite=cite.value, format=format.value))


def _rows(count: int) -> str:
    """What an export holds, for the ``wrote … to FILE`` line: ``12 rows``."""
    return ngettext("{n} row", "{n} rows", count).format(n=count_text(count))


Delivered = tuple[OutputFormat, "Path | None", bool]
"""Where and how a run's output goes: its --format, --output and --force."""


def _deliver_rows(
    report: "ClipReport | CompareReport",
    catalog: "Catalog",
    cite: CitationFormat | None,
    delivered: "Delivered",
    *,
    table: "Callable[[ModuleType], RenderableType]",
    json: "Callable[[ModuleType], Iterable[str]]",
) -> None:
    """Write a report of rows (clip's, compare's) as ``delivered`` says (its --format,
    --output and --force), or with --cite the citations of the sources it used."""
    format, output, force = delivered
    if cite is not None:
        from soracost.cli.commands.catalogue import emit_citations
        from soracost.core.citations import sources_used

        emit_citations(cite.value, catalog, sources_used(report), output, force)
        return
    rows, csv = _rows(len(report.rows)), lambda export: export.rows_csv(report)
    deliver(format, output, force, rows, table=table, csv=csv, json=json)


def clip(
    count: CountOption = 1,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    model: ModelOption = None,
    estimate: EstimateOption = None,
    site: SiteOption = None,
    site_file: SiteFileOption = None,
    pue: PueOption = None,
    wue: WueOption = None,
    ewif: EwifOption = None,
    grid_intensity: GridIntensityOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    carbon: CarbonOption = False,
    equivalents: EquivalentsOption = False,
    embodied: EmbodiedOption = False,
    training_energy: TrainingEnergyOption = None,
    lifetime_clips: LifetimeClipsOption = None,
    ecologits: EcoLogitsOption = None,
    method: MethodOption = MethodChoice.bounds,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = None,
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    max_scale: MaxScaleOption = DEFAULT_MAX_SCALE,
    cite: CiteOption = None,
    sources: SourcesOption = None,
    energy_unit: EnergyUnitOption = DEFAULT_ENERGY_UNIT,
    water_unit: WaterUnitOption = DEFAULT_WATER_UNIT,
    carbon_unit: CarbonUnitOption = DEFAULT_CARBON_UNIT,
) -> None:
    """Electricity and water per clip and for a batch of COUNT clips, source by source.

    One row per published estimate, with its low, mid and high cases, scaled to your clip
    (--duration, --resolution, --fps) where the source's own clip is known, and shown at
    the --boundary you choose. Water is as published, or derived from energy with the
    --site's PUE and water factors (on-site + off-site). --carbon adds location-based
    gCO2e; --equivalents, everyday comparisons; --training-energy with --lifetime-clips,
    a share of training on its own row. 'soracost explain ID' shows every step behind a row.

    [b]Examples[/b]

      soracost clip --count 10

      soracost clip --duration 12 --resolution 1080p --site arizona

      soracost clip --count 10 --equivalents --carbon

      soracost clip --training-energy gpt4-training --lifetime-clips 1000000000

      soracost clip --model sora --boundary as-published --format json --output clips.json

      soracost clip --count 10 --site arizona --cite bibtex --output refs.bib
    """
    from soracost.core.reports import clip_report

    check_cite(cite, format)
    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    catalog, site = apply_site_options(catalog, site, site_file, pue, wue, ewif, grid_intensity)
    training = None
    if training_energy is not None or lifetime_clips is not None:  # either alone: an error
        from soracost.core.training import resolve_training

        training = resolve_training(catalog, training_energy, lifetime_clips, count)
    scenario = build_scenario(
        count=count,
        duration=duration,
        resolution=resolution,
        fps=fps,
        model=model,
        estimates=estimate,
        site=site,
        boundary=boundary,
        quantities=("energy", "water", "carbon") if carbon else ("energy", "water"),
        units=Units(energy=energy_unit, water=water_unit, carbon=carbon_unit),
        method=method,
        samples=samples,
        seed=seed,
        equivalents=equivalents,
        training=training,
    )
    catalog = with_ecologits(catalog, ecologits, scenario)
    with progress_bar(format, output) as progress:
        report = clip_report(catalog, scenario, progress, max_scale, embodied=embodied)
    _deliver_rows(
        report,
        catalog,
        cite,
        (format, output, force),
        table=lambda render: render.clip_view(report, wide=wide),
        json=lambda export: export.clip_json(report),
    )


def compare(
    ctx: typer.Context,
    quantity: QuantityOption = QuantityChoice.energy,
    count: CountOption = 1,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    model: ModelOption = None,
    estimate: EstimateOption = None,
    site: SiteOption = None,
    site_file: SiteFileOption = None,
    pue: PueOption = None,
    wue: WueOption = None,
    ewif: EwifOption = None,
    grid_intensity: GridIntensityOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    ecologits: EcoLogitsOption = None,
    method: MethodOption = MethodChoice.bounds,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = None,
    embodied: EmbodiedOption = False,
    pooled: PooledOption = False,
    weights: WeightsOption = None,
    plot: PlotOption = None,
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    max_scale: MaxScaleOption = DEFAULT_MAX_SCALE,
    cite: CiteOption = None,
    sources: SourcesOption = None,
    energy_unit: EnergyUnitOption = DEFAULT_ENERGY_UNIT,
    water_unit: WaterUnitOption = DEFAULT_WATER_UNIT,
    carbon_unit: CarbonUnitOption = DEFAULT_CARBON_UNIT,
) -> None:
    """Every figure of one quantity side by side, sorted, with the spread between them.

    Each row has a range bar on a log scale (├ low, ● mid, high ┤). The spread is the
    highest high divided by the lowest low: how far apart the figures are. Rows shown at
    another boundary than the one asked for (as published: than most rows) are marked ≠.

    [b]Examples[/b]

      soracost compare

      soracost compare --quantity water --site ireland --water-unit L

      soracost compare --boundary as-published --duration 10 --resolution 720p

      soracost compare --format csv --output compare.csv

      soracost compare --ecologits openai/sora-2-pro --duration 10 --resolution 720p

      soracost compare --quantity water --site ireland --cite csl-json --output refs.json
    """
    from soracost.core.reports import compare_report

    check_cite(cite, format)
    image_format = check_plot(plot)
    check_outputs(sources, force, output, plot)
    catalog = load_catalog_for(sources)
    catalog, site = apply_site_options(catalog, site, site_file, pue, wue, ewif, grid_intensity)
    parsed_weights = parse_weights(weights, pooled)
    method = pooling_method(method, pooled, ctx.get_parameter_source("method"))  # typed, or not
    scenario = build_scenario(
        count=count,
        duration=duration,
        resolution=resolution,
        fps=fps,
        model=model,
        estimates=estimate,
        site=site,
        boundary=boundary,
        quantities=(quantity.quantity,),
        units=Units(energy=energy_unit, water=water_unit, carbon=carbon_unit),
        method=method,
        samples=samples,
        seed=seed,
        keep_samples=pooled,
    )
    catalog = with_ecologits(catalog, ecologits, scenario)
    with progress_bar(format, output) as progress:
        report = compare_report(
            catalog, scenario, quantity.quantity, parsed_weights, progress, max_scale, embodied
        )
    image = draw_chart(report, plot, image_format)  # before the output: a failure leaves neither
    _deliver_rows(
        report,
        catalog,
        cite,
        (format, output, force),
        table=lambda render: render.compare_view(report, bar_width=bar_width(output), wide=wide),
        json=lambda export: export.compare_json(report),
    )
    write_chart(plot, image, force)


def explain(
    estimate_id: EstimateIdArgument,
    count: CountOption = 1,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    site: SiteOption = None,
    site_file: SiteFileOption = None,
    pue: PueOption = None,
    wue: WueOption = None,
    ewif: EwifOption = None,
    grid_intensity: GridIntensityOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    carbon: CarbonOption = False,
    embodied: EmbodiedOption = False,
    ecologits: EcoLogitsOption = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
    energy_unit: EnergyUnitOption = DEFAULT_ENERGY_UNIT,
    water_unit: WaterUnitOption = DEFAULT_WATER_UNIT,
    carbon_unit: CarbonUnitOption = DEFAULT_CARBON_UNIT,
) -> None:
    """Every step behind one estimate's figures, for the current options.

    The source's claim as published, the scaling to your clip, the boundary conversion,
    the water factors and the batch total: each step with its value, unit and the
    source of the factor it used. --format json gives the same steps as a list.

    [b]Examples[/b]

      soracost explain mlenergy-wan21-1.3b --boundary facility

      soracost explain hf-wan21-1.3b-720p --duration 12 --resolution 1080p --site arizona

      soracost explain hf-wan21-1.3b-720p --format json

      soracost explain ecologits-openai-sora-2-pro --ecologits openai/sora-2-pro -d 10 -r 720p
    """
    from soracost.core.reports import explain_report

    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    catalog, site = apply_site_options(catalog, site, site_file, pue, wue, ewif, grid_intensity)
    scenario = build_scenario(
        count=count,
        duration=duration,
        resolution=resolution,
        fps=fps,
        site=site,
        boundary=boundary,
        quantities=("energy", "water", "carbon") if carbon else ("energy", "water"),
        units=Units(energy=energy_unit, water=water_unit, carbon=carbon_unit),
    )
    catalog = with_ecologits(catalog, ecologits, scenario)
    if estimate_id not in {estimate.id for estimate in catalog.estimates}:
        known = ", ".join(estimate.id for estimate in catalog.estimates)
        said = _("no estimate has id {id}; ids: {ids}")
        raise UsageProblem(said.format(id=repr(estimate_id), ids=known))
    report = explain_report(catalog, scenario, estimate_id, embodied=embodied)
    deliver(
        format,
        output,
        force,
        _("the steps"),
        table=lambda render: render.explain_view(report),
        csv=lambda export: export.steps_csv(report),
        json=lambda export: export.explain_json(report),
    )
