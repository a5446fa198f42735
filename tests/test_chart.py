"""The comparison chart (``compare --plot``): labels wrapped at spaces and never cut inside
a word, the answer's band and P50 drawn, each row's mid printed, rows standing in for Sora
and rows modelling Sora marked, '$' in data never read as mathtext.

The figure is inspected through matplotlib's own artists (its Text objects, lines and
patches), built from reports made by the core, as the CLI makes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from soracost.core.footprint import ClipRequest
from soracost.core.reports import CompareReport, compare_report
from soracost.core.results import Scenario
from soracost.data.catalog import default_sources_path, load_catalog
from soracost.views import chart
from soracost.views.display import format_number

from .conftest import MINI

MARKS = {chart.PROXY_MARK, chart.SORA_MARK, "…"}


def shipped_report(**request: Any) -> CompareReport:
    catalog = load_catalog(default_sources_path())
    scenario = Scenario(quantities=("energy",), request=ClipRequest(**request))
    return compare_report(catalog, scenario, "energy")


def figure_of(report: CompareReport) -> Iterator[Any]:
    import matplotlib.pyplot as plt

    figure = chart.comparison_figure(report)
    try:
        yield figure
    finally:
        plt.close(figure)


@pytest.fixture(scope="module")
def shipped() -> Iterator[tuple[CompareReport, Any]]:
    report = shipped_report()
    for figure in figure_of(report):
        yield report, figure


def row_labels(figure: Any) -> list[str]:
    """The rows' labels as drawn: the left axis's tick labels, '\\$' read back as '$'."""
    axes = figure.axes[0]
    return [text.get_text().replace(r"\$", "$") for text in axes.get_yticklabels()]


def legend_texts(axes: Any) -> list[str]:
    """The legend's entries, each on one line (they wrap at spaces to fit the figure)."""
    return [" ".join(text.get_text().split()) for text in axes.get_legend().get_texts()]


def words(text: str) -> set[str]:
    return set(text.split())


# --- wrapping ---------------------------------------------------------------------------


def test_a_long_name_wraps_at_spaces_and_ends_with_a_whole_word() -> None:
    name = "CogVideoX, newer larger version (not named in the excerpts read)?"
    assert chart.wrap_label(name) == [
        "CogVideoX, newer larger version",
        "(not named in the excerpts read)?",
    ]
    assert chart.wrap_label(name, width=20) == ["CogVideoX, newer", "larger version …"]
    # a word longer than the line keeps a line of its own, whole
    assert chart.wrap_label("see https://example.org/a-very-long-path-name", width=12) == [
        "see",
        "https://example.org/a-very-long-path-name",
    ]
    assert chart.wrap_label("WAN2.1-T2V-1.3B 2025-09-23", width=10) == [
        "WAN2.1-T2V-1.3B",
        "2025-09-23",
    ]


word = st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=40)


@given(st.lists(word, min_size=1, max_size=30), st.integers(4, 60), st.integers(1, 4))
def test_wrapping_never_splits_a_word(parts: list[str], width: int, lines: int) -> None:
    text = " ".join(parts)
    wrapped = chart.wrap_label(text, width, lines)
    assert 1 <= len(wrapped) <= lines
    shown = " ".join(wrapped).split(" ")
    if shown[-1] == "…" and " ".join(shown[:-1]) != text:
        shown = shown[:-1]  # cut short: what is left is the text's first words, whole
    assert shown == parts[: len(shown)]
    for line in wrapped:  # a line is over the width only when it is one word
        assert len(line) <= width or " " not in line.removesuffix(" …")


# --- the figure -------------------------------------------------------------------------


