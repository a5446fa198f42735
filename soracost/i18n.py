"""The language soracost speaks: English (the default) or French.

Which language
    ``--lang fr|en`` (anywhere on the command line; ``soracost/__main__.py`` reads it
    before anything else is imported), else ``$SORACOST_LANG``, else the locale as POSIX
    orders it: ``$LC_ALL``, then ``$LC_MESSAGES``, then ``$LANG`` (the first one set and
    not empty decides). A value whose language part is ``fr`` (``fr``, ``fr_FR.UTF-8``,
    ``fr_CA``, ``fr_BE@euro``) gives French; anything else (``C``, ``POSIX``, ``en_GB``,
    ``de_DE``) English.

The text
    Every message, header, note and help text soracost writes goes through :func:`_`
    (or :func:`ngettext` where a number decides the form), looked up in the gettext
    catalogue ``soracost/locale/fr/LC_MESSAGES/soracost.mo`` (see docs/i18n.md). For
    English soracost reads no catalogue and imports neither :mod:`gettext` nor Babel: the
    functions return their argument (start-up time is measured).

The text of a report
    Labels and notes that the core writes into a report (the steps of a derivation, why a
    figure is missing) go into CSV and JSON as well as into tables. Machine formats keep
    them in English whatever the language, so the core marks them with :func:`report_`
    (and :func:`report_n`), whose language the CLI sets back to English for ``--format
    csv|json`` (:func:`machine_output`): a French user still gets French error messages.

The numbers
    :func:`localise_number` turns a number formatted the English way (``1,105.5``) into
    the language's (``1 105,5``): separators from Babel's CLDR data, fetched once per run
    and only for another language than English. French groups thousands with a narrow
    no-break space (U+202F, CLDR's French separator: what Babel's ``format_decimal``
    writes); a terminal draws it in one cell, and an ASCII-only terminal gets a plain
    space.

Quoted claims (text published by a source) are never translated: they are data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

Language = Literal["en", "fr"]

LANGUAGES: tuple[Language, ...] = ("en", "fr")
"""The languages soracost speaks; English is the source language of every message."""

LANG_ENV = "SORACOST_LANG"
"""The environment variable that chooses the language before the locale does."""

LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The locale's variables, in the order POSIX gives them precedence."""

DOMAIN = "soracost"
"""The gettext domain: the catalogues are ``locale/LANG/LC_MESSAGES/soracost.mo``."""

LOCALE_DIR = Path(__file__).parent / "locale"

BABEL_LOCALES: dict[Language, str] = {"en": "en_US", "fr": "fr_FR"}
"""The CLDR locale whose numbers and dates a language uses (French: France's, wherever
the locale says the user is, so that an output does not depend on fr_CA or fr_CH)."""

_LANGUAGE_PART = re.compile(r"[_.@-]")


def language_of(locale_name: str) -> Language:
    """The language of a locale name or a language code: ``fr_FR.UTF-8`` gives ``fr``,
    ``C`` or ``de`` gives ``en``."""
    code = _LANGUAGE_PART.split(locale_name.strip(), maxsplit=1)[0].lower()
    return "fr" if code == "fr" else "en"


def language_from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """The language the environment asks for: ``$SORACOST_LANG``, else the locale."""
    environ = os.environ if environ is None else environ
    for name in (LANG_ENV, *LOCALE_ENV):
        value = environ.get(name)
        if value:
            return language_of(value)
    return "en"


