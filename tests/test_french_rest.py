"""The last English text in French runs (issue 22): --resolution's refusals, EcoLogits
rows' notes, the training share, the user's own factors as a source, and the tables'
headers and notes that were plain English f-strings.

Report text (``report_``) is French in a French table and English in CSV and JSON; errors
(``_``) are French. English output is unchanged (tests/test_golden_tables.py), except
``÷ 1 lifetime clip`` and ``1 step``, which read ``clips`` and ``steps`` before.

Runs in-process (``CliRunner``, ``--lang fr`` before the command), so that the language is
set back to English after each test by the ``english_after`` fixture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost import i18n
from soracost.cli.app import app
from soracost.core.footprint import ClipRequest, parse_resolution
from soracost.core.ranges import Range
from soracost.core.records import Clip

NNBSP = "\u202f"  # French thousands separator

try:
    import importlib.util

    HAS_ECOLOGITS = importlib.util.find_spec("ecologits") is not None
except ValueError:  # pragma: no cover - a broken install
    HAS_ECOLOGITS = False

needs_ecologits = pytest.mark.skipif(
    not HAS_ECOLOGITS, reason="the ecologits extra is not installed"
)

SORA = "openai/sora-2-pro"


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test here may switch to French; English again after it (process-wide)."""
    yield
    i18n.select("en")


@pytest.fixture
def french() -> None:
    i18n.select("fr")


