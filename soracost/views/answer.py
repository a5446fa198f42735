"""The answer as one line people can quote (see :mod:`soracost.core.answer`).

The table opens with it; the figures are rounded as the table rounds them, while CSV and
JSON keep them at full precision.
"""

from __future__ import annotations

from collections import Counter

from soracost.core.answer import Answer, LeftOutReason
from soracost.views.display import format_number
from soracost.views.text import shown

_REASONS: dict[LeftOutReason, str] = {
    "far-scaled": "scaled more than ×{max_scale:g} from their source's clip",
    "other-boundary": "at another boundary",
    "same-measurement": "the same measurement counted again",
}
"""Why estimates were left out, as the line says it (plural: they are counted)."""


def _clips(count: int) -> str:
    return "one clip" if count == 1 else f"{count:,} clips"


def answer_line(answer: Answer) -> str:
    """``Energy for 1,000 clips: 64,096 Wh (P5–P95 177 – 1,104,999 Wh); per clip …``."""
    unit = shown(answer.unit)
    name = answer.quantity.capitalize()
    left_out = _left_out(answer)
    if answer.p50 is None or answer.p5 is None or answer.p95 is None:
        why = left_out if left_out else "no estimate gives a figure"
        return f"{name} for {_clips(answer.count)}: no answer ({why})."
    batch = answer.count
    line = (
        f"{name} for {_clips(batch)}: {format_number(answer.p50 * batch)} {unit} "
        f"(P5–P95 {format_number(answer.p5 * batch)} – {format_number(answer.p95 * batch)})"
    )
    if batch != 1:
        line += (
            f"; per clip {format_number(answer.p50)} {unit} "
            f"({format_number(answer.p5)} – {format_number(answer.p95)})"
        )
    fed = len(answer.fed)
    assert answer.lowest is not None and answer.highest is not None
    line += (
        f". Pooled from {fed} estimate{'s' if fed != 1 else ''}, "
        f"spanning {format_number(answer.lowest)} – {format_number(answer.highest)} {unit} "
        "per clip"
    )
    return line + (f"; {left_out}." if left_out else ".")


def _left_out(answer: Answer) -> str:
    """``4 left out: 2 the same measurement counted again, 2 at another boundary``."""
    if not answer.left_out:
        return ""
    counts = Counter(item.reason for item in answer.left_out)
    parts = [
        f"{counts[reason]} {text.format(max_scale=answer.max_scale)}"
        for reason, text in _REASONS.items()
        if counts[reason]
    ]
    return f"{len(answer.left_out)} left out: {', '.join(parts)}"
