"""The catalogue cache: outputs are byte-identical with no cache, a cold one and a warm one;
it holds data, not code, never serves a stale, corrupt, tampered or foreign entry (an
entry is validated as its data file is: none yields a catalogue the file would not),
never touches a file it did not make, and never fails a run."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core import environment
from soracost.core.errors import DataError, UsageProblem
from soracost.data import cache
from soracost.data.catalog import build_catalog, default_sources_path, load_catalog, parse_catalog
from soracost.data.yamldoc import LocatedDict, LocatedList, parse

from .conftest import DATA, MINI

MODEL = DATA / "model.yaml"  # the mini catalogue with factors, sites and equivalents

COMMANDS = [
    ["clip", "--count", "10"],
    ["clip", "--count", "10", "--carbon", "--equivalents", "--format", "json"],
    ["compare", "--format", "csv"],
    ["compare", "--quantity", "water"],
    ["explain", "hf-wan21-1.3b-720p", "--format", "json"],
    ["sites", "--format", "json"],
    ["equivalents", "--format", "json"],
    ["sources", "--format", "json"],
    ["sources", "check"],
]


def outputs(runner: CliRunner) -> list[str]:
    results = []
    for command in COMMANDS:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.stderr)
        results.append(result.stdout)
    return results


def entries_in(base: Path) -> list[Path]:
    """The entries soracost keeps under the cache folder ``base``, wherever they are."""
    return sorted(path for path in base.rglob("catalog-*") if path.is_file())


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every data file parsed as YAML (its document not served from the cache)."""
    from soracost.data import catalog

    parses: list[str] = []

    def counting(text: str, label: str) -> Any:
        parses.append(label)
        return parse(text, label)

    monkeypatch.setattr(catalog, "parse", counting)
    return parses


def test_outputs_are_identical_without_cache_cold_and_warm(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_NO_CACHE", "1")
    none = outputs(runner)
    monkeypatch.delenv("SORACOST_NO_CACHE")
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path / "cache"))
    cold = outputs(runner)
    folder = tmp_path / "cache" / cache.FOLDER_NAME
    entries = list(folder.glob("catalog-*.json"))
    assert len(entries) == 1  # one data file, one entry
    assert (folder / cache.MARKER_NAME).read_bytes() == cache.MARKER
    warm = outputs(runner)
    assert none == cold == warm


def walk_identical(first: Any, second: Any, where: str = "catalog") -> None:
    """Equal, and of the same types all the way down (an int stays an int, a tuple a
    tuple): what a table or a JSON number prints depends on it."""
    assert type(first) is type(second), where
    if isinstance(first, msgspec.Struct):
        for name in first.__struct_fields__:
            where_next = f"{where}.{name}"
            walk_identical(getattr(first, name), getattr(second, name), where_next)
    elif isinstance(first, tuple | list):
        assert len(first) == len(second), where
        if isinstance(first, LocatedList):
            assert (first.line, first.item_lines) == (second.line, second.item_lines), where
        for index, (one, other) in enumerate(zip(first, second, strict=True)):
            walk_identical(one, other, f"{where}[{index}]")
    elif isinstance(first, dict):
        assert list(first) == list(second), where
        if isinstance(first, LocatedDict):
            assert (first.line, first.key_lines) == (second.line, second.key_lines), where
        for key in first:
            walk_identical(first[key], second[key], f"{where}[{key!r}]")
    else:
        assert first == second, where


@pytest.mark.parametrize(
    "path", [MINI, MODEL, default_sources_path()], ids=["mini", "model", "shipped"]
)
def test_an_entry_gives_back_exactly_the_parsed_document(path: Path) -> None:
    catalog = load_catalog(path, use_cache=False)
    document = parse(path.read_text(encoding="utf-8"), str(path))
    content = cache.encode(catalog.sha256, document)
    assert b"pickle" not in content and content.startswith(cache.FORMAT)
    digest, back = cache.decode(content)
    assert digest == catalog.sha256
    walk_identical(back, document, "document")  # every value, type and line number
    walk_identical(build_catalog(back, str(path), digest), catalog)


