"""The footprint model: from one published figure to the user's clip, boundary and site.

Pure computation, no I/O. Each figure is derived as a list of :class:`Step` s, from the
source's claim as published, through unit conversion, scaling to the requested clip and
boundary conversion, to the per-clip and batch totals; water adds its on-site and
off-site branches. Every step records its inputs, its factor and the factor's source,
so each printed number can be recomputed from the steps alone (``explain`` prints them).

Water follows Li et al. ("Making AI Less Thirsty"):
``water = E_IT × WUE_on-site + E_IT × PUE × EWIF_off-site``, written here as
``E_IT × WUE + E_facility × EWIF`` with ``E_facility = E_IT × PUE``. PUE enters each
branch once: a figure published at the facility boundary is divided by PUE for the IT
branch and used as it is for the off-site branch, never multiplied by PUE again (the
EcoLogits bug this design avoids).

Carbon is location-based: facility energy × the site's grid carbon intensity (the average
emissions of the grid where the clips are made, not what the operator bought).
"""

from __future__ import annotations

import math
import re
from functools import cached_property
from typing import Any, Literal

from msgspec import Struct, field
from msgspec.structs import replace

from soracost.core.ranges import Range
from soracost.core.records import (
    BOUNDARY_LABELS,
    USER_SOURCE_ID,
    Catalog,
    Clip,
    Estimate,
    Factor,
    FactorKind,
    Site,
)
from soracost.core.units import (
    CARBON_INTENSITY_UNIT,
    WATER_INTENSITY_UNIT,
    Quantity,
    conversion_factor,
)
from soracost.i18n import _, count_text, report_, report_count, report_n, report_number

BoundaryChoice = Literal["as-published", "server", "facility"]
BOUNDARY_CHOICES: tuple[BoundaryChoice, ...] = ("as-published", "server", "facility")
DEFAULT_BOUNDARY: BoundaryChoice = "facility"

Operation = Literal["start", "multiply", "divide", "add"]
OPERATION_SYMBOLS: dict[str, str] = {"start": "", "multiply": "×", "divide": "÷", "add": "+"}

RESOLUTION_PRESETS: dict[str, tuple[int, int]] = {
    "480p": (854, 480),
    "720p": (1280, 720),
    "1080p": (1920, 1080),
    "4k": (3840, 2160),
}
"""Named resolutions (16:9, width × height in pixels); any WxH is accepted as well."""

MIN_PIXELS_PER_SIDE = 16
MAX_PIXELS_PER_SIDE = 16384
_WIDTH_BY_HEIGHT = re.compile(r"([0-9]{1,6}) *[x×] *([0-9]{1,6})", re.ASCII)


def parse_resolution(text: str) -> tuple[int, int]:
    """``"720p"`` or ``"1280x720"`` (also ``×``) as ``(width, height)`` in pixels.

    Raises :class:`ValueError` with a one-line message listing the valid forms, in the
    run's language (a message, not report text: it reaches the user as an error).
    """
    name = text.strip().lower()
    if name in RESOLUTION_PRESETS:
        return RESOLUTION_PRESETS[name]
    match = _WIDTH_BY_HEIGHT.fullmatch(name)
    if match:
        width, height = int(match.group(1)), int(match.group(2))
        if min(width, height) >= MIN_PIXELS_PER_SIDE and max(width, height) <= MAX_PIXELS_PER_SIDE:
            return width, height
        said = _("{text}: each side must be {least} to {most} pixels")
        raise ValueError(
            said.format(
                text=repr(text),
                least=count_text(MIN_PIXELS_PER_SIDE),
                most=count_text(MAX_PIXELS_PER_SIDE),
            )
        )
    said = _("unknown resolution {text}; choose one of: {choices}, or WxH (e.g. 1280x720)")
    raise ValueError(said.format(text=repr(text), choices=", ".join(RESOLUTION_PRESETS)))


class ClipRequest(Struct, frozen=True):
    """The clip the user asks about; ``None`` keeps the reference clip's value.

    Units: ``duration_s`` in seconds, ``width``/``height`` in pixels, ``fps`` in frames
    per second.
    """

    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None

    def describe(self) -> str:
        """``1920×1080, 12 s, 24 fps`` (only what was asked); '' when nothing was. Report
        text: its numbers in the report's language (``5,5 s`` in a French table)."""
        parts = []
        if self.width and self.height:
            parts.append(f"{self.width}×{self.height}")
        if self.duration_s is not None:
            parts.append(f"{report_number(f'{self.duration_s:g}')} s")
        if self.fps is not None:
            parts.append(f"{report_number(f'{self.fps:g}')} fps")
        return ", ".join(parts)


