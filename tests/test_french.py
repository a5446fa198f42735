"""soracost in French: the language chosen, the catalogue complete and compiled, French
numbers and dates, golden French outputs, and machine formats the same in every language.

The golden outputs run soracost as a separate process (``python -m soracost``), as a user
does: the language is chosen before the CLI is imported, so the help texts and every
module-level label are French too. Regenerate them with ``SORACOST_REGENERATE_GOLDEN=1``
after a deliberate change (and read the diff).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from soracost import i18n, i18n_tools
from soracost.views.display import format_number
from soracost.views.prose import Prose

from .conftest import DATA, MINI, REPO_ROOT
from .helpers import soracost_argv

GOLDEN = DATA / "golden"
NNBSP = "\u202f"  # French thousands separator (CLDR)


def _without_language(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment less every variable that chooses a language."""
    chosen = (i18n.LANG_ENV, "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    return {key: value for key, value in environ.items() if key not in chosen}


def run(
    *args: str, env: dict[str, str] | None = None, columns: int = 80
) -> subprocess.CompletedProcess[str]:
    """``soracost ARGS`` as its own process, English unless ``env`` says otherwise."""
    environ = _without_language(os.environ)
    environ.update(
        PYTHONPATH=str(REPO_ROOT), COLUMNS=str(columns), NO_COLOR="1", PYTHONIOENCODING="utf-8"
    )
    environ.pop("SORACOST_SOURCES", None)
    environ.update(env or {})
    return subprocess.run(
        soracost_argv(*args), capture_output=True, text=True, env=environ, cwd=REPO_ROOT,
        timeout=60, check=False, encoding="utf-8",
    )  # fmt: skip


@pytest.fixture
def french() -> Iterator[None]:
    """French for the test, English again after it (the language is process-wide)."""
    i18n.select("fr")
    yield
    i18n.select("en")


# The catalogue -----------------------------------------------------------------------


def test_every_message_has_a_french_translation_and_the_mo_is_compiled() -> None:
    """Fails on a message of the code with no French (or a fuzzy one), on a translation
    the code no longer uses, and on a .mo that is not its .po compiled: run
    ``python -m soracost.i18n_tools update``, translate, and it passes (docs/i18n.md)."""
    assert i18n_tools.problems("fr") == []


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel's extractor does not look inside an f-string before Python 3.12 (its tokens
    split f-strings from 3.12 on), so a message marked there got no French on 3.11 and
    failed the check on 3.12: ``f"{_('log scale')}…"`` printed 'log scale' in French.
    Each message is marked outside the f-string, then put in."""
    import ast

    found = []
    for path in sorted((REPO_ROOT / "soracost").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in i18n_tools.KEYWORDS
                    and any(isinstance(argument, ast.Constant) for argument in inner.args)
                ):
                    found.append(f"{path.relative_to(REPO_ROOT)}:{inner.lineno}")
    assert found == []


def test_the_check_fails_on_a_message_without_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check itself can fail: a catalogue with one translation removed is reported."""
    po = i18n_tools.po_path("fr").read_text(encoding="utf-8")
    emptied = po.replace('msgstr "interrompu"', 'msgstr ""', 1)
    assert emptied != po
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "soracost.po").write_text(emptied, encoding="utf-8")
    monkeypatch.setattr(i18n_tools, "LOCALE_DIR", tmp_path)
    found = i18n_tools.problems("fr")
    assert "fr: empty translation of 'interrupted'" in found
    assert "fr: soracost.mo is not its .po compiled (run compile)" in found


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    """A translation that drops, renames or adds a ``{placeholder}`` would fail at run
    time (a KeyError inside a message): each keeps exactly its message's, but a plural
    form may leave out the count (``l’estimation`` for one)."""
    wrong = []
    for message in i18n_tools.read_po("fr"):
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set().union(*(_fields(text) for text in ids))
        for text in strings:
            got = _fields(text)
            if not got <= wanted or not (wanted - {"n"}) <= got:
                wrong.append(f"{ids[0]!r}: {text!r}")
    assert wrong == []


