"""Commands imported only when they run: a command group that knows its commands by name
and summary, and imports a command's module (and builds it with Typer) only when the
command is run, completed or asked for its own help.

Why: building every command on every run (importing the modules of all nine, and Typer
reading ~150 parameters from their signatures) took a quarter of ``soracost --help`` and
~7 % of ``soracost clip --count 10`` for commands the run never used (benchmarks/
startup.py). Click documents the pattern ("lazily loading subcommands": a group whose
``get_command`` imports); Typer builds each command with its public
``typer.main.get_command``.

The group's ``commands`` is a mapping whose keys are every command's name and whose
values are built on first access, so Click's and Typer's own uses of it (listing,
suggesting a close name, completing) work unchanged, and reading one command builds only
that one. ``soracost --help`` lists the commands with the summary each was registered
with (:class:`LazyCommand`), importing none of them; tests/test_lazy_commands.py checks
each summary is the first paragraph of its command's own help.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand

from soracost.cli.faults import SoracostCommand, SoracostGroup
from soracost.i18n import _


class LazyCommand(NamedTuple):
    """Where a command is and what ``soracost --help`` says of it.

    ``attribute`` names a command function (built as a one-command Typer app) or, where
    ``group``, a function returning a new ``typer.Typer`` (a group of commands, such as
    ``sources``). ``summary`` is the first paragraph of its help, in English (translated
    when shown)."""

    module: str
    attribute: str
    summary: str
    group: bool = False


Prepare = Callable[[typer.Typer], Callable[[], None]]
"""What is done to a command's Typer app before it is built (its help translated); it
returns what undoes it once the command is built."""


def build(name: str, spec: LazyCommand, prepare: Prepare) -> Any:
    """The Click command ``name`` (Typer's), imported and built from ``spec``."""
    found = getattr(importlib.import_module(spec.module), spec.attribute)
    if spec.group:
        one = found()
    else:
        one = typer.Typer(
            add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="rich"
        )
        one.command(name, cls=SoracostCommand)(found)
    undo = prepare(one)
    try:
        return typer.main.get_command(one)
    finally:
        undo()


class Commands(MutableMapping[str, Any]):
    """A group's commands by name: the lazy ones are built the first time they are read."""

    def __init__(self, lazy: Mapping[str, LazyCommand], prepare: Prepare) -> None:
        self.lazy, self.prepare = lazy, prepare
        self.built: dict[str, Any] = {}
        self.names: list[str] = list(lazy)

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            if name not in self.lazy:
                raise KeyError(name)
            self.built[name] = build(name, self.lazy[name], self.prepare)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self.names:
            self.names.append(name)
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self.names:
            raise KeyError(name)
        self.names.remove(name)
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.names))

    def __len__(self) -> int:
        return len(self.names)

    def listed(self, name: str) -> Any:
        """What ``--help`` shows of ``name``: the command if it is built, else a
        stand-in holding its summary (never run: outside a help's listing,
        :meth:`LazyGroup.get_command` gives the real command)."""
        if name in self.built or name not in self.lazy:
            return self.built.get(name)
        return TyperCommand(name, help=_(self.lazy[name].summary))


class LazyGroup(SoracostGroup):
    """soracost's command group with the commands of :attr:`lazy` imported when used.

    Typer creates the group (``typer.Typer(cls=...)``), so a subclass says which
    commands are lazy (:attr:`lazy`) and how each is prepared (:attr:`prepare`)."""

    lazy: Mapping[str, LazyCommand] = {}
    prepare: Prepare = staticmethod(lambda app: lambda: None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eager = dict(self.commands)
        self.commands: Commands = Commands(self.lazy, type(self).prepare)
        self.commands.update(eager)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing:
            return self.commands.listed(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # The help lists every command with its summary: no command is imported for it.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
