"""What several views share: a table's title, the numbered sources under a table
(footnotes and their legend), a source's citation, a range as a cell, a compact header."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from soracost.core.records import Source
from soracost.i18n import _, format_date
from soracost.views.display import format_range
from soracost.views.links import WholeUrls, url_text
from soracost.views.text import shown

# Translated when this module is imported: the CLI chooses the language before that.
MISSING = Text(_("none"), style="dim italic")


def title_text(text: str) -> Text:
    """A table's title as Text, styled as Rich styles a title given as a string: a title
    holds text from outside (a file name, --model), which a string would be read as markup."""
    return Text(text, style="table.title")


class Footnotes:
    """Numbers sources in order of first appearance, for a legend under a table."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.sources: list[Source] = []

    def mark(self, source: Source) -> str:
        if source.id not in self.numbers:
            self.numbers[source.id] = len(self.numbers) + 1
            self.sources.append(source)
        return f"[{self.numbers[source.id]}]"

    def legend(self) -> RenderableType:
        """Each source's number, citation, URL (whole, on its own line: see
        :mod:`soracost.views.links`) and what it does not say."""
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for source in self.sources:
            lines: list[RenderableType] = [Text(shown(citation(source)), overflow="fold")]
            if source.url:
                lines.append(url_text(source.url, style="cyan"))
            # a field's name and why the source lacks it: the data's words, as written
            gaps = [f"{shown(name)}: {shown(why)}" for name, why in source.gaps.items()]
            if gaps:
                said = _("not known: {gaps}").format(gaps="; ".join(gaps))
                lines.append(Text(said, style="dim", overflow="fold"))
            table.add_row(f"[{self.numbers[source.id]}]", Group(*lines))
        return WholeUrls(table)


def citation(source: Source, *, short: bool = False) -> str:
    """:attr:`Source.citation` (``short``: :attr:`Source.short_citation`, the first author
    only) for reading: publisher, authors, the date in the run's language (``23 septembre
    2025``; ``undated`` translated), title."""
    parts = [source.publisher]
    if source.authors and short:
        parts.append(source.authors[0] + (" et al" if len(source.authors) > 1 else ""))
    elif source.authors:
        parts.append(", ".join(source.authors))
    parts.append(format_date(source.date) if source.date else _("undated"))
    if source.title:
        parts.append(f"“{source.title}”")
    return ". ".join(parts)


def range_cell(low: float, mid: float, high: float) -> Text:
    """Mid in bold, with ``low – high`` beneath it; one line when the three are equal."""
    low_text, mid_text, high_text = format_range(low, mid, high)
    if low == mid == high:
        return Text(mid_text, style="bold")
    return Text.assemble((mid_text, "bold"), "\n", (f"{low_text} – {high_text}", "dim"))


def column_header(*lines: str) -> Text:
    """A compact table's header, one line each of ``lines``."""
    return Text("\n".join(lines))