def test_a_warm_cache_skips_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    first = load_catalog(MINI)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("soracost.data.catalog.parse", refuse)
    second = load_catalog(MINI)
    assert second == first and second is not first
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(MINI.read_bytes())
    assert load_catalog(copy).path == str(copy)  # same bytes elsewhere: its own path


def test_changed_data_is_never_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.yaml"
    data.write_bytes(MINI.read_bytes())
    before = load_catalog(data)
    data.write_text(MINI.read_text().replace("90 Wh", "91 Wh"), encoding="utf-8")
    after = load_catalog(data)
    assert after.sha256 != before.sha256 and after.estimates != before.estimates
    data.write_text(MINI.read_text().replace("90 Wh", "90 Whh"), encoding="utf-8")
    with pytest.raises(DataError, match="unknown unit 'Whh'"):
        load_catalog(data)  # validated afresh, never a cached look-alike


def a_package(folder: Path) -> Path:
    """A package folder whose names sort one way as text and another as paths
    (``a-b.py`` before ``a/`` as text, after it as paths), with things that are no
    modules, and a link to a folder of modules (not followed, as rglob does not)."""
    package = folder / "soracost"
    (package / "a" / "deep").mkdir(parents=True)
    for name in ("__init__.py", "a-b.py", "a/__init__.py", "a/deep/x.py", ".hidden.py"):
        (package / name).write_text(f"# {name}\n", encoding="utf-8")
    (package / "a" / "notes.txt").write_text("not a module\n", encoding="utf-8")
    (package / "a" / "x.pyc").write_bytes(b"not a module either")
    (folder / "elsewhere").mkdir()
    (folder / "elsewhere" / "y.py").write_text("# y\n", encoding="utf-8")
    (package / "linked").symlink_to(folder / "elsewhere", target_is_directory=True)
    return package


def test_the_code_fingerprint_lists_the_modules_rglob_lists(tmp_path: Path) -> None:
    for package in (a_package(tmp_path), Path(cache.__file__).parents[1]):
        listed = [parts for parts, _path in sorted(cache._modules(str(package), ()))]
        assert listed == [path.relative_to(package).parts for path in sorted(package.rglob("*.py"))]
    assert listed[0] == ("__init__.py",)  # the check itself works: soracost's own modules
    assert cache._modules(str(tmp_path / "absent"), ()) == []


def test_any_module_changed_at_any_depth_changes_the_code_fingerprint(tmp_path: Path) -> None:
    package = a_package(tmp_path)
    deep = package / "a" / "deep" / "x.py"
    first = cache.fingerprint_of(package)
    assert cache.fingerprint_of(package) == first
    (package / "a" / "notes.txt").write_text("edited\n", encoding="utf-8")
    (package / "linked" / "y.py").write_text("# y, edited\n", encoding="utf-8")
    assert cache.fingerprint_of(package) == first  # neither is one of its modules
    seen = {first}
    info = deep.stat()
    os.utime(deep, ns=(info.st_atime_ns, info.st_mtime_ns + 1))  # touched
    seen.add(cache.fingerprint_of(package))
    deep.write_text("# x, longer\n", encoding="utf-8")  # resized
    seen.add(cache.fingerprint_of(package))
    (package / "a" / "deep" / "new.py").write_text("", encoding="utf-8")  # added
    seen.add(cache.fingerprint_of(package))
    (package / "a-b.py").rename(package / "a-c.py")  # renamed
    seen.add(cache.fingerprint_of(package))
    assert len(seen) == 5


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("plain text", True),
        ("tab\tand\nnewline", True),
        ("é, « », U+202F \u202f and 🎥", True),  # a character beyond U+FFFF is one code point
        ("half a pair \ud800", False),
        ("the other half \udfff", False),
        ("an escape code \x1b[2J", False),
        ("a C1 control \x85", False),
    ],
)
def test_an_entrys_texts_are_those_a_data_file_may_hold(text: str, held: bool) -> None:
    texts = ["a key", text, "another"]
    if held:
        cache._check_texts(texts)
    else:
        with pytest.raises(ValueError, match="text a data file holds"):
            cache._check_texts(texts)