def test_the_wheel_ships_the_compiled_catalogue(tmp_path: Path) -> None:
    """The .mo is in the wheel (hatch takes every file under soracost/), with the .po."""
    import zipfile

    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "soracost/locale/fr/LC_MESSAGES/soracost.mo" in names
    assert "soracost/locale/fr/LC_MESSAGES/soracost.po" in names


def test_every_command_help_is_in_the_catalogue() -> None:
    """Every command's help (its docstring, as Typer shows it) is a message of the
    catalogue, including a command added later (soracost.cli.app translates them all)."""
    import inspect

    import typer.main

    from soracost.cli.app import app

    catalogue = i18n_tools.read_po("fr")
    group = typer.main.get_command(app)
    missing = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        commands = [command, *getattr(command, "commands", {}).values()]
        for each in commands:
            doc = inspect.cleandoc(each.callback.__doc__ or "") if each.callback else ""
            for paragraph in i18n.help_paragraphs(doc):
                message = catalogue.get(paragraph)
                if message is None or not message.string:
                    missing.append(f"{name} {each.name}: {paragraph[:40]}")
    assert missing == []


_HELP_DUMP = """
import json, sys
from soracost import i18n
i18n.select(sys.argv[1])
from soracost.cli.app import app
import typer.main
texts = {}
def walk(command, path):
    texts[path] = [command.help, None]
    for param in command.params:
        texts[f"{path} {param.name}"] = [param.help, getattr(param, "rich_help_panel", None)]
    for name, sub in getattr(command, "commands", {}).items():
        walk(sub, f"{path} {name}")
walk(typer.main.get_command(app), "soracost")
print(json.dumps(texts))
"""

TYPERS_OWN = {"help", "install_completion", "show_completion"}
"""Options Typer adds itself, whose help stays in Typer's English (docs/i18n.md)."""


def test_every_help_text_and_panel_typer_shows_is_french() -> None:
    """Every command's help, and every option's and argument's help and help panel, as
    Typer shows them, differ between English and French: none is left untranslated,
    including those of a command or option added later (or built with an f-string)."""
    import json

    def texts(language: str) -> dict[str, list[str | None]]:
        done = subprocess.run(
            [sys.executable, "-c", _HELP_DUMP, language],
            capture_output=True, text=True, cwd=REPO_ROOT, check=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )  # fmt: skip
        found: dict[str, list[str | None]] = json.loads(done.stdout)
        return found

    english, french = texts("en"), texts("fr")
    assert english.keys() == french.keys()
    same = [
        f"{where}: {english[where]}"
        for where in english
        if where.rsplit(" ", 1)[-1] not in TYPERS_OWN
        for position in (0, 1)
        if english[where][position] and english[where][position] == french[where][position]
    ]
    assert same == []


