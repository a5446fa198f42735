"""Citations of the catalogue's sources, as CSL-JSON-shaped data: the pivot from which
the BibTeX, CSL-JSON and RIS writers (``soracost.views.citation_*``) work.

CSL-JSON is what Zotero, Pandoc and citeproc read; its item model (a type, a title, a
list of names, an issued date as date parts) is rich enough for the other formats, so
each writer is a plain mapping from :class:`Citation` and none of them decides what a
source is. Pure: no file format is written here (:func:`csl_item` gives plain dicts).

What a record does not know stays unknown: a source with no author has no names, one
with no date no ``issued``, and :attr:`Citation.note` says which fields are unknown and
why, in the record's own words. Nothing is filled in from elsewhere (the publisher is
never made the author, an access date is never made up).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from msgspec import Struct

from soracost.core.records import Catalog, Source, Sourced

if TYPE_CHECKING:
    from soracost.core.footprint import Step
    from soracost.core.reports import FootprintReport

CSL_TYPES: dict[str, str] = {
    "paper": "article-journal",
    "preprint": "article",  # CSL 1.0.2: "article" is a preprint or working paper
    "news": "article-newspaper",
    "blog": "post-weblog",
    "dataset": "dataset",
    "leaderboard": "webpage",
    "library": "software",
    "report": "report",
    "web-page": "webpage",
    "standard": "standard",
    "definition": "document",
}
"""The CSL item type for each kind of source a data file may name."""

FIELD_NAMES: dict[str, str] = {
    "publisher": "publisher",
    "title": "title",
    "authors": "author",
    "date": "date",
    "url": "URL",
}
"""How the note names a record's citation field."""

IN_CONTAINER = ("article-newspaper", "post-weblog")
"""The CSL types whose publisher is the periodical or blog they appeared in: CSL calls it
``container-title`` for them, and the styles print it from there (not from ``publisher``)."""


class Person(Struct, frozen=True):
    """A person's name in CSL's parts: ``family`` (always), ``given``, the ``particle``
    before the family name ("van", "de la": BibTeX's "von" part) and a ``suffix``
    ("Jr.")."""

    family: str
    given: str | None = None
    particle: str | None = None
    suffix: str | None = None

    @property
    def family_first(self) -> str:
        """``particle family, suffix, given``: BibTeX's and RIS's unambiguous order."""
        family = " ".join(part for part in (self.particle, self.family) if part)
        return ", ".join(part for part in (family, self.suffix, self.given) if part)


class Organisation(Struct, frozen=True):
    """An organisation as author, written as one name that is never split."""

    name: str


Name = Person | Organisation


class Citation(Struct, frozen=True):
    """One source as a citation.

    ``key`` is the source's id (unique in a catalogue and the same on every run);
    ``type`` the CSL item type; ``issued`` the date parts (year, month, day), as many as
    the record gives; ``authors``, ``title``, ``issued`` and ``url`` are ``None`` where the
    record does not know them. ``unknown`` and ``unconfirmed`` pair each such field (as
    the record names it) with the record's reason.
    """

    key: str
    kind: str
    type: str
    publisher: str
    title: str | None
    authors: tuple[Name, ...] | None
    issued: tuple[int, ...] | None
    url: str | None
    unknown: tuple[tuple[str, str], ...] = ()
    unconfirmed: tuple[tuple[str, str], ...] = ()

    @property
    def note(self) -> str | None:
        """What the citation does not know, and what it gives unconfirmed, with why:
        ``Unknown: author (no byline).``; ``None`` when the record is complete."""
        parts = []
        for heading, pairs in (
            ("Unknown", self.unknown),
            ("Not confirmed in the original", self.unconfirmed),
        ):
            if pairs:
                listed = "; ".join(f"{FIELD_NAMES.get(name, name)} ({why})" for name, why in pairs)
                parts.append(f"{heading}: {listed}.")
        return " ".join(parts) or None


def _one_line(text: str) -> str:
    """A citation field on one line: runs of whitespace (newlines, tabs) as one space."""
    return " ".join(text.split())


def split_name(name: str) -> Person:
    """A person's name as written in a record, in parts, by BibTeX's rules.

    ``First von Last`` or ``von Last, First`` or ``von Last, Jr, First``: the family name
    is the last word (or what comes before the first comma), lower-case words before it
    are its particle, the rest the given names. So ``Julien Delavande`` is family
    ``Delavande``, given ``Julien``, and BibTeX reads the name the same way.
    """
    pieces = [" ".join(piece.split()) for piece in name.split(",")]
    if len(pieces) > 1:
        words = pieces[0].split()
        given = pieces[-1] or None
        suffix = pieces[1] if len(pieces) > 2 and pieces[1] else None
        lower = [i for i, word in enumerate(words[:-1]) if word[:1].islower()]
        cut = lower[-1] + 1 if lower else 0
        particle = " ".join(words[:cut]) or None
        return Person(" ".join(words[cut:]), given, particle, suffix)
    words = pieces[0].split()
    lower = [i for i, word in enumerate(words[:-1]) if word[:1].islower()]
    if lower:
        first, last = lower[0], lower[-1] + 1
        return Person(
            " ".join(words[last:]),
            " ".join(words[:first]) or None,
            " ".join(words[first:last]),
        )
    return Person(words[-1], " ".join(words[:-1]) or None)