def test_no_label_in_the_figure_splits_a_word(shipped: tuple[CompareReport, Any]) -> None:
    report, figure = shipped
    labels = row_labels(figure)
    assert len(labels) == len(report.rows) > 10
    for label, row in zip(labels, report.rows, strict=True):
        source = row.source
        said = f"{row.estimate.applies_to.model} {source.publisher}, {source.date or 'undated'}"
        assert words(label) <= words(said) | MARKS, label  # a cut word would be a new word
        assert row.estimate.applies_to.model.split()[0] in label.split()
    # and the old chart's cut labels are gone: no label line ends inside a word of the data
    texts = [text.get_text() for text in figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert not [t for t in texts if re.search(r"\b(rel|vers)$", t, re.M)]


def test_the_answer_band_and_line_are_drawn(shipped: tuple[CompareReport, Any]) -> None:
    report, figure = shipped
    answer = report.answers["energy"]
    assert answer.p5 is not None and answer.p50 is not None and answer.p95 is not None
    axes = figure.axes[0]
    bands = [
        patch
        for patch in axes.patches
        if patch.get_x() == answer.p5 and patch.get_x() + patch.get_width() == answer.p95
    ]
    assert len(bands) == 1
    lines = [line for line in axes.get_lines() if list(line.get_xdata()) == [answer.p50] * 2]
    assert len(lines) == 1 and lines[0].get_linestyle() == "--"
    legend = legend_texts(axes)
    p5, p50, p95 = (format_number(value) for value in (answer.p5, answer.p50, answer.p95))
    fed, total = len(answer.fed), len(answer.fed) + len(answer.left_out)
    assert f"the answer, P5–P95: {p5} – {p95} Wh (pooled from {fed} of {total} rows)" in legend
    assert f"the answer, P50: {p50} Wh" in legend
    assert f"P50 {p50} Wh" in [text.get_text() for text in axes.texts]  # at the line


def test_each_mid_is_printed(shipped: tuple[CompareReport, Any]) -> None:
    report, figure = shipped
    right = figure.axes[0].child_axes[0]  # the secondary axis on the right
    printed = [text.get_text() for text in right.get_yticklabels()]
    assert printed == [format_number(row.per_clip.mid) for row in report.rows]


def test_rows_left_out_of_the_answer_are_faded(shipped: tuple[CompareReport, Any]) -> None:
    report, figure = shipped
    fed = set(report.answers["energy"].fed)
    ranges = [line for line in figure.axes[0].get_lines() if line.get_marker() == "|"]
    ranges = ranges[: len(report.rows)]  # the rows' lines, in row order, before the legend's
    alphas = [line.get_alpha() for line in ranges]
    assert alphas == [1.0 if row.estimate.id in fed else chart.FADED for row in report.rows]
    assert chart.FADED in alphas and 1.0 in alphas


def test_sora_proxies_are_marked_and_explained(shipped: tuple[CompareReport, Any]) -> None:
    report, figure = shipped
    labels = row_labels(figure)
    proxies = [row.estimate.applies_to.sora_proxy for row in report.rows]
    assert any(proxies)
    assert [label.startswith(f"{chart.PROXY_MARK} ") for label in labels] == proxies
    bands = [p for p in figure.axes[0].patches if p.get_facecolor()[:3] == _rgb(chart.PROXY_BAND)]
    assert len(bands) == sum(proxies)
    legend = legend_texts(figure.axes[0])
    assert (
        f"{chart.PROXY_MARK} another model standing in for Sora (Sora itself was never measured)"
        in legend
    )


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def test_a_model_of_sora_itself_is_marked_apart() -> None:
    pytest.importorskip("ecologits")
    from soracost.core.ecologits import live_estimates
    from soracost.core.results import resolve_site

    catalog = load_catalog(default_sources_path())
    scenario = Scenario(
        quantities=("energy",), request=ClipRequest(duration_s=10, width=1280, height=720)
    )
    catalog = live_estimates(catalog, ["openai/sora-2-pro"], scenario.request,
                             resolve_site(catalog, None), False)  # fmt: skip
    report = compare_report(catalog, scenario, "energy")
    for figure in figure_of(report):
        labels = row_labels(figure)
        position = next(
            i
            for i, row in enumerate(report.rows)
            if row.estimate.id == "ecologits-openai-sora-2-pro"
        )
        assert labels[position].startswith(f"{chart.SORA_MARK} openai/sora-2-pro\n")
        legend = legend_texts(figure.axes[0])
        assert f"{chart.SORA_MARK} a model of Sora itself (computed, not measured)" in legend


def test_colour_shows_the_boundary_when_every_row_has_one_method() -> None:
    report = shipped_report()
    measured = [row for row in report.rows if row.estimate.method == "measured"]
    assert len({row.derivation.boundary for row in measured}) > 1
    assert chart._encodings(measured) == ("boundary", False)
    assert chart._encodings(report.rows)[0] == (
        "method" if len({row.estimate.method for row in report.rows}) > 1 else "boundary"
    )


def test_a_dollar_in_the_data_is_drawn_as_a_dollar(tmp_path: Path) -> None:
    """'$x^2$' in a publisher is text, not mathtext: escaped in the label, and drawn."""
    path = tmp_path / "dollars.yaml"
    path.write_text(
        MINI.read_text("utf-8").replace("publisher: Example Press", 'publisher: "Ex $x^2$ Press"'),
        "utf-8",
    )
    report = compare_report(load_catalog(path), Scenario(quantities=("energy",)), "energy")
    for figure in figure_of(report):
        drawn = [text.get_text() for text in figure.axes[0].get_yticklabels()]
        assert any(r"Ex \$x^2\$ Press, 2025-09-23" in label for label in drawn)
    image = chart.draw_comparison(report, "png")
    assert image.startswith(b"\x89PNG")


def test_the_answer_for_a_batch_is_in_the_legend() -> None:
    catalog = load_catalog(default_sources_path())
    report = compare_report(catalog, Scenario(count=1000, quantities=("energy",)), "energy")
    answer = report.answers["energy"]
    assert answer.p50 is not None
    for figure in figure_of(report):
        legend = " ".join(legend_texts(figure.axes[0]))
        assert f"for 1,000 clips {format_number(answer.p50 * 1000)} Wh)" in legend
