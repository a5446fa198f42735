"""The README's set-up commands stay true: CI runs the README's test command verbatim."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    install, test = setup_commands()
    assert "pip install ." in install and install.endswith("soracost clip --count 10")
    # Users get pyproject.toml's ranges; the tests get the lock's exact, hashed versions.
    assert "requirements" not in install
    assert "--require-hashes -r requirements/test.txt" in test and test.endswith("pytest")


def test_the_lock_pins_every_requirement_with_hashes() -> None:
    lock = (REPO_ROOT / "requirements" / "test.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+", lock, flags=re.MULTILINE)
    assert {"typer", "rich", "pint", "pyyaml", "numpy", "pytest", "hatchling"} <= {
        pin.lower() for pin in pins
    }
    requirements = [line for line in lock.splitlines() if line and line[0].isalnum()]
    assert requirements and all("==" in line and line.endswith("\\") for line in requirements)
    assert "requirements/lock" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_readme_documents_every_command_and_exit_code() -> None:
    for command in ("soracost clip", "soracost compare", "soracost sources", "sources check"):
        assert command in README
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in README


def test_the_lock_satisfies_every_range_in_pyproject() -> None:
    # A range changed in pyproject.toml without `requirements/lock --keep` fails here.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - the lock brings tomli to Python 3.10 (hatchling needs it)
        import tomli as tomllib
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = list(project["project"]["dependencies"])
    for extra in project["project"]["optional-dependencies"].values():
        wanted += extra
    lock = (REPO_ROOT / "requirements" / "test.txt").read_text(encoding="utf-8")
    environment = dict(default_environment())
    pinned: dict[str, str] = {}
    for line in lock.splitlines():
        if line and line[0].isalnum():
            pin = Requirement(line.rstrip(" \\"))
            if pin.marker is None or pin.marker.evaluate(environment):
                pinned[pin.name.lower().replace("_", "-")] = str(pin.specifier).lstrip("=")
    for text in wanted:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, f"{name} is in pyproject.toml but not in the lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"the lock's {name}=={pinned[name]} is outside pyproject.toml's {requirement}"
        )


def test_every_quick_answer_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    from typer.testing import CliRunner

    from soracost.cli.app import app

    section = README.split("## Quick answers", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"\| `soracost ([^`]+)` \|", section)
    assert len(commands) >= 4
    monkeypatch.chdir(tmp_path)  # --output files land here
    for command in commands:
        result = CliRunner().invoke(app, shlex.split(command))
        assert result.exit_code == 0, (command, result.output)


def test_the_readme_sample_output_is_the_real_output() -> None:
    # The README quotes the journalist's command "at 100 columns (real output)": it must
    # stay exactly what that command prints, numbers included, as the data change.
    import shlex

    from typer.testing import CliRunner

    from soracost.cli.app import app

    section = README.split("## Quick answers", 1)[1].split("\n## ", 1)[0]
    command = re.findall(r"\| `soracost ([^`]+)` \|", section)[0]
    sample = section.split("```text\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(app, shlex.split(command), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    printed = "".join(line.rstrip() + "\n" for line in result.stdout.splitlines())
    assert printed == sample
