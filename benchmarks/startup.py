"""Start-up benchmark: whole-process wall time and peak memory of soracost's commands.

Run from the repository root, with soracost installed in the active environment:

    python benchmarks/startup.py            # 15 rounds
    python benchmarks/startup.py --rounds 30
    python benchmarks/startup.py --instructions   # and instruction counts (valgrind)

Each round runs every command once, in a shuffled order, each paired with a run of the
bare program (before it in one round, after it in the next). The bare program reads a
little YAML and prints a two-row Rich table with no CLI framework: the cost of Python,
PyYAML and Rich themselves. A command's "× bare" is the median of its ratios to those
paired runs, so drift in the machine's load moves both sides alike. The Typer floor (a
minimal Typer app importing Rich and PyYAML) is timed the same way, for reference.
The target ("One clear house"): every listed command ≤ 1.5× the bare program; "× floor"
is each command's ratio over the floor's (docs/performance.md says why). Rows
without a target are for reference: the floor's own ``--help``, and where a catalogue
100 times the shipped one spends its time.
Not part of the test suite: timings are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_SCRIPT = """\
import typer, rich.console, rich.table, yaml
app = typer.Typer()
@app.command()
def clip(count: int = 1): pass
@app.command()
def other(): pass
app()
"""


BARE_SCRIPT = """\
import sys, yaml
from rich.console import Console
from rich.table import Table
data = yaml.safe_load("rows:\\n  - {name: a, wh: 1.5}\\n  - {name: b, wh: 90}\\n")
table = Table("name", "Wh")
for row in data["rows"]:
    table.add_row(row["name"], str(row["wh"]))
