"""The command line's options, declared once as ``Annotated`` aliases and shared by the
commands, grouped into help panels.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from soracost.cli.usage_errors import OptionValueProblem
from soracost.data.catalog import SOURCES_ENV
from soracost.i18n import N_, _, localise_number

if TYPE_CHECKING:
    from soracost.core.units import Quantity

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


class QuantityChoice(str, Enum):
    """The quantity ``compare`` puts side by side."""

    energy = "energy"
    water = "water"
    carbon = "carbon"

    @property
    def quantity(self) -> "Quantity":
        """The core's name of the quantity."""
        names: dict[str, Quantity] = {"energy": "energy", "water": "water", "carbon": "carbon"}
        return names[self.value]


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
CarbonOption = Annotated[
    bool,
    typer.Option(
        "--carbon",
        help="Add carbon (gCO2e, location-based): facility energy × the --site's grid "
        "carbon intensity.",
        rich_help_panel=FIGURES,
    ),
]
EmbodiedOption = Annotated[
    bool,
    typer.Option(
        "--embodied",
        help="Add embodied carbon (gCO2e): each row's share of making the servers and "
        "accelerators (EcoLogits' DGX H200), by the hours it holds the server over the "
        "hardware's life; on its own, never added to the other figures.",
        rich_help_panel=FIGURES,
    ),
]
EquivalentsOption = Annotated[
    bool,
    typer.Option(
        "--equivalents",
        "-e",
        help="Add everyday equivalents (minutes of TV, bottles, km…) of each figure, of the "
        "same basis, each with its source ('soracost equivalents' lists them).",
        rich_help_panel=FIGURES,
    ),
]
TrainingEnergyOption = Annotated[
    str | None,
    typer.Option(
        "--training-energy",
        help="A training energy to share per clip: an energy ('50 GWh') or a training "
        "record (gpt4-training: GPT-4's, not Sora's, which is unknown). Needs --lifetime-clips.",
        metavar="ENERGY|ID",
        show_default=False,
        rich_help_panel=FIGURES,
    ),
]
LifetimeClipsOption = Annotated[
    int | None,
    typer.Option(
        "--lifetime-clips",
        min=1,
        max=10**15,
        help="How many clips the model makes in its life: the training energy is shared "
        "over them, and shown on its own row.",
        metavar="N",
        show_default=False,
        rich_help_panel=FIGURES,
    ),
]
EcoLogitsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ecologits",
        help="Add EcoLogits' model of a closed video API for your --duration and "
        "--resolution (repeatable; e.g. openai/sora-2-pro, google/veo-3.1; "
        "'soracost ecologits-models' lists them). Needs pip install 'soracost\\[ecologits]'.",
        metavar="MODEL",
        show_default=False,
        rich_help_panel=SELECTION,
    ),
]


class MethodChoice(str, Enum):
    """How ranges propagate: as bounds, or as Monte Carlo samples."""

    bounds = "bounds"
    montecarlo = "montecarlo"


