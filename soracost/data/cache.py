"""A cache of validated catalogues, so a run can skip parsing and validating its data file.

A cache entry is a validated :class:`~soracost.core.records.Catalog`, pickled, under a name
made of the data file's SHA-256, soracost's version and a fingerprint of soracost's own
code (the size and modification time of each of its modules): a changed data file, a new
soracost or an edited module never meets an old entry. An entry is written only after
validation succeeded, atomically, and read only from a folder and file that belong to
the user and that nobody else can write (a pickle must come from a trusted place). Any
problem with the cache (a read-only or missing folder, a corrupt or foreign file) is
ignored: the catalogue is then built from the data file as if there were no cache.

The folder keeps the ``MAX_ENTRIES`` entries used most recently (a read marks an entry as
used): editing a data file again and again, or upgrading soracost, does not grow it
without end. A temporary file left by a process killed while writing is removed after
an hour.

``SORACOST_CACHE_DIR`` chooses the folder (default: ``$XDG_CACHE_HOME/soracost`` or
``~/.cache/soracost``); ``SORACOST_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from soracost import __version__

if TYPE_CHECKING:
    from soracost.core.records import Catalog

CACHE_DIR_ENV = "SORACOST_CACHE_DIR"
NO_CACHE_ENV = "SORACOST_NO_CACHE"
MAX_ENTRIES = 16
"""Entries kept: a few data files, each under a few versions of soracost."""
STALE_TEMPORARY_SECONDS = 3600
"""A temporary file this old was left by a process that died while writing it."""


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "soracost"


@cache
def code_fingerprint() -> str:
    """soracost's version, Python's, and the size and modification time of each of
    soracost's modules (the cache folder may be shared by several environments)."""
    import sys

    package = Path(__file__).parents[1]
    digest = hashlib.sha256(f"{__version__} {sys.version} {package}".encode())
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        name = module.relative_to(package).as_posix()
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".catalog-", ".tmp"  # an entry being written


def _entry(folder: Path, data_sha256: str) -> Path:
    return folder / f"catalog-{data_sha256}-{code_fingerprint()}.pickle"


def _trusted(path: Path) -> bool:
    """Owned by this user and writable by nobody else (so a pickle there is ours)."""
    try:
        info = path.stat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load(data_sha256: str, label: str) -> Catalog | None:
    """The cached catalogue for a data file's bytes, labelled ``label``; ``None`` if none."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry(folder, data_sha256)
    if not (_trusted(folder) and _trusted(entry)):
        return None
    from dataclasses import replace

    from soracost.core.records import Catalog

    try:
        with entry.open("rb") as handle:
            catalog = pickle.load(handle)  # our own file: owner and mode checked above
    except Exception:  # a corrupt, truncated or foreign entry: build from the data file
        return None
    if not isinstance(catalog, Catalog) or catalog.sha256 != data_sha256:
        return None
    with contextlib.suppress(OSError):  # a read-only folder: the entry just ages
        os.utime(entry)  # used now: the last to be pruned
    return replace(catalog, path=label)


def store(catalog: Catalog) -> None:
    """Keep a validated catalogue for next time; silently does nothing if it cannot."""
    folder = cache_dir()
    if folder is None:
        return
    temporary: str | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
        )
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, 0o600)
        os.replace(temporary, _entry(folder, catalog.sha256))
        temporary = None
        _prune(folder)
    except Exception:  # a read-only disk, a full one, an unpicklable surprise: no cache
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Remove all but the ``MAX_ENTRIES`` most recently used entries, and temporary files
    left behind by processes that died. Another process may be pruning too: a file that
    is already gone is no error. Files named otherwise are never touched."""
    import time

    def last_used(path: Path) -> float | None:
        try:
            return path.stat().st_mtime
        except OSError:
            return None

    stale_before = time.time() - STALE_TEMPORARY_SECONDS
    doomed = [
        path
        for path in folder.glob(f"{_TEMPORARY_PREFIX}*{_TEMPORARY_SUFFIX}")
        if (used := last_used(path)) is not None and used < stale_before
    ]
    entries = [
        (used, path)
        for path in folder.glob("catalog-*.pickle")
        if (used := last_used(path)) is not None
    ]
    entries.sort(reverse=True)
    doomed += [path for _, path in entries[MAX_ENTRIES:]]
    for path in doomed:
        with contextlib.suppress(OSError):
            path.unlink()
