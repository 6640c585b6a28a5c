"""The statistics core, without Textual: a log whose every answer is known, counted by hand.

Two items of the study deck: the key point `kp-chlorophyll` (A) and the question `q-colour`
(B), answered on learning days 0 to 61 of a fixed calendar. SM-2 by hand for A, all grade 4
but one: day 0 new (interval 1), day 1 (interval 1 before: young, right -> 6), day 7 (6: young,
right -> 15), day 22 (15: young, right -> 38), day 60 (38: mature, WRONG -> 1, a lapse), a
re-drill that day, day 61 (1 after a lapse: relearning, young, right).
B: a wrong pre-check answer on day 0, then the post-check right (new), day 1 wrong (young, a
lapse), its re-drill, and practice on day 2. One more practice answer on day 7 is undone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiztui.days import FixedClock
from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck
from quiztui.settings import Settings
from quiztui.store import Store
from quiztui.store.review_facts import FactsSnapshot, facts_path, replay_states, reset_cuts
from quiztui.study import StudyContext
from quiztui.study.marks import apply, undo_last
from quiztui.study.statistics import (
    Rate,
    bin_size,
    binned_days,
    compute_statistics,
    histogram,
    range_start,
    streak_of,
)
from tests.tui.conftest import STUDY_DECK_YAML
from tests.year_history import BENCH_TODAY, plan, write_history

DAY0 = date(2026, 1, 5)
"""A Monday."""


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    path = tmp_path / "study-deck.yaml"
    path.write_text(STUDY_DECK_YAML, encoding="utf-8")
    return load_deck(path)


def answer(
    store: Store, deck: Deck, item_id: str, mode: str, grade: int, on: int, seconds: float = 10
) -> str:
    item = deck.item(item_id)
    correct = None if item.kind == "key_point" else grade >= 4
    row = store.record_review(
        deck_id=deck.id,
        item_id=item_id,
        kind=item.kind,
        mode=mode,  # type: ignore[arg-type]
        grade=grade,
        answer_key=item.answer_key,
        learning_day=day(on),
        at=datetime.combine(day(on), datetime.min.time(), tzinfo=UTC) + timedelta(hours=9),
        seconds=seconds,
        correct=correct,
    )
    return row.uid


def known_log(store: Store, deck: Deck) -> None:
    """The log the module docstring describes."""
    a, b = "kp-chlorophyll", "q-colour"
    answer(store, deck, b, "pre", 1, 0)
    answer(store, deck, a, "learn", 4, 0)
    answer(store, deck, b, "post", 4, 0)
    answer(store, deck, a, "review", 4, 1)
    answer(store, deck, b, "review", 1, 1)
    answer(store, deck, b, "redrill", 4, 1)
    answer(store, deck, b, "practice", 4, 2)
    answer(store, deck, a, "review", 4, 7)
    undone = answer(store, deck, b, "practice", 1, 7)
    store.undo_review(undone, at=datetime(2026, 1, 12, 10, tzinfo=UTC))
    answer(store, deck, a, "review", 4, 22)
    answer(store, deck, a, "review", 1, 60)
    answer(store, deck, a, "redrill", 4, 60)
    answer(store, deck, a, "review", 4, 61, seconds=30)


@pytest.fixture
def ctx(tmp_path: Path, deck: Deck) -> StudyContext:
    store = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    known_log(store, deck)
    clock = FixedClock(datetime.combine(day(61), datetime.min.time(), tzinfo=UTC).replace(hour=12))
    return StudyContext(store, clock, Settings())


def test_the_known_log_counted_by_hand(ctx: StudyContext, deck: Deck) -> None:
    stats = compute_statistics(ctx, [deck], "all")
    assert stats.today == day(61) and stats.start == day(0)
    assert stats.total_reviews == 12  # 13 answers, one undone
    by_day = {d.day: d.counts for d in stats.days}
    assert by_day[day(0)] == {"new": 2, "learning": 1}
    assert by_day[day(1)] == {"review": 2, "redrill": 1}
    assert by_day[day(2)] == {"practice": 1}
    assert by_day[day(7)] == {"review": 1}
    assert by_day[day(60)] == {"review": 1, "redrill": 1}
    assert by_day[day(61)] == {"learning": 1}
    assert stats.days[-1].seconds == 30
    assert stats.range_seconds == 11 * 10 + 30
    retention = stats.retention
    assert retention.young == Rate(5, 4)  # A on days 1, 7, 22, 61; B on day 1 (wrong)
    assert retention.mature == Rate(1, 0)  # A on day 60 (wrong)
    assert retention.by_kind == {"key_point": Rate(5, 4), "question": Rate(1, 0)}
    weeks = {w.week: (w.young, w.mature) for w in retention.weeks}
    assert weeks[day(0)] == (Rate(2, 1), Rate())  # days 0-6: A right, B wrong
    assert weeks[day(56)] == (Rate(1, 1), Rate(1, 0))  # days 56-62: day 61 and day 60
    assert stats.streak.current == 2 and stats.streak.longest == 3
    assert (stats.streak.days_studied, stats.streak.days_in_range) == (7, 62)
    hardest = [(h.item_id, h.lapses) for h in stats.hardest]
    # One lapse each, and the same easiness: 2.50, then a 1 (-0.54) and 4s (+0) -> 1.96.
    assert hardest == [("kp-chlorophyll", 1), ("q-colour", 1)]
    assert {h.easiness for h in stats.hardest} == {1.96}


def test_the_ranges_cut_the_day_by_day_figures(ctx: StudyContext, deck: Deck) -> None:
    month = compute_statistics(ctx, [deck], "1m")
    assert month.start == day(61) - timedelta(days=29)
    assert [d.day for d in month.days] == [day(60), day(61)]
    assert month.retention.overall == Rate(2, 1)
    assert month.streak.days_in_range == 30 and month.streak.days_studied == 2
    assert month.total_reviews == 12  # all time, whatever the range
    assert sum(month.heatmap.values()) == 12  # the calendar shows the whole last year


def test_forecast_intervals_and_easiness_come_from_the_states(
    ctx: StudyContext, deck: Deck
) -> None:
    stats = compute_statistics(ctx, [deck], "all")
    # A is due tomorrow (interval 1 after day 61); B's last review was day 1 (interval 1):
    # overdue since day 2, so it is counted today and in the backlog.
    assert stats.forecast[0] == (day(61), 1) and stats.forecast[1] == (day(62), 1)
    assert stats.backlog == 1 and len(stats.forecast) == 30
    intervals = {b.label: b.count for b in stats.scheduler.intervals}
    assert intervals["1 day"] == 2 and sum(intervals.values()) == 2
    assert stats.scheduler.scheduler == "SM-2"


def test_the_kept_facts_agree_with_a_fresh_replay(
    ctx: StudyContext, deck: Deck, tmp_path: Path
) -> None:
    """Read twice (the second from the kept file), then after an undo of a settled answer."""
    store = ctx.store
    first = store.review_facts(day(61))
    assert first.rebuilt
    assert facts_path(store.path, tmp_path / "quiztui-data" / "cache").parent.name == "statistics"
    again = Store.open(store.path, backups_dir=tmp_path / "backups")
    second = again.review_facts(day(61))
    assert not second.rebuilt
    assert (second.daily, second.by_day, second.by_week) == (
        first.daily,
        first.by_day,
        first.by_week,
    )
    assert second.lapsed == first.lapsed
    # Undo A's answer of day 22 (settled): the kept prefix changed, so it is rebuilt.
    uid = next(r.uid for r in again.reviews(item_id="kp-chlorophyll") if r.learning_day == day(22))
    again.undo_review(uid)
    third = again.review_facts(day(61))
    assert third.rebuilt
    assert sum(third.daily.values()) == 11
    again.close()


def test_the_replay_ends_with_the_stores_states(ctx: StudyContext) -> None:
    rows = ctx.store._read(
        "SELECT id, deck_id, item_id, kind, mode, grade, seconds, learning_day, answer_key"
        " FROM reviews WHERE undone_at IS NULL ORDER BY id"
    )
    states = {key: stored.state for key, stored in ctx.store.live_states().items()}
    assert replay_states(rows) == states


def test_an_unusable_cache_folder_still_gives_the_facts(ctx: StudyContext, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    snapshot = ctx.store.review_facts(day(61), cache_dir=blocked)
    assert sum(snapshot.daily.values()) == 12
    assert snapshot == ctx.store.review_facts(day(61))  # what the kept file gives


def test_a_fresh_store_has_no_statistics(tmp_path: Path, deck: Deck) -> None:
    store = Store.open(tmp_path / "empty.sqlite3", backups_dir=tmp_path / "backups")
    ctx = StudyContext(store, FixedClock(datetime(2026, 3, 10, 10, tzinfo=UTC)), Settings())
    stats = compute_statistics(ctx, [deck], "3m")
    assert stats.empty and stats.days == () and stats.streak.current == 0
    assert stats.retention.overall.rate is None and stats.hardest == ()
    assert [p.part_id for p in stats.parts] == ["light"]  # the part with questions
    store.close()


@pytest.mark.parametrize(
    ("studied", "current", "longest"),
    [
        (set(), 0, 0),
        ({day(9)}, 1, 1),  # yesterday still counts
        ({day(10)}, 1, 1),
        ({day(8)}, 0, 1),
        ({day(1), day(2), day(3), day(9), day(10)}, 2, 3),
    ],
)
def test_streaks(studied: set[date], current: int, longest: int) -> None:
    streak = streak_of(studied, day(10), day(0))
    assert (streak.current, streak.longest) == (current, longest)


def test_histogram_puts_each_value_in_its_bucket() -> None:
    buckets = histogram([1, 2, 6, 7, 400], [("a", 1, 1), ("b", 2, 6), ("c", 7, None)])
    assert [b.count for b in buckets] == [1, 2, 2]


def test_bins_end_today_and_keep_empty_days(ctx: StudyContext, deck: Deck) -> None:
    stats = compute_statistics(ctx, [deck], "1m")
    weekly = binned_days(stats, 7)
    assert weekly[-1].last == day(61) and weekly[0].first == stats.start
    assert sum(sum(b.counts.values()) for b in weekly) == stats.range_reviews
    assert bin_size(30, 40) == 1 and bin_size(365, 60) == 7 and bin_size(2000, 60) == 34
    assert range_start(day(61), "all", None) == day(61)


def test_extending_the_kept_facts_day_by_day_gives_what_a_rebuild_gives(
    ctx: StudyContext, tmp_path: Path
) -> None:
    """Read on days 1, 8, 23 and 61 (each keeping more settled days), then compare."""
    store = ctx.store
    for n in (1, 8, 23):
        assert sum(store.review_facts(day(n)).daily.values()) == 12  # later days count too
    extended = store.review_facts(day(61))
    assert not extended.rebuilt
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    fresh = store.review_facts(day(61), cache_dir=blocked)
    assert (extended.daily, extended.by_day, extended.by_week, extended.lapsed) == (
        fresh.daily,
        fresh.by_day,
        fresh.by_week,
        fresh.lapsed,
    )


def relearning_log(store: Store, deck: Deck) -> None:
    """A: learned on day 0, then graded 1, 1, 4, 2, 2, 1 on days 1 to 6. By hand: day 1 is a
    lapse (learned, n = 1), day 2 is not (relearning, n = 0), day 3 learns it again, day 4 is a
    lapse, days 5 and 6 are not. Easiness 2.50, -0.54, -0.54, +0, then 1.30 (its floor)."""
    answer(store, deck, "kp-chlorophyll", "learn", 4, 0)
    for on, grade in enumerate((1, 1, 4, 2, 2, 1), start=1):
        answer(store, deck, "kp-chlorophyll", "review", grade, on)


def at_day(n: int, hour: int = 10) -> datetime:
    return datetime.combine(day(n), datetime.min.time(), tzinfo=UTC).replace(hour=hour)


def figures(snapshot: FactsSnapshot) -> tuple[object, ...]:
    """Everything a snapshot says, but whether it was rebuilt."""
    return (snapshot.daily, snapshot.by_day, snapshot.by_week, snapshot.lapsed)


def lapses_of(store: Store, today: date, **kwargs: Path) -> dict[str, tuple[int, int]]:
    """The hardest items' (lapses, easiness) as the statistics replay counts them."""
    return {h.item_id: (h.lapses, h.easiness) for h in store.review_facts(today, **kwargs).lapsed}


