"""`python -m bench.simulate`: simulated learners judge SM-2 against FSRS over a year of study.

    python -m bench.simulate                       # 24 learners x 500 items x 365 days (minutes)
    python -m bench.simulate --learners 2 --items 30 --days 20 --replay-reviews 2000   # smoke

Each learner's true memory follows `bench.memory` (neither SM-2 nor FSRS). Every day the learner
does what quiztui's queue asks, in its order (due items most overdue first, then up to 20 new
ones, then what must come back today) until the day's time budget is spent, answering from
their true chance of recall; the schedulers are quiztui's own (`quiztui.scheduling`), driven by
the same rules as `quiztui.study` (`simulate_with_quiztui` runs the real sessions and store, and
the smoke test checks that both give the same log). The same learners and decks are used for
every scheduler. docs/scheduler-comparison.md records the table and the method.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.memory import Learner
from quiztui.scheduling import SM2, Scheduler, ScheduleState, make_scheduler

START_DAY = date(2025, 1, 1)
"""Day 0 of every simulated year."""

DAY_START = 9 / 24
"""The learner sits down at 09:00."""

SCHEDULERS: dict[str, tuple[str, float]] = {
    "SM-2": ("sm2", 0.9),
    "FSRS 0.85": ("fsrs", 0.85),
    "FSRS 0.90": ("fsrs", 0.9),
    "FSRS 0.95": ("fsrs", 0.95),
}
"""The rows of the table: label -> (scheduler, desired retention)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One simulated answer, as the log would hold it, with what the benchmark needs beside."""

    day: int
    item: int
    mode: str
    """"review" (from the day's queue, new items included) or "redrill"."""
    grade: int
    recalled: bool
    """The true outcome (a lucky guess on a question is not a recall)."""
    seconds: float
    elapsed: int | None = None
    """Days since the item's previous counted answer (None but for the first answer of a day
    to an item seen before)."""


@dataclass
class Run:
    """A learner's year under one scheduler."""

    label: str
    answers: list[Answer] = field(default_factory=list)
    known: list[float] = field(default_factory=list)
    """Per day, before studying: the sum of the true recall probabilities of every item."""
    minutes: list[float] = field(default_factory=list)
    """Per day, the minutes spent studying."""
    items: int = 0


def grade_for(learner: Learner, item: int, p: float, rng: random.Random) -> tuple[int, bool]:
    """The grade the learner gives (as quiztui records it) and whether they truly recalled.

    A question: recalled -> right (4, or 5 "knew it" when sure); not recalled -> a lucky guess
    one time in four (then mostly 3 "guessed"), else wrong (1). A key point: self-graded
    5/4/3 by how sure the recall was, 2 or 1 when not recalled.
    """
    recalled = rng.random() < p
    if learner.is_question[item]:
        if recalled:
            return (5 if p > 0.9 and rng.random() < 0.5 else 4), True
        if rng.random() < 0.25:
            return (3 if rng.random() < 0.7 else 4), False
        return 1, False
    if recalled:
        return (5 if p > 0.9 else 4 if p > 0.6 else 3), True
    return (2 if rng.random() < 0.3 else 1), False


def seconds_for(learner: Learner, item: int, right: bool, new: bool, rng: random.Random) -> float:
    """How long the answer takes: reading four choices, or a card; longer when wrong (the
    explanation is read) and for a new item."""
    base = (10.0 if right else 20.0) if learner.is_question[item] else (6.0 if right else 14.0)
    if new:
        base += 12.0
    return base * math.exp(rng.gauss(0, 0.25))


def simulate(
    learner: Learner,
    scheduler: Scheduler,
    label: str,
    *,
    days: int = 365,
    budget_minutes: float = 15.0,
    new_per_day: int = 20,
    rng_seed: int = 0,
) -> Run:
    """A learner's `days` under `scheduler`, through quiztui's queue rules (see module doc)."""
    rng = random.Random(rng_seed)
    items = len(learner.difficulties)
    states: dict[int, ScheduleState] = {}
    last_day: dict[int, int] = {}
    next_new = 0
    run = Run(label, items=items)
    for day in range(days):
        when = day + DAY_START
        run.known.append(sum(learner.recall_probability(i, when) for i in range(items)))
        today = START_DAY + timedelta(days=day)
        due = sorted(
            (i for i, s in states.items() if s.due <= today), key=lambda i: (states[i].due, i)
        )
        fresh = list(range(next_new, min(items, next_new + new_per_day)))
        queue: list[tuple[int, bool]] = [(i, False) for i in due + fresh]
        spent = 0.0
        position = 0
        while position < len(queue) and spent < budget_minutes * 60:
            item, is_redrill = queue[position]
            position += 1
            new = item not in states
            if new:
                next_new = item + 1
            p = learner.recall_probability(item, when)
            grade, recalled = grade_for(learner, item, p, rng)
            seconds = seconds_for(learner, item, grade >= 3, new, rng)
            before = states.get(item)
            elapsed = None
            if before is not None and last_day[item] < day and not is_redrill:
                elapsed = day - last_day[item]
            counts = not is_redrill or scheduler.counts_same_day_reviews
            after = scheduler.review(before, grade, today) if counts else before
            assert after is not None
            states[item] = after
            if counts:
                last_day[item] = day
            learner.study(item, when)
            when += seconds / 86_400
            spent += seconds
            mode = "redrill" if is_redrill else "review"
            run.answers.append(Answer(day, item, mode, grade, recalled, seconds, elapsed))
            if scheduler.back_today(after, grade, today):
                queue.append((item, True))
        run.minutes.append(spent / 60)
    return run


# ---------------------------------------------------------------------- the real thing, small


def simulate_with_quiztui(
    learner: Learner,
    scheduler_name: str,
    *,
    days: int,
    budget_minutes: float = 15.0,
    new_per_day: int = 20,
    rng_seed: int = 0,
    folder: str,
) -> list[tuple[int, str, str, int]]:
    """The same year through quiztui itself: a real store, `open_review` each day, answers
    through `ReviewSession` (confidence keys for questions). Returns (day, item id, mode,
    grade) for every answer, to compare with `simulate` (slow: for the smoke test)."""
    from datetime import UTC, datetime
    from pathlib import Path

    from quiztui.days import FixedClock
    from quiztui.deck.model import Choice, Deck, KeyPoint, Part, Question
    from quiztui.settings import Settings
    from quiztui.store import Store
    from quiztui.study import StudyContext, open_review

    ids = [f"i{n:04d}" for n in range(len(learner.difficulties))]
    parts = []
    for n, item_id in enumerate(ids):
        # One part per item, so that deck order is the simulation's item order.
        if learner.is_question[n]:
            choices = tuple(Choice(c, f"choice {c}", c == "a", "") for c in "abcd")
            question = Question(id=item_id, prompt=f"Question {n}?", choices=choices, shuffle=False)
            parts.append(Part(id=f"p{n:04d}", title=f"Part {n}", questions=(question,)))
        else:
            key_point = KeyPoint(id=item_id, front=f"Front {n}", back=f"Back {n}")
            parts.append(Part(id=f"p{n:04d}", title=f"Part {n}", key_points=(key_point,)))
    deck = Deck(id="sim", title="Simulated", version="1", parts=tuple(parts))
    number = {item_id: n for n, item_id in enumerate(ids)}
    clock = FixedClock(datetime.combine(START_DAY, datetime.min.time(), tzinfo=UTC))
    store = Store.open(Path(folder) / "sim.sqlite3", backups_dir=Path(folder) / "backups")
    settings = Settings(rollover_hour=0, new_items_per_day=new_per_day, scheduler=scheduler_name)
    ctx = StudyContext(store, clock, settings)
    for part in deck.parts:
        store.mark_step(deck.id, part.id, "key_points_opened", clock.now())
        attempt = store.start_attempt(
            deck_id=deck.id,
            part_id=part.id,
            check="post",
            question_ids=[],
            choice_orders={},
            at=clock.now(),
        )
        store.finish_attempt(attempt.uid, clock.now())
    rng = random.Random(rng_seed)
    log: list[tuple[int, str, str, int]] = []
    try:
        for day in range(days):
            when = day + DAY_START
            clock.set(
                datetime.combine(START_DAY, datetime.min.time(), tzinfo=UTC) + timedelta(days=when)
            )
            session = open_review(ctx, [deck], seed=day)
            spent = 0.0
            while (current := session.current) is not None and spent < budget_minutes * 60:
                item = number[current.item.id]
                new = store.state(deck.id, current.item.id) is None
                p = learner.recall_probability(item, when)
                grade, _ = grade_for(learner, item, p, rng)
                seconds = seconds_for(learner, item, grade >= 3, new, rng)
                if isinstance(current.item, Question):
                    right = grade >= 3
                    session.answer_question(frozenset({"a"} if right else {"b"}), seconds)
                    if right and grade != 4:
                        session.set_confidence(grade)
                else:
                    session.grade_flashcard(grade, seconds)
                log.append(
                    (day, current.item.id, "redrill" if current.is_redrill else "review", grade)
                )
                learner.study(item, when)
                when += seconds / 86_400
                spent += seconds
                clock.advance(timedelta(seconds=seconds))
    finally:
        store.close()
    return log


# ---------------------------------------------------------------------- the figures


def exam_days(days: int) -> range:
    """The days an exam may fall on: after the first month, to the end of the year."""
    return range(min(30, days - 1), days)


@dataclass(frozen=True, slots=True)
class Figures:
    """One scheduler's row: the learners' means."""

    label: str
    recalled_share: float
    reviews_per_item: float
    minutes_per_item: float
    known_per_minute: float
    true_retention: float
    """The share of reviews (first of a day, seen items) truly recalled."""


def figures(label: str, runs: Sequence[Run]) -> Figures:
    """The row for one scheduler over every learner's run."""
    shares, reviews, minutes, per_minute, retention = [], [], [], [], []
    for run in runs:
        window = exam_days(len(run.known))
        known = sum(run.known[d] for d in window) / len(window)
        spent_before = [sum(run.minutes[:d]) for d in window]
        shares.append(known / run.items)
        reviews.append(len(run.answers) / run.items)
        minutes.append(sum(run.minutes) / run.items)
        per_minute.append(known / (sum(spent_before) / len(window)))
        counted = [a.recalled for a in run.answers if a.elapsed is not None]
        retention.append(sum(counted) / len(counted) if counted else 0.0)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    return Figures(
        label, mean(shares), mean(reviews), mean(minutes), mean(per_minute), mean(retention)
    )


def log_loss(pairs: Sequence[tuple[float, bool]]) -> float:
    """Mean binary cross-entropy of predictions (clipped away from 0 and 1) and outcomes."""
    total = 0.0
    for p, y in pairs:
        p = min(max(p, 1e-6), 1 - 1e-6)
        total -= math.log(p if y else 1 - p)
    return total / len(pairs)


def rmse_bins(pairs: Sequence[tuple[float, bool]], bins: int = 20) -> float:
    """Calibration error: reviews in `bins` equal bins of predicted recall, the root of the
    count-weighted mean squared gap between mean predicted and observed recall per bin."""
    grouped: dict[int, list[tuple[float, bool]]] = {}
    for p, y in pairs:
        grouped.setdefault(min(int(p * bins), bins - 1), []).append((p, y))
    total = sum(
        len(g) * (sum(p for p, _ in g) / len(g) - sum(y for _, y in g) / len(g)) ** 2
        for g in grouped.values()
    )
    return math.sqrt(total / len(pairs))


@dataclass(frozen=True, slots=True)
class Judged:
    """One review calibration is judged on: the first answer of a day to an item seen before,
    with each model's prediction made from the item's history up to it."""

    fsrs: float
    """FSRS-6's predicted recall (py-fsrs, default parameters)."""
    elapsed: int
    """Days since the previous answer that SM-2 counted."""
    interval: int
    """SM-2's interval before this answer."""
    recalled: bool
    """As the schedulers see it: graded 3 or more (a lucky guess counts)."""
    learner: int


def judged_reviews(runs: Sequence[Run]) -> list[Judged]:
    """Every run's log replayed through both models, as srs-benchmark judges them: the same
    reviews for every model, each predicted from what came before."""
    from quiztui import sm2
    from quiztui.scheduling.fsrs_scheduler import FsrsScheduler

    fsrs = FsrsScheduler()
    found: list[Judged] = []
    for learner, run in enumerate(runs):
        fsrs_states: dict[int, ScheduleState] = {}
        sm2_states: dict[int, sm2.ItemState] = {}
        for a in run.answers:
            today = START_DAY + timedelta(days=a.day)
            before_f = fsrs_states.get(a.item)
            before_s = sm2_states.get(a.item)
            if (
                before_s is not None
                and before_s.last_review is not None
                and before_s.last_review < today
                and a.mode == "review"
            ):
                chance = fsrs.retrievability(before_f, today) if before_f else None
                found.append(
                    Judged(
                        fsrs=chance if chance is not None else 0.0,
                        elapsed=(today - before_s.last_review).days,
                        interval=before_s.interval,
                        recalled=a.grade >= 3,
                        learner=learner,
                    )
                )
            fsrs_states[a.item] = fsrs.review(before_f, a.grade, today)
            if a.mode == "review":
                sm2_states[a.item] = sm2.review(before_s, a.grade, today)
    return found


def sm2_pairs(judged: Sequence[Judged], base: float) -> list[tuple[float, bool]]:
    """SM-2's predictions through the curve R = base ^ (elapsed / interval)."""
    return [(base ** (j.elapsed / max(j.interval, 1)), j.recalled) for j in judged]


def fit_sm2_base(judged: Sequence[Judged]) -> float:
    """The base b of R = b ^ (t / I) that fits the reviews best (least log loss), by a
    golden-section search on (0.01, 0.999)."""
    low, high = 0.01, 0.999
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(40):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        if log_loss(sm2_pairs(judged, a)) < log_loss(sm2_pairs(judged, b)):
            high = b
        else:
            low = a
    return (low + high) / 2


@dataclass(frozen=True, slots=True)
class Calibration:
    """How well a model's predicted recall matched what the learners did."""

    model: str
    log_loss: float
    rmse: float
    reviews: int


def calibration(runs: Sequence[Run]) -> list[Calibration]:
    """FSRS-6 with its own R; SM-2 through R = b^(t/I), with srs-benchmark's b = 0.9 and with b
    fitted on half the learners and judged on the other half (both ways round)."""
    judged = judged_reviews(runs)
    halves = [[j for j in judged if j.learner % 2 == k] for k in (0, 1)]
    fitted: list[tuple[float, bool]] = []
    bases = []
    for k in (0, 1):
        base = fit_sm2_base(halves[1 - k]) if halves[1 - k] else 0.9
        bases.append(base)
        fitted += sm2_pairs(halves[k], base)
    fsrs = [(j.fsrs, j.recalled) for j in judged]
    plain = sm2_pairs(judged, 0.9)
    fitted_note = (
        f"SM-2, R = b^(t/I) with b fitted on the other half ({bases[0]:.3f}, {bases[1]:.3f})"
    )
    return [
        Calibration(
            "FSRS-6, its own R (default parameters)", log_loss(fsrs), rmse_bins(fsrs), len(fsrs)
        ),
        Calibration(
            "SM-2, R = 0.9^(t/I) as srs-benchmark", log_loss(plain), rmse_bins(plain), len(plain)
        ),
        Calibration(fitted_note, log_loss(fitted), rmse_bins(fitted), len(fitted)),
    ]


# ---------------------------------------------------------------------- replay timing


def replay_timings(reviews: int, seed: int = 1, runs: int = 3) -> list[tuple[str, float]]:
    """Seconds for each scheduler to replay a log of `reviews` answers (the store's `replay`,
    in memory: what every switch and every import costs, SQLite aside); the best of `runs`,
    taken alternately, since the machine may be shared."""
    from datetime import UTC, datetime

    from quiztui.store import ReviewRecord, replay

    rng = random.Random(seed)
    items = max(1, reviews // 100)
    rows: list[ReviewRecord] = []
    day_of = [0] * items
    at = datetime(2025, 1, 1, 9, tzinfo=UTC)
    for n in range(reviews):
        item = n % items
        day_of[item] += rng.choice((0, 1, 1, 2, 3, 5, 8))
        grade = rng.choices((5, 4, 3, 2, 1), weights=(25, 45, 15, 10, 5))[0]
        mode = "redrill" if n % 13 == 0 and n >= items else "review"
        rows.append(
            ReviewRecord(
                id=n + 1,
                uid=f"u{n}",
                deck_id="d",
                item_id=f"i{item}",
                kind="key_point",
                mode=mode,
                grade=grade,
                answered_grade=grade,
                picked=(),
                correct=None,
                seconds=6.0,
                reviewed_at=at,
                learning_day=START_DAY + timedelta(days=day_of[item]),
                answer_key="",
            )
        )
    best: dict[str, float] = {}
    for _ in range(runs):
        for label, scheduler in (("SM-2", SM2), ("FSRS", make_scheduler("fsrs"))):
            started = time.perf_counter()
            replay(rows, scheduler)
            elapsed = time.perf_counter() - started
            best[label] = min(best.get(label, elapsed), elapsed)
    return list(best.items())


# ---------------------------------------------------------------------- the run


def _one(job: tuple[int, int, int, int, float, str, str, float]) -> Run:
    """One learner under one scheduler (a worker process's task)."""
    seed, learner_index, items, days, budget, label, name, retention = job
    learner = Learner.draw(random.Random(seed * 7919 + learner_index), items)
    scheduler = make_scheduler(name, retention)
    return simulate(
        learner,
        scheduler,
        label,
        days=days,
        budget_minutes=budget,
        rng_seed=seed * 104_729 + learner_index,
    )


def render(rows: Sequence[Figures], calibrations: Sequence[Calibration]) -> str:
    """The two Markdown tables."""
    lines = [
        "| scheduler | recalled on a random exam day | true retention at reviews |"
        " reviews per item | minutes per item | items known per review minute |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.label} | {r.recalled_share:.1%} | {r.true_retention:.1%} |"
        f" {r.reviews_per_item:.1f} | {r.minutes_per_item:.1f} | {r.known_per_minute:.3f} |"
        for r in rows
    ]
    lines += ["", "| model | log loss | RMSE (bins) | reviews judged |", "|---|---|---|---|"]
    lines += [
        f"| {c.model} | {c.log_loss:.3f} | {c.rmse:.3f} | {c.reviews:,} |" for c in calibrations
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Simulate, print the tables and the replay timings."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.simulate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--learners", type=int, default=24)
    parser.add_argument("--items", type=int, default=500, help="items per learner's deck (500)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--budget-minutes", type=float, default=15.0, help="per day (15)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replay-reviews", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only", choices=("all", "learners", "replay"), default="all", help="what to run"
    )
    args = parser.parse_args(argv)
    if args.only != "replay":
        simulate_learners(args)
    if args.replay_reviews and args.only != "learners":
        print(f"\nreplaying {args.replay_reviews:,} reviews (in memory, best of 3):")
        for label, seconds in replay_timings(args.replay_reviews, args.seed):
            print(f"  {label}: {seconds:.2f} s")
    return 0


def simulate_learners(args: argparse.Namespace) -> None:
    """Run every learner under every scheduler and print the two tables."""
    started = time.perf_counter()
    jobs = [
        (args.seed, n, args.items, args.days, args.budget_minutes, label, name, retention)
        for label, (name, retention) in SCHEDULERS.items()
        for n in range(args.learners)
    ]
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        runs = list(pool.map(_one, jobs))
    by_label: dict[str, list[Run]] = {}
    for run in runs:
        by_label.setdefault(run.label, []).append(run)
    rows = [figures(label, group) for label, group in by_label.items()]
    calibrations = calibration(runs)
    print(
        f"{args.learners} learners x {args.items} items x {args.days} days, {args.budget_minutes:g}"
        f" minutes a day, 20 new a day, seed {args.seed}; {time.perf_counter() - started:.0f} s;"
        f" {os.cpu_count()} CPUs, Python {platform.python_version()}\n"
    )
    print(render(rows, calibrations))


if __name__ == "__main__":
    sys.exit(main())
