"""A URL printed to a terminal is whole on one line, at 80, 100 and 120 columns.

A URL folded over two lines can be neither copied nor clicked. Every command that prints
the shipped catalogue's URLs to a terminal (explain's tree, the legends of the wide and
compact tables, sources --wide, sites, equivalents, the report), in English and in
French: each URL the output holds (that is, holds whole at 1000 columns, where nothing
folds) is whole on one line of the plain output at 80, 100 and 120 columns, as many
times. Where the line is too narrow it runs past the right edge instead. Then the
mechanism (:mod:`soracost.views.links`) on small renderables, exactly.

Each command runs as a separate process, as a user runs it (the language is chosen
before the CLI is imported).
"""

from __future__ import annotations

import io
import os
import subprocess
from collections import Counter

import pytest
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from soracost.data.catalog import default_sources_path, load_catalog
from soracost.views.links import WholeUrls, ascii_form, url_text
from soracost.views.prose import Prose

from .conftest import REPO_ROOT
from .helpers import soracost_argv, subprocess_env

COMMANDS = {
    "explain": ["explain", "cnet-90wh"],
    "explain-carbon-embodied": ["explain", "cnet-90wh", "--carbon", "--embodied"],
    "explain-france": ["explain", "mlenergy-wan21-1.3b", "--site", "france", "--carbon"],
    "sources-wide": ["sources", "--wide"],
    "clip-wide": ["clip", "--wide", "--carbon", "--equivalents", "--embodied"],
    "clip": ["clip", "--carbon", "--equivalents"],
    "compare-wide": ["compare", "--wide"],
    "compare-wide-water": ["compare", "--wide", "--quantity", "water"],
    "sites-wide": ["sites", "--wide"],
    "sites": ["sites"],
    "equivalents": ["equivalents"],
    "report": ["report", "tests/data/usage/team.csv"],
}
WIDTHS = (80, 100, 120)
LANGUAGES = ("en", "fr")
URLS = sorted(
    {source.url for source in load_catalog(default_sources_path()).sources.values() if source.url}
)


