"""EcoLogits as a live source: its model of closed video APIs, computed for the user's clip.

EcoLogits (PyPI ``ecologits``, by the GenAI Impact / mlco2 community) estimates the
energy, water and carbon of one video from Sora 2 Pro, Veo, Kling, Runway and others. This
module turns one ``video_impacts`` call into an estimate like any published one: its
source is the installed library (with its version), its method "modelled", its boundary
"facility", its low and high EcoLogits' min and max, exactly.

EcoLogits is an optional extra, imported only here and only when ``--ecologits`` is used
(importing it costs about a quarter of a second).
"""

from __future__ import annotations

import json
import re
from importlib import metadata, resources
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from soracost.core.errors import SoracostError, UsageProblem
from soracost.core.footprint import ClipRequest
from soracost.core.ranges import Range
from soracost.core.records import AppliesTo, Catalog, Clip, Estimate, SideFigure, Site, Source
from soracost.core.units import Quantity
from soracost.i18n import N_, _, report_, report_number

METHODOLOGY_URL = "https://ecologits.ai/latest/methodology/video_generation/"
INSTALL_HINT = "pip install 'soracost[ecologits]'"
FRAMES_PER_SECOND = 24
ECOLOGITS_PERCENTILES = (2.5, 97.5)
"""The percentiles of EcoLogits' min and max: it takes them from the server's 2.5th and
97.5th percentile power (``estimations/video.py``). Exactly so where the PUE it applies
is one figure; with a PUE range, its extremes combine and lie further out still."""
"""EcoLogits turns a duration into int(24 × duration + 1) frames."""

SITE_ZONES: dict[str, str] = {
    "us-national": "USA", "li-us-microsoft": "USA", "france": "FRA",
    "virginia": "USA", "texas": "USA", "iowa": "USA", "arizona": "USA",
    "ireland": "IRL", "google": "USA",
}  # fmt: skip
"""EcoLogits' electricity-mix zone for a soracost site, where the site is in one country."""


FIRST_NOTE = N_("EcoLogits computed {call} with {factors}")
"""The first note of an EcoLogits estimate (report text, translated with ``report_``):
the call, and the site factors EcoLogits used for it (PUE, on-site WUE, the electricity
mix's carbon and off-site water), with whose they are: EcoLogits' own, or the PUE and WUE
of the user's --site."""


def _first_note_pattern() -> re.Pattern[str]:
    """:data:`FIRST_NOTE` in the report's language as a pattern: the call (always
    ``video_impacts(…)``, up to its first closing bracket followed by the rest of the
    sentence) and the factors. Built from the translated sentence, so that it finds the
    note in whichever language the note was written (the same run's)."""
    pieces = re.split(r"(\{call\}|\{factors\})", report_(FIRST_NOTE))
    groups = {"{call}": r"(?P<call>video_impacts\(.*?\))", "{factors}": r"(?P<factors>.*)"}
    return re.compile("".join(groups.get(piece, re.escape(piece)) for piece in pieces), re.S)


def factors_said(estimate: Estimate) -> str | None:
    """``computed by EcoLogits with …``: the site factors an EcoLogits estimate used, and
    whose (from its first note), in the report's language; ``None`` for any other
    estimate."""
    pattern = _first_note_pattern()
    for note in estimate.notes:
        found = pattern.fullmatch(note)
        if found is not None:
            said = report_("computed by EcoLogits with {factors}")
            return said.format(factors=found.group("factors"))
    return None


class MissingExtra(SoracostError):
    """An optional extra is not installed (exit code 1); the message says how to get it."""


def _ecologits() -> Any:
    """The ``video_impacts`` function, imported on first use; its logger made quiet."""
    try:
        from ecologits.estimations import video_impacts
    except ImportError:
        said = _("--ecologits needs EcoLogits, which is not installed: {hint}")
        raise MissingExtra(said.format(hint=INSTALL_HINT)) from None
    import logging

    # EcoLogits also logs each warning and error; they reach the user as row notes and
    # one-line errors instead. (Its logger class must exist first: hence after the import.)
    logging.getLogger("ecologits").addHandler(logging.NullHandler())
    logging.getLogger("ecologits").propagate = False
    return video_impacts


