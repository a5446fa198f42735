"""Citations as RIS, written by rispy (imported only here, only when asked for).

One reference per source: its type (``TY``), its id as ``ID``, each author family name
first (``AU  - Delavande, Julien``; an organisation as its one name), the title, the year
(``PY``) and the date as the record gives it (``DA  - 2025/09/23/``, ``2025/10//``), the
URL, the publisher (for a newspaper article or a blog post: the title it appeared in,
``T2``), and a note (``N1``) saying what is unknown or unconfirmed. A field the
record does not know is left out. RIS has no escaping: values are written as they are,
each on its one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from soracost.core.citations import IN_CONTAINER, Citation, Organisation

RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "article": "UNPB",  # a preprint: RIS's unpublished work
    "article-newspaper": "NEWS",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "webpage": "ELEC",
    "software": "COMP",
    "report": "RPRT",
    "standard": "STAND",
    "document": "GEN",
}
"""The RIS reference type for each CSL type :mod:`soracost.core.citations` gives."""


def _reference(item: Citation) -> dict[str, object]:
    """One reference as rispy's dict, keys in the order the lines are written."""
    reference: dict[str, object] = {
        "type_of_reference": RIS_TYPES.get(item.type, "GEN"),
        "id": item.key,
    }
    if item.authors is not None:
        reference["authors"] = [
            name.name if isinstance(name, Organisation) else name.family_first
            for name in item.authors
        ]
    if item.title is not None:
        reference["title"] = item.title
    if item.issued is not None:
        year, month, day = (*item.issued, None, None)[:3]
        reference["year"] = f"{year:04d}"
        reference["date"] = (
            f"{year:04d}/{'' if month is None else f'{month:02d}'}/"
            f"{'' if day is None else f'{day:02d}'}/"
        )
    if item.url is not None:
        reference["urls"] = [item.url]
    # A newspaper's or a blog's name is the title of what the piece appeared in (T2).
    where = "secondary_title" if item.type in IN_CONTAINER else "publisher"
    reference[where] = item.publisher
    if item.note is not None:
        reference["notes"] = [item.note]
    return reference


def citations_ris(items: Sequence[Citation]) -> str:
    """Every citation as an RIS reference; '' when there is none."""
    if not items:
        return ""
    import rispy

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        """rispy's writer without its numbered line before each reference ("1."), which
        is not RIS: each reference starts with its TY line."""

        def set_header(self, count: int) -> str:
            return ""

    return str(rispy.dumps([_reference(item) for item in items], implementation=Writer))
