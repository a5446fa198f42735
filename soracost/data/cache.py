"""A cache of parsed data files, so a run can skip reading its data file's YAML.

**Data, not code, and validated like any input.** An entry is a data file's parsed
document (:func:`soracost.data.yamldoc.parse`'s mappings, lists and values with their line
numbers) as JSON: loading one runs nothing. A header names the format and the SHA-256 of
the JSON that follows, which holds the data file's own SHA-256 and the document; the
document is read back only as what the YAML parser could have built (text without
control characters, finite numbers, dates, distinct keys, line numbers, nesting no
deeper than a data file's). The catalogue is then built from it by the loader's own
validation (:func:`soracost.data.catalog.build_catalog`), every check that a parsed file
goes through: only the parsing is skipped, so an entry can yield no catalogue that its
data file would not. An entry that fails any check is ignored and the catalogue is
built from its data file, as if there were no cache. An entry is opened without
following a symbolic link and without blocking, and read only if it is a regular file of
this user that nobody else can write (so a FIFO, a device or a link planted in its place
is skipped).

An entry's name is made of the data file's SHA-256 and a fingerprint of soracost (its
version, Python's, and the size and modification time of each of its modules): a changed
data file, a new soracost or an edited module never meets an old entry. An entry is
written only after validation succeeded, atomically.

**Only its own files.** The entries live in a folder of their own, ``soracost-catalogs``
inside the cache folder, which soracost creates and marks with a ``CACHEDIR.TAG``
(https://bford.info/cachedir/). soracost writes and prunes only in a folder carrying
that marker, and deletes only files named as its entries or its temporary files: the
user's files are never touched, even where ``SORACOST_CACHE_DIR`` names a folder they use
(nor the pickles of earlier versions, directly in the cache folder: they are not read).
The folder keeps the ``MAX_ENTRIES`` entries used most recently (a read marks an entry as
used); a temporary file left by a process killed while writing is removed after an hour.

**Where.** ``SORACOST_CACHE_DIR`` chooses the cache folder (``~`` expanded), else
``$XDG_CACHE_HOME/soracost``, else ``$HOME/.cache/soracost``; without any of them (a
container run under a uid with no home) there is no cache. ``SORACOST_NO_CACHE`` turns
it off (:func:`soracost.core.environment.switch`: 1/true/yes/on, 0/false/no/off). Any
problem with the cache (a read-only or missing folder, a corrupt or foreign file) is
ignored: the run goes on without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import re
import stat
import sys
from functools import cache
from pathlib import Path
from typing import Any

from soracost import __version__
from soracost.core import environment
from soracost.data.unnamed import link_unnamed, open_unnamed, signals_held
from soracost.data.yamldoc import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LocatedDict,
    LocatedList,
)

CACHE_DIR_ENV = "SORACOST_CACHE_DIR"
NO_CACHE_ENV = "SORACOST_NO_CACHE"
FOLDER_NAME = "soracost-catalogs"
"""The cache's own folder inside the cache folder: the only place it writes or deletes."""
MARKER_NAME = "CACHEDIR.TAG"
MARKER = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is soracost's cache of validated catalogues (soracost.data.cache).\n"
    b"# soracost deletes only its own entries here; it may all be deleted at any time.\n"
)
"""The marker's exact content: a folder without it is not the cache's."""
FORMAT = b"soracost-catalog-json 2"
"""The first words of an entry's header line; the SHA-256 of the JSON follows."""
MAX_ENTRIES = 16
"""Entries kept: a few data files, each under a few versions of soracost."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""A larger file is not an entry (a data file is at most 8 MiB)."""
STALE_TEMPORARY_SECONDS = 3600
"""A temporary file this old was left by a process that died while writing it."""

