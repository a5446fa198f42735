"""A cache of validated catalogues, so a run can skip parsing and validating its data file.

**Data, not code.** An entry is a validated :class:`~soracost.core.records.Catalog` as
JSON: loading one runs nothing. It is read like any other input: a header names the
format and the SHA-256 of the JSON that follows; in the JSON each record is the list of
its fields, exactly as many as the record has, each of its type (a ``Range`` ordered and
finite, a choice one of its choices), and every reference must resolve (an estimate's
sources, a site's factors).
An entry that fails any check is ignored and the catalogue is built from its data file,
as if there were no cache. An entry is opened without following a symbolic link and
without blocking, and read only if it is a regular file of this user that nobody else
can write (so a FIFO, a device or a link planted in its place is skipped).

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
import dataclasses
import hashlib
import math
import os
import re
import stat
import sys
import tempfile
import types
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soracost import __version__
from soracost.core import environment

if TYPE_CHECKING:
    from soracost.core.records import Catalog, Sourced

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
FORMAT = b"soracost-catalog-json 1"
"""The first words of an entry's header line; the SHA-256 of the JSON follows."""
MAX_ENTRIES = 16
"""Entries kept: a few data files, each under a few versions of soracost."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""A larger file is not an entry (a data file is at most 8 MiB)."""
STALE_TEMPORARY_SECONDS = 3600
"""A temporary file this old was left by a process that died while writing it."""

_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".catalog-", ".tmp"  # an entry being written
_ENTRY_NAME = re.compile(r"catalog-[0-9a-f]{64}-[0-9a-f]{16}\.json")
_TEMPORARY_NAME = re.compile(r"\.catalog-[A-Za-z0-9_]{1,64}\.tmp")
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
    package = Path(__file__).parents[1]
    digest = hashlib.sha256(f"{__version__} {sys.version} {package}".encode())
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        name = module.relative_to(package).as_posix()
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


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


def load(data_sha256: str, label: str) -> Catalog | None:
    """The cached catalogue for a data file's bytes, labelled ``label``; ``None`` if none."""
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
        catalog = decode(read)
    except Exception:  # malformed, truncated or tampered: build from the data file
        return None
    if catalog.sha256 != data_sha256:
        return None
    return dataclasses.replace(catalog, path=label)


def store(catalog: Catalog) -> None:
    """Keep a validated catalogue for next time; silently does nothing if it cannot."""
    base = cache_dir()
    if base is None:
        return
    temporary: str | None = None
    try:
        folder = _own_folder(base)
        if folder is None:
            return
        content = encode(catalog)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, folder / _entry_name(catalog.sha256))
        temporary = None
        _prune(folder)
    except Exception:  # a read-only disk, a full one, an unencodable surprise: no cache
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


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
        if _read_regular(folder / MARKER_NAME, len(MARKER)) is None and not any(
            folder.iterdir()
        ):  # an empty folder: one that a process died making, or a race
            _mark(folder)
    else:
        _mark(folder)
    marker = _read_regular(folder / MARKER_NAME, len(MARKER))
    if marker != MARKER or not _own_directory(folder):
        return None
    return folder


def _mark(folder: Path) -> None:
    """Write the marker, complete, unless one is there already (never over a file)."""
    descriptor, temporary = tempfile.mkstemp(
        dir=folder, prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(MARKER)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, folder / MARKER_NAME)
    finally:
        os.unlink(temporary)


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
            entry = _ENTRY_NAME.fullmatch(item.name) is not None
            if not (entry or _TEMPORARY_NAME.fullmatch(item.name)):
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


# --- The format: a catalogue to JSON and back, checked field by field -----------------


def encode(catalog: Catalog) -> bytes:
    """An entry's bytes: the header line, then the catalogue as JSON."""
    import json

    body = json.dumps(
        _plain(catalog),
        ensure_ascii=False,
        allow_nan=False,
        check_circular=False,
        separators=(",", ":"),
    ).encode("utf-8")
    return b"%s %s\n%s" % (FORMAT, hashlib.sha256(body).hexdigest().encode(), body)


def decode(content: bytes) -> Catalog:
    """The catalogue in an entry's bytes; raises ``ValueError`` (or another exception
    from a malformed entry) unless every check passes."""
    import json

    from soracost.core.records import Catalog

    header, separator, body = content.partition(b"\n")
    words = header.rsplit(b" ", 1)
    if not separator or len(words) != 2 or words[0] != FORMAT:
        raise ValueError("not an entry of this format")
    if hashlib.sha256(body).hexdigest().encode() != words[1]:
        raise ValueError("the entry's content does not match its checksum")
    catalog = _decoder(Catalog)(json.loads(body, parse_constant=_no_constant))
    if not isinstance(catalog, Catalog):
        raise TypeError("not a catalogue")
    _check_references(catalog)
    return catalog


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a catalogue holds")


def _plain(value: object) -> object:
    """Records as JSON's plain values: a record is the list of its fields, in order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, name)) for name in _field_names(type(value))]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a mapping's keys must be text")
        return {key: _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


Decoder = Callable[[Any], Any]


def _invalid(what: str) -> ValueError:
    return ValueError(f"not {what}")


@cache
def _decoder(hint: Any) -> Decoder:
    """A function that checks a JSON value against a type annotation of the records and
    returns the value as that type (a tuple for a list, a record for an object)."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _record_decoder(hint)
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if hint is str or hint is bool or hint is type(None):
        return _exactly(hint)
    if hint is int:
        return _exactly(int)  # ``type(True) is bool``: a flag is no count
    if hint is float:
        return _number
    if origin is typing.Literal:
        return _choice(frozenset(arguments))
    if origin is types.UnionType or origin is typing.Union:
        others = tuple(_decoder(argument) for argument in arguments if argument is not type(None))
        return _union(others, optional=len(others) < len(arguments))
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return _sequence(_decoder(arguments[0]))
        return _fixed_tuple(tuple(_decoder(argument) for argument in arguments))
    if origin is dict:
        return _mapping(_decoder(arguments[0]), _decoder(arguments[1]))
    raise TypeError(f"the cache cannot hold {hint!r}")


