"""Lines of prose wrapped where a reader expects, in every language.

Rich wraps a Text at any whitespace, and Python counts the no-break spaces as whitespace:
a French number (``1 105``, with U+202F) could be cut in two at the end of a line, and a
French colon (``vidéos :``) sent alone to the next one. :func:`prose` wraps at plain
spaces only, and never before ``: ; ! ? »`` nor after ``«``. English text is handed to
Rich unchanged (its wrapping, and every English output, stay as they were).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from soracost.i18n import language

_GLUED_AFTER = frozenset(":;!?»")
"""Characters that stay on the line of the word before them (French double punctuation)."""


def prose(text: Text) -> RenderableType:
    """``text`` as a paragraph wrapped to the terminal: by Rich in English, by
    :class:`Prose` in another language (an empty text stays a Text, which the views
    leave out)."""
    return text if language() == "en" or not text.plain else Prose(text)


class Prose:
    """A Text wrapped at plain spaces only (see the module docstring); a word wider
    than the terminal is folded."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        for paragraph in self.text.split("\n", allow_blank=True):
            for line in _wrapped(paragraph, width):
                yield from line.render(console)
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> object:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.text)


def _breaks(plain: str) -> list[int]:
    """The positions of the spaces a line may end at."""
    return [
        index
        for index, character in enumerate(plain)
        if character == " "
        and (index + 1 >= len(plain) or plain[index + 1] not in _GLUED_AFTER)
        and (index == 0 or plain[index - 1] != "«")
    ]


def _wrapped(paragraph: Text, width: int) -> list[Text]:
    """``paragraph`` cut into lines of at most ``width`` cells, greedily."""
    plain = paragraph.plain
    stops = [*_breaks(plain), len(plain)]
    lines: list[Text] = []
    start = 0
    while cell_len(plain[start:]) > width:
        best = None
        for stop in stops:
            if stop <= start:
                continue
            if cell_len(plain[start:stop]) > width:
                break
            best = stop
        if best is None:  # a word wider than the line: folded
            cut = start + 1
            while cut < len(plain) and cell_len(plain[start : cut + 1]) <= width:
                cut += 1
            lines.append(paragraph[start:cut])
            start = cut
        else:
            lines.append(paragraph[start:best])
            start = best + 1
    lines.append(paragraph[start:])
    return lines
