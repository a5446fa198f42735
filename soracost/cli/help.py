"""soracost's ``--help``, drawn with Rich in Typer's layout: the usage line, the help
text, a panel of options for each ``rich_help_panel`` (arguments first), the commands
and the epilog.

Why soracost draws it rather than Typer: Typer's help module (``typer.rich_utils``)
imports Rich's Markdown renderer (markdown-it) and traceback module (Pygments) at its
top, whatever the help holds. soracost's help is Rich markup, never Markdown, and those
imports were 160 M of the 551 M instructions of ``soracost --help`` (nearly a third
of its time): with them ``--help`` missed the start-up target (docs/performance.md). Click
documents ``format_help`` as the hook that writes a command's help, and Typer lets an
app name its command classes (``cls=``); :class:`soracost.cli.faults.TranslatedHelp`
overrides it with :func:`print_help`.

What is drawn follows Typer 0.28's help (the Rich tables and panels, their styles and
the highlighting of ``--options``), built from Click's public parameter attributes
(``opts``, ``metavar``, ``make_metavar``, ``get_default``, a range's ``min`` and
``max``) and Typer's public ``rich_help_panel``. Its words are soracost's messages, in
the run's language. Markdown help is not supported: soracost's apps use Rich markup.
tests/test_help.py holds the layout to exact pages for a small command of every kind of
parameter; docs/cli.md, generated from the help and checked, holds soracost's own.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from typing import Any

from rich.align import Align
from rich.columns import Columns
from rich.console import Console, RenderableType, group
from rich.highlighter import RegexHighlighter
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from soracost.i18n import _

THEME = Theme(
    {
        "option": "bold cyan",
        "switch": "bold green",
        "negative_option": "bold magenta",
        "negative_switch": "bold red",
        "types": "bold yellow",
        "types_sep": "dim",
        "usage": "yellow",
    }
)
"""The styles the highlighters below name (Typer's)."""

STYLE_USAGE_LINE = "bold"
STYLE_HELP_REST = "dim"  # the help's paragraphs after the first
STYLE_TYPES = "bold yellow"
STYLE_DEFAULT = "dim"
STYLE_ENVVAR = "dim yellow"
STYLE_REQUIRED_MARK = "red"
STYLE_REQUIRED = "dim red"
STYLE_DEPRECATED = "red"
STYLE_DEPRECATED_COMMAND = "dim"
STYLE_COMMAND_NAME = "bold cyan"
STYLE_PANEL_BORDER = "dim"


class OptionHighlighter(RegexHighlighter):
    """Options (``--site``), switches (``-s``) and ``<choices>`` in any help text."""

    highlights = [  # noqa: RUF012 (Rich reads the class attribute)
        r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
        r"(?P<types>\<[^\>]+\>)",
        r"(?P<usage>Usage: )",
    ]


class NegativeOptionHighlighter(RegexHighlighter):
    """The second name of a two-way flag (``--no-force``)."""

    highlights = [  # noqa: RUF012
        r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
    ]


class TypesHighlighter(RegexHighlighter):
    """The brackets and bars of a metavar (``<a | b>``, ``[1<=x<=9]``), dim."""

    highlights = [  # noqa: RUF012
        r"^(?P<types_sep>(\[|<))",
        r"(?P<types_sep>\|)",
        r"(?P<types_sep>(\]|>))(\.\.\.)?$",
    ]


highlight_options = OptionHighlighter()
highlight_negative = NegativeOptionHighlighter()
highlight_types = TypesHighlighter()


def print_help(command: Any, ctx: Any) -> None:
    """Print ``command``'s help (a Click command or group built by Typer) to stdout."""
    console = help_console()
    usage = highlight_options(command.get_usage(ctx))
    usage.highlight_words([_("Usage:") + " "], style="usage")  # the highlighter's is English
    console.print(Padding(usage, 1), style=STYLE_USAGE_LINE)
    if command.help:
        console.print(Padding(Align(_help_text(command), pad=False), (0, 1, 1, 1)))
    for title, parameters in _panels(command.get_params(ctx)):
        console.print(_parameter_panel(title, parameters, ctx))
    list_commands = getattr(command, "list_commands", None)
    if list_commands is not None:
        for panel in _command_panels(command, ctx, list_commands(ctx)):
            console.print(panel)
    if command.epilog:
        console.print(Padding(Align(_rich_text(command.epilog), pad=False), 1))


def help_console() -> Console:
    """The console help is printed on: stdout, Rich's width (``$COLUMNS``, else the
    terminal's, else 80) unless ``$TERMINAL_WIDTH`` says, colours forced where a CI
    service or ``$FORCE_COLOR``/``$PY_COLORS`` asks (as Typer's help does)."""
    width = os.environ.get("TERMINAL_WIDTH")  # held to 40-1000 by SoracostGroup.main
    forced = any(os.environ.get(name) for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS"))
    return Console(
        theme=THEME,
        highlighter=highlight_options,
        force_terminal=True if forced else None,
        width=int(width) if width and width.isdigit() else None,
    )


def _rich_text(text: str, style: str = "") -> Text:
    """Help text (Rich markup, or text with ANSI codes) with its options highlighted."""
    text = inspect.cleandoc(text)
    if "\033[" in text:
        return highlight_options(Text.from_ansi(text, style=style))
    return highlight_options(Text.from_markup(text, style=style))


@group()
def _help_text(command: Any) -> Iterator[Text]:
    """A command's help: its first paragraph (single line breaks joined), then the rest
    dim; what follows a form feed is left out (Click's convention)."""
    if command.deprecated:
        yield Text(_("(deprecated) "), style=STYLE_DEPRECATED)
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    first, *rest = text.split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    yield _rich_text(first.strip())
    if rest:
        yield Text("")
        yield _rich_text("\n\n".join(rest), style=STYLE_HELP_REST)


def _panels(parameters: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """The panels of a help, each with its parameters in their order: the arguments'
    default panel, their other panels, the options' default panel ("Options"), their
    other panels, each other panel where its first parameter comes. Hidden ones are
    left out; a panel with nothing in it is not drawn."""
    arguments_title, options_title = _("Arguments"), _("Options")
    arguments: dict[str, list[Any]] = {arguments_title: []}
    options: dict[str, list[Any]] = {options_title: []}
    for parameter in parameters:
        if getattr(parameter, "hidden", False):
            continue
        panels, default = (
            (options, options_title) if _is_option(parameter) else (arguments, arguments_title)
        )
        panels.setdefault(getattr(parameter, "rich_help_panel", None) or default, []).append(
            parameter
        )
    return [(title, found) for title, found in (*arguments.items(), *options.items()) if found]


def _parameter_panel(title: str, parameters: Sequence[Any], ctx: Any) -> Panel:
    """One panel of options or arguments: a row each with its long names, short names,
    negative names (long, short), metavar and help; a first column with ``*`` when one
    of them is required."""
    rows: list[list[RenderableType]] = []
    for parameter in parameters:
        names, negative_names = (
            _names(parameter, parameter.opts),
            _names(parameter, parameter.secondary_opts),
        )
        rows.append(
            [
                highlight_options(",".join(names[0])),
                highlight_options(",".join(names[1])),
                highlight_negative(",".join(negative_names[0])),
                highlight_negative(",".join(negative_names[1])),
                highlight_types(_metavar(parameter, ctx)),
                _parameter_help(parameter, ctx),
            ]
        )
    if any(parameter.required for parameter in parameters):
        marks = [Text("*", style=STYLE_REQUIRED_MARK) if p.required else "" for p in parameters]
        rows = [[mark, *row] for mark, row in zip(marks, rows, strict=True)]
    table = Table(
        highlight=True, show_header=False, expand=True, box=None, pad_edge=False, padding=(0, 1)
    )
    for row in rows:
        table.add_row(*row)
    return Panel(table, border_style=STYLE_PANEL_BORDER, title=title, title_align="left")


def _is_option(parameter: Any) -> bool:
    """An option, as opposed to an argument (Click's ``param_type_name``)."""
    return getattr(parameter, "param_type_name", "") == "option"


def _names(parameter: Any, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """A parameter's names, long (``--site``) and short (``-s``; an argument's metavar
    or name)."""
    long_names: list[str] = []
    short_names: list[str] = []
    for name in names:
        if "--" in name:
            long_names.append(name)
        else:
            label = None if _is_option(parameter) else parameter.metavar or parameter.name
            short_names.append(label or name)
    return long_names, short_names


def _metavar(parameter: Any, ctx: Any) -> Text:
    """What an option or argument takes (``SITE``, ``<a | b>``), and a number's range."""
    found = Text(style=STYLE_TYPES, overflow="fold")
    if _is_option(parameter):
        metavar = parameter.make_metavar(ctx)
    else:
        metavar = parameter.type.get_metavar(param=parameter, ctx=ctx)
        if metavar is None:
            metavar = f"<{parameter.type.name}>"
    if metavar and "bool" not in metavar.lower():
        found.append(metavar)
    kind = parameter.type
    if _is_option(parameter) and _is_range(kind) and not _is_plain_count(parameter):
        found.append(f" [{_range(kind)}]")
    return found


def _is_range(kind: Any) -> bool:
    """Whether a parameter type is a number range (Click's IntRange, FloatRange)."""
    return all(hasattr(kind, name) for name in ("min", "max", "min_open", "max_open", "clamp"))


def _is_plain_count(parameter: Any) -> bool:
    """A counting option (``-vvv``) from 0 up: its range is not worth saying."""
    kind = parameter.type
    return bool(getattr(parameter, "count", False) and kind.min == 0 and kind.max is None)


def _range(kind: Any) -> str:
    """A range as Click describes it: ``1<=x<=9``, ``x>=0``, ``0<x<1``."""
    if kind.min is None:
        return f"x{'<' if kind.max_open else '<='}{kind.max}"
    if kind.max is None:
        return f"x{'>' if kind.min_open else '>='}{kind.min}"
    low, high = "<" if kind.min_open else "<=", "<" if kind.max_open else "<="
    return f"{kind.min}{low}x{high}{kind.max}"


def _parameter_help(parameter: Any, ctx: Any) -> Columns:
    """An option's or argument's help, then its environment variable, its default and
    whether it is required, each set beside the last where the width allows."""
    items: list[Text] = []
    help_text: str | None = getattr(parameter, "help", None)
    if help_text:
        paragraphs = [
            "{}\n".format(part.strip("\b\n"))
            if part.startswith("\b")
            else part.replace("\n", " ").strip()
            for part in help_text.split("\n\n")
        ]
        items.append(_rich_text("\n".join(paragraphs).strip()))
    envvar = _envvar(parameter, ctx)
    if envvar is not None and getattr(parameter, "show_envvar", False):
        items.append(Text(_("[env var: {}]").format(envvar), style=STYLE_ENVVAR))
    default = _default(parameter, ctx)
    if default:
        items.append(Text(_("[default: {}]").format(default), style=STYLE_DEFAULT))
    if parameter.required:
        items.append(Text(_("[required]"), style=STYLE_REQUIRED))
    return Columns(items)


def _envvar(parameter: Any, ctx: Any) -> str | None:
    """The environment variable(s) a parameter is read from, named or automatic; None
    where there is none (an empty name or list is one, shown as it is)."""
    envvar = getattr(parameter, "envvar", None)
    automatic = getattr(parameter, "allow_from_autoenv", False) and parameter.name
    if envvar is None and automatic and ctx.auto_envvar_prefix is not None:
        envvar = f"{ctx.auto_envvar_prefix}_{parameter.name.upper()}"
    if not envvar:
        return None
    return envvar if isinstance(envvar, str) else ", ".join(str(one) for one in envvar)


def _default(parameter: Any, ctx: Any) -> str:
    """The default a help shows, or "": shown where ``show_default`` (or the context's)
    asks; ``show_default`` given as text is shown instead, in brackets."""
    shown_as = getattr(parameter, "show_default", None)
    if isinstance(shown_as, str):
        return f"({shown_as})"
    resilient = ctx.resilient_parsing  # read the default without converting it
    ctx.resilient_parsing = True
    try:
        value = parameter.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if value is None or not (shown_as or ctx.show_default):
        return ""
    return _default_text(parameter, value)


def _default_text(parameter: Any, value: Any) -> str:
    """A default value as the help writes it: an enum by its value, a list joined, a
    function as "(dynamic)", a two-way flag by the name it defaults to, an unset
    one-way flag or an unset value (None, also inside a list) not at all."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        parts = [_default_text(parameter, one) for one in value]
        return ", ".join(parts) if any(parts) else ""
    if isinstance(value, Enum):
        return str(value.value)
    if inspect.isfunction(value):
        return _("(dynamic)")
    flag = _is_option(parameter) and getattr(parameter, "is_bool_flag", False)
    if flag and parameter.secondary_opts:
        names = parameter.opts if parameter.default else parameter.secondary_opts
        return _without_prefix(names[0]) if names else str(value)
    if flag and not value:
        return ""
    return str(value)


def _without_prefix(name: str) -> str:
    """An option's name without its prefix, as Click splits it: ``--no-force`` →
    ``no-force``, ``-f`` → ``f``, ``/debug`` → ``debug``."""
    first = name[:1]
    if first.isalnum():
        return name
    return name[2:] if name[1:2] == first else name[1:]


def _command_panels(command: Any, ctx: Any, names: Sequence[str]) -> list[Panel]:
    """A group's commands, a panel for each ``rich_help_panel`` ("Commands" first), the
    name column as wide as the longest name in any panel."""
    default_title = _("Commands")
    panels: dict[str, list[Any]] = {default_title: []}
    for name in names:
        found = command.get_command(ctx, name)
        if found is not None and not found.hidden:
            title = getattr(found, "rich_help_panel", None) or default_title
            panels.setdefault(title, []).append(found)
    width = max((len(one.name or "") for listed in panels.values() for one in listed), default=0)
    return [_command_panel(title, listed, width) for title, listed in panels.items() if listed]


def _command_panel(title: str, commands: Sequence[Any], width: int) -> Panel:
    """One panel of commands: each one's name (``width`` wide) and summary, and a
    "(deprecated)" column when one of them is."""
    table = Table(
        highlight=False, show_header=False, expand=True, box=None, pad_edge=False, padding=(0, 1)
    )
    table.add_column(style=STYLE_COMMAND_NAME, no_wrap=True, width=width)
    # A large ratio gives the summaries all the room, so the name column keeps the same
    # width in every panel.
    table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    deprecated = any(one.deprecated for one in commands)
    for one in commands:
        name = Text(one.name or "", style=STYLE_DEPRECATED_COMMAND if one.deprecated else "")
        row: list[RenderableType | None] = [name, _summary(one.short_help or one.help or "")]
        if deprecated:
            row.append(Text(_("(deprecated) "), style=STYLE_DEPRECATED) if one.deprecated else None)
        table.add_row(*row)
    return Panel(table, border_style=STYLE_PANEL_BORDER, title=title, title_align="left")


def _summary(help_text: str) -> Text:
    """A command's summary in a group's help: the first paragraph of its help."""
    first = inspect.cleandoc(help_text).split("\n\n")[0]
    if first.startswith("\b"):
        first = first.replace("\b\n", "")
    return _rich_text(first.strip())
