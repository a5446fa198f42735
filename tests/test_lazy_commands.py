"""Commands are imported only when used (soracost.cli.lazy): ``soracost --help`` lists
every command from its registered summary, which must be its help's first paragraph;
a run imports its own command's module and no other; listing, suggesting and
completing still see every command."""

from __future__ import annotations

import inspect

import pytest
import typer.main
from typer.testing import CliRunner

from soracost import i18n
from soracost.cli.app import COMMANDS, app
from soracost.cli.lazy import Commands

COMMAND_MODULES = sorted({spec.module for spec in COMMANDS.values()})


def real_help(name: str) -> str:
    """The help of command ``name`` as Typer built it (the real command, imported)."""
    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    return str(command.help)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_its_help(name: str, language: str) -> None:
    i18n.select(language)
    try:
        first = real_help(name).split("\n\n")[0]
        assert i18n._(COMMANDS[name].summary) == first
    finally:
        i18n.select("en")


def test_the_listing_is_what_the_real_commands_give(monkeypatch: pytest.MonkeyPatch) -> None:
    """``soracost --help`` with the summaries is the same text as with every command built."""
    monkeypatch.setenv("COLUMNS", "100")
    listed = CliRunner().invoke(app, ["--help"])
    monkeypatch.setattr(Commands, "listed", lambda self, name: self[name])
    with_built = CliRunner().invoke(app, ["--help"])
    assert listed.exit_code == with_built.exit_code == 0
    assert listed.stdout == with_built.stdout
    for spec in COMMANDS.values():
        assert " ".join(spec.summary.split()[:4]) in listed.stdout


def imported_modules(*args: str) -> set[str]:
    """soracost's command modules a whole run of ``soracost ARGS`` imported."""
    from .test_architecture import modules_of_run

    return modules_of_run(*args) & set(COMMAND_MODULES)


def test_help_imports_no_command() -> None:
    assert imported_modules("--help") == set()


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (("clip", "--count", "2"), "soracost.cli.commands.footprint"),
        (("sources", "check"), "soracost.cli.commands.catalogue"),
        (("sites",), "soracost.cli.commands.catalogue"),
    ],
)
def test_a_run_imports_its_own_command_only(args: tuple[str, ...], module: str) -> None:
    assert imported_modules(*args) == {module}


def test_a_misspelt_command_is_still_suggested() -> None:
    result = CliRunner().invoke(app, ["clp"])
    assert result.exit_code == 2
    assert "'clip'" in result.output


def test_completion_lists_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_SORACOST_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "soracost ")
    monkeypatch.setenv("COMP_CWORD", "1")
    result = CliRunner().invoke(app, [], prog_name="soracost")
    offered = set(result.output.split())
    assert set(COMMANDS) <= offered, result.output


def test_every_registered_command_has_a_docstring_summary() -> None:
    """A new command registered without its summary, or with another, fails here."""
    for name, spec in COMMANDS.items():
        module = __import__(spec.module, fromlist=[spec.attribute])
        found = getattr(module, spec.attribute)
        function = found().registered_callback.callback if spec.group else found
        doc = inspect.cleandoc(function.__doc__ or "")
        assert " ".join(doc.split("\n\n")[0].split("\n")) == spec.summary, name