_AND = re.compile(r"\band\b", re.IGNORECASE)


def _name(text: str, publisher: str) -> Name:
    """A record's author as a name: an organisation when the record names its publisher
    as its author (Google's report by Google) or when the name has the word "and" in it
    (no person's does; BibTeX would read two people), otherwise a person."""
    text = _one_line(text)
    if text.casefold() == _one_line(publisher).casefold() or _AND.search(text):
        return Organisation(text)
    person = split_name(text)
    return person if person.family else Organisation(text)  # "," alone: no name to split


_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_parts(date: str | None) -> tuple[int, ...] | None:
    """``2025-09`` as ``(2025, 9)``: the parts a record's date gives, or ``None``."""
    match = _DATE.fullmatch(date or "")
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def citation(source: Source) -> Citation:
    """The citation of one source, with no field it does not have."""
    return Citation(
        key=source.id,
        kind=source.kind,
        type=CSL_TYPES.get(source.kind, "document"),
        publisher=_one_line(source.publisher),
        title=_one_line(source.title) if source.title else None,
        authors=(
            tuple(_name(author, source.publisher) for author in source.authors)
            if source.authors
            else None
        ),
        issued=date_parts(source.date),
        url=source.url,
        unknown=tuple((name, _one_line(why)) for name, why in source.gaps.items()),
        unconfirmed=tuple((name, _one_line(why)) for name, why in source.unconfirmed.items()),
    )


def citations(catalog: Catalog, source_ids: Iterable[str] | None = None) -> list[Citation]:
    """The citations of ``source_ids`` (every source when ``None``), in catalogue order."""
    wanted = None if source_ids is None else set(source_ids)
    return [
        citation(source)
        for source in catalog.sources.values()
        if wanted is None or source.id in wanted
    ]


def sources_used(report: FootprintReport) -> set[str]:
    """The ids of every source behind what a clip or compare report shows: each row's
    source, the reports it came through and the data it was recomputed from; the factors
    its steps used (with their own chains); the equivalents and training record shown;
    and with ``--embodied``, the hardware records and the steps of each share."""
    from soracost.core.reports import ClipReport  # here: the sources command needs no model

    catalog = report.catalog
    used: set[str] = set()
    records: list[Sourced] = []
    steps: list[Step] = []
    for row in report.rows:
        used.update(source.id for source in (row.source, *row.chain, *row.see_also))
        steps += row.derivation.steps
    if isinstance(report, ClipReport):
        records += [item for items in report.equivalents_by_basis.values() for item in items]
        if report.training is not None and report.training.request.record is not None:
            records.append(report.training.request.record)
    embodied = getattr(report, "embodied", None)  # EmbodiedShares, with --embodied
    if embodied is not None and embodied.derivations:
        records += embodied.hardware.records
        steps += [step for each in embodied.derivations.values() for step in each.steps]
    for step in steps:
        if step.source_id:
            used.add(step.source_id)
        factor = catalog.factors.get(step.factor_id or "")
        if factor is not None:
            records.append(factor)
    for record in records:
        used.update((record.source, *record.chain, *record.see_also))
    return used & catalog.sources.keys()  # a factor the user gave cites no source


def csl_name(name: Name) -> dict[str, str]:
    """A name as CSL-JSON: ``{"literal": ...}`` for an organisation, else its parts; the
    particle as a ``dropping-particle``, as Pandoc reads BibTeX's "von" part (so that this
    and Pandoc's reading of the BibTeX export agree)."""
    if isinstance(name, Organisation):
        return {"literal": name.name}
    parts = {
        "family": name.family,
        "given": name.given,
        "dropping-particle": name.particle,
        "suffix": name.suffix,
    }
    return {key: value for key, value in parts.items() if value}


def csl_item(item: Citation) -> dict[str, object]:
    """One CSL-JSON item (a plain dict, ready for ``json``): ``id`` and ``type`` always;
    ``title``, ``author``, ``issued`` and ``URL`` only when the record has them (the
    CSL-JSON schema requires none of them: leaving one out is how it says "not known"),
    the publisher (as ``container-title`` for a newspaper article or a blog post), and
    ``note`` saying what is unknown or unconfirmed."""
    csl: dict[str, object] = {"id": item.key, "type": item.type}
    if item.title is not None:
        csl["title"] = item.title
    if item.authors is not None:
        csl["author"] = [csl_name(name) for name in item.authors]
    if item.issued is not None:
        csl["issued"] = {"date-parts": [list(item.issued)]}
    csl["container-title" if item.type in IN_CONTAINER else "publisher"] = item.publisher
    if item.url is not None:
        csl["URL"] = item.url
    if item.note is not None:
        csl["note"] = item.note
    return csl
