"""The comparison as a chart for an article or a slide: one line per estimate, low to high
on a log axis, its mid marked and printed; the answer's band; rows standing in for Sora
and rows modelling Sora itself marked. Returns the image's bytes; only the CLI writes them.

What a reader must be able to quote from the chart alone:

- **the answer** (see :mod:`soracost.core.answer`): its P5–P95 as a grey band, its P50 as
  a dashed line, with their figures in the legend and the P50 printed at the line; rows
  left out of it are drawn faded (the legend says why rows are left out);
- **each row**: its model and source (publisher, date) as the label, wrapped at spaces and
  never cut inside a word (a label too long for :data:`LABEL_LINES` lines ends with ' …'
  after a whole word); its low–high as a line with caps, so that a narrow range still
  shows; its mid as a marker, and printed in a column on the right;
- **what varies**: colour by method, or by boundary when every row has one method; the
  marker by boundary when colour is the method and the boundaries differ;
- **Sora**: rows of another model standing in for Sora on a pale amber band, marked ≈;
  rows modelling Sora itself (EcoLogits) on a pale violet band, marked ◆; both in the
  legend;
- the clip, boundary and site the figures are for (the title), the data file's sha256
  and the date (the footer).

Every word of soracost's own is in the run's language (``--lang fr``: French words,
numbers with French separators, the date in words); text from the data (a model, a
publisher) is drawn as written.

matplotlib is the optional extra ``soracost[plot]``, imported only here, only for --plot.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import textwrap
import warnings
from pathlib import PurePath
from typing import Any

from soracost.core.answer import Answer
from soracost.core.errors import SoracostError
from soracost.core.records import BOUNDARY_LABELS
from soracost.core.reports import CompareReport
from soracost.core.results import ResultRow
from soracost.i18n import _, count_text, format_date, localise_number, ngettext
from soracost.views.display import format_number
from soracost.views.text import shown

INSTALL_HINT = "pip install 'soracost[plot]'"

METHOD_COLOURS = {
    "measured": "#1b6ca8",
    "modelled": "#e07b00",
    "disclosed": "#2a9d3a",
    "back-of-envelope": "#b8322f",
}
"""Colour-blind-distinguishable colours, one per method."""

BOUNDARY_COLOURS = {
    "gpu": "#1b6ca8",
    "gpu+cpu+ram": "#2a9d3a",
    "server": "#7b3294",
    "facility": "#404040",
    "unknown": "#b8322f",
}
"""Colours by boundary, when every row has one method."""

BOUNDARY_MARKERS = {"gpu": "o", "gpu+cpu+ram": "s", "server": "D", "facility": "^", "unknown": "X"}

PROXY_MARK = "≈"
"""Before the label of a model standing in for Sora (as in the tables)."""

SORA_MARK = "◆"
"""Before the label of a row modelling Sora itself (EcoLogits' Sora 2 Pro)."""

PROXY_BAND = "#fbe3b0"
SORA_BAND = "#e4d7f5"

LABEL_WIDTH = 34
"""Characters per label line (at the labels' 7.5 pt, about 2.2 inches)."""

LABEL_LINES = 2
"""Lines for each part of a label (the model; the publisher and date) before ' …'."""

LEGEND_WIDTH = 64
"""Characters per line of a legend entry (two columns fill the figure's width)."""

FADED = 0.35
"""The opacity of a row left out of the answer."""


class MissingPlotExtra(SoracostError):
    """matplotlib is not installed (exit code 1); the message says how to get it."""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        said = _("--plot needs matplotlib, which is not installed: {hint}")
        raise MissingPlotExtra(said.format(hint=INSTALL_HINT)) from None
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


def wrap_label(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken only at spaces: a word
    (a model name, a date, a URL) is never split, even one longer than ``width``, which
    then has a line of its own. Beyond ``lines`` lines, the last kept line ends with
    ' …' after a whole word. A no-break space (a French number's U+202F, ``1 000``; a
    number and its unit joined by U+00A0) is part of its word, as in prose."""
    words = (word for word in _BREAKABLE.split(text) if word)
    wrapped = textwrap.wrap(" ".join(words), width, break_long_words=False, break_on_hyphens=False)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1].split(" ")
    while len(last) > 1 and len(" ".join(last)) + 2 > width:
        last.pop()  # make room for the ellipsis, a whole word at a time
    kept[-1] = " ".join(last) + " …"
    return kept


_BREAKABLE = re.compile(r"[ \t\n\r\x0b\x0c]+")
"""Where :func:`wrap_label` may break a line: ASCII whitespace, which is also all that
:mod:`textwrap` breaks at (``str.split()`` would break at no-break spaces too)."""


def row_label(row: ResultRow) -> str:
    """A row's label: its model (after ≈ if it stands in for Sora, ◆ if it models Sora
    itself), then its publisher and date, each wrapped by :func:`wrap_label`."""
    applies = row.estimate.applies_to
    mark = f"{PROXY_MARK} " if applies.sora_proxy else ""
    if applies.models_sora:
        mark = f"{SORA_MARK} "
    source = row.source
    lines = wrap_label(mark + shown(applies.model))
    date = format_date(source.date) if source.date else _("undated")
    lines += wrap_label(f"{shown(source.publisher)}, {shown(date)}")
    return "\n".join(_label(line) for line in lines)


def draw_comparison(report: CompareReport, image_format: str) -> bytes:
    """The chart of ``compare``'s rows as PNG, SVG or PDF bytes (``image_format``).

    matplotlib's and NumPy's warnings (an axis spanning 600 orders of magnitude overflows
    in a tick computation) are not soracost's messages: none reaches stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plt = _pyplot()
        figure = comparison_figure(report)
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if image_format == "svg" else {}
        if image_format == "pdf":
            metadata = {"CreationDate": None, "ModDate": None}
        try:
            figure.savefig(buffer, format=image_format, metadata=metadata)
        finally:
            plt.close(figure)
        return buffer.getvalue()


def _encodings(rows: list[ResultRow]) -> tuple[str, bool]:
    """What colour shows (``method``, or ``boundary`` when every row has one method), and
    whether the marker shows the boundary (when colour is the method and they differ)."""
    methods = {row.estimate.method for row in rows}
    boundaries = {row.derivation.boundary for row in rows}
    if len(methods) == 1 and len(boundaries) > 1:
        return "boundary", False
    return "method", len(boundaries) > 1


def comparison_figure(report: CompareReport) -> Any:
    """The chart as a matplotlib Figure (the caller closes it: ``pyplot.close``)."""
    plt = _pyplot()
    from matplotlib.patches import Patch

    rows, pool, quantity = report.rows, report.pool, report.quantity
    unit = _label(report.scenario.units.of(quantity))
    answer = report.answers.get(quantity)
    fed = set(answer.fed) if answer is not None else set()
    labels = [row_label(row) for row in rows]
    depth = max((label.count("\n") + 1 for label in labels), default=1)
    height = 2.9 + max(1, len(rows)) * (0.16 + 0.13 * depth)
    figure, axes = plt.subplots(figsize=(11, height), dpi=120)
    colour_by, marker_by_boundary = _encodings(rows)
    for position, row in enumerate(rows):
        applies = row.estimate.applies_to
        if applies.sora_proxy or applies.models_sora:
            axes.axhspan(position - 0.5, position + 0.5, zorder=0, linewidth=0,
                         color=PROXY_BAND if applies.sora_proxy else SORA_BAND)  # fmt: skip
        low, mid, high = (max(value, 1e-12) for value in row.per_clip)
        colour = (METHOD_COLOURS[row.estimate.method] if colour_by == "method"
                  else BOUNDARY_COLOURS[row.derivation.boundary])  # fmt: skip
        marker = BOUNDARY_MARKERS[row.derivation.boundary] if marker_by_boundary else "o"
        alpha = 1.0 if answer is None or row.estimate.id in fed else FADED
        # Caps at low and high: a range narrower than the marker still shows its ends.
        axes.plot([low, high], [position, position], color=colour, linewidth=2.4, alpha=alpha,
                  marker="|", markersize=9, markeredgewidth=1.6, zorder=2)  # fmt: skip
        axes.plot([mid], [position], marker=marker, color=colour, markersize=7, alpha=alpha,
                  markeredgecolor="black", markeredgewidth=0.6, linestyle="none",
                  zorder=3)  # fmt: skip
    handles: list[Any] = []
    if answer is not None:
        handles += _answer_band(axes, answer, unit, len(rows))
    if pool is not None:
        p5, p50, p95 = pool.percentiles.p5, pool.percentiles.p50, pool.percentiles.p95
        for value in (p5, p95):
            axes.axvline(value, color="#1f4e79", linestyle=":", linewidth=1.2, zorder=1)
        pooled = ngettext(
            "pooled P50 {p50}, P5–P95 (dotted) {p5} – {p95} {unit}: Monte Carlo pool of the "
            "{n} row ({description})",
            "pooled P50 {p50}, P5–P95 (dotted) {p5} – {p95} {unit}: Monte Carlo pool of all "
            "{n} rows ({description})",
            len(rows),
        ).format(
            p50=format_number(p50),
            p5=format_number(p5),
            p95=format_number(p95),
            unit=unit,
            n=count_text(len(rows)),
            description=_label(pool.description),
        )
        handles.append(
            axes.axvline(p50, color="#1f4e79", linestyle="-.", linewidth=1.2, zorder=1,
                         label=pooled)
        )  # fmt: skip
    axes.set_yticks(range(len(rows)), labels, fontsize=7.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top
    axes.set_xscale("log")
    _keep_ticks_finite(axes)
    _print_mids(axes, rows, unit)
    axes.set_xlabel(
        _("{quantity} per clip ({unit}), log scale; line: low–high, marker: mid").format(
            quantity=_(quantity), unit=unit
        )
    )
    axes.grid(axis="x", which="both", alpha=0.25)
    handles += _encoding_handles(axes, rows, colour_by, marker_by_boundary)
    if any(row.estimate.applies_to.sora_proxy for row in rows):
        said = _("{mark} another model standing in for Sora (Sora itself was never measured)")
        handles.append(Patch(color=PROXY_BAND, label=said.format(mark=PROXY_MARK)))
    if any(row.estimate.applies_to.models_sora for row in rows):
        said = _("{mark} a model of Sora itself (computed, not measured)")
        handles.append(Patch(color=SORA_BAND, label=said.format(mark=SORA_MARK)))
    # Below the axes, so that it never hides a row: its top about 0.45 inch under them
    # (under the axis label), however tall the axes.
    below = 0.45 / max(1.0, height - 2.6)
    for handle in handles:  # two columns of at most 64 characters: within the figure
        handle.set_label("\n".join(wrap_label(handle.get_label(), LEGEND_WIDTH, 3)))
    axes.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -below),
                ncol=2, frameon=False)  # fmt: skip
    title = _("{quantity} per AI video clip, every source side by side").format(
        quantity=_(quantity).capitalize()
    )
    description = "\n".join(wrap_label(_label(report.description), 110, 3))
    axes.set_title(f"{title}\n{description}", fontsize=10)
    today = format_date(datetime.date.today().isoformat())
    catalog = report.catalog
    footer = _("soracost · data: {file} sha256 {sha256} · {date}").format(
        file=_label(PurePath(catalog.path).name), sha256=catalog.sha256, date=today
    )
    figure.text(0.01, 0.005, footer, fontsize=6, color="#555555")
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    return figure


