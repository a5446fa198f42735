"""soracost as a real process: broken pipes, Ctrl-C and SIGTERM, and interrupted writes."""

from __future__ import annotations

import json
import re
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
    process = subprocess.Popen(
        soracost_argv("clip", "--count", "10", "--sources", str(big)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    wait_for_start(process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode() == "soracost: interrupted\n"


@pytest.mark.parametrize("delay", [0.5, 0.8, 1.1, 1.4])
def test_a_write_killed_midway_leaves_no_partial_file(
    big: Path, tmp_path: Path, delay: float
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
    estimates = len(re.findall(r"^  - id: c\d+-", big.read_text(encoding="utf-8"), re.MULTILINE))
    assert document == {"previous": True} or len(document["rows"]) == estimates


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
