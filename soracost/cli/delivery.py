"""Delivery: the console, the Monte Carlo progress bar, and writing an output to the
terminal or, whole or not at all, to a file.

The only module of soracost that writes results to the terminal or to files."""

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soracost.cli.faults import say
from soracost.cli.options import OutputFormat
from soracost.core.errors import OutputError, UsageProblem
from soracost.i18n import _, os_reason
from soracost.views.text import shown_path

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


def check_plot(plot: Path | None) -> str:
    """The chart's format from its file name, checked before any work (exit 2 for an
    unknown suffix); where it goes is checked with the other outputs
    (:func:`soracost.cli.output.check_outputs`)."""
    if plot is None:
        return ""
    image_format = PLOT_FORMATS.get(plot.suffix.lower())
    if image_format is None:
        said = _("--plot: {file} must end in {suffixes} (the chart's format)")
        raise UsageProblem(said.format(file=repr(str(plot)), suffixes=", ".join(PLOT_FORMATS)))
    return image_format


def draw_chart(report: "CompareReport", plot: Path | None, image_format: str) -> bytes | None:
    """The chart's bytes for --plot (``None`` without it); matplotlib is imported only here."""
    if plot is None:
        return None
    from soracost.views.chart import draw_comparison

    if not report.rows:
        said = _("--plot: no {quantity} figure is shown for these options")
        raise UsageProblem(said.format(quantity=_(report.quantity)))
    return draw_comparison(report, image_format)


def write_chart(plot: Path | None, image: bytes | None, force: bool) -> None:
    """Write the chart, whole or not at all, once the main output is written."""
    if plot is None or image is None:
        return
    from soracost.cli.output import write_atomically

    write_atomically(plot, image, force=force)
    say(_("wrote the chart to {file}").format(file=shown_path(plot)))


def console(file: Any = None, *, plain: bool = False) -> "Console":
    from rich.console import Console

    class QuietConsole(Console):
        """Rich exits 1 on a closed pipe; soracost ends quietly with 0 (see invoke)."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    # No markup: a string that reaches Rich is printed as it is, never read for [tags]
    # (the views hand over Text, with data shown by soracost.views.text.shown). No emoji
    # codes: a ":name:" in a source's title is text, not a picture.
    if plain:  # a table written to a file: no colour codes, a fixed readable width
        return Console(
            file=file,
            width=120,
            no_color=True,
            color_system=None,
            highlight=False,
            emoji=False,
            markup=False,
        )
    # Rich reads COLUMNS and NO_COLOR itself; off a terminal it would fall back to 80
    # columns, too narrow for these tables, so piped tables get 120 unless COLUMNS says.
    # (SoracostGroup.main has held COLUMNS to 40-1000 and dropped one that is no number.)
    stdout = sys.stdout
    width: int | None = None if stdout is not None and stdout.isatty() else 120
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit():
        width = min(1000, max(40, int(columns[-5:])))  # COLUMNS=0 would print nothing
    return QuietConsole(file=file, width=width, highlight=False, emoji=False, markup=False)


def emit(
    text: str | Iterable[str] | None,
    view: "RenderableType | None",
    output: Path | None,
    force: bool,
    what: str,
) -> None:
    """Write an export (``text``, whole or in pieces written as they come) or a table
    (``view``) to stdout or to ``output``."""
    if output is not None and str(output) == "-":
        output = None
    if output is None and sys.stdout is None:
        raise OutputError(_("there is no standard output to write to; use --output FILE"))
    if view is not None:
        if output is None:
            with _stdout_errors():
                console().print(view, crop=False)
            return
        import io

        buffer = io.StringIO()
        console(buffer, plain=True).print(view, crop=False)
        text = buffer.getvalue()
    assert text is not None
    if output is None:
        with _stdout_errors():
            _lossless_stdout()
            write = sys.stdout.write
            if isinstance(text, str):
                write(text)
            else:
                for piece in text:
                    write(piece)
            sys.stdout.flush()
        return
    # Imported only to write a file: standard output needs none of cli.output. With
    # options.output_path's, this saves 3.8 M instructions of `clip --count 10`, 4.0 M of
    # `sources check`, 3.6 M of `clip -f json` (callgrind, whole process).
    from soracost.cli.output import write_atomically

    write_atomically(output, text, force=force)
    say(_("wrote {what} to {file}").format(what=what, file=shown_path(output)))


def to_terminal(output: Path | None) -> bool:
    """Whether an output goes to standard output and that is a terminal."""
    if output is not None and str(output) != "-":
        return False
    stdout = sys.stdout
    return stdout is not None and stdout.isatty()


def _lossless_stdout() -> None:
    """An export to a stdout that cannot encode all of it: what it lacks is written as
    JSON's \\uXXXX (JSON stays valid and means the same), not as a table's look-alikes."""
    from soracost.views.text import ESCAPE, TRANSLITERATE

    if getattr(sys.stdout, "errors", None) == TRANSLITERATE:
        sys.stdout.reconfigure(errors=ESCAPE)  # type: ignore[union-attr]


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
    json: "Callable[[ModuleType], Iterable[str]]",
) -> None:
    """Build the output in the chosen format and write it. Each builder gets the module it
    needs (``soracost.views.render`` for tables, ``soracost.views.export`` otherwise), imported here
    only when that format is asked for: Rich is never loaded for CSV or JSON.

    JSON is written a piece at a time as it is made. To a terminal, an export shows the
    data's control, bidirectional and invisible characters instead of sending them raw:
    JSON as ``\\uXXXX`` (the document reads the same), CSV cells as the tables show them;
    a file or a pipe gets the data as it is."""
    if format is OutputFormat.table:
        from soracost.views import render

        view = table(render)
        emit(None, view, output, force, _("the table"))
        return
    from soracost.views import export

    terminal = to_terminal(output)
    text: str | Iterable[str]
    if format is OutputFormat.csv:
        text = csv(export)
        if terminal:
            text = export.csv_for_terminal(text)
    else:
        text = json(export)
        if terminal:
            from soracost.views.jsontext import for_terminal

            text = for_terminal(text)
    emit(text, None, output, force, what)


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """Turn a failed write to standard output (a full disk, a closed stream) into one line."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader left; SoracostGroup.invoke ends quietly
    except OSError as exc:
        said = _("cannot write to standard output: {reason}")
        raise OutputError(said.format(reason=os_reason(exc))) from None
