"""The command line's entry: the command group, its root options, and the commands it
offers. Each command lives in soracost.cli.commands; options in soracost.cli.options,
soracost.cli.scenario_options and soracost.cli.site_options;
faults become exit codes in soracost.cli.faults.

No ``from __future__ import annotations``: Typer reads the annotations at run time, and
as strings it had to compile and evaluate each one on every run (~5 ms of a command).
"""

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer
from typer.models import DefaultPlaceholder

from soracost import __version__, i18n
from soracost.cli.lazy import LazyCommand, LazyGroup
from soracost.i18n import N_, _

COMMANDS: dict[str, LazyCommand] = {
    "clip": LazyCommand(
        "soracost.cli.commands.footprint",
        "clip",
        N_("Electricity and water per clip and for a batch of COUNT clips, source by source."),
    ),
    "compare": LazyCommand(
        "soracost.cli.commands.footprint",
        "compare",
        N_("Every figure of one quantity side by side, sorted, with the spread between them."),
    ),
    "explain": LazyCommand(
        "soracost.cli.commands.footprint",
        "explain",
        N_("Every step behind one estimate's figures, for the current options."),
    ),
    "equivalents": LazyCommand(
        "soracost.cli.commands.catalogue",
        "equivalents_command",
        N_(
            "The everyday equivalents --equivalents uses, with basis and source; or amounts "
            "in them."
        ),
    ),
    "ecologits-models": LazyCommand(
        "soracost.cli.commands.catalogue",
        "ecologits_models",
        N_("The video models the installed EcoLogits knows, for --ecologits."),
    ),
    "sites": LazyCommand(
        "soracost.cli.commands.catalogue",
        "sites",
        N_("The sites --site can name, with their PUE and water factors and the sources of each."),
    ),
    "report": LazyCommand(
        "soracost.cli.commands.usage",
        "report",
        N_("Energy, water and carbon of a log of generations, per period, service and site."),
    ),
    "sources": LazyCommand(
        "soracost.cli.commands.catalogue",
        "sources_group",
        N_("List the sources behind the figures, or check a data file (sources check)."),
        group=True,
    ),
}
"""soracost's commands, in the order ``--help`` lists them: where each is (imported only
when it runs: soracost.cli.lazy) and its summary, the first paragraph of its help."""


class _Commands(LazyGroup):
    lazy = COMMANDS
    prepare = staticmethod(lambda one: _translate_help(one))


app = typer.Typer(
    cls=_Commands,
    name="soracost",
    help=_(
        "Electricity, water and carbon footprints of AI video generation (Sora and its peers), "
        "with every figure tied to its published source.\n\n"
        "Nobody has measured Sora itself: the figures are published measurements of open "
        "models, modelled estimates and back-of-envelope figures, each shown with its "
        "boundary, its method and its citation."
    ),
    epilog=_("Examples:")
    + (
        "  soracost clip --count 10  ·  "
        "soracost clip --duration 12 --resolution 1080p --site arizona  ·  "
        "soracost explain mlenergy-wan21-1.3b  ·  soracost compare --quantity water  ·  "
        "soracost clip --count 10 --equivalents --carbon  ·  "
        'soracost equivalents --of "90 Wh"  ·  '
        "soracost compare --format csv --output compare.csv  ·  soracost sources check my.yaml"
        "\n\n"
    )
    + _("Exit codes: 0 ok, 1 bad data or input/output problem, 2 misused command line."),
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    suggest_commands=False,  # SoracostGroup suggests, in the run's language
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LangChoice(str, Enum):
    """The languages of ``--lang``."""

    en = "en"
    fr = "fr"


def _lang(value: LangChoice | None) -> LangChoice | None:
    # The entry point has already chosen the language from the command line (before the
    # help texts were built); this also serves a command group run in-process (tests).
    if value is not None:
        i18n.select(value.value)
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"soracost {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help=_("Show the version and exit."),
            callback=_version,
            is_eager=True,
        ),
    ] = False,
    lang: Annotated[
        LangChoice | None,
        typer.Option(
            "--lang",
            help=_(
                "Language of tables, messages and help: en or fr (before or after the "
                "command). Default: $SORACOST_LANG, else the locale (LC_ALL, LC_MESSAGES, "
                "LANG). CSV and JSON are the same in every language."
            ),
            callback=_lang,
            is_eager=True,
            case_sensitive=False,  # --lang FR, as $SORACOST_LANG=FR
            show_default=False,
        ),
    ] = None,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


def _translate_help(*groups: typer.Typer) -> Callable[[], None]:
    """Each command's help (its docstring) and, in another language than English, each
    option's and argument's help and help panel, in the language of the run, before Typer
    builds the command line from them. The catalogue holds each paragraph of a docstring
    as ``inspect.cleandoc`` gives it (the example command lines left out) and each help
    text as written in the source (see soracost.i18n_tools, which extracts them;
    tests/test_french.py checks that every one Typer shows has its translation).

    Returns what puts the options' texts back as written, once Typer has built the
    command: they are shared by several commands, and a command built later in the same
    process (tests) in another language must find them as written."""
    translated: dict[int, tuple[Any, Any, Any]] = {}  # shared options: translated once
    for group in groups:
        infos = [*group.registered_commands, group.registered_callback]
        for info in infos:
            if info is None or info.callback is None:
                continue
            # Typer's "not given" is None for a command, a placeholder for a callback.
            unset = info.help is None or isinstance(info.help, DefaultPlaceholder)
            if unset and info.callback.__doc__:
                info.help = i18n.help_text(inspect.cleandoc(info.callback.__doc__))
            if i18n.language() != "en":
                _translate_parameters(info.callback, translated)

    def restore() -> None:
        for info, help_text, panel in translated.values():
            info.help, info.rich_help_panel = help_text, panel

    return restore


def _translate_parameters(
    command: Callable[..., Any], translated: dict[int, tuple[Any, Any, Any]]
) -> None:
    """The help and help panel of ``command``'s options and arguments, translated in place
    (only for another language than English: English runs do none of this work); each
    one's texts as written are kept in ``translated``."""
    import typing

    from typer.models import ParameterInfo

    hints = typing.get_type_hints(command, include_extras=True)
    defaults = [parameter.default for parameter in inspect.signature(command).parameters.values()]
    found = [meta for hint in hints.values() for meta in getattr(hint, "__metadata__", ())]
    for info in (*found, *defaults):
        if isinstance(info, ParameterInfo) and id(info) not in translated:
            translated[id(info)] = (info, info.help, info.rich_help_panel)
            if info.help:
                info.help = _(info.help)
            if info.rich_help_panel:
                info.rich_help_panel = _(info.rich_help_panel)


_translate_help(app)

__all__ = ["app"]
