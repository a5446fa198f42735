"""The comparison as a chart for an article or a slide: one line per estimate, low to high
on a log axis, mid marked; colour by method, marker by boundary; the pooled band when
asked. Returns the image's bytes; only the CLI writes them.

matplotlib is the optional extra ``soracost[plot]``, imported only here, only for --plot.
"""

from __future__ import annotations

import datetime
import io
import math
import warnings
from pathlib import PurePath
from typing import Any

from soracost.core.errors import SoracostError
from soracost.core.records import BOUNDARY_LABELS
from soracost.core.reports import CompareReport
from soracost.views.text import shown

INSTALL_HINT = "pip install 'soracost[plot]'"

METHOD_COLOURS = {
    "measured": "#1b6ca8",
    "modelled": "#e07b00",
    "disclosed": "#2a9d3a",
    "back-of-envelope": "#b8322f",
}
"""Colour-blind-distinguishable colours, one per method."""

BOUNDARY_MARKERS = {"gpu": "o", "gpu+cpu+ram": "s", "server": "D", "facility": "^", "unknown": "X"}


class MissingPlotExtra(SoracostError):
    """matplotlib is not installed (exit code 1); the message says how to get it."""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingPlotExtra(
            f"--plot needs matplotlib, which is not installed: {INSTALL_HINT}"
        ) from None
    matplotlib.use("Agg")  # no screen needed
    matplotlib.rcParams["svg.hashsalt"] = "soracost"  # the same chart, the same SVG bytes
    # Labels hold text from data files and options (see _label); the log axis's own tick
    # labels are mathtext, so mathtext stays on, and LaTeX (a matplotlibrc's) stays off.
    matplotlib.rcParams["text.parse_math"] = True
    matplotlib.rcParams["text.usetex"] = False
    import matplotlib.pyplot as plt

    return plt


_FAR = 1e200
"""Beyond 1e±200, matplotlib's own log ticks may step past what a float holds."""


def _keep_ticks_finite(axes: Any) -> None:
    """An x axis that reaches near a float's limits (figures of 1e290 Wh, or 1e-300) gets
    decade ticks of soracost's, every one a number: matplotlib's own padding and tick
    steps there become infinite. Ordinary axes are left to matplotlib."""
    left, right = axes.get_xlim()
    if left >= _FAR**-1 and right <= _FAR:
        return
    from matplotlib.ticker import FixedLocator, NullLocator

    left, right = max(left, 1e-300), min(right, 1e300)
    axes.set_xlim(left, right)
    first, last = math.floor(math.log10(left)), math.ceil(math.log10(right))
    step = max(1, (last - first) // 8)
    axes.xaxis.set_major_locator(FixedLocator([10.0**e for e in range(first, last + 1, step)]))
    axes.xaxis.set_minor_locator(NullLocator())


def _label(text: str) -> str:
    """Text from outside for the chart: shown (see :func:`soracost.views.text.shown`),
    and every '$' escaped, so that matplotlib draws it as a dollar sign rather than
    reading what follows as mathtext."""
    return shown(text).replace("$", r"\$")


def draw_comparison(report: CompareReport, image_format: str) -> bytes:
    """The chart of ``compare``'s rows as PNG, SVG or PDF bytes (``image_format``).

    matplotlib's and NumPy's warnings (an axis spanning 600 orders of magnitude overflows
    in a tick computation) are not soracost's messages: none reaches stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _draw(report, image_format)


def _draw(report: CompareReport, image_format: str) -> bytes:
    plt = _pyplot()
    catalog, rows, pool, quantity = report.catalog, report.rows, report.pool, report.quantity
    unit = _label(report.scenario.units.of(quantity))
    height = 2.4 + 0.42 * max(1, len(rows)) + (0.4 if pool else 0)
    figure, axes = plt.subplots(figsize=(10, height), dpi=120)
    labels = []
    for position, row in enumerate(rows):
        low, mid, high = row.per_clip
        colour = METHOD_COLOURS[row.estimate.method]
        marker = BOUNDARY_MARKERS[row.derivation.boundary]
        axes.hlines(position, max(low, 1e-12), max(high, 1e-12), colors=colour, linewidth=2.4)
        axes.plot([max(mid, 1e-12)], [position], marker=marker, color=colour, markersize=7,
                  markeredgecolor="black", markeredgewidth=0.6, linestyle="none")  # fmt: skip
        source = row.source
        model = _label(row.estimate.applies_to.model[:28])
        labels.append(
            f"{_label(source.publisher[:38])}, {_label(source.date or 'undated')} — {model}"
        )
    if pool is not None:
        axes.axvspan(pool.percentiles.p5, pool.percentiles.p95, color="#7f7f7f", alpha=0.18,
                     label=f"pooled P5–P95 ({_label(pool.description)})")  # fmt: skip
        axes.axvline(pool.percentiles.p50, color="#4d4d4d", linestyle="--", linewidth=1,
                     label="pooled P50")  # fmt: skip
    axes.set_yticks(range(len(rows)), labels, fontsize=7.5)
    axes.invert_yaxis()
    axes.set_xscale("log")
    _keep_ticks_finite(axes)
    axes.set_xlabel(f"{quantity} per clip ({unit}), log scale; line: low–high, marker: mid")
    axes.grid(axis="x", which="both", alpha=0.25)
    for method, colour in METHOD_COLOURS.items():
        if any(row.estimate.method == method for row in rows):
            axes.plot([], [], color=colour, linewidth=2.4, label=f"method: {method}")
    for boundary, marker in BOUNDARY_MARKERS.items():
        if any(row.derivation.boundary == boundary for row in rows):
            axes.plot([], [], marker=marker, color="white", markeredgecolor="black",
                      linestyle="none", label=f"boundary: {BOUNDARY_LABELS[boundary]}")  # type: ignore[index]  # fmt: skip
    # Below the axes, so that it never hides a row.
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2,
                frameon=False)  # fmt: skip
    axes.set_title(
        f"{quantity.capitalize()} per AI video clip, every source side by side\n"
        + _label(report.description),
        fontsize=10,
    )
    today = datetime.date.today().isoformat()
    figure.text(
        0.01, 0.005,
        f"soracost · data: {_label(PurePath(catalog.path).name)} sha256 {catalog.sha256} · {today}",
        fontsize=6, color="#555555",
    )  # fmt: skip
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Date": None} if image_format == "svg" else {}
    if image_format == "pdf":
        metadata = {"CreationDate": None, "ModDate": None}
    figure.savefig(buffer, format=image_format, metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()