def body_of(content: bytes) -> bytes:
    return content.partition(b"\n")[2]


def sealed(body: bytes) -> bytes:
    """An entry with a checksum that matches its (tampered) body."""
    return b"%s %s\n%s" % (cache.FORMAT, hashlib.sha256(body).hexdigest().encode(), body)


def edited(content: bytes, edit: Callable[[list[Any]], object]) -> bytes:
    """The entry with its JSON (the data file's digest and its document) changed by
    ``edit`` and sealed again, so that only the checks on the content can refuse it."""
    pair = json.loads(body_of(content))
    edit(pair)
    return sealed(json.dumps(pair).encode())


def in_document(edit: Callable[[list[Any]], object]) -> Callable[[bytes], bytes]:
    """Change the document's top mapping: ``["m", line, key, key's line, value, ...]``."""
    return lambda content: edited(content, lambda pair: edit(pair[1]))


def set_top(key: str, value: object) -> Callable[[bytes], bytes]:
    """Set the value of a key of the top mapping."""

    def edit(mapping: list[Any]) -> None:
        mapping[mapping.index(key, 2) + 2] = value

    return in_document(edit)


def nested(value: object, depth: int) -> object:
    for _ in range(depth):
        value = ["l", 1, 1, value]
    return value


TAMPERINGS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda content: b"",
    "not JSON": lambda content: b"not a cache entry",
    "truncated": lambda content: content[: len(content) // 2],
    "header only": lambda content: content.partition(b"\n")[0],
    "checksum off": lambda content: b"%s %s\n%s" % (cache.FORMAT, b"0" * 64, body_of(content)),
    "another format": lambda content: content.replace(cache.FORMAT, b"soracost-catalog-json 1"),
    "a figure changed, checksum kept": lambda content: (
        b"%s\n%s" % (content.partition(b"\n")[0], body_of(content).replace(b"90 Wh", b"91 Wh"))
    ),
    "another data file's": lambda content: edited(content, lambda p: p.__setitem__(0, "0" * 64)),
    "a digest that is no text": lambda content: edited(content, lambda p: p.__setitem__(0, 7)),
    "no document": lambda content: edited(content, lambda p: p.pop()),
    "a line number 0": in_document(lambda d: d.__setitem__(1, 0)),
    "a negative line number": in_document(lambda d: d.__setitem__(3, -5)),
    "a flag for a line number": in_document(lambda d: d.__setitem__(1, True)),
    "a key twice": in_document(lambda d: d.extend(d[2:5])),
    # Line numbers and keys below the top, checked inline by the containers' loops:
    "a key's line number 0": in_document(lambda d: d.__setitem__(3, 0)),
    "a key's line beyond any data file": in_document(lambda d: d.__setitem__(3, 2**40)),
    "a float for a key's line": in_document(lambda d: d.__setitem__(3, 2.0)),
    "a list item's line that is a flag": set_top("sources", ["l", 5, True, "x"]),
    "a list item's line 0": set_top("sources", ["l", 5, 0, "x"]),
    "a nested key twice": set_top("title", ["m", 2, "a", 2, "x", "a", 3, "y"]),
    "a nested key that is no text": set_top("title", ["m", 2, "a", 2, "x", None, 3, "y"]),
    "a C1 control in a key": set_top("title", ["m", 2, "a\x85", 2, "x"]),
    "a C0 control in a nested text": set_top("title", ["l", 2, 2, "tab\tfine, bell\x07 not"]),
    "a key that is no text": in_document(lambda d: d.__setitem__(2, 1)),
    "a mapping cut short": in_document(lambda d: d.pop()),
    "a node of no kind": set_top("title", ["x", 1]),
    "an object": set_top("title", {"x": 1}),
    "an escape code": set_top("title", "\x1b[2Jtitle"),
    "half a UTF-16 pair": set_top("title", "title \ud800"),
    "NaN": set_top("schema_version", math.nan),
    "a number too large": lambda content: sealed(
        body_of(set_top("schema_version", 1.5e300)(content)).replace(b"1.5e+300", b"1e400")
    ),
    "a date that is none": lambda content: sealed(
        body_of(content).replace(b'["d","2025-09-23"]', b'["d","2025-02-30"]')
    ),
    "nested too deep": set_top("title", nested("x", 40)),
    "deeply nested": lambda content: sealed(b"[" * 100_000 + b"]" * 100_000),
}
"""Entries that are not what :func:`cache.encode` writes of what the YAML parser builds."""


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_malformed_or_tampered_entry_is_rebuilt_from_the_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper: Callable[[bytes], bytes]
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    expected = load_catalog(MINI, use_cache=False)
    load_catalog(MINI)
    (entry,) = entries_in(tmp_path)
    entry.write_bytes(tamper(entry.read_bytes()))
    parses = count_parses(monkeypatch)
    assert load_catalog(MINI) == expected
    assert parses == [str(MINI)]  # never trusted: built again from the data file
    assert load_catalog(MINI) == expected and len(parses) == 1  # and the entry rebuilt


