"""The services a usage log may name (``sora-2``, ``veo-3``, an open model by name) and
the estimates that stand for each: read with the catalogue on every run, so kept apart
from :mod:`soracost.core.usage`, which only ``soracost report`` needs."""

from __future__ import annotations

from msgspec import Struct


class Service(Struct, frozen=True):
    """A service or model as logs name it, and the estimates that stand for it.

    ``names`` are the spellings a log may use (compared trimmed and lower-cased, the id
    included); ``model`` selects the estimates as ``clip --model`` does, or ``ids`` names
    them as ``clip --estimate`` does (neither: every estimate); ``source`` is the source
    behind the choice, ``note`` says why."""

    id: str
    name: str
    names: tuple[str, ...]
    model: str | None
    source: str
    note: str
    line: int
    ids: tuple[str, ...] = ()


def normalised(text: str) -> str:
    """A log's text as keys compare it: trimmed of spaces, lower-case (SQL's
    ``lower(trim(x))`` on ASCII text)."""
    return text.strip(" ").lower()
