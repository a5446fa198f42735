"""Writing an output file without ever leaving half of one behind, and without ever
destroying a file the user did not name.

The text is written to a temporary file in the target's own folder and renamed over the
target only once it is complete, so an interrupted or failed run leaves the folder as it
was. Where the system allows (Linux's ``O_TMPFILE``), the temporary file has no name
at all while it is written: whatever ends the process, SIGKILL and a crash (SIGSEGV,
SIGBUS) included, the system frees it and nothing is left behind. It gets a hidden name
(``.soracost-*.partial``) only for the instant between its last byte and the rename. Where
it must be named from the start (another system, a file system without ``O_TMPFILE``),
it is removed on any error and on every signal that ends the process and can be caught
(``soracost.__main__`` turns those into an interruption); there only an uncatchable end
can leave the hidden file, never a partial file under the target's name. An existing
file is replaced only when the caller says so.

Symbolic links. The output path is followed one name at a time, from folder descriptors
(never re-read as text between the check and the write), and a symbolic link is followed
only when nobody but the user or the system could have made it: the link is the user's
own, or it is root's in a folder that belongs to root and that nobody else can write
(the system's links: /dev/stdout, /proc/self, /var on some systems). Any other link,
even in a folder only its owner (another user) can write, or a dangling one, is refused
with one line and exit code 1 (it is not replaced either: silently replacing a link the
user may have meant is no better); the message says to give the real path. soracost thus
never writes, nor creates a file, where someone else's link points. The file finally
written is replaced by renaming onto its name in its folder, which never follows a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from msgspec import Struct

from soracost.core.errors import OutputError, UsageProblem
from soracost.data.unnamed import link_unnamed as _link_unnamed
from soracost.data.unnamed import open_unnamed as _open_unnamed
from soracost.data.unnamed import signals_held
from soracost.i18n import _, os_reason
from soracost.views.text import shown_path

_FOLDER_FLAGS = (
    (getattr(os, "O_PATH", 0) or os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC
)
_MAX_LINKS = 40  # as the system's own limit (ELOOP)
_SHARED = stat.S_IWGRP | stat.S_IWOTH  # a folder someone besides its owner can write
_SPECIAL = stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX  # dropped from a replaced file


class Destination(Struct, frozen=True):
    """Where an output goes: a folder (held open) and the name in it, and the file now
    there (``None`` if there is none). Close it with :meth:`close`."""

    folder: int
    name: str
    existing: os.stat_result | None

    def identity(self) -> tuple[int, int, str]:
        """The same for two spellings of one file: the existing file's device and inode,
        or the folder's and the name for a file still to be made."""
        if self.existing is not None:
            return (self.existing.st_dev, self.existing.st_ino, "")
        folder = os.fstat(self.folder)
        return (folder.st_dev, folder.st_ino, self.name)

    def close(self) -> None:
        if any(folder == self.folder for folder, _name in _MADE):
            return  # kept for remove_leftovers: a signal stopped the clean-up
        with contextlib.suppress(OSError):
            os.close(self.folder)


def output_path(given: str) -> Path:
    """The path an ``--output``/``--plot`` value names, read from the text as typed,
    which :class:`~pathlib.Path` would change: only the exact text ``-`` means standard
    output (``./-`` is a file named ``-``, kept as its absolute path), and a name ending
    in a separator names a folder, never the file before it (``a.csv/`` is refused with
    :class:`OutputError` rather than replacing ``a.csv``). An empty name is a usage error
    (:class:`~soracost.cli.usage_errors.OptionValueProblem`), as for the input options."""
    if given == "-":
        return Path(given)
    if not given:  # Path("") is the current folder
        # A misused option (an unset "$FILE"), exit 2, as an empty input name is.
        from soracost.cli.usage_errors import OptionValueProblem

        raise OptionValueProblem(
            _("an empty file name: give a file name, or - for standard output")
        )
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    if given.endswith(separators):
        bare = given.rstrip("".join(separators))
        with contextlib.suppress(OSError, ValueError):
            if bare and not os.path.isdir(bare) and os.path.lexists(bare):
                said = _("{path}: {folder} is not a folder; give a file name")
                raise OutputError(said.format(path=shown_path(given), folder=bare))
        said = _("{path}: names a folder (it ends with '{separator}'); give a file name")
        raise OutputError(said.format(path=shown_path(given), separator=os.sep))
    path = Path(given)
    if str(path) == "-":  # ./-, .//-: a file that Path would spell like standard output
        return Path.cwd() / "-"
    return path


