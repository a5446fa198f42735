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

# A run allocates many small objects (a catalogue's records, every step of every
# derivation, every table cell) and makes next to no reference cycles; reference counting
# frees them all as usual. The cyclic collector would only walk them again and again, so
# it is off: measured on the shipped catalogue (benchmarks' method, 21 runs), 6-11 ms of
# `clip --count 10` (~150 ms) and of `compare -f json`; peak memory was the same with it
# off for the largest runs measured.


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a SIGTERM cleans up exactly as Ctrl-C does


def main() -> NoReturn:
    """Run the soracost command line, then end the process with its exit code."""
    signal.signal(signal.SIGTERM, _stop)
    gc.disable()
    try:
        from soracost.cli.app import app

        app()  # the command group always ends with SystemExit
        code = 0
    except KeyboardInterrupt:  # pressed outside a command, e.g. during the imports
        sys.stderr.write("soracost: interrupted\n")
        code = EXIT_INTERRUPTED
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise  # a message to print: the interpreter's own exit does that
        code = done.code or 0
    finally:
        # The work is done (or abandoned): a SIGTERM from here on ends the process the
        # default way, rather than as a KeyboardInterrupt escaping interpreter shutdown.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _exit_now(code)


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
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        sys.stderr.write(f"soracost: error: cannot write to standard output: {reason}\n")
        code = code or EXIT_DATA
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        code = code or EXIT_DATA  # nowhere left to say so
    os._exit(code)


if __name__ == "__main__":
    main()