def installed_version() -> str:
    """The installed EcoLogits' version. Raises :class:`MissingExtra` if absent."""
    try:
        return metadata.version("ecologits")
    except metadata.PackageNotFoundError:
        said = _("EcoLogits is not installed: {hint}")
        raise MissingExtra(said.format(hint=INSTALL_HINT)) from None


def _registry() -> dict[str, Any]:
    """EcoLogits' own data file of video models and provider profiles."""
    installed_version()
    data = resources.files("ecologits") / "data" / "video_models.json"
    registry: dict[str, Any] = json.loads(data.read_text("utf-8"))
    return registry


def known_models() -> list[str]:
    """The video models the installed EcoLogits knows, in its own order."""
    return [entry["model_name"] for entry in _registry()["models"]]


def _as_range(value: Any) -> Range:
    if isinstance(value, dict):
        low, high = float(value["min"]), float(value["max"])
        return Range(low, (low + high) / 2, high)
    return Range.single(float(value))


def _outside_capabilities(entry: dict[str, Any], width: int, height: int, frames: int) -> str:
    """A note when the clip is outside what EcoLogits lists for the model ('' if inside)."""
    capabilities = entry.get("capabilities") or {}
    sizes = [tuple(size) for size in capabilities.get("resolutions") or []]
    counts = capabilities.get("frames_count") or []
    listed = ", ".join(f"{w}×{h}" for w, h in sizes)
    resolutions = report_("resolutions {sizes}").format(sizes=listed)
    # Frame counts as plain digits (EcoLogits' own figures, a few hundred at most).
    frame_range = report_("{least}–{most} frames").format(least=min(counts or [0]),
                                                          most=max(counts or [0]))  # fmt: skip
    resolution_outside = bool(sizes) and (width, height) not in sizes
    frames_outside = bool(counts) and not min(counts) <= frames <= max(counts)
    if resolution_outside and frames_outside:
        limits = report_("{resolutions}; {frames}").format(
            resolutions=resolutions, frames=frame_range
        )
    elif resolution_outside or frames_outside:
        limits = resolutions if resolution_outside else frame_range
    else:
        return ""
    said = report_(
        "outside what EcoLogits lists for this model ({limits}): its fit is extrapolated; "
        "read it as an order of magnitude"
    )
    return said.format(limits=limits)


class EcoLogitsCall(Struct, frozen=True):
    """The arguments of one ``video_impacts`` call, as soracost made it."""

    model: str
    width: int
    height: int
    duration_s: float
    datacenter_location: str | None
    datacenter_pue: Range | None
    datacenter_wue: Range | None

    @property
    def resolution(self) -> str:
        """The resolution as EcoLogits reads it: ``WIDTHxHEIGHT``."""
        return f"{self.width}x{self.height}"

    @property
    def frames(self) -> int:
        """The frames EcoLogits generates: int(24 × duration + 1)."""
        return int(self.duration_s * FRAMES_PER_SECOND + 1)

    def keyword_arguments(self) -> dict[str, Any]:
        from ecologits.utils.range_value import RangeValue

        def value(case: Range | None) -> float | Any:
            if case is None or case.low == case.high:
                return None if case is None else case.low
            return RangeValue(min=case.low, max=case.high)

        arguments: dict[str, Any] = {}
        if self.datacenter_location is not None:
            arguments["datacenter_location"] = self.datacenter_location
        if self.datacenter_pue is not None:
            arguments["datacenter_pue"] = value(self.datacenter_pue)
        if self.datacenter_wue is not None:
            arguments["datacenter_wue"] = value(self.datacenter_wue)
        return arguments

    def describe(self) -> str:
        extra = "".join(f", {key}={value!r}" for key, value in self.keyword_arguments().items())
        return f"video_impacts({self.model!r}, {self.resolution!r}, {self.duration_s:g}{extra})"


