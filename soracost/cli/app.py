"""The command line's entry: the command group, its root options, and the commands it
offers. Each command lives in soracost.cli.commands; options in soracost.cli.options;
faults become exit codes in soracost.cli.faults.

No ``from __future__ import annotations``: Typer reads the annotations at run time, and
as strings it had to compile and evaluate each one on every run (~5 ms of a command).
"""

from typing import Annotated

import typer

from soracost import __version__
from soracost.cli.commands import catalogue, footprint
from soracost.cli.faults import SoracostGroup

app = typer.Typer(
    cls=SoracostGroup,
    name="soracost",
    help=(
        "Electricity, water and carbon footprints of AI video generation (Sora and its peers), "
        "with every figure tied to its published source.\n\n"
        "Nobody has measured Sora itself: the figures are published measurements of open "
        "models, modelled estimates and back-of-envelope figures, each shown with its "
        "boundary, its method and its citation."
    ),
    epilog=(
        "Examples:  soracost clip --count 10  ·  "
        "soracost clip --duration 12 --resolution 1080p --site arizona  ·  "
        "soracost explain mlenergy-wan21-1.3b  ·  soracost compare --quantity water  ·  "
        "soracost clip --count 10 --equivalents --carbon  ·  "
        'soracost equivalents --of "90 Wh"  ·  '
        "soracost compare --format csv --output compare.csv  ·  soracost sources check my.yaml"
        "\n\nExit codes: 0 ok, 1 bad data or input/output problem, 2 misused command line."
    ),
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
sources_app = typer.Typer(
    cls=SoracostGroup,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(sources_app, name="sources")


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
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


app.command()(footprint.clip)
app.command()(footprint.compare)
app.command()(footprint.explain)
app.command("equivalents")(catalogue.equivalents_command)
app.command("ecologits-models")(catalogue.ecologits_models)
app.command()(catalogue.sites)
sources_app.callback(invoke_without_command=True)(catalogue.sources_list)
sources_app.command("check")(catalogue.sources_check)

__all__ = ["app"]
