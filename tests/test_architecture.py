"""Architecture rules that keep soracost fast and its core reusable."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT
from .helpers import subprocess_env


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


def modules_of_run(*args: str) -> set[str]:
    """Every module a whole run of ``soracost ARGS`` imported, as the process ends."""
    code = (
        "import os, sys\n"
        "sys.argv = ['soracost', *sys.argv[1:]]\n"
        "import soracost.__main__ as entry\n"
        "end = os._exit\n"
        "def report(code):\n"
        "    sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n')\n"
        "    sys.stderr.flush()\n"
        "    end(code)\n"
        "entry.os._exit = report\n"
        "entry.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=REPO_ROOT,
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")]
    assert done.returncode == 0 and lines, done.stderr
    return set(lines[0].split()[1:])


ONLY_TO_WRITE = {"tempfile"}
"""Needed only to write a file (the cache's entry where the system has no O_TMPFILE)."""
ONLY_IN_AN_ARCHIVE = {"importlib.resources", "importlib.readers", "zipfile"}
"""importlib.resources and what it loads: needed only for a package inside an archive;
an installed package's catalogue is beside its module."""
ONLY_FOR_OTHER_UNITS = {"fractions"}
"""Exact fractions: only for units pint reads (the everyday units are ratios of whole
numbers); Rich's tables load them for their own use. (``decimal`` and ``numbers`` are
no longer listed: msgspec, whose records every run builds, imports them itself.)"""


@pytest.mark.parametrize(
    ("args", "table"),
    [
        (("clip", "--count", "10"), True),
        (("compare",), True),
        (("explain", "cnet-90wh"), True),
        (("sources", "check"), False),
        (("clip", "--count", "10", "--format", "json"), False),
        (("compare", "--format", "csv"), False),
    ],
)
def test_a_run_imports_nothing_it_does_not_use(args: tuple[str, ...], table: bool) -> None:
    """Each module left out of a run is start-up time every run would pay (the measured
    gains are where each is imported). The run is repeated, so the catalogue cache is warm."""
    modules_of_run(*args)
    loaded = modules_of_run(*args)
    assert "soracost.data.cache" in loaded  # the check itself works: the catalogue was read
    assert "yaml" not in loaded  # the cache served the catalogue: no parsing
    assert not loaded & (ONLY_TO_WRITE | ONLY_IN_AN_ARCHIVE), args
    assert ("rich" in loaded) == table
    if not table:  # a Rich table imports fractions for its own ratios
        assert not loaded & ONLY_FOR_OTHER_UNITS, args
    if args[0] != "explain":  # the derivation's tree is explain's alone
        assert "rich.tree" not in loaded, args


def test_no_record_is_a_dataclass() -> None:
    """soracost's records are msgspec Structs (docs/design.md): a dataclass compiles its
    methods each time its module is imported, ~0.4 ms a class on Python 3.11, on every
    run. Every class of every soracost module is checked, nested ones included."""
    import dataclasses
    import importlib
    import inspect
    import pkgutil

    import soracost

    def classes_in(holder: object) -> list[type]:
        found = []
        for _, member in inspect.getmembers(holder, inspect.isclass):
            if member.__module__.startswith("soracost") and member.__qualname__.startswith(
                getattr(holder, "__qualname__", "")
            ):
                found += [member, *classes_in(member)] if member is not holder else []
        return found

    dataclasses_found = []
    for info in pkgutil.walk_packages(soracost.__path__, "soracost."):
        module = importlib.import_module(info.name)
        for cls in classes_in(module):
            if cls.__module__ == info.name and dataclasses.is_dataclass(cls):
                dataclasses_found.append(f"{info.name}.{cls.__qualname__}")
    assert dataclasses_found == []


@pytest.mark.parametrize("args", [("--help",), ("clip", "--help"), ("sources", "check", "-h")])
def test_help_loads_no_markdown_or_traceback(args: tuple[str, ...]) -> None:
    """soracost draws its help itself (soracost.cli.help): Typer's help module imports
    Rich's Markdown (markdown-it) and traceback (Pygments) modules, a third of --help."""
    loaded = modules_of_run(*args)
    assert "soracost.cli.help" in loaded  # the check itself works: the help was drawn
    assert not loaded & {"typer.rich_utils", "rich.markdown", "markdown_it", "rich.traceback"}
    assert not any(module.startswith("pygments") for module in loaded)


CLI = REPO_ROOT / "soracost" / "cli"
LONGEST_CLI_FILE = 450
"""Lines: the CLI is split by job ("One clear house"); a file over this has two jobs."""
LONGEST_COMMAND_BODY = 40
"""Lines of a command's body, its docstring left out: parse, build a report, deliver."""


@pytest.mark.parametrize("path", sorted(CLI.rglob("*.py")), ids=lambda path: path.name)
def test_no_cli_file_is_over_450_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= LONGEST_CLI_FILE


def _command_functions() -> list[tuple[str, str]]:
    """Every function soracost registers as a command (module path, name): the app's
    commands and the commands of its groups (``sources check``)."""
    from soracost.cli.app import COMMANDS

    found: list[tuple[str, str]] = []
    for spec in COMMANDS.values():
        module = importlib.import_module(spec.module)
        if not spec.group:
            found.append((spec.module, spec.attribute))
            continue
        group = getattr(module, spec.attribute)()
        for info in [*group.registered_commands, group.registered_callback]:
            if info is not None and info.callback is not None:
                found.append((info.callback.__module__, info.callback.__name__))
    return found


def test_no_command_body_is_over_40_lines() -> None:
    commands = _command_functions()
    assert len(commands) >= 9  # the check itself works: every command was found
    for module_name, name in commands:
        module = importlib.import_module(module_name)
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        [function] = [
            node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name
        ]
        body = function.body
        has_docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        first = body[1] if has_docstring and len(body) > 1 else body[0]
        length = (function.end_lineno or 0) - first.lineno + 1
        assert length <= LONGEST_COMMAND_BODY, f"{module_name}.{name}: {length} lines"
