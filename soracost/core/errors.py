"""The project's own errors, and the exit codes the CLI maps them to.

Exit codes (documented in the README):

* 0: success.
* 1: bad data or an input/output problem (:class:`DataError`, :class:`OutputError`).
* 2: the command line was misused (:class:`UsageProblem`, and Typer's own usage errors).
* 130: interrupted by Ctrl-C or SIGTERM (:class:`Interrupted`).

Every error renders as one line. The core raises these; only the CLI prints them.
"""

from __future__ import annotations

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # the shell's convention for a process ended by SIGINT

_ASCII_WHITESPACE = str.maketrans("\t\n\r\x0b\x0c", "     ")


class SoracostError(Exception):
    """Base class of every error soracost reports to a user."""

    exit_code: int = EXIT_DATA

    def one_line(self) -> str:
        """The message as a single line, whatever the message held: each run of ASCII
        whitespace (newlines included) becomes one space. Other characters are left for
        the CLI to show safely; str.split() would have turned some of them (U+001C–U+001F,
        U+0085, U+2028) into plain spaces, hiding them in a file name."""
        words = str(self).translate(_ASCII_WHITESPACE).split(" ")
        return " ".join(word for word in words if word)


class DataError(SoracostError):
    """A data file is unreadable, malformed or invalid.

    The message names the file, the line (1-based, when known), the entry and the field,
    in the form ``FILE:LINE: entry 'ID': FIELD: what is wrong``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.entry = entry
        self.field = field
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where] if where else []
        if self.entry is not None:
            parts.append(self.entry)
        if self.field is not None:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class UsageProblem(SoracostError):
    """The command line asked for something that cannot be done (exit code 2)."""

    exit_code = EXIT_USAGE


class OutputError(SoracostError):
    """An output file could not be written; nothing was left behind (exit code 1)."""


class Interrupted(SoracostError):
    """The user pressed Ctrl-C, or the process was asked to stop (exit code 130)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        from soracost.i18n import _

        super().__init__(_("interrupted"))
