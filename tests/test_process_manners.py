"""soracost as a real process: broken pipes, Ctrl-C and SIGTERM, and interrupted writes."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import resource
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from .helpers import big_catalogue, soracost_argv, subprocess_env


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_catalogue(tmp_path_factory.mktemp("big"), copies=100)


def test_a_closed_pipe_ends_quietly(big: Path) -> None:
    # Like `soracost compare --format csv | head -1`: read one line, then close the pipe.
    process = subprocess.Popen(
        soracost_argv("compare", "--format", "csv", "--sources", str(big)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert first.startswith(b"estimate_id,")
    assert stderr == ""


def wait_for_start(process: subprocess.Popen[bytes]) -> None:
    """Give the child time to get past its imports, into the real work."""
    time.sleep(0.6)
    assert process.poll() is None, "finished before it could be interrupted"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_exits_130_with_one_short_line(big: Path, signum: int) -> None:
    # Monte Carlo over the big catalogue: seconds of work, so the signal lands in the
    # middle of it however fast the rest becomes.
    argv = ["clip", "--count", "10", "--method", "montecarlo", "--samples", "20000"]
    process = subprocess.Popen(
        soracost_argv(*argv, "--sources", str(big)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    wait_for_start(process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode() == "soracost: interrupted\n"


@pytest.fixture(scope="module")
def big_json(big: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    """The whole JSON document for the big catalogue, written without interruption."""
    target = tmp_path_factory.mktemp("whole") / "out.json"
    subprocess.run(
        soracost_argv("clip", "-f", "json", "-o", str(target), "--sources", str(big)),
        check=True,
        capture_output=True,
        env=subprocess_env(),
        timeout=120,
    )
    return json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("delay", [0.5, 0.8, 1.1, 1.4])
def test_a_write_killed_midway_leaves_no_partial_file(
    big: Path, big_json: object, tmp_path: Path, delay: float
) -> None:
    target = tmp_path / "out.json"
    target.write_text('{"previous": true}', encoding="utf-8")
    process = subprocess.Popen(
        soracost_argv("clip", "-f", "json", "--force", "-o", str(target), "--sources", str(big)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    # 130: interrupted and cleaned up; 0 or -SIGTERM: the signal came after the work was
    # done (during interpreter shutdown Python restores the default action).
    assert process.returncode in (0, 130, -signal.SIGTERM)
    # Either the old file or the complete new one, and nothing else in the folder.
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document == {"previous": True} or document == big_json


def test_outputs_do_not_depend_on_the_hash_seed() -> None:
    """Python's string hashing changes with each process: nothing soracost writes may
    follow the order of a set (JSON's cited sources once did)."""
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**subprocess_env(), "PYTHONHASHSEED": seed, "SORACOST_NO_CACHE": "1"}
        argv = soracost_argv("clip", "--equivalents", "--carbon", "--format", "json")
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(fmt: str) -> None:
    # The process ends without tearing the interpreter down (soracost.__main__): output
    # it could not write must still be reported, not lost.
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            soracost_argv("clip", "--format", fmt),
            stdout=full,
            stderr=subprocess.PIPE,
            env=subprocess_env(),
            timeout=60,
        )
    assert result.returncode == 1
    # soracost's wording, then the system's own reason, whatever its words: one line.
    assert result.stderr.decode() == (
        f"soracost: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"
    )


def test_a_whole_run_writes_all_of_its_output(big: Path) -> None:
    # Ending with os._exit skips the interpreter's last flush: everything must be out by then.
    result = subprocess.run(
        soracost_argv("compare", "--format", "csv", "--sources", str(big)),
        capture_output=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.decode())))
    assert rows[0][0] == "estimate_id"
    assert len(rows) > 2000 and {len(row) for row in rows} == {len(rows[0])}


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def _temporary_exists(pid: int, folder: Path, named: bool = True) -> bool:
    """The run's temporary output is there: a hidden ``.partial`` name in ``folder`` (if
    ``named``), or a file with no name (``O_TMPFILE``) that the process holds open in it."""
    if named and any(name.endswith(".partial") for name in os.listdir(folder)):
        return True
    unnamed = f"{os.path.realpath(folder)}/#"
    with contextlib.suppress(OSError):  # the process may end meanwhile
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(unnamed):
                    return True
    return False


