"""`python -m bench.classreport`: how long `quiztui class report` takes for 30 to 10,000 learners.

    python -m bench.classreport                       # 30, 1,000 and 10,000 learners, 3 runs each
    python -m bench.classreport --sizes 30,1000 --runs 5 --format markdown
    python -m bench.classreport --sizes 5 --runs 1    # the smoke run the tests do

Each class is generated once (bench/classgen.py, seed 1: the bundled deck, pre- and
post-checks, a term of reviews) into the work folder and reused by later runs. Every run is the
real command in a fresh interpreter, timed from its start to its exit, so imports count; its
peak memory is the child's maximum resident set size (`wait4`). Targets (docs/class-report.md):
1,000 learners in 5 s or less, 10,000 in 30 s or less, peak memory 1 GB or less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.classgen import item_traits, learner_export

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "decks" / "airflow-mwaa.yaml"
TARGETS = {1_000: 5.0, 10_000: 30.0}
"""Seconds allowed per class size."""
MEMORY_TARGET_MB = 1024


def _write_range(folder: Path, start: int, stop: int, seed: int) -> None:
    import json

    from quiztui.deck.loader import load_deck

    deck = load_deck(DECK, use_cache=False)
    traits = item_traits(deck, seed)
    for index in range(start, stop):
        with (folder / f"learner-{index:05d}.json").open("w", encoding="utf-8") as stream:
            json.dump(learner_export(deck, traits, seed, index), stream, indent=1)


def ensure_class(workdir: Path, size: int, seed: int = 1) -> Path:
    """The folder of a generated class of `size` learners (made now unless already complete)."""
    folder = workdir / f"class-{size}-seed{seed}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    workers = max(1, os.cpu_count() or 1)
    step = -(-size // workers)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [
            pool.submit(_write_range, folder, start, min(start + step, size + 1), seed)
            for start in range(1, size + 1, step)
        ]
        for job in jobs:
            job.result()
    done.write_text("")
    megabytes = sum(p.stat().st_size for p in folder.glob("*.json")) / 1e6
    print(
        f"generated {size} learners ({megabytes:,.0f} MB of exports) in"
        f" {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return folder


def run_once(folder: Path, fmt: str, out: Path) -> tuple[float, float, float]:
    """One `quiztui class report` in a fresh interpreter: (seconds, CPU seconds, peak MB).

    CPU time says what the wall time would be on an idle machine (about half of it, on 2
    cores, where the work runs in parallel) when other processes share the cores.
    """
    argv = [
        sys.executable,
        "-m",
        "quiztui",
        "class",
        "report",
        str(folder),
        "--deck",
        str(DECK),
        "--format",
        fmt,
        "-o",
        str(out),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"quiztui class report failed ({process.returncode}):\n{errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Generate the classes, time the report on each, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.classreport", description=__doc__)
    parser.add_argument("--sizes", default="30,1000,10000", help="class sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per size (median)")
    parser.add_argument("--format", default="html", choices=("html", "markdown", "json", "csv"))
    parser.add_argument(
        "--workdir",
        type=Path,
        default=REPO / "bench" / "out" / "classreport",
        help="where the generated classes are kept (default: bench/out/classreport)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        f"| learners | seconds (median of {args.runs}; each run) | CPU seconds | peak memory"
        " | target | met |"
    )
    print("|---:|---:|---:|---:|---|---|")
    for size in sizes:
        folder = ensure_class(args.workdir, size)
        out = args.workdir / f"report-{size}.{args.format}"
        runs = [run_once(folder, args.format, out) for _ in range(args.runs)]
        seconds = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        memory = max(r[2] for r in runs)
        target = TARGETS.get(size)
        met = (target is None or seconds <= target) and memory <= MEMORY_TARGET_MB
        target_text = f"<= {target:.0f} s, <= 1 GB" if target else "<= 1 GB"
        spread = ", ".join(f"{r[0]:.2f}" for r in runs)
        print(
            f"| {size:,} | {seconds:.2f} s ({spread}) | {cpu:.1f} s | {memory:.0f} MB |"
            f" {target_text} |"
            f" {'yes' if met else 'NO'} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
