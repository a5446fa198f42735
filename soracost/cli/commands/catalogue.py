"""The catalogue commands: equivalents, ecologits-models, sites, sources and sources
check. Each reads its options, takes what the catalogue holds and hands it to a view.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from pathlib import Path

import typer

from soracost.cli.delivery import deliver, emit
from soracost.cli.inputs import check_outputs, load_catalog_for
from soracost.cli.options import (
    AmountsOption,
    CheckedFileArgument,
    ForceOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    SourcesOption,
)
from soracost.core.errors import UsageProblem


def equivalents_command(
    of: AmountsOption = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> None:
    """The everyday equivalents --equivalents uses, with basis and source; or amounts in them.

    Each comparison states its basis (energy, water or carbon): an amount is compared only
    with equivalents of the same basis.

    [b]Examples[/b]

      soracost equivalents

      soracost equivalents --of "90 Wh" --of "650 mL" --of "50 GWh"

      soracost equivalents --format json
    """
    import math

    from soracost.core.equivalents import parse_any_amount
    from soracost.core.reports import equivalents_report

    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    if not catalog.equivalents:
        from soracost.core.errors import DataError

        raise DataError("the data file defines no equivalents", file=catalog.path)
    amounts = []
    for text in of or []:
        try:
            amounts.append(parse_any_amount(text))
        except ValueError as exc:
            raise UsageProblem(f"--of: {exc}") from None
        if not math.isfinite(amounts[-1].value * 1e18):
            raise UsageProblem(f"--of: {text!r} is too large to compare")
    report = equivalents_report(catalog, amounts)
    deliver(
        format,
        output,
        force,
        f"{len(catalog.equivalents)} equivalents",
        table=lambda render: render.equivalents_view(report),
        csv=lambda export: export.equivalents_csv(report),
        json=lambda export: export.equivalents_json(report),
    )


def ecologits_models() -> None:
    """The video models the installed EcoLogits knows, for --ecologits.

    [b]Examples[/b]

      soracost ecologits-models

      soracost compare --ecologits openai/sora-2-pro --duration 10 --resolution 720p
    """
    from soracost.core.ecologits import installed_version, known_models
    from soracost.views.text import shown

    models = known_models()
    text = f"EcoLogits {shown(installed_version())} knows {len(models)} video models:\n"
    emit(text + "".join(f"{shown(model)}\n" for model in models), None, None, False, "")


def sites(
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> None:
    """The sites --site can name, with their PUE and water factors and the sources of each.

    [b]Examples[/b]

      soracost sites

      soracost sites --format json
    """
    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    if not catalog.sites:
        from soracost.core.errors import DataError

        raise DataError("the data file defines no sites", file=catalog.path)
    deliver(
        format,
        output,
        force,
        f"{len(catalog.sites)} sites",
        table=lambda render: render.sites_view(catalog),
        csv=lambda export: export.sites_csv(catalog),
        json=lambda export: export.sites_json(catalog),
    )


def sources_list(
    ctx: typer.Context,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> None:
    """List the sources behind the figures, or check a data file (sources check).

    For each source: its citation, URL, confidence, known gaps, and the estimates it covers.

    [b]Examples[/b]

      soracost sources

      soracost sources --format json

      soracost sources check my-sources.yaml
    """
    if ctx.invoked_subcommand is not None:
        given = [
            name
            for name, value in (
                ("--format", format is not OutputFormat.table),
                ("--output", output),
                ("--force", force),
            )
            if value
        ]
        if given:
            raise UsageProblem(
                f"{', '.join(given)}: only for listing sources, not for 'sources "
                f"{ctx.invoked_subcommand}'"
            )
        ctx.obj = sources  # 'soracost sources --sources FILE check' checks FILE
        return
    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    deliver(
        format,
        output,
        force,
        f"{len(catalog.sources)} sources",
        table=lambda render: render.sources_view(catalog),
        csv=lambda export: export.sources_csv(catalog),
        json=lambda export: export.sources_json(catalog),
    )


def sources_check(
    ctx: typer.Context,
    file: CheckedFileArgument = None,
    sources: SourcesOption = None,
) -> None:
    """Validate a data file: exit 0 if it is valid, 1 with the first problem if not.

    Checks YAML syntax, unknown and missing keys, citation fields, units and their
    dimensions, low <= mid <= high, unique ids and references between records.

    [b]Examples[/b]

      soracost sources check

      soracost sources check my-sources.yaml
    """
    parent_sources = ctx.obj if isinstance(ctx.obj, Path) else None
    catalog = load_catalog_for(file or sources or parent_sources)
    counts = [
        f"{len(catalog.sources)} sources",
        f"{len(catalog.estimates)} estimates",
        *(
            f"{count} {name}"
            for count, name in (
                (len(catalog.factors), "factors"),
                (len(catalog.sites), "sites"),
                (len(catalog.equivalents), "equivalents"),
                (len(catalog.training), "training records"),
            )
            if count
        ),
    ]
    counts = [
        text[:-1] if text.startswith("1 ") and text.endswith("s") else text for text in counts
    ]
    from soracost.views.text import shown

    summary = f"{shown(catalog.path)}: valid: {', '.join(counts)} (sha256 {catalog.sha256[:12]}…)\n"
    emit(summary, None, None, False, "")