INVALID_DATA: dict[str, tuple[str, str]] = {
    # The tamperings of an adversarial review, made to the document: each is refused by
    # the loader, so its entry is refused too, and the catalogue built from the file.
    "a unit that is none": ("{low: 80 Wh, mid: 90 Wh, high: 100 Wh}", "{mid: 90 banana}"),
    "a unit of another quantity": ("80 Wh, mid: 90 Wh, high: 100 Wh", "80 L, mid: 90 L, high: 1 L"),
    "no frames": ("frames: 81, fps: 16", "frames: 0, fps: 16"),
    "no frames a second": ("fps: 16", "fps: 0"),
    "a negative width": ("width: 1280", "width: -1280"),
    "frames beyond any float": ("frames: 81", f"frames: 1{'0' * 400}"),
    "a clip of no duration": ("clip: {duration_s: 6}", "clip: {duration_s: 0}"),
    "a PUE of its own": ("boundary: facility\n", "boundary: facility\n    own_pue: 0\n"),
    "percentiles of its own": ("fill: geometric-mean\n", "cases_percentiles: [0, 100]\n"),
    "an exponent of 10^300": ('{low: "1.5", mid: "1.75", high: "2"}', '{mid: "1e300"}'),
    "a PUE of 0": ('published: {mid: "1.25"}', 'published: {mid: "0"}'),
    "a PUE below 1": ('{low: "1.1", mid: "1.2", high: "1.5"}', '{low: "0.5", mid: "1.2"}'),
    "a factor's unit that is none": ('"0.5 L/kWh"', '"0.5 banana"'),
    "an equivalent of nothing": ('{mid: "120 W"}', '{mid: "0 W"}'),
    "an equivalent's unit that is none": ('{mid: "120 W"}', '{mid: "120 banana"}'),
    "a case of no name": ("published: {mid: 10 Wh}", 'published: {"x\\u202e": 10 Wh}'),
    "a range out of order": ("{low: 80 Wh, mid: 90 Wh", "{low: 95 Wh, mid: 90 Wh"),
    "a negative figure": ("{low: 80 Wh", "{low: -80 Wh"),
    "a source that does not exist": ("    source: paper\n", "    source: nobody\n"),
    "a site's factor that does not exist": ("pue: test-pue", "pue: nope"),
    "a site's factor of another kind": ("pue: test-pue", "pue: test-wue"),
    "two default sites": ("kind: provider\n", "kind: provider\n    default: true\n"),
    "a text where a number goes": ("schema_version: 1", 'schema_version: "1"'),
    "an unknown choice": ("boundary: gpu\n", "boundary: moon\n"),
    "no estimates": ("estimates:\n  - id: model-a", "estimatez:\n  - id: model-a"),
}


