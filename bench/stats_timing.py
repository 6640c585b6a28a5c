"""`python -m bench.stats_timing`: how long `quiztui stats` takes on a million reviews.

A data directory with four generated decks (2,500 items each, `bench/deckgen.py`) and a log of
exactly `--reviews` answers across them, simulated with `quiztui.sm2` the way
`bench/history.py` does it (every due item reviewed, a fixed number of new items a day, anything
below 4 re-drilled the same day), written with one `executemany` and replayed into item states
by the store. It ends yesterday, a day not yet settled, whose answers the statistics replay
on every run (as they do a learner's answers of today and yesterday). The library is kept in
`bench/out/stats-timing/` and reused while its sizes match.

Each measured run is a fresh `quiztui stats` process (start-up, imports, deck cache, store,
statistics and printing included), timed from before its start to its exit, after one untimed
warm-up run that fills the deck cache and the kept facts; medians of `--runs` runs. The first
run on a new log (the kept facts built from scratch) is timed once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.deckgen import write_deck

OUT = Path(__file__).resolve().parent / "out" / "stats-timing"
DECKS = 4
ITEMS_PER_DECK = 2_500
"""10,000 items in all, as the benchmark's library: a million answers is then years of study."""
NEW_PER_DAY = 5
"""New items a day in each deck."""


def _grade(kind: str, rng: random.Random) -> int:
    """As bench/history.py: questions right 85% of the time, key points mostly 3-5."""
    if kind == "question":
        return 4 if rng.random() < 0.85 else 1
    return rng.choices((5, 4, 3, 2, 1), weights=(30, 40, 15, 10, 5))[0]


def build(folder: Path, reviews: int, today: date, seed: int = 1) -> None:
    """Write the decks and the log into `folder` (a quiztui data directory)."""
    from quiztui.deck.loader import load_deck
    from quiztui.deck.model import Question
    from quiztui.sm2 import ItemState, needs_redrill, review
    from quiztui.store import Store
    from quiztui.store.rows import REVIEW_INSERT

    rng = random.Random(seed)
    decks = []
    for number in range(DECKS):
        path = write_deck(
            folder / "decks" / f"timing-{number + 1}.yaml", ITEMS_PER_DECK, seed=seed + number
        )
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f"id: bench-{ITEMS_PER_DECK}\n", f"id: timing-{number + 1}\n", 1),
            encoding="utf-8",
        )
        decks.append(load_deck(path, use_cache=False))
    items = [
        (deck.id, item.id, item.kind, item.answer_key, isinstance(item, Question))
        for deck in decks
        for item in deck.items()
    ]
    fresh = [iter([i for i in items if i[0] == deck.id]) for deck in decks]
    rows: list[tuple[object, ...]] = []
    states: dict[str, ItemState] = {}
    due: dict[date, list[tuple[str, str, str, str, bool]]] = {}
    day = today - timedelta(days=20 * 365)
    while len(rows) < reviews and day < today:
        todo = due.pop(day, [])
        for source in fresh:
            todo += [item for _, item in zip(range(NEW_PER_DAY), source, strict=False)]
        redrill = []
        for item in todo:
            grade = _grade(item[2], rng)
            rows.append((item, "review", grade, day))
            state = review(states.get(item[1]), grade, day)
            states[item[1]] = state
            due.setdefault(state.due, []).append(item)
            if needs_redrill(grade):
                redrill.append(item)
        while redrill:
            item = redrill.pop(0)
            grade = _grade(item[2], rng)
            rows.append((item, "redrill", grade, day))
            if needs_redrill(grade):
                redrill.append(item)
        day += timedelta(days=1)
    # Shift the whole history so that it ends yesterday, cut at exactly `reviews`.
    rows = rows[:reviews]
    shift = (today - timedelta(days=1)) - rows[-1][3]  # type: ignore[operator]
    store = Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    values = []
    for (deck_id, item_id, kind, key, question), mode, grade, on in rows:  # type: ignore[misc]
        when = on + shift
        right = grade >= 4
        values.append(
            (
                *(uuid.UUID(int=rng.getrandbits(128)).hex, deck_id, item_id, kind, mode, grade),
                *(grade, "[]", int(right) if question else None, 6.0),
                *(f"{when.isoformat()}T09:00:00.000000+00:00", when.isoformat(), key),
                *(None, None, None),
            )
        )
    connection = store._connection
    connection.execute("BEGIN")
    connection.executemany(REVIEW_INSERT, values)
    connection.execute("COMMIT")
    store.recompute_states()
    store.close()


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Seconds one `quiztui ...` process takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "quiztui", *argv],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> int:
    """Build (or reuse) the library, then time `quiztui stats` in its forms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from quiztui.days import learning_day

    today = learning_day(datetime.now().astimezone())
    folder = OUT / f"r{args.reviews}-{today.isoformat()}"
    if not (folder / "progress.sqlite3").exists():
        started = time.perf_counter()
        build(folder, args.reviews, today)
        print(f"built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    env = {**os.environ, "QUIZTUI_DATA_DIR": str(folder), "QUIZTUI_CACHE_DIR": str(folder / "c")}
    deck = str(folder / "decks" / "timing-1.yaml")
    results: dict[str, object] = {"reviews": args.reviews, "runs": args.runs}
    kept = folder / "c" / "statistics"
    for path in kept.glob("*") if kept.exists() else ():
        path.unlink()
    results["first run (kept facts built), all decks"] = round(timed(["stats"], env) * 1000)
    for label, argv in (
        ("all decks", ["stats"]),
        ("all decks --json", ["stats", "--json"]),
        ("one deck", ["stats", deck]),
        ("all decks --range all", ["stats", "--range", "all"]),
    ):
        timed(argv, env)
        times = [timed(argv, env) for _ in range(args.runs)]
        results[f"median ms, {label}"] = round(statistics.median(times) * 1000)
        results[f"max ms, {label}"] = round(max(times) * 1000)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