class Step(Struct, frozen=True):
    """One step of a derivation.

    ``value`` (in ``unit``) is ``inputs``' values combined by ``op`` with ``factor``:
    ``start`` has no input, ``multiply`` and ``divide`` take one input and a factor,
    ``add`` adds its inputs. Ranges combine case by case (low with low), except that
    ``divide`` is interval division: the low result divides by the factor's high case.
    ``factor`` is in ``factor_unit`` (the step's unit over its input's; '' for pure
    numbers); ``factor_text`` shows the factor as its source published it.
    ``roles`` name the results a step holds: ``per_clip``, ``batch``,
    ``on_site`` and ``off_site`` (per clip), ``it_energy`` and ``facility_energy``.
    """

    kind: str
    label: str
    op: Operation
    inputs: tuple[int, ...]
    value: Range
    unit: str
    factor: Range | None = None
    factor_text: str | None = None
    factor_id: str | None = None
    source_id: str | None = None
    roles: tuple[str, ...] = ()
    factor_unit: str = ""
    falls_with_factor: bool = False
    """The step's factor falls as its source's value rises: scaling down, a higher
    exponent gives a smaller factor. Monte Carlo draws it with the opposite sign, so one
    exponent draw means the same exponent for every estimate, scaled up or down."""


class Derivation(Struct, frozen=True):
    """How one figure (energy, or water) for the user's scenario was obtained."""

    steps: tuple[Step, ...]
    unit: str
    scale_factor: Range | None
    """The product of the scaling steps; ``None`` when no scaling was applied."""
    not_scaled: tuple[str, ...]
    """Why a requested scaling could not be applied (the figure keeps its clip)."""
    boundary: str
    """The boundary of the figure shown (an estimate boundary such as ``facility``)."""
    notes: tuple[str, ...] = ()
    derived_water: bool = False
    """Water computed from energy with the site's factors, not published by the source."""

    @property
    def far_scaling_note(self) -> str | None:
        """The note (also in ``notes``) saying the figure was scaled more than
        :data:`FAR_SCALE` times from its source's clip, or ``None`` if it was not."""
        far = _extrapolation(self.scale_factor)
        return far[0] if far else None

    def value_of(self, role: str) -> Range | None:
        """The value of the step with ``role``, or ``None`` if there is none.

        A role names one step of a derivation. The search runs from the end, where the
        per-clip and batch steps are (the figures asked for most), as a plain loop: a
        table of thousands of rows asks this ten times a row."""
        for step in reversed(self.steps):
            if role in step.roles:
                return step.value
        return None

    @property
    def per_clip(self) -> Range:
        value = self.value_of("per_clip")
        assert value is not None  # every derivation ends at a per-clip and a batch step
        return value

    @property
    def batch(self) -> Range:
        value = self.value_of("batch")
        assert value is not None
        return value

    @property
    def scaled(self) -> bool:
        return self.scale_factor is not None

    @property
    def water_split(self) -> tuple[Range, Range] | None:
        """``(on_site, off_site)`` per clip for derived water, else ``None``."""
        if not self.derived_water:  # only derived water has the two (no search needed)
            return None
        on_site, off_site = self.value_of("on_site"), self.value_of("off_site")
        if on_site is None or off_site is None:
            return None
        return on_site, off_site


class _Factoring(Struct, frozen=True):
    """A multiply or divide step less its input: the factor, and how the step is shown.

    The factors every estimate shares (a unit conversion, a server overhead, the site's
    PUE, water and carbon factors, the batch count) become one of these once per model,
    so each estimate's step only multiplies (or divides) its input by ``factor``: no
    look-up, no unit conversion and no text to build per estimate. ``factor`` is in
    ``factor_unit`` and ``unit`` is the step's unit, ``None`` for its input's (see
    :class:`Step` for the other fields).
    """

    kind: str
    label: str
    factor: Range
    op: Literal["multiply", "divide"] = "multiply"
    unit: str | None = None
    factor_text: str | None = None
    factor_id: str | None = None
    source_id: str | None = None
    roles: tuple[str, ...] = ()
    factor_unit: str = ""
    falls_with_factor: bool = False