def _answer_band(axes: Any, answer: Answer, unit: str, rows: int) -> list[Any]:
    """The answer's P5–P95 band and P50 line, its P50 printed at the top of the line, and
    a legend entry for rows left out of it; the legend's handles."""
    if answer.p5 is None or answer.p50 is None or answer.p95 is None:
        return []
    fed, left_out = len(answer.fed), len(answer.left_out)
    count = answer.count
    batch = ""
    if count > 1:
        batch = ngettext(
            "; for {n} clip {amount} {unit}", "; for {n} clips {amount} {unit}", count
        ).format(n=count_text(count), amount=format_number(answer.p50 * count), unit=unit)
    total = fed + left_out
    said = ngettext(
        "the answer, P5–P95: {p5} – {p95} {unit} (pooled from {fed} of {total} row{batch})",
        "the answer, P5–P95: {p5} – {p95} {unit} (pooled from {fed} of {total} rows{batch})",
        total,
    )
    band = axes.axvspan(
        answer.p5, answer.p95, color="#7f7f7f", alpha=0.18, linewidth=0, zorder=0,
        label=said.format(p5=format_number(answer.p5), p95=format_number(answer.p95), unit=unit,
                          fed=count_text(fed), total=count_text(total), batch=batch),
    )  # fmt: skip
    said = _("the answer, P50: {p50} {unit}").format(p50=format_number(answer.p50), unit=unit)
    line = axes.axvline(answer.p50, color="#333333", linestyle="--", linewidth=1.2, zorder=1,
                        label=said)  # fmt: skip
    axes.annotate(
        f"P50 {format_number(answer.p50)} {unit}", xy=(answer.p50, -0.5),
        xytext=(3, -2), textcoords="offset points", fontsize=7, va="top", color="#333333",
    )  # fmt: skip
    handles = [band, line]
    if left_out and rows:
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                color="#7f7f7f",
                alpha=FADED,
                linewidth=2.4,
                label=_(
                    "faded: left out of the answer (scaled more than ×{scale}, another "
                    "boundary, or counted twice)"
                ).format(scale=localise_number(f"{answer.max_scale:g}")),
            )
        )
    return handles


