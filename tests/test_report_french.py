"""``soracost report`` in French: the table (golden), Markdown and HTML in French words and
numbers, CSV and JSON the same in every language, and a bad log's error in French.

Each run is a separate process (``python -m soracost``), as a user runs it, in a folder
holding the log and the catalogue: their names are short and the same on every machine,
so the table wraps the same everywhere. Regenerate the golden file with
``SORACOST_REGENERATE_GOLDEN=1`` after a deliberate change (and read the diff).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from rich.text import Text

from soracost import __version__

from .conftest import DATA, REPO_ROOT
from .helpers import soracost_argv
from .test_french import NNBSP, _without_language
from .test_report import MODEL, SERVICES, SMALL

GOLDEN = DATA / "golden"
LOG = "usage.csv"
CATALOGUE = "catalogue.yaml"
MESSY = (
    SMALL
    + "2025-09-02,mystery-model,5,720p,4,\n"  # a service the catalogue does not map
    + "2025-09-03,model-d,abc,640x360,1,\n"  # a bad duration
)
"""The small log of tests/test_report.py, with one unknown service and one bad row."""
ALL_IN = (LOG, "--sources", CATALOGUE, "--leave-out-unknown", "--skip-bad-rows")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the log (``usage.csv``) and the model catalogue with services."""
    (tmp_path / LOG).write_text(MESSY, encoding="utf-8")
    (tmp_path / CATALOGUE).write_text(
        MODEL.read_text(encoding="utf-8") + SERVICES, encoding="utf-8"
    )
    return tmp_path


def run(
    folder: Path, *args: str, lang: str = "fr", columns: int = 80
) -> subprocess.CompletedProcess[str]:
    """``soracost report ARGS --lang LANG`` run in ``folder``."""
    environ = _without_language(os.environ)
    environ.pop("SORACOST_SOURCES", None)
    environ.update(
        PYTHONPATH=str(REPO_ROOT), COLUMNS=str(columns), NO_COLOR="1", PYTHONIOENCODING="utf-8"
    )
    return subprocess.run(
        soracost_argv("report", *args, "--lang", lang), capture_output=True, text=True,
        env=environ, cwd=folder, timeout=60, check=False, encoding="utf-8",
    )  # fmt: skip


def test_golden_french_report_table(folder: Path) -> None:
    """The table at 80 columns: French words, French numbers (0,06; 100 %), the counts
    of rows left out and skipped; the version is left out of the comparison."""
    done = run(folder, *ALL_IN)
    assert done.returncode == 0, done.stderr
    text = re.sub(rf"soracost(\s+){re.escape(__version__)}", r"soracost\1VERSION", done.stdout)
    path = GOLDEN / "fr-report.txt"
    if os.environ.get("SORACOST_REGENERATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert max(Text(line).cell_len for line in done.stdout.splitlines()) <= 80


def test_french_table_lines(folder: Path) -> None:
    """What the golden file pins, said plainly: the headline, the method share with its
    narrow no-break space before %, what was left out and skipped, in French."""
    out = run(folder, *ALL_IN).stdout
    assert out.startswith("Empreinte de 6 vidéos (30\u00a0s de vidéo), 2 périodes (mois)")
    assert f"modélisé 100{NNBSP}%." in out
    assert "Écartés, services non associés : 1 ligne, 4 vidéos (mystery-model)." in out
    assert "Lignes invalides écartées : 1 ligne : 1 × durée invalide." in out
    assert "Totals" not in out and "n/a" not in out


def test_french_markdown(folder: Path) -> None:
    done = run(folder, *ALL_IN, "-f", "markdown")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# Rapport d’empreinte de la génération de vidéos par IA\n")
    assert "| énergie (centre de données) | kWh | 0,06 | 0,06 – 0,06 | 0,06 – 0,06 |" in text
    assert "| 2025-10 | tous | tous | 4 | 20 | 0,04 (0,04 – 0,04) |" in text
    assert "## Non compris" in text and "\n- réseau : le transport des requêtes" in text
    assert f"modélisé 100{NNBSP}%." in text
    assert "- model-d (Model D) : estimations pour « Model D » \\[paper\\]." in text
    assert "<https://example.org/paper>" in text  # sources and URLs as published


def test_french_html(folder: Path) -> None:
    page = run(folder, *ALL_IN, "-f", "html").stdout
    assert '<html lang="fr">' in page
    assert "<h1>Rapport d’empreinte de la génération de vidéos par IA</h1>" in page
    assert "<h2>Totaux</h2>" in page and "<th>Médian (P50)</th>" in page
    assert "<td>énergie (centre de données)</td><td>kWh</td><td>0,06</td>" in page
    assert '<text x="544.00" y="23" font-size="11">0,02</text>' in page  # SVG: French label
    assert "<title>énergie (centre de données), kWh : médian et P5–P95</title>" in page
    english = run(folder, *ALL_IN, "-f", "html", lang="en").stdout
    assert '<html lang="en">' in english and "<h2>Totals</h2>" in english


@pytest.mark.parametrize("format", ["csv", "json"])
def test_csv_and_json_of_a_report_are_the_same_in_french(folder: Path, format: str) -> None:
    """Machine formats keep their numbers and the core's notes and exclusions in English,
    whatever the language: byte for byte the English output."""
    args = (*ALL_IN, "-f", format, "--training-energy", "1 MWh", "--lifetime-clips", "1000")
    english, french = run(folder, *args, lang="en"), run(folder, *args)
    assert english.returncode == 0, english.stderr
    assert french.stdout == english.stdout
    assert NNBSP not in french.stdout and "énergie" not in french.stdout
    if format == "json":
        assert '"shown apart, never added to the totals: ' in french.stdout


def test_a_bad_log_is_reported_in_french(folder: Path) -> None:
    """The file, row and column as given; the message in French, its numbers too (0,1)."""
    done = run(folder, LOG, "--sources", CATALOGUE, "--leave-out-unknown")
    assert done.returncode == 1
    assert done.stderr == (
        "soracost: erreur : usage.csv: ligne de données 5: colonne 'duration_s': 'abc' "
        "n’est pas une durée en secondes de 0,1 à 3\u202f600 (ou ajoutez --skip-bad-rows pour "
        "écarter de telles lignes)\n"
    )
    unknown = run(folder, LOG, "--sources", CATALOGUE, "--skip-bad-rows")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith(
        "soracost: erreur : usage.csv: service(s) inconnu(s) : 'mystery-model' (1 ligne) ; "
    )
    missing = run(folder, "nope.csv", "--sources", CATALOGUE)
    assert missing.stderr == "soracost: erreur : nope.csv: fichier introuvable\n"
