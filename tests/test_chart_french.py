"""The comparison chart (``compare --plot``) in French: soracost's own words (title, axis
labels, legend, footer) in French, numbers with French separators (U+202F for thousands,
a decimal comma), sources' dates in words; the data's own text (models, publishers) drawn
as written. The English chart is tests/test_chart.py's.

Needs the French catalogue to hold the chart's messages (docs/i18n.md).
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from soracost import i18n
from soracost.core.reports import CompareReport, compare_report
from soracost.core.results import Scenario
from soracost.data.catalog import default_sources_path, load_catalog
from soracost.views import chart
from soracost.views.display import format_number

from .conftest import MINI, REPO_ROOT
from .helpers import soracost_argv

NNBSP = "\u202f"  # French thousands separator (CLDR)


@pytest.fixture
def french() -> Iterator[None]:
    """French for the test, English again after it (the language is process-wide)."""
    i18n.select("fr")
    yield
    i18n.select("en")


def figure_of(report: CompareReport) -> Iterator[Any]:
    import matplotlib.pyplot as plt

    figure = chart.comparison_figure(report)
    try:
        yield figure
    finally:
        plt.close(figure)


def legend_texts(axes: Any) -> list[str]:
    """The legend's entries, each on one line: wrapped lines joined by a space (not by
    ``str.split()``, which would also take a number's U+202F for a space)."""
    return [" ".join(text.get_text().split("\n")) for text in axes.get_legend().get_texts()]


@pytest.mark.usefixtures("french")
def test_the_chart_speaks_french() -> None:
    report = compare_report(load_catalog(MINI), Scenario(quantities=("energy",)), "energy")
    for figure in figure_of(report):
        axes = figure.axes[0]
        assert axes.get_title() == (
            "Énergie par vidéo générée par IA, toutes les sources côte à côte\n"
            "vidéo : la vidéo de chaque source · énergie : centre de données"
        )
        assert axes.get_xlabel() == (
            "énergie par vidéo (Wh), échelle logarithmique ; trait : bas–haut, marqueur : médian"
        )
        assert legend_texts(axes) == [
            "périmètre : GPU seul",
            "périmètre : GPU+CPU+RAM",
            "≈ un autre modèle qui tient lieu de Sora (Sora lui-même n’a jamais été mesuré)",
        ]
        # Models and publishers as the data writes them; dates in words.
        assert [text.get_text() for text in axes.get_yticklabels()] == [
            "Model B\nDaily News, octobre 2025",
            "≈ Model A\nExample Press, 23 septembre 2025",
        ]
        assert [axis.get_ylabel() for axis in axes.child_axes] == ["médian (Wh)"]
        today = i18n.format_date(datetime.date.today().isoformat())
        sha = report.catalog.sha256
        assert [text.get_text() for text in figure.texts] == [
            f"soracost · données : mini.yaml sha256 {sha} · {today}"
        ]


@pytest.mark.usefixtures("french")
def test_the_answer_for_a_batch_in_french() -> None:
    catalog = load_catalog(default_sources_path())
    report = compare_report(catalog, Scenario(count=1000, quantities=("energy",)), "energy")
    answer = report.answers["energy"]
    assert answer.p5 is not None and answer.p50 is not None and answer.p95 is not None
    fed, total = len(answer.fed), len(answer.fed) + len(answer.left_out)
    p5, p50, p95 = (format_number(value) for value in (answer.p5, answer.p50, answer.p95))
    batch = format_number(answer.p50 * 1000)
    for figure in figure_of(report):
        legend = legend_texts(figure.axes[0])
        assert (
            f"la réponse, P5–P95 : {p5} – {p95} Wh (synthèse de {fed} lignes sur {total} ; "
            f"pour 1{NNBSP}000 vidéos {batch} Wh)"
        ) in legend
        assert f"la réponse, P50 : {p50} Wh" in legend
        scale = f"{answer.max_scale:g}".replace(".", ",")
        assert (
            f"estompé : écarté de la réponse (extrapolé de plus de ×{scale}, autre périmètre, "
            "ou compté deux fois)"
        ) in legend
        assert "méthode : mesuré" in legend
        assert f"P50 {p50} Wh" in [text.get_text() for text in figure.axes[0].texts]
    # The figures themselves are French numbers: a decimal comma, never a point.
    assert not re.search(r"\d\.\d", p5 + p50 + p95 + batch)


def _svg_texts(svg: str) -> list[str]:
    """The texts matplotlib drew in an SVG: each glyph run is preceded by its text as an
    XML comment (the text itself is drawn as paths)."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_plot_writes_a_french_svg(tmp_path: Path) -> None:
    """``--lang fr compare --pooled --plot x.svg``: the chart the CLI writes is French."""
    environ = {key: value for key, value in os.environ.items() if key != "SORACOST_SOURCES"}
    environ.update(
        PYTHONPATH=os.pathsep.join(filter(None, (str(REPO_ROOT), environ.get("PYTHONPATH")))),
        SORACOST_LANG="en",  # --lang decides
        PYTHONIOENCODING="utf-8",
    )
    target = tmp_path / "chart.svg"
    done = subprocess.run(
        soracost_argv("--lang", "fr", "compare", "--count", "1000", "--pooled", "--seed", "7",
                      "--plot", str(target)),
        capture_output=True, text=True, encoding="utf-8", env=environ, cwd=tmp_path,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    texts = _svg_texts(target.read_text(encoding="utf-8"))
    drawn = " ".join(texts)
    assert "Énergie par vidéo générée par IA, toutes les sources côte à côte" in texts
    assert (
        "énergie par vidéo (Wh), échelle logarithmique ; trait : bas–haut, marqueur : médian"
        in texts
    )
    assert "médian (Wh)" in texts
    assert "synthèse P50" in drawn and "tirage Monte Carlo" in drawn
    assert f"pour 1{NNBSP}000 vidéos" in drawn
    assert any(text.startswith("soracost · données : sources.yaml sha256 ") for text in texts)
    # None of soracost's English words is left.
    for english in ("per clip", "the answer", "pooled", "boundary:", "method:", "undated",
                    "log scale", "faded", "data:"):  # fmt: skip
        assert english not in drawn, english


def test_a_french_number_is_never_split_across_lines() -> None:
    """A legend entry wraps at spaces, never inside ``1 000 000`` (U+202F) nor between a
    number and its unit joined by U+00A0."""
    text = f"; pour 1{NNBSP}000{NNBSP}000 de vidéos 140{NNBSP}091\u00a0Wh"
    wrapped = chart.wrap_label(text, width=12, lines=4)
    assert wrapped == [
        "; pour",
        f"1{NNBSP}000{NNBSP}000 de",
        "vidéos",
        f"140{NNBSP}091\u00a0Wh",
    ]
