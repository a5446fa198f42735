"""Helpers shared by tests that run soracost as a separate process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .conftest import REPO_ROOT


def soracost_argv(*args: str) -> list[str]:
    """``python -m soracost ARGS`` with this interpreter."""
    return [sys.executable, "-m", "soracost", *args]


def subprocess_env() -> dict[str, str]:
    """The environment for a child soracost: the repository importable, fixed width."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "120"
    env.pop("SORACOST_SOURCES", None)
    return env


def big_catalogue(folder: Path, copies: int) -> Path:
    """The shipped catalogue with its estimates repeated ``copies`` times under new ids."""
    text = (REPO_ROOT / "sources.yaml").read_text(encoding="utf-8")
    head, rest = text.split("\nestimates:\n", 1)
    estimates, _, tail = rest.partition("\n# --- The footprint model's factors")
    blocks = [block.strip("\n") for block in ("\n" + estimates).split("\n  - id: ")[1:]]
    lines = [head, "\nestimates:\n"]
    for copy in range(copies):
        lines.extend(f"  - id: c{copy}-{block}\n" for block in blocks)
    lines.append("\n# --- The footprint model's factors" + tail if tail else "")
    path = folder / f"sources-x{copies}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path
