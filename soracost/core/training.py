"""A per-clip share of a model's training energy, kept apart from inference.

Sora's training energy has not been published. A user can spread a published figure of
another model (GPT-4's ~50 GWh, labelled as such) or their own figure over the number of
clips the model will make in its life; the share is always reported on its own, never
added to the energy of generating a clip.
"""

from __future__ import annotations

import math

from msgspec import Struct

from soracost.core.errors import UsageProblem
from soracost.core.ranges import Range
from soracost.core.records import Catalog, TrainingRecord
from soracost.core.units import UnitProblem, conversion_factor, parse_amount
from soracost.i18n import N_, _, count_text, report_

SORA_TRAINING_UNKNOWN = N_(
    "Sora's training energy has not been published: a training share uses another "
    "model's figure or yours, and is never added to the energy of generating a clip."
)
"""Said wherever a training share is shown: marked for the catalogue, translated where it
is shown (``report_(SORA_TRAINING_UNKNOWN)``; English in CSV and JSON)."""


class TrainingRequest(Struct, frozen=True):
    """The training energy to share (``energy`` in ``unit``) and over how many clips.

    ``record`` is the catalogue's training record when one was named, else ``None``
    (a figure the user typed).
    """

    energy: Range
    unit: str
    lifetime_clips: int
    record: TrainingRecord | None = None
    text: str = ""

    @property
    def label(self) -> str:
        """What the energy is, in the report's language (English in CSV and JSON):
        ``GPT-4 training (gpt4-training), not Sora's`` or ``training energy you gave
        (1MWh)``."""
        if self.record is None:
            return report_("training energy you gave ({text})").format(text=self.text)
        said = report_("{model} training ({id}), not Sora's")
        return said.format(model=self.record.model, id=self.record.id)


class TrainingShare(Struct, frozen=True):
    """``per_clip`` = training energy ÷ lifetime clips; ``batch`` = per_clip × count; both
    in ``unit`` (the energy display unit)."""

    request: TrainingRequest
    training: Range
    per_clip: Range
    batch: Range
    unit: str


def resolve_training(
    catalog: Catalog, text: str | None, lifetime_clips: int | None, count: int | None = None
) -> TrainingRequest | None:
    """``--training-energy`` (a record id or an energy such as ``50 GWh``) with
    ``--lifetime-clips``; ``None`` when neither is given.

    Raises :class:`UsageProblem` when only one is given or the energy is unreadable.
    """
    if text is None and lifetime_clips is None:
        return None
    if text is None:
        said = _(
            "--lifetime-clips needs --training-energy (an energy such as '50 GWh', or a "
            "training record: {records})"
        )
        raise UsageProblem(said.format(records=_record_ids(catalog)))
    if lifetime_clips is not None and count is not None and count > lifetime_clips:
        said = _(
            "--count {count} is more than --lifetime-clips {lifetime_clips}: a batch "
            "cannot share more than the whole training energy"
        )
        raise UsageProblem(
            said.format(count=count_text(count), lifetime_clips=count_text(lifetime_clips))
        )
    if lifetime_clips is None:
        raise UsageProblem(
            _(
                "--training-energy needs --lifetime-clips N: the number of clips the model "
                "makes in its life, over which its training energy is shared"
            )
        )
    record = catalog.training.get(text.strip().lower())
    if record is not None:
        return TrainingRequest(
            energy=record.values, unit=record.unit, lifetime_clips=lifetime_clips,
            record=record, text=text,
        )  # fmt: skip
    try:
        value, unit = parse_amount(text, "energy")
    except UnitProblem as exc:
        said = _("--training-energy: {reason}; or name a training record: {records}")
        raise UsageProblem(said.format(reason=exc, records=_record_ids(catalog))) from None
    if value <= 0:
        said = _("--training-energy: {text} must be more than zero")
        raise UsageProblem(said.format(text=repr(text)))
    if not math.isfinite(value * conversion_factor(unit, "Wh") * 1e15):
        said = _("--training-energy: {text} is too large to compute with")
        raise UsageProblem(said.format(text=repr(text)))
    return TrainingRequest(
        energy=Range.single(value), unit=unit, lifetime_clips=lifetime_clips, text=text
    )


def _record_ids(catalog: Catalog) -> str:
    return ", ".join(catalog.training) or _("none in this data file")


def training_share(request: TrainingRequest, energy_unit: str, count: int) -> TrainingShare:
    """The per-clip and batch share of ``request``'s training energy, in ``energy_unit``."""
    training = request.energy * conversion_factor(request.unit, energy_unit)
    per_clip = training / float(request.lifetime_clips)
    return TrainingShare(
        request=request,
        training=training,
        per_clip=per_clip,
        batch=per_clip * float(count),
        unit=energy_unit,
    )
