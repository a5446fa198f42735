"""Delivery: the console, the Monte Carlo progress bar, and writing an output to the
terminal or, whole or not at all, to a file.

The only module of soracost that writes results to the terminal or to files."""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soracost.cli.options import OutputFormat
from soracost.core.errors import OutputError, UsageProblem

if TYPE_CHECKING:
    from types import ModuleType

    from rich.console import Console, RenderableType

    from soracost.core.reports import CompareReport


@contextmanager
def progress_bar(format: OutputFormat, output: Path | None) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` for Monte Carlo: a Rich bar on stderr once a run has
    lasted a second, only for a table to a terminal (never in piped or machine output)."""
    import time

    enabled = format is OutputFormat.table and sys.stderr is not None and sys.stderr.isatty()
    start = time.monotonic()
    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if not enabled or (not state and time.monotonic() - start < 1.0):
            return
        if not state:
            from rich.console import Console
            from rich.progress import Progress

            state["bar"] = Progress(console=Console(stderr=True), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("Monte Carlo", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield progress
    finally:
        if state:
            state["bar"].stop()


PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def check_plot(plot: Path | None, output: Path | None, force: bool) -> str:
    """The chart's format from its file name, checked before any work: exit 2 for an
    unknown suffix or the --output file, exit 1 for a file that exists without --force or
    a missing folder."""
    if plot is None:
        return ""
    image_format = PLOT_FORMATS.get(plot.suffix.lower())
    if image_format is None:
        raise UsageProblem(
            f"--plot: {str(plot)!r} must end in {', '.join(PLOT_FORMATS)} (the chart's format)"
        )
    if (
        output is not None
        and str(output) != "-"
        and os.path.realpath(output) == os.path.realpath(plot)
    ):
        raise UsageProblem("--plot and --output name the same file")
    from soracost.cli.output import check_destination

    check_destination(plot, force=force)
    return image_format


def draw_chart(report: "CompareReport", plot: Path | None, image_format: str) -> bytes | None:
    """The chart's bytes for --plot (``None`` without it); matplotlib is imported only here."""
    if plot is None:
        return None
    from soracost.views.chart import draw_comparison

    if not report.rows:
        raise UsageProblem(f"--plot: no {report.quantity} figure is shown for these options")
    return draw_comparison(report, image_format)


def write_chart(plot: Path | None, image: bytes | None, force: bool) -> None:
    """Write the chart, whole or not at all, once the main output is written."""
    if plot is None or image is None:
        return
    from soracost.cli.output import write_atomically

    write_atomically(plot, image, force=force)
    sys.stderr.write(f"soracost: wrote the chart to {plot}\n")


def console(file: Any = None, *, plain: bool = False) -> "Console":
    from rich.console import Console

    class QuietConsole(Console):
        """Rich exits 1 on a closed pipe; soracost ends quietly with 0 (see invoke)."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    if plain:  # a table written to a file: no colour codes, a fixed readable width
        return Console(
            file=file, width=120, no_color=True, color_system=None, highlight=False, emoji=False
        )
    # Rich reads COLUMNS and NO_COLOR itself; off a terminal it would fall back to 80
    # columns, too narrow for these tables, so piped tables get 120 unless COLUMNS says.
    width: int | None = None if sys.stdout.isatty() else 120
    if os.environ.get("COLUMNS", "").isdigit():
        width = max(40, int(os.environ["COLUMNS"]))  # COLUMNS=0 would print nothing
    # No emoji codes: a ":name:" in a source's title is text, not a picture.
    return QuietConsole(file=file, width=width, highlight=False, emoji=False)


def emit(
    text: str | None,
    view: "RenderableType | None",
    output: Path | None,
    force: bool,
    what: str,
) -> None:
    """Write an export (``text``) or a table (``view``) to stdout or to ``output``."""
    from soracost.cli.output import write_atomically

    if output is not None and str(output) == "-":
        output = None
    if output is None and sys.stdout is None:
        raise OutputError("there is no standard output to write to; use --output FILE")
    if view is not None:
        if output is None:
            with _stdout_errors():
                console().print(view)
            return
        import io

        buffer = io.StringIO()
        console(buffer, plain=True).print(view)
        text = buffer.getvalue()
    assert text is not None
    if output is None:
        with _stdout_errors():
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    write_atomically(output, text, force=force)
    sys.stderr.write(f"soracost: wrote {what} to {output}\n")


def bar_width(output: Path | None) -> int:
    """The range bar takes what the other columns leave: narrow terminals get a short bar."""
    return max(10, min(30, (console().width if output is None else 120) - 100))


def deliver(
    format: OutputFormat,
    output: Path | None,
    force: bool,
    what: str,
    *,
    table: "Callable[[ModuleType], RenderableType]",
    csv: "Callable[[ModuleType], str]",
    json: "Callable[[ModuleType], str]",
) -> None:
    """Build the output in the chosen format and write it. Each builder gets the module it
    needs (``soracost.views.render`` for tables, ``soracost.views.export`` otherwise), imported here
    only when that format is asked for: Rich is never loaded for CSV or JSON."""
    if format is OutputFormat.table:
        from soracost.views import render

        view = table(render)
        emit(None, view, output, force, "the table")
        return
    from soracost.views import export

    text = csv(export) if format is OutputFormat.csv else json(export)
    emit(text, None, output, force, what)


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """Turn a failed write to standard output (a full disk, a closed stream) into one line."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader left; SoracostGroup.invoke ends quietly
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