def plan_call(
    model: str, request: ClipRequest, site: Site | None, site_given: bool, catalog: Catalog
) -> EcoLogitsCall:
    """The call for ``model`` and the user's clip: EcoLogits' own defaults, unless the user
    chose a ``--site`` (then its PUE and on-site WUE, and its country's mix where known)."""
    if request.duration_s is None or request.width is None or request.height is None:
        raise UsageProblem(
            _(
                "--ecologits computes for one clip: give its --duration and --resolution "
                "(e.g. --duration 10 --resolution 720p)"
            )
        )
    clip = (model, request.width, request.height, request.duration_s)
    if not site_given or site is None:
        return EcoLogitsCall(*clip, None, None, None)
    return EcoLogitsCall(
        *clip,
        SITE_ZONES.get(site.id),
        catalog.site_factor(site, "pue").values,
        catalog.site_factor(site, "wue-onsite").values,
    )


def _range(value: Any, scale: float = 1.0) -> Range:
    """EcoLogits' RangeValue (or plain number) as a Range; mid is its arithmetic mean."""
    low, high = (value.min, value.max) if hasattr(value, "min") else (value, value)
    return Range(low * scale, (low * scale + high * scale) / 2, high * scale)


def _published(value: Any, unit: str) -> dict[str, str]:
    if hasattr(value, "min"):
        return {"low": f"{value.min!r} {unit}", "high": f"{value.max!r} {unit}"}
    return {"mid": f"{value!r} {unit}"}


def _slug(model: str) -> str:
    return "ecologits-" + re.sub(r"[^a-z0-9.]+", "-", model.lower()).strip("-")


def live_estimates(
    catalog: Catalog,
    models: list[str],
    request: ClipRequest,
    site: Site | None,
    site_given: bool,
) -> Catalog:
    """``catalog`` with one EcoLogits estimate (and its source) per model in ``models``.

    Raises :class:`MissingExtra` without EcoLogits, :class:`UsageProblem` for a model it
    does not know (listing those it does) or a clip it cannot compute.
    """
    video_impacts = _ecologits()
    version = installed_version()
    registry = _registry()
    entries = {entry["model_name"]: entry for entry in registry["models"]}
    by_lower = {name.lower(): name for name in entries}
    if request.fps is not None:
        said = _("--ecologits computes at EcoLogits' own {fps} frames per second; leave out --fps")
        raise UsageProblem(said.format(fps=FRAMES_PER_SECOND))
    source = Source(
        id=f"ecologits-{version}",
        publisher=f"EcoLogits {version} (GenAI Impact, mlco2)",
        title=f"EcoLogits {version}: video generation impacts (video_impacts)",
        authors=("Samuel Rincé", "Adrien Banse"),
        date=None,
        url=METHODOLOGY_URL,
        kind="library",
        confidence="confirmed",
        line=0,
        # soracost's own words about the library (report text), not a publisher's
        gaps={"date": report_("computed now by the installed library, not a dated publication")},
        note=report_(
            "A model of closed video APIs, computed by the installed library for your clip."
        ),
    )
    estimates = []
    for asked in dict.fromkeys(models):
        model = by_lower.get(asked.strip().lower())
        if model is None:
            said = _(
                "--ecologits: EcoLogits {version} knows no video model {model}; known: {known}"
            )
            raise UsageProblem(
                said.format(version=version, model=repr(asked), known=", ".join(entries))
            )
        call = plan_call(model, request, site, site_given, catalog)
        try:
            impacts = video_impacts(model, call.resolution, call.duration_s,
                                    **call.keyword_arguments())  # fmt: skip
        except ValueError as exc:  # an unsupported resolution, a bad duration
            said = _("--ecologits {model}: {reason}")
            raise UsageProblem(
                said.format(model=model, reason=" ".join(str(exc).split()))
            ) from None
        if impacts.errors:
            said = _("--ecologits {model}: {reason}")
            raise UsageProblem(said.format(model=model, reason=impacts.errors[0].message))
        provider_name = entries[model]["provider"]
        provider = registry["provider_configurations"][provider_name]
        pue = call.datacenter_pue or _as_range(provider["datacenter_pue"])
        used = FactorsUsed(
            pue=pue,
            wue=call.datacenter_wue or _as_range(provider["datacenter_wue"]),
            provider=provider_name,
            site=site if site_given else None,
            default_site=None if site_given or site is None else site.id,
            **_zone_used(call, video_impacts, provider),
        )
        outside = _outside_capabilities(entries[model], call.width, call.height, call.frames)
        estimates.append(_estimate(call, impacts, source, used, catalog, outside))
    return replace(
        catalog,
        sources={**catalog.sources, source.id: source},
        estimates=(*catalog.estimates, *estimates),
    )