def test_a_lapse_is_the_stores_failures_while_relearning_are_not(
    tmp_path: Path, deck: Deck
) -> None:
    store = Store.open(tmp_path / "relearn.sqlite3", backups_dir=tmp_path / "backups")
    relearning_log(store, deck)
    assert store.lapses(deck.id) == {"kp-chlorophyll": 2}
    assert lapses_of(store, day(10)) == {"kp-chlorophyll": (2, 130)}
    ctx = StudyContext(store, FixedClock(at_day(10, 12)), Settings())
    hardest = compute_statistics(ctx, [deck], "all").hardest
    assert [(h.item_id, h.lapses, h.reviews, h.easiness) for h in hardest] == [
        ("kp-chlorophyll", 2, 6, 1.3)
    ]
    store.close()


def test_a_reset_forgets_the_lapses_and_keeps_the_history(tmp_path: Path, deck: Deck) -> None:
    """Reset, undo, reset again, answers after it, then an undo of the reset with answers after
    it: each read agrees with the store's lapses and with a replay that keeps nothing."""
    store = Store.open(tmp_path / "reset.sqlite3", backups_dir=tmp_path / "backups")
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    a = "kp-chlorophyll"
    relearning_log(store, deck)
    before = store.review_facts(day(10))
    assert before.rebuilt and lapses_of(store, day(10)) == {a: (2, 130)}
    apply(store, [(deck.id, a)], "reset", day=day(10), at=at_day(10))
    after = store.review_facts(day(10))
    assert not after.rebuilt  # the reset changes no kept row: nothing answered after it
    assert after.lapsed == () and store.lapses(deck.id) == {}
    assert (after.daily, after.by_day, after.by_week) == (
        before.daily,
        before.by_day,
        before.by_week,
    )
    assert store.review_facts(day(10), cache_dir=blocked).lapsed == ()
    undo_last(store, at=at_day(10, 11))
    again = store.review_facts(day(10))
    assert not again.rebuilt and lapses_of(store, day(10)) == {a: (2, 130)}
    apply(store, [(deck.id, a)], "reset", day=day(10), at=at_day(10, 12))
    answer(store, deck, a, "review", 4, 10)  # new again
    answer(store, deck, a, "review", 4, 11)
    assert store.review_facts(day(13)).lapsed == ()  # days 10 and 11 kept from now on
    answer(store, deck, a, "review", 1, 17)  # n = 2: a lapse
    answer(store, deck, a, "review", 1, 18)  # relearning: not one
    late = store.review_facts(day(20))
    assert {d.category for d in late.by_day if d.day == day(10)} == {"new"}
    assert store.lapses(deck.id) == {a: 1}
    assert lapses_of(store, day(20)) == {a: (1, 142)}  # 2.50, 2.50, 2.50, -0.54, -0.54
    assert figures(late) == figures(store.review_facts(day(20), cache_dir=blocked))
    # Undone with answers after it: the kept rows of days 10 and 11 change, so it is rebuilt.
    undo_last(store, at=at_day(20))
    undone = store.review_facts(day(20))
    assert undone.rebuilt
    assert {d.category for d in undone.by_day if d.day == day(10)} == {"learning"}
    assert store.lapses(deck.id) == {a: 3}
    assert lapses_of(store, day(20)) == {a: (3, 130)}
    assert undone.lapsed == store.review_facts(day(20), cache_dir=blocked).lapsed
    store.close()