def lang_option(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The value of the last ``--lang`` on a command line (``None`` if none), and the
    command line with every ``--lang`` moved to the front, where the command group's
    option takes it: ``clip --lang fr -n 3`` gives ``("fr", ["--lang", "fr", "clip",
    "-n", "3"])``. Nothing after ``--`` is looked at; a ``--lang`` with no value is left
    where it is, for the command line's parser to report."""
    value: str | None = None
    rest: list[str] = []
    position = 0
    while position < len(argv):
        token = argv[position]
        if token == "--":
            rest += argv[position:]
            break
        if token == "--lang" and position + 1 < len(argv):
            value = argv[position + 1]
            position += 2
            continue
        if token.startswith("--lang="):
            value = token.split("=", 1)[1]
        else:
            rest.append(token)
        position += 1
    return value, rest if value is None else ["--lang", value, *rest]


class _Tongue:
    """One language's text and numbers: a gettext catalogue (``None``: English, the
    messages as written) and the CLDR number symbols (``None``: English's)."""

    __slots__ = ("catalogue", "language", "symbols")

    def __init__(self, language: Language) -> None:
        self.language = language
        self.catalogue: Any = None
        self.symbols: dict[int, str] | None = None
        if language != "en":
            import gettext

            self.catalogue = gettext.translation(
                DOMAIN, LOCALE_DIR, languages=[language], fallback=True
            )
            self.symbols = _number_symbols(BABEL_LOCALES[language])

    def gettext(self, message: str) -> str:
        return message if self.catalogue is None else str(self.catalogue.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self.catalogue is None:
            return singular if count == 1 else plural
        return str(self.catalogue.ngettext(singular, plural, count))

    def number(self, text: str) -> str:
        return text if self.symbols is None else text.translate(self.symbols)


def _number_symbols(locale: str) -> dict[int, str]:
    """A table for :meth:`str.translate` from English's separators to ``locale``'s."""
    from babel import numbers  # only for another language than English

    group = numbers.get_group_symbol(locale)
    decimal = numbers.get_decimal_symbol(locale)
    return str.maketrans({",": group, ".": decimal})


_ENGLISH = _Tongue("en")
_messages = _ENGLISH
_report = _ENGLISH


def select(language: Language) -> None:
    """Speak ``language`` from now on, in messages and in the text of reports."""
    global _messages, _report
    _messages = _report = _ENGLISH if language == "en" else _Tongue(language)


def speak_for_libraries(language: Language) -> None:
    """Let the command-line library speak ``language`` too, for the few words it writes
    itself (the help's panel titles, ``[default: …]``, ``Missing command.``). Typer marks
    them for gettext and looks them up with gettext's global functions (fastapi/typer#886),
    whose domain is the application's to choose: soracost's catalogue, which holds their
    translations (``soracost/cli/library_words.py``). Those functions read the language
    from ``$LANGUAGE`` (GNU gettext's list of preferred languages), which is set for this
    process. For English nothing changes: the words are written as Typer has them.

    Only the process's entry point calls this: it changes the process's gettext domain
    and environment, which outlive a command group run in-process."""
    if language == "en":
        return
    import gettext

    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language


def machine_output() -> None:
    """Write the text of reports in English (CSV and JSON), whatever the language of the
    messages."""
    global _report
    _report = _ENGLISH


def language() -> Language:
    """The language of the messages."""
    return _messages.language


def _(message: str) -> str:
    """``message`` in the language of the run."""
    return _messages.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` (``"{n} clip"``, ``"{n} clips"``) in the
    language of the run; format the count in afterwards."""
    return _messages.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it: for constants defined
    before the language is known, translated with :func:`_` where they are shown."""
    return message


def report_(message: str) -> str:
    """Text of a report (a step's label, a note) in the report's language: the run's for
    a table, English for CSV and JSON (:func:`machine_output`)."""
    return _report.gettext(message)


def report_n(singular: str, plural: str, count: int) -> str:
    """:func:`ngettext` for the text of a report."""
    return _report.ngettext(singular, plural, count)


def localise_number(text: str) -> str:
    """A number formatted the English way (``1,105.5``, ``2.5e-06``) written with the
    separators of the run's language (French: ``1 105,5`` with U+202F, ``2,5e-06``)."""
    return _messages.number(text)


def report_number(text: str) -> str:
    """:func:`localise_number` in the report's language."""
    return _report.number(text)


def count_text(count: int) -> str:
    """A whole count for reading: ``1,000`` in English, ``1 000`` in French."""
    return _messages.number(f"{count:,}")


def report_count(count: int) -> str:
    """:func:`count_text` in the report's language."""
    return _report.number(f"{count:,}")


_OS_REASONS = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "EEXIST": N_("File exists"),
    "ENOTDIR": N_("Not a directory"),
    "EISDIR": N_("Is a directory"),
    "ENOSPC": N_("No space left on device"),
    "EDQUOT": N_("Disk quota exceeded"),
    "EFBIG": N_("File too large"),
    "EROFS": N_("Read-only file system"),
    "ENAMETOOLONG": N_("File name too long"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "EIO": N_("Input/output error"),
    "EBADF": N_("Bad file descriptor"),
    "EPIPE": N_("Broken pipe"),
    "ENOTEMPTY": N_("Directory not empty"),
}
"""The system's reasons a user meets when soracost reads or writes a file, by errno
name, in the C library's words (glibc's), for the catalogue."""


def os_reason(exc: BaseException) -> str:
    """Why the system refused (``exc.strerror``), in the run's language: the system's own
    words in English; in another language the translation of the reason for its errno,
    or the system's words where soracost has none."""
    reason = getattr(exc, "strerror", None) or str(exc)
    if _messages.language == "en":
        return str(reason)
    import errno

    code = getattr(exc, "errno", None)
    known = _OS_REASONS.get(errno.errorcode.get(code, "")) if isinstance(code, int) else None
    return str(reason) if known is None else _(known)


def format_date(iso: str) -> str:
    """A source's date (``2025-09-23``, ``2025-09`` or ``2025``) for reading: as written
    in English, in words in French (``23 septembre 2025``, ``septembre 2025``). Anything
    else (``unknown``, a malformed date from a user's file) is returned as it is."""
    if _messages.language == "en":
        return iso
    import datetime

    from babel import dates

    locale = BABEL_LOCALES[_messages.language]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
            return str(dates.format_date(datetime.date.fromisoformat(iso), "long", locale=locale))
        if re.fullmatch(r"\d{4}-\d{2}", iso):
            day = datetime.date(int(iso[:4]), int(iso[5:]), 1)
            return str(dates.format_date(day, "LLLL y", locale=locale))
    except ValueError:  # 2025-13-40: shown as written
        pass
    return iso


def help_paragraphs(doc: str) -> list[str]:
    """The paragraphs of a command's help (its docstring, cleaned) that are translated:
    all but the example command lines (``  soracost clip --count 10``), so that a new
    example or an edited paragraph leaves the other paragraphs' translations valid."""
    return [paragraph for paragraph in doc.split("\n\n") if not _is_example(paragraph)]


def help_text(doc: str) -> str:
    """A command's help in the run's language, paragraph by paragraph, each paragraph of
    prose on one line: Typer's ``rich`` markup keeps a docstring's line breaks, so at 80
    columns every source line of ~90 characters was wrapped again into a long and a short
    one. Example command lines keep theirs."""
    paragraphs = doc.split("\n\n")
    return "\n\n".join(
        part if _is_example(part) else " ".join(_(part).split("\n")) for part in paragraphs
    )


def _is_example(paragraph: str) -> bool:
    return paragraph.lstrip().startswith("soracost ") or not paragraph.strip()


VALUE_WORDS = (
    # boundaries, as ids, as labels and in a word
    N_("gpu"),
    N_("gpu+cpu+ram"),
    N_("server"),
    N_("facility"),
    N_("unknown"),
    N_("as-published"),
    N_("GPU only"),
    N_("GPU"),
    N_("GPU+CPU+RAM"),
    N_("whole server"),
    N_("facility (incl. PUE)"),
    # a range's cases, a record's confidence, a quantity or an equivalent's basis
    N_("low"),
    N_("mid"),
    N_("high"),
    N_("confirmed"),
    N_("partial"),
    N_("unconfirmed"),
    N_("energy"),
    N_("water"),
    N_("carbon"),
    # how a figure was obtained
    N_("measured"),
    N_("modelled"),
    N_("disclosed"),
    N_("back-of-envelope"),
)
"""Words of the data model that soracost shows translated by value (``_(boundary)``,
``report_(case)``): marked here, once, for the catalogue."""
