"""Monte Carlo benchmark: time and peak memory at 1×, 100× and 400× the shipped catalogue.

Run from the repository root, with soracost installed in the active environment:

    python benchmarks/montecarlo.py                      # 100,000 samples; 1×, 100×, 400×
    python benchmarks/montecarlo.py --copies 1,100 --samples 20000 --runs 5

For each catalogue (the shipped one with its estimates repeated, as in
``benchmarks/startup.py``) it runs, as whole processes writing CSV to a file,
``compare --pooled`` (every estimate's energy sampled and pooled) and ``clip --method
montecarlo --carbon`` (energy, water and carbon: three rows per estimate), each beside
the same command with ``--method bounds``, which reads the same catalogue without
sampling. The bounds (the "Done when" of "Hardening, round two"):

- peak memory under 500 MiB at 100,000 samples, whatever the catalogue's size: Monte
  Carlo holds one row's samples at a time and the pool's, one per sample;
- time linear in rows × samples: "ns/draw" (the time over the bounds run's, per row and
  sample) stays the same from 100× to 400×.

A second table gives the peak memory of the JSON exports (``clip -f json`` and ``compare
--pooled -f json`` to a file) beside the same command's CSV: JSON is written a row at a
time as it is made, never held whole, so it too stays under the bound (at 400×, before it
was streamed: 946 MiB for a 103 MB ``clip`` document, 550 MiB for ``compare --pooled``).

The median of ``--runs`` runs is shown for the shipped catalogue, one run for the big
ones. Not part of the test suite: timings are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from startup import big_catalogue, ensure_bytecode, soracost_command

MEMORY_BOUND_MIB = 500
LINEAR_TOLERANCE = 1.5
"""The time per row and sample at the biggest catalogue may be at most this × that at the
second biggest."""


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr.strip()}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """The median wall time and the highest peak memory of ``runs`` runs."""
    results = [run_once(argv) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def json_memory(cli: list[str], folder: Path, sizes: list[int], samples: int) -> list[float]:
    """Print the peak memory of the JSON exports beside CSV's, one run each, on the
    catalogues ``folder`` holds (``sources-x{copies}.yaml``); return JSON's peaks."""
    commands = {
        "clip -f json": ["clip"],
        "compare --pooled -f json": ["compare", "--pooled", "--samples", str(samples)],
    }
    print(f"\n{'JSON export':<26} {'size':>5} {'MB':>7} {'s':>7} {'peak MiB':>8} {'CSV MiB':>10}")
    peaks: list[float] = []
    output = folder / "out.json"
    for copies in sizes:
        sources = folder / f"sources-x{copies}.yaml"
        for name, argv in commands.items():
            tail = ["--sources", str(sources), "-o", str(output), "--force", "--seed", "7"]
            elapsed, peak = run_once([*cli, *argv, *tail, "--format", "json"])
            size = output.stat().st_size / 1e6
            _, csv_peak = run_once([*cli, *argv, *tail, "--format", "csv"])
            peaks.append(peak)
            print(
                f"{name:<26} {f'{copies}×':>5} {size:>7.1f} {elapsed:>7.2f} {peak:>8.0f} "
                f"{csv_peak:>10.0f}",
                flush=True,
            )
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--copies", default="1,100,400", help="catalogue sizes (default 1,100,400)")
    parser.add_argument("--runs", type=int, default=5, help="runs on the shipped catalogue")
    options = parser.parse_args()
    sizes = [int(part) for part in options.copies.split(",")]
    compiled = ensure_bytecode()
    if compiled:
        print(compiled)
    cli = soracost_command()
    montecarlo = ["--samples", str(options.samples), "--seed", "7"]
    commands = {
        "compare --pooled": (["compare", "--pooled", *montecarlo], ["compare"]),
        "clip --carbon, montecarlo": (
            ["clip", "--carbon", "--method", "montecarlo", *montecarlo],
            ["clip", "--carbon"],
        ),
    }
    header = (
        f"{'command':<26} {'size':>5} {'rows':>6} {'s':>7} {'bounds s':>8} "
        f"{'ns/draw':>7} {'peak MiB':>8} {'bounds MiB':>10}"
    )
    print(f"{options.samples:,} samples per row\n{header}")
    os.environ["SORACOST_NO_CACHE"] = "1"  # every run reads its catalogue the same way
    per_row: dict[tuple[str, int], float] = {}
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        output = folder / "out.csv"
        for copies in sizes:
            sources = big_catalogue(folder, copies)
            runs = options.runs if copies == 1 else 1
            for name, (sampled, bounds) in commands.items():
                tail = ["--sources", str(sources), "--format", "csv", "-o", str(output), "--force"]
                elapsed, peak = measure([*cli, *sampled, *tail], runs)
                rows = len(output.read_text(encoding="utf-8").splitlines()) - 1
                bounds_elapsed, bounds_peak = measure([*cli, *bounds, *tail], runs)
                cost = (elapsed - bounds_elapsed) / (rows * options.samples) * 1e9
                per_row[(name, copies)] = cost
                peaks.append(peak)
                print(
                    f"{name:<26} {f'{copies}×':>5} {rows:>6} {elapsed:>7.2f} "
                    f"{bounds_elapsed:>8.2f} {cost:>7.0f} {peak:>8.0f} {bounds_peak:>10.0f}",
                    flush=True,
                )
        json_peaks = json_memory(cli, folder, sizes, options.samples)
    print(
        f"\nns/draw: (s − bounds s) per row and sample. Median of {options.runs} runs "
        f"at 1×, one run otherwise; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}."
    )
    if options.samples <= 100_000:
        verdict = "within" if max(peaks) < MEMORY_BOUND_MIB else "OVER"
        print(f"peak memory: {max(peaks):.0f} MiB at most, {verdict} {MEMORY_BOUND_MIB} MiB")
        verdict = "within" if max(json_peaks) < MEMORY_BOUND_MIB else "OVER"
        print(f"JSON exports: {max(json_peaks):.0f} MiB at most, {verdict} {MEMORY_BOUND_MIB} MiB")
    if len(sizes) >= 2:
        small, big = sorted(sizes)[-2:]
        for name in commands:
            ratio = per_row[(name, big)] / per_row[(name, small)]
            verdict = "linear" if ratio <= LINEAR_TOLERANCE else "NOT linear"
            print(f"{name}: ns/draw at {big}× is {ratio:.2f}× that at {small}×: {verdict}")


if __name__ == "__main__":
    main()
