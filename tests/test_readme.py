"""The README's set-up commands stay true: CI runs the README's test command verbatim."""

from __future__ import annotations

import re

from .conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    install, test = setup_commands()
    assert "pip install ." in install and install.endswith("soracost clip --count 10")
    assert "'.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_readme_documents_every_command_and_exit_code() -> None:
    for command in ("soracost clip", "soracost compare", "soracost sources", "sources check"):
        assert command in README
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in README