def plant_invalid(entry: Path, edit: tuple[str, str]) -> None:
    """Put in the data file's entry the parsed document of its text edited by ``edit``,
    which the loader refuses: an entry a checksum and the parser both accept."""
    text = MODEL.read_text(encoding="utf-8")
    old, new = edit
    assert text.count(old) >= 1, old
    invalid = text.replace(old, new, 1)
    with pytest.raises(DataError):
        parse_catalog(invalid, str(MODEL))
    digest = hashlib.sha256(MODEL.read_bytes()).hexdigest()
    entry.write_bytes(cache.encode(digest, parse(invalid, str(MODEL))))


@pytest.mark.parametrize("edit", INVALID_DATA.values(), ids=INVALID_DATA.keys())
def test_an_entry_is_validated_as_its_data_file_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str]
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    expected = load_catalog(MODEL, use_cache=False)
    load_catalog(MODEL)
    (entry,) = entries_in(tmp_path)
    plant_invalid(entry, edit)
    parses = count_parses(monkeypatch)
    walk_identical(load_catalog(MODEL), expected)
    assert parses == [str(MODEL)]  # refused: built again from the data file
    walk_identical(load_catalog(MODEL), expected)
    assert len(parses) == 1  # and the entry rebuilt


@pytest.mark.parametrize(
    "name", ["a PUE of 0", "a unit that is none", "a site's factor of another kind"]
)
def test_a_refused_entry_changes_no_output(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    commands = [
        ["clip", "--format", "csv", "--sources", str(MODEL)],
        ["clip", "--carbon", "--equivalents", "--sources", str(MODEL)],
        ["compare", "--quantity", "water", "--format", "json", "--sources", str(MODEL)],
        ["sites", "--sources", str(MODEL)],
        ["sources", "check", str(MODEL)],
    ]
    monkeypatch.setenv("SORACOST_NO_CACHE", "1")
    expected = [runner.invoke(app, command) for command in commands]
    assert all(result.exit_code == 0 for result in expected)
    monkeypatch.delenv("SORACOST_NO_CACHE")
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    load_catalog(MODEL)
    (entry,) = entries_in(tmp_path)
    for command, wanted in zip(commands, expected, strict=True):
        plant_invalid(entry, INVALID_DATA[name])
        result = runner.invoke(app, command)
        assert (result.exit_code, result.stdout, result.stderr) == (0, wanted.stdout, ""), command


def test_an_entry_others_could_write_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    expected = load_catalog(MINI)
    (entry,) = entries_in(tmp_path)
    os.chmod(entry, stat.S_IMODE(entry.stat().st_mode) | stat.S_IWOTH)
    assert cache.load(expected.sha256) is None
    entry.chmod(0o600)
    assert cache.load(expected.sha256) == parse(MINI.read_text(encoding="utf-8"), str(MINI))
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root can give it away
        os.chown(entry, 4242, -1)
        assert cache.load(expected.sha256) is None


def test_a_link_in_place_of_an_entry_or_of_the_folder_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path / "cache"))
    expected = load_catalog(MINI)
    (entry,) = entries_in(tmp_path / "cache")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    planted = elsewhere / "planted"
    planted.write_bytes(entry.read_bytes())  # a valid entry, but not in the cache
    planted.chmod(0o600)
    entry.unlink()
    entry.symlink_to(planted)
    parses = count_parses(monkeypatch)
    assert load_catalog(MINI) == expected
    assert parses == [str(MINI)]  # the link was not read ...
    assert planted.read_bytes().startswith(b"soracost-catalog")  # ... nor written through
    assert not entry.is_symlink()  # the link itself was replaced by a new entry
    # The cache's own folder as a link to another folder: not the cache's.
    folder = tmp_path / "linked" / cache.FOLDER_NAME
    folder.parent.mkdir()
    folder.symlink_to(entry.parent, target_is_directory=True)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(folder.parent))
    assert load_catalog(MINI) == expected and len(parses) == 2