MethodOption = Annotated[
    MethodChoice,
    typer.Option(
        "--method",
        help="bounds: low × low … high × high (the corners no source contradicts); "
        "montecarlo: each range a distribution (median mid, P5 low, P95 high), sampled "
        "through every step, with P5/P50/P95 beside the published cases.",
        metavar=choices(MethodChoice),
        rich_help_panel=UNCERTAINTY,
    ),
]
SamplesOption = Annotated[
    int,
    typer.Option(
        "--samples",
        min=100,
        max=1_000_000,
        help="Monte Carlo samples per figure (at most 1,000,000: memory grows with them).",
        metavar="N",
        rich_help_panel=UNCERTAINTY,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        min=0,
        max=2**63 - 1,
        help="Monte Carlo seed: the same seed gives the same output (default: a random one, "
        "which the output reports).",
        show_default=False,
        metavar="SEED",
        rich_help_panel=UNCERTAINTY,
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


CountOption = Annotated[
    int,
    typer.Option(
        "--count",
        "-n",
        min=1,
        max=10**15,
        help="Number of clips in the batch.",
        metavar="N",
        rich_help_panel=CLIP,
    ),
]


class BoundaryOption(str, Enum):
    """How energy is shown: as each source published it, or lifted to one boundary."""

    as_published = "as-published"
    server = "server"
    facility = "facility"


def _bounded(name: str, low: float, high: float) -> Any:
    """A callback refusing non-finite values (nan, inf) and values outside [low, high]."""

    def check(value: float | None) -> float | None:
        import math

        if value is not None and not (math.isfinite(value) and low <= value <= high):
            line = _("{what} must be a number from {low} to {high}")
            bounds = {"low": _plain(low), "high": _plain(high)}
            raise OptionValueProblem(line.format(what=_(name), **bounds))
        return value

    return check


def _plain(number: float) -> str:
    """A bound for reading, in the run's language: ``1,000,000`` rather than ``1e+06``."""
    whole = float(number).is_integer()
    return localise_number(f"{int(number):,}" if whole else f"{number:,g}")


MaxScaleOption = Annotated[
    float,
    typer.Option(
        "--max-scale",
        callback=_bounded(N_("a scale factor"), 1, 1e6),  # min=/max= would let nan through
        help="The answer on the first line uses only estimates scaled at most this many "
        "times (up or down) from their source's own clip.",
        metavar="FACTOR",
        rich_help_panel=SELECTION,
    ),
]
DurationOption = Annotated[
    float | None,
    typer.Option(
        "--duration",
        "-d",
        callback=_bounded(N_("a duration in seconds"), 0.1, 3600),
        help="Clip length in seconds; figures are scaled from each source's clip.",
        metavar="SECONDS",
        show_default=False,
        rich_help_panel=CLIP,
    ),
]
ResolutionOption = Annotated[
    str | None,
    typer.Option(
        "--resolution",
        "-r",
        help="Clip resolution: 480p, 720p, 1080p, 4k or WxH (e.g. 1280x720).",
        metavar="RES",
        show_default=False,
        rich_help_panel=CLIP,
    ),
]
FpsOption = Annotated[
    float | None,
    typer.Option(
        "--fps",
        callback=_bounded(N_("a frame rate"), 1, 240),
        help="Frames per second (default: each source's own); frames = duration × fps.",
        show_default=False,
        metavar="FPS",
        rich_help_panel=CLIP,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Keep only estimates for this model (part of its name; 'sora' keeps Sora proxies).",
        metavar="NAME",
        show_default=False,
        rich_help_panel=SELECTION,
    ),
]
EstimateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--estimate",
        help="Keep only this estimate, by id (the tables' first column); repeat it for "
        "several. With --model, only those of that model.",
        metavar="ID",
        show_default=False,
        rich_help_panel=SELECTION,
    ),
]
SiteOption = Annotated[
    str | None,
    typer.Option(
        "--site",
        "-s",
        help="Where clips are made, for PUE, water factors and grid carbon intensity: e.g. "
        "us-national (the shipped default), france, arizona, ireland, azure, aws, google; "
        "'soracost sites' lists them all.",
        metavar="SITE",
        show_default=False,
        rich_help_panel=SELECTION,
    ),
]

BoundaryChoiceOption = Annotated[
    BoundaryOption,
    typer.Option(
        "--boundary",
        "-b",
        help="Energy as-published, or converted to whole-server or facility (incl. PUE) energy. "
        "Derived water always uses server and facility energy, whatever this says.",
        metavar=choices(BoundaryOption),
        rich_help_panel=SELECTION,
    ),
]


QuantityOption = Annotated[
    QuantityChoice,
    typer.Option(
        "--quantity",
        "-q",
        help="Which quantity to compare.",
        metavar=choices(QuantityChoice),
        rich_help_panel=SELECTION,
    ),
]
PooledOption = Annotated[
    bool,
    typer.Option(
        "--pooled",
        help="Add a pooled line: every shown estimate's Monte Carlo samples mixed, each "
        "estimate weighing the same (or by method, --weights). Implies --method montecarlo.",
        rich_help_panel=UNCERTAINTY,
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        help="Pooling weights by method, e.g. measured=3,modelled=2 (the methods: measured, "
        "modelled, disclosed, back-of-envelope; one not named weighs 1).",
        metavar="METHOD=W,...",
        show_default=False,
        rich_help_panel=UNCERTAINTY,
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
EstimateIdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The estimate to explain (see 'soracost clip').")
]
AmountsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--of",
        help="An amount to express: an energy ('90 Wh'), a volume ('650 mL') or a mass "
        "of CO2e ('40 gCO2e'). Repeat it for several.",
        metavar="AMOUNT",
        show_default=False,
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