def _zone_used(call: EcoLogitsCall, video_impacts: Any, provider: dict[str, Any]) -> dict[str, Any]:
    """The electricity-mix zone EcoLogits used for ``call`` and that zone's carbon
    intensity (gCO2e/kWh) and off-site water (L/kWh), from EcoLogits' own data. Without a
    location, ``video_impacts`` uses its parameter's default (the world, "WOR", in 0.11),
    or the provider's location when that default is None."""
    import inspect

    from ecologits.electricity_mix_repository import electricity_mixes

    zone = call.datacenter_location
    if zone is None:
        default = inspect.signature(video_impacts).parameters["datacenter_location"].default
        zone = default if isinstance(default, str) else str(provider["datacenter_location"])
    mix = electricity_mixes.find_electricity_mix(zone=zone)
    return {
        "zone": zone,
        # kgCO2e/kWh in EcoLogits' data; one multiplication to soracost's gCO2e/kWh
        "grid_carbon": None if mix is None else mix.gwp * 1000,
        "grid_water": None if mix is None else mix.wue,
    }


def _figure(values: Range, unit: str = "") -> str:
    """A factor as EcoLogits used it: one figure, or its min–max (in the report's
    language's digits: ``1.2`` in English, ``1,2`` in French)."""
    text = f"{values.low:g}" if values.low == values.high else f"{values.low:g}–{values.high:g}"
    text = report_number(text)
    return f"{text} {unit}" if unit else text


class FactorsUsed(Struct, frozen=True):
    """The site factors EcoLogits used for one estimate, and whose they are.

    ``pue`` (dimensionless) and ``wue`` (on-site, L/kWh) are the user's ``site``'s when
    one was chosen with --site, else EcoLogits' own for the ``provider``; the electricity
    mix of ``zone`` is always EcoLogits' own: ``grid_carbon`` in gCO2e/kWh and
    ``grid_water`` (off-site) in L/kWh (``None`` if EcoLogits has no such zone).
    ``default_site`` names soracost's default site when none was chosen: the header's
    site, whose factors these rows do not use."""

    pue: Range
    wue: Range
    provider: str
    site: Site | None
    default_site: str | None
    zone: str
    grid_carbon: float | None
    grid_water: float | None

    def sentence(self, call: EcoLogitsCall, catalog: Catalog) -> str:
        """The factors in words (what follows "with" in the estimate's first note), in
        the report's language: whole sentences per case, so that each language orders
        its words and punctuation itself."""
        pue, wue = _figure(self.pue), _figure(self.wue, "L/kWh")
        if self.site is None:
            if self.default_site:
                said = report_(
                    "its own defaults, not site {site}'s factors: PUE {pue} and on-site WUE "
                    "{wue} (EcoLogits' figures for {provider})"
                )
            else:
                said = report_(
                    "its own defaults, not soracost's site factors: PUE {pue} and on-site "
                    "WUE {wue} (EcoLogits' figures for {provider})"
                )
            first = said.format(site=self.default_site, pue=pue, wue=wue, provider=self.provider)
            mix_whose = report_("EcoLogits' zone values")
        else:
            ids = [catalog.site_factor(self.site, kind).id for kind in ("pue", "wue-onsite")]
            said = report_(
                "site {site}'s PUE and on-site WUE (soracost's: {pue_id} {pue}, {wue_id} {wue})"
            )
            first = said.format(site=self.site.id, pue_id=ids[0], pue=pue, wue_id=ids[1], wue=wue)
            if call.datacenter_location is None:
                said = report_(
                    "EcoLogits' zone values, not site {site}'s grid factors; soracost knows "
                    "no EcoLogits zone for site {site}"
                )
            else:
                said = report_("EcoLogits' zone values, not site {site}'s grid factors")
            mix_whose = said.format(site=self.site.id)
        if self.grid_carbon is None or self.grid_water is None:
            mix = report_("electricity mix {zone} ({whose})").format(
                zone=self.zone, whose=mix_whose
            )
        else:
            said = report_(
                "electricity mix {zone} ({whose}): {carbon} gCO2e/kWh, off-site water {water} L/kWh"
            )
            mix = said.format(
                zone=self.zone,
                whose=mix_whose,
                carbon=report_number(f"{self.grid_carbon:g}"),
                water=report_number(f"{self.grid_water:g}"),
            )
        return report_("{factors}; {mix}").format(factors=first, mix=mix)


