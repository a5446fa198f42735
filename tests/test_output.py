"""The atomic writer: whole files or nothing, and the user's files never damaged."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from soracost.cli.output import write_atomically
from soracost.core.errors import OutputError


def test_writes_and_replaces_only_when_forced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, "one")
    assert target.read_text(encoding="utf-8") == "one"
    with pytest.raises(OutputError, match="already exists"):
        write_atomically(target, "two")
    write_atomically(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"


def test_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "half-written", force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_permission_denied_becomes_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("soracost.cli.output.os.open", refuse)  # the temporary file
    with pytest.raises(OutputError, match="permission denied"):
        write_atomically(tmp_path / "out.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomically(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_write_stopped_midway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")
    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes the first half of the text, then is interrupted."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> None:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "x" * 100_000, force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


# Links planted by someone else. A link's owner can only be another user's when root made
# it so: those tests need root (the kernel-rule cases); the last one fakes the user's id.
as_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="making another user's link needs root"
)
OTHER, FOLDER_OWNER = 4242, 4243


def plant(link: Path, target: Path, uid: int) -> None:
    link.symlink_to(target)
    os.lchown(link, uid, uid)


def shared_folder(parent: Path, mode: int = 0o1777, owner: int | None = None) -> Path:
    folder = parent / "shared"
    folder.mkdir()
    folder.chmod(mode)
    if owner is not None:
        os.chown(folder, owner, owner)
    return folder


@as_root
@pytest.mark.parametrize("force", [True, False])
def test_another_users_link_in_a_sticky_folder_is_not_followed(tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    shared = shared_folder(tmp_path)
    plant(shared / "out.csv", victim, OTHER)
    with pytest.raises(OutputError, match=r"will not follow the symbolic link .*shared/out\.csv"):
        write_atomically(shared / "out.csv", "attack", force=force)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (shared / "out.csv").is_symlink()
    assert sorted(p.name for p in shared.iterdir()) == ["out.csv"]


@as_root
def test_no_file_is_made_where_another_users_dangling_link_points(tmp_path: Path) -> None:
    chosen = tmp_path / "private" / "created.txt"
    chosen.parent.mkdir()
    shared = shared_folder(tmp_path)
    plant(shared / "out.csv", chosen, OTHER)
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "out.csv", "attack")
    assert not chosen.exists()
    assert list(chosen.parent.iterdir()) == []


@as_root
def test_a_link_planted_on_the_way_to_the_output_is_not_followed(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    shared = shared_folder(tmp_path)
    plant(shared / "reports", private, OTHER)
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "reports" / "out.csv", "attack")
    assert list(private.iterdir()) == []


@as_root
def test_links_of_the_sticky_folders_owner_are_not_followed(tmp_path: Path) -> None:
    # Another user's link is refused even where that user owns the folder: no file is made
    # where a dangling one points, and no existing file is written through one.
    chosen = tmp_path / "made-by-the-link.txt"
    existing = tmp_path / "existing.txt"
    existing.write_text("old", encoding="utf-8")
    shared = shared_folder(tmp_path, owner=FOLDER_OWNER)
    plant(shared / "new.csv", chosen, FOLDER_OWNER)
    plant(shared / "old.csv", existing, FOLDER_OWNER)
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "new.csv", "x")
    assert not chosen.exists()
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "old.csv", "new", force=True)
    assert existing.read_text(encoding="utf-8") == "old"


@as_root
def test_in_a_shared_folder_without_the_sticky_bit_only_the_users_links_are_followed(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    shared = shared_folder(tmp_path, mode=0o777, owner=FOLDER_OWNER)
    plant(shared / "out.csv", victim, FOLDER_OWNER)
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "out.csv", "attack", force=True)
    assert victim.read_text(encoding="utf-8") == "precious"


@as_root
def test_links_nobody_else_could_have_planted_are_followed(tmp_path: Path) -> None:
    # The user's own link in a sticky folder; root's link in a folder only root can write
    # (a system link such as /dev/stdout): written through, as before.
    mine, systems = tmp_path / "mine.txt", tmp_path / "systems.txt"
    shared = shared_folder(tmp_path)
    plant(shared / "mine.csv", mine, os.geteuid())
    write_atomically(shared / "mine.csv", "one")
    private = tmp_path / "private"
    private.mkdir(mode=0o755)
    os.chown(private, 0, 0)
    plant(private / "systems.csv", systems, 0)
    write_atomically(private / "systems.csv", "two")
    assert mine.read_text(encoding="utf-8") == "one"
    assert systems.read_text(encoding="utf-8") == "two"
    assert (shared / "mine.csv").is_symlink() and (private / "systems.csv").is_symlink()


def test_a_link_that_is_not_the_users_in_a_shared_folder_is_refused_for_anyone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without root: the link is made by this user, who then runs as someone else.
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    (shared / "out.csv").symlink_to(victim)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4242)
    with pytest.raises(OutputError, match="will not follow"):
        write_atomically(shared / "out.csv", "attack", force=True)
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_name_swapped_for_a_link_after_the_check_is_replaced_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race protected_symlinks closes: the name is checked, then a link appears before
    # the rename. The rename replaces the name; it never writes through the new link.
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "out.csv"
    real_fdopen = os.fdopen

    def plant_then_open(*args: Any, **kwargs: Any) -> Any:
        target.symlink_to(victim)
        return real_fdopen(*args, **kwargs)

    monkeypatch.setattr(os, "fdopen", plant_then_open)
    with pytest.raises(OutputError, match="already exists"):
        write_atomically(target, "x")
    assert victim.read_text(encoding="utf-8") == "precious"
    target.unlink()
    write_atomically(target, "y", force=True)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not target.is_symlink() and target.read_text(encoding="utf-8") == "y"


def test_a_clean_up_cut_short_is_finished_as_the_process_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second signal inside the clean-up itself: the temporary is left for a moment, and
    # remove_leftovers (called by soracost.__main__ as the process ends) removes it.
    from soracost.cli import output

    real_unlink = os.unlink
    calls: list[str] = []

    def interrupted_unlink(name: str, *args: Any, **kwargs: Any) -> None:
        calls.append(name)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted_unlink)
    monkeypatch.setattr(os, "unlink", interrupted_unlink)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "out.txt", "x", force=True)
    assert [p.name for p in tmp_path.iterdir()] == [calls[0]]  # the temporary, left
    monkeypatch.setattr(os, "unlink", real_unlink)
    output.remove_leftovers()
    assert list(tmp_path.iterdir()) == []


@as_root
@pytest.mark.parametrize("force", [True, False])
def test_another_users_link_in_a_folder_only_they_can_write_is_not_followed(
    tmp_path: Path, force: bool
) -> None:
    # The review's data loss: a folder of uid 1000, mode 755, holding that user's link to
    # root's file. Neither replaced (existing target) nor created (dangling link).
    victim, created = tmp_path / "victim.txt", tmp_path / "created.txt"
    victim.write_text("precious", encoding="utf-8")
    evil = shared_folder(tmp_path, mode=0o755, owner=OTHER)
    plant(evil / "out.csv", victim, OTHER)
    plant(evil / "new.csv", created, OTHER)
    with pytest.raises(OutputError, match="will not follow the symbolic link"):
        write_atomically(evil / "out.csv", "attack", force=force)
    with pytest.raises(OutputError, match="will not follow the symbolic link"):
        write_atomically(evil / "new.csv", "attack", force=force)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not created.exists()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root's links in root's folders are system links",
)
def test_another_owners_link_in_their_own_private_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without root: the folder (755) and link are this user's, and the run then fakes
    # another user, so the link's owner is someone else even though nobody else can write.
    victim, created = tmp_path / "victim.txt", tmp_path / "created.txt"
    victim.write_text("precious", encoding="utf-8")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    theirs.chmod(0o755)
    (theirs / "out.csv").symlink_to(victim)
    (theirs / "new.csv").symlink_to(created)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4242)
    for name in ("out.csv", "new.csv"):
        with pytest.raises(OutputError, match="will not follow the symbolic link"):
            write_atomically(theirs / name, "attack", force=True)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not created.exists()


def test_a_replaced_file_loses_setuid_setgid_and_sticky_but_keeps_the_rest(
    tmp_path: Path,
) -> None:
    import stat

    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o6751 | stat.S_ISVTX)
    write_atomically(target, "new", force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert target.read_text(encoding="utf-8") == "new"


def _soracost(cwd: Path, *args: str) -> tuple[int, str]:
    import subprocess

    from .helpers import soracost_argv, subprocess_env

    result = subprocess.run(
        soracost_argv(*args),
        cwd=cwd,
        capture_output=True,
        env={**subprocess_env(), "SORACOST_NO_CACHE": "1"},
        timeout=60,
    )
    return result.returncode, result.stderr.decode()


def test_an_output_ending_in_a_separator_never_replaces_the_file_before_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.csv").write_text("precious", encoding="utf-8")
    code, stderr = _soracost(tmp_path, "compare", "-f", "csv", "-o", "a.csv/", "--force")
    assert (code, stderr) == (
        1,
        "soracost: error: a.csv/: a.csv is not a folder; give a file name\n",
    )
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "precious"
    code, stderr = _soracost(tmp_path, "compare", "-f", "csv", "-o", "new/")
    assert code == 1 and stderr.count("\n") == 1 and "names a folder" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_only_the_exact_text_dash_is_standard_output(tmp_path: Path) -> None:
    from soracost.cli.output import output_path

    assert str(output_path("-")) == "-"
    assert output_path("./-") == Path.cwd() / "-"
    code, stderr = _soracost(tmp_path, "compare", "-f", "csv", "-o", "./-")
    assert code == 0, stderr
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("estimate_id,")


@pytest.mark.parametrize("force", [True, False])
@pytest.mark.parametrize("way", ["named from the start", "unnamed, /proc refused"])
def test_every_way_to_the_temporary_file_writes_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, force: bool
) -> None:
    # Where the system has no O_TMPFILE, or refuses to link an unnamed file through /proc,
    # the output is written through a named temporary file: same bytes, same mode, and no
    # temporary left.
    from soracost.cli import output

    if way == "named from the start":
        monkeypatch.setattr(output, "_open_unnamed", lambda folder: None)
    else:
        real_link = os.link

        def no_proc(source: str, *args: Any, **kwargs: Any) -> None:
            if str(source).startswith("/proc/"):
                raise PermissionError(1, "Operation not permitted")
            real_link(source, *args, **kwargs)

        monkeypatch.setattr(os, "link", no_proc)
    target = tmp_path / "out.txt"
    if force:
        target.write_text("old", encoding="utf-8")
        target.chmod(0o640)
    write_atomically(target, ["é" * 3, b"\x00", "z" * (3 << 20)], force=force)
    assert target.read_bytes() == "é".encode() * 3 + b"\x00" + b"z" * (3 << 20)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    if force:
        assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_empty_output_name_is_refused_not_read_as_the_current_folder(tmp_path: Path) -> None:
    from .test_french import run

    """A misused option (an unset "$FILE"), exit 2 as for an empty input name (below)."""
    said = "an empty file name: give a file name, or - for standard output"
    for args, option in (
        (("clip", "-o", ""), "'--output'"),
        (("compare", "--plot", ""), "'--plot'"),
    ):
        done = run(*args, columns=200)
        assert done.returncode == 2
        # soracost's prefix, hint and words, and the option named (in Click's phrasing,
        # which is Click's to word)
        assert done.stderr.startswith("soracost: usage error: "), done.stderr
        assert done.stderr.endswith(f": {said} (see 'soracost {args[0]} --help')\n")
        assert option in done.stderr and done.stderr.count("\n") == 1


def test_a_name_with_spaces_at_its_ends_is_quoted_in_the_message(tmp_path: Path) -> None:
    from soracost.views.text import shown_path

    assert shown_path(" ") == "' '"
    assert shown_path("a b.csv") == "a b.csv"
    assert shown_path(tmp_path / "x.csv ") == f"'{tmp_path / 'x.csv '}'"


def test_an_existing_name_with_a_leading_space_is_named_whole(tmp_path: Path) -> None:
    import subprocess

    from .helpers import soracost_argv, subprocess_env

    (tmp_path / " y.csv").write_text("kept\n", encoding="utf-8")
    done = subprocess.run(
        soracost_argv("clip", "-o", " y.csv"), capture_output=True, text=True,
        env=subprocess_env(), cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == "soracost: error: ' y.csv': already exists; add --force to replace it\n"
    assert (tmp_path / " y.csv").read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("clip", "--sources", ""), "'--sources'"),
        (("clip", "--site-file", " "), "'--site-file'"),
        (("sources", "check", ""), "'FILE'"),
        (("report", "log.csv", "--emit-sql", ""), "'--emit-sql'"),
    ],
)
def test_an_empty_file_or_folder_name_is_one_usage_line(args: tuple[str, ...], option: str) -> None:
    """An unset variable ("$FILE") is not read as the current folder (where --emit-sql
    would have written its files)."""
    from .test_french import run

    done = run(*args, columns=200)
    assert done.returncode == 2
    assert done.stderr.startswith("soracost: usage error: ")
    assert f"{option}: an empty name: give a file or folder" in done.stderr
