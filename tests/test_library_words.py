"""Typer's and Click's own words in the run's language: the help's panel titles and
marks, the usage line, and the usage errors (soracost/cli/library_words.py,
soracost/cli/usage_errors.py, i18n.speak_for_libraries)."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
import typer
from babel.messages.extract import extract_from_file

from soracost import i18n
from soracost.cli.library_words import TYPER_WORDS

from .test_french import run

TYPER_ROOT = Path(typer.__file__).parent


def _typer_messages() -> set[str]:
    """The messages the installed Typer marks for gettext (its vendored Click has none)."""
    found: set[str] = set()
    for path in sorted(TYPER_ROOT.glob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_word_typer_marks_is_listed_for_the_catalogue() -> None:
    typer_messages = _typer_messages()
    assert typer_messages, "found no gettext call in Typer: the extraction is broken"
    assert typer_messages == set(TYPER_WORDS)


@pytest.mark.parametrize("message", TYPER_WORDS)
def test_every_typer_word_has_a_french_translation(message: str) -> None:
    catalogue = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=["fr"])
    translated = catalogue.gettext(message)
    assert translated != message or message in ("Arguments", "Options")  # same in French
    assert translated.strip()


def test_french_help_has_typers_words_in_french() -> None:
    done = run("--lang", "fr", "clip", "--help", columns=100)
    assert done.returncode == 0, done.stderr
    assert "Usage : soracost clip [OPTIONS]" in done.stdout
    assert "[par défaut : 1]" in done.stdout
    assert "[par défaut : facility]" in done.stdout
    assert "Usage:" not in done.stdout
    assert "[default:" not in done.stdout
    group = run("--lang", "fr", "--help", columns=100)
    assert "─ Commandes ─" in group.stdout
    assert "─ Commands ─" not in group.stdout


def test_the_locale_alone_gives_typers_words_in_french() -> None:
    done = run("clip", "--help", env={"LANG": "fr_FR.UTF-8"}, columns=100)
    assert "Usage : soracost clip" in done.stdout
    assert "[par défaut : 1]" in done.stdout


def test_english_help_keeps_typers_words_even_under_a_french_language_list() -> None:
    done = run("--lang", "en", "clip", "--help", env={"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"})
    assert "Usage: soracost clip [OPTIONS]" in done.stdout
    assert "[default: 1]" in done.stdout
    assert "par défaut" not in done.stdout


USAGE_ERRORS: list[tuple[tuple[str, ...], str | tuple[str, ...], str]] = [
    (
        ("clip", "--cout", "3"),
        ("--cout", "--cite", "--count", "--output"),
        "option inconnue : « --cout » (options possibles : --cite, --count, --output)",
    ),
    (
        ("clip", "--count", "x"),
        ("--count", "-n", "'x'"),
        "valeur invalide pour « --count » / « -n » : il faut un nombre entier de 1 à "
        "1\u202f000\u202f000\u202f000\u202f000\u202f000",
    ),
    (
        ("clip", "--samples", "5"),
        ("--samples", "5", "100", "1000000"),
        "valeur invalide pour « --samples » : il faut un nombre entier de 100 à 1\u202f000\u202f000",
    ),
    (
        ("clip", "--format", "xml"),
        ("--format", "'xml'", "'table'", "'csv'", "'json'"),
        "valeur invalide pour « --format » / « -f » : il faut l’une des valeurs table, csv, json",
    ),
    (
        ("clip", "--max-scale", "0"),
        "Invalid value for '--max-scale': a scale factor must be a number from 1 to 1,000,000",
        "valeur invalide pour « --max-scale » : un facteur d’échelle doit être un nombre de 1 à "
        "1\u202f000\u202f000",
    ),
    (
        ("clip", "--count"),
        ("'--count'",),
        "l’option « --count » attend une valeur",
    ),
    (
        ("clip", "--carbon=3"),
        ("'--carbon'",),
        "l’option « --carbon » ne prend pas de valeur",
    ),
    (
        ("clip", "extra", "more"),
        "Got unexpected extra argument(s) (extra more)",
        "Argument(s) en trop : extra more",
    ),
    (("explain",), ("'ID'",), "argument « ID » manquant"),
]


@pytest.mark.parametrize(("args", "english", "french"), USAGE_ERRORS)
def test_usage_errors_in_each_language(
    args: tuple[str, ...], english: str | tuple[str, ...], french: str
) -> None:
    """French is soracost's own words, checked whole. English is soracost's own words
    (checked whole) or Click's message passed through: then soracost's contract is
    checked (its prefix and hint, one line, exit 2, the options and values in question
    named), not Click's wording, which a Click release may change."""
    command = " ".join(("soracost", *args[:1]))
    for lang, message, hint in (
        ("en", english, f" (see '{command} --help')"),
        ("fr", french, f" (voir « {command} --help »)"),
    ):
        done = run("--lang", lang, *args, columns=200)
        label = "usage error: " if lang == "en" else "erreur d’utilisation : "
        assert done.returncode == 2
        if isinstance(message, str):
            assert done.stderr == f"soracost: {label}{message}{hint}\n"
            continue
        assert done.stderr.startswith(f"soracost: {label}")
        assert done.stderr.endswith(f"{hint}\n") and done.stderr.count("\n") == 1
        for named in message:
            assert named in done.stderr, named