def _exactly(kind: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise _invalid(kind.__name__)
        return value

    return decode


def _number(value: Any) -> Any:
    if type(value) is float:
        if not math.isfinite(value):
            raise _invalid("a finite number")
        return value
    if type(value) is int:  # kept an int, as the data file gave it
        return value
    raise _invalid("a number")


def _choice(allowed: frozenset[Any]) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise _invalid(f"one of {sorted(allowed)}")
        return value

    return decode


def _union(options: tuple[Decoder, ...], *, optional: bool) -> Decoder:
    if optional and len(options) == 1:  # X | None, the usual union: no exception for None
        (only,) = options
        return lambda value: None if value is None else only(value)

    def decode(value: Any) -> Any:
        if optional and value is None:
            return None
        for option in options:
            try:
                return option(value)
            except (ValueError, TypeError):
                continue
        raise _invalid("any of a union's types")

    return decode


def _sequence(item: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise _invalid("a list")
        return tuple(item(element) for element in value)

    return decode


def _fixed_tuple(items: tuple[Decoder, ...]) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(items):
            raise _invalid(f"a list of {len(items)}")
        return tuple(item(element) for item, element in zip(items, value, strict=True))

    return decode


def _mapping(key: Decoder, item: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise _invalid("an object")
        return {key(name): item(element) for name, element in value.items()}

    return decode


def _record_decoder(cls: type) -> Decoder:
    names = _field_names(cls)
    hints = [_annotation(field.type, cls.__module__) for field in dataclasses.fields(cls)]
    # A field of plain types (text, a count, a flag, or None) is checked inline: a
    # function call per value would be most of the time an entry takes to read.
    plan = tuple((_plain_types(hint), _decoder(hint)) for hint in hints)
    # A record that checks itself (a Range: ordered and finite) is built through its
    # __init__; the others as pickle built them, their checked fields set directly.
    checks_itself = hasattr(cls, "__post_init__") or "__slots__" in vars(cls)
    positional = not any(field.kw_only for field in dataclasses.fields(cls))

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(plan):
            raise _invalid(f"a {cls.__name__}: a list of its {len(plan)} fields")
        items = []
        for (plain, field), item in zip(plan, value, strict=True):
            if plain is None:
                items.append(field(item))
            elif type(item) in plain:
                items.append(item)
            else:
                raise _invalid(" or ".join(kind.__name__ for kind in plain))
        if checks_itself:
            return cls(*items) if positional else cls(**dict(zip(names, items, strict=True)))
        record: Any = object.__new__(cls)
        record.__dict__.update(zip(names, items, strict=True))
        return record

    return decode


def _plain_types(hint: Any) -> frozenset[type] | None:
    """The exact types a value of ``hint`` may have, if checking its type is all there is
    to checking it (``str``, ``int``, ``bool``, ``None`` and their unions); else ``None``."""
    if hint in (str, int, bool, type(None)):
        return frozenset((hint,))
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        kinds = [_plain_types(argument) for argument in typing.get_args(hint)]
        if all(kind is not None for kind in kinds):
            return frozenset().union(*(kind for kind in kinds if kind is not None))
    return None


def _annotation(annotation: object, module: str) -> Any:
    """A field's annotation as a type: ``typing.get_type_hints``, less its cost (each
    text evaluated once, in the records' module, as Python evaluates annotations)."""
    return _evaluated(annotation, module) if isinstance(annotation, str) else annotation


@cache
def _evaluated(annotation: str, module: str) -> Any:
    return eval(annotation, vars(sys.modules[module]))  # our own source, not data


def _check_references(catalog: Catalog) -> None:
    """What validation guarantees and the rest of soracost relies on: every id is its
    record's key, every source and factor named exists, one default site."""
    from soracost.core.records import SITE_FACTORS
    from soracost.core.units import PUBLISHED_QUANTITIES

    if not catalog.estimates:
        raise _invalid("a catalogue with estimates")
    if len({estimate.id for estimate in catalog.estimates}) != len(catalog.estimates):
        raise _invalid("a catalogue of distinct estimates")
    records: dict[str, dict[str, Any]] = {
        "source": catalog.sources,
        "factor": catalog.factors,
        "site": catalog.sites,
        "equivalent": catalog.equivalents,
        "training record": catalog.training,
    }
    for kind, mapping in records.items():
        if any(record.id != key for key, record in mapping.items()):
            raise _invalid(f"every {kind} under its own id")
    sourced: list[Sourced] = [
        *catalog.estimates,
        *catalog.factors.values(),
        *catalog.equivalents.values(),
        *catalog.training.values(),
    ]
    for record in sourced:
        named = {record.source, *record.chain, *record.see_also}
        if not named <= catalog.sources.keys():
            raise _invalid("a catalogue whose every source exists")
    if any(estimate.quantity not in PUBLISHED_QUANTITIES for estimate in catalog.estimates):
        raise _invalid("estimates of published quantities")
    for site in catalog.sites.values():
        if not set(SITE_FACTORS) <= site.factors.keys():
            raise _invalid("a site with its three factors")
        for kind, factor_id in site.factors.items():
            factor = catalog.factors.get(factor_id)
            if factor is None or factor.kind != kind:
                raise _invalid("a site whose factors exist, each of its kind")
    if catalog.sites and sum(site.default for site in catalog.sites.values()) != 1:
        raise _invalid("exactly one default site")
