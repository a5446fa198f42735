"""Embodied carbon: a per-clip share of the emissions of making the hardware, kept apart.

The servers and accelerators that generate clips were manufactured, and that emitted
greenhouse gases before any clip was made. ``--embodied`` spreads those emissions over
the hardware's life, EcoLogits' way (its video methodology: a request's share is its
generation time over the hardware's lifetime, times the embodied emissions of the server
and its accelerators), with one change: a published figure gives a clip's energy, not its
generation time, so the time is recovered from the energy and the server's power:

    hours per clip = whole-server energy per clip ÷ server power
    share of life  = hours per clip ÷ lifetime (hours)
    embodied       = share × (base server + accelerators × their count), in CO2e

Every number but the clip's energy is a sourced record of the catalogue's ``embodied``
section, one hardware configuration. The assumptions, said wherever the figures are
shown (:data:`EMBODIED_NOTE`): the hardware draws its mean power while it generates, and
it generates for its whole life (no idle time; at a utilisation u the share is 1/u times
larger, and no source for u was found); the clip's hardware is the configuration named,
whatever the source measured on. Shares are bounds (low × low … high × high), also under
``--method montecarlo``. They are reported on their own, never added to the energy,
water or (usage) carbon of a clip.

Pure computation, no I/O; the steps recompute with :func:`soracost.core.footprint.check_steps`.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from msgspec.structs import replace

from soracost.core.errors import UsageProblem
from soracost.core.footprint import NO_ENERGY, Derivation, FootprintCalculator, Step
from soracost.core.ranges import Range
from soracost.core.records import Catalog, EmbodiedFactor, Estimate
from soracost.core.results import Scenario, resolve_site
from soracost.core.units import conversion_factor
from soracost.i18n import N_, _

EMBODIED_NOTE = N_(
    "the manufacture of the servers and accelerators, shared per clip by the hours the "
    "clip holds the server (its whole-server energy ÷ the server's power) over the "
    "hardware's lifetime. It assumes the hardware draws that power while generating and "
    "generates for its whole life (less use, a larger share). Shown apart: never added to "
    "energy, water or usage carbon."
)
"""Said wherever embodied figures are shown: what they count, and how they are shared."""

_AT_PUBLISHED = "shown at its published boundary, not the server one: "
"""How a derivation says it could not reach whole-server energy (see core.footprint)."""


class Hardware(Struct, frozen=True):
    """The hardware configuration whose manufacture is shared: its four sourced records."""

    server: EmbodiedFactor
    accelerator: EmbodiedFactor
    lifetime: EmbodiedFactor
    power: EmbodiedFactor

    @property
    def name(self) -> str:
        """The configuration, as the data names it (``NVIDIA DGX H200 (8 × H200)``)."""
        return self.server.hardware

    @property
    def records(self) -> tuple[EmbodiedFactor, ...]:
        """The four records, in the order the derivation uses them."""
        return (self.power, self.lifetime, self.server, self.accelerator)

    def total(self, unit: str) -> Range:
        """The base server's and all its accelerators' manufacturing emissions, in ``unit``."""
        server = self.server.values * conversion_factor(self.server.unit, unit)
        each = self.accelerator.values * conversion_factor(self.accelerator.unit, unit)
        return server + each * float(self.accelerator.count)

    def lifetime_hours(self) -> Range:
        """The lifetime in hours."""
        return self.lifetime.values * conversion_factor(self.lifetime.unit, "h")


def hardware_of(catalog: Catalog) -> Hardware:
    """The catalogue's embodied hardware (validation guarantees one of each kind).

    Raises :class:`UsageProblem` when the data file has no ``embodied`` section.
    """
    by_kind = {record.kind: record for record in catalog.embodied.values()}
    if not by_kind:
        raise UsageProblem(
            _(
                "--embodied: the data file has no 'embodied' section (the hardware whose "
                "manufacture is shared per clip)"
            )
        )
    return Hardware(
        server=by_kind["server"],
        accelerator=by_kind["accelerator"],
        lifetime=by_kind["lifetime"],
        power=by_kind["power"],
    )


class EmbodiedShares(Struct, frozen=True):
    """Each estimate's embodied share per clip and per batch of ``count`` clips, in
    ``unit`` (the carbon unit): ``derivations`` by estimate id, every step from the
    published claim; ``missing`` by estimate id, why there is none."""

    hardware: Hardware
    unit: str
    count: int
    derivations: dict[str, Derivation]
    missing: dict[str, str]

    def of(self, estimate_id: str) -> Derivation | None:
        """The estimate's derivation, or ``None`` (see ``missing`` for why)."""
        return self.derivations.get(estimate_id)


def embodied_shares(
    catalog: Catalog, scenario: Scenario, estimates: Sequence[Estimate]
) -> EmbodiedShares:
    """The embodied share of each of ``estimates`` (each once, in order) for the scenario's
    clip, site (a facility figure goes back to server energy with its PUE) and batch.

    Raises :class:`UsageProblem` when the data file has no embodied records.
    """
    hardware = hardware_of(catalog)
    calculator = FootprintCalculator(
        catalog,
        energy_unit=scenario.units.energy,
        water_unit=scenario.units.water,
        carbon_unit=scenario.units.carbon,
        count=scenario.count,
        request=scenario.request,
        boundary="server",
        site=resolve_site(catalog, scenario.site),
    )
    steps = _Steps(hardware, scenario.units.energy, scenario.units.carbon, scenario.count)
    derivations: dict[str, Derivation] = {}
    missing: dict[str, str] = {}
    for estimate in estimates:
        if estimate.id in derivations or estimate.id in missing:
            continue
        found = steps.derive(calculator, estimate)
        if isinstance(found, str):
            missing[estimate.id] = found
        else:
            derivations[estimate.id] = found
    return EmbodiedShares(hardware, scenario.units.carbon, scenario.count, derivations, missing)