Console(width=120).print(table)
"""

BARE = "bare program (yaml + rich table)"
FLOOR = "floor (typer+rich+yaml)"
FLOOR_HELP = "floor --help (typer's own help)"
TARGET = 1.5  # each listed command, × the bare program ("One clear house")


def soracost_command() -> list[str]:
    """The installed console script, else ``python -m soracost``."""
    script = shutil.which("soracost", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "soracost"]


def big_catalogue(folder: Path, copies: int) -> Path:
    """The shipped catalogue with its estimates repeated ``copies`` times under new ids."""
    from soracost.data.catalog import default_sources_path

    text = default_sources_path().read_text(encoding="utf-8")
    head, rest = text.split("\nestimates:\n", 1)
    estimates, _, tail = rest.partition("\n# --- The footprint model's factors")
    blocks = [block.strip("\n") for block in ("\n" + estimates).split("\n  - id: ")[1:]]
    out = [head, "\nestimates:\n"]
    for copy in range(copies):
        out.extend(f"  - id: c{copy}-{block}\n" for block in blocks)
    # Services that name estimates by id name the first copy's.
    tail = re.sub(
        r"\{ids: \[([^\]]*)\]\}",
        lambda found: "{ids: [" + ", ".join(f"c0-{i.strip()}" for i in found[1].split(",")) + "]}",
        tail,
    )
    out.append("\n# --- The footprint model's factors" + tail if tail else "")
    path = folder / f"sources-x{copies}.yaml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def ensure_bytecode() -> str | None:
    """Compile soracost's modules where their bytecode is missing or stale, as ``pip
    install`` does.

    An editable install under ``PYTHONDONTWRITEBYTECODE=1`` (set on some machines, CI
    images included) would otherwise compile its edited modules from source on every
    run (~90 ms for all of them) while the floor's libraries are all compiled. Returns a
    line saying what could not be done, or None."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("soracost")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    if compileall.compile_dir(str(package), quiet=1):  # skips fresh files
        return None
    return f"could not write bytecode for {package}: timings include compiling it"


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {stderr.strip()}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def instructions(argv: list[str]) -> float | None:
    """Millions of instructions one whole run of ``argv`` executes, counted by valgrind's
    callgrind (user space only: a file opened or read costs the kernel's time, which this
    does not count); None where valgrind is not installed."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    found = re.search(r"Collected : ([0-9]+)", done.stderr)
    return int(found[1]) / 1e6 if found and done.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--copies", type=int, default=100, help="size of the big catalogue")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each command's instructions once with valgrind's callgrind "
        "(whole process, PYTHONHASHSEED=0): a measure the machine's load does not move",
    )
    args = parser.parse_args()

    compiled = ensure_bytecode()
    if compiled:
        print(compiled)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        floor = folder / "floor.py"
        floor.write_text(FLOOR_SCRIPT, encoding="utf-8")
        bare = folder / "bare.py"
        bare.write_text(BARE_SCRIPT, encoding="utf-8")
        big = big_catalogue(folder, args.copies)
        cli = soracost_command()
        bare_argv = [sys.executable, str(bare)]
        big_sources = ["--sources", str(big)]
        # Each command with its target (× bare); None: shown for reference only.
        planned: dict[str, tuple[list[str], float | None]] = {
            FLOOR: ([sys.executable, str(floor), "clip", "--count", "10"], None),
            # What any Typer app's --help costs: Typer's help formatter imports Rich's
            # Markdown (markdown-it) and traceback modules whatever the help holds.
            FLOOR_HELP: ([sys.executable, str(floor), "--help"], None),
            "soracost --help": ([*cli, "--help"], TARGET),
            "soracost clip --count 10": ([*cli, "clip", "--count", "10"], TARGET),
            "soracost compare": ([*cli, "compare"], TARGET),
            "soracost clip --format json": ([*cli, "clip", "--format", "json"], TARGET),
            "soracost sources check": ([*cli, "sources", "check"], TARGET),
            "soracost explain cnet-90wh": ([*cli, "explain", "cnet-90wh"], TARGET),
            f"sources check, {args.copies}× catalogue": (
                [*cli, "sources", "check", str(big)],
                None,
            ),
            f"clip -n 10 --format csv, {args.copies}×": (
                [*cli, "clip", "-n", "10", "--format", "csv", *big_sources],
                None,
            ),
        }
        commands = {name: argv for name, (argv, _) in planned.items()}
        targets = {name: target for name, (_, target) in planned.items()}
        os.environ["COLUMNS"] = "120"
        times: dict[str, list[float]] = {name: [] for name in (BARE, *commands)}
        ratios: dict[str, list[float]] = {name: [] for name in commands}
        memory: dict[str, float] = dict.fromkeys((BARE, *commands), 0.0)
        for argv in (bare_argv, *commands.values()):  # warm the file cache once
            run_once(argv)
        order = list(commands)
        for round_number in range(args.rounds):
            random.shuffle(order)
            for name in order:
                # Pair by pair: the bare program runs next to each command, so a change in the
                # machine's load between rounds moves both sides of the ratio alike; which
                # of the two runs first alternates from round to round.
                if round_number % 2:
                    elapsed, rss = run_once(commands[name])
                    bare_time, bare_rss = run_once(bare_argv)
                else:
                    bare_time, bare_rss = run_once(bare_argv)
                    elapsed, rss = run_once(commands[name])
                times[BARE].append(bare_time)
                times[name].append(elapsed)
                ratios[name].append(elapsed / bare_time)
                memory[BARE] = max(memory[BARE], bare_rss)
                memory[name] = max(memory[name], rss)
        counted: dict[str, float | None] = {}
        if args.instructions:  # the big catalogue's rows would take minutes under valgrind
            for name, argv in ((BARE, bare_argv), *commands.items()):
                if name in (FLOOR, FLOOR_HELP) or targets.get(name) is not None or name == BARE:
                    counted[name] = instructions(argv)

    def count_of(name: str) -> str:
        found = counted.get(name)
        return f"{found:>9.0f}" if found is not None else f"{'':>9}"

    floor_ratio = statistics.median(ratios[FLOOR])
    print(
        f"{'command':<40} {'median ms':>9} {'× bare':>8} {'target':>7} {'× floor':>8} "
        f"{'peak MiB':>9}" + (f" {'M instr':>9}" if counted else "")
    )
    print(
        f"{BARE:<40} {statistics.median(times[BARE]) * 1000:>9.0f} {1:>8.2f} {'':>7} "
        f"{1 / floor_ratio:>8.2f} {memory[BARE]:>9.1f}" + (f" {count_of(BARE)}" if counted else "")
    )
    for name in commands:
        ratio = statistics.median(ratios[name])
        target = targets[name]
        mark = "" if target is None else f"{'≤' if ratio <= target else '>'} {target:g}"
        print(
            f"{name:<40} {statistics.median(times[name]) * 1000:>9.0f} {ratio:>8.2f} "
            f"{mark:>7} {ratio / floor_ratio:>8.2f} {memory[name]:>9.1f}"
            + (f" {count_of(name)}" if counted else "")
        )
    print(
        f"\n{args.rounds} rounds on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
        "× bare: the median of each run's ratio to the bare run paired with it."
        + (
            "\nM instr: millions of instructions of one run (callgrind; user space only)."
            if counted
            else ""
        )
    )


if __name__ == "__main__":
    main()
