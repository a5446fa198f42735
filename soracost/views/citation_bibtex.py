"""Citations as BibTeX, written by bibtexparser (imported only here, only when asked for).

One entry per source, keyed by the source's id: ``@misc`` for everything a reference
list holds as a web resource (preprints, articles, posts, data sets, software), and
``@techreport`` for a report, with its publisher as ``institution``. A field the record
does not know is left out, and ``note`` says what is unknown and why; nothing is filled
in. Text is LaTeX-encoded where LaTeX needs it (``é`` as ``{\\'e}``, ``&`` as ``{\\&}``;
see :func:`_encoder`) by pylatexenc's encoder, the one bibtexparser's
LatexEncodingMiddleware uses, applied field by field so that the URL is kept as it is
(``\\url`` reads it raw) and an organisation's name can be braced as one unit. Titles
are braced as a whole, so that no style changes their case: they read as their source
wrote them, in its language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from soracost.core.citations import Citation, Organisation

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
"""BibTeX's month macros, written bare (``month = sep``) so that every style names the
month in its own language."""


def _encoder() -> Callable[[str], str]:
    """LaTeX for text, character by character: LaTeX's special characters escaped
    (``{\\&}``, ``{\\%}``, ``{\\{}``…) and a letter with an accent or a letter of its own
    as its macro, braced (``{\\'e}``, ``{\\ss}``: BibTeX then abbreviates, sorts and
    lower-cases it as one letter), by pylatexenc's encoder; every other character (dashes,
    quotes, ×, ≈, emoji, CJK) as it is, UTF-8, which LaTeX reads by default and Pandoc
    too, where a text macro (``\\texttimes``) would be lost to Pandoc. A straight double
    quote stays one (pylatexenc would make it a closing quote)."""
    from pylatexenc.latexencode import (  # type: ignore[import-untyped]  # (no stubs)
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    keep_quote = UnicodeToLatexConversionRule(rule_type=RULE_DICT, rule={ord('"'): '"'})
    encoder = UnicodeToLatexEncoder(
        conversion_rules=[keep_quote, "defaults"],
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )
    known: dict[str, str] = {}

    def character(char: str) -> str:
        if char not in known:
            latex = str(encoder.unicode_to_latex(char))
            encoded = char.isascii() or (  # ASCII: only LaTeX's specials change
                char.isalpha() and latex.startswith("{\\") and not _TEXT_MACRO.match(latex)
            )
            known[char] = latex if encoded else char
        return known[char]

    def latex(text: str) -> str:
        encoded = _LIGATURE.sub("{}", "".join(map(character, text)))
        if _balanced(text):
            return encoded
        # BibTeX counts every brace, escaped or not: a lone "\\{" would end the file's
        # entry early or never. Braces the text does not pair go in as LaTeX's names.
        return encoded.replace("{\\{}", "{\\textbraceleft}").replace("{\\}}", "{\\textbraceright}")

    return latex


_LIGATURE = re.compile(r"(?<=([-,`'<>]))(?=\1)|(?<=[!?])(?=`)")
"""Between two characters TeX would join into another (``--`` into an en dash, ``,,`` into
„, ``<<`` into «): an empty group there keeps each as the source wrote it."""


def _balanced(text: str) -> bool:
    """Whether every ``{`` in ``text`` has its ``}``, in order: then ``\\{`` and ``\\}``,
    which Pandoc reads too, keep the field's braces balanced for BibTeX."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_TEXT_MACRO = re.compile(r"\{\\(text|ensuremath)")
"""pylatexenc's replacements that are symbols, not letters (``{\\textmu}``)."""


def _author(item: Citation, latex: Callable[[str], str]) -> list[str]:
    """The names, each family name first (``Delavande, Julien``) so that BibTeX cannot
    split them otherwise; an organisation braced whole (``{Carbon Trust}``), which BibTeX
    never splits."""
    return [
        "{" + latex(name.name) + "}" if isinstance(name, Organisation) else latex(name.family_first)
        for name in item.authors or ()
    ]


def _fields(item: Citation, latex: Callable[[str], str]) -> list[tuple[str, Any, str | None]]:
    """The entry's fields in a fixed order: (name, value, enclosing demanded or None)."""
    fields: list[tuple[str, Any, str | None]] = []
    if item.authors is not None:
        fields.append(("author", _author(item, latex), None))
    if item.title is not None:
        fields.append(("title", "{" + latex(item.title) + "}", None))
    where = "institution" if item.kind == "report" else "howpublished"
    fields.append((where, latex(item.publisher), None))
    if item.issued is not None:
        fields.append(("year", str(item.issued[0]), None))
        if len(item.issued) > 1:
            fields.append(("month", MONTHS[item.issued[1] - 1], "no-enclosing"))
        # biblatex reads the whole date; BibTeX ignores a field it does not know.
        fields.append(("date", "-".join(f"{part:02d}" for part in item.issued), None))
    if item.url is not None:  # as it is, but a brace, which BibTeX counts, %-encoded
        fields.append(("url", item.url.replace("{", "%7B").replace("}", "%7D"), None))
    if item.note is not None:
        fields.append(("note", latex(item.note), None))
    return fields


def citations_bibtex(items: Sequence[Citation]) -> str:
    """Every citation as a BibTeX entry; '' when there is none."""
    if not items:
        return ""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.middlewares import AddEnclosingMiddleware, MergeCoAuthors
    from bibtexparser.model import Entry, Field
    from bibtexparser.writer import BibtexFormat

    latex = _encoder()
    library = Library()
    for item in items:
        entry_type = "techreport" if item.kind == "report" else "misc"
        fields = [
            Field(name, value, enclosing=enclosing)
            for name, value, enclosing in _fields(item, latex)
        ]
        library.add(Entry(entry_type, item.key, fields))
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n"
    stack = [
        MergeCoAuthors(),  # the list of names as BibTeX's "A and B"
        AddEnclosingMiddleware(
            reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{"
        ),
    ]
    return str(write_string(library, unparse_stack=stack, bibtex_format=layout))
