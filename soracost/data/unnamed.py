"""Writing files that never appear half-written: signals held around the few system
calls that make and name a temporary file, and files with no name at all until complete
(Linux's ``O_TMPFILE``). Shared by output files (:mod:`soracost.cli.output`) and the
catalogue cache (:mod:`soracost.data.cache`)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back every signal for a few system calls: one sent meanwhile is delivered (and
    ends the run through its handler) right after, once the temporary file is accounted for.
    """
    block = getattr(signal, "pthread_sigmask", None)
    if block is None:  # pragma: no cover - not POSIX
        yield
        return
    previous = block(signal.SIG_BLOCK, signal.valid_signals())
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def open_unnamed(folder: int) -> int | None:
    """A file with no name in ``folder`` (Linux's ``O_TMPFILE``), or ``None`` where the
    system or the file system offers none (then the caller makes a named one)."""
    unnamed = getattr(os, "O_TMPFILE", 0)
    if not unnamed or not os.path.isdir("/proc/self/fd"):  # named later through /proc
        return None
    try:
        # O_RDWR: read back by _name_unnamed where it must be copied
        return os.open(".", unnamed | os.O_RDWR | os.O_CLOEXEC, 0o600, dir_fd=folder)
    except OSError as exc:
        if exc.errno in NO_UNNAMED:
            return None
        raise


# What open(2) answers where a file system cannot make a file without a name.
NO_UNNAMED = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT}


def link_unnamed(descriptor: int, folder: int, name: str) -> bool:
    """Give the complete unnamed file ``descriptor`` the name ``name`` in ``folder``, which
    must not exist (:class:`FileExistsError` if it does); ``False`` where linking through
    /proc is refused (the caller then goes through a named temporary file)."""
    try:
        os.link(f"/proc/self/fd/{descriptor}", name, dst_dir_fd=folder, follow_symlinks=True)
    except FileExistsError:
        raise
    except OSError:
        return False
    return True
