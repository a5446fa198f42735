"""The answer as one line people can quote (see :mod:`soracost.core.answer`).

The table opens with it; the figures are rounded as the table rounds them, while CSV and
JSON keep them at full precision.
"""

from __future__ import annotations

from collections import Counter

from soracost.core.answer import LEFT_OUT_REASONS as _REASONS
from soracost.core.answer import Answer
from soracost.i18n import N_, _, count_text, localise_number, ngettext
from soracost.views.display import format_number
from soracost.views.text import shown

QUANTITY_NAMES: dict[str, str] = {
    "energy": N_("Energy"),
    "water": N_("Water"),
    "carbon": N_("Carbon"),
}
"""A quantity as a line starts with it (translated where shown)."""


def _clips(count: int) -> str:
    return (
        _("one clip")
        if count == 1
        else ngettext("{n} clip", "{n} clips", count).format(n=count_text(count))
    )


def answer_line(answer: Answer) -> str:
    """``Energy for 1,000 clips: 64,096 Wh (P5–P95 177 – 1,104,999 Wh); per clip …``,
    in the run's language."""
    unit = shown(answer.unit)
    name = _(QUANTITY_NAMES.get(answer.quantity, answer.quantity.capitalize()))
    left_out = _left_out(answer)
    clips = _clips(answer.count)
    if answer.p50 is None or answer.p5 is None or answer.p95 is None:
        why = left_out if left_out else _("no estimate gives a figure")
        return _("{quantity} for {clips}: no answer ({why}).").format(
            quantity=name, clips=clips, why=why
        )
    batch = answer.count
    line = _("{quantity} for {clips}: {mid} {unit} (P5–P95 {p5} – {p95})").format(
        quantity=name,
        clips=clips,
        mid=format_number(answer.p50 * batch),
        unit=unit,
        p5=format_number(answer.p5 * batch),
        p95=format_number(answer.p95 * batch),
    )
    if batch != 1:
        line += _("; per clip {mid} {unit} ({p5} – {p95})").format(
            mid=format_number(answer.p50), unit=unit,
            p5=format_number(answer.p5), p95=format_number(answer.p95),
        )  # fmt: skip
    fed = len(answer.fed)
    assert answer.lowest is not None and answer.highest is not None
    line += ngettext(
        ". Pooled from {n} estimate, spanning {lowest} – {highest} {unit} per clip",
        ". Pooled from {n} estimates, spanning {lowest} – {highest} {unit} per clip",
        fed,
    ).format(
        n=count_text(fed),
        lowest=format_number(answer.lowest),
        highest=format_number(answer.highest),
        unit=unit,
    )
    return line + (_("; {left_out}.").format(left_out=left_out) if left_out else ".")


def _left_out(answer: Answer) -> str:
    """``4 left out: 2 the same measurement counted again, 2 at another boundary``."""
    if not answer.left_out:
        return ""
    counts = Counter(item.reason for item in answer.left_out)
    max_scale = localise_number(f"{answer.max_scale:g}")
    parts = [
        _("{n} {reason}").format(
            n=count_text(counts[reason]), reason=_(text).format(max_scale=max_scale)
        )
        for reason, text in _REASONS.items()
        if counts[reason]
    ]
    return _("{n} left out: {reasons}").format(
        n=count_text(len(answer.left_out)), reasons=_(", ").join(parts)
    )