def test_no_such_command_in_french() -> None:
    done = run("--lang", "fr", "nope", columns=200)
    assert done.returncode == 2
    assert done.stderr == "soracost: erreur d’utilisation : Commande inconnue : « nope ». " \
        "(voir « soracost --help »)\n"  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "usage error: No such command 'clp'. Did you mean 'clip'? (see 'soracost --help')"),
        (
            "fr",
            "erreur d’utilisation : Commande inconnue : « clp ». Vouliez-vous dire « clip » ? "
            "(voir « soracost --help »)",
        ),
    ],
)
def test_a_mistyped_command_gets_a_suggestion_in_the_runs_language(
    lang: str, expected: str
) -> None:
    done = run("--lang", lang, "clp", columns=200)
    assert done.returncode == 2
    assert done.stderr == f"soracost: {expected}\n"


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (("--version=x",), "l’option « --version » ne prend pas de valeur (voir « soracost --help »)"),
        (("--lang", "fr", "--lang"), "l’option « --lang » attend une valeur (voir « soracost --help »)"),
        (("sources", "--format"), "l’option « --format » attend une valeur (voir « soracost sources --help »)"),
    ],
)  # fmt: skip
def test_a_groups_option_errors_are_french_with_their_hint(
    args: tuple[str, ...], french: str
) -> None:
    done = run("--lang", "fr", *args, columns=200)
    assert done.returncode == 2
    assert done.stderr == f"soracost: erreur d’utilisation : {french}\n"


def test_an_unknown_completion_request_is_one_usage_line() -> None:
    done = run(env={"_SORACOST_COMPLETE": "bogus\x1b[2J"}, columns=200)
    assert done.returncode == 2
    assert done.stderr.startswith("soracost: usage error: shell completion: ")
    assert "bogus\\x1b[2J" in done.stderr and "\x1b" not in done.stderr


def test_error_lines_on_an_ascii_stderr_are_transliterated_not_escaped() -> None:
    done = run("--lang", "fr", "clip", "-n", "0", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    assert done.stderr.startswith(
        'soracost: erreur d\'utilisation : valeur invalide pour " --count " / " -n " : '
        "il faut un nombre entier de 1 a 1 000 000"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_the_systems_reason_is_french_in_french() -> None:
    import subprocess

    from tests.helpers import soracost_argv

    from .test_french import _without_language

    environ = _without_language(__import__("os").environ)
    environ.update(PYTHONPATH=str(Path(__file__).parent.parent), NO_COLOR="1")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            soracost_argv("--lang", "fr", "clip"), stdout=full, stderr=subprocess.PIPE,
            text=True, env=environ, check=False, encoding="utf-8", timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.endswith(
        "impossible d’écrire sur la sortie standard : plus de place sur le disque\n"
    )


def test_os_reason_keeps_the_systems_words_in_english() -> None:
    import errno

    error = OSError(errno.ENOSPC, "No space left on device (the OS's words)")
    assert i18n.os_reason(error) == "No space left on device (the OS's words)"
    assert i18n.os_reason(OSError(99999, "odd")) == "odd"


def test_a_typed_option_name_reaches_the_terminal_escaped() -> None:
    done = run("--lang", "fr", "clip", "--c\x1b[31mx", columns=200)
    assert done.returncode == 2
    assert "\x1b" not in done.stderr
    assert "« --c\\x1b[31mx »" in done.stderr


def test_a_unicode_line_separator_in_an_english_usage_error_is_shown_escaped() -> None:
    done = run("clip", "--a\u2028b", columns=200)
    assert "--a<U+2028>b" in done.stderr


def test_the_completion_options_help_is_typers_in_english_and_french_in_french() -> None:
    from typer.completion import get_completion_inspect_parameters

    from soracost.cli.faults import COMPLETION_HELP

    install, show = get_completion_inspect_parameters()
    typers = {"install_completion": install.default.help, "show_completion": show.default.help}
    assert typers == COMPLETION_HELP  # Typer's words, character for character
    english = run("--help", columns=200).stdout
    french = run("--lang", "fr", "--help", columns=200).stdout
    for text in COMPLETION_HELP.values():
        assert text in english
        assert text not in french
    assert "Installe la complétion pour le shell courant." in french


def test_lang_ignores_case_as_the_environment_does() -> None:
    done = run("--lang", "FR", "clip", "-n", "2", columns=200)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Énergie pour 2 vidéos")


def test_a_bash_source_request_prints_the_script() -> None:
    """Only a completion request carries COMP_WORDS: ``source_bash`` (eval "$(…)") does not."""
    done = run(env={"_SORACOST_COMPLETE": "source_bash"}, columns=200)
    assert done.returncode == 0, done.stderr
    assert "_soracost_completion()" in done.stdout
