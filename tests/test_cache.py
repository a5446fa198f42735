"""The catalogue cache: outputs are byte-identical with no cache, a cold one and a warm one;
it never serves a stale, corrupt or foreign entry, and never fails a run."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.errors import DataError
from soracost.data import cache
from soracost.data.catalog import default_sources_path, load_catalog

from .conftest import MINI

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


def test_outputs_are_identical_without_cache_cold_and_warm(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_NO_CACHE", "1")
    none = outputs(runner)
    monkeypatch.delenv("SORACOST_NO_CACHE")
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path / "cache"))
    cold = outputs(runner)
    entries = list((tmp_path / "cache").glob("catalog-*.pickle"))
    assert len(entries) == 1  # one data file, one entry
    warm = outputs(runner)
    assert none == cold == warm


def test_a_warm_cache_skips_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    first = load_catalog(MINI)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("soracost.data.catalog.parse_catalog", refuse)
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


def test_a_corrupt_or_foreign_entry_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    expected = load_catalog(MINI, use_cache=False)
    load_catalog(MINI)
    (entry,) = tmp_path.glob("catalog-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_catalog(MINI) == expected
    entry.write_bytes(pickle.dumps({"a": "dictionary"}))
    assert load_catalog(MINI) == expected
    entry.chmod(0o666)  # writable by others: not trusted, not read
    os.chmod(entry, stat.S_IMODE(entry.stat().st_mode) | stat.S_IWOTH)
    assert cache.load(expected.sha256, str(MINI)) is None


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


def test_the_cache_keeps_the_entries_used_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(tmp_path))
    load_catalog(MINI)
    (mini_entry,) = tmp_path.glob("catalog-*.pickle")
    # Older entries (other data files, other versions), each last used a minute apart.
    now = mini_entry.stat().st_mtime
    others = []
    for number in range(cache.MAX_ENTRIES + 3):
        other = tmp_path / f"catalog-{number:064x}-0123456789abcdef.pickle"
        other.write_bytes(b"an older entry")
        os.utime(other, (now - 60 * (number + 2),) * 2)
        others.append(other)
    os.utime(mini_entry, (now - 3600 * 24,) * 2)  # the oldest of all ...
    assert load_catalog(MINI).estimates  # ... until it is read again
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("someone else's file", encoding="utf-8")
    stale = tmp_path / ".catalog-killed.tmp"
    stale.write_bytes(b"half written")
    os.utime(stale, (now - cache.STALE_TEMPORARY_SECONDS - 60,) * 2)
    fresh = tmp_path / ".catalog-writing.tmp"
    fresh.write_bytes(b"being written")
    data = tmp_path / "data.yaml"
    data.write_text(MINI.read_text().replace("90 Wh", "91 Wh"), encoding="utf-8")
    load_catalog(data)  # a new entry: the folder is pruned
    kept = set(tmp_path.glob("catalog-*.pickle"))
    new_entries = kept - set(others) - {mini_entry}
    assert len(new_entries) == 1
    # The new entry, the one read just before, and the most recently used of the rest.
    assert kept == {*new_entries, mini_entry, *others[: cache.MAX_ENTRIES - 2]}
    assert not_ours.exists() and fresh.exists() and not stale.exists()