_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".catalog-", ".tmp"  # an entry being written
# Patterns of names, matched with re.fullmatch (compiled on first use, by re's own cache):
# only writing and pruning read them, so a run that only reads the cache compiles neither
# (0.8 M instructions of `clip --count 10`, callgrind, whole process).
_ENTRY_NAME = r"catalog-[0-9a-f]{64}-[0-9a-f]{16}\.json"
_TEMPORARY_NAME = r"\.catalog-[A-Za-z0-9_]{1,64}\.tmp"
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a symbolic link in an entry's place is not read
    | getattr(os, "O_NONBLOCK", 0)  # nor does a FIFO block the run
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is off or there is nowhere to put it.

    Raises :class:`~soracost.core.errors.UsageProblem` if ``SORACOST_NO_CACHE`` is
    neither on nor off.
    """
    if environment.switch(NO_CACHE_ENV, default=False):
        return None
    if os.environ.get(CACHE_DIR_ENV):
        return environment.path(CACHE_DIR_ENV)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG rule: a relative path is ignored
        return Path(xdg) / "soracost"
    home = environment.home()
    return None if home is None else home / ".cache" / "soracost"


@cache
def code_fingerprint() -> str:
    """soracost's version, Python's, and the size and modification time of each of
    soracost's modules (the cache folder may be shared by several environments)."""
    return fingerprint_of(Path(__file__).parents[1])


def fingerprint_of(package: Path) -> str:
    """:func:`code_fingerprint` of the package in folder ``package``: a module added,
    removed, renamed, resized or touched, at any depth, gives another."""
    digest = hashlib.sha256(f"{__version__} {sys.version} {package}".encode())
    for parts, path in sorted(_modules(str(package), ())):
        info = os.stat(path)
        digest.update(f"{'/'.join(parts)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _modules(folder: str, parts: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    """Every ``*.py`` in ``folder`` and the folders below it, not through a link to a
    folder, as (its path's names from the package down, its path): the modules
    ``Path.rglob("*.py")`` lists, and sorted by those names, in the order it sorts them.
    A third of rglob's time: 6.5 M instructions less in every run (`clip --count 10`,
    callgrind, whole process; 0.9 -> 0.3 ms in-process)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except (NotADirectoryError, FileNotFoundError, PermissionError):
        return []  # as rglob: not a folder (a package in an archive) or unreadable: none
    found: list[tuple[tuple[str, ...], str]] = []
    for entry in entries:
        if entry.name.endswith(".py"):
            found.append(((*parts, entry.name), entry.path))
        try:
            below = entry.is_dir(follow_symlinks=False)
        except OSError:
            below = False
        if below:
            found += _modules(entry.path, (*parts, entry.name))
    return found


def _entry_name(data_sha256: str) -> str:
    return f"catalog-{data_sha256}-{code_fingerprint()}.json"


def _ours(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _own_directory(path: Path) -> bool:
    """A real folder (not a link to one) of this user that nobody else can write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _ours(info)


def _read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, read without following a link or blocking on a FIFO, and
    marked as used; ``None`` if it is anything else, foreign, or over ``limit`` bytes."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not (stat.S_ISREG(info.st_mode) and _ours(info)) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while chunk := os.read(descriptor, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None
        if os.utime in os.supports_fd:
            with contextlib.suppress(OSError):  # a read-only folder: the entry just ages
                os.utime(descriptor)  # used now: the last to be pruned
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def load(data_sha256: str) -> Any:
    """The parsed document of a data file's bytes (:func:`soracost.data.yamldoc.parse`'s),
    as kept by :func:`store`; ``None`` if there is none. The caller validates it as it
    validates a parsed file: an entry holds only what the parser could have built."""
    base = cache_dir()
    if base is None:
        return None
    folder = base / FOLDER_NAME
    if not _own_directory(folder):
        return None
    read = _read_regular(folder / _entry_name(data_sha256), MAX_ENTRY_BYTES)
    if read is None:
        return None
    try:
        digest, document = decode(read)
    except Exception:  # malformed, truncated or tampered: build from the data file
        return None
    return document if digest == data_sha256 else None


def store(data_sha256: str, document: object) -> None:
    """Keep a data file's parsed document, once validated, for next time; silently does
    nothing if it cannot."""
    base = cache_dir()
    if base is None:
        return
    temporary: str | None = None
    try:
        folder = _own_folder(base)
        if folder is None:
            return
        content = encode(data_sha256, document)
        temporary = _write_temporary(folder, content)
        os.replace(temporary, folder / _entry_name(data_sha256))
        _MADE.discard(temporary)  # renamed: nothing left to remove
        temporary = None
        _prune(folder)
    except Exception:  # a read-only disk, a full one, an unencodable surprise: no cache
        return
    finally:
        if temporary is not None:
            _remove_temporary(temporary)


def _own_folder(base: Path) -> Path | None:
    """The cache's own folder inside ``base``, created and marked if need be; ``None``
    if it is not provably the cache's (a folder of the same name without the marker)."""
    folder = base / FOLDER_NAME
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not _own_directory(folder):
            return None
        if _read_regular(folder / MARKER_NAME, len(MARKER)) is None and _only_temporaries(
            folder
        ):  # a folder that a process died making (or marking), or a race
            _mark(folder)
    else:
        _mark(folder)
    marker = _read_regular(folder / MARKER_NAME, len(MARKER))
    if marker != MARKER or not _own_directory(folder):
        return None
    return folder


def _mark(folder: Path) -> None:
    """Write the marker, complete, unless one is there already (never over a file)."""
    descriptor, temporary = _make_temporary(folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(MARKER)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, folder / MARKER_NAME)
    finally:
        _remove_temporary(temporary)


def _only_temporaries(folder: Path) -> bool:
    """Whether ``folder`` holds nothing but this user's temporary files (none at all, or
    what a process killed while marking it left): a folder that is the cache's for sure.
    Anything else in an unmarked folder means it may be the user's: it is left alone."""
    with os.scandir(folder) as listing:
        for item in listing:
            if not re.fullmatch(_TEMPORARY_NAME, item.name):
                return False
            info = item.stat(follow_symlinks=False)
            if not (stat.S_ISREG(info.st_mode) and _ours(info)):
                return False
    return True


# The temporary files made and not yet renamed or removed: remove_leftovers removes them.
_MADE: set[str] = set()


def remove_leftovers() -> None:
    """Remove any temporary file a run made and had no time to remove (a signal ended it
    right then): ``soracost.__main__`` calls this as the process ends."""
    for name in list(_MADE):
        _remove_temporary(name)


def _write_temporary(folder: Path, content: bytes) -> str:
    """``content`` in a complete temporary file in ``folder``; its name (kept for the
    clean-up). Where the system allows (Linux's ``O_TMPFILE``) the file has no name while
    it is written and is linked under one only once complete, so that even a crash or
    SIGKILL meanwhile leaves nothing behind; elsewhere it is named from the start."""
    where = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        descriptor = open_unnamed(where)
        if descriptor is not None:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                with signals_held():
                    name = f"{_TEMPORARY_PREFIX}{os.urandom(6).hex()}{_TEMPORARY_SUFFIX}"
                    if link_unnamed(handle.fileno(), where, name):
                        _MADE.add(os.path.join(folder, name))
                        return os.path.join(folder, name)
    finally:
        os.close(where)
    descriptor, temporary = _make_temporary(folder)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return temporary


def _make_temporary(folder: Path) -> tuple[int, str]:
    """Make a temporary file in ``folder`` and keep its name, with every signal held
    meanwhile: one that ends the run is delivered only once the name is kept, so the file
    is removed (by the caller's clean-up or :func:`remove_leftovers`), never left."""
    # Only to write a file the system cannot make unnamed: importing tempfile (and random,
    # where Rich has not) cost 1.5 M instructions of `clip --count 10`, 3.9 M of
    # `sources check` (callgrind, whole process).
    import tempfile

    with signals_held():
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
        )
        _MADE.add(temporary)
    return descriptor, temporary


