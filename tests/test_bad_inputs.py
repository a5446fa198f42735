"""The catalogue of bad inputs: each one gets one line, the right exit code, no traceback.

Every case runs the real command line (through Typer's CliRunner) on a prepared input.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
            arguments(
                "clip", "-f", "csv", "--sources", str(MINI), "-o", str(MINI.with_name("model.yaml"))
            ),
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


# Outputs that cannot destroy, one answer per fault (issue 18, classes 1 and 6).


def _catalogue(folder: Path, name: str = "my.yaml") -> Path:
    path = folder / name
    path.write_bytes(MINI.read_bytes())
    return path


OUTPUT_SPELLINGS = ["same", "relative", "dot", "dot-dot", "symlink", "hard link", "environment"]


@pytest.mark.parametrize("force", [True, False])
@pytest.mark.parametrize("spelling", OUTPUT_SPELLINGS)
@pytest.mark.parametrize("command", [("compare",), ("clip",), ("sites",), ("sources",)])
def test_the_output_is_never_the_runs_own_catalogue(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    spelling: str,
    force: bool,
) -> None:
    catalogue = _catalogue(tmp_path)
    monkeypatch.chdir(tmp_path)
    output = {
        "same": str(catalogue),
        "relative": "my.yaml",
        "dot": "./my.yaml",
        "dot-dot": f"../{tmp_path.name}/my.yaml",
        "symlink": "link.yaml",
        "hard link": "hard.yaml",
        "environment": "my.yaml",
    }[spelling]
    if spelling == "symlink":
        (tmp_path / "link.yaml").symlink_to(catalogue)
    if spelling == "hard link":
        os.link(catalogue, tmp_path / "hard.yaml")
    env = {"SORACOST_SOURCES": str(catalogue)} if spelling == "environment" else {}
    sources = [] if spelling == "environment" else ["--sources", str(catalogue)]
    extra = ["--force"] if force else []
    args = [*command, *sources, "-f", "csv", "-o", output, *extra]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == USAGE, result.stderr
    assert result.stderr.startswith("soracost: usage error: --output ")
    assert "is the data file this run reads" in result.stderr
    assert result.stderr.count("\n") == 1
    assert catalogue.read_bytes() == MINI.read_bytes()


@pytest.mark.parametrize("force", [True, False])
@pytest.mark.parametrize("spelling", ["same", "hard link"])
def test_the_chart_is_never_the_runs_own_catalogue(
    runner: CliRunner, tmp_path: Path, spelling: str, force: bool
) -> None:
    catalogue = _catalogue(tmp_path, "cat.png")  # YAML, whatever its name says
    plot = catalogue if spelling == "same" else tmp_path / "hard.png"
    if spelling == "hard link":
        os.link(catalogue, plot)
    args = ["compare", "--sources", str(catalogue), "--plot", str(plot)]
    result = runner.invoke(app, args + (["--force"] if force else []))
    assert result.exit_code == USAGE, result.stderr
    assert "--plot" in result.stderr and "is the data file this run reads" in result.stderr
    assert catalogue.read_bytes() == MINI.read_bytes()


def test_two_names_of_one_file_for_chart_and_output_are_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"old")
    os.link(chart, tmp_path / "also.png")
    args = ["compare", "-f", "csv", "--force", "-o", str(tmp_path / "also.png")]
    result = runner.invoke(app, [*args, "--plot", str(chart), "--sources", str(MINI)])
    assert result.exit_code == USAGE and "name the same file" in result.stderr
    assert chart.read_bytes() == b"old"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_chart_that_cannot_be_written_is_found_before_the_output_is(
    runner: CliRunner, tmp_path: Path
) -> None:
    output = tmp_path / "out.csv"
    plot = "/proc/soracost-test.png"  # a folder that takes no new files, even from root
    args = ["compare", "-f", "csv", "-o", str(output), "--plot", plot, "--sources", str(MINI)]
    result = runner.invoke(app, args)
    assert result.exit_code == DATA, result.stderr
    assert result.stderr.startswith(f"soracost: error: {plot}: cannot write")
    assert list(tmp_path.iterdir()) == []


def test_an_output_is_checked_before_the_catalogue_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    existing = tmp_path / "out.csv"
    existing.write_text("mine", encoding="utf-8")
    args = ["clip", "-f", "csv", "-o", str(existing), "--sources", str(tmp_path / "nope.yaml")]
    result = runner.invoke(app, args)
    assert result.exit_code == DATA
    assert (
        result.stderr == f"soracost: error: {existing}: already exists; add --force to replace it\n"
    )


@pytest.fixture
def locked_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalogue this user may not read (faked for root, who can read anything)."""
    locked = _catalogue(tmp_path, "locked.yaml")
    locked.chmod(0)
    real_access, real_open = os.access, Path.open

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        return (
            False if str(path).endswith("locked.yaml") else real_access(path, mode, *args, **kwargs)
        )

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "open", open_)
    return locked


