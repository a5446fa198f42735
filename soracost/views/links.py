"""URLs shown whole: a URL printed to a terminal is never folded, nor cut short.

A URL broken over two lines can no longer be copied, searched for or clicked, and Rich
breaks one in two ways: a paragraph folds a word wider than its width over the lines
that follow, and a table's cell or a tree's label crops each of its lines to its own
width. So:

* :func:`url_text` is a URL on a line of its own that is never wrapped (``no_wrap``,
  overflow ``ignore``), its style marked with the whole URL (in the style's ``meta``); an
  http(s) URL is also a hyperlink, which a terminal that supports them makes clickable.
  Rich writes no escape code when the output is not a terminal: piped output stays text.
  Appended to a paragraph (``Text.append_text``), it is a word of that paragraph, still
  marked.
* :class:`WholeUrls` renders a table, a tree or a paragraph as Rich lays it out, at the
  width it is given, then gives each marked URL back the part that a cell or the tree
  cropped, or that the paragraph folded over the next lines (a word wider than the line
  starts a line of its own, so those lines held nothing else and are left out). That
  line runs past the right edge: a terminal shows the end on its next row, and a copy
  of the line, or a search, finds the URL whole. Every other line stays as Rich made it.

The CLI prints a view uncropped (``Console.print(..., crop=False)``): a console crops
each printed line to its width otherwise, URLs included.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.text import Text

from soracost.views.text import shown

_WHOLE = "soracost.url"
"""The key, in a style's meta, of the whole URL that the styled text shows."""


def url_text(url: str, *, style: StyleType = "", indent: str = "", base: StyleType = "") -> Text:
    """``url`` (as :func:`~soracost.views.text.shown` writes it) on one line, after
    ``indent`` (spaces, counted in terminal cells), in ``style`` (the indent too, as when
    the URL was appended to a longer Text); ``base`` is the style of the whole line (that
    of the Text it stood in). Never wrapped nor folded: see the module docstring. A URL
    with characters outside ASCII (an IRI, in a user's data file) is followed by its
    ASCII form, which is also its hyperlink's target: a terminal that cannot show those
    characters writes them as ASCII look-alikes, which would name another address."""
    text = shown(url)
    # from the URL itself (shown() writes a bidi control as the text <U+202E>), every
    # character outside ASCII and every ASCII control percent-encoded: safe as a target
    target = text if url.isascii() else ascii_form(url)
    if target != text:
        text = f"{text} ({target})"
    # A hyperlink only for the web: a data file's url could name anything (file:, a
    # script); the text shown is the same either way.
    link = target if target.startswith(("https://", "http://")) else None
    marked = (Style.parse(style) if isinstance(style, str) else style) + Style(
        link=link, meta={_WHOLE: text}
    )
    return Text.assemble(
        (indent, style), (text, marked), style=base, no_wrap=True, overflow="ignore"
    )


def ascii_form(url: str) -> str:
    """``url`` in ASCII, as RFC 3987 maps an IRI to a URI: the host in IDNA (punycode),
    every other character outside ASCII percent-encoded as UTF-8."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:  # not a host name IDNA can write: percent-encoded instead
            netloc = quote(netloc, safe="@:[]")
    keep = "/:@!$&'()*+,;=~%?"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=keep),
            quote(parts.query, safe=keep),
            quote(parts.fragment, safe=keep + "#"),
        )
    )


def _marked(segment: Segment) -> str | None:
    """The whole URL that ``segment`` shows (all of it or a part), if it shows one."""
    whole = segment.style.meta.get(_WHOLE) if segment.style is not None else None
    return whole if isinstance(whole, str) and segment.text else None


class WholeUrls:
    """``renderable`` (a table, a tree, a paragraph) as Rich lays it out, with each URL
    of :func:`url_text` in it whole (see the module docstring)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        folded: dict[str, int] = {}  # a URL folded at the end of the line above: its length so far
        # Rich ends every line of a table, a tree or a paragraph with a plain new line
        for line in Segment.split_lines(console.render(self.renderable, options)):
            kept: list[Segment] = []
            so_far: dict[str, int] = {}
            for segment in line:
                whole = _marked(segment)
                if whole is None:
                    kept.append(segment)
                elif folded.get(whole) and whole.startswith(segment.text, folded[whole]):
                    so_far[whole] = folded[whole] + len(segment.text)  # the rest of one
                elif whole.startswith(segment.text.rstrip(" ")):  # all of one, or its head
                    # (Rich pads a cropped double-width character with a space: a head
                    # ending in one is still this URL's)
                    so_far[whole] = len(segment.text.rstrip(" "))
                    kept.append(Segment(whole, segment.style, segment.control))
                else:
                    kept.append(segment)
            folded = {url: length for url, length in so_far.items() if length < len(url)}
            if len(kept) < len(line) and not "".join(s.text for s in kept).strip():
                continue  # a line that held only the rest of a URL, now whole above
            yield from kept
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)