def output(args: list[str], lang: str, columns: int) -> str:
    """The plain standard output of ``soracost ARGS --lang LANG`` at ``columns``."""
    environ = subprocess_env()
    environ.update(COLUMNS=str(columns), NO_COLOR="1", PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        soracost_argv(*args, "--lang", lang), capture_output=True, text=True, env=environ,
        cwd=REPO_ROOT, timeout=60, check=False, encoding="utf-8",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def whole_urls(text: str) -> Counter[str]:
    """How many times each catalogue URL stands whole on a line of ``text``."""
    return Counter(
        {url: n for url in URLS if (n := sum(line.count(url) for line in text.splitlines()))}
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_url_is_whole_on_one_line(args: list[str], lang: str) -> None:
    expected = whole_urls(output(args, lang, 1000))
    assert expected  # the command prints URLs: the check checks something
    for columns in WIDTHS:
        assert whole_urls(output(args, lang, columns)) == expected, columns


def test_the_issue_s_example_at_80_columns() -> None:
    """``explain cnet-90wh`` at 80 columns: CNET's URL and LBNL's (three times) whole, on
    lines of their own, indented as the tree's other lines of a step."""
    lines = output(["explain", "cnet-90wh"], "en", 80).splitlines()
    cnet = (
        "https://www.cnet.com/tech/services-and-software/"
        "your-ai-videos-use-way-more-energy-than-chatbots-its-a-big-problem/"
    )
    lbnl = (
        "https://eta-publications.lbl.gov/sites/default/files/2024-12/"
        "lbnl-2024-united-states-data-center-energy-usage-report_1.pdf"
    )
    assert f"│   │      {cnet}" in lines
    assert lines.count(f"│   │      {lbnl}") == 1
    assert lines.count(f"    │      {lbnl}") == 2


URL = "https://example.org/a/path/longer/than/the/line"
"""A URL of 47 characters, for consoles of 30 columns."""


def rendered(renderable: RenderableType, width: int = 30) -> str:
    """``renderable`` as the CLI prints a view: plain, uncropped, at ``width``."""
    file = io.StringIO()
    console = Console(file=file, width=width, color_system=None, no_color=True)
    console.print(renderable, crop=False)
    return file.getvalue()


def test_a_tree_s_url_runs_past_the_edge() -> None:
    tree = Tree("root")
    tree.add(Group(Text("1. a step whose text wraps in two"), url_text(URL, indent="   ")))
    tree.add(Text("2. next"))
    assert rendered(WholeUrls(tree)) == (
        f"root\n├── 1. a step whose text wraps\n│   in two\n│      {URL}\n└── 2. next\n"
    )


@pytest.mark.parametrize("width", [16, 24, 30, 31])
def test_a_url_of_double_width_characters_is_whole_wherever_it_is_cropped(width: int) -> None:
    """Rich pads a double-width character cut at the edge with a space: the URL is still
    recognised as this one, and given back whole."""
    wide = "https://例え.jp/日本語日本語日本語日本語"
    tree = Tree("root")
    tree.add(Group(Text("1. a step"), url_text(wide, indent="   ")))
    tree.add(Text("2. next"))
    assert f"\n│      {wide} ({ascii_form(wide)})\n" in rendered(WholeUrls(tree), width)


def test_a_table_s_url_runs_past_the_edge_and_the_rest_stays() -> None:
    table = Table.grid(padding=(0, 1))
    table.add_column()
    table.add_column()
    table.add_row("[1]", Group(Text("A citation"), url_text(URL), Text("not known: the date")))
    assert rendered(WholeUrls(table)) == (
        f"[1] A citation                \n    {URL}\n    not known: the date       \n"
    )


def test_a_url_that_fits_is_left_as_it_was() -> None:
    table = Table.grid()
    table.add_column()
    table.add_row(Group(Text("A citation"), url_text("https://example.org/a")))
    assert rendered(WholeUrls(table)) == "A citation           \nhttps://example.org/a\n"


@pytest.mark.parametrize("paragraph", [Text, Prose], ids=["rich", "prose"])
def test_a_paragraph_s_url_is_not_folded(paragraph: type) -> None:
    """At the end of a line of prose (the report's sources), in English (Rich's wrapping)
    and in French (:class:`Prose`): the URL, wider than the line, is folded by neither;
    a URL that fits stays on the line."""
    cited = Text("[a] A citation of a source.")
    cited.append(" ")
    cited.append_text(url_text(URL))
    trailing = " " if paragraph is Text else ""  # Rich keeps the space a line ends at
    made = cited if paragraph is Text else Prose(cited)
    assert rendered(WholeUrls(made)) == f"[a] A citation of a source.{trailing}\n{URL}\n"
    assert rendered(WholeUrls(made), width=80) == f"[a] A citation of a source. {URL}\n"


def test_a_url_is_a_hyperlink_on_a_terminal() -> None:
    """Clickable where a terminal supports it (OSC 8); not for a URL that is not http(s)."""
    file = io.StringIO()
    console = Console(file=file, width=30, force_terminal=True, color_system="standard")
    console.print(WholeUrls(Group(url_text(URL), url_text("file:///etc/passwd"))), crop=False)
    written = file.getvalue()
    assert "\x1b]8;id=" in written and f";{URL}\x1b\\{URL}" in written
    assert "\x1b]8;id=" not in written.split("\n")[1]  # the file: URL's line


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("https://exämple.org/ünï/?q=é#f", "https://xn--exmple-cua.org/%C3%BCn%C3%AF/?q=%C3%A9#f"),
        ("https://例え.jp/日本語", "https://xn--r8jz45g.jp/%E6%97%A5%E6%9C%AC%E8%AA%9E"),
        ("https://example.org/é\u202eevil", "https://example.org/%C3%A9%E2%80%AEevil"),
    ],
)  # fmt: skip
def test_a_url_outside_ascii_is_followed_by_its_ascii_form(iri: str, uri: str) -> None:
    """On a terminal that cannot show é, the look-alike e would name another address:
    the ASCII form, beside it, is the address; it is also the hyperlink's target."""
    assert ascii_form(iri) == uri
    assert uri in rendered(url_text(iri), width=300)
    file = io.StringIO()
    console = Console(file=file, width=300, force_terminal=True, color_system="standard")
    console.print(url_text(iri), crop=False)
    assert f";{uri}\x1b\\" in file.getvalue()  # the OSC 8 target: ASCII only


def test_an_ascii_url_is_shown_alone() -> None:
    assert rendered(url_text(URL), width=300) == f"{URL}\n"


@pytest.mark.skipif(os.name == "nt", reason="an ordinary check of the plain output")
def test_the_plain_output_has_no_escape_code() -> None:
    assert "\x1b" not in output(["explain", "cnet-90wh"], "en", 80)
