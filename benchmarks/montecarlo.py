"""Monte Carlo benchmark: 100,000 samples over the whole shipped catalogue.

Run from the repository root, with soracost installed in the active environment:

    python benchmarks/montecarlo.py             # 5 runs
    python benchmarks/montecarlo.py --runs 9 --samples 100000

It times, as whole processes, ``soracost clip --method montecarlo`` (energy, water and
carbon for every estimate: every row sampled through all its steps) and, for
comparison, the same command with ``--method bounds``. The target is under 2 seconds
on a 2-core machine. Not part of the test suite: timings are measurements, not
assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def soracost_command() -> list[str]:
    """The installed console script, else ``python -m soracost``."""
    script = shutil.which("soracost", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "soracost"]


def time_command(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=100_000)
    options = parser.parse_args()
    base = [*soracost_command(), "clip", "--carbon", "--format", "json"]
    commands = {
        f"montecarlo, {options.samples:,} samples": [
            *base, "--method", "montecarlo", "--samples", str(options.samples), "--seed", "7",
        ],
        "bounds": base,
    }  # fmt: skip
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.runs):
        for name, arguments in commands.items():
            timings[name].append(time_command(arguments))
    print(f"{'command':<40} {'median s':>9} {'max s':>7}")
    for name, values in timings.items():
        print(f"{name:<40} {statistics.median(values):>9.2f} {max(values):>7.2f}")
    print(f"\n{options.runs} runs on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
