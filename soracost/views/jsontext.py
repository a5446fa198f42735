"""JSON text indented by two spaces, byte for byte as ``json.dumps(document, indent=2,
ensure_ascii=False, allow_nan=False)`` writes it, in less time and memory, and in pieces
that can be streamed.

With ``indent``, the standard library encodes in pure Python, yields every token as its
own string and joins them all at the end: on a big export that list of small strings
outweighs the text (~130 MiB per 1,000 estimates), and it takes ~3× the C encoder's
time. Here each container is written by one call of the C encoder, whose item separator
carries the newline and the indentation of the container's depth; a non-empty container
inside it is written the same way, one level deeper, and put where a placeholder string
(a "hole") stood for it. Python handles the containers, not their items one by one.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import re

_INDENT = "  "
_STREAMED_LEVELS = 2
""":func:`chunks` yields a piece per item of the document and of the containers in it (a
row of the rows, say)."""
_CONTAINERS = (dict, list, tuple)
_C_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
"""CPython's C encoder (``None`` elsewhere: the standard library's own path is used)."""

_flat_encoders: dict[int, Any] = {}


def _flat_encoder(level: int) -> Any:
    """The C encoder for a flat container at ``level``: its items each on a line,
    indented one step more than the container."""
    found = _flat_encoders.get(level)
    if found is None:
        separator = ",\n" + _INDENT * (level + 1)
        found = _C_ENCODER(
            None,  # markers: a document is a tree, built by the exports
            _no_default,
            json.encoder.encode_basestring,
            None,  # indent: the separator carries it
            ": ",
            separator,
            False,  # sort_keys
            False,  # skipkeys
            False,  # allow_nan
        )
        _flat_encoders[level] = found
    return found


def _no_default(value: object) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def dumps(document: Any, end: str = "") -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + end``, the
    same text (joined once: adding ``end`` afterwards would copy it all again). A NaN or
    infinity raises ``ValueError`` likewise (its message does not repeat the value), an
    object JSON cannot hold ``TypeError``."""
    if _C_ENCODER is None:  # pragma: no cover - not CPython
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + end
    return "".join(chain(chunks(document), (end,)))


def pieces(document: Any, end: str = "") -> Iterator[str]:
    """The text of :func:`dumps` (``end`` included) in the pieces of :func:`chunks`, to be
    written as they come: the document's text is never held whole."""
    if _C_ENCODER is None:  # pragma: no cover - not CPython
        yield dumps(document, end)
        return
    yield from chunks(document)
    if end:
        yield end


def chunks(document: Any) -> Iterator[str]:
    """The text of :func:`dumps` in pieces, each at most one item of the document or of
    one of its containers (a row, say): what a writer can stream without ever holding
    the whole text."""
    if isinstance(document, _CONTAINERS) and document:
        parts: list[str] = []
        yield from _container(document, 0, parts, stream=True)
        if parts:  # a flat document
            yield "".join(parts)
    else:
        yield _scalar(document, 0)


def _scalar(value: Any, level: int) -> str:
    return "".join(_flat_encoder(level)(value, level))


_HOLE = "\x00soracost-hole\x00"
"""Stands in for a nested container while its parent is encoded. Should a string in the
data be the same, the count of holes differs, and the standard library writes that
container instead."""
_HOLE_TEXT = json.dumps(_HOLE)


def _container(value: Any, level: int, parts: list[str], stream: bool = False) -> Iterator[str]:
    """Appends ``value``'s text (a non-empty dict, list or tuple) to ``parts``; with
    ``stream``, yields the pieces joined after each nested container and at the end."""
    is_dict = isinstance(value, dict)
    items = value.values() if is_dict else value
    nested = [item for item in items if isinstance(item, _CONTAINERS) and item]
    inner = "\n" + _INDENT * (level + 1)
    closing = "\n" + _INDENT * level + ("}" if is_dict else "]")
    if not nested:  # flat: one call of the C encoder
        text = _scalar(value, level)
        parts.append(text[0] + inner + text[1:-1] + closing)
        return
    if is_dict:
        shallow: Any = {
            key: _HOLE if isinstance(item, _CONTAINERS) and item else item
            for key, item in value.items()
        }
    else:
        shallow = [_HOLE if isinstance(item, _CONTAINERS) and item else item for item in value]
    pieces = _scalar(shallow, level)[1:-1].split(_HOLE_TEXT)
    if len(pieces) != len(nested) + 1:  # a string in the data reads like a hole
        # the standard library's text, indented to this level (no string holds a newline)
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
        parts.append(text.replace("\n", "\n" + _INDENT * level))
        return
    parts.append(("{" if is_dict else "[") + inner + pieces[0])
    for child, after in zip(nested, pieces[1:], strict=True):
        yield from _container(child, level + 1, parts, stream and level < _STREAMED_LEVELS - 1)
        parts.append(after)
        if stream:
            yield "".join(parts)
            parts.clear()
    parts.append(closing)
    if stream:
        yield "".join(parts)
        parts.clear()


def _json_escape(match: re.Match[str]) -> str:
    """A character :func:`soracost.views.text.shown` would write out, as JSON writes it
    escaped; a newline stays: in this text it is the layout's, never a string's (the
    encoder writes one in a string as ``\\n``)."""
    character = match.group()
    if character == "\n":
        return character
    code = ord(character)
    if code > 0xFFFF:  # a surrogate pair, as JSON writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def for_terminal(text: Iterable[str]) -> Iterator[str]:
    """JSON ``text`` (pieces of it) for a terminal: every control, bidirectional or
    invisible character in its strings written as JSON's ``\\uXXXX``, which a terminal
    does not act on and a reader sees. The document reads back the same."""
    from soracost.views.text import hidden

    pattern = hidden()
    for piece in text:
        yield pattern.sub(_json_escape, piece)
