"""Entry point of ``soracost`` and ``python -m soracost``.

It installs the signal handling before importing the CLI (and with it Typer, which takes
a noticeable moment), so that even a very early Ctrl-C or SIGTERM ends with one line and
exit code 130 rather than a traceback.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import NoReturn

from soracost.core.errors import EXIT_DATA, EXIT_INTERRUPTED
from soracost.i18n import _, os_reason

# A run allocates many small objects (a catalogue's records, every step of every
# derivation, every table cell) and makes next to no reference cycles; reference counting
# frees them all as usual. The cyclic collector would only walk them again and again, so
# it is off: measured on the shipped catalogue (benchmarks' method, 21 runs), 6-11 ms of
# `clip --count 10` (~150 ms) and of `compare -f json`; peak memory was the same with it
# off for the largest runs measured.


# Every signal whose default action ends the process and that a program may catch: each
# becomes an interruption, cleaned up exactly as Ctrl-C is (exit 130, no temporary file
# left). SIGABRT, SIGTRAP and SIGSYS too: sent by another process (kill -ABRT) they are
# an interruption like any other, and a real one is still fatal (abort() raises SIGABRT
# again with the default action when a handler returns; after a breakpoint or a refused
# system call the program can go on). Not caught: SIGKILL and SIGSTOP (cannot be),
# SIGPIPE and SIGXFSZ (Python ignores them: a write then fails with an error, handled as
# such), and SIGSEGV, SIGBUS, SIGILL and SIGFPE: a Python handler returns to the faulting
# instruction, so a real fault would then repeat forever instead of ending the process.
# A signal ignored when soracost starts (nohup's SIGHUP) stays ignored.
_ENDING = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM",
           "SIGPROF", "SIGXCPU", "SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT", "SIGLOST",
           "SIGABRT", "SIGTRAP", "SIGSYS")  # fmt: skip


def _ending_signals() -> set[int]:
    found = {getattr(signal, name) for name in _ENDING if hasattr(signal, name)}
    if hasattr(signal, "SIGRTMIN"):  # real-time signals end a process by default too
        found.update(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
    return found


_caught: list[int] = []


def _stop(signum: int, frame: object) -> None:
    # Once: the run is ending, and a second signal (Ctrl-C pressed twice, SIGTERM then
    # SIGHUP as a terminal closes) must not interrupt its clean-up. A handler that does
    # nothing, not SIG_IGN: Python would complain of signals already on their way.
    for caught in _caught:
        signal.signal(caught, _stopping)
    raise KeyboardInterrupt  # so a SIGTERM cleans up exactly as Ctrl-C does


def _stopping(signum: int, frame: object) -> None:
    """The handler of every caught signal once the first has come: the run is ending."""


def main() -> NoReturn:
    """Run the soracost command line, then end the process with its exit code."""
    _caught[:] = [s for s in sorted(_ending_signals()) if signal.getsignal(s) == signal.SIG_DFL]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        _caught.append(signal.SIGINT)
    for signum in _caught:
        signal.signal(signum, _stop)
    gc.disable()
    try:
        _choose_language()
        from soracost.cli.app import app

        app()  # the command group always ends with SystemExit
        code = 0
    except KeyboardInterrupt:  # pressed outside a command, e.g. during the imports
        interrupted = _("interrupted")
        sys.stderr.write(f"soracost: {interrupted}\n")
        code = EXIT_INTERRUPTED
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise  # a message to print: the interpreter's own exit does that
        code = done.code or 0
    finally:
        _remove_leftovers()
        # The work is done (or abandoned): a signal from here on ends the process the
        # default way, rather than as a KeyboardInterrupt escaping interpreter shutdown.
        for signum in _caught:
            signal.signal(signum, signal.SIG_DFL)
    _exit_now(code)


def _choose_language() -> None:
    """Speak the language of ``--lang`` (wherever it is on the command line), else of the
    environment (see :mod:`soracost.i18n`), before the CLI is imported: Typer builds every
    help text when the command group is defined. ``--lang`` is moved before the command,
    where the command group's option reads (and checks) it."""
    from soracost import i18n  # already imported: cheap, and stdlib only

    value, argv = i18n.lang_option(sys.argv[1:])
    sys.argv[1:] = argv
    value = value.lower() if value is not None else None  # --lang FR: the option ignores case
    chosen = value if value in i18n.LANGUAGES else i18n.language_from_environment()
    i18n.select(chosen)
    i18n.speak_for_libraries(chosen)


def _remove_leftovers() -> None:
    """Remove a temporary output or cache file whose clean-up a signal cut short (the first signal
    makes the others ignored, so this cannot be cut short in turn but by that first one)."""
    for name in ("soracost.cli.output", "soracost.data.cache"):
        module = sys.modules.get(name)
        if module is None:
            continue  # nothing was written there
        try:
            module.remove_leftovers()
        except KeyboardInterrupt:
            module.remove_leftovers()


def _exit_now(code: int) -> NoReturn:
    """Flush the standard streams and end the process without tearing the interpreter
    down. Freeing every object and module of a run one by one took ~19 ms of
    `clip --count 10` and of `compare -f json` on the shipped catalogue (21 runs each),
    with nothing left to do: output files are written and closed by then, and soracost
    registers no exit handlers. mypy ends its runs the same way (``mypy.util.hard_exit``)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader left (``| head``): as during a command, end quietly
    except (OSError, ValueError) as exc:  # a full disk, a closed stream
        reason = os_reason(exc)
        line = _("error: cannot write to standard output: {reason}").format(reason=reason)
        sys.stderr.write(f"soracost: {line}\n")
        code = code or EXIT_DATA
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        code = code or EXIT_DATA  # nowhere left to say so
    os._exit(code)


if __name__ == "__main__":
    main()