def _remove_temporary(name: str) -> None:
    """Remove a temporary file, and forget it; a second signal cannot cut this short."""
    with signals_held():
        with contextlib.suppress(OSError):
            os.unlink(name)
        _MADE.discard(name)


def _prune(folder: Path) -> None:
    """Remove all but the ``MAX_ENTRIES`` most recently used entries, and temporary files
    left behind by processes that died. Another process may be pruning too: a file that
    is already gone is no error. Only this user's regular files named as entries or
    temporary files are candidates; nothing else is ever touched."""
    import time

    stale_before = time.time() - STALE_TEMPORARY_SECONDS
    entries: list[tuple[float, str]] = []
    doomed: list[str] = []
    with os.scandir(folder) as listing:
        for item in listing:
            entry = re.fullmatch(_ENTRY_NAME, item.name) is not None
            if not (entry or re.fullmatch(_TEMPORARY_NAME, item.name)):
                continue
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if not (stat.S_ISREG(info.st_mode) and _ours(info)):
                continue
            if entry:
                entries.append((info.st_mtime, item.name))
            elif info.st_mtime < stale_before:
                doomed.append(item.name)
    entries.sort(reverse=True)
    doomed += [name for _, name in entries[MAX_ENTRIES:]]
    for name in doomed:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


# --- The format: a parsed data file to JSON and back, as the YAML parser builds it -----


