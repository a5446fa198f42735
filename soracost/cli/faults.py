"""Faults to exit codes: every error a run can meet becomes one line on stderr and a
documented exit code (0 ok, 1 data or input/output, 2 usage, 130 interrupted), whatever
the environment: a closed or unwritable stderr, a stdout that cannot encode the output,
odd terminal sizes."""

import codecs
import contextlib
import errno
import os
import sys
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from soracost.cli.usage_errors import click_message
from soracost.core.errors import (
    EXIT_DATA,
    EXIT_USAGE,
    Interrupted,
    OutputError,
    SoracostError,
    UsageProblem,
)
from soracost.i18n import N_, _, os_reason
from soracost.views.text import (
    ESCAPE,
    TRANSLITERATE,
    escape_unencodable,
    one_line,
    shown,
    transliterate_unencodable,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


class TranslatedHelp:
    """A command's help drawn by soracost (:mod:`soracost.cli.help`), with Click's own
    words in the run's language: the ``--help`` option's help ("Show this message and
    exit.", changed where Click's public ``get_help_option`` hook makes the option) and
    the usage line's "Usage:" (Click's public ``format_usage``, which passes
    ``write_usage`` its prefix)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # soracost draws its Rich help itself (soracost.cli.help says why), in Typer's
        # layout. Where Typer would not draw Rich help (TYPER_USE_RICH=0, read by Typer
        # into typer.core.HAS_RICH; an app without Rich markup) Typer's own path runs:
        # Click's plain help.
        if not typer.core.HAS_RICH or getattr(self, "rich_markup_mode", None) != "rich":
            super().format_help(ctx, formatter)  # type: ignore[misc]
            return
        from soracost.cli.help import print_help

        print_help(self, ctx)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage:") + " ")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as exc:
            # Click's parser raises some usage errors (an option with a missing value, a
            # flag given one) without their context: give them this command's, which
            # names it in the error and says which option was misused.
            if _is_click_error(exc) and getattr(exc, "ctx", False) is None:
                exc.ctx = ctx  # type: ignore[attr-defined]
            raise
        return rest


class SoracostCommand(TranslatedHelp, TyperCommand):
    """Typer's command, with Click's words in the run's language."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Click refuses extra arguments with an English message and nothing else to
        # write it from: let them through its parsing (Context.allow_extra_args) and
        # refuse them here, with the same English words, in the run's language.
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest: list[str] = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            extra = " ".join(shown(arg) for arg in rest)
            ctx.fail(_("Got unexpected extra argument(s) ({arguments})").format(arguments=extra))
        return rest


COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
"""The shells Typer completes for (typer/_completion_classes.py)."""

COMPLETION_HELP = {
    "install_completion": N_("Install completion for the current shell."),
    "show_completion": N_(
        "Show completion for the current shell, to copy it or customize the installation."
    ),
}
"""The help of the options Typer adds for shell completion, as Typer writes it
(typer/completion.py), for the catalogue."""


class SoracostGroup(TranslatedHelp, TyperGroup):
    """Typer's group with one-line errors: ``soracost: error: ...`` and a documented code.

    Typer vendors its own Click, whose exception classes are private; Click errors are
    recognised by the interface they all share (``exit_code`` and ``format_message``).
    """

    def main(  # type: ignore[override]
        self,
        args: "Sequence[str] | None" = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _sane_terminal_sizes()
        _tolerant_streams()
        try:
            _check_completion_request(
                complete_var or f"_{(prog_name or 'soracost').upper()}_COMPLETE"
            )
            code = super().main(
                args=args,
                prog_name=prog_name or "soracost",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except Interrupted as exc:
            code = _report(exc.one_line(), exc.exit_code)
        except SoracostError as exc:
            usage = exc.exit_code == EXIT_USAGE
            line = _("usage error: {message}") if usage else _("error: {message}")
            code = _report(line.format(message=exc.one_line()), exc.exit_code)
        except typer.Abort:
            code = _report(_("aborted"), EXIT_DATA)
        except OSError as exc:  # e.g. --help or --version written to a full disk
            what = _("to standard output") if exc.filename is None else shown(exc.filename)
            line = _("error: cannot write {what}: {reason}")
            code = _report(line.format(what=what, reason=os_reason(exc)), EXIT_DATA)
        except Exception as exc:
            if _is_click_error(exc):
                code = _report(_usage_line(exc), int(getattr(exc, "exit_code", EXIT_USAGE)))
            else:  # a bug: still one line, never a traceback
                what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                line = _("internal error (please report it): {what}").format(what=what)
                code = _report(line, EXIT_DATA)
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer's "Did you mean ...?" is English (the app turns it off with
        # suggest_commands=False): the same suggestion, from difflib as Typer makes it,
        # in the run's language.
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            typo = args[0] if args else ""
            message = getattr(exc, "message", None)
            if _is_click_error(exc) and isinstance(message, str) and not typo.startswith("-"):
                import difflib

                matches = difflib.get_close_matches(typo, list(self.commands))
                if matches:
                    names = ", ".join(_("'{name}'").format(name=name) for name in matches)
                    line = _("{message} Did you mean {names}?")
                    exc.message = line.format(message=message, names=names)  # type: ignore[attr-defined]
            raise

    def get_params(self, ctx: Any) -> Any:
        # Typer adds the completion options with English help and no gettext call; Click's
        # public get_params is where a command may change the parameters it shows.
        params: list[Any] = super().get_params(ctx)
        for param in params:
            text = COMPLETION_HELP.get(param.name or "")
            if text is not None:
                param.help = _(text)
        return params

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        # Option parsing runs callbacks (unit checks build pint's registry) and prints
        # --help and --version: treat interrupts and closed pipes there as in commands.
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except (Exception, SystemExit) as exc:  # --show-completion ends with sys.exit(0)
            _closed_pipe(exc)
            _check_printed(exc)
            raise

    def invoke(self, ctx: Any) -> Any:  # typer.Context is the vendored Click context
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            return 0
        except (Exception, SystemExit) as exc:  # --show-completion ends with sys.exit(0)
            _closed_pipe(exc)
            _check_printed(exc)
            raise


def _closed_pipe(exc: BaseException) -> None:
    """A help whose reader left (``soracost --help | head -1``) ends quietly with 0, as a
    command does: Rich's console, which prints the help, turns the closed pipe into
    ``SystemExit(1)`` raised while handling the ``BrokenPipeError`` (its documented
    ``on_broken_pipe``, which has already sent the rest of the output nowhere)."""
    if isinstance(exc, SystemExit) and isinstance(exc.__context__, BrokenPipeError):
        raise typer.Exit(0) from None


def _check_completion_request(variable: str) -> None:
    """A shell asks for completions through environment variables (bash: COMP_WORDS, the
    words typed, and COMP_CWORD, the index of the one being completed). Typer reads them
    without checking; a request that is not what a shell sends is one usage line."""
    instruction = os.environ.get(variable, "")
    if not instruction:
        return  # not a completion request
    action, _sep, shell = instruction.partition("_")
    if action not in ("source", "complete") or shell not in COMPLETION_SHELLS:
        said = _(
            "shell completion: {variable}={value} is not a request soracost knows "
            "(source_SHELL or complete_SHELL, SHELL one of {shells})"
        )
        shells = ", ".join(COMPLETION_SHELLS)
        raise UsageProblem(said.format(variable=variable, value=shown(instruction), shells=shells))
    if shell != "bash" or action != "complete":
        return  # only a bash completion request carries COMP_WORDS and COMP_CWORD
    if "COMP_WORDS" not in os.environ:
        raise UsageProblem(_("shell completion: COMP_WORDS is not set"))
    index = os.environ.get("COMP_CWORD", "")
    if not index.strip().lstrip("-").isdigit():
        raise UsageProblem(
            _("shell completion: COMP_CWORD {value} is not a whole number").format(
                value=shown(repr(index))
            )
        )


def _check_printed(exc: BaseException) -> None:
    """A run that ends early and successfully (Click's ``Exit``, code 0) has printed
    something: --help, --version, --show-completion, the help of a bare group. With no
    stdout at all (``>&-``) Click prints it nowhere, silently: say so, as commands do."""
    if isinstance(exc, SystemExit):
        done = not exc.code
    else:
        done = type(exc).__name__ == "Exit" and not getattr(exc, "exit_code", 1)
    if sys.stdout is None and done:
        raise OutputError(
            _("cannot write to standard output: {reason} (it is closed)").format(
                reason=os_reason(OSError(errno.EBADF, os.strerror(errno.EBADF)))
            )
        ) from None


def _silence_stdout() -> None:
    """The reader went away (``| head``): point stdout at /dev/null and stop quietly,
    so that the interpreter's final flush cannot complain either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _is_click_error(exc: BaseException) -> bool:
    return callable(getattr(exc, "format_message", None)) and isinstance(
        getattr(exc, "exit_code", None), int
    )


def _usage_line(exc: Exception) -> str:
    message = click_message(exc)
    ctx = getattr(exc, "ctx", None)
    hint = _(" (see '{command} --help')").format(command=ctx.command_path) if ctx else ""
    return _("usage error: {message}").format(message=message) + hint


def _report(line: str, code: int) -> int:
    say(line)
    return code


def say(message: str) -> None:
    """Write ``soracost: MESSAGE`` to stderr as one line, with everything in it that did not
    come from soracost shown safely (:func:`soracost.views.text.shown`). A stderr that is
    closed or cannot be written to loses the message, never the run or its exit code."""
    line = f"soracost: {one_line(shown(message))}\n"
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(line)
        stream.flush()
    except (OSError, ValueError):  # closed, read-only, full; ValueError: closed file
        try:  # what stayed in its buffer would fail again at exit: send it nowhere
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
            stream.flush()
        except (OSError, ValueError):
            sys.stderr = None


TERMINAL_SIZES = {"COLUMNS": (40, 1000), "LINES": (1, 1000), "TERMINAL_WIDTH": (40, 1000)}
"""Terminal sizes that Rich and Typer read from the environment, with the range each is
held to: not a whole number (abc, -5, 1e3, empty), it is as if unset; 0 or too small, the
smallest (COLUMNS=0 printed no help at all); too large, the largest (COLUMNS=99999999
wrote gigabytes of help)."""


def _sane_terminal_sizes() -> None:
    for name, (smallest, largest) in TERMINAL_SIZES.items():
        value = os.environ.get(name)
        if value is None:
            continue
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            del os.environ[name]
            continue
        digits = text.lstrip("0") or "0"
        size = largest if len(digits) > 6 else min(largest, max(smallest, int(digits)))
        if str(size) != value:
            os.environ[name] = str(size)


def _tolerant_streams() -> None:
    """A stdout or stderr that cannot encode every character (PYTHONIOENCODING=ascii,
    LANG=C, a Latin-1 terminal) writes ASCII stand-ins for those it lacks, rather than
    failing (stdout) or writing escapes such as ``\\u2019`` (stderr): see
    :data:`soracost.views.text.TRANSLITERATE`; exports switch to the lossless
    :data:`soracost.views.text.ESCAPE`."""
    codecs.register_error(ESCAPE, escape_unencodable)
    codecs.register_error(TRANSLITERATE, transliterate_unencodable)
    # stderr's default is backslashreplace: "d\u2019utilisation" in an error line
    for stream, defaults in (
        (sys.stdout, ("strict", "surrogateescape")),
        (sys.stderr, ("strict", "surrogateescape", "backslashreplace")),
    ):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", None) not in defaults:
            continue  # no stream, or one told how to handle what it cannot encode
        with contextlib.suppress(OSError, ValueError):  # closed: reported when written to
            reconfigure(errors=TRANSLITERATE)