# The language chosen -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_CA"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "fr_BE@euro"}, "fr"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins
        ({"LANG": "C", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "fr"),  # empty: as if unset
        ({"LC_ALL": "fr_FR.UTF-8", "SORACOST_LANG": "en"}, "en"),
        ({"SORACOST_LANG": "fr"}, "fr"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert i18n.language_from_environment(environ) == language


@pytest.mark.parametrize(
    ("argv", "value", "moved"),
    [
        (["clip", "-n", "3"], None, ["clip", "-n", "3"]),
        (["--lang", "fr", "clip"], "fr", ["--lang", "fr", "clip"]),
        (["clip", "--lang", "fr", "-n", "3"], "fr", ["--lang", "fr", "clip", "-n", "3"]),
        (["clip", "--lang=en"], "en", ["--lang", "en", "clip"]),
        (["sources", "check", "--lang", "fr", "--", "--lang"], "fr",
         ["--lang", "fr", "sources", "check", "--", "--lang"]),
        (["clip", "--lang"], None, ["clip", "--lang"]),  # no value: the parser says so
    ],
)  # fmt: skip
def test_lang_is_found_anywhere_and_moved_before_the_command(
    argv: list[str], value: str | None, moved: list[str]
) -> None:
    assert i18n.lang_option(argv) == (value, moved)


def test_french_locale_gives_french_headers_and_numbers() -> None:
    """The issue's check: ``LANG=fr_FR.UTF-8 soracost clip --count 10``."""
    done = run("clip", "--count", "10", env={"LANG": "fr_FR.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Énergie pour 10 vidéos : ")
    assert "Électricité et eau par vidéo, une ligne par estimation" in done.stdout
    assert re.search(rf"\d{NNBSP}\d{{3}}\b", done.stdout)  # 1 105
    assert re.search(r"\d,\d", done.stdout)  # 0,5
    assert not re.search(r"\d\.\d", done.stdout.split("\n\n")[0])  # no English decimals


def test_lang_en_overrides_a_french_locale() -> None:
    french = run("clip", "--count", "10", env={"LANG": "fr_FR.UTF-8"})
    english = run("clip", "--count", "10", "--lang", "en", env={"LANG": "fr_FR.UTF-8"})
    plain = run("clip", "--count", "10")
    assert english.returncode == 0
    assert english.stdout == plain.stdout
    assert english.stdout.startswith("Energy for 10 clips: ")
    assert french.stdout != english.stdout


def test_lang_before_and_after_the_command_are_the_same() -> None:
    before = run("--lang", "fr", "compare", "--sources", str(MINI))
    after = run("compare", "--sources", str(MINI), "--lang", "fr")
    assert before.returncode == 0
    assert before.stdout == after.stdout


def test_an_unknown_language_is_a_usage_error() -> None:
    done = run("--lang", "de", "clip")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("soracost: usage error: ")
    assert "'--lang'" in done.stderr


def test_errors_are_french() -> None:
    done = run("--lang", "fr", "clip", "--sources", "no-such-file.yaml")
    assert done.returncode == 1
    assert done.stderr.startswith("soracost: erreur : ")


def test_help_is_french() -> None:
    done = run("--lang", "fr", "clip", "--help", columns=100)
    assert done.returncode == 0
    assert "Électricité et eau par vidéo" in done.stdout
    root = run("--help", env={"LANG": "fr_FR.UTF-8"}, columns=100)
    assert "Affiche la version et quitte." in root.stdout
    assert "Codes de sortie : 0 succès" in root.stdout


def test_english_runs_load_no_catalogue_and_no_babel() -> None:
    """Start-up time: English imports no Babel (and reads no catalogue: soracost's own
    English never calls gettext; Typer imports the module for its own words)."""
    done = subprocess.run(
        [*soracost_argv("clip", "--sources", str(MINI))[:1], "-X", "importtime",
         *soracost_argv("clip", "--sources", str(MINI))[1:]],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False,
        env={**_without_language(os.environ), "PYTHONPATH": str(REPO_ROOT), "LANG": "C"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not [name for name in imported if name.split(".")[0] == "babel"]
    assert "soracost.i18n" in imported


# Machine formats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("clip", "--count", "1000", "-f", "csv"),
        ("clip", "--count", "1000", "-f", "json"),
        ("compare", "--quantity", "water", "-f", "csv"),
        ("compare", "-f", "json"),
        ("explain", "model-a", "-f", "json"),
        ("explain", "model-a", "-f", "csv"),
    ],
)
def test_csv_and_json_are_the_same_in_french(args: tuple[str, ...]) -> None:
    english = run(*args, "--sources", str(MINI))
    french = run(*args, "--sources", str(MINI), "--lang", "fr")
    assert english.returncode == 0, english.stderr
    assert french.stdout == english.stdout
    assert NNBSP not in french.stdout


# Numbers, dates, wrapping -------------------------------------------------------------


@given(st.integers(min_value=100, max_value=10**11))
def test_french_whole_numbers_are_babels(value: int) -> None:
    from babel.numbers import format_decimal

    i18n.select("fr")
    try:
        assert format_number(float(value)) == format_decimal(value, locale="fr_FR")
    finally:
        i18n.select("en")


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (1105.0, "1,105", f"1{NNBSP}105"),
        (0.5, "0.5", "0,5"),
        (1234567.0, "1,234,567", f"1{NNBSP}234{NNBSP}567"),
        (2.5e-6, "2.50e-06", "2,50e-06"),
        (float("nan"), "cannot compute", "incalculable"),
    ],
)
def test_numbers_in_both_languages(value: float, english: str, french: str) -> None:
    assert format_number(value) == english
    i18n.select("fr")
    try:
        assert format_number(value) == french
    finally:
        i18n.select("en")


@pytest.mark.usefixtures("french")
@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2025-09-23", "23 septembre 2025"),
        ("2025-10", "octobre 2025"),
        ("2025", "2025"),
        ("2025-13-40", "2025-13-40"),
        ("unknown", "unknown"),
    ],
)
def test_french_dates(iso: str, shown: str) -> None:
    assert i18n.format_date(iso) == shown


