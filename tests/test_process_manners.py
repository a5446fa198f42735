"""soracost as a real process: broken pipes, Ctrl-C and SIGTERM, and interrupted writes."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path

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