def _signal_while_the_temporary_exists(
    big: Path, folder: Path, *signums: int, preexec: Any = None, named: bool = True
) -> tuple[int, str]:
    """Run a large JSON export into ``folder``; the moment its temporary file appears,
    freeze the process (SIGSTOP), check the file is still there, send ``signums`` and let
    it go on: the signals land while the temporary exists, every time."""
    target = folder / "out.json"
    for _attempt in range(5):
        target.write_text('{"previous": true}', encoding="utf-8")
        argv = ["compare", "-f", "json", "--force", "-o", str(target), "--sources", str(big)]
        process = subprocess.Popen(
            soracost_argv(*argv),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=subprocess_env(),
            preexec_fn=preexec,
        )
        while process.poll() is None:
            if _temporary_exists(process.pid, folder, named):
                process.send_signal(signal.SIGSTOP)
                while process.poll() is None and _state(process.pid) != "T":
                    time.sleep(0.001)
                if _temporary_exists(process.pid, folder, named):
                    for signum in signums:
                        process.send_signal(signum)
                    process.send_signal(signal.SIGCONT)
                    _, stderr = process.communicate(timeout=60)
                    return process.returncode, stderr.decode()
                process.send_signal(signal.SIGCONT)
        process.communicate(timeout=60)
    raise AssertionError("the temporary file was never seen: the write was too quick")


ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGALRM", "SIGRTMIN"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("name", ENDING_SIGNALS)
def test_every_signal_that_ends_the_run_leaves_no_temporary_file(
    big: Path, tmp_path: Path, name: str
) -> None:
    if not hasattr(signal, name):
        pytest.skip(f"no {name} here")
    code, stderr = _signal_while_the_temporary_exists(big, tmp_path, getattr(signal, name))
    assert (code, stderr) == (130, "soracost: interrupted\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == {"previous": True}


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="needs Linux's O_TMPFILE")
@pytest.mark.parametrize("name", ["SIGKILL", "SIGSEGV", "SIGBUS"])
def test_an_end_no_program_can_clean_up_after_leaves_no_temporary_file(
    big: Path, tmp_path: Path, name: str
) -> None:
    # SIGKILL cannot be caught, and a crash (or kill -SEGV) must not be: the unnamed
    # temporary file goes with the process, and the previous file stays as it was.
    def no_core_file() -> None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    signum = getattr(signal, name)
    # While it is written, the file has no name; it has a hidden one only for the instant
    # between its last byte and the rename (not aimed at here: no signal can be timed there).
    code, _ = _signal_while_the_temporary_exists(
        big, tmp_path, signum, preexec=no_core_file, named=False
    )
    assert code == -signum
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == {"previous": True}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("name", ["SIGHUP", "SIGPIPE"])
def test_a_signal_ignored_from_the_start_stays_ignored(
    big: Path, tmp_path: Path, name: str
) -> None:
    # nohup ignores SIGHUP for the command it runs, and Python ignores SIGPIPE (a write to
    # a closed pipe fails instead): the run goes on and writes its whole file.
    signum = getattr(signal, name)
    code, stderr = _signal_while_the_temporary_exists(
        big, tmp_path, signum, preexec=lambda: signal.signal(signum, signal.SIG_IGN)
    )
    assert code == 0, stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert "rows" in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("names", [("SIGTERM", "SIGHUP"), ("SIGINT", "SIGQUIT", "SIGUSR2")])
def test_signals_in_a_burst_end_the_run_once_and_leave_no_temporary_file(
    big: Path, tmp_path: Path, names: tuple[str, ...]
) -> None:
    # A terminal that closes sends SIGHUP, then the shell SIGTERM; an impatient user
    # presses Ctrl-C twice: the first signal ends the run, the others wait for its clean-up.
    signums = [getattr(signal, name) for name in names]
    code, stderr = _signal_while_the_temporary_exists(big, tmp_path, *signums)
    assert (code, stderr) == (130, "soracost: interrupted\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_fifo_in_the_cache_folder_does_not_hang_a_run(tmp_path: Path) -> None:
    env = {**subprocess_env(), "SORACOST_CACHE_DIR": str(tmp_path)}
    env.pop("SORACOST_NO_CACHE", None)
    argv = soracost_argv("clip", "--count", "10", "--format", "json")
    cold = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=True)
    entries = [path for path in tmp_path.rglob("catalog-*") if path.is_file()]
    assert entries
    for entry in entries:  # a FIFO with no writer: opening it to read would block
        entry.unlink()
        os.mkfifo(entry)
        os.mkfifo(entry.parent / "a-fifo")  # and one of another name beside it
    warm = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    assert (warm.returncode, warm.stderr) == (0, b"")
    assert warm.stdout == cold.stdout


