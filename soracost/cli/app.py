"""The command line: parse options, call the core, pick a renderer, write, set exit codes.

This is the only module that writes to the terminal or to files. Rich, pint and PyYAML
are imported inside the commands that need them, so ``soracost --help`` stays fast.

No ``from __future__ import annotations`` here, unlike the other modules: Typer reads
the command functions' annotations, and as strings it had to compile and evaluate each
one on every run (~5 ms of every command). Names imported only for type checking are
quoted instead.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from soracost import __version__
from soracost.core.errors import (
    EXIT_DATA,
    EXIT_USAGE,
    Interrupted,
    OutputError,
    SoracostError,
    UsageProblem,
)
from soracost.core.reports import (
    DEFAULT_CARBON_UNIT,
    DEFAULT_ENERGY_UNIT,
    DEFAULT_SAMPLES,
    DEFAULT_WATER_UNIT,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    from rich.console import Console, RenderableType

    from soracost.core.records import Catalog
    from soracost.core.reports import Scenario, Units


class SoracostGroup(TyperGroup):
    """Typer's group with one-line errors: ``soracost: error: ...`` and a documented code.

    Typer vendors its own Click, whose exception classes are private; Click errors are
    recognised by the interface they all share (``exit_code`` and ``format_message``).
    """

    def main(  # type: ignore[override]
        self,
        args: "Sequence[str] | None" = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(
                args=args,
                prog_name=prog_name or "soracost",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except Interrupted as exc:
            code = _report(exc.one_line(), exc.exit_code)
        except SoracostError as exc:
            kind = "usage error" if exc.exit_code == EXIT_USAGE else "error"
            code = _report(f"{kind}: {exc.one_line()}", exc.exit_code)
        except typer.Abort:
            code = _report("aborted", EXIT_DATA)
        except OSError as exc:  # e.g. --help or --version written to a full disk
            code = _report(f"error: cannot write: {exc.strerror or exc}", EXIT_DATA)
        except Exception as exc:
            if not _is_click_error(exc):
                raise
            code = _report(_usage_line(exc), int(getattr(exc, "exit_code", EXIT_USAGE)))
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        # Option parsing runs callbacks (unit checks build pint's registry) and prints
        # --help and --version: treat interrupts and closed pipes there as in commands.
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None

    def invoke(self, ctx: Any) -> Any:  # typer.Context is the vendored Click context
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            return 0


def _silence_stdout() -> None:
    """The reader went away (``| head``): point stdout at /dev/null and stop quietly,
    so that the interpreter's final flush cannot complain either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _is_click_error(exc: BaseException) -> bool:
    return callable(getattr(exc, "format_message", None)) and isinstance(
        getattr(exc, "exit_code", None), int
    )


def _usage_line(exc: Exception) -> str:
    message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"usage error: {message}{hint}"


def _report(line: str, code: int) -> int:
    sys.stderr.write(f"soracost: {line}\n")
    sys.stderr.flush()
    return code