def check_destination(path: Path, *, force: bool = False) -> None:
    """Raise :class:`OutputError` if ``path`` cannot be written: not a regular file, a
    folder, an existing file without ``force``, a missing or read-only folder, a link that
    may not be followed. Used before work starts; the write checks again."""
    destination = open_destination(path, force=force)
    try:
        _probe(destination, path)
    finally:
        destination.close()


def check_outputs(outputs: Mapping[str, Path | None], inputs: Sequence[Path], force: bool) -> None:
    """Before any work: each output (by its option, e.g. ``--output``) can be written, is
    none of the run's ``inputs`` however spelled (a relative path, a link, a hard link:
    compared by device and inode), and no two outputs name the same file. An output that
    is an input is a usage error (exit 2), ``--force`` or not; ``-`` is standard output."""
    files = {option: path for option, path in outputs.items() if path and str(path) != "-"}
    read = {}
    for given in inputs:
        with contextlib.suppress(OSError, ValueError):  # unreadable: its loading says so
            found = os.stat(given)
            read[(found.st_dev, found.st_ino)] = given
    seen: dict[tuple[int, int, str], str] = {}
    for option, path in files.items():
        destination = open_destination(path, force=True)
        try:
            identity = destination.identity()
            source = read.get(identity[:2]) if destination.existing is not None else None
            if source is not None:
                said = _(
                    "{option} {path}: is the data file this run reads ({source}); "
                    "write the output to another file"
                )
                raise UsageProblem(said.format(option=option, path=path, source=source))
            if identity in seen:
                said = _("{option} and {other} name the same file")
                raise UsageProblem(said.format(option=option, other=seen[identity]))
            seen[identity] = option
        finally:
            destination.close()
    for path in files.values():
        check_destination(path, force=force)


def open_destination(path: Path, *, force: bool = False) -> Destination:
    """The folder and name ``path`` writes to, following only links that may be followed
    (see the module's note). :class:`OutputError` if it cannot be written there."""
    text = os.fspath(path)
    parts = text.split(os.sep)
    if not text or parts[-1] in ("", ".", ".."):
        raise OutputError(_is_a_folder(path))
    with contextlib.suppress(OSError, ValueError):  # /dev/stdout: a pipe, a terminal
        found = os.stat(text)  # a look only: /proc's links name no file one can follow
        if not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
            raise OutputError(_not_regular(path))
    try:
        destination = _walk(path, parts)
    except (PermissionError, FileNotFoundError, NotADirectoryError) as exc:
        raise OutputError(_system_refusal(path, exc)) from None
    except OSError as exc:
        raise OutputError(_cannot_write(path, os_reason(exc))) from None
    try:
        existing = destination.existing
        if existing is not None:
            if stat.S_ISDIR(existing.st_mode):
                raise OutputError(_is_a_folder(path))
            if not stat.S_ISREG(existing.st_mode):
                # Renaming over a device or a pipe would replace it (as root, even /dev/null).
                raise OutputError(_not_regular(path))
            if not force:
                raise OutputError(_already_exists(path))
    except BaseException:
        destination.close()
        raise
    return destination


