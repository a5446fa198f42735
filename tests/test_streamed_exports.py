"""JSON exports written a piece at a time, and exports to a terminal that send no
control, bidirectional or invisible character raw."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.cli.output import write_atomically
from soracost.views import jsontext
from soracost.views.export import csv_for_terminal

from .conftest import MINI
from .helpers import soracost_argv, subprocess_env

HIDDEN = "\u202e\u2066\u200b"
"""A right-to-left override, a left-to-right isolate and a zero-width space."""


def standard(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def test_pieces_are_written_as_one_text(tmp_path: Path) -> None:
    whole, pieced = tmp_path / "whole.txt", tmp_path / "pieced.txt"
    write_atomically(whole, "a⚡\udcff b\n")
    pieces: list[str | bytes] = ["a", "⚡", "\udcff", b" b", "\n"]
    write_atomically(pieced, iter(pieces))
    assert pieced.read_bytes() == whole.read_bytes() == "a⚡\\udcff b\n".encode()


def test_a_piece_that_fails_leaves_neither_the_file_nor_a_temporary(tmp_path: Path) -> None:
    written: list[str] = []

    def pieces() -> Iterator[str]:
        yield "{"
        written.extend(path.name for path in tmp_path.iterdir())
        raise ValueError("Out of range float values are not JSON compliant")

    with pytest.raises(ValueError):
        write_atomically(tmp_path / "out.json", pieces())
    # While it is written the file has no name (O_TMPFILE), or only a hidden temporary one
    # where the system offers no unnamed files; never the target's.
    assert all(name.endswith(".partial") for name in written)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "sources"),
    [("clip", MINI), ("compare", MINI), ("sources", MINI), ("sites", None), ("equivalents", None)],
)
def test_a_json_export_is_handed_over_in_pieces_and_reads_as_the_standard_library_writes(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    sources: Path | None,
) -> None:
    from soracost.cli import output

    real = output.write_atomically
    handed: list[Any] = []

    def spy(path: Path, text: Any, *, force: bool = False) -> None:
        handed.append(text)
        real(path, text, force=force)

    monkeypatch.setattr(output, "write_atomically", spy)
    target = tmp_path / "out.json"
    arguments = [command, *(["--sources", str(sources)] if sources else []), "--format", "json"]
    result = runner.invoke(app, [*arguments, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(handed) == 1 and not isinstance(handed[0], str | bytes)  # never joined
    text = target.read_text(encoding="utf-8")
    assert text == standard(json.loads(text))
    piped = runner.invoke(app, arguments)
    assert piped.stdout == text


def test_json_for_a_terminal_escapes_what_shown_writes_out_and_reads_the_same() -> None:
    document = {
        "path": "c1\x85\x7f\udcff.yaml",
        "rows": [{"title": f"Ex{HIDDEN}ample \U000e0041 \u2028", "n": [1.5, "a\nb\x1b"]}],
    }
    text = "".join(jsontext.for_terminal(jsontext.pieces(document, end="\n")))
    assert text.isascii() and all(c.isprintable() or c == "\n" for c in text)
    assert "\\u202e\\u2066\\u200b" in text and "\\udb40\\udc41" in text
    assert "\\u0085\\u007f\\udcff" in text and '"a\\nb\\u001b"' in text
    assert json.loads(text) == document
    assert text.count("\n") == standard(document).count("\n")  # the layout is kept


def test_csv_for_a_terminal_shows_each_cell_as_the_tables_do() -> None:
    text = 'id,title\nx,"Ex\u202eample\nsecond line"\ny,"=sum, ""q"""\n'
    shown = csv_for_terminal(text)
    assert shown == 'id,title\nx,Ex<U+202E>ample\\x0asecond line\ny,"=sum, ""q"""\n'
    assert list(csv.reader(io.StringIO(shown)))[2] == ["y", '=sum, "q"']


def _on_a_terminal(arguments: list[str]) -> bytes:
    """What soracost writes to standard output when that is a terminal (a pty in raw mode,
    so that the bytes arrive as written)."""
    import pty
    import tty

    leader, follower = pty.openpty()
    tty.setraw(follower)
    try:
        process = subprocess.Popen(
            soracost_argv(*arguments),
            stdout=follower,
            stderr=subprocess.PIPE,
            env=subprocess_env(),
        )
        os.close(follower)
        received = bytearray()
        while True:
            try:
                block = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not block:
                break
            received += block
        assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    finally:
        os.close(leader)
    return bytes(received)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("format", ["json", "csv"])
def test_an_export_to_a_terminal_sends_no_hidden_character_raw(tmp_path: Path, format: str) -> None:
    sources = tmp_path / "c1\u0085\x7f.yaml"
    text = MINI.read_text(encoding="utf-8")
    sources.write_text(
        text.replace("publisher: Example Press", f'publisher: "Ex{HIDDEN}ample Press"'), "utf-8"
    )
    arguments = ["clip", "--sources", str(sources), "--format", format]
    terminal = _on_a_terminal(arguments).decode("utf-8")
    piped = subprocess.run(
        soracost_argv(*arguments), capture_output=True, env=subprocess_env(), check=True
    ).stdout.decode("utf-8")
    # the data file's name (in JSON only) holds a C1 control and DEL
    for character in (*HIDDEN, "\x85", "\x7f") if format == "json" else HIDDEN:
        assert character in piped  # a pipe gets the data as it is
        assert character not in terminal, repr(character)
    if format == "json":
        assert json.loads(terminal) == json.loads(piped)
        assert "Ex\\u202e\\u2066\\u200bample Press" in terminal
    else:
        assert "Ex<U+202E><U+2066><U+200B>ample Press" in terminal
        assert len(list(csv.reader(io.StringIO(terminal)))) == len(
            list(csv.reader(io.StringIO(piped)))
        )
