"""The atomic writer: whole files or nothing, and the user's files never damaged."""

from __future__ import annotations

import os
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
def test_a_dangling_link_of_the_folders_owner_makes_no_file(tmp_path: Path) -> None:
    # protected_symlinks follows the folder owner's links; soracost does too, but never
    # creates a file through a dangling one in a shared folder that is not the user's.
    chosen = tmp_path / "made-by-the-link.txt"
    existing = tmp_path / "existing.txt"
    existing.write_text("old", encoding="utf-8")
    shared = shared_folder(tmp_path, owner=FOLDER_OWNER)
    plant(shared / "new.csv", chosen, FOLDER_OWNER)
    plant(shared / "old.csv", existing, FOLDER_OWNER)
    with pytest.raises(OutputError, match="will not create a file through a symbolic link"):
        write_atomically(shared / "new.csv", "x")
    assert not chosen.exists()
    write_atomically(shared / "old.csv", "new", force=True)
    assert existing.read_text(encoding="utf-8") == "new"


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
    # The user's own link in a sticky folder; anyone's link in a folder only its owner
    # can write: written through, as before.
    mine, theirs = tmp_path / "mine.txt", tmp_path / "theirs.txt"
    shared = shared_folder(tmp_path)
    plant(shared / "mine.csv", mine, os.geteuid())
    write_atomically(shared / "mine.csv", "one")
    private = tmp_path / "private"
    private.mkdir(mode=0o755)
    plant(private / "theirs.csv", theirs, OTHER)
    write_atomically(private / "theirs.csv", "two")
    assert mine.read_text(encoding="utf-8") == "one"
    assert theirs.read_text(encoding="utf-8") == "two"
    assert (shared / "mine.csv").is_symlink() and (private / "theirs.csv").is_symlink()


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
