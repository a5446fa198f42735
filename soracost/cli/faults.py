"""Faults to exit codes: every error a run can meet becomes one line on stderr and a
documented exit code (0 ok, 1 data or input/output, 2 usage, 130 interrupted)."""

import os
import sys
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from soracost.core.errors import EXIT_DATA, EXIT_USAGE, Interrupted, SoracostError

if TYPE_CHECKING:
    from collections.abc import Sequence


class SoracostGroup(TyperGroup):
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
        try:
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
            kind = "usage error" if exc.exit_code == EXIT_USAGE else "error"
            code = _report(f"{kind}: {exc.one_line()}", exc.exit_code)
        except typer.Abort:
            code = _report("aborted", EXIT_DATA)
        except OSError as exc:  # e.g. --help or --version written to a full disk
            code = _report(f"error: cannot write: {exc.strerror or exc}", EXIT_DATA)
        except Exception as exc:
            if not _is_click_error(exc):
                raise
            code = _report(_usage_line(exc), int(getattr(exc, "exit_code", EXIT_USAGE)))
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

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

    def invoke(self, ctx: Any) -> Any:  # typer.Context is the vendored Click context
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            return 0


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
    message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"usage error: {message}{hint}"


def _report(line: str, code: int) -> int:
    sys.stderr.write(f"soracost: {line}\n")
    sys.stderr.flush()
    return code
