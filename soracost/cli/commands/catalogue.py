"""The catalogue commands: equivalents, ecologits-models, sites, sources and sources
check. Each reads its options, takes what the catalogue holds and hands it to a view.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from soracost.cli.delivery import deliver, emit
from soracost.cli.faults import SoracostCommand, SoracostGroup
from soracost.cli.inputs import check_outputs, load_catalog_for
from soracost.cli.options import (
    CheckedFileArgument,
    ForceOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    SitesWideOption,
    SourcesFormat,
    SourcesFormatOption,
    SourcesOption,
    SourcesWideOption,
)
from soracost.cli.scenario_options import AmountsOption
from soracost.core.errors import UsageProblem
from soracost.i18n import _, count_text, localise_number, ngettext

if TYPE_CHECKING:
    from soracost.core.records import Catalog


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

        raise DataError(_("the data file defines no equivalents"), file=catalog.path)
    amounts = []
    for text in of or []:
        try:
            amounts.append(parse_any_amount(text))
        except ValueError as exc:
            raise UsageProblem(_("{option}: {reason}").format(option="--of", reason=exc)) from None
        if not math.isfinite(amounts[-1].value * 1e18):
            raise UsageProblem(_("--of: {text} is too large to compare").format(text=repr(text)))
    report = equivalents_report(catalog, amounts)
    count = len(catalog.equivalents)
    deliver(
        format,
        output,
        force,
        ngettext("{n} equivalent", "{n} equivalents", count).format(n=count_text(count)),
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
    text = _("EcoLogits {version} knows {n} video models:").format(
        version=shown(installed_version()), n=len(models)
    )
    text += "\n"
    emit(text + "".join(f"{shown(model)}\n" for model in models), None, None, False, "")


def sites(
    format: FormatOption = OutputFormat.table,
    wide: SitesWideOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> None:
    """The sites --site can name, with their PUE and water factors and the sources of each.

    One line per site: its id, name and the mid of each factor with its source (* marks
    the default site); --wide gives each factor's range and each site's note.

    [b]Examples[/b]

      soracost sites

      soracost sites --wide

      soracost sites --format json
    """
    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    if not catalog.sites:
        from soracost.core.errors import DataError

        raise DataError(_("the data file defines no sites"), file=catalog.path)
    count = len(catalog.sites)
    deliver(
        format,
        output,
        force,
        ngettext("{n} site", "{n} sites", count).format(n=count_text(count)),
        table=lambda render: render.sites_view(catalog, wide=wide),
        csv=lambda export: export.sites_csv(catalog),
        json=lambda export: export.sites_json(catalog),
    )


def emit_citations(
    format: str,
    catalog: "Catalog",
    source_ids: Iterable[str] | None,
    output: Path | None,
    force: bool,
) -> None:
    """Write the citations of ``source_ids`` (every source: ``None``) as ``format``
    (bibtex, csl-json or ris): for sources --format and clip/compare --cite."""
    from soracost.cli.delivery import to_terminal
    from soracost.core.citations import citations
    from soracost.views.citation_text import citations_text

    items = citations(catalog, source_ids)
    text = citations_text(items, format, terminal=to_terminal(output))
    what = ngettext("{n} citation", "{n} citations", len(items)).format(n=count_text(len(items)))
    emit(text, None, output, force, what)


def sources_list(
    ctx: typer.Context,
    format: SourcesFormatOption = SourcesFormat.table,
    wide: SourcesWideOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
) -> None:
    """List the sources behind the figures, or check a data file (sources check).

    One line per source: its id, publisher, title, date, confidence and how many records
    cite it; --wide gives each full citation, URL, known gaps and the records it covers.
    --format bibtex, csl-json or ris writes the citations for a reference manager (a
    field the source does not give is left out, and the note says why);
    'soracost clip --cite FORMAT' gives those of the sources one run used.

    [b]Examples[/b]

      soracost sources

      soracost sources --wide

      soracost sources --format json

      soracost sources --format bibtex --output soracost.bib

      soracost sources check my-sources.yaml
    """
    if ctx.invoked_subcommand is not None:
        given = [
            name
            for name, value in (
                ("--format", format is not SourcesFormat.table),
                ("--wide", wide),
                ("--output", output),
                ("--force", force),
            )
            if value
        ]
        if given:
            said = _("{options}: only for listing sources, not for 'sources {command}'")
            raise UsageProblem(
                said.format(options=", ".join(given), command=ctx.invoked_subcommand)
            )
        ctx.obj = sources  # 'soracost sources --sources FILE check' checks FILE
        return
    check_outputs(sources, force, output)
    catalog = load_catalog_for(sources)
    if format.value not in OutputFormat.__members__:
        emit_citations(format.value, catalog, None, output, force)
        return
    count = len(catalog.sources)
    deliver(
        OutputFormat(format.value),
        output,
        force,
        ngettext("{n} source", "{n} sources", count).format(n=count_text(count)),
        table=lambda render: render.sources_view(catalog, wide=wide),
        csv=lambda export: export.sources_csv(catalog),
        json=lambda export: export.sources_json(catalog),
    )


def _counted(catalog: "Catalog") -> list[str]:
    """``2 sources, 3 estimates, 1 site``: what a valid data file holds (its sources and
    estimates always, the other records when it has some)."""
    sources, estimates = len(catalog.sources), len(catalog.estimates)
    factors, sites = len(catalog.factors), len(catalog.sites)
    equivalents, training = len(catalog.equivalents), len(catalog.training)
    found = [
        (sources, ngettext("{n} source", "{n} sources", sources), True),
        (estimates, ngettext("{n} estimate", "{n} estimates", estimates), True),
        (factors, ngettext("{n} factor", "{n} factors", factors), False),
        (sites, ngettext("{n} site", "{n} sites", sites), False),
        (equivalents, ngettext("{n} equivalent", "{n} equivalents", equivalents), False),
        (training, ngettext("{n} training record", "{n} training records", training), False),
    ]
    shown = [(count, text) for count, text, always in found if count or always]
    return [text.format(n=localise_number(str(count))) for count, text in shown]


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
    from soracost.views.text import shown

    summary = _("{file}: valid: {counts} (sha256 {sha}…)").format(
        file=shown(catalog.path), counts=", ".join(_counted(catalog)), sha=catalog.sha256[:12]
    )
    summary += "\n"
    emit(summary, None, None, False, "")


def sources_group() -> typer.Typer:
    """``soracost sources`` (the list) and ``soracost sources check``, as a new Typer app
    (each is built in the language of its run: see soracost.cli.app)."""
    group = typer.Typer(
        name="sources",
        cls=SoracostGroup,
        invoke_without_command=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        suggest_commands=False,  # SoracostGroup suggests, in the run's language
        rich_markup_mode="rich",
    )
    group.callback(invoke_without_command=True)(sources_list)
    group.command("check", cls=SoracostCommand)(sources_check)
    return group