def _cases(values: Range, unit: str, record_id: str) -> str:
    """``4,992.03–6,646.63–8,487.31 W (dgx-h200-power)``: a record's cases as its factor
    text (one figure when the cases are one)."""
    shown = "–".join(f"{case:,.6g}" for case in sorted(set(values)))
    return f"{shown} {unit} ({record_id})"


class _Steps(Struct, frozen=True):
    """The steps from whole-server energy to the embodied share, for one scenario."""

    hardware: Hardware
    energy_unit: str
    carbon_unit: str
    count: int

    def derive(self, calculator: FootprintCalculator, estimate: Estimate) -> Derivation | str:
        """The estimate's embodied share, or why it has none (a one-line reason)."""
        if estimate.quantity != "energy":
            return f"no embodied share: {NO_ENERGY}"
        energy = calculator.energy(estimate)
        if energy.boundary != "server":
            notes = energy.notes
            fallbacks = [note for note in notes if note.startswith(_AT_PUBLISHED)]
            why = fallbacks[0][len(_AT_PUBLISHED) :] if fallbacks else "no whole-server energy"
            return f"no embodied share: {why}"
        # The energy steps up to whole-server energy per clip (its batch step left out):
        # that energy is where the share starts, not a figure of this derivation.
        steps = list(energy.steps[:-1])
        last = steps[-1]
        steps[-1] = replace(last, roles=tuple(role for role in last.roles if role != "per_clip"))
        server = len(steps) - 1
        hardware, power, lifetime = self.hardware, self.hardware.power, self.hardware.lifetime
        # Power in the energy unit per hour, so that energy ÷ power is in hours.
        per_hour = power.values * (
            conversion_factor(power.unit, "W") * conversion_factor("Wh", self.energy_unit)
        )
        steps.append(self._step(
            steps, server, "divide", per_hour, "h",
            label=f"hours holding the server: whole-server energy ÷ server power ({hardware.name})",
            factor_text=_cases(power.values, power.unit, power.id),
            record=power, factor_unit=f"{self.energy_unit}/h",
        ))  # fmt: skip
        hours = len(steps) - 1
        steps.append(self._step(
            steps, hours, "divide", hardware.lifetime_hours(), "",
            label="share of the hardware's life: hours ÷ lifetime",
            factor_text=f"{hardware.lifetime_hours().mid:,.6g} h = "
            + _cases(lifetime.values, lifetime.unit, lifetime.id),
            record=lifetime, factor_unit="h",
        ))  # fmt: skip
        share = len(steps) - 1
        server_record, accelerator = hardware.server, hardware.accelerator
        base = server_record.values * conversion_factor(server_record.unit, self.carbon_unit)
        steps.append(self._step(
            steps, share, "multiply", base, self.carbon_unit,
            label="embodied: share × the base server's manufacture",
            factor_text=_cases(server_record.values, server_record.unit, server_record.id),
            record=server_record, factor_unit=self.carbon_unit,
        ))  # fmt: skip
        on_server = len(steps) - 1
        each = accelerator.values * conversion_factor(accelerator.unit, self.carbon_unit)
        steps.append(self._step(
            steps, share, "multiply", each * float(accelerator.count), self.carbon_unit,
            label=f"embodied: share × {accelerator.count} accelerators' manufacture",
            factor_text=f"{accelerator.count} × "
            + _cases(accelerator.values, accelerator.unit, accelerator.id),
            record=accelerator, factor_unit=self.carbon_unit,
        ))  # fmt: skip
        on_accelerators = len(steps) - 1
        total = steps[on_server].value + steps[on_accelerators].value
        steps.append(
            Step(
                kind="embodied",
                label="embodied per clip: server + accelerators",
                op="add",
                inputs=(on_server, on_accelerators),
                value=total,
                unit=self.carbon_unit,
                roles=("per_clip",),
            )
        )
        per_clip = len(steps) - 1
        batch = total * float(self.count)
        steps.append(
            Step(
                kind="batch",
                label=f"batch of {self.count:,} clip{'s' if self.count != 1 else ''}",
                op="multiply",
                inputs=(per_clip,),
                value=batch,
                unit=self.carbon_unit,
                factor=Range.single(float(self.count)),
                factor_text=f"× {self.count:,}",
                roles=("batch",),
            )
        )
        return Derivation(
            steps=tuple(steps),
            unit=self.carbon_unit,
            scale_factor=energy.scale_factor,
            not_scaled=energy.not_scaled,
            boundary="server",
            notes=energy.notes,
        )

    @staticmethod
    def _step(
        steps: list[Step],
        index: int,
        op: str,
        factor: Range,
        unit: str,
        *,
        label: str,
        factor_text: str,
        record: EmbodiedFactor,
        factor_unit: str,
    ) -> Step:
        """Step ``index``'s value multiplied or divided by ``factor`` (one record's)."""
        given = steps[index].value
        value = given * factor if op == "multiply" else given / factor
        return Step(
            kind="embodied",
            label=label,
            op="multiply" if op == "multiply" else "divide",
            inputs=(index,),
            value=value,
            unit=unit,
            factor=factor,
            factor_text=factor_text,
            factor_id=record.id,
            source_id=record.source,
            factor_unit=factor_unit,
        )