_NO_PASSWD_ENTRY = """
import pwd, runpy, sys

def no_entry(uid):  # a container's arbitrary uid: no line in /etc/passwd
    raise KeyError(f"getpwuid(): uid not found: {uid}")

pwd.getpwuid = no_entry
sys.argv = ["soracost", *sys.argv[1:]]
runpy.run_module("soracost", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("tilde", [False, True])
def test_no_home_and_no_passwd_entry_runs_without_a_cache(tmp_path: Path, tilde: bool) -> None:
    import sys

    args = ("clip", "--count", "10", "--format", "json")
    expected = subprocess.run(
        soracost_argv(*args),
        env={**subprocess_env(), "SORACOST_NO_CACHE": "1"},
        capture_output=True,
        timeout=120,
        check=True,
    )
    unset = ("HOME", "XDG_CACHE_HOME", "SORACOST_CACHE_DIR", "SORACOST_NO_CACHE")
    env = {name: value for name, value in subprocess_env().items() if name not in unset}
    if tilde:
        env["SORACOST_CACHE_DIR"] = "~/cache"  # nothing to expand it from
    result = subprocess.run(
        [sys.executable, "-c", _NO_PASSWD_ENTRY, *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr.decode()) == (0, "")
    assert result.stdout == expected.stdout
    assert not list(tmp_path.iterdir())  # no cache, and no folder named '~'


# No traceback whatever the environment (issue 18, class 4): closed or unwritable
# streams, a stdout that cannot encode the output, odd terminal sizes, odd file names.


def _run_with(
    args: list[str],
    *,
    stdout: str = "pipe",
    stderr: str = "pipe",
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, bytes, bytes]:
    """Run soracost with its stdout and stderr each a pipe, closed, read-only or full."""
    import tempfile

    def prepare() -> None:  # in the child, before soracost starts
        for fd, how in ((1, stdout), (2, stderr)):
            if how == "closed":
                os.close(fd)
            elif how in ("read-only", "full"):
                opened = os.open(
                    os.devnull if how == "read-only" else "/dev/full",
                    os.O_RDONLY if how == "read-only" else os.O_WRONLY,
                )
                os.dup2(opened, fd)
                os.close(opened)

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.run(
            soracost_argv(*args),
            stdout=out,
            stderr=err,
            env={**subprocess_env(), "SORACOST_NO_CACHE": "1", **(env or {})},
            preexec_fn=prepare,
            timeout=timeout,
        )
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read(), err.read()


@pytest.mark.parametrize(
    "args", [["compare"], ["clip"], ["sources", "check"], ["explain", "cnet-90wh"], ["sites"]]
)
def test_a_closed_stdout_is_one_line_and_exit_1(args: list[str]) -> None:
    code, _, stderr = _run_with(args, stdout="closed")
    assert (code, stderr.decode()) == (
        1,
        "soracost: error: there is no standard output to write to; use --output FILE\n",
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["closed", "read-only", "full"])
@pytest.mark.parametrize(
    ("args", "expected"),
    [(["explain", "nope"], 2), (["clip", "--count", "0"], 2), (["clip", "--model", "zzz"], 2)],
)
def test_an_unwritable_stderr_keeps_the_exit_code(how: str, args: list[str], expected: int) -> None:
    code, stdout, _ = _run_with(args, stderr=how)
    assert (code, stdout) == (expected, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["closed", "read-only", "full"])
def test_an_unwritable_stderr_does_not_fail_a_written_output(tmp_path: Path, how: str) -> None:
    target = tmp_path / "out.csv"
    code, _, _ = _run_with(["clip", "-f", "csv", "-o", str(target)], stderr=how)
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("estimate_id,")


ASCII_ONLY = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C, no UTF-8 mode": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
}


@pytest.mark.parametrize("environment", ASCII_ONLY.values(), ids=ASCII_ONLY.keys())
@pytest.mark.parametrize(
    "args",
    [
        ["clip", "--count", "10"],
        ["compare"],
        ["sources"],
        ["explain", "cnet-90wh"],
        ["sites"],
        ["equivalents", "--of", "90 Wh"],
        ["sources", "check"],
        ["--help"],
        ["clip", "--help"],
        ["clip", "-f", "csv"],
    ],
)
def test_a_stdout_that_cannot_encode_gets_ascii(
    environment: dict[str, str], args: list[str]
) -> None:
    env = {key: value for key, value in environment.items()}
    if "PYTHONIOENCODING" not in env:
        env["PYTHONIOENCODING"] = ""  # unset: the locale decides
    code, stdout, stderr = _run_with(args, env=env)
    assert (code, stderr) == (0, b""), stderr.decode(errors="replace")
    assert stdout and stdout.isascii()


@pytest.mark.parametrize("environment", ASCII_ONLY.values(), ids=ASCII_ONLY.keys())
def test_json_to_an_ascii_stdout_is_the_same_document(environment: dict[str, str]) -> None:
    args = ["clip", "--carbon", "--equivalents", "-f", "json"]
    _, expected, _ = _run_with(args)
    code, stdout, stderr = _run_with(args, env={"PYTHONIOENCODING": "", **environment})
    assert (code, stderr) == (0, b"") and stdout.isascii()
    assert json.loads(stdout) == json.loads(expected)
    assert not expected.isascii()  # the document does hold non-ASCII text


@pytest.mark.parametrize("value", ["0", "-5", "abc", "200000", "99999999999999999999", " 80"])
@pytest.mark.parametrize("args", [["--help"], ["clip", "--help"], ["compare"]])
def test_odd_terminal_sizes_still_give_a_readable_output(value: str, args: list[str]) -> None:
    env = {"COLUMNS": value, "LINES": value, "TERMINAL_WIDTH": value}
    code, stdout, stderr = _run_with(args, env=env, timeout=30)
    assert (code, stderr) == (0, b""), stderr.decode(errors="replace")
    assert 1000 < len(stdout) < 200_000
    assert max(len(line) for line in stdout.decode().splitlines()) <= 1000


def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes(tmp_path: Path) -> None:
    from .conftest import MINI

    folder = os.fsencode(tmp_path)
    path = folder + b"/bad\xff\x9b.yaml"
    with open(path, "wb") as handle:
        handle.write(MINI.read_bytes())
    code, stdout, stderr = _run_with(["sources", "check", os.fsdecode(path)])
    assert (code, stderr) == (0, b"")
    assert b"bad\\xff\\x9b.yaml: valid: " in stdout and b"\x9b" not in stdout


@pytest.mark.parametrize(
    ("words", "index", "expected"),
    [
        (
            "soracost cl",
            "abc",
            b"soracost: usage error: shell completion: COMP_CWORD 'abc' is not a whole number\n",
        ),
        (
            "soracost cl",
            "",
            b"soracost: usage error: shell completion: COMP_CWORD '' is not a whole number\n",
        ),
        (None, "1", b"soracost: usage error: shell completion: COMP_WORDS is not set\n"),
    ],
)
def test_a_malformed_completion_request_is_one_usage_line(
    words: str | None, index: str, expected: bytes
) -> None:
    environment = {**subprocess_env(), "_SORACOST_COMPLETE": "complete_bash", "COMP_CWORD": index}
    if words is not None:
        environment["COMP_WORDS"] = words
    result = subprocess.run(soracost_argv(), env=environment, capture_output=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", expected)


def test_shell_completion_installs_and_completes(tmp_path: Path) -> None:
    """--install-completion writes a bash script and sources it; the script's protocol
    completes commands and options (as the shell would ask, through the environment)."""
    import shutil
    import sys

    script = shutil.which("soracost", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "soracost"]
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    installed = subprocess.run(
        [*command, "--install-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    assert "soracost.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    asked = {**env, "_SORACOST_COMPLETE": "complete_bash", "COMP_WORDS": "soracost clip --sit",
             "COMP_CWORD": "2"}  # fmt: skip
    completed = subprocess.run(command, env=asked, capture_output=True, text=True)
    assert completed.stdout.split() == ["--site", "--site-file"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("name", ["SIGABRT", "SIGTRAP", "SIGSYS"])
def test_a_crash_signal_sent_by_another_process_is_an_interruption(
    big: Path, tmp_path: Path, name: str
) -> None:
    # kill -ABRT from outside: no crash happened, so the run cleans up like any other.
    if not hasattr(signal, name):
        pytest.skip(f"no {name} here")
    code, stderr = _signal_while_the_temporary_exists(big, tmp_path, getattr(signal, name))
    assert (code, stderr) == (130, "soracost: interrupted\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == {"previous": True}


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs POSIX signals")
@pytest.mark.parametrize("step", ["entry", "marker", "unnamed entry"])
def test_a_signal_as_the_cache_makes_its_temporary_file_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # SIGTERM lands the instant the temporary file gets a name (mkstemp; or the link of a
    # complete unnamed O_TMPFILE file), as soracost.__main__ turns it into
    # KeyboardInterrupt: the file is accounted for, and removed as the process ends.
    import tempfile

    from soracost.data import cache

    real_os_link = os.link
    if step == "unnamed entry":
        if not hasattr(os, "O_TMPFILE"):
            pytest.skip("needs Linux's O_TMPFILE")
        real_link = os.link

        def link_then_signal(source: str, *args: Any, **kwargs: Any) -> None:
            real_link(source, *args, **kwargs)
            if str(source).startswith("/proc/"):
                os.kill(os.getpid(), signal.SIGTERM)

        monkeypatch.setattr(os, "link", link_then_signal)
    else:  # the named temporary file of systems without O_TMPFILE
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(cache, "encode", lambda digest, document: b"an entry")  # any bytes
    folder = tmp_path / cache.FOLDER_NAME
    if step != "marker":
        with monkeypatch.context() as first:
            first.setattr(os, "link", real_os_link)
            cache.store("0" * 64, {"first": 1})  # makes and marks the folder
    real_mkstemp = tempfile.mkstemp

    def signalled(*args: Any, **kwargs: Any) -> Any:
        made = real_mkstemp(*args, **kwargs)
        if step != "unnamed entry":
            os.kill(os.getpid(), signal.SIGTERM)
        return made

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        monkeypatch.setattr(tempfile, "mkstemp", signalled)
        with pytest.raises(KeyboardInterrupt):
            cache.store("1" * 64, {"second": 2})
    finally:
        signal.signal(signal.SIGTERM, previous)
    monkeypatch.setattr(tempfile, "mkstemp", real_mkstemp)
    cache.remove_leftovers()
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".catalog-")]
    # Marking is recoverable: an unmarked folder holding only temporaries is marked later.
    if step == "marker":
        (folder / ".catalog-left_by_kill.tmp").write_bytes(b"")
        cache.store("1" * 64, {"second": 2})
        assert (folder / cache.MARKER_NAME).read_bytes() == cache.MARKER
        assert (folder / cache._entry_name("1" * 64)).read_bytes() == b"an entry"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["closed", "full"])
@pytest.mark.parametrize(
    "args", [["--version"], ["--help"], ["--show-completion", "bash"], ["compare", "--help"], []]
)
def test_help_and_version_to_a_closed_or_full_stdout_fail_like_commands(
    how: str, args: list[str]
) -> None:
    code, _, stderr = _run_with(args, stdout=how)
    reason = "Bad file descriptor (it is closed)" if how == "closed" else "No space left on device"
    assert (code, stderr.decode()) == (
        1,
        f"soracost: error: cannot write to standard output: {reason}\n",
    )


@pytest.mark.parametrize("args", [("--help",), ("clip", "--help"), ("sources", "check", "--help")])
def test_a_help_whose_reader_left_ends_quietly(args: tuple[str, ...]) -> None:
    # Like `soracost --help | head -0`: nobody reads; the help ends with 0, as commands do.
    process = subprocess.Popen(
        soracost_argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env()
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the only reader: every write now meets a closed pipe
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""
