"""Text from outside soracost, made safe to show: :func:`shown`.

Every piece of text that comes from a data file, a file name, an option or the
environment passes through :func:`shown` before it reaches a terminal (tables, notes,
titles, messages on stderr) or a chart. Characters that a terminal would act on or that a
reader cannot see are written out instead:

* control characters (C0, DEL and C1: escape sequences, carriage returns, newlines) as
  ``\\x1b``, ``\\x0d``…;
* bytes of a file name that were not UTF-8 (kept by Python as lone surrogates) as the
  byte, ``\\xff``;
* bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), other
  invisible formatting characters (zero-width space and joiners, soft hyphen, word
  joiner, byte order mark, variation selectors, tags…), line and paragraph separators as
  ``<U+202E>``.

Everything else is returned as it is, so ordinary text (accents, ×, –, emoji) is shown
unchanged. :func:`shown` only makes characters visible; that the text is never read as
Rich markup is the views' business (they hand Rich :class:`rich.text.Text` objects, which
are never parsed), and that it is never read as mathtext the chart's.

No Rich here: CSV and JSON runs import this module too.
"""

from __future__ import annotations

import re
from functools import cache

# Code points that a terminal acts on or that show as nothing. Written out rather than
# computed from unicodedata at import (a walk of every code point costs ~0.1 s);
# tests/test_bad_inputs.py checks the list against unicodedata's categories Cc, Cf, Zl,
# Zp and Cs, so that a Python with a newer Unicode cannot slip one past.
_HIDDEN_CLASS = (
    "["
    "\x00-\x1f\x7f-\x9f"  # C0 controls, DEL, C1 controls
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"  # Arabic format characters, ALM
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0"  # fillers that draw nothing
    "\u200b-\u200f"  # zero-width space, joiners, left-to-right and right-to-left marks
    "\u2028-\u202e"  # line and paragraph separators, bidi embeddings and overrides
    "\u2060-\u206f"  # word joiner, invisible operators, bidi isolates, deprecated formats
    "\ufe00-\ufe0f\ufeff\ufff9-\ufffb"  # variation selectors, BOM, interlinear annotation
    "\ud800-\udfff"  # lone surrogates: undecodable bytes of a file name
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"  # tags and variation selectors supplement
    "]"
)
"""The character class of the code points :func:`shown` writes out."""


@cache
def hidden() -> re.Pattern[str]:
    """The pattern of :data:`_HIDDEN_CLASS`, compiled when first needed: a run whose texts
    are all plain (:func:`_plain`) never needs it, and compiling it is 0.46 ms."""
    return re.compile(_HIDDEN_CLASS)


_PRINTABLE_HIDDEN = frozenset(
    chr(code)
    for first, last in (
        (0x034F, 0x034F),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180D),
        (0x180F, 0x180F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFFA0, 0xFFA0),
        (0xE0100, 0xE01EF),
    )
    for code in range(first, last + 1)
)
"""The hidden code points that ``str.isprintable`` counts as printable (fillers, joiners
and variation selectors); every other one it does not (a test holds both lists so)."""


def _plain(string: str) -> bool:
    """Whether ``string`` holds no hidden code point, told without the pattern: printable
    (no control, format, separator or surrogate code point), and none of the few hidden
    code points that count as printable."""
    return string.isprintable() and (string.isascii() or _PRINTABLE_HIDDEN.isdisjoint(string))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0xA0:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # Python's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


_LINE_BREAKS = re.compile(r"[ \t\n\r\f\v]+")


def one_line(text: str) -> str:
    """``text`` on one line: each run of ASCII spaces and line breaks made one space. Other
    spaces are kept: French groups a number's digits with a narrow no-break space
    (``1 000``), which ``str.split`` would have turned into an ordinary one."""
    return _LINE_BREAKS.sub(" ", text).strip(" ")


def shown_path(path: object) -> str:
    """A file name for a message: :func:`shown`, in quotes when spaces begin or end it
    (or it is nothing but spaces), which a message would otherwise hide."""
    text = shown(path)
    return f"'{text}'" if text != text.strip() else text


def shown(text: object) -> str:
    """``text`` (made a string) with every control, bidi and invisible character written
    out: ``"a\\x1b[31m"`` gives ``a\\x1b[31m`` with a literal backslash, ``"\\u202e"``
    gives ``<U+202E>``. Ordinary text comes back unchanged (and fast)."""
    string = text if type(text) is str else str(text)
    if _plain(string):
        return string
    pattern = hidden()
    if pattern.search(string) is None:
        return string
    return pattern.sub(_visible, string)


# When standard output cannot encode a character (PYTHONIOENCODING=ascii, LANG=C without
# UTF-8 mode, a Latin-1 terminal), it is written in ASCII instead of ending the run with
# UnicodeEncodeError. Two codec error handlers, registered by the CLI at start:

ESCAPE = "soracost.escape"
"""Any character the encoding lacks as ``\\uXXXX`` (two of them for a character beyond
U+FFFF): exactly JSON's escape, so a JSON export stays valid and means the same; in CSV
and other text it is at least visible."""

TRANSLITERATE = "soracost.transliterate"
"""For tables: the characters soracost draws with (–, ×, ●, ├─┤…) and letters with
diacritics (é, ç: French text, names) as one ASCII character each, so columns stay
aligned; any other as with :data:`ESCAPE`."""

_ASCII_LOOKALIKES = {
    **dict.fromkeys("–—―−", "-"),
    **dict.fromkeys("─━┄┈═", "-"),
    **dict.fromkeys("│┃├┤┡┩┝┥╞╡", "|"),
    "×": "x",
    "÷": "/",
    "●": "*",
    "…": "~",
    "≈": "~",
    "·": ".",
    "≠": "#",
    "→": ">",
    "←": "<",
    "µ": "u",
    "²": "2",
    "³": "3",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "«": '"',  # French quotation marks: one character for one, as for the others
    "»": '"',
    "\u00a0": " ",
    "\u202f": " ",  # French thousands (narrow no-break space): a plain space in ASCII
}


def _json_escape(character: str) -> str:
    code = ord(character)
    if code > 0xFFFF:  # a surrogate pair, as JSON writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler :data:`ESCAPE`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(map(_json_escape, error.object[error.start : error.end])), error.end


def transliterate_unencodable(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler :data:`TRANSLITERATE`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    characters = error.object[error.start : error.end]
    replaced = (_ASCII_LOOKALIKES.get(c) or _unaccented(c) or _json_escape(c) for c in characters)
    return "".join(replaced), error.end


def _unaccented(character: str) -> str | None:
    """A letter with diacritics as its ASCII letter ('é' → 'e', 'Ç' → 'C'): one character
    for one, so a table's columns stay aligned; ``None`` for anything else (an escape then
    shows it)."""
    import unicodedata

    base = unicodedata.normalize("NFKD", character)[:1]
    if len(base) == 1 and base.isascii() and base.isalpha() and character.isalpha():
        return base
    return None
