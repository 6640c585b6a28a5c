"""`python -m bench`: measure quiztui where users are, beside a peer, and print the table.

    python -m bench                 # the full run (the table in docs/benchmarks.md; many minutes)
    python -m bench --only a,c      # some rows only (a b c d e f)
    python -m bench --smoke         # tiny sizes, one run: every row comes out, figures mean nothing

Rows: a. first paint in a pty (bundled deck, 10,000 items, 100,000 items), b. the day's queue in a
fresh process against Anki's, c. key to screen in a pty through the day's review, d. deck load
(cold parse against PyYAML's C loader, cached open in a new process), e. peak memory at the home
screen, f. `quiztui stats`. Every figure is measured alternately with its peer, over `--runs`
runs after `--warmups` uncounted ones, and shown as min / median / max; the verdict judges the
median. Each run's raw numbers are printed after the table and written, with the details, to
bench/out/results-STAMP.json (and bench/out/latest.json). The generated libraries are kept in
bench/out/data/ and reused (see bench/library.py). `--smoke` is what tests/test_bench_smoke.py
runs in CI; it judges nothing. See docs/benchmarks.md for the method and the recorded run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.context import REPO, Bench
from bench.figures import Row, raw_lines, render
from bench.library import OUT, LibrarySpec, prepare

FULL_SIZES = {"10k": LibrarySpec(10_000, 100_000, 4), "100k": LibrarySpec(100_000, 1_000_000, 4)}
"""The issue's libraries: 10,000 items and 100,000 reviews; 100,000 items and 1,000,000 reviews."""

SMOKE_SIZES = {"10k": LibrarySpec(120, 600, 2), "100k": LibrarySpec(200, 1_000, 4)}
"""Stand-ins for the smoke run: the same shape (several decks, a log), seconds to make."""

ROW_KEYS = (
    "a.bundled",
    "a.10k",
    "a.100k",
    "a.bundled-counts",
    "a.10k-counts",
    "a.100k-counts",
    "b.first",
    "b.warm",
    "c.no-pause",
    "c.pause-50ms",
    "d.cold",
    "d.cold-gc-off",
    "d.cached",
    "e.10k",
    "e.100k",
    "f.10k",
    "f.100k",
)
"""Every row of the table, in order (the smoke test checks that each comes out)."""


def machine() -> str:
    """nproc, CPU model, Python, Textual and OS, for the record."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()},"
        f" Textual {version('textual')}, pyte {version('pyte')},"
        f" {platform.system()} {platform.release()}"
    )


def commit() -> str:
    """The commit measured (the checkout this suite runs from)."""
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--oneline"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def parse_only(text: str) -> set[str]:
    """ "a,c" or "ac" -> {"a", "c"}; every letter must name a row."""
    letters = {c for c in text.lower() if c.isalpha()}
    unknown = letters - set("abcdef")
    if unknown:
        raise argparse.ArgumentTypeError(f"no such rows: {', '.join(sorted(unknown))}")
    return letters


def main(argv: list[str] | None = None) -> int:
    """Run the rows asked for and print the table; 0 even when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", type=parse_only, default=set("abcdef"), help="rows, e.g. a,c")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run, no verdicts")
    parser.add_argument("--runs", type=int, help="counted runs per figure (5; smoke 1)")
    parser.add_argument("--warmups", type=int, help="uncounted runs first (1; smoke 0)")
    parser.add_argument("--answers", type=int, help="answers per run in row c (300; smoke 4)")
    parser.add_argument("--json", type=Path, help="write the results here as well")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="results and generated libraries (bench/out)"
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    sizes = SMOKE_SIZES if smoke else FULL_SIZES
    out: Path = args.out.resolve()
    scratch = out / ("scratch-smoke" if smoke else "scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    # The suite's own process never touches the learner's files either.
    os.environ["QUIZTUI_DATA_DIR"] = str(scratch / "data-unused")
    os.environ["QUIZTUI_CACHE_DIR"] = str(scratch / "cache" / "suite")
    bench = Bench(
        out=out,
        scratch=scratch,
        runs=args.runs or (1 if smoke else 5),
        warmups=args.warmups if args.warmups is not None else (0 if smoke else 1),
        answers=args.answers or (4 if smoke else 300),
        smoke=smoke,
    )
    started = time.perf_counter()
    only = args.only
    needed = set()
    if only & set("abcef"):
        needed.add("10k")
    if only & set("aef"):
        needed.add("100k")
    for name in sorted(needed):
        spec = sizes[name]
        print(f"library {name}: {spec.label} ...", file=sys.stderr)
        library = prepare(spec, out / "data")
        bench.libraries[name] = library
        print(
            f"  {library.data_dir} ({library.days} days, {library.due_today} due today)",
            file=sys.stderr,
        )
    from bench.keys import key_rows
    from bench.offscreen import deck_rows, queue_rows, stats_rows
    from bench.paint import paint_rows

    size_names = ["10k", "100k"]
    sections: list[tuple[str, Callable[[], list[Row]]]] = [
        ("ae", lambda: paint_rows(bench, size_names, with_memory="e" in only)),
        ("b", lambda: queue_rows(bench)),
        ("c", lambda: key_rows(bench)),
        ("d", lambda: deck_rows(bench, 100 if smoke else 10_000)),
        ("f", lambda: stats_rows(bench, size_names)),
    ]
    rows: list[Row] = []
    loads: list[tuple[str, float]] = [("start", os.getloadavg()[0])]
    for letters, section in sections:
        if not only & set(letters):
            continue
        print(f"measuring {letters} ...", file=sys.stderr)
        found = section()
        loads.append((letters, os.getloadavg()[0]))
        rows.extend(row for row in found if row.key[0] in only)
    order = {key: index for index, key in enumerate(ROW_KEYS)}
    rows.sort(key=lambda row: order[row.key])
    if smoke:
        for row in rows:
            row.judge = None
    stamp = datetime.now(UTC)
    measured = commit()
    heading = (
        f"quiztui benchmarks, {stamp:%Y-%m-%d %H:%M} UTC, {measured}\n{machine()}\n"
        f"{bench.runs} runs after {bench.warmups} warm-up(s), alternating with each peer;"
        f" {bench.answers} answers per run in c; {time.perf_counter() - started:.0f} s\n"
        "load average (1 min) at the start and after each section: "
        + ", ".join(f"{name} {load:.1f}" for name, load in loads)
        + (" (smoke: tiny sizes, no verdicts)" if smoke else "")
    )
    print(heading + "\n")
    print(render(rows))
    print("\nraw numbers, run by run:")
    print(raw_lines(rows))
    results = {
        "when": stamp.isoformat(),
        "commit": measured,
        "machine": machine(),
        "smoke": smoke,
        "runs": bench.runs,
        "warmups": bench.warmups,
        "answers": bench.answers,
        "load_average": loads,
        "libraries": {
            name: {
                "spec": library.spec.label,
                "days": library.days,
                "due_today": library.due_today,
                "today": library.today.isoformat(),
            }
            for name, library in bench.libraries.items()
        },
        "rows": [row.record() for row in rows],
    }
    text = json.dumps(results, indent=1)
    if not smoke:
        (out / f"results-{stamp:%Y%m%d-%H%M%S}.json").write_text(text)
        (out / "latest.json").write_text(text)
    if args.json:
        args.json.write_text(text)
    wanted = [key for key in ROW_KEYS if key[0] in only]
    missing = sorted(set(wanted) - {row.key for row in rows})
    if missing:
        print(f"missing rows: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