def _factoring_of(source: Factor, values: Range | None = None, **fields: Any) -> _Factoring:
    """A :class:`_Factoring` for a catalogue factor: its values (or ``values``, the factor
    in the model's units), its text, id and source, and the other ``fields``."""
    return _Factoring(
        factor=source.values if values is None else values,
        factor_text=_factor_text(source),
        factor_id=source.id,
        source_id=source.source,
        **fields,
    )


class _Builder(Struct):
    """Appends steps and hands back their indices, so later steps can name their inputs."""

    steps: list[Step] = field(default_factory=list)

    def add(self, step: Step) -> int:
        self.steps.append(step)
        return len(self.steps) - 1

    def value(self, index: int) -> Range:
        return self.steps[index].value

    def apply(self, index: int, factoring: _Factoring) -> int:
        """Add the step that multiplies (or divides) step ``index``'s value by ``factoring``."""
        given = self.steps[index]
        if factoring.op == "multiply":
            value = given.value * factoring.factor
        else:
            value = given.value / factoring.factor
        return self.add(
            Step(
                kind=factoring.kind,
                label=factoring.label,
                op=factoring.op,
                inputs=(index,),
                value=value,
                unit=factoring.unit or given.unit,
                factor=factoring.factor,
                factor_text=factoring.factor_text,
                factor_id=factoring.factor_id,
                source_id=factoring.source_id,
                roles=factoring.roles,
                factor_unit=factoring.factor_unit,
                falls_with_factor=factoring.falls_with_factor,
            )
        )


class _EnergyTrunk(Struct):
    """The energy steps that all of one estimate's figures start from.

    The claim, its conversion to the model's energy unit and its scalings (up to step
    ``scaled``); then whole-server (IT) and facility energy, each added the first time a
    figure needs it (``None`` until then; a string says why it cannot be had). Energy,
    derived water and carbon each begin with a prefix of these steps, in this order, so
    one estimate's steps are built once, not once per figure. Steps are immutable, so the
    figures can share them.
    """

    estimate: Estimate
    build: _Builder
    scaled: int
    scale: Range | None
    not_scaled: tuple[str, ...]
    it: int | str | None = None
    facility: int | str | None = None

    def builder(self, last: int) -> _Builder:
        """A new builder holding this trunk's steps up to step ``last``, to build on."""
        return _Builder(self.build.steps[: last + 1])


def exponent_factor(ratio: float, exponent: Range) -> Range:
    """``ratio`` raised to each case of ``exponent``, ordered so that low <= high.

    Scaling up (ratio > 1), the low exponent gives the low factor; scaling down, the
    high exponent does. A ratio of 1 gives exactly 1 whatever the exponent.
    """
    low, mid, high = exponent
    if ratio >= 1:
        return Range(ratio**low, ratio**mid, ratio**high)
    return Range(ratio**high, ratio**mid, ratio**low)


def _number(value: float) -> str:
    return report_number(f"{value:,.4g}" if value < 1e4 else f"{value:,.0f}")


def reference_frames(clip: Clip) -> tuple[float | None, float | None]:
    """``(frames, duration_s)`` of a reference clip, each derived from the other and the
    frame rate where the source did not give it; ``None`` where it cannot be known."""
    frames = float(clip.frames) if clip.frames else None
    duration, fps = clip.duration_s, clip.fps
    if frames is None and duration and fps:
        frames = duration * fps
    if frames and fps:  # exact, where a stored duration is rounded (121 / 24 s)
        duration = frames / fps
    return frames, duration


