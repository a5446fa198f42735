"""The comparison as a chart for an article or a slide: one line per estimate, low to high
on a log axis, mid marked; colour by method, marker by boundary; the pooled band when
asked. Returns the image's bytes; only the CLI writes them.

matplotlib is the optional extra ``soracost[plot]``, imported only here, only for --plot.
"""

from __future__ import annotations

import datetime
import io
from pathlib import PurePath
from typing import Any

from soracost.core.errors import SoracostError
from soracost.core.records import BOUNDARY_LABELS
from soracost.core.reports import CompareReport

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
    import matplotlib.pyplot as plt

    return plt


def draw_comparison(report: CompareReport, image_format: str) -> bytes:
    """The chart of ``compare``'s rows as PNG, SVG or PDF bytes (``image_format``)."""
    plt = _pyplot()
    catalog, rows, pool, quantity = report.catalog, report.rows, report.pool, report.quantity
    unit = report.scenario.units.of(quantity)
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
        model = row.estimate.applies_to.model[:28]
        labels.append(f"{source.publisher[:38]}, {source.date or 'undated'} — {model}")
    if pool is not None:
        axes.axvspan(pool.percentiles.p5, pool.percentiles.p95, color="#7f7f7f", alpha=0.18,
                     label=f"pooled P5–P95 ({pool.description})")  # fmt: skip
        axes.axvline(pool.percentiles.p50, color="#4d4d4d", linestyle="--", linewidth=1,
                     label="pooled P50")  # fmt: skip
    axes.set_yticks(range(len(rows)), labels, fontsize=7.5)
    axes.invert_yaxis()
    axes.set_xscale("log")
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
        + report.description,
        fontsize=10,
    )
    today = datetime.date.today().isoformat()
    figure.text(
        0.01, 0.005,
        f"soracost · data: {PurePath(catalog.path).name} sha256 {catalog.sha256} · {today}",
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