def encode(data_sha256: str, document: object) -> bytes:
    """An entry's bytes: the header line, then the data file's SHA-256 and its parsed
    document (:func:`soracost.data.yamldoc.parse`'s) as JSON."""
    import json

    body = json.dumps(
        [data_sha256, _plain(document)],
        ensure_ascii=False,
        allow_nan=False,
        check_circular=False,
        separators=(",", ":"),
    ).encode("utf-8")
    return b"%s %s\n%s" % (FORMAT, hashlib.sha256(body).hexdigest().encode(), body)


def decode(content: bytes) -> tuple[str, Any]:
    """The data file's SHA-256 and parsed document in an entry's bytes: only what the
    YAML parser could have built (see :func:`_node`). Raises ``ValueError`` (or another
    exception from a malformed entry) otherwise. The document is not validated here.

    The JSON is read by msgspec's decoder (a dependency already, for the records), not
    the standard library's: twice as fast on an entry, and a run that reads the cache no
    longer imports ``json``: 8.6 M instructions less in `clip --count 10` (callgrind,
    whole process). Both give the same lists, texts, integers of any size and floats, to
    the bit (each float as Python's ``repr`` writes it, as ``json`` writes them); msgspec
    refuses more (``NaN``, ``Infinity``, a number beyond a float, half a UTF-16 pair),
    none of which an entry holds or a parsed document may."""
    from msgspec import DecodeError
    from msgspec.json import decode as decode_json

    header, separator, body = content.partition(b"\n")
    words = header.rsplit(b" ", 1)
    if not separator or len(words) != 2 or words[0] != FORMAT:
        raise ValueError("not an entry of this format")
    if hashlib.sha256(body).hexdigest().encode() != words[1]:
        raise ValueError("the entry's content does not match its checksum")
    try:
        pair = decode_json(body)
    except DecodeError as exc:  # a ValueError only from some msgspec releases: said here
        raise ValueError(f"not JSON: {exc}") from None
    if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
        raise _invalid("a data file's digest and document")
    texts: list[str] = []
    keys: set[str] = set()
    document = _node(pair[1], 0, texts, keys)
    texts += keys  # each key once: most are the same few (id, source, published...)
    _check_texts(texts)
    return pair[0], document


_MAPPING, _LIST, _DATE, _TIMESTAMP = "m", "l", "d", "t"
"""The first item of the JSON list that stands for a mapping, a list, a date or a time;
each other value of a parsed document (text, a number, a flag, null) is JSON's own."""


def _plain(node: object) -> object:
    """A parsed document as JSON's values: a mapping ``["m", line, key, key's line,
    value, ...]``, a list ``["l", line, item's line, item, ...]``, a date ``["d", ISO]``
    and a time ``["t", ISO]``; anything else a parser cannot build is refused."""
    if isinstance(node, LocatedDict):
        mapping: list[object] = [_MAPPING, node.line]
        for key, value in node.items():
            mapping += (key, node.key_lines[key], _plain(value))
        return mapping
    if isinstance(node, LocatedList):
        items: list[object] = [_LIST, node.line]
        for line, value in zip(node.item_lines, node, strict=True):
            items += (line, _plain(value))
        return items
    if type(node) is dt.datetime:
        return [_TIMESTAMP, node.isoformat()]
    if type(node) is dt.date:
        return [_DATE, node.isoformat()]
    if node is None or type(node) in (str, int, float, bool):
        return node
    raise TypeError(f"cannot keep a {type(node).__name__} in the cache")


def _invalid(what: str) -> ValueError:
    return ValueError(f"not {what}")


