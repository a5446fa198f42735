"""Environment switches, read one way: on/off values and paths.

An on/off switch reads ``1``, ``true``, ``yes`` and ``on`` as on and ``0``, ``false``,
``no`` and ``off`` as off, in any case; unset or empty, it has its default; anything
else is a usage error (exit code 2), never a silent guess. A path expands a leading
``~`` from ``$HOME``; where that cannot be done, it is no path at all, never a folder
literally named ``~``.
"""

from __future__ import annotations

import os
from pathlib import Path

from soracost.core.errors import UsageProblem
from soracost.i18n import _

ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off")


def switch(name: str, *, default: bool = False) -> bool:
    """Whether the on/off environment variable ``name`` is on (its default when unset)."""
    value = os.environ.get(name, "")
    word = value.strip().lower()
    if not word:
        return default
    if word in ON:
        return True
    if word in OFF:
        return False
    shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
    said = _("${name} is {value}; set it to 1, true, yes or on, or to 0, false, no or off")
    raise UsageProblem(said.format(name=name, value=shown))


def home() -> Path | None:
    """``$HOME``, if it names an absolute folder; ``None`` (no passwd look-up) if not."""
    value = os.environ.get("HOME", "")
    return Path(value) if os.path.isabs(value) else None


def path(name: str) -> Path | None:
    """The path (a file or a folder) that the environment variable ``name`` names, ``~``
    expanded; ``None`` when it is unset or empty, or starts with ``~`` and there is no
    home to expand it from."""
    value = os.environ.get(name, "")
    if not value:
        return None
    if value == "~" or value.startswith("~/"):
        base = home()
        return None if base is None else base / value[2:]
    if value.startswith("~"):  # ~user/...: the user's home, if there is one
        expanded = os.path.expanduser(value)
        return None if expanded.startswith("~") else Path(expanded)
    return Path(value)