def write_atomically(
    path: Path, text: str | bytes | Iterable[str | bytes], *, force: bool = False
) -> None:
    """Write ``text`` (UTF-8, or bytes as they are) to ``path`` all at once, or not at all.
    ``text`` may come in pieces, each written to the temporary file as it comes (nothing
    holds it whole); the file gets its name only once the last is written.

    A symbolic link that may be followed (see the module's note) is written through, to
    the file it points at. A replaced file keeps its permissions (less setuid, setgid
    and sticky). Without ``force`` the
    final step is a hard link, which fails if the name has appeared meanwhile, so no file
    is ever overwritten by a race. Raises :class:`OutputError` when the file exists and
    ``force`` is false, when its folder is missing, or when the system refuses the write.
    """
    destination = open_destination(path, force=force)
    folder, name = destination.folder, destination.name
    existing = destination.existing
    # A replaced file keeps its permissions, but never set-user-ID, set-group-ID or sticky:
    # soracost's output is data, and a setuid bit it kept could make it a privileged program.
    kept = stat.S_IMODE(existing.st_mode) & ~_SPECIAL if existing else 0
    mode = kept if existing else 0o666 & ~_current_umask()
    pieces = (text,) if isinstance(text, str | bytes) else text
    temporary: str | None = None
    try:
        with signals_held():  # a name is kept before any signal can end the run
            descriptor = _open_unnamed(folder)
            if descriptor is None:
                temporary, descriptor = _make_temporary(folder)
            handle = os.fdopen(descriptor, "wb")
        with handle:
            for piece in pieces:
                # backslashreplace: a file name with undecodable bytes (a lone surrogate in
                # Python) is written as \udcXX, valid JSON and CSV text, not a failed write.
                if isinstance(piece, str):
                    piece = piece.encode("utf-8", "backslashreplace")
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
            if temporary is None:  # complete: only now does it get a name
                if not force and _link_unnamed(handle.fileno(), folder, name):
                    return  # named at once as the target (fails if the name has appeared)
                temporary = _name_unnamed(handle.fileno(), folder)
        if force:
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        else:  # fails if the name appeared since the check above; never follows a link
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        _remove_temporary(folder, temporary)  # after a rename, only forgets its name
        temporary = None
    except FileExistsError:
        raise OutputError(_already_exists(path)) from None
    except PermissionError:
        raise OutputError(_cannot_write(path, _("permission denied"))) from None
    except OSError as exc:
        raise OutputError(_cannot_write(path, os_reason(exc))) from None
    finally:
        if temporary is not None:
            _remove_temporary(folder, temporary)
        destination.close()


def remove_leftovers() -> None:
    """Remove any temporary file a run made and did not get to remove: a signal that came
    while its clean-up had begun (``soracost.__main__`` calls this as the process ends)."""
    for folder, name in list(_MADE):
        _remove_temporary(folder, name)


# The temporary files made and not yet removed or renamed, with their folders (held open
# until then): what remove_leftovers removes.
_MADE: set[tuple[int, str]] = set()


def _walk(path: Path, parts: list[str]) -> Destination:
    """Follow ``parts`` from the root or the working folder, one name at a time."""
    folder = os.open(os.sep if os.path.isabs(path) else os.curdir, _FOLDER_FLAGS)
    shown = [] if os.path.isabs(path) else os.getcwd().split(os.sep)[1:]
    pending = [part for part in reversed(parts) if part not in ("", ".")]
    links = 0
    try:
        while pending:
            part = pending.pop()
            if part == "..":
                folder = _enter(folder, "..")
                shown = shown[:-1]
                continue
            try:
                found = os.stat(part, dir_fd=folder, follow_symlinks=False)
            except FileNotFoundError:
                if pending:
                    said = _("{path}: cannot write: {folder} does not exist")
                    raise OutputError(
                        said.format(path=shown_path(path), folder=_shown(shown, part))
                    ) from None
                return Destination(folder, part, None)
            if stat.S_ISLNK(found.st_mode):
                links += 1
                if links > _MAX_LINKS:
                    said = _("too many levels of symbolic links")
                    raise OutputError(_cannot_write(path, said))
                _check_link(path, found, os.fstat(folder), _shown(shown, part))
                target = os.readlink(part, dir_fd=folder)
                if target.endswith(os.sep) and not pending:
                    raise OutputError(_is_a_folder(path))
                if os.path.isabs(target):
                    folder = _enter(folder, os.sep)
                    shown = []
                pending.extend(p for p in reversed(target.split(os.sep)) if p not in ("", "."))
                continue
            if not pending:
                return Destination(folder, part, found)
            if not stat.S_ISDIR(found.st_mode):
                said = _("{path}: cannot write: {folder} is not a folder")
                raise OutputError(said.format(path=shown_path(path), folder=_shown(shown, part)))
            folder = _enter(folder, part, found)
            shown.append(part)
        raise OutputError(_is_a_folder(path))  # e.g. a link to '.'
    except BaseException:
        os.close(folder)
        raise


