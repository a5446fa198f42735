"""The system's reasons for a refused output or data file, in the run's language: the
system's own words in English (``os.strerror``), their translation by errno in French
(soracost.i18n.os_reason, used by soracost.cli.output and soracost.data.yamldoc)."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from .test_french import run

NAME_MAX = 255  # POSIX file systems' longest name, in bytes; a longer one is ENAMETOOLONG


def refused(*args: str) -> tuple[str, str]:
    """The error line of ``soracost ARGS`` in French, then in English: a run that fails
    with exit code 1 and prints nothing on stdout."""
    lines = []
    for lang in ("fr", "en"):
        done = run("--lang", lang, *args)
        assert done.returncode == 1
        assert done.stdout == ""
        lines.append(done.stderr)
    return lines[0], lines[1]


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/self").is_dir(),
    reason="needs Linux's /proc, where no file can be made",
)
def test_a_folder_that_takes_no_file_says_why_in_french() -> None:
    # /proc exists, but making a file in it fails with ENOENT (found by the probe before
    # any work): the folder is there, the file cannot be.
    french, english = refused("clip", "-o", "/proc/soracost.csv")
    assert french == (
        "soracost: erreur : /proc/soracost.csv : impossible d’écrire : "
        "fichier ou dossier introuvable\n"
    )
    assert english == (
        f"soracost: error: /proc/soracost.csv: cannot write: {os.strerror(errno.ENOENT)}\n"
    )


def test_a_name_too_long_to_write_says_why_in_french(tmp_path: Path) -> None:
    output = tmp_path / ("a" * (NAME_MAX + 1) + ".csv")
    french, english = refused("clip", "-o", str(output))
    assert french == (
        f"soracost: erreur : {output} : impossible d’écrire : nom de fichier trop long\n"
    )
    assert english == (
        f"soracost: error: {output}: cannot write: {os.strerror(errno.ENAMETOOLONG)}\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing left behind


def test_a_data_file_that_cannot_be_read_says_why_in_french(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # a link to itself: ELOOP when it is opened
    french, english = refused("clip", "--sources", str(loop))
    assert french == (
        f"soracost: erreur : {loop}: lecture impossible : trop de niveaux de liens symboliques\n"
    )
    assert english == f"soracost: error: {loop}: cannot read: {os.strerror(errno.ELOOP)}\n"
