"""The atomic writer: whole files or nothing, and the user's files never damaged."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from soracost.cli.output import write_atomically
from soracost.core.errors import OutputError


def test_writes_and_replaces_only_when_forced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, "one")
    assert target.read_text(encoding="utf-8") == "one"
    with pytest.raises(OutputError, match="already exists"):
        write_atomically(target, "two")
    write_atomically(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"


def test_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "half-written", force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_permission_denied_becomes_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("soracost.cli.output.os.open", refuse)  # the temporary file
    with pytest.raises(OutputError, match="permission denied"):
        write_atomically(tmp_path / "out.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_write_stopped_midway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")
    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes the first half of the text, then is interrupted."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> None:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "x" * 100_000, force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