class FootprintCalculator:
    """Derivations of a catalogue's figures for one scenario (clip, boundary, site, units).

    The scenario is fixed when the calculator is made: what every estimate shares (the site's
    factors, unit conversions, the batch step) is worked out once, the first time it is
    needed, and an estimate's energy steps are kept while its figures are asked for.
    """

    def __init__(
        self,
        catalog: Catalog,
        *,
        energy_unit: str,
        water_unit: str,
        carbon_unit: str = "gCO2e",
        count: int = 1,
        request: ClipRequest | None = None,
        boundary: BoundaryChoice = DEFAULT_BOUNDARY,
        site: Site | None = None,
    ) -> None:
        self.catalog = catalog
        self.energy_unit = energy_unit
        self.water_unit = water_unit
        self.carbon_unit = carbon_unit
        self.count = count
        self.request = request or ClipRequest()
        self.boundary = boundary
        self.site = site if site is not None else catalog.default_site
        self._last_trunk: _EnergyTrunk | None = None
        self._conversions: dict[tuple[str, str], _Factoring] = {}
        self._rules: dict[FactorKind, tuple[Factor, str] | None] = {}
        self._overheads: dict[str, _Factoring | None] = {}

    # --- public ---------------------------------------------------------------------

    def energy(self, estimate: Estimate) -> Derivation:
        """The energy per clip and per batch of an energy estimate, in ``energy_unit``."""
        trunk = self._trunk(estimate)
        notes = [*estimate.notes, *_extrapolation(trunk.scale)]
        shown, boundary = self._energy_at_boundary(trunk, notes)
        build = trunk.builder(shown)
        self._finish(build, shown)
        return Derivation(
            steps=tuple(build.steps),
            unit=self.energy_unit,
            scale_factor=trunk.scale,
            not_scaled=trunk.not_scaled,
            boundary=boundary,
            notes=tuple(notes),
        )

    def water(self, estimate: Estimate) -> Derivation | str:
        """Water per clip and per batch, in ``water_unit``.

        A water estimate is shown as published (scaled if it can be). An energy estimate
        gives derived water with on-site and off-site parts, or, when that cannot be
        done, a one-line reason (a string) instead of a derivation.
        """
        if "water" in estimate.side:
            return self._side_figure(estimate, "water", self.water_unit)
        if estimate.quantity == "water":
            build = _Builder()
            index, scale, not_scaled = self._claim_and_scale(build, estimate, self.water_unit)
            self._finish(build, index)
            return Derivation(
                steps=tuple(build.steps),
                unit=self.water_unit,
                scale_factor=scale,
                not_scaled=not_scaled,
                boundary=estimate.boundary,
                notes=tuple(_extrapolation(scale)),
            )
        return self._derived_water(estimate)

    def carbon(self, estimate: Estimate) -> Derivation | str:
        """Location-based emissions per clip and per batch, in ``carbon_unit``: facility
        energy × the site's grid carbon intensity; or a one-line reason there are none."""
        if "carbon" in estimate.side:
            return self._side_figure(estimate, "carbon", self.carbon_unit)
        if estimate.quantity != "energy":
            return NO_ENERGY
        if self.site is None:
            return report_("no carbon derived: the data file has no sites")
        if self.catalog.optional_site_factor(self.site, "carbon-intensity") is None:
            said = report_("no carbon derived: site {site} has no grid carbon intensity")
            return said.format(site=repr(self.site.id))
        trunk = self._trunk(estimate)
        facility = self._facility_energy(trunk)
        if isinstance(facility, str):
            return report_("no carbon derived: {reason}").format(reason=facility)
        build = trunk.builder(facility)
        total = build.apply(facility, self._carbon_factoring)
        self._finish(build, total)
        return Derivation(
            steps=tuple(build.steps),
            unit=self.carbon_unit,
            scale_factor=trunk.scale,
            not_scaled=trunk.not_scaled,
            boundary="facility",
            notes=tuple(_extrapolation(trunk.scale)),
            derived_water=False,
        )

    def _side_figure(self, estimate: Estimate, quantity: Quantity, unit: str) -> Derivation:
        """A figure the source computed itself for this quantity: as published, batched."""
        side = estimate.side[quantity]
        shown = replace(
            estimate, quantity=quantity, values=side.values, unit=side.unit,
            published=side.published,
        )  # fmt: skip
        build = _Builder()
        index, scale, not_scaled = self._claim_and_scale(build, shown, unit)
        self._finish(build, index)
        notes = (*estimate.notes, *_extrapolation(scale), *((side.note,) if side.note else ()))
        return Derivation(
            steps=tuple(build.steps),
            unit=unit,
            scale_factor=scale,
            not_scaled=not_scaled,
            boundary=estimate.boundary,
            notes=notes,
        )

    # --- steps shared by energy and water -------------------------------------------

    def _trunk(self, estimate: Estimate) -> _EnergyTrunk:
        """The estimate's shared energy steps, in ``energy_unit`` (see :class:`_EnergyTrunk`).

        Only the last estimate's trunk is kept: its figures are asked for one after the
        other (energy, water, carbon), and a catalogue's trunks need not all be held.
        """
        trunk = self._last_trunk
        if trunk is None or trunk.estimate is not estimate:
            build = _Builder()
            scaled, scale, not_scaled = self._claim_and_scale(build, estimate, self.energy_unit)
            trunk = _EnergyTrunk(estimate, build, scaled, scale, not_scaled)
            self._last_trunk = trunk
        return trunk

    def _claim_and_scale(
        self, build: _Builder, estimate: Estimate, unit: str
    ) -> tuple[int, Range | None, tuple[str, ...]]:
        published = ", ".join(
            f"{report_(case)} {text}" for case, text in estimate.published.items()
        )
        index = build.add(
            Step(
                kind="claim",
                label=report_("as published, {boundary} ({published})").format(
                    boundary=_boundary_words(estimate), published=published
                ),
                op="start",
                inputs=(),
                value=estimate.values,
                unit=estimate.unit,
                source_id=estimate.source,
            )
        )
        if estimate.unit != unit:
            index = build.apply(index, self._conversion(estimate.unit, unit))
        scale: Range | None = None
        not_scaled: list[str] = []
        for kind, ratio_or_reason, label in self._scalings(estimate.applies_to.clip):
            if isinstance(ratio_or_reason, str):
                not_scaled.append(ratio_or_reason)
                continue
            found = self._scaling_rule(kind)
            if found is None:
                not_scaled.append(f"{label}: the data file has no {kind} rule")
                continue
            if math.isclose(ratio_or_reason, 1.0, rel_tol=SAME_CLIP):
                continue  # the source's own clip (up to its rounding): nothing to scale
            rule, exponents = found
            factor = exponent_factor(ratio_or_reason, rule.values)
            scaling = _Factoring(
                kind="scale",
                label=report_("scale {what}").format(what=label),
                factor=factor,
                factor_text=f"{_number(ratio_or_reason)}^({exponents})",
                factor_id=rule.id,
                source_id=rule.source,
                falls_with_factor=ratio_or_reason < 1,
            )
            index = build.apply(index, scaling)
            scale = factor if scale is None else scale * factor
        return index, scale, tuple(not_scaled)

    def _conversion(self, from_unit: str, to_unit: str) -> _Factoring:
        """The step converting ``from_unit`` into ``to_unit`` (made once per pair)."""
        key = (from_unit, to_unit)
        if key not in self._conversions:
            to_unit_factor = conversion_factor(from_unit, to_unit)
            self._conversions[key] = _Factoring(
                kind="unit",
                label=report_("convert {from_unit} to {to_unit}").format(
                    from_unit=from_unit, to_unit=to_unit
                ),
                factor=Range.single(to_unit_factor),
                unit=to_unit,
                factor_text=f"1 {from_unit} = {report_number(f'{to_unit_factor:.10g}')} {to_unit}",
                factor_unit=f"{to_unit}/{from_unit}",
            )
        return self._conversions[key]

    def _scaling_rule(self, kind: FactorKind) -> tuple[Factor, str] | None:
        """The catalogue's rule of ``kind`` and its exponents as shown (``1.2–1.5``), or
        ``None`` if it has none (looked up once per kind)."""
        if kind not in self._rules:
            rule = self.catalog.factor_of_kind(kind)
            cases = sorted(set(rule.values)) if rule else []
            exponents = "–".join(report_number(f"{case:g}") for case in cases)
            self._rules[kind] = (rule, exponents) if rule else None
        return self._rules[kind]

    def _scalings(self, clip: Clip) -> list[tuple[FactorKind, float | str, str]]:
        """Each requested scaling: ``(rule kind, ratio or reason it cannot be done, label)``."""
        request = self.request
        result: list[tuple[FactorKind, float | str, str]] = []
        if request.width is not None and request.height is not None:
            if clip.width and clip.height:
                ratio = (request.width * request.height) / (clip.width * clip.height)
                label = report_("resolution {source} → {wanted}").format(
                    source=f"{clip.width}×{clip.height}", wanted=f"{request.width}×{request.height}"
                )
                result.append(("resolution-exponent", ratio, label))
            else:
                reason = report_("not scaled to the resolution: the source's resolution is unknown")
                result.append(("resolution-exponent", reason, "resolution"))
        if request.duration_s is not None or request.fps is not None:
            result.append(self._frames_scaling(clip))
        return result

    def _frames_scaling(self, clip: Clip) -> tuple[FactorKind, float | str, str]:
        request = self.request
        frames, duration = reference_frames(clip)
        if request.fps is None:  # same frame rate: frames grow with duration
            assert request.duration_s is not None
            if duration is None:
                reason = report_(
                    "not scaled to the duration: the source's clip duration is unknown"
                )
                return "frames-exponent", reason, "duration"
            label = report_("duration {source} s → {wanted} s at the same frame rate").format(
                source=f"{duration:g}", wanted=f"{request.duration_s:g}"
            )
            return "frames-exponent", request.duration_s / duration, label
        if frames is None or duration is None:
            missing = "duration" if duration is None else "frame count"
            reason = f"not scaled to the frame rate: the source's clip {missing} is unknown"
            return "frames-exponent", reason, "frames"
        wanted_duration = request.duration_s if request.duration_s is not None else duration
        wanted = wanted_duration * request.fps
        if wanted < 1 - SAME_CLIP:  # less than one frame, rounding aside
            reason = (
                f"not scaled: {wanted_duration:g} s at {request.fps:g} fps is less than a frame"
            )
            return "frames-exponent", reason, "frames"
        label = f"frames {frames:g} → {wanted:g} ({wanted_duration:g} s at {request.fps:g} fps)"
        return "frames-exponent", wanted / frames, label

    def _finish(self, build: _Builder, index: int) -> None:
        """Mark ``index`` as the per-clip figure and add the batch step."""
        last = build.steps[index]
        build.steps[index] = replace(last, roles=(*last.roles, "per_clip"))
        build.apply(index, self._batch)

    @cached_property
    def _batch(self) -> _Factoring:
        """The last step of every figure: per clip × ``count``."""
        return _Factoring(
            kind="batch",
            label=report_n("batch of {n} clip", "batch of {n} clips", self.count).format(
                n=report_count(self.count)
            ),
            factor=Range.single(float(self.count)),
            factor_text=f"× {report_count(self.count)}",
            roles=("batch",),
        )

    # --- boundaries -----------------------------------------------------------------

    def _it_energy(self, trunk: _EnergyTrunk) -> int | str:
        """The step of whole-server (IT) energy, or why it cannot be had."""
        if trunk.it is None:
            trunk.it = self._add_it_energy(trunk)
        return trunk.it

    def _add_it_energy(self, trunk: _EnergyTrunk) -> int | str:
        estimate, index = trunk.estimate, trunk.scaled
        boundary = estimate.boundary
        if boundary == "server":
            return index
        if boundary in ("gpu", "gpu+cpu+ram"):
            overhead = self._overhead(boundary)
            if overhead is None:
                said = report_("the data file has no server overhead for the {boundary} boundary")
                return said.format(boundary=boundary)
            return trunk.build.apply(index, overhead)
        if boundary == "facility" and estimate.own_pue is not None:
            own_pue = _Factoring(
                kind="boundary",
                label=report_("facility → whole server (÷ the PUE its source used)"),
                factor=estimate.own_pue,
                op="divide",
                factor_text=report_("{pue} (the source's own PUE)").format(
                    pue=report_number(f"{estimate.own_pue.mid:.4g}")
                ),
                source_id=estimate.source,
                roles=("it_energy",),
            )
            return trunk.build.apply(index, own_pue)
        if boundary == "facility":
            if self._server_from_facility is None:
                return report_("the data file has no site with a PUE")
            return trunk.build.apply(index, self._server_from_facility)
        return report_("the source does not say what its figure covers (boundary unknown)")

    def _overhead(self, boundary: str) -> _Factoring | None:
        """The step from ``boundary`` to whole-server energy, ``None`` if the catalogue has
        no overhead for it (looked up once per boundary)."""
        if boundary not in self._overheads:
            overhead = self.catalog.factor_of_kind("server-overhead", converts_from=boundary)
            self._overheads[boundary] = (
                None
                if overhead is None
                else _factoring_of(
                    overhead,
                    kind="boundary",
                    label=report_("{boundary} → whole server (server overhead)").format(
                        boundary=report_(boundary)
                    ),
                    roles=("it_energy",),
                )
            )
        return self._overheads[boundary]

    @cached_property
    def _server_from_facility(self) -> _Factoring | None:
        """Facility energy ÷ the site's PUE; ``None`` without a site."""
        if self.site is None:
            return None
        pue = self.catalog.site_factor(self.site, "pue")
        return _factoring_of(
            pue,
            kind="boundary",
            label=report_("facility → whole server (÷ PUE, {site})").format(
                site=_whose(self.site, pue)
            ),
            op="divide",
            roles=("it_energy",),
        )

    @cached_property
    def _facility_from_server(self) -> _Factoring | None:
        """Whole-server energy × the site's PUE; ``None`` without a site."""
        if self.site is None:
            return None
        pue = self.catalog.site_factor(self.site, "pue")
        return _factoring_of(
            pue,
            kind="boundary",
            label=report_("whole server → facility (× PUE, {site})").format(
                site=_whose(self.site, pue)
            ),
            roles=("facility_energy",),
        )

    def _facility_energy(self, trunk: _EnergyTrunk) -> int | str:
        """The step of facility energy (IT × PUE), or why it cannot be had."""
        if trunk.estimate.boundary == "facility":
            return trunk.scaled
        if trunk.facility is None:
            trunk.facility = self._add_facility_energy(trunk)
        return trunk.facility

    def _add_facility_energy(self, trunk: _EnergyTrunk) -> int | str:
        if self._facility_from_server is None:  # checked first: no unused IT step is built
            return report_("the data file has no site with a PUE")
        it = self._it_energy(trunk)
        return it if isinstance(it, str) else trunk.build.apply(it, self._facility_from_server)

    def _energy_at_boundary(self, trunk: _EnergyTrunk, notes: list[str]) -> tuple[int, str]:
        if self.boundary == "as-published":
            return trunk.scaled, trunk.estimate.boundary
        target = self._it_energy if self.boundary == "server" else self._facility_energy
        result = target(trunk)
        if isinstance(result, str):
            said = report_("shown at its published boundary, not the {boundary} one: {reason}")
            notes.append(said.format(boundary=report_(self.boundary), reason=result))
            return trunk.scaled, trunk.estimate.boundary
        return result, self.boundary

    # --- water and carbon -----------------------------------------------------------

    def _derived_water(self, estimate: Estimate) -> Derivation | str:
        if self.site is None:
            return report_("no water derived: the data file has no sites")
        trunk = self._trunk(estimate)
        it = self._it_energy(trunk)
        if isinstance(it, str):
            return report_("no water derived: {reason}").format(reason=it)
        # A facility figure is divided by PUE for the IT branch, and feeds the off-site
        # branch as published: PUE is never applied on top of a figure that includes it.
        facility = self._facility_energy(trunk)
        if isinstance(facility, str):
            return report_("no water derived: {reason}").format(reason=facility)
        on_site_water, off_site_water = self._water_factorings
        build = trunk.builder(max(it, facility))
        on_site = build.apply(it, on_site_water)
        off_site = build.apply(facility, off_site_water)
        total = build.add(
            Step(
                kind="water",
                label=report_("water: on-site + off-site"),
                op="add",
                inputs=(on_site, off_site),
                value=build.value(on_site) + build.value(off_site),
                unit=self.water_unit,
            )
        )
        self._finish(build, total)
        return Derivation(
            steps=tuple(build.steps),
            unit=self.water_unit,
            scale_factor=trunk.scale,
            not_scaled=trunk.not_scaled,
            boundary="facility",
            notes=tuple(_extrapolation(trunk.scale)),
            derived_water=True,
        )

    @cached_property
    def _water_factorings(self) -> tuple[_Factoring, _Factoring]:
        """On-site water (whole-server energy × WUE) and off-site water (facility energy ×
        EWIF) per unit of energy, in ``water_unit`` per ``energy_unit``. Needs a site."""
        site = self.site
        assert site is not None
        per_energy = conversion_factor(
            WATER_INTENSITY_UNIT, f"({self.water_unit})/({self.energy_unit})"
        )
        factor_unit = f"{self.water_unit}/{self.energy_unit}"
        wue = self.catalog.site_factor(site, "wue-onsite")
        ewif = self.catalog.site_factor(site, "ewif-offsite")
        return (
            _factoring_of(
                wue,
                wue.values * per_energy,
                kind="water",
                label=report_("on-site water: whole-server energy × WUE ({site})").format(
                    site=_whose(site, wue)
                ),
                unit=self.water_unit,
                roles=("on_site",),
                factor_unit=factor_unit,
            ),
            _factoring_of(
                ewif,
                ewif.values * per_energy,
                kind="water",
                label=report_("off-site water: facility energy × EWIF ({site})").format(
                    site=_whose(site, ewif)
                ),
                unit=self.water_unit,
                roles=("off_site",),
                factor_unit=factor_unit,
            ),
        )

    @cached_property
    def _carbon_factoring(self) -> _Factoring:
        """Facility energy × the site's grid carbon intensity, in ``carbon_unit`` per
        ``energy_unit``. Needs a site with an intensity."""
        site = self.site
        assert site is not None
        intensity = self.catalog.optional_site_factor(site, "carbon-intensity")
        assert intensity is not None
        per_energy = conversion_factor(
            CARBON_INTENSITY_UNIT, f"({self.carbon_unit})/({self.energy_unit})"
        )
        return _factoring_of(
            intensity,
            intensity.values * per_energy,
            kind="carbon",
            label=report_(
                "carbon: facility energy × grid carbon intensity ({site}, location-based)"
            ).format(site=_whose(site, intensity)),
            unit=self.carbon_unit,
            factor_unit=f"{self.carbon_unit}/{self.energy_unit}",
        )


