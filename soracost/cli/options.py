"""The command line's options of data, units and output (--sources, the units, --format,
--output, --cite, --wide, --force, --plot), declared once as ``Annotated`` aliases and
shared by the commands; the help panels every option is grouped into; the parsers of
file names. What a footprint is computed for (the clip, the estimates, what to add, the
uncertainty) is in :mod:`soracost.cli.scenario_options`; a site's own factors in
:mod:`soracost.cli.site_options`.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from soracost.cli.usage_errors import OptionValueProblem
from soracost.data.catalog import SOURCES_ENV
from soracost.i18n import _

# The help panels, in the order they read best in --help.
CLIP = "Your clip"
SELECTION = "Which estimates, where"
FIGURES = "What to add"
UNCERTAINTY = "Uncertainty"
UNITS = "Units"
OUTPUT = "Output"
DATA = "Data"


def path(given: str) -> Path:
    """The parser of the options that name a file or folder to read or fill (--sources,
    --site-file, --emit-sql, sources check's FILE): the path, refusing an empty value
    (an unset variable, "$FILE"), which Path would read as the current folder. Named
    ``path`` because Typer shows a parser's name as an argument's type (``<path>``)."""
    if not given.strip():
        raise OptionValueProblem(_("an empty name: give a file or folder"))
    return Path(given)


def output_path(given: str) -> Path:
    """--output's and --plot's parser: :func:`soracost.cli.output.output_path`, imported
    only when one of them is given. That module is needed only to write a file: imported
    here and in delivery.emit only then, a run that writes none saves 3.8 M instructions
    of `clip --count 10`, 4.0 M of `sources check` and 3.6 M of `clip -f json`
    (callgrind, whole process, PYTHONHASHSEED=0)."""
    from soracost.cli.output import output_path as parse

    return parse(given)


def choices(options: "type[Enum]") -> str:
    """An enumerated option's metavar: its values with a space around each bar
    (``<table | csv | json>``), so that help at 80 columns wraps between two values
    rather than inside one, as Typer's own ``<table|csv|json>`` was."""
    return "<" + " | ".join(str(option.value) for option in options) + ">"


class OutputFormat(str, Enum):
    """How results are written: a Rich table for people, or CSV / JSON for machines."""

    table = "table"
    csv = "csv"
    json = "json"


class CitationFormat(str, Enum):
    """The citation formats: BibTeX (LaTeX), CSL-JSON (Zotero, Pandoc), RIS (EndNote…)."""

    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


class SourcesFormat(str, Enum):
    """How ``sources`` writes its list: the output formats, or the citation formats."""

    table = "table"
    csv = "csv"
    json = "json"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


def _unit_callback(quantity: str) -> Any:
    def check(value: str) -> str:
        from soracost.core.units import UnitProblem, check_unit

        try:
            return check_unit(value, quantity)  # type: ignore[arg-type]
        except UnitProblem as exc:
            raise OptionValueProblem(str(exc)) from None

    return check


SourcesOption = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        help=(
            "Data file of sourced estimates to use. Default: $SORACOST_SOURCES if set, "
            "else the embedded sources.yaml."
        ),
        show_default=False,
        metavar="FILE",
        parser=path,
        envvar=SOURCES_ENV,
        show_envvar=False,  # the help text says it, in words
        rich_help_panel=DATA,
    ),
]
EnergyUnitOption = Annotated[
    str,
    typer.Option(
        "--energy-unit",
        help="Unit for energy: any energy unit pint knows (Wh, kWh, MWh, J, MJ, kcal…).",
        callback=_unit_callback("energy"),
        metavar="UNIT",
        rich_help_panel=UNITS,
    ),
]
WaterUnitOption = Annotated[
    str,
    typer.Option(
        "--water-unit",
        help="Unit for water: any volume unit pint knows (mL, L, gal, tsp, cup…).",
        callback=_unit_callback("water"),
        metavar="UNIT",
        rich_help_panel=UNITS,
    ),
]
CarbonUnitOption = Annotated[
    str,
    typer.Option(
        "--carbon-unit",
        help="Unit for carbon (CO2-equivalent mass): gCO2e, kgCO2e, tCO2e, or any mass unit.",
        callback=_unit_callback("carbon"),
        metavar="UNIT",
        rich_help_panel=UNITS,
    ),
]


def _machine_text(value: OutputFormat) -> str:
    """CSV and JSON carry the report's text (a step's label, a note) in English whatever
    the language (soracost.i18n.machine_output): set before the report is built. Returns
    the value as typed: Typer converts it to the enum again."""
    if value is not OutputFormat.table:
        from soracost import i18n

        i18n.machine_output()
    return value.value


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        callback=_machine_text,
        help="table for people; csv or json (full precision) for machines.",
        metavar=choices(OutputFormat),
        rich_help_panel=OUTPUT,
    ),
]
SourcesFormatOption = Annotated[
    SourcesFormat,
    typer.Option(
        "--format",
        "-f",
        help="table for people; csv or json for machines; bibtex, csl-json (Zotero, "
        "Pandoc) or ris: the citations, for a reference manager.",
        metavar=choices(SourcesFormat),
        rich_help_panel=OUTPUT,
    ),
]
CiteOption = Annotated[
    CitationFormat | None,
    typer.Option(
        "--cite",
        help="Instead of the figures, write the citations of the sources behind them "
        "(estimates, their chains, the factors and equivalents used): bibtex, csl-json "
        "or ris. Goes where --output says.",
        show_default=False,
        metavar=choices(CitationFormat),
        rich_help_panel=OUTPUT,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of the terminal. Written whole or not at all.",
        metavar="FILE",
        readable=False,  # an output need not be readable; soracost.cli.output checks it
        parser=output_path,  # the text as typed: '-' alone is stdout; 'a.csv/' refused
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
WideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="The detailed table: every source, clip, method and note, with footnoted "
        "sources, cells wrapped over several lines (default: one line per estimate).",
        rich_help_panel=OUTPUT,
    ),
]
SourcesWideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="The detailed listing: each source's full citation, URL, what is not known "
        "and every record it covers (default: one line per source).",
        rich_help_panel=OUTPUT,
    ),
]
SitesWideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="The detailed table: each factor's low, mid and high, each site's full name "
        "and note (default: one line per site).",
        rich_help_panel=OUTPUT,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace the --output file if it already exists.", rich_help_panel=OUTPUT
    ),
]


PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        # \\[: a literal bracket in Rich markup, which would swallow "[plot]" otherwise.
        help="Also draw the comparison as a chart: PNG, SVG or PDF, by FILE's ending "
        "(.png, .svg, .pdf; needs pip install 'soracost\\[plot]').",
        metavar="FILE",
        readable=False,
        parser=output_path,  # the text as typed: '-' alone is stdout; 'a.csv/' refused
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
CheckedFileArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Data file to check (default: --sources, $SORACOST_SOURCES, or the embedded one).",
        metavar="FILE",
        show_default=False,
        parser=path,
    ),
]
