"""Each benchmark of the table, measured against its peer in the same run.

Every figure is a median over `runs` runs (after one warm-up that is not counted), except the
answer latencies, which are percentiles over every answer. In-process figures use
`time.perf_counter`; first-screen figures time a fresh interpreter from just before it is
started to the line it prints when the screen is interactive.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.workload import Workload

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    key: str
    """A stable id (the smoke test checks every one is printed)."""
    what: str
    quiztui: str
    peer: str
    ratio: str
    target: str
    met: str
    """"yes", "NO", or "" for a row shown for information."""


def median_ms(samples: list[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile of samples (seconds), in milliseconds."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def warm_ups(runs: int) -> int:
    """Uncounted runs before the counted ones: one, except in a single-run smoke test."""
    return 1 if runs > 1 else 0


def timed(
    call: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> list[float]:
    """Seconds each of `runs` calls takes, after the warm-up; `before` runs untimed."""
    samples = []
    skip = warm_ups(runs)
    for index in range(runs + skip):
        if before is not None:
            before()
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        if index >= skip:
            samples.append(elapsed)
    return samples


def verdict(ok: bool) -> str:
    """The "met" column."""
    return "yes" if ok else "NO"


# ---------------------------------------------------------------------- child processes


class Children:
    """Runs `bench.child` in fresh interpreters with private data and cache folders."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def environment(self, name: str) -> dict[str, str]:
        environment = dict(os.environ)
        environment["QUIZTUI_DATA_DIR"] = str(self.folder / f"data-{name}")
        environment["QUIZTUI_CACHE_DIR"] = str(self.folder / f"cache-{name}")
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
        )
        return environment

    def clear_cache(self, name: str) -> None:
        shutil.rmtree(self.folder / f"cache-{name}", ignore_errors=True)

    def run(self, name: str, *args: str, timeout: float = 600) -> tuple[float, dict[str, Any]]:
        """Start `python -m bench.child ARGS`; (seconds to its JSON line, the JSON)."""
        command = [sys.executable, "-m", "bench.child", *args]
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environment(name),
            cwd=REPO,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        if not line.strip():
            raise RuntimeError(f"{' '.join(args)} failed:\n{errors[-3000:]}")
        return elapsed, json.loads(line)


# ---------------------------------------------------------------------- a. first screen


