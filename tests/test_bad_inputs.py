"""The catalogue of bad inputs: each one gets one line, the right exit code, no traceback.

Every case runs the real command line (through Typer's CliRunner) on a prepared input.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.data.yamldoc import MAX_DEPTH, MAX_FILE_BYTES

from .conftest import MINI
from .test_catalog import BAD_DATA, MINI_TEXT, broken

DATA, USAGE = 1, 2

# A case: (a function preparing the arguments in a temporary folder, exit code, message).
Prepare = Callable[[Path], list[str]]
CASES: dict[str, tuple[Prepare, int, str]] = {}


def data_file(content: str | bytes, command: tuple[str, ...] = ("sources", "check")) -> Prepare:
    def prepare(folder: Path) -> list[str]:
        path = folder / "data.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return (
            [*command, str(path)]
            if command == ("sources", "check")
            else [*command, "--sources", str(path)]
        )

    return prepare


def arguments(*args: str) -> Prepare:
    return lambda folder: [arg.replace("{tmp}", str(folder)) for arg in args]


# Every bad catalogue of the loader's own test, now through the command line.
for name, (old, new, message, _) in BAD_DATA.items():
    CASES[f"data: {name}"] = (data_file(broken(old, new)), DATA, message)

CASES.update(
    {
        "data: empty file": (data_file(""), DATA, "the file is empty"),
        "data: a list at the top": (data_file("- a\n- b\n"), DATA, "top level must be a mapping"),
        "data: binary": (data_file(b"\x89PNG\r\n\x1a\n\x00\x00"), DATA, "binary data"),
        "data: not UTF-8": (data_file(b"title: caf\xe9\n"), DATA, "not UTF-8"),
        "data: huge file": (data_file("#" * (MAX_FILE_BYTES + 1)), DATA, "larger than"),
        # Shallow excess is the builder's find; deep excess the parser's (libyaml's own
        # limit): the same message of soracost's either way.
        "data: nesting just past the limit": (
            data_file("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)),
            DATA,
            f"data.yaml:1: data nested deeper than {MAX_DEPTH} levels",
        ),
        "data: deep nesting": (
            data_file("a: " + "[" * 100_000 + "]" * 100_000),
            DATA,
            f"data.yaml:1: data nested deeper than {MAX_DEPTH} levels",
        ),
        "data: unknown unit via clip": (
            data_file(MINI_TEXT.replace("mid: 90 Wh", "mid: 90 Whh"), ("clip",)),
            DATA,
            "unknown unit 'Whh'",
        ),
        "data: wrong dimension via compare": (
            data_file(MINI_TEXT.replace("0.25 L", "0.25 kWh"), ("compare",)),
            DATA,
            "'kWh' is not a unit of water",
        ),
        "data: overflow in the output unit": (
            data_file(
                MINI_TEXT.replace("mid: 90 Wh", "mid: 1e300 Wh").replace(
                    "high: 100 Wh", "high: 1e300 Wh"
                ),
                ("clip", "--energy-unit", "nWh"),
            ),
            DATA,
            "too large to compute",
        ),
        "file: missing --sources": (
            arguments("clip", "--sources", "{tmp}/absent.yaml"),
            DATA,
            "no such file",
        ),
        "file: --sources is a folder": (
            arguments("compare", "--sources", "{tmp}"),
            DATA,
            "is a folder",
        ),
        "file: --sources inside a file": (
            arguments("clip", "--sources", f"{MINI}/x.yaml"),
            DATA,
            "cannot read",
        ),
        "file: --sources is a device": (
            arguments("clip", "--sources", os.devnull),
            DATA,
            "not a regular file",
        ),
        "output: missing folder": (
            arguments("clip", "-f", "csv", "--sources", str(MINI), "-o", "{tmp}/no/such/out.csv"),
            DATA,
            "does not exist",
        ),
        "output: a folder": (
            arguments("clip", "-f", "csv", "--sources", str(MINI), "-o", "{tmp}"),
            DATA,
            "is a folder",
        ),
        "output: exists without --force": (
            arguments("clip", "-f", "csv", "--sources", str(MINI), "-o", str(MINI)),
            DATA,
            "already exists",
        ),
        "output: read-only place": (
            arguments("clip", "-f", "csv", "--sources", str(MINI), "-o", "/proc/soracost-test.csv"),
            DATA,
            "cannot write",
        ),
        "usage: count 0": (arguments("clip", "--count", "0"), USAGE, "--count"),
        "usage: negative count": (arguments("clip", "--count", "-5"), USAGE, "--count"),
        "usage: huge count": (arguments("clip", "--count", "1" + "0" * 30), USAGE, "--count"),
        "usage: non-integer count": (arguments("clip", "--count", "ten"), USAGE, "--count"),
        "usage: unknown format": (arguments("clip", "--format", "xlsx"), USAGE, "--format"),
        "usage: unknown quantity": (
            arguments("compare", "--quantity", "noise"),
            USAGE,
            "--quantity",
        ),
        "usage: energy unit of wrong dimension": (
            arguments("clip", "--energy-unit", "L"),
            USAGE,
            "not a unit of energy",
        ),
        "usage: unknown water unit": (
            arguments("clip", "--water-unit", "pints_of_ale"),
            USAGE,
            "unknown unit",
        ),
        "usage: offset unit": (
            arguments("compare", "--water-unit", "degC"),
            USAGE,
            "not a unit of water",
        ),
        "usage: unit with a comment": (
            arguments("clip", "--energy-unit", "kWh # x"),
            USAGE,
            "unreadable unit",
        ),
        # Click words these two itself: assert what the line must name (the word the user
        # typed), not Click's phrasing around it.
        "usage: unknown command": (arguments("estimate"), USAGE, "estimate"),
        "usage: unknown option": (arguments("compare", "--colour"), USAGE, "--colour"),
        "usage: listing options with check": (
            arguments("sources", "--format", "json", "check"),
            USAGE,
            "only for listing",
        ),
    }
)


@pytest.mark.parametrize(("prepare", "code", "message"), CASES.values(), ids=CASES.keys())
def test_bad_input_gets_one_line_and_its_exit_code(
    runner: CliRunner, tmp_path: Path, prepare: Prepare, code: int, message: str
) -> None:
    before = set(tmp_path.iterdir())
    result = runner.invoke(app, prepare(tmp_path))
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    prefix = "soracost: usage error: " if code == USAGE else "soracost: error: "
    assert result.stderr.startswith(prefix)
    assert message in result.stderr
    assert not {
        p for p in set(tmp_path.iterdir()) - before if p.name != "data.yaml"
    }  # no partial output


def test_the_catalogue_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


def test_a_one_kilobyte_alias_bomb_is_refused_in_under_a_second(
    runner: CliRunner, tmp_path: Path
) -> None:
    levels = [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    bomb = "\n".join(levels) + "\n"
    assert len(bomb.encode()) <= 1024
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    start = time.perf_counter()
    result = runner.invoke(app, ["sources", "check", str(path)])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1 and "aliases" in result.stderr
    assert elapsed < 1.0