def _node(value: Any, depth: int, texts: list[str], keys: set[str]) -> Any:
    """A parsed document's node from its JSON, holding only what the YAML parser builds
    (:mod:`soracost.data.yamldoc`): finite numbers, flags, nulls, dates and times,
    mappings with distinct text keys and lists, each with its line numbers, nested no
    deeper than a data file may be. Its texts are added to ``texts``, and its mappings'
    keys to ``keys``, for :func:`_check_texts`."""
    kind = type(value)
    if kind is str:
        texts.append(value)
        return value
    if kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _invalid("a finite number")
        return value
    if kind is not list or not value:
        raise _invalid("a value of a parsed document")
    tag, size = value[0], len(value)
    if tag in (_DATE, _TIMESTAMP):
        if size != 2 or type(value[1]) is not str:
            raise _invalid("a date")
        return (dt.date if tag == _DATE else dt.datetime).fromisoformat(value[1])
    if depth >= MAX_DEPTH:
        raise _invalid(f"nested at most {MAX_DEPTH} deep")
    # The containers' loops below take a text (most of a document's values) and check a
    # line number in place, without a call, walk the JSON list by index (cheaper here than
    # zipping or unpacking slices of it), and check that keys are distinct once, by their
    # count: 2.9 M instructions less per load of the shipped catalogue (callgrind), for
    # the same checks and the same document.
    if tag == _MAPPING and size % 3 == 2:
        mapping = LocatedDict()
        key_lines: dict[str, int] = {}
        mapping.line, mapping.key_lines = _line(value[1]), key_lines
        deeper = depth + 1
        for index in range(2, size, 3):
            key = value[index]
            if type(key) is not str:
                raise _invalid("a mapping of distinct text keys")
            line = value[index + 1]
            if type(line) is not int or not 1 <= line <= _LAST_LINE:
                raise _invalid("a line number")
            key_lines[key] = line
            item = value[index + 2]
            if type(item) is str:
                texts.append(item)
                mapping[key] = item
            else:
                mapping[key] = _node(item, deeper, texts, keys)
        if len(key_lines) != size // 3:  # a key given twice: fewer keys than pairs
            raise _invalid("a mapping of distinct text keys")
        keys.update(key_lines)  # its keys, all texts
        return mapping
    if tag == _LIST and size % 2 == 0:
        items = LocatedList()
        item_lines: list[int] = []
        items.line, items.item_lines = _line(value[1]), item_lines
        deeper = depth + 1
        for index in range(2, size, 2):
            line = value[index]
            if type(line) is not int or not 1 <= line <= _LAST_LINE:
                raise _invalid("a line number")
            item_lines.append(line)
            item = value[index + 1]
            if type(item) is str:
                texts.append(item)
                items.append(item)
            else:
                items.append(_node(item, deeper, texts, keys))
        return items
    raise _invalid("a value of a parsed document")


def _check_texts(texts: list[str]) -> None:
    """Raise unless every text is one a data file may hold: neither a control character
    nor half a UTF-16 pair (which JSON's ``\\u`` escapes can give but no YAML text can).
    All at once (the texts joined by a newline, which both allow), in their UTF-8 bytes:
    encoding fails on half a pair (the only code points UTF-8 cannot encode), and a
    control character (:func:`soracost.data.yamldoc.has_control_characters`'s) is either
    a byte of U+0000 to U+001F but tab and newline, or U+007F (bytes that UTF-8 uses for
    nothing else: what deleting ``_NOT_C0_CONTROLS`` leaves), or a ``0xC2`` byte followed
    by 0x80 to 0x9F (U+0080 to U+009F; ``0xC2`` leads U+0080 to U+00BF only). A few passes
    in C instead of a search by pattern, over each key once (:func:`decode`): half the
    instructions, 2.7 M less per load of the shipped catalogue (callgrind)."""
    try:
        encoded = "\n".join(texts).encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid("text a data file holds") from None
    if encoded.translate(None, _NOT_C0_CONTROLS) or any(
        after[:1] < b"\xa0" for after in encoded.split(b"\xc2")[1:]
    ):
        raise _invalid("text a data file holds")


_NOT_C0_CONTROLS = bytes(
    byte for byte in range(256) if not (byte <= 0x08 or 0x0B <= byte <= 0x1F or byte == 0x7F)
)
"""Every byte but those of the C0 controls other than tab and newline, and DEL: what
``bytes.translate`` deletes from UTF-8 text, leaving any control character found."""


_LAST_LINE = MAX_FILE_BYTES + 1
"""A data file of at most ``MAX_FILE_BYTES`` has no line beyond this one."""


def _line(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= _LAST_LINE:
        raise _invalid("a line number")
    return value