NO_ENERGY = "the source published no energy figure"
"""Why an estimate has no energy row, nor carbon: its source published water only."""

SAME_CLIP = 5e-4
"""Relative tolerance within which a requested clip counts as the source's own: stored
durations are rounded to the millisecond (121 frames at 24 fps is "5.042 s")."""


def _boundary_words(estimate: Estimate) -> str:
    doubt = "?" if "boundary" in estimate.unconfirmed else ""
    if estimate.boundary == "unknown":
        return report_("boundary unknown")
    return report_(BOUNDARY_LABELS[estimate.boundary]) + doubt


FAR_SCALE = 10.0
"""A scaling beyond this factor (either way) is flagged: far outside what was measured."""


def _extrapolation(scale: Range | None) -> list[str]:
    if scale is None or 1 / FAR_SCALE <= scale.mid <= FAR_SCALE:
        return []
    said = report_(
        "scaled ×{factor} from the source's own clip, far outside what it measured: "
        "read it as an order of magnitude"
    )
    return [said.format(factor=report_number(f"{scale.mid:.3g}"))]


def _whose(site: Site, factor: Factor) -> str:
    """Whose factor a step uses: the site's id, and "user-supplied" when the user gave it
    for this run (--pue, --site-file…) rather than a source."""
    return f"{site.id}, user-supplied" if factor.source == USER_SOURCE_ID else site.id


def _factor_text(factor: Factor) -> str:
    cases = sorted(set(factor.values))
    shown = "–".join(report_number(f"{case:.4g}") for case in cases)
    return f"{shown} {factor.unit}".strip() + f" ({factor.id})"


def check_steps(steps: tuple[Step, ...], rel: float = 1e-12) -> None:
    """Recompute every step from its inputs and factor; raise AssertionError on a mismatch.

    Used by the tests; it documents how a JSON export's ``steps`` recompute.
    """
    for position, step in enumerate(steps):
        if step.op == "start":
            continue
        inputs = [steps[i].value for i in step.inputs]
        assert all(i < position for i in step.inputs), f"step {position} uses a later step"
        if step.op == "add":
            expected = inputs[0]
            for extra in inputs[1:]:
                expected = expected + extra
        else:
            assert step.factor is not None and len(inputs) == 1
            expected = inputs[0] * step.factor if step.op == "multiply" else inputs[0] / step.factor
        for got, want in zip(step.value, expected, strict=True):
            assert math.isclose(got, want, rel_tol=rel), f"step {position}: {got} != {want}"