def first_screen(workload: Workload, children: Children, runs: int) -> list[Row]:
    """quiztui's home screen against a bare Textual app, each started in a fresh process."""
    deck = str(workload.deck_path)
    history = str(workload.history_path)
    variants: dict[str, tuple[str, tuple[str, ...]]] = {
        "bare": ("bare", ("bare",)),
        "bundled": ("bundled", ("home",)),
        "big": ("big", ("home", "--deck", deck, "--db", history)),
        "big-cold": ("big-cold", ("home", "--deck", deck, "--db", history)),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    skip = warm_ups(runs)
    for index in range(runs + skip):  # interleaved, so drifts in machine load hit all alike
        for name, (folder, args) in variants.items():
            if name == "big-cold":
                children.clear_cache(folder)
            elapsed, _ = children.run(folder, *args)
            if index >= skip:
                samples[name].append(elapsed)
    bare, bundled, big, cold = (median_ms(samples[name]) for name in variants)
    return [
        Row(
            "a.bundled",
            "a. first screen, bundled deck (process start -> home)",
            f"{bundled:.0f} ms",
            f"{bare:.0f} ms bare Textual",
            f"{bundled / bare:.2f}x",
            "<= 1.2x",
            verdict(bundled / bare <= 1.2),
        ),
        Row(
            "a.big",
            f"a. first screen, {workload.items:,} items + {workload.reviews:,} reviews",
            f"{big:.0f} ms",
            f"{bare:.0f} ms bare Textual",
            f"{big / bare:.2f}x",
            "<= 1.5x",
            verdict(big / bare <= 1.5),
        ),
        Row(
            "a.big-cold",
            "   the same, deck cache empty (first start after a deck change)",
            f"{cold:.0f} ms",
            f"{bare:.0f} ms bare Textual",
            f"{cold / bare:.2f}x",
            "(info)",
            "",
        ),
    ]


# ---------------------------------------------------------------------- b. the day's queue


def day_queue_rows(workload: Workload, runs: int, *, skip_anki: bool) -> list[Row]:
    """quiztui's day_queue and queue_counts against Anki's v3 scheduler on the same cards."""
    from bench.history import BENCH_NOW, BENCH_TODAY
    from quiztui.days import FixedClock
    from quiztui.deck.loader import load_deck
    from quiztui.settings import Settings
    from quiztui.store import Store
    from quiztui.study import current_states, day_queue, open_context, queue_counts

    deck = load_deck(workload.deck_path, use_cache=False)
    settings = Settings()
    first: list[float] = []
    for _ in range(runs):
        with Store.open(workload.history_path, backups_dir=workload.folder / "backups") as store:
            ctx = open_context(store=store, clock=FixedClock(BENCH_NOW), settings=settings)
            start = time.perf_counter()
            day_queue(ctx, deck)
            first.append(time.perf_counter() - start)
    store = Store.open(workload.history_path, backups_dir=workload.folder / "backups")
    try:
        ctx = open_context(store=store, clock=FixedClock(BENCH_NOW), settings=settings)
        queue = day_queue(ctx, deck)
        ours_queue = median_ms(timed(lambda: day_queue(ctx, deck), max(runs, 20)))
        ours_counts = median_ms(timed(lambda: queue_counts(ctx, deck), max(runs, 20)))
        states = current_states(ctx, deck)
    finally:
        store.close()
    ours_first = median_ms(first)
    counts = f"{len(queue.due)} due + {len(queue.new)} new"
    target = "<= 1.0x Anki"
    if skip_anki:
        missing = "n/a (anki not installed)"
        return [
            Row(
                "b.queue",
                f"b. day's queue ({counts})",
                f"{ours_queue:.2f} ms",
                missing,
                "",
                target,
                "",
            ),
            Row(
                "b.counts",
                "b. deck counts (home screen)",
                f"{ours_counts:.2f} ms",
                missing,
                "",
                target,
                "",
            ),
            Row(
                "b.first",
                "   first queue in a process",
                f"{ours_first:.2f} ms",
                missing,
                "",
                "(info)",
                "",
            ),
        ]
    from bench.anki_peer import AnkiPeer, anki_version

    anki_folder = workload.folder / "anki"
    shutil.rmtree(anki_folder, ignore_errors=True)
    peer = AnkiPeer(anki_folder, deck, states, BENCH_TODAY, settings.new_items_per_day)
    try:
        if not peer.check_rebuilds():
            raise RuntimeError(
                "Anki's queue cache could not be invalidated; the comparison is void"
            )
        new, _, review = peer.build_queue()
        if (review, new) != (len(queue.due), len(queue.new)):
            raise RuntimeError(f"Anki counts {review} due + {new} new, quiztui {counts}")
        anki_queue = median_ms(timed(peer.build_queue, max(runs, 20), before=peer.invalidate))
        anki_counts = median_ms(timed(peer.deck_counts, max(runs, 20)))
        anki_first = median_ms([peer.first_queue_after_reopen() for _ in range(runs)])
    finally:
        peer.close()
    label = f"Anki {anki_version()}"
    return [
        Row(
            "b.queue",
            f"b. day's queue ({counts}): day_queue vs get_queued_cards",
            f"{ours_queue:.2f} ms",
            f"{anki_queue:.2f} ms {label}",
            f"{ours_queue / anki_queue:.2f}x",
            target,
            verdict(ours_queue <= anki_queue),
        ),
        Row(
            "b.counts",
            "b. deck counts: queue_counts vs deck_due_tree",
            f"{ours_counts:.2f} ms",
            f"{anki_counts:.2f} ms {label}",
            f"{ours_counts / anki_counts:.2f}x",
            target,
            verdict(ours_counts <= anki_counts),
        ),
        Row(
            "b.first",
            "   first queue after opening the store / collection",
            f"{ours_first:.2f} ms",
            f"{anki_first:.2f} ms {label}",
            f"{ours_first / anki_first:.2f}x",
            "(info)",
            "",
        ),
    ]


# ---------------------------------------------------------------------- c. answer -> next card


def _answer_run(
    workload: Workload, children: Children, answers: int, think_ms: float, name: str
) -> dict[str, Any]:
    """One child answering `answers` cards, waiting `think_ms` before each key."""
    copy = workload.copy_history(workload.folder / name / "progress.sqlite3")
    _, result = children.run(
        name,
        "answers",
        "--deck",
        str(workload.deck_path),
        "--db",
        str(copy),
        "--count",
        str(answers),
        "--think-ms",
        str(think_ms),
    )
    return result


def answer_rows(
    workload: Workload, children: Children, answers: int, think_ms: float = 50.0
) -> list[Row]:
    """Answer latency through the real screens (Pilot), and through the core alone.

    The target is read per key: each key's screen (an answer's feedback, the next card) must
    be drawn within a frame. The driver waits `think_ms` before each key, untimed, as a
    learner reads; in that pause the app runs the full garbage collections it holds back
    (`quiztui.tui.collector`), and the table says how many and how long. A second run sends
    the keys back to back, with no pause, to show what that hides.
    """
    paced = _answer_run(workload, children, answers, think_ms, "answers")
    rushed = _answer_run(workload, children, answers, 0.0, "answers-rushed")
    keys = paced["keys"]
    sums = paced["latencies"]
    gc_seconds = paced["collection_seconds"] or [0.0]
    rushed_gc = rushed["collection_seconds"] or [0.0]
    core = core_answer_latencies(workload, answers)
    p99 = percentile(keys, 0.99)
    first, last = sums[: len(sums) // 10], sums[-(len(sums) // 10) :]
    return [
        Row(
            "c.screens",
            f"c. key -> its screen drawn ({len(keys)} keys, {len(sums)} answers, Pilot;"
            f" {think_ms:.0f} ms untimed before each key)",
            f"p50 {percentile(keys, 0.5):.1f} / p99 {p99:.1f} / max {max(keys) * 1000:.1f} ms",
            "",
            "",
            "p99 <= 16 ms",
            verdict(p99 <= 16),
        ),
        Row(
            "c.answers",
            "   a whole answer, both its keys: pick then Enter, or reveal then grade",
            f"p50 {percentile(sums, 0.5):.1f} / p99 {percentile(sums, 0.99):.1f} ms",
            "",
            "",
            "(info)",
            "",
        ),
        Row(
            "c.gc",
            "   full GC collections run in the pauses (count, median / max)",
            f"{paced['collections']}, {median_ms(gc_seconds):.1f}"
            f" / {max(gc_seconds) * 1000:.1f} ms",
            "",
            "",
            "(info)",
            "",
        ),
        Row(
            "c.rushed",
            "   keys back to back, no pause (p50 / p99 / max; forced full collections)",
            f"{percentile(rushed['keys'], 0.5):.1f} / {percentile(rushed['keys'], 0.99):.1f}"
            f" / {max(rushed['keys']) * 1000:.1f} ms; {rushed['forced']} forced,"
            f" max {max(rushed_gc) * 1000:.0f} ms",
            "",
            "",
            "(info)",
            "",
        ),
        Row(
            "c.drift",
            "   first 10% of the answers against the last 10% (median)",
            f"{median_ms(first or sums):.1f} -> {median_ms(last or sums):.1f} ms",
            "",
            "",
            "(info)",
            "",
        ),
        Row(
            "c.core",
            "   core only: answer (committed) + next card (quiztui.study)",
            f"p50 {percentile(core, 0.5):.2f} / p99 {percentile(core, 0.99):.2f} ms",
            "",
            "",
            "(info)",
            "",
        ),
    ]


def core_answer_latencies(workload: Workload, answers: int) -> list[float]:
    """Seconds per answer through `open_review`: the answer, its commit, the next card."""
    from bench.history import BENCH_NOW
    from quiztui.days import FixedClock
    from quiztui.deck.loader import load_deck
    from quiztui.deck.model import Question
    from quiztui.settings import Settings
    from quiztui.store import Store
    from quiztui.study import open_context, open_review

    deck = load_deck(workload.deck_path, use_cache=False)
    copy = workload.copy_history(workload.folder / "answers-core" / "progress.sqlite3")
    samples: list[float] = []
    with Store.open(copy, backups_dir=copy.parent / "backups") as store:
        ctx = open_context(store=store, clock=FixedClock(BENCH_NOW), settings=Settings())
        session = open_review(ctx, [deck], seed=1)
        for _ in range(answers):
            presented = session.current
            if presented is None:
                break
            start = time.perf_counter()
            if isinstance(presented.item, Question):
                session.answer_question(presented.item.correct_choice_ids, 5.0)
            else:
                session.grade_flashcard(4, 5.0)
            _ = session.current
            samples.append(time.perf_counter() - start)
    return samples


# ---------------------------------------------------------------------- d. deck load


def deck_load_rows(workload: Workload, runs: int) -> list[Row]:
    """load_deck cold and warm against plain yaml.load with libyaml's C loader."""
    import yaml

    from quiztui.deck.loader import load_deck

    path = workload.deck_path
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    holder: list[object] = []

    def drop() -> None:
        holder.clear()  # free the last result outside the timing
        gc.collect()

    cold = median_ms(timed(lambda: holder.append(load_deck(path, use_cache=False)), runs, drop))
    plain = median_ms(
        timed(
            lambda: holder.append(yaml.load(path.read_text(encoding="utf-8"), Loader=loader)),
            runs,
            drop,
        )
    )
    load_deck(path)  # writes the cache entry

    def drop_all() -> None:
        drop()
        pass

    warm_disk = median_ms(timed(lambda: holder.append(load_deck(path)), max(runs, 10), drop_all))
    warm_memory = median_ms(timed(lambda: holder.append(load_deck(path)), max(runs, 10), drop))
    loader_name = "yaml.CSafeLoader" if loader is not yaml.SafeLoader else "yaml.SafeLoader"
    return [
        Row(
            "d.cold",
            f"d. deck load, cold ({path.stat().st_size / 1e6:.1f} MB, no cache)",
            f"{cold:.0f} ms",
            f"{plain:.0f} ms yaml.load {loader_name}",
            f"{cold / plain:.2f}x",
            "<= 1.0x",
            verdict(cold <= plain),
        ),
        Row(
            "d.warm",
            "d. deck load, warm (disk cache entry, as in a new process)",
            f"{warm_disk:.1f} ms",
            f"{cold:.0f} ms cold",
            f"{cold / warm_disk:.0f}x faster",
            ">= 50x",
            verdict(cold / warm_disk >= 50),
        ),
        Row(
            "d.warm-memory",
            "d. deck load, warm (same process: one stat)",
            f"{warm_memory:.1f} ms",
            f"{cold:.0f} ms cold",
            f"{cold / warm_memory:.0f}x faster",
            ">= 50x",
            verdict(cold / warm_memory >= 50),
        ),
    ]


# ---------------------------------------------------------------------- e. memory


def memory_rows(workload: Workload, children: Children, answers: int) -> list[Row]:
    """Peak resident memory of the app with the big deck and history, and of the bare app.

    Twice: the first start parses the deck (its cache is empty), later ones read the cache.
    """
    _, bare = children.run("bare", "bare")
    count = min(50, answers)
    rows = []
    children.clear_cache("memory")
    for key, what in (
        ("e.memory-first", f"e. peak memory, first start (deck parsed), home + {count} answers"),
        ("e.memory", f"e. peak memory, later starts (deck cache), home + {count} answers"),
    ):
        copy = workload.copy_history(workload.folder / "memory" / "progress.sqlite3")
        _, ours = children.run(
            "memory",
            "memory",
            "--deck",
            str(workload.deck_path),
            "--db",
            str(copy),
            "--count",
            str(count),
        )
        peak = ours["max_rss_mb"]
        rows.append(
            Row(
                key,
                what,
                f"{peak:.0f} MB (home {ours['home_mb']:.0f} MB)",
                f"{bare['max_rss_mb']:.0f} MB bare Textual",
                "",
                "<= 150 MB",
                verdict(peak <= 150),
            )
        )
    return rows