@pytest.mark.usefixtures("french")
@given(st.integers(min_value=20, max_value=60))
def test_french_prose_never_cuts_a_number_nor_strands_a_colon(width: int) -> None:
    text = "Eau pour 1 000 vidéos : 5 000 mL (P5–P95 2 500 – 12 345 678) ; par vidéo 500 mL."
    text = text.replace("1 000", f"1{NNBSP}000").replace("5 000", f"5{NNBSP}000")
    text = text.replace("2 500", f"2{NNBSP}500").replace("12 345 678", f"12{NNBSP}345{NNBSP}678")
    console = Console(width=width, no_color=True, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(Prose(Text(text)))
    lines = console.export_text().splitlines()
    assert " ".join(lines) == text  # cut only at plain spaces, none lost
    assert all(len(line) <= width for line in lines)
    assert not any(line.startswith((":", ";")) for line in lines)


# Golden French outputs ----------------------------------------------------------------

GOLDEN_RUNS = {
    "fr-clip.txt": ("clip", "--count", "1000", "--sources", str(MINI)),
    "fr-compare.txt": ("compare", "--sources", str(MINI)),
    "fr-explain.txt": ("explain", "model-a", "--sources", str(MINI)),
    "fr-equivalents.txt": ("equivalents", "--of", "90 Wh", "--of", "650 mL"),
}
"""The golden French outputs at 80 columns. The equivalents use the shipped catalogue (the
mini fixture has none): the articles' comparisons, ≈ 90 Wh and ≈ 650 mL a video."""


@pytest.mark.parametrize("name", sorted(GOLDEN_RUNS))
def test_golden_french_output(name: str) -> None:
    done = run(*GOLDEN_RUNS[name], "--lang", "fr")
    assert done.returncode == 0, done.stderr
    path = GOLDEN / name
    if os.environ.get("SORACOST_REGENERATE_GOLDEN"):
        path.write_text(done.stdout.replace(str(MINI), "tests/data/mini.yaml"), encoding="utf-8")
    assert done.stdout.replace(str(MINI), "tests/data/mini.yaml") == path.read_text(
        encoding="utf-8"
    )


def test_the_articles_comparisons_in_french() -> None:
    """``soracost equivalents --of "90 Wh" --of "650 mL" --lang fr``: the stories' own
    comparisons, in French words and French numbers."""
    done = run("equivalents", "--of", "90 Wh", "--of", "650 mL", "--lang", "fr", columns=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "un grand téléviseur (65 pouces) allumé" in out
    assert "une recharge de smartphone" in out
    assert re.search(r"4,74 recharges", out)
    assert "une bouteille de 500 mL" in out
    assert "1,3 bouteille" in out