def flat(text: str) -> str:
    """``text`` with every run of spaces and line breaks (a table's) as one space; a
    no-break space (in ``1 000``, before a unit) is kept."""
    return re.sub(r"[ \n]+", " ", text).strip()


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def invoke_error(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 2, result.output
    return flat(result.stderr)


# --resolution --------------------------------------------------------------------------


@pytest.mark.usefixtures("french")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo", "résolution inconnue 'foo' ; choisissez parmi : 480p, 720p, 1080p, 4k, ou LxH "
                "(p. ex. 1280x720)"),
        ("0x10", f"'0x10' : chaque côté doit faire de 16 à 16{NNBSP}384 pixels"),
    ],
)  # fmt: skip
def test_resolution_refusals_are_french(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_resolution(text)
    assert str(raised.value) == message


def test_resolution_refusal_reaches_the_french_user_whole() -> None:
    said = invoke_error("--lang", "fr", "clip", "--resolution", "foo")
    assert "--resolution : résolution inconnue 'foo' ; choisissez parmi" in said
    assert "unknown resolution" not in said


def test_resolution_refusals_in_english_are_unchanged() -> None:
    with pytest.raises(ValueError) as raised:
        parse_resolution("8k")
    assert str(raised.value) == (
        "unknown resolution '8k'; choose one of: 480p, 720p, 1080p, 4k, or WxH (e.g. 1280x720)"
    )
    with pytest.raises(ValueError) as raised:
        parse_resolution("99999x10")
    assert str(raised.value) == "'99999x10': each side must be 16 to 16,384 pixels"


def test_the_clip_asked_for_has_french_numbers_in_a_table_only() -> None:
    request = ClipRequest(duration_s=5.5, width=1280, height=720, fps=12.5)
    assert request.describe() == "1280×720, 5.5 s, 12.5 fps"
    i18n.select("fr")
    assert request.describe() == "1280×720, 5,5 s, 12,5 fps"
    i18n.machine_output()
    assert request.describe() == "1280×720, 5.5 s, 12.5 fps"


# EcoLogits -----------------------------------------------------------------------------

CAPABILITIES = {"capabilities": {"resolutions": [[1280, 720], [1920, 1080]],
                                 "frames_count": [97, 289]}}  # fmt: skip


def test_a_clip_outside_what_ecologits_lists_is_said_in_each_language() -> None:
    from soracost.core.ecologits import _outside_capabilities

    english = _outside_capabilities(CAPABILITIES, 3840, 2160, 1441)
    assert english == (
        "outside what EcoLogits lists for this model (resolutions 1280×720, 1920×1080; "
        "97–289 frames): its fit is extrapolated; read it as an order of magnitude"
    )
    assert _outside_capabilities(CAPABILITIES, 1280, 720, 241) == ""
    assert "(97–289 frames)" in _outside_capabilities(CAPABILITIES, 1280, 720, 1441)
    i18n.select("fr")
    assert _outside_capabilities(CAPABILITIES, 3840, 2160, 1441) == (
        "hors de ce qu’EcoLogits indique pour ce modèle (résolutions 1280×720, 1920×1080 ; "
        "97 à 289 images) : son ajustement est extrapolé ; à lire comme un ordre de grandeur"
    )
    i18n.machine_output()
    assert _outside_capabilities(CAPABILITIES, 3840, 2160, 1441) == english


def test_the_factors_ecologits_used_are_found_in_the_note_in_each_language() -> None:
    """``factors_said`` finds the factors in the first note written in the same language."""
    from soracost.core.ecologits import FIRST_NOTE, factors_said

    def estimate(note: str) -> Any:
        return SimpleNamespace(notes=("a note before", note))  # all factors_said reads

    call = "video_impacts('x', '1280x720', 10, datacenter_pue=1.2)"
    for language, factors, said in [
        ("en", "its own (defaults) here", "computed by EcoLogits with its own (defaults) here"),
        ("fr", "ses propres (valeurs) ici", "calculé par EcoLogits avec ses propres (valeurs) ici"),
    ]:  # fmt: skip
        i18n.select(language)  # type: ignore[arg-type]
        note = i18n.report_(FIRST_NOTE).format(call=call, factors=factors)
        assert factors_said(estimate(note)) == said
        assert factors_said(SimpleNamespace(notes=("another note",))) is None  # type: ignore[arg-type]


@needs_ecologits
def test_ecologits_notes_are_french_in_a_french_table() -> None:
    table = flat(
        invoke("--lang", "fr", "clip", "--ecologits", SORA, "--duration", "60",
               "--resolution", "4k", "--site", "azure", "--wide")
    )  # fmt: skip
    assert (
        "ecologits-openai-sora-2-pro : calculé par EcoLogits avec le PUE et le WUE sur site du "
        "site azure (ceux de soracost : jegham-azure-pue 1,12, jegham-azure-wue 0,3 L/kWh) ; "
        "mix électrique WOR (valeurs de la zone selon EcoLogits, pas les facteurs du réseau du "
        "site azure ; soracost ne connaît aucune zone d’EcoLogits pour le site azure) :"
    ) in table
    assert "EcoLogits a calculé video_impacts('openai/sora-2-pro', '3840x2160', 60," in table
    assert "Hors de ce qu’EcoLogits indique pour ce modèle (résolutions 1280×720" in table
    assert "L’eau telle qu’EcoLogits la calcule (son terme hors site inclut le PUE) :" in table
    for english in ("computed by EcoLogits", "EcoLogits computed", "outside what", "zone values",
                    "its own defaults", "Water as EcoLogits"):  # fmt: skip
        assert english not in table


@needs_ecologits
def test_ecologits_own_defaults_in_french() -> None:
    table = flat(
        invoke("--lang", "fr", "clip", "--ecologits", SORA, "--duration", "10",
               "--resolution", "720p")
    )  # fmt: skip
    assert re.search(
        r"calculé par EcoLogits avec ses propres valeurs par défaut, pas les facteurs du site "
        r"us-national : PUE 1,2 et WUE sur site 0,569 L/kWh \(les chiffres d’EcoLogits pour "
        r"openai\) ; mix électrique WOR \(valeurs de la zone selon EcoLogits\) : [0-9,]+ "
        r"gCO2e/kWh, eau hors site [0-9,]+ L/kWh\.",
        table,
    )


# The training share --------------------------------------------------------------------


def test_training_labels_are_report_text() -> None:
    from soracost.core.training import TrainingRequest

    record: Any = SimpleNamespace(model="GPT-4", id="gpt4-training")  # all label reads
    named = TrainingRequest(Range.single(50.0), "GWh", 10, record=record, text="gpt4-training")
    typed = TrainingRequest(Range.single(1.0), "MWh", 10, text="1MWh")
    assert named.label == "GPT-4 training (gpt4-training), not Sora's"
    assert typed.label == "training energy you gave (1MWh)"
    i18n.select("fr")
    assert named.label == "entraînement de GPT-4 (gpt4-training), pas celui de Sora"
    assert typed.label == "énergie d’entraînement que vous avez donnée (1MWh)"
    i18n.machine_output()
    assert named.label == "GPT-4 training (gpt4-training), not Sora's"


def test_the_training_share_is_french_in_tables() -> None:
    args = ("clip", "--training-energy", "gpt4-training", "--lifetime-clips", "1000000000")
    compact = flat(invoke("--lang", "fr", *args))
    assert "part de l’entraînement" in compact
    assert f"entraînement de GPT-4 (gpt4-training), pas celui de Sora, 50{NNBSP}000" in compact
    assert "L’énergie d’entraînement de Sora n’a pas été publiée" in compact
    wide = flat(invoke("--lang", "fr", *args, "--wide"))
    assert "pas Sora (inconnu)" in wide
    assert f"÷ 1{NNBSP}000{NNBSP}000{NNBSP}000 de vidéos sur sa vie" in wide
    for text in (compact, wide):
        for english in ("training share", "GPT-4 training", "not Sora", "per clip",
                        "has not been published", "lifetime clips"):  # fmt: skip
            assert english not in text
    typed = flat(invoke("--lang", "fr", "clip", "--training-energy", "1MWh",
                        "--lifetime-clips", "1000", "--wide"))  # fmt: skip
    assert "│ votre chiffre │ entraînement : 1MWh │ part de" in typed
    assert "énergie d’entraînement que vous avez donnée (1MWh)" in typed
    assert "your figure" not in typed


def test_one_lifetime_clip_is_singular_in_english() -> None:
    """A bug fixed: ``÷ 1 lifetime clips``."""
    wide = flat(invoke("clip", "--training-energy", "1MWh", "--lifetime-clips", "1", "--wide"))
    assert "÷ 1 lifetime clip " in wide
    assert "÷ 1 clip = " in wide


# The user's own factors ----------------------------------------------------------------


def test_the_user_as_a_source_is_report_text() -> None:
    from soracost.core.user_factors import user_source

    assert user_source().publisher == "the user (supplied for this run)"
    i18n.select("fr")
    source = user_source()
    assert source.publisher == "l’utilisateur (fourni pour cette exécution)"
    assert source.gaps["date"] == "un facteur fourni par l’utilisateur, pas une publication"
    assert source.note is not None and source.note.startswith("Donné avec --pue, --wue")
    i18n.machine_output()
    assert user_source().publisher == "the user (supplied for this run)"


def test_the_user_as_a_source_in_a_french_table() -> None:
    wide = flat(invoke("--lang", "fr", "clip", "--pue", "1.3", "--wide"))
    assert "l’utilisateur (fourni pour cette exécution). non daté" in wide
    assert "non connu : title: un facteur fourni par l’utilisateur" in wide
    assert "the user (supplied" not in wide and "a factor the user supplied" not in wide


# Tables' headers and notes -------------------------------------------------------------


def test_embodied_headers_and_note_are_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # headers on one line each
    wide = flat(invoke("--lang", "fr", "clip", "--embodied", "--count", "3", "--wide"))
    assert "Intrinsèque par vidéo" in wide and "Intrinsèque × 3" in wide
    assert "Embodied" not in wide
    assert "intrinsèque (gCO2e par vidéo) :" in wide
    assert "Matériel : NVIDIA DGX H200" in wide and "Hardware:" not in wide
    i18n.select("en")  # the French run chose French for the process
    english = invoke("clip", "--embodied", "--count", "3", "--wide")
    assert "Embodied per clip" in english and "Embodied × 3" in english
    compare = invoke("--lang", "fr", "compare", "--embodied", "--wide")
    assert "Intrinsèque" in compare and "Embodied" not in compare


def test_wide_notes_are_french_with_french_colons() -> None:
    wide = flat(invoke("--lang", "fr", "clip", "--wide"))
    assert "moyenne-géométrique* : la source donne un intervalle" in wide
    assert "chiffre-unique* : la source donne un seul chiffre" in wide
    assert "(périmètre inconnu) : wsj-20-110wh" in wide
    assert "1280×720, 81 images, 5,4 s, 50 étapes" in wide
    assert "23 septembre 2025" in wide and "2025-09-23" not in wide
    for english in ("single-figure", "geometric-mean", "midpoint*", " frames", " steps",
                    ". undated.", "inconnu):"):  # fmt: skip
        assert english not in wide


def test_monte_carlo_note_is_french() -> None:
    wide = flat(invoke("--lang", "fr", "clip", "--method", "montecarlo", "--seed", "3",
                       "--wide"))  # fmt: skip
    assert f"Monte Carlo : 100{NNBSP}000 tirages, graine 3 (--seed 3 les reproduit)." in wide
    assert "samples" not in wide


def test_a_clip_in_words_in_each_language() -> None:
    from soracost.views.render import _clip_text

    clip = Clip(duration_s=5.4, width=1280, height=720, frames=81, fps=15.0, steps=50)
    assert _clip_text(clip) == clip.describe() == "1280×720, 81 frames, 5.4 s, 50 steps"
    assert _clip_text(Clip(fps=12.5, steps=1)) == "12.5 fps, 1 step"  # '1 steps' before
    i18n.select("fr")
    assert _clip_text(clip) == "1280×720, 81 images, 5,4 s, 50 étapes"
    assert _clip_text(Clip(duration_s=6.0, frames=1)) == "1 image, 6 s"


@pytest.mark.parametrize(
    "args",
    [
        ("clip", "--training-energy", "gpt4-training", "--lifetime-clips", "1000000000"),
        ("clip", "--training-energy", "1MWh", "--lifetime-clips", "1000", "--duration", "5.5"),
        ("clip", "--pue", "1.3", "--embodied"),
        pytest.param(("clip", "--ecologits", SORA, "--duration", "60", "--resolution", "4k",
                      "--site", "azure"), marks=needs_ecologits),
    ],
)  # fmt: skip
@pytest.mark.parametrize("output", ["json", "csv"])
def test_machine_formats_stay_english(args: tuple[str, ...], output: str) -> None:
    english = invoke(*args, "-f", output)
    i18n.select("en")
    french = invoke("--lang", "fr", *args, "-f", output)
    if output == "json":  # the time of the run differs
        english, french = (
            json.dumps({k: v for k, v in json.loads(t).items() if k != "generated"})
            for t in (english, french)
        )
    assert french == english


@pytest.mark.parametrize("path", [[], ["clip"], ["sources"], ["sources", "check"], ["report"]])
def test_the_help_options_own_help_is_french(path: list[str]) -> None:
    """Click writes --help's help in English; soracost's commands give it in the run's
    language (Click's public get_help_option). Each language in its own process, as a
    run is: building the commands in French translates their shared option texts."""
    from tests.test_french import run

    french = run("--lang", "fr", *path, "--help", columns=120)
    assert french.returncode == 0, french.stderr
    assert "Affiche cette aide et quitte." in french.stdout
    assert "Show this message and exit." not in french.stdout
    english = run(*path, "--help", columns=120)
    assert "Show this message and exit." in english.stdout


def test_the_french_pages_samples_are_the_real_output() -> None:
    """docs/fr.md quotes three commands "at 100 columns (real output)": the journalist's,
    the teacher's and the articles' comparisons. They must stay exactly what they print."""
    from tests.test_french import REPO_ROOT, run

    page = (REPO_ROOT / "docs" / "fr.md").read_text(encoding="utf-8")
    samples = [part.split("```", 1)[0] for part in page.split("```text\n")[1:]]
    commands = [
        ("--lang", "fr", "clip", "--count", "1000", "--site", "arizona", "--model", "sora"),
        ("--lang", "fr", "explain", "cnet-90wh"),
        ("equivalents", "--of", "90 Wh", "--of", "650 mL", "--lang", "fr"),
    ]
    assert len(samples) == len(commands)
    for command, sample in zip(commands, samples, strict=True):
        done = run(*command, columns=100)
        assert done.returncode == 0, done.stderr
        printed = "".join(line.rstrip() + "\n" for line in done.stdout.splitlines())
        assert printed == sample, command


def test_french_tables_keep_their_columns_on_an_ascii_stdout() -> None:
    """On a stdout that cannot encode them, letters with diacritics become their ASCII
    letter, one for one (as the table's own characters do), so every line is as wide as
    in UTF-8 instead of growing by a \\uXXXX escape."""
    from rich.text import Text

    from tests.test_french import run

    utf8 = run("--lang", "fr", "sites", columns=100)
    ascii_only = run("--lang", "fr", "sites", columns=100, env={"PYTHONIOENCODING": "ascii"})
    assert utf8.returncode == ascii_only.returncode == 0, ascii_only.stderr
    assert ascii_only.stdout.isascii()
    assert "\\u00e9" not in ascii_only.stdout and "reseau" in ascii_only.stdout
    table = [line for line in ascii_only.stdout.splitlines() if line.startswith("us-national")]
    expected = [line for line in utf8.stdout.splitlines() if line.startswith("us-national")]
    assert [len(line) for line in table] == [Text(line).cell_len for line in expected]