def test_a_simulated_history_with_resets_agrees_with_the_store(tmp_path: Path) -> None:
    """60 days of reviews and re-drills; the three most lapsed items are reset 20 days before
    the end (the kept file read just before), and the history goes on. The lapses and the
    schedules the statistics replay ends with are the store's, kept file or not."""
    from deckfactory import make_deck

    store = Store.open(tmp_path / "sim.sqlite3", backups_dir=tmp_path / "backups")
    deck = make_deck(parts=2, key_points=6, questions=4)
    answers = plan(deck, 60, 1, seed=7, limit=100_000)
    split = BENCH_TODAY - timedelta(days=20)
    first = [a for a in answers if a.day < split]
    write_history(store, deck, first)
    store.review_facts(split)
    lapsed = sorted(store.lapses(deck.id).items(), key=lambda pair: -pair[1])[:3]
    at = datetime.combine(split, datetime.min.time(), tzinfo=UTC).replace(hour=1)
    apply(store, [(deck.id, item_id) for item_id, _ in lapsed], "reset", day=split, at=at)
    write_history(store, deck, answers[len(first) :])
    snapshot = store.review_facts(BENCH_TODAY)
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    assert figures(snapshot) == figures(store.review_facts(BENCH_TODAY, cache_dir=blocked))
    found = {h.item_id: h.lapses for h in snapshot.lapsed}
    assert found == store.lapses(deck.id) and found
    # The history fails items while relearning too: those are not lapses.
    failed = sum(1 for a in answers if a.mode == "review" and a.grade < 3)
    assert failed > sum(found.values()) + sum(count for _, count in lapsed)
    rows = store._read(
        "SELECT id, deck_id, item_id, kind, mode, grade, seconds, learning_day, answer_key"
        " FROM reviews WHERE undone_at IS NULL ORDER BY id"
    )
    states = {key: stored.state for key, stored in store.live_states().items()}
    assert replay_states(rows, reset_cuts(store._read)) == states
    store.close()
