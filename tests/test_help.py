"""soracost's own help renderer (soracost/cli/help.py), held to exact pages for a small
app with every kind of parameter and command it draws: arguments required or not, in
panels of their own; options with a range, an enumerated default, a default given as
text, a list or a function as default, a two-way flag, a counting option, an environment
variable shown, a hidden option; a deprecated command, a command in a panel of its own,
a help with a kept paragraph (``\\b``) and a form feed, text with ANSI codes, an
automatic environment variable. soracost's own pages are held by
docs/cli.md (generated from them, tests/test_docs.py)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from soracost import i18n
from soracost.cli.app import COMMANDS
from soracost.cli.faults import SoracostCommand, SoracostGroup
from soracost.cli.help import _range, _without_prefix

from .test_french import run

GOLDEN = Path(__file__).parent / "data" / "golden"


class Colour(str, Enum):
    red = "red"
    green = "green"


class Size(str, Enum):
    small = "S"
    large = "L"


def _today() -> str:
    return "today"


def fixture_app() -> typer.Typer:
    """A small app with every kind of parameter and command the help draws."""
    app = typer.Typer(
        cls=SoracostGroup,
        name="demo",
        help="A demo of every help,\non two lines.\n\nIts second paragraph, dim, with --an-option.",
        epilog="Examples: demo paint red",
        rich_markup_mode="rich",
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.command("paint", cls=SoracostCommand)
    def paint(
        colour: Annotated[Colour, typer.Argument(help="The colour.")],
        day: Annotated[str, typer.Option(help="When.", default_factory=_today)],
        where: Annotated[
            str | None, typer.Argument(help="Where to paint.", rich_help_panel="Places")
        ] = None,
        coats: Annotated[
            int, typer.Option("--coats", "-c", min=1, max=9, help="Coats of paint.")
        ] = 2,
        thinner: Annotated[float, typer.Option(min=0, help="Share of thinner.")] = 0.1,
        finish: Annotated[Colour, typer.Option(help="The finish.")] = Colour.green,
        brush: Annotated[
            str, typer.Option(help="The brush.", show_default="the round one")
        ] = "round",
        tags: Annotated[list[str], typer.Option(help="Tags, repeatable.")] = ["a", "b"],  # noqa: B006
        force: Annotated[
            bool, typer.Option("--force/--no-force", help="Paint over.", rich_help_panel="Care")
        ] = False,
        verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
        token: Annotated[
            str | None,
            typer.Option(envvar="DEMO_TOKEN", show_envvar=True, help="A token."),
        ] = None,
        secret: Annotated[str, typer.Option(hidden=True)] = "",
    ) -> None:
        """Paint something.

        \b
        Kept as written:
          line one
          line two
        \f
        Not shown.
        """

    @app.command("strip", cls=SoracostCommand, deprecated=True, short_help="Strip it.")
    def strip() -> None:
        """Strip the paint."""

    @app.command(
        "mix",
        cls=SoracostCommand,
        rich_help_panel="Other",
        context_settings={"auto_envvar_prefix": "DEMO", "show_default": True},
    )
    def mix(
        batch: Annotated[int, typer.Argument(min=1, max=3, help="A ranged argument.")] = 1,
        limit: Annotated[int, typer.Option(max=5, help="At most.")] = 5,
        shade: Annotated[str, typer.Option(help="A \033[1mbold\033[0m shade.")] = "",
        size: Annotated[Size, typer.Option(help="Named L, shown L.")] = Size.large,
        user: Annotated[tuple[str, int], typer.Option(help="Unset pair.")] = (None, None),  # type: ignore[assignment]
        quiet: Annotated[int, typer.Option("--quiet", "-q", count=True, min=0)] = 0,
        plain: Annotated[str, typer.Option(show_default=False, help="Shown by context.")] = "x",
        empty: Annotated[str, typer.Option(envvar=[""], help="An empty name.")] = "",
    ) -> None:
        """\b
        Mix paints,
        as written."""

    return app


def page(app: typer.Typer, *args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


PAGES = {
    "help-demo-80.txt": ((), 80, False),
    "help-demo-paint-80.txt": (("paint",), 80, False),
    "help-demo-paint-40.txt": (("paint",), 40, False),
    "help-demo-strip-80.txt": (("strip",), 80, False),
    "help-demo-mix-80.txt": (("mix",), 80, False),
    "help-demo-colour-80.txt": ((), 80, True),
    "help-demo-paint-colour-80.txt": (("paint",), 80, True),
    "help-demo-120.txt": ((), 120, False),
    "help-demo-mix-40.txt": (("mix",), 40, False),
    "help-demo-paint-colour-120.txt": (("paint",), 120, True),
}
"""Each golden page: the command, the width and whether colours are forced. The files
were read and checked by hand; after a deliberate change to the help, regenerate them
with ``SORACOST_UPDATE_GOLDEN=1 python -m pytest tests/test_help.py``, read the diff,
and commit it."""


@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_drawn_exactly(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    args, columns, colour = PAGES[name]
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")  # colours: Rich reads the terminal's kind
    for variable in ("GITHUB_ACTIONS", "PY_COLORS", "TERMINAL_WIDTH", "NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(variable, raising=False)
    drawn = page(fixture_app(), *args, columns=columns)
    expected = GOLDEN / name
    if os.environ.get("SORACOST_UPDATE_GOLDEN"):
        expected.write_text(drawn, encoding="utf-8")
    assert drawn == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "bare"),
    [("--no-force", "no-force"), ("-f", "f"), ("/debug", "debug"), ("+w", "w"), ("x", "x")],
)
def test_a_two_way_flags_default_is_named_without_its_prefix(name: str, bare: str) -> None:
    assert _without_prefix(name) == bare


@pytest.mark.parametrize(
    ("bounds", "described"),
    [
        ((1, 9, False, False), "1<=x<=9"),
        ((0, 1, True, True), "0<x<1"),
        ((0, None, False, False), "x>=0"),
        ((0, None, True, False), "x>0"),
        ((None, 5, False, False), "x<=5"),
        ((None, 5, False, True), "x<5"),
    ],
)
def test_a_range_is_described_as_click_does(
    bounds: tuple[float | None, float | None, bool, bool], described: str
) -> None:
    low, high, low_open, high_open = bounds
    # what a Click range type holds (Typer's Click is vendored, its types private)
    kind = SimpleNamespace(min=low, max=high, min_open=low_open, max_open=high_open)
    assert _range(kind) == described


def test_the_usage_prefix_is_highlighted_in_every_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    english = page(fixture_app(), "strip")
    i18n.select("fr")
    try:
        french = page(fixture_app(), "strip")
    finally:
        i18n.select("en")
    yellow = "\x1b[1;33m"
    assert f"{yellow}Usage: \x1b[0m" in english
    prefix = french.split(yellow, 1)[1].split("\x1b[0m", 1)[0]
    assert prefix.startswith("Usage") and prefix != "Usage: " and prefix.endswith(" ")


def _plain_or_coloured(monkeypatch: pytest.MonkeyPatch, colour: bool) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    for variable in ("GITHUB_ACTIONS", "PY_COLORS", "TERMINAL_WIDTH", "NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(variable, raising=False)
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_terminal_width_sets_the_width_of_help(monkeypatch: pytest.MonkeyPatch) -> None:
    _plain_or_coloured(monkeypatch, False)
    monkeypatch.setenv("TERMINAL_WIDTH", "60")
    lines = page(fixture_app(), "paint", columns=100).splitlines()
    assert {len(line) for line in lines if line} == {60}  # at 100 without it


@pytest.mark.parametrize("variable", ["GITHUB_ACTIONS", "PY_COLORS", "FORCE_COLOR"])
def test_a_ci_service_or_colour_variable_forces_colours(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    _plain_or_coloured(monkeypatch, False)
    assert "\x1b[" not in page(fixture_app(), "strip")
    monkeypatch.setenv(variable, "1")
    assert "\x1b[" in page(fixture_app(), "strip")


def test_without_rich_the_help_is_clicks_plain_help() -> None:
    """TYPER_USE_RICH=0 asks Typer for Click's plain help (no panels): soracost keeps it,
    with its own usage line and every command listed."""
    done = run("--help", env={"TYPER_USE_RICH": "0"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: soracost [OPTIONS] COMMAND [ARGS]...\n")
    assert "╭" not in done.stdout
    assert all(f"  {name}  " in done.stdout for name in COMMANDS)
    assert "╭─ Commands ─" in run("--help").stdout