# The source whose data EcoLogits' video models are fitted to (its methodology page:
# "derived from Jegham et al. (2026)").
FITTED_TO = "jegham2026"


def _estimate(
    call: EcoLogitsCall,
    impacts: Any,
    source: Source,
    used: FactorsUsed,
    catalog: Catalog,
    outside: str,
) -> Estimate:
    """One EcoLogits result as an estimate: ``used`` the site factors EcoLogits applied
    (its first note says them), ``outside`` a note when the clip is beyond what EcoLogits
    lists for the model."""
    model = call.model
    energy = impacts.energy.value
    # The call, then the factors (``factors_said`` finds them after its closing bracket).
    first = report_(FIRST_NOTE).format(call=call.describe(), factors=used.sentence(call, catalog))
    # EcoLogits' own warning is shown as it says it (another program's words).
    warns = report_("EcoLogits warns: {warning}")
    notes = [first, *(warns.format(warning=warning.message) for warning in impacts.warnings or [])]
    notes += [outside] if outside else []
    embodied = impacts.embodied.gwp.value * 1000
    side: dict[Quantity, SideFigure] = {
        "water": SideFigure(
            values=_range(impacts.wcf.value),
            unit="L",
            published=_published(impacts.wcf.value, "L"),
            note=report_("water as EcoLogits computes it (its off-site term includes PUE)"),
        ),
        "carbon": SideFigure(
            values=_range(impacts.gwp.value),
            unit="kgCO2e",
            published=_published(impacts.gwp.value, "kgCO2e"),
            note=report_(
                "EcoLogits' gwp: usage + embodied ({embodied} gCO2e of manufacturing)"
            ).format(embodied=report_number(f"{embodied:.3g}")),
        ),
    }
    return Estimate(
        id=_slug(model),
        quantity="energy",
        values=_range(energy),
        unit="kWh",
        published=_published(energy, "kWh"),
        fill="midpoint" if hasattr(energy, "min") else "single-figure",
        cases_note=(
            "low and high: EcoLogits' min and max (the server's 2.5th and 97.5th percentile "
            "power); mid: their mean, as EcoLogits' RangeValue.mean gives it"
        ),
        applies_to=AppliesTo(
            model=model,
            # A model of Sora itself, not another model standing in for it.
            sora_proxy=False,
            models_sora=model.startswith("openai/sora"),
            # No frame count: EcoLogits' int(24 × d + 1) frames would make the clip
            # 1/24 s longer than asked, and soracost would scale it back.
            clip=Clip(
                duration_s=call.duration_s,
                width=call.width,
                height=call.height,
                fps=FRAMES_PER_SECOND,
            ),
            hardware=None,
        ),
        boundary="facility",
        method="modelled",
        source=source.id,
        # EcoLogits' video coefficients are fitted to Jegham et al.'s measurements: where
        # the catalogue holds that paper, the row says so, and a pool counts the work once.
        chain=(source.id, FITTED_TO) if FITTED_TO in catalog.sources else (),
        see_also=(),
        claim=f"{call.describe()}: energy {energy.min!r}–{energy.max!r} kWh"
        if hasattr(energy, "min")
        else f"{call.describe()}: energy {energy!r} kWh",
        confidence="confirmed",
        line=0,
        side=side,
        notes=tuple(notes),
        own_pue=used.pue,
        cases_percentiles=ECOLOGITS_PERCENTILES,
        note="A model, not a measurement: EcoLogits fits generation time to width × height "
        "× frames and multiplies by the whole server's power and PUE.",
    )
