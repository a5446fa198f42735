"""Architecture rules that keep soracost fast and its core reusable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO_ROOT


def modules_after(statement: str) -> set[str]:
    """Top-level module names loaded by a fresh interpreter after ``statement``."""
    code = f"{statement}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    return set(result.stdout.split())


def test_the_layers_keep_their_import_contract() -> None:
    # Static, over every import in the package (pyproject.toml's [tool.importlinter]):
    # the core imports no data, views, cli, Typer or Rich; views and data never the cli.
    script = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(script), "--config", str(REPO_ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_cli_loads_nothing_heavy() -> None:
    loaded = modules_after("import soracost.cli.app")
    assert not loaded & {"pint", "yaml", "rich"}


def test_machine_formats_never_load_rich() -> None:
    for args in (
        "['compare', '-f', 'json']",
        "['clip', '-f', 'csv']",
        "['explain', 'cnet-90wh', '-f', 'json']",
    ):
        loaded = modules_after(
            "import contextlib, io\n"
            "from soracost.cli.app import app\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    app({args}, standalone_mode=False)"
        )
        assert "rich" not in loaded, args


def test_the_default_run_needs_no_pint() -> None:
    # pint's import and registry are most of a run's start-up: the units of every day
    # (Wh, J, mL, gal, L/kWh…) are checked and converted from an exact table instead.
    for args in ("['clip', '--count', '10']", "['compare']", "['explain', 'mlenergy-wan21-1.3b']"):
        loaded = modules_after(
            "import contextlib, io\n"
            "from soracost.cli.app import app\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    app({args}, standalone_mode=False)"
        )
        assert "pint" not in loaded, args
        assert "ecologits" not in loaded, args  # the optional extra, only for --ecologits


def test_python_dash_m_runs_the_same_app() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "soracost", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("soracost ")


def test_a_plain_clip_loads_no_optional_parts() -> None:
    """Equivalents, training shares and Monte Carlo are imported only when asked for:
    each module is start-up time every other run would pay."""
    code = (
        "import contextlib, io, sys\n"
        "from soracost.cli.app import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['clip', '--count', '10'], standalone_mode=False)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('soracost'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    loaded = set(result.stdout.split())
    assert "soracost.views.render" in loaded  # the check itself works
    assert not loaded & {
        "soracost.core.equivalents",
        "soracost.core.training",
        "soracost.core.uncertainty",
    }