def _print_mids(axes: Any, rows: list[ResultRow], unit: str) -> None:
    """Each row's mid, printed in a column on the right of the axes."""
    right = axes.secondary_yaxis("right", functions=(lambda y: y, lambda y: y))
    right.set_yticks(range(len(rows)), [format_number(row.per_clip.mid) for row in rows],
                     fontsize=7.5)  # fmt: skip
    right.tick_params(length=0)
    right.set_ylabel(_("mid ({unit})").format(unit=unit), fontsize=8)


def _encoding_handles(
    axes: Any, rows: list[ResultRow], colour_by: str, marker_by_boundary: bool
) -> list[Any]:
    """Legend entries for the colours and markers the rows use."""
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    if colour_by == "method":
        for method, colour in METHOD_COLOURS.items():
            if any(row.estimate.method == method for row in rows):
                label = _("method: {method}").format(method=_(method))
                handles.append(Line2D([], [], color=colour, linewidth=2.4, marker="|",
                                      label=label))  # fmt: skip
    else:
        for boundary, colour in BOUNDARY_COLOURS.items():
            if any(row.derivation.boundary == boundary for row in rows):
                label = _("boundary: {boundary}").format(
                    boundary=_(BOUNDARY_LABELS[boundary])  # type: ignore[index]
                )
                handles.append(Line2D([], [], color=colour, linewidth=2.4, marker="|",
                                      label=label))  # fmt: skip
    if marker_by_boundary:
        for boundary, marker in BOUNDARY_MARKERS.items():
            if any(row.derivation.boundary == boundary for row in rows):
                label = _("boundary: {boundary}").format(
                    boundary=_(BOUNDARY_LABELS[boundary])  # type: ignore[index]
                )
                handles.append(Line2D([], [], marker=marker, color="white",
                                      markeredgecolor="black", linestyle="none",
                                      label=label))  # fmt: skip
    return handles
