"""Writing an output file without ever leaving half of one behind.

The text is written to a temporary file in the target's own folder and renamed over the
target only once it is complete, so an interrupted or failed run leaves the folder as it
was; the temporary file is removed on any error, Ctrl-C or SIGTERM (only SIGKILL, which
no program can catch, can leave a hidden ``.soracost-*.partial`` behind, never a partial
file under the target's name). An existing file is replaced only when the caller says so.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from soracost.core.errors import OutputError


def check_destination(path: Path, *, force: bool = False) -> tuple[Path, bool]:
    """``(the file written through any link, whether it exists)``, or :class:`OutputError`
    if ``path`` cannot be written: not a regular file, a folder, an existing file without
    ``force``, a missing folder. Used before work starts and again when writing."""
    if path.exists() and not path.is_file() and not path.is_dir():  # e.g. /dev/stdout
        raise OutputError(f"{path}: is not a regular file (use '-o -' for standard output)")
    target = Path(os.path.realpath(path))
    folder = target.parent
    if target.is_dir() or str(path).endswith(os.sep):
        raise OutputError(f"{path}: is a folder; give a file name")
    if target.exists() and not target.is_file():
        # Renaming over a device or a pipe would replace it (as root, even /dev/null).
        raise OutputError(f"{path}: is not a regular file (use '-o -' for standard output)")
    exists = target.exists()
    if exists and not force:
        raise OutputError(f"{path}: already exists; add --force to replace it")
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{path}: cannot write: {folder} {problem}")
    return target, exists


def write_atomically(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8, or bytes as they are) to ``path`` all at once, or not at all.

    A symbolic link is written through, to the file it points at. A replaced file keeps
    its permissions. Without ``force`` the final step is a hard link, which fails if the
    name has appeared meanwhile, so no file is ever overwritten by a race.
    Raises :class:`OutputError` when the file exists and ``force`` is false, when its
    folder is missing, or when the system refuses the write.
    """
    target, exists = check_destination(path, force=force)
    folder = target.parent
    mode = stat.S_IMODE(target.stat().st_mode) if exists else 0o666 & ~_current_umask()
    temporary: str | None = None
    try:
        # A short temporary name, so that any name the target may have still fits. Made
        # with os.open, not tempfile.mkstemp: an interruption (Ctrl-C, SIGTERM) inside
        # mkstemp, after it made the file and before it returned the name, left a file
        # nobody removed. Between os.open's return and the next line no signal is handled.
        name = os.path.join(folder, f".soracost-{os.urandom(6).hex()}.partial")
        descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        temporary = name
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name appeared since the check above
            os.unlink(temporary)
        temporary = None
    except FileExistsError:
        raise OutputError(f"{path}: already exists; add --force to replace it") from None
    except PermissionError:
        raise OutputError(f"{path}: cannot write: permission denied") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _current_umask() -> int:
    # os.umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