@pytest.mark.parametrize("route", ["--sources", "environment", "check FILE", "sources --sources"])
def test_an_unreadable_catalogue_is_exit_1_by_every_route(
    runner: CliRunner, locked_catalogue: Path, route: str
) -> None:
    name = str(locked_catalogue)
    args, env = {
        "--sources": (["clip", "--sources", name], {}),
        "environment": (["clip"], {"SORACOST_SOURCES": name}),
        "check FILE": (["sources", "check", name], {}),
        "sources --sources": (["sources", "--sources", name, "check"], {}),
    }[route]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == DATA, result.stderr
    assert result.stderr.startswith(f"soracost: error: {name}: permission denied")


def test_an_output_error_in_a_vanished_working_folder_names_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = runner.invoke(app, ["sources", "-f", "csv", "-o", "out.csv"])
    assert result.exit_code == DATA
    assert result.stderr.startswith("soracost: error: out.csv: cannot write")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["clip", "--energy-unit", "Wh*ms/s"], USAGE),
        (["compare", "--water-unit", "L*km/m"], USAGE),
        (["data", "mid: 90 Wh*ms/s"], DATA),
        (["data", "mid: 90 Wh*m/ft"], DATA),
    ],
)
def test_a_unit_hiding_a_scale_factor_is_refused_by_every_route(
    runner: CliRunner, tmp_path: Path, args: list[str], code: int
) -> None:
    if args[0] == "data":
        args = data_file(MINI_TEXT.replace("mid: 90 Wh", args[1]), ("clip",))(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.stderr
    assert "hides a scale factor" in result.stderr and result.stderr.count("\n") == 1


class _OpensAFile:
    """Unpickled, it creates a file: what a tampered pickle in the cache could do."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def _pickled(canary: Path) -> bytes:
    import pickle

    return pickle.dumps(_OpensAFile(canary), protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_as_text(canary: Path) -> bytes:
    import pickle

    return pickle.dumps(_OpensAFile(canary), protocol=0)


def _python_source(canary: Path) -> bytes:
    return f"open({str(canary)!r}, 'w').close()\n".encode()


def _yaml_python_tag(canary: Path) -> bytes:
    return f"!!python/object/apply:builtins.open [{str(canary)!r}, 'w']\n".encode()


def _pickle_with_a_valid_header(canary: Path) -> bytes:
    import hashlib

    from soracost.data import cache

    body = _pickled(canary)  # passes the header and checksum: the JSON must refuse it
    return b"%s %s\n%s" % (cache.FORMAT, hashlib.sha256(body).hexdigest().encode(), body)


@pytest.mark.parametrize(
    "payload",
    [_pickled, _pickled_as_text, _python_source, _yaml_python_tag, _pickle_with_a_valid_header],
)
def test_a_cache_entry_that_would_run_code_runs_nothing(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    payload: Callable[[Path], bytes],
) -> None:
    command = ["clip", "--count", "10", "--sources", str(MINI)]
    monkeypatch.setenv("SORACOST_NO_CACHE", "1")
    expected = runner.invoke(app, command).stdout
    monkeypatch.delenv("SORACOST_NO_CACHE")
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path / "cache"))
    assert runner.invoke(app, command).stdout == expected  # cold: the entry is written
    (entry,) = [p for p in (tmp_path / "cache").rglob("catalog-*") if p.is_file()]
    canary = tmp_path / "created-by-the-entry"
    entry.write_bytes(payload(canary))  # the user's own 0600 file: ownership checks pass
    entry.chmod(0o600)
    result = runner.invoke(app, command)
    assert not canary.exists()  # nothing in the entry ran
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "\x1b[2Jyes"])
def test_an_on_off_switch_with_another_word_is_one_usage_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SORACOST_NO_CACHE", value)
    for command in (["clip", "--count", "10"], ["sources", "check", str(MINI)]):
        result = runner.invoke(app, command)
        assert result.exit_code == USAGE, result.stderr
        assert result.stdout == "" and result.stderr.count("\n") == 1
        assert result.stderr.startswith("soracost: usage error: $SORACOST_NO_CACHE is ")
        assert "\x1b" not in result.stderr and "1, true, yes or on" in result.stderr


# Nothing raw on the terminal; no traceback whatever the input (issue 18, classes 3 and 4).

_EQUIVALENT = """
equivalents:
  - id: phone
    name: NAME
    counts: COUNTS
    basis: energy
    published: {mid: "AMOUNT"}
    fill: single-figure
    source: paper
    claim: One charge takes 0.019 kWh.
    confidence: confirmed
"""


def _with_equivalent(
    folder: Path, name: str = "a phone charge", amount: str = "0.019 kWh", **extra: str
) -> Path:
    """The mini catalogue with one equivalent (``extra``: more keys, e.g. per)."""
    text = _EQUIVALENT.replace("NAME", f'"{name}"').replace("AMOUNT", amount)
    text = text.replace("COUNTS", extra.pop("counts", "charges"))
    text += "".join(f"    {key}: {value}\n" for key, value in extra.items())
    path = folder / "eq.yaml"
    path.write_text(MINI_TEXT + text, encoding="utf-8")
    return path


def test_shown_writes_out_every_control_bidi_and_invisible_character() -> None:
    import sys
    import unicodedata

    from soracost.views.text import shown

    hidden = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp", "Cs")
    ]
    assert len(hidden) > 2000
    for character in hidden:
        written = shown(f"a{character}b")
        assert written.isascii() and written.isprintable(), repr(character)
        assert written != f"a{character}b"
    assert shown("a\x1b[31mb") == "a\\x1b[31mb"
    assert shown("\u202egnp.exe") == "<U+202E>gnp.exe"
    assert shown("bad\udcff.yaml") == "bad\\xff.yaml"  # an undecodable byte of a file name
    for ordinary in ("Example Press", "1280×720 – 90 Wh ≈ 37 min", "café ⚡🎥", "[1] $5", ""):
        assert shown(ordinary) is ordinary or shown(ordinary) == ordinary


def test_the_fast_path_of_shown_misses_no_hidden_character() -> None:
    """shown skips its pattern for a printable text free of the few hidden code points that
    str.isprintable counts as printable: that list must be exactly those, or a hidden
    character would reach the terminal unseen (or a plain text be searched for nothing)."""
    import sys

    from soracost.views import text

    pattern = text.hidden()
    printable_hidden = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable() and pattern.match(chr(code))
    }
    assert printable_hidden == text._PRINTABLE_HIDDEN
    for character in printable_hidden:
        assert not text._plain(f"a{character}b")
        assert text.shown(f"a{character}b") == f"a<U+{ord(character):04X}>b"


_SPOOFED = "Ex\u202eample\u200b\u00ad [link=https://evil.example]click[/link] [/] $x^2$"


@pytest.mark.parametrize(
    "command",
    [
        ("clip",),
        ("compare",),
        ("sources",),
        ("explain", "model-a"),
        ("clip", "--format", "csv", "--output", "-"),
    ],
)
def test_text_from_a_data_file_is_shown_literally_and_visibly(
    runner: CliRunner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "spoof.yaml"
    text = MINI_TEXT.replace("publisher: Example Press", f'publisher: "{_SPOOFED}"')
    text = text.replace("model: Model A", 'model: "[bold red]Model A[/]"')
    text = text.replace("claim: Model A uses", "claim: '[/] [link=x]Model A[/link] uses")
    path.write_text(text.replace("about 90 Wh per video.", "about 90 Wh per video.'"), "utf-8")
    assert runner.invoke(app, ["sources", "check", str(path)]).exit_code == 0
    result = runner.invoke(app, [*command, "--sources", str(path)])
    assert result.exit_code == 0, result.output
    if "csv" in command:  # an export keeps the data exactly; only the terminal is guarded
        assert _SPOOFED in result.stdout
        return
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout
    assert "\u00ad" not in result.stdout
    assert "<U+202E>" in result.stdout or command[0] == "explain"
    assert "[/]" in result.stdout  # printed, not read as markup
    if command[0] != "explain":
        assert "[link=https://evil.example]click[/link]" in result.stdout
        assert "[bold red]Model A[/]" in result.stdout or command[0] == "sources"
    else:
        assert "[link=x]Model A[/link]" in result.stdout


@pytest.mark.parametrize(
    "command", [("equivalents",), ("clip", "--equivalents"), ("equivalents", "--of", "90 Wh")]
)
def test_markup_in_an_equivalents_name_is_printed_not_read(
    runner: CliRunner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    name = "a [/] phone [link=https://evil.example]charge[/link]"
    result = runner.invoke(app, [*command, "--sources", str(_with_equivalent(tmp_path, name))])
    assert result.exit_code == 0, result.output
    assert "[link=https://evil.example]" in result.stdout


def test_a_file_name_with_brackets_is_shown_as_it_is(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mini[conceal].yaml"
    path.write_bytes(MINI.read_bytes())
    listed = runner.invoke(app, ["sources", "--sources", str(path)])
    assert listed.exit_code == 0 and "Sources in mini[conceal].yaml" in listed.stdout
    checked = runner.invoke(app, ["sources", "check", str(path)])
    assert checked.stdout.startswith(f"{path}: valid:")


@pytest.mark.parametrize(
    "name",
    ["esc\x1b[2J\x1b]8;;evil\x07.yaml", "rlo\u202elmy.yaml", "nl\nsoracost: ok.yaml"],
)
def test_a_file_name_reaches_the_terminal_with_its_controls_written_out(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(MINI.read_bytes())
    checked = runner.invoke(app, ["sources", "check", str(path)])
    missing = runner.invoke(app, ["clip", "--sources", str(tmp_path / ("no-" + name))])
    out = tmp_path / ("out-" + name + ".csv")
    written = runner.invoke(app, ["clip", "-f", "csv", "--sources", str(path), "-o", str(out)])
    assert (checked.exit_code, missing.exit_code, written.exit_code) == (0, 1, 0)
    assert out.exists()
    for text in (checked.stdout, missing.stderr, written.stderr):
        assert text.count("\n") == 1, text
        assert not any(c in text for c in "\x1b\x07\u202e"), repr(text)
    # An error's message is one line: a newline in the name there is a space (one_line).
    for text in (checked.stdout, written.stderr, *([] if "\n" in name else [missing.stderr])):
        assert "\\x1b" in text or "<U+202E>" in text or "\\x0a" in text, repr(text)


@pytest.mark.parametrize("command", ["clip", "compare"])
def test_markup_and_controls_in_model_are_text(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--model", "[/]sora\u202e[/]"])
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout
    assert "model: [/]sora<U+202E>[/]" in result.stdout


def test_dollar_signs_in_chart_labels_are_drawn_as_dollars(
    runner: CliRunner, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "dollar.yaml"
    text = MINI_TEXT.replace("publisher: Example Press", 'publisher: "Cost $^$ Press"')
    path.write_text(text.replace("model: Model A", 'model: "A $\\\\frac{1}$"'), "utf-8")
    chart = tmp_path / "chart.svg"
    result = runner.invoke(app, ["compare", "--sources", str(path), "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    drawn = chart.read_text("utf-8")  # the label's lines: the model, then publisher and date
    assert "<!-- ≈ A $\\frac{1}$ -->" in drawn and "<!-- Cost $^$ Press, 2025-09-23 -->" in drawn


def test_an_error_line_shows_separators_that_split_would_hide() -> None:
    from soracost.core.errors import DataError

    error = DataError("bad\n  value", file="a\x1cb\u2028c.yaml", line=3)
    assert error.one_line() == "a\x1cb\u2028c.yaml:3: bad value"


@pytest.mark.parametrize(
    ("extra", "amount"),
    [
        ({}, "1e308 kWh"),  # beyond a float once in Wh
        ({"counts": "min", "per": "1e-308 min"}, "90 Wh"),  # divided by almost nothing
        ({"counts": "day", "per": "5e-324 min"}, "90 Wh"),  # 'per' rounds to zero days
    ],
    ids=["amount beyond a float", "per almost zero", "per rounding to zero"],
)
def test_an_equivalent_beyond_a_float_is_one_data_error(
    runner: CliRunner, tmp_path: Path, extra: dict[str, str], amount: str
) -> None:
    path = _with_equivalent(tmp_path, amount=amount, **extra)
    for command in (["sources", "check", str(path)], ["equivalents", "--sources", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == DATA, result.output
        assert result.stderr.count("\n") == 1 and result.stdout == ""
        assert "is outside what can be compared with" in result.stderr


_EXTREME_RANGES = {
    "subnormal to huge": "{low: 5e-324 Wh, mid: 1 Wh, high: 1e308 Wh}",
    "600 orders of magnitude": "{low: 1e-300 Wh, mid: 1 Wh, high: 1e300 Wh}",
    "near the top": "{mid: 1e290 Wh}\n    fill: single-figure",
    "near the bottom": "{mid: 5e-324 Wh}\n    fill: single-figure",
}


def _extreme(folder: Path, published: str) -> Path:
    path = folder / "extreme.yaml"
    text = MINI_TEXT.replace("published: {low: 80 Wh, mid: 90 Wh, high: 100 Wh}", "published: X")
    path.write_text(text.replace("published: X", f"published: {published}"), encoding="utf-8")
    return path


def _no_nan_or_infinity(text: str) -> None:
    import json

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the output")

    json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("published", _EXTREME_RANGES.values(), ids=_EXTREME_RANGES.keys())
@pytest.mark.parametrize(
    "command",
    [
        ("compare",),
        ("compare", "-f", "csv"),
        ("compare", "--method", "montecarlo", "--seed", "1", "-f", "json"),
        ("compare", "--pooled", "--seed", "1", "-f", "json"),
        ("compare", "--pooled", "--seed", "2", "--samples", "500"),
        ("clip", "--method", "montecarlo", "--seed", "1", "-f", "json"),
        ("clip", "--method", "montecarlo", "--seed", "3", "--samples", "500"),
        ("explain", "model-a", "-f", "json"),
    ],
)
def test_a_valid_extreme_range_gives_figures_or_one_line_never_nan(
    runner: CliRunner, tmp_path: Path, published: str, command: tuple[str, ...]
) -> None:
    path = _extreme(tmp_path, published)
    assert runner.invoke(app, ["sources", "check", str(path)]).exit_code == 0
    result = runner.invoke(app, [*command, "--sources", str(path)])
    assert result.exit_code in (0, DATA), result.output
    if result.exit_code == DATA:
        assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("soracost: error: ")
        return
    assert result.stderr.count("\n") <= 1, result.stderr  # at most the Monte Carlo seed
    if "json" in command:
        _no_nan_or_infinity(result.stdout)
    else:
        assert not {"nan", "inf", "infinity"} & set(result.stdout.lower().replace(",", " ").split())


@pytest.mark.parametrize("published", _EXTREME_RANGES.values(), ids=_EXTREME_RANGES.keys())
def test_a_chart_of_an_extreme_range_is_drawn(
    runner: CliRunner, tmp_path: Path, published: str
) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "chart.png"
    args = ["compare", "--sources", str(_extreme(tmp_path, published)), "--plot", str(chart)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"soracost: wrote the chart to {chart}\n"
    assert chart.read_bytes().startswith(b"\x89PNG")
