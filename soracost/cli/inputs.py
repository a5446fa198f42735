"""From the command line's options to the core's inputs: the catalogue to load, the
scenario (what was asked), pooling weights and EcoLogits' rows. Bad values are usage
errors (exit 2) naming their option."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from soracost.cli.scenario_options import BoundaryOption, MethodChoice
from soracost.core.errors import UsageProblem
from soracost.i18n import _

if TYPE_CHECKING:
    from soracost.core.records import Catalog
    from soracost.core.results import Scenario, Units
    from soracost.core.training import TrainingRequest
    from soracost.core.units import Quantity


def load_catalog_for(sources: Path | None) -> "Catalog":
    """The catalogue named by --sources (or $SORACOST_SOURCES, or the embedded one)."""
    from soracost.core.errors import DataError
    from soracost.data.catalog import SOURCES_ENV, load_catalog, resolve_sources_path

    path = resolve_sources_path(sources)
    try:
        return load_catalog(path)
    except DataError as exc:
        from_environment = os.environ.get(SOURCES_ENV)
        if from_environment and str(sources) == from_environment and exc.line is None:
            # A path nobody typed on this command line: say where it came from.
            said = _("{message} (the path comes from ${variable})")
            message = said.format(message=exc.message, variable=SOURCES_ENV)
            raise DataError(message, file=exc.file) from None
        raise


def check_outputs(
    sources: Path | None, force: bool, output: Path | None, plot: Path | None = None
) -> None:
    """Before any work: --output and --plot can be written, name different files, and
    neither is the catalogue this run reads, however spelled (exit 2, --force or not)."""
    if output is None and plot is None:
        return
    from soracost.cli.output import check_outputs as check
    from soracost.data.catalog import resolve_sources_path

    check({"--output": output, "--plot": plot}, [resolve_sources_path(sources)], force)


def build_scenario(
    *,
    count: int = 1,
    duration: float | None,
    resolution: str | None,
    fps: float | None,
    model: str | None = None,
    estimates: "list[str] | None" = None,
    site: str | None,
    boundary: BoundaryOption,
    quantities: "tuple[Quantity, ...]",
    units: "Units",
    method: MethodChoice = MethodChoice.bounds,
    samples: int = 0,
    seed: int | None = None,
    equivalents: bool = False,
    training: "TrainingRequest | None" = None,
    keep_samples: bool = False,
) -> "Scenario":
    """The user's scenario in one piece, with --resolution checked (exit 2 if bad);
    --site, --model and --estimate are checked by the core when it uses them. A Monte Carlo seed is
    picked if none was given (and reported, so that the run can be repeated)."""
    from soracost.core.footprint import ClipRequest, parse_resolution
    from soracost.core.results import DEFAULT_SAMPLES, Scenario

    width = height = None
    if resolution is not None:
        try:
            width, height = parse_resolution(resolution)
        except ValueError as exc:
            said = _("{option}: {reason}")
            raise UsageProblem(said.format(option="--resolution", reason=exc)) from None
    if method is MethodChoice.montecarlo and seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    montecarlo = method is MethodChoice.montecarlo
    return Scenario(
        count=count,
        units=units,
        quantities=quantities,
        request=ClipRequest(duration_s=duration, width=width, height=height, fps=fps),
        boundary=boundary.value,
        site=site,
        model=model,
        estimates=tuple(dict.fromkeys(estimates or ())),  # each id once, in the order given
        equivalents=equivalents,
        training=training,
        method=method.value,
        samples=samples if montecarlo else DEFAULT_SAMPLES,
        seed=seed if montecarlo else None,
        keep_samples=keep_samples,
    )


def pooling_method(method: MethodChoice, pooled: bool, given: object) -> MethodChoice:
    """The method of a run: --pooled implies Monte Carlo, and an explicit --method bounds
    beside it is an error; without --pooled, --method as given. ``given``: where
    --method's value came from (Click's parameter source)."""
    if not pooled:
        return method
    typed = getattr(given, "name", "") != "DEFAULT"
    if method is MethodChoice.bounds and typed:
        raise UsageProblem(
            _(
                "--pooled mixes Monte Carlo samples; it cannot be used with --method bounds "
                "(leave --method out: --pooled implies montecarlo)"
            )
        )
    return MethodChoice.montecarlo


def parse_weights(text: str | None, pooled: bool) -> dict[str, float]:
    """``measured=3,modelled=2`` as weights by method; checked (exit 2 if bad)."""
    from soracost.core.records import METHODS

    if text is None:
        return {}
    if not pooled:
        raise UsageProblem(_("--weights: only with --pooled, which it weighs"))
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, _equals, value = part.partition("=")
        name = name.strip()
        if name not in METHODS:
            said = _("--weights: unknown method {name}; methods: {methods}")
            raise UsageProblem(said.format(name=repr(name), methods=", ".join(METHODS)))
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not (0 <= weight < float("inf")):
            said = _("--weights: {part} needs a weight of 0 or more")
            raise UsageProblem(said.format(part=repr(part.strip())))
        weights[name] = weight
    return weights


def with_ecologits(catalog: "Catalog", models: list[str] | None, scenario: "Scenario") -> "Catalog":
    """The catalogue with EcoLogits' estimates for ``models`` added (unchanged if none);
    EcoLogits is imported only here."""
    if not models:
        return catalog
    from soracost.core.ecologits import live_estimates
    from soracost.core.results import resolve_site

    site = resolve_site(catalog, scenario.site)
    return live_estimates(catalog, models, scenario.request, site, scenario.site is not None)
