"""Helpers shared by tests that run soracost as a separate process."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

from rich.cells import cell_len

from .conftest import REPO_ROOT

URL = re.compile(r"https?://\S+")


def past_the_edge(line: str, width: int) -> bool:
    """Whether ``line`` is wider than ``width`` columns, other than from a URL on (one that
    starts before the edge): soracost never folds a URL, it lets the line run past the edge
    instead (in a table's cell, with the rest of that line of the row)."""
    if cell_len(line) <= width:
        return False
    return not any(cell_len(line[: url.start()]) < width for url in URL.finditer(line))


def soracost_argv(*args: str) -> list[str]:
    """``python -m soracost ARGS`` with this interpreter."""
    return [sys.executable, "-m", "soracost", *args]


def subprocess_env() -> dict[str, str]:
    """The environment for a child soracost: the repository importable, fixed width."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "120"
    env["SORACOST_LANG"] = "en"  # English, whatever the machine's LANG (French has its own tests)
    env.pop("SORACOST_SOURCES", None)
    return env


def big_catalogue(folder: Path, copies: int) -> Path:
    """The benchmark's synthetic catalogue (``benchmarks/startup.py``): the shipped one with
    its estimates repeated ``copies`` times under new ids. Taken from the benchmark, so the
    tests run on the very catalogue it times."""
    spec = importlib.util.spec_from_file_location(
        "soracost_startup_benchmark", REPO_ROOT / "benchmarks" / "startup.py"
    )
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    path: Path = benchmark.big_catalogue(folder, copies)
    return path