app = typer.Typer(
    cls=SoracostGroup,
    name="soracost",
    help=(
        "Electricity, water and carbon footprints of AI video generation (Sora and its peers), "
        "with every figure tied to its published source.\n\n"
        "Nobody has measured Sora itself: the figures are published measurements of open "
        "models, modelled estimates and back-of-envelope figures, each shown with its "
        "boundary, its method and its citation."
    ),
    epilog=(
        "Examples:  soracost clip --count 10  ·  "
        "soracost clip --duration 12 --resolution 1080p --site arizona  ·  "
        "soracost explain mlenergy-wan21-1.3b  ·  soracost compare --quantity water  ·  "
        "soracost clip --count 10 --equivalents --carbon  ·  "
        'soracost equivalents --of "90 Wh"  ·  '
        "soracost compare --format csv --output compare.csv  ·  soracost sources check my.yaml"
        "\n\nExit codes: 0 ok, 1 bad data or input/output problem, 2 misused command line."
    ),
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
sources_app = typer.Typer(
    cls=SoracostGroup,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(sources_app, name="sources")


class OutputFormat(str, Enum):
    """How results are written: a Rich table for people, or CSV / JSON for machines."""

    table = "table"
    csv = "csv"
    json = "json"


class QuantityChoice(str, Enum):
    """The quantity ``compare`` puts side by side."""

    energy = "energy"
    water = "water"
    carbon = "carbon"


def _unit_callback(quantity: str) -> Any:
    def check(value: str) -> str:
        from soracost.core.units import UnitProblem, check_unit

        try:
            return check_unit(value, quantity)  # type: ignore[arg-type]
        except UnitProblem as exc:
            raise typer.BadParameter(str(exc)) from None

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
    ),
]
EnergyUnitOption = Annotated[
    str,
    typer.Option(
        "--energy-unit",
        help="Unit for energy: any energy unit pint knows (Wh, kWh, MWh, J, MJ, kcal…).",
        callback=_unit_callback("energy"),
        metavar="UNIT",
    ),
]
WaterUnitOption = Annotated[
    str,
    typer.Option(
        "--water-unit",
        help="Unit for water: any volume unit pint knows (mL, L, gal, tsp, cup…).",
        callback=_unit_callback("water"),
        metavar="UNIT",
    ),
]
CarbonUnitOption = Annotated[
    str,
    typer.Option(
        "--carbon-unit",
        help="Unit for carbon (CO2-equivalent mass): gCO2e, kgCO2e, tCO2e, or any mass unit.",
        callback=_unit_callback("carbon"),
        metavar="UNIT",
    ),
]
CarbonOption = Annotated[
    bool,
    typer.Option(
        "--carbon",
        help="Add carbon (gCO2e, location-based): facility energy × the --site's grid "
        "carbon intensity.",
    ),
]
EquivalentsOption = Annotated[
    bool,
    typer.Option(
        "--equivalents",
        "-e",
        help="Add everyday equivalents (minutes of TV, bottles, km…) of each figure, of the "
        "same basis, each with its source ('soracost equivalents' lists them).",
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
    ),
]
EcoLogitsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ecologits",
        help="Add EcoLogits' model of a closed video API for your --duration and "
        "--resolution (repeatable; e.g. openai/sora-2-pro, google/veo-3.1; "
        "'soracost ecologits-models' lists them). Needs pip install 'soracost[ecologits]'.",
        metavar="MODEL",
        show_default=False,
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
    ),
]
SamplesOption = Annotated[
    int,
    typer.Option(
        "--samples",
        min=100,
        max=1_000_000,
        help="Monte Carlo samples per figure (at most 1,000,000: memory grows with them).",
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
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="table for people; csv or json (full precision) for machines."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of the terminal. Written whole or not at all.",
        metavar="FILE",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the --output file if it already exists.")
]


CountOption = Annotated[
    int,
    typer.Option("--count", "-n", min=1, max=10**15, help="Number of clips in the batch."),
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
            raise typer.BadParameter(f"{name} must be a number from {low:g} to {high:g}")
        return value

    return check


DurationOption = Annotated[
    float | None,
    typer.Option(
        "--duration",
        "-d",
        callback=_bounded("a duration in seconds", 0.1, 3600),
        help="Clip length in seconds; figures are scaled from each source's clip.",
        metavar="SECONDS",
        show_default=False,
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
    ),
]
FpsOption = Annotated[
    float | None,
    typer.Option(
        "--fps",
        callback=_bounded("a frame rate", 1, 240),
        help="Frames per second (default: each source's own); frames = duration × fps.",
        show_default=False,
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
    ),
]
SiteOption = Annotated[
    str | None,
    typer.Option(
        "--site",
        "-s",
        help="Where clips are made, for PUE, water factors and grid carbon intensity: e.g. "
        "us-average (the shipped "
        "default), arizona, ireland, azure, aws, google; 'soracost sites' lists them all.",
        metavar="SITE",
        show_default=False,
    ),
]
BoundaryChoiceOption = Annotated[
    BoundaryOption,
    typer.Option(
        "--boundary",
        "-b",
        help="Energy as-published, or converted to whole-server or facility (incl. PUE) energy. "
        "Derived water always uses server and facility energy, whatever this says.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"soracost {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


def _load(sources: Path | None) -> "Catalog":
    from soracost.core.errors import DataError
    from soracost.data.catalog import SOURCES_ENV, load_catalog, resolve_sources_path

    path = resolve_sources_path(sources)
    try:
        return load_catalog(path)
    except DataError as exc:
        if sources is None and os.environ.get(SOURCES_ENV) and exc.line is None:
            # A path nobody typed on this command line: say where it came from.
            message = f"{exc.message} (the path comes from ${SOURCES_ENV})"
            raise DataError(message, file=exc.file) from None
        raise


def _units(energy_unit: str, water_unit: str, carbon_unit: str = DEFAULT_CARBON_UNIT) -> "Units":
    from soracost.core.reports import Units

    return Units(energy=energy_unit, water=water_unit, carbon=carbon_unit)


def _scenario(
    *,
    count: int,
    units: "Units",
    duration: float | None,
    resolution: str | None,
    fps: float | None,
    model: str | None,
    site: str | None,
    boundary: BoundaryOption,
    carbon: bool = False,
) -> "Scenario":
    """The user's scenario, with --resolution checked (exit 2 if bad); --site and --model
    are checked by the model when it uses them."""
    from soracost.core.footprint import ClipRequest, parse_resolution
    from soracost.core.reports import Scenario

    width = height = None
    if resolution is not None:
        try:
            width, height = parse_resolution(resolution)
        except ValueError as exc:
            raise UsageProblem(f"--resolution: {exc}") from None
    return Scenario(
        count=count,
        units=units,
        quantities=("energy", "water", "carbon") if carbon else ("energy", "water"),
        request=ClipRequest(duration_s=duration, width=width, height=height, fps=fps),
        boundary=boundary.value,
        site=site,
        model=model,
    )


@contextmanager
def _progress(format: OutputFormat, output: Path | None) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` for Monte Carlo: a Rich bar on stderr once a run has
    lasted a second, only for a table to a terminal (never in piped or machine output)."""
    import time

    enabled = format is OutputFormat.table and sys.stderr is not None and sys.stderr.isatty()
    start = time.monotonic()
    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if not enabled or (not state and time.monotonic() - start < 1.0):
            return
        if not state:
            from rich.console import Console
            from rich.progress import Progress

            state["bar"] = Progress(console=Console(stderr=True), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("Monte Carlo", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield progress
    finally:
        if state:
            state["bar"].stop()


PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _check_plot(plot: Path | None, output: Path | None, force: bool) -> str:
    """The chart's format from its file name, checked before any work: exit 2 for an
    unknown suffix or the --output file, exit 1 for a file that exists without --force or
    a missing folder."""
    if plot is None:
        return ""
    image_format = PLOT_FORMATS.get(plot.suffix.lower())
    if image_format is None:
        raise UsageProblem(
            f"--plot: {str(plot)!r} must end in {', '.join(PLOT_FORMATS)} (the chart's format)"
        )
    if (
        output is not None
        and str(output) != "-"
        and os.path.realpath(output) == os.path.realpath(plot)
    ):
        raise UsageProblem("--plot and --output name the same file")
    from soracost.cli.output import check_destination

    check_destination(plot, force=force)
    return image_format


def _method(
    method: MethodChoice, samples: int, seed: int | None, format: OutputFormat
) -> dict[str, Any]:
    """The scenario's propagation settings; a Monte Carlo seed is picked if none was given
    (and reported, so that the run can be repeated)."""
    if method is MethodChoice.bounds:
        return {"method": "bounds"}
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    return {"method": "montecarlo", "samples": samples, "seed": seed}


def _weights(text: str | None, pooled: bool) -> dict[str, float]:
    """``measured=3,modelled=2`` as weights by method; checked (exit 2 if bad)."""
    from soracost.core.records import METHODS

    if text is None:
        return {}
    if not pooled:
        raise UsageProblem("--weights: only with --pooled, which it weighs")
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in METHODS:
            raise UsageProblem(f"--weights: unknown method {name!r}; methods: {', '.join(METHODS)}")
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not (0 <= weight < float("inf")):
            raise UsageProblem(f"--weights: {part.strip()!r} needs a weight of 0 or more")
        weights[name] = weight
    return weights


def _with_ecologits(
    catalog: "Catalog", models: list[str] | None, scenario: "Scenario"
) -> "Catalog":
    """The catalogue with EcoLogits' estimates for ``models`` added (unchanged if none);
    EcoLogits is imported only here."""
    if not models:
        return catalog
    from soracost.core.ecologits import live_estimates
    from soracost.core.reports import resolve_site

    site = resolve_site(catalog, scenario.site)
    return live_estimates(catalog, models, scenario.request, site, scenario.site is not None)


def _console(file: Any = None, *, plain: bool = False) -> "Console":
    from rich.console import Console

    class QuietConsole(Console):
        """Rich exits 1 on a closed pipe; soracost ends quietly with 0 (see invoke)."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    if plain:  # a table written to a file: no colour codes, a fixed readable width
        return Console(
            file=file, width=120, no_color=True, color_system=None, highlight=False, emoji=False
        )
    # Rich reads COLUMNS and NO_COLOR itself; off a terminal it would fall back to 80
    # columns, too narrow for these tables, so piped tables get 120 unless COLUMNS says.
    width: int | None = None if sys.stdout.isatty() else 120
    if os.environ.get("COLUMNS", "").isdigit():
        width = max(40, int(os.environ["COLUMNS"]))  # COLUMNS=0 would print nothing
    # No emoji codes: a ":name:" in a source's title is text, not a picture.
    return QuietConsole(file=file, width=width, highlight=False, emoji=False)


def _emit(
    text: str | None,
    view: "RenderableType | None",
    output: Path | None,
    force: bool,
    what: str,
) -> None:
    """Write an export (``text``) or a table (``view``) to stdout or to ``output``."""
    from soracost.cli.output import write_atomically

    if output is not None and str(output) == "-":
        output = None
    if output is None and sys.stdout is None:
        raise OutputError("there is no standard output to write to; use --output FILE")
    if view is not None:
        if output is None:
            with _stdout_errors():
                _console().print(view)
            return
        import io

        buffer = io.StringIO()
        _console(buffer, plain=True).print(view)
        text = buffer.getvalue()
    assert text is not None
    if output is None:
        with _stdout_errors():
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    write_atomically(output, text, force=force)
    sys.stderr.write(f"soracost: wrote {what} to {output}\n")


def _bar_width(output: Path | None) -> int:
    """The range bar takes what the other columns leave: narrow terminals get a short bar."""
    return max(10, min(30, (_console().width if output is None else 120) - 100))


def _deliver(
    format: OutputFormat,
    output: Path | None,
    force: bool,
    what: str,
    *,
    table: "Callable[[ModuleType], RenderableType]",
    csv: "Callable[[ModuleType], str]",
    json: "Callable[[ModuleType], str]",
) -> None:
    """Build the output in the chosen format and write it. Each builder gets the module it
    needs (``soracost.views.render`` for tables, ``soracost.views.export`` otherwise), imported here
    only when that format is asked for: Rich is never loaded for CSV or JSON."""
    _leave_for_exit(table, csv, json)  # the builders hold the command's results
    if format is OutputFormat.table:
        from soracost.views import render

        view = table(render)
        _leave_for_exit(view)
        _emit(None, view, output, force, "the table")
        return
    from soracost.views import export

    text = csv(export) if format is OutputFormat.csv else json(export)
    _emit(text, None, output, force, what)


# What finished commands built, left for the end of the process when soracost runs as its
# own process (soracost.__main__ ends it without tearing the interpreter down): freeing a
# big table's cells and derivations one by one took ~25 ms, with nothing left to do. A
# program that runs the app repeatedly (the tests) leaves this off and frees as usual.
_left_for_exit: list[object] | None = None


def leave_results_for_exit() -> None:
    """Keep each command's results and output until the process ends, unfreed."""
    global _left_for_exit
    _left_for_exit = []


def _leave_for_exit(*objects: object) -> None:
    if _left_for_exit is not None:
        _left_for_exit.extend(objects)


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """Turn a failed write to standard output (a full disk, a closed stream) into one line."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader left; SoracostGroup.invoke ends quietly
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


@app.command()
def clip(
    count: CountOption = 1,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    model: ModelOption = None,
    site: SiteOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    carbon: CarbonOption = False,
    equivalents: EquivalentsOption = False,
    training_energy: TrainingEnergyOption = None,
    lifetime_clips: LifetimeClipsOption = None,
    ecologits: EcoLogitsOption = None,
    method: MethodOption = MethodChoice.bounds,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
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
    """
    from dataclasses import replace

    from soracost.core.reports import clip_results

    catalog = _load(sources)
    training = None
    if training_energy is not None or lifetime_clips is not None:  # either alone: an error
        from soracost.core.training import resolve_training

        training = resolve_training(catalog, training_energy, lifetime_clips, count)
    units = _units(energy_unit, water_unit, carbon_unit)
    scenario = _scenario(
        count=count,
        units=units,
        duration=duration,
        resolution=resolution,
        fps=fps,
        model=model,
        site=site,
        boundary=boundary,
        carbon=carbon,
    )
    scenario = replace(
        scenario,
        equivalents=equivalents,
        training=training,
        **_method(method, samples, seed, format),
    )
    catalog = _with_ecologits(catalog, ecologits, scenario)
    with _progress(format, output) as progress:
        results = clip_results(catalog, scenario, progress=progress)
    rows = results.rows
    _deliver(
        format,
        output,
        force,
        f"{len(rows)} rows",
        table=lambda render: render.clip_view(catalog, results, scenario),
        csv=lambda export: export.rows_csv(rows, catalog, scenario, results),
        json=lambda export: export.clip_json(catalog, results, scenario),
    )


@app.command()
def compare(
    ctx: typer.Context,
    quantity: Annotated[
        QuantityChoice, typer.Option("--quantity", "-q", help="Which quantity to compare.")
    ] = QuantityChoice.energy,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    model: ModelOption = None,
    site: SiteOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    ecologits: EcoLogitsOption = None,
    method: MethodOption = MethodChoice.bounds,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = None,
    pooled: Annotated[
        bool,
        typer.Option(
            "--pooled",
            help="Add a pooled line: every shown estimate's Monte Carlo samples mixed, each "
            "estimate weighing the same (or by method, --weights). Implies --method montecarlo.",
        ),
    ] = False,
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            help="Pooling weights by method, e.g. measured=3,modelled=2,disclosed=1,"
            "back-of-envelope=0.5 (a method not named weighs 1).",
            metavar="METHOD=W,...",
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also draw the comparison as a chart: PNG, or SVG when FILE ends in .svg "
            "(needs pip install 'soracost[plot]').",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
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
    """
    from dataclasses import replace

    from soracost.core.reports import compare_results, spread

    catalog = _load(sources)
    units = _units(energy_unit, water_unit, carbon_unit)
    scenario = _scenario(
        count=1,
        units=units,
        duration=duration,
        resolution=resolution,
        fps=fps,
        model=model,
        site=site,
        boundary=boundary,
    )
    chosen = quantity.value
    parsed_weights = _weights(weights, pooled)
    image_format = _check_plot(plot, output, force)
    if pooled:
        method_source = ctx.get_parameter_source("method")  # typed, or the default?
        if method is MethodChoice.bounds and getattr(method_source, "name", "") != "DEFAULT":
            raise UsageProblem(
                "--pooled mixes Monte Carlo samples; it cannot be used with --method bounds "
                "(leave --method out: --pooled implies montecarlo)"
            )
        method = MethodChoice.montecarlo
    scenario = replace(
        scenario,
        quantities=(chosen,),  # type: ignore[arg-type]
        keep_samples=pooled,
        **_method(method, samples, seed, format),
    )
    catalog = _with_ecologits(catalog, ecologits, scenario)
    with _progress(format, output) as progress:
        results = compare_results(catalog, scenario, chosen, progress)  # type: ignore[arg-type]
    rows = results.rows
    widest = spread(rows)
    pool = None
    if pooled:
        from soracost.core.uncertainty import pool_samples

        pool = pool_samples(results, parsed_weights, scenario)
    image = None
    if plot is not None:
        from soracost.views.chart import draw_comparison

        if not rows:
            raise UsageProblem(f"--plot: no {chosen} figure is shown for these options")
        image = draw_comparison(catalog, results, chosen, scenario, pool, image_format)
    _deliver(
        format,
        output,
        force,
        f"{len(rows)} rows",
        table=lambda render: render.compare_view(
            results, chosen, scenario, widest, catalog, bar_width=_bar_width(output), pool=pool
        ),
        csv=lambda export: export.rows_csv(rows, catalog, scenario, results),
        json=lambda export: export.compare_json(
            catalog, results, chosen, scenario, widest, pool=pool
        ),
    )
    if plot is not None and image is not None:  # after the output: a failure leaves neither
        from soracost.cli.output import write_atomically

        write_atomically(plot, image, force=force)
        sys.stderr.write(f"soracost: wrote the chart to {plot}\n")


@app.command()
def explain(
    estimate_id: Annotated[
        str, typer.Argument(metavar="ID", help="The estimate to explain (see 'soracost clip').")
    ],
    count: CountOption = 1,
    duration: DurationOption = None,
    resolution: ResolutionOption = None,
    fps: FpsOption = None,
    site: SiteOption = None,
    boundary: BoundaryChoiceOption = BoundaryOption.facility,
    carbon: CarbonOption = False,
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
    from soracost.core.reports import clip_results

    catalog = _load(sources)
    units = _units(energy_unit, water_unit, carbon_unit)
    scenario = _scenario(
        count=count,
        units=units,
        duration=duration,
        resolution=resolution,
        fps=fps,
        model=None,
        site=site,
        boundary=boundary,
        carbon=carbon,
    )
    catalog = _with_ecologits(catalog, ecologits, scenario)
    if estimate_id not in {estimate.id for estimate in catalog.estimates}:
        known = ", ".join(estimate.id for estimate in catalog.estimates)
        raise UsageProblem(f"no estimate has id {estimate_id!r}; ids: {known}")
    results = clip_results(catalog, scenario, only=estimate_id)
    rows = results.rows
    missing = {
        quantity: reason
        for (estimate, quantity), reason in results.missing.items()
        if estimate == estimate_id
    }
    _deliver(
        format,
        output,
        force,
        "the steps",
        table=lambda render: render.explain_view(catalog, rows, missing, scenario),
        csv=lambda export: export.steps_csv(catalog, rows),
        json=lambda export: export.explain_json(catalog, estimate_id, rows, missing, scenario),
    )


@app.command("equivalents")
def equivalents_command(
    of: Annotated[
        list[str] | None,
        typer.Option(
            "--of",
            help="An amount to express: an energy ('90 Wh'), a volume ('650 mL') or a mass "
            "of CO2e ('40 gCO2e'). Repeat it for several.",
            metavar="AMOUNT",
            show_default=False,
        ),
    ] = None,
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

    catalog = _load(sources)
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
    _deliver(
        format,
        output,
        force,
        f"{len(catalog.equivalents)} equivalents",
        table=lambda render: render.equivalents_view(catalog, amounts),
        csv=lambda export: export.equivalents_csv(catalog, amounts),
        json=lambda export: export.equivalents_json(catalog, amounts),
    )


@app.command("ecologits-models")
def ecologits_models() -> None:
    """The video models the installed EcoLogits knows, for --ecologits.

    [b]Examples[/b]

      soracost ecologits-models

      soracost compare --ecologits openai/sora-2-pro --duration 10 --resolution 720p
    """
    from soracost.core.ecologits import installed_version, known_models

    models = known_models()
    text = f"EcoLogits {installed_version()} knows {len(models)} video models:\n"
    _emit(text + "".join(f"{model}\n" for model in models), None, None, False, "")


@app.command()
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
    catalog = _load(sources)
    if not catalog.sites:
        from soracost.core.errors import DataError

        raise DataError("the data file defines no sites", file=catalog.path)
    _deliver(
        format,
        output,
        force,
        f"{len(catalog.sites)} sites",
        table=lambda render: render.sites_view(catalog),
        csv=lambda export: export.sites_csv(catalog),
        json=lambda export: export.sites_json(catalog),
    )


@sources_app.callback(invoke_without_command=True)
def sources_list(
    ctx: typer.Context,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    sources: SourcesOption = None,
    energy_unit: EnergyUnitOption = DEFAULT_ENERGY_UNIT,
    water_unit: WaterUnitOption = DEFAULT_WATER_UNIT,
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
    catalog = _load(sources)
    _deliver(
        format,
        output,
        force,
        f"{len(catalog.sources)} sources",
        table=lambda render: render.sources_view(catalog),
        csv=lambda export: export.sources_csv(catalog),
        json=lambda export: export.sources_json(catalog),
    )


@sources_app.command("check")
def sources_check(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Data file to check (default: --sources, $SORACOST_SOURCES, or the embedded one).",
            show_default=False,
        ),
    ] = None,
    sources: SourcesOption = None,
    energy_unit: EnergyUnitOption = DEFAULT_ENERGY_UNIT,
    water_unit: WaterUnitOption = DEFAULT_WATER_UNIT,
) -> None:
    """Validate a data file: exit 0 if it is valid, 1 with the first problem if not.

    Checks YAML syntax, unknown and missing keys, citation fields, units and their
    dimensions, low <= mid <= high, unique ids and references between records.

    [b]Examples[/b]

      soracost sources check

      soracost sources check my-sources.yaml
    """
    parent_sources = ctx.obj if isinstance(ctx.obj, Path) else None
    catalog = _load(file or sources or parent_sources)
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
    summary = f"{catalog.path}: valid: {', '.join(counts)} (sha256 {catalog.sha256[:12]}…)\n"
    _emit(summary, None, None, False, "")


__all__ = ["app"]
