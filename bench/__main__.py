"""`python -m bench`: generate the workload, measure quiztui beside its peers, print the table.

    python -m bench                      # the full run: 10,000 items, 100,000 reviews (minutes)
    python -m bench --items 50 --reviews 200 --runs 1 --answers 5 --skip-anki-if-missing

The second form is the smoke run CI does (tests/test_bench_smoke.py): it checks that every row
still comes out, never how fast. See docs/benchmarks.md for the recorded figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import (
    Children,
    Row,
    answer_rows,
    day_queue_rows,
    deck_load_rows,
    first_screen,
    memory_rows,
)
from bench.workload import prepare

ROW_KEYS = (
    "a.bundled",
    "a.big",
    "a.big-cold",
    "b.queue",
    "b.counts",
    "b.first",
    "c.screens",
    "c.answers",
    "c.gc",
    "c.rushed",
    "c.drift",
    "c.core",
    "d.cold",
    "d.warm",
    "d.warm-memory",
    "e.memory-first",
    "e.memory",
)
"""Every row the table has, in order (the smoke test checks them all)."""


def machine() -> str:
    """nproc, CPU model, Python and OS, for the record."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}"
    )


def render(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    header = ("", "quiztui", "peer", "ratio", "target", "met")
    lines = [header, *((r.what, r.quiztui, r.peer, r.ratio, r.target, r.met) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(cells) for cells in lines[1:]]
    )


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print the table; 0 even when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="deck size (10,000)")
    parser.add_argument("--reviews", type=int, default=100_000, help="log entries (100,000)")
    parser.add_argument("--days", type=int, default=365, help="days of history (365)")
    parser.add_argument("--runs", type=int, default=7, help="runs per median (7)")
    parser.add_argument("--answers", type=int, default=1000, help="answers for c (1,000)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=50.0,
        help="c: untimed pause before each key, as a learner reads (50)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir", type=Path, help="keep the generated workload here and reuse it"
    )
    parser.add_argument(
        "--skip-anki-if-missing",
        action="store_true",
        help="print n/a for Anki's figures instead of failing when `anki` is not installed",
    )
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument(
        "--only", default="abcde", help="the sections to run, e.g. 'ad' (default: all, abcde)"
    )
    args = parser.parse_args(argv)

    from bench.anki_peer import anki_available

    skip_anki = not anki_available()
    if skip_anki and not args.skip_anki_if_missing:
        parser.error(
            "the anki package is missing: pip install -e '.[bench]' (or pass"
            " --skip-anki-if-missing)"
        )

    with tempfile.TemporaryDirectory(prefix="quiztui-bench-") as scratch:
        scratch_dir = Path(scratch)
        # The benchmark process itself never touches the learner's files either.
        os.environ["QUIZTUI_DATA_DIR"] = str(scratch_dir / "data")
        os.environ["QUIZTUI_CACHE_DIR"] = str(scratch_dir / "cache")
        folder = args.workdir or scratch_dir / "workload"
        started = time.perf_counter()
        print(
            f"preparing {args.items:,} items and {args.reviews:,} reviews in {folder} ...",
            file=sys.stderr,
        )
        workload = prepare(folder.resolve(), args.items, args.reviews, args.days, args.seed)
        print(f"  ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        children = Children(scratch_dir / "children")
        rows: list[Row] = []
        sections = [
            ("a. first screen", lambda: first_screen(workload, children, args.runs)),
            ("b. day's queue", lambda: day_queue_rows(workload, args.runs, skip_anki=skip_anki)),
            (
                "c. answers",
                lambda: answer_rows(workload, children, args.answers, args.think_ms),
            ),
            ("d. deck load", lambda: deck_load_rows(workload, args.runs)),
            ("e. memory", lambda: memory_rows(workload, children, args.answers)),
        ]
        for name, section in sections:
            if name[0] not in args.only:
                continue
            print(f"measuring {name} ...", file=sys.stderr)
            rows.extend(section())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"quiztui benchmarks, {stamp}; {machine()}")
    print(
        f"{args.items:,} items, {args.reviews:,} reviews over {args.days} days, seed"
        f" {args.seed}; medians of {args.runs} runs\n"
    )
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2))
    printed = {row.key for row in rows}
    missing = [key for key in ROW_KEYS if key[0] in args.only and key not in printed]
    if missing:
        print(f"missing rows: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