def _enter(folder: int, name: str, expected: os.stat_result | None = None) -> int:
    """Open the folder ``name`` in ``folder`` (closed), refusing a link put in its place."""
    try:
        inner = os.open(name, _FOLDER_FLAGS | getattr(os, "O_NOFOLLOW", 0), dir_fd=folder)
    finally:
        os.close(folder)
    if expected is not None:
        now = os.fstat(inner)
        if (now.st_dev, now.st_ino) != (expected.st_dev, expected.st_ino):
            os.close(inner)
            raise OSError(0, _("the folder changed while it was being opened"))
    return inner


def _check_link(path: Path, link: os.stat_result, folder: os.stat_result, shown: str) -> None:
    """Refuse a link that neither the user nor the system made (see the module's note):
    a link of another user is refused even in a folder only that user can write."""
    if link.st_uid == os.geteuid():
        return
    if link.st_uid == 0 and folder.st_uid == 0 and not folder.st_mode & _SHARED:
        return
    said = _(
        "{path}: will not follow the symbolic link {link}: it belongs to another user "
        "(uid {uid}); give the real path"
    )
    raise OutputError(said.format(path=shown_path(path), link=shown, uid=link.st_uid))


def _shown(folders: list[str], name: str) -> str:
    return os.sep + os.sep.join([*folders, name])


def _probe(destination: Destination, path: Path) -> None:
    """Make and remove a temporary file where the output will go: a read-only folder, a
    full inode table or a file system that takes no files (/proc) is found before work."""
    try:
        with signals_held():
            name, descriptor = _make_temporary(destination.folder)
            os.close(descriptor)
        _remove_temporary(destination.folder, name)
    except PermissionError:
        raise OutputError(_cannot_write(path, _("permission denied"))) from None
    except OSError as exc:
        raise OutputError(_cannot_write(path, os_reason(exc))) from None


def _name_unnamed(descriptor: int, folder: int) -> str:
    """Give the complete unnamed file ``descriptor`` a hidden name in ``folder`` (kept for
    the clean-up, as :func:`_make_temporary`'s) and return it; where linking it through
    /proc is refused, copy its bytes into a named temporary file instead."""
    with signals_held():
        name = f".soracost-{os.urandom(6).hex()}.partial"
        try:
            os.link(f"/proc/self/fd/{descriptor}", name, dst_dir_fd=folder, follow_symlinks=True)
        except OSError:
            name, copy = _make_temporary(folder)
        else:
            _MADE.add((folder, name))
            return name
    with os.fdopen(copy, "wb") as handle:
        offset = 0
        while chunk := os.pread(descriptor, 1 << 20, offset):
            handle.write(chunk)
            offset += len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
        os.fchmod(handle.fileno(), stat.S_IMODE(os.fstat(descriptor).st_mode))
    return name


def _make_temporary(folder: int) -> tuple[str, int]:
    # A short temporary name, so that any name the target may have still fits. Made with
    # os.open, not tempfile.mkstemp, and only while signals are held (see signals_held):
    # an interruption between making the file and keeping its name would leave it behind.
    name = f".soracost-{os.urandom(6).hex()}.partial"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(name, flags, 0o600, dir_fd=folder)
    _MADE.add((folder, name))
    return name, descriptor


def _remove_temporary(folder: int, name: str) -> None:
    """Remove a temporary file (gone already after a rename: then only forget it)."""
    with signals_held():  # a second signal must not stop the clean-up halfway
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
        _MADE.discard((folder, name))


def _system_refusal(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return _cannot_write(path, _("permission denied"))
    return _cannot_write(path, os_reason(exc))


def _cannot_write(path: Path | str, reason: str) -> str:
    """``PATH: cannot write: REASON``; ``reason`` is translated already: soracost's own
    words, or the system's through :func:`~soracost.i18n.os_reason` (its own words in
    English, the translation of its errno in another language)."""
    return _("{path}: cannot write: {reason}").format(path=shown_path(path), reason=reason)


def _is_a_folder(path: Path | str) -> str:
    return _("{path}: is a folder; give a file name").format(path=shown_path(path))


def _not_regular(path: Path | str) -> str:
    return _("{path}: is not a regular file (use '-o -' for standard output)").format(
        path=shown_path(path)
    )


def _already_exists(path: Path | str) -> str:
    return _("{path}: already exists; add --force to replace it").format(path=shown_path(path))


def _current_umask() -> int:
    # os.umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