def test_an_unusable_cache_folder_never_fails_a_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for folder in (blocker / "cache", tmp_path / "missing" / "deeper"):
        monkeypatch.setenv("SORACOST_CACHE_DIR", str(folder))
        result = runner.invoke(app, ["sources", "check"])
        assert result.exit_code == 0, result.stderr
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o500)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(read_only))
    assert load_catalog(default_sources_path()).estimates
    assert list(read_only.iterdir()) == [] or os.geteuid() == 0  # root writes anyway


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SORACOST_NO_CACHE", "1")
    load_catalog(MINI)
    assert not list(tmp_path.iterdir())
    monkeypatch.delenv("SORACOST_CACHE_DIR")
    monkeypatch.setenv("SORACOST_NO_CACHE", "0")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "soracost"


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " On "])
def test_no_cache_reads_yes_words_as_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SORACOST_NO_CACHE", value)
    assert load_catalog(MINI).estimates
    assert cache.cache_dir() is None and not list(tmp_path.iterdir())


@pytest.mark.parametrize("value", ["0", "false", "False", "NO", "off", ""])
def test_no_cache_reads_no_words_as_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SORACOST_NO_CACHE", value)
    assert load_catalog(MINI).estimates
    assert len(entries_in(tmp_path)) == 1  # the cache is on


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "\x1b[31m", "o n"])
def test_an_on_off_switch_refuses_other_words(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SORACOST_SWITCH", value)
    with pytest.raises(UsageProblem, match=r"^\$SORACOST_SWITCH is .*; set it to 1, true"):
        environment.switch("SORACOST_SWITCH")
    assert UsageProblem.exit_code == 2
    monkeypatch.delenv("SORACOST_SWITCH")
    assert environment.switch("SORACOST_SWITCH") is False
    assert environment.switch("SORACOST_SWITCH", default=True) is True


def test_the_cache_folder_expands_a_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SORACOST_CACHE_DIR", "~/x")
    assert load_catalog(MINI).estimates
    assert not (work / "~").exists()  # never a folder literally named '~'
    assert len(entries_in(tmp_path / "home" / "x")) == 1
    monkeypatch.setenv("SORACOST_CACHE_DIR", "~")
    assert cache.cache_dir() == tmp_path / "home"
    monkeypatch.delenv("HOME")
    monkeypatch.setenv("SORACOST_CACHE_DIR", "~/x")
    assert cache.cache_dir() is None  # no HOME: no cache, and no '~' folder
    assert load_catalog(MINI).estimates
    assert not (work / "~").exists()


def test_without_home_or_passwd_entry_there_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.chdir(tmp_path)
    for name in ("HOME", "XDG_CACHE_HOME", "SORACOST_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert cache.cache_dir() is None  # HOME unset: no cache, even with a passwd entry
    monkeypatch.setattr(pwd, "getpwuid", no_entry)  # a container's arbitrary uid
    assert cache.cache_dir() is None
    assert load_catalog(MINI).estimates
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG rule: ignored
    assert cache.cache_dir() is None
    assert not list(tmp_path.iterdir())


def test_the_cache_keeps_the_entries_used_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    folder = tmp_path / cache.FOLDER_NAME
    load_catalog(MINI)
    (mini_entry,) = folder.glob("catalog-*.json")
    # Older entries (other data files, other versions), each last used a minute apart.
    now = mini_entry.stat().st_mtime
    others = []
    for number in range(cache.MAX_ENTRIES + 3):
        other = folder / f"catalog-{number:064x}-0123456789abcdef.json"
        other.write_bytes(b"an older entry")
        os.utime(other, (now - 60 * (number + 2),) * 2)
        others.append(other)
    os.utime(mini_entry, (now - 3600 * 24,) * 2)  # the oldest of all ...
    assert load_catalog(MINI).estimates  # ... until it is read again
    not_ours = folder / "notes.txt"
    not_ours.write_text("someone else's file", encoding="utf-8")
    stale = folder / ".catalog-killed.tmp"
    stale.write_bytes(b"half written")
    os.utime(stale, (now - cache.STALE_TEMPORARY_SECONDS - 60,) * 2)
    fresh = folder / ".catalog-writing.tmp"
    fresh.write_bytes(b"being written")
    data = tmp_path / "data.yaml"
    data.write_text(MINI.read_text().replace("90 Wh", "91 Wh"), encoding="utf-8")
    load_catalog(data)  # a new entry: the folder is pruned
    kept = set(folder.glob("catalog-*.json"))
    new_entries = kept - set(others) - {mini_entry}
    assert len(new_entries) == 1
    # The new entry, the one read just before, and the most recently used of the rest.
    assert kept == {*new_entries, mini_entry, *others[: cache.MAX_ENTRIES - 2]}
    assert not_ours.exists() and fresh.exists() and not stale.exists()


def fill_the_cache(tmp_path: Path) -> None:
    """Store more catalogues than the cache keeps, so that it prunes."""
    for number in range(cache.MAX_ENTRIES + 3):
        data = tmp_path / f"data-{number}.yaml"
        data.write_text(f"{MINI.read_text()}# another file, {number}\n", "utf-8")
        load_catalog(data)


def users_files(folder: Path) -> dict[Path, bytes]:
    """Files of the user's, named as soracost's entries and temporary files are (or
    were: pickles), old enough to be pruned."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [
        *(f"catalog-{number:064x}-0123456789abcdef.pickle" for number in range(20)),
        *(f"catalog-{number:064x}-0123456789abcdef.json" for number in range(20)),
        ".catalog-mine.tmp",
        "notes.txt",
    ]
    files = {}
    for name in names:
        path = folder / name
        path.write_bytes(f"the user's own {name}".encode())
        os.utime(path, (1_000_000_000,) * 2)  # 2001: older than anything
        files[path] = path.read_bytes()
    return files


def test_pruning_never_deletes_the_users_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SORACOST_CACHE_DIR names a folder the user keeps files in.
    theirs = tmp_path / "mine"
    files = users_files(theirs)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(theirs))
    fill_the_cache(tmp_path)
    assert {path: path.read_bytes() for path in files} == files
    assert len(entries_in(theirs / cache.FOLDER_NAME)) == cache.MAX_ENTRIES


def test_a_folder_of_the_caches_name_without_its_marker_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base"
    files = users_files(base / cache.FOLDER_NAME)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(base))
    fill_the_cache(tmp_path)
    assert {path: path.read_bytes() for path in files} == files
    assert set((base / cache.FOLDER_NAME).iterdir()) == set(files)  # nothing written there
    # A marker of another content proves nothing either.
    (base / cache.FOLDER_NAME / cache.MARKER_NAME).write_bytes(b"Signature: something else\n")
    fill_the_cache(tmp_path)
    assert {path: path.read_bytes() for path in files} == files


def test_an_empty_folder_of_the_caches_name_is_taken_and_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a process killed between making the folder and marking it leaves.
    (tmp_path / cache.FOLDER_NAME).mkdir(mode=0o700)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    load_catalog(MINI)
    assert (tmp_path / cache.FOLDER_NAME / cache.MARKER_NAME).read_bytes() == cache.MARKER
    assert len(entries_in(tmp_path)) == 1


class Blocked(BaseException):
    """Not an ``Exception``: no ``except Exception`` in the code under test hides it."""


@contextlib.contextmanager
def no_longer_than(seconds: float) -> Iterator[None]:
    """Fail, instead of hanging the suite, if the block blocks."""

    def blocked(signum: int, frame: object) -> None:
        raise Blocked(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_anything_but_a_regular_file_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    expected = load_catalog(MINI)
    (entry,) = entries_in(tmp_path)
    entry.unlink()
    os.mkfifo(entry)  # with no writer: reading it would block for ever
    with no_longer_than(10):
        assert load_catalog(MINI) == expected  # not blocked, and rebuilt over the FIFO
    assert entry.is_file()
    entry.unlink()
    entry.mkdir()  # a folder in an entry's place: no entry, and none can be written
    assert load_catalog(MINI) == expected
    fifo = tmp_path / cache.FOLDER_NAME / f"catalog-{'0' * 64}-0123456789abcdef.json"
    os.mkfifo(fifo)
    os.utime(fifo, (1_000_000_000,) * 2)
    fill_the_cache(tmp_path)  # pruning skips it too
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and entry.is_dir()
