"""The options that say what a footprint is computed for: your clip (count, duration,
resolution, frame rate), which estimates and where (model, estimate ids, site, boundary,
EcoLogits, the quantity compared), what to add (carbon, embodied, equivalents, training)
and the uncertainty (method, samples, seed, pooling). Each is declared once as an
``Annotated`` alias shared by the commands, in the help panels of
:mod:`soracost.cli.options` (which holds the options of data, units and output; the
site's own factors are in :mod:`soracost.cli.site_options`).

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from soracost.cli.options import CLIP, FIGURES, SELECTION, UNCERTAINTY, choices
from soracost.cli.usage_errors import OptionValueProblem
from soracost.i18n import N_, _, localise_number

if TYPE_CHECKING:
    from soracost.core.units import Quantity


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
