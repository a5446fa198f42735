"""Architecture rules that keep soracost fast and its core reusable."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO_ROOT


def modules_after(statement: str) -> set[str]:
    """Top-level module names loaded by a fresh interpreter after ``statement``."""
    code = f"{statement}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    return set(result.stdout.split())


def test_the_core_never_imports_typer_or_rich() -> None:
    loaded = modules_after(
        "import soracost.catalog, soracost.model, soracost.export, soracost.units, "
        "soracost.ranges, soracost.records, soracost.display, soracost.output, "
        "soracost.footprint, soracost.factor_loader, soracost.cases, soracost.fields\n"
        "from soracost.catalog import load_catalog, default_sources_path\n"
        "from soracost.model import Scenario, clip_rows\n"
        "clip_rows(load_catalog(default_sources_path()), Scenario(count=10))"
    )
    assert not loaded & {"typer", "rich", "click"}


def test_importing_the_cli_loads_nothing_heavy() -> None:
    loaded = modules_after("import soracost.cli")
    assert not loaded & {"pint", "yaml", "rich"}


def test_machine_formats_never_load_rich() -> None:
    for args in (
        "['compare', '-f', 'json']",
        "['clip', '-f', 'csv']",
        "['explain', 'cnet-90wh', '-f', 'json']",
    ):
        loaded = modules_after(
            "import contextlib, io\n"
            "from soracost.cli import app\n"
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
            "from soracost.cli import app\n"
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
        "from soracost.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['clip', '--count', '10'], standalone_mode=False)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('soracost'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    loaded = set(result.stdout.split())
    assert "soracost.render" in loaded  # the check itself works
    assert not loaded & {"soracost.equivalents", "soracost.training", "soracost.uncertainty"}
