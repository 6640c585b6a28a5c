"""Suspend, bury, flag, reset and leeches, as the day's queue sees them: one rule sets items
aside, every action is undone as one, a leech is suspended once and told once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from deckfactory import make_context, make_deck
from test_study_redrill import answer, study

from quiztui.deck.model import Question
from quiztui.study import day_queue, open_review, queue_counts
from quiztui.study.marks import apply, mark_told, undo_last, untold_leeches
from quiztui.study.progress import forecast
from quiztui.study.statistics import compute_statistics


def test_suspended_and_buried_items_never_come_in_the_days_queue(tmp_path: Path) -> None:
    """Due items suspended or buried are neither due nor counted; a bury ends with the day,
    unsuspending brings the item back."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=2, questions=2)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    today = ctx.today()
    assert queue_counts(ctx, deck).due == 4
    apply(ctx.store, [(deck.id, "p1-k1")], "suspend", day=today, at=ctx.now())
    apply(ctx.store, [(deck.id, "p1-q1")], "bury", day=today, at=ctx.now())
    queue = day_queue(ctx, deck)
    assert [item.id for item, _ in queue.due] == ["p1-k2", "p1-q2"]
    assert queue_counts(ctx, deck).due == 2 == open_review(ctx, [deck]).remaining
    clock.advance(timedelta(days=1))
    assert {item.id for item, _ in day_queue(ctx, deck).due} == {"p1-k2", "p1-q1", "p1-q2"}
    apply(ctx.store, [(deck.id, "p1-k1")], "unsuspend", day=ctx.today(), at=ctx.now())
    assert queue_counts(ctx, deck).due == 4


def test_forecasts_leave_out_what_the_queue_sets_aside(tmp_path: Path) -> None:
    """Four items overdue since yesterday; one suspended, one buried today. Today's forecast is
    the queue's due count, the suspended item is on no day, the buried one comes tomorrow: in
    the statistics, the home forecast and a session's summary alike."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=2, questions=2)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=2))
    today, tomorrow = ctx.today(), ctx.today() + timedelta(days=1)
    apply(ctx.store, [(deck.id, "p1-k1")], "suspend", day=today, at=ctx.now())
    apply(ctx.store, [(deck.id, "p1-q1")], "bury", day=today, at=ctx.now())
    assert queue_counts(ctx, deck).due == 2
    stats = compute_statistics(ctx, [deck])
    assert stats.forecast[:3] == ((today, 2), (tomorrow, 1), (tomorrow + timedelta(days=1), 0))
    assert sum(count for _, count in stats.forecast) == 3 and stats.backlog == 2
    assert forecast(ctx, [deck], days=3) == list(stats.forecast[:3])
    session = open_review(ctx, [deck], seed=1)
    while session.current is not None:
        answer(session, right=True)  # the two due items, out to six days
    summary = session.summary()
    assert (summary.due_tomorrow, summary.next_due) == (1, tomorrow)
    clock.advance(timedelta(days=1))  # the bury is over
    stats = compute_statistics(ctx, [deck])
    assert stats.forecast[0][1] == 1 == queue_counts(ctx, deck).due and stats.backlog == 1
    assert sum(count for _, count in stats.forecast) == 3  # p1-q1, then the two in five days


def test_set_aside_items_are_not_new_or_re_drilled_either(tmp_path: Path) -> None:
    """A suspended new item is not introduced; a suspended item graded 1 today is not
    re-drilled; the new-item budget goes to the next one."""
    ctx, _ = make_context(tmp_path, new_per_day=1)
    deck = make_deck(parts=1, key_points=3, questions=0)
    from quiztui.study import open_key_points

    open_key_points(ctx, deck, "p1")  # unlocks the key points as new items
    apply(ctx.store, [(deck.id, "p1-k1")], "suspend", day=ctx.today(), at=ctx.now())
    assert [item.id for item in day_queue(ctx, deck).new] == ["p1-k2"]
    session = open_review(ctx, [deck], seed=1)
    assert answer(session, right=False) == "p1-k2"
    assert queue_counts(ctx, deck).redrill == 1
    apply(ctx.store, [(deck.id, "p1-k2")], "suspend", day=ctx.today(), at=ctx.now())
    assert queue_counts(ctx, deck).redrill == 0


def test_an_action_on_several_items_is_undone_as_one(tmp_path: Path) -> None:
    """Suspending two items, then undo: both back, and the undo says what it took back."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=2, questions=0)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    targets = [(deck.id, "p1-k1"), (deck.id, "p1-k2")]
    apply(ctx.store, targets, "suspend", day=ctx.today(), at=ctx.now())
    assert queue_counts(ctx, deck).due == 0
    undone = undo_last(ctx.store, at=ctx.now())
    assert undone is not None and undone.description == "suspend of 2 items"
    assert queue_counts(ctx, deck).due == 2
    assert undo_last(ctx.store, at=ctx.now()) is None


def test_reset_makes_an_item_new_and_keeps_its_history(tmp_path: Path) -> None:
    """A learned item reset is new again (in the queue's new items), its answers stay logged."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=1, questions=0)
    study(ctx, deck, "p1")
    logged = len(ctx.store.reviews(deck.id))
    apply(ctx.store, [(deck.id, "p1-k1")], "reset", day=ctx.today(), at=ctx.now())
    assert ctx.store.state(deck.id, "p1-k1") is None
    assert len(ctx.store.reviews(deck.id)) == logged
    assert [item.id for item in day_queue(ctx, deck).new] == ["p1-k1"]


def test_the_daily_review_limit_keeps_the_most_overdue(tmp_path: Path) -> None:
    """reviews_per_day = 2: two of the four due items, most overdue first; after answering
    them, none is left for the day; the next day's limit starts afresh."""
    ctx, clock = make_context(tmp_path)
    ctx = replace(ctx, settings=replace(ctx.settings, reviews_per_day=2))
    deck = make_deck(parts=2, key_points=2, questions=0)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    study(ctx, deck, "p2")
    clock.advance(timedelta(days=1))
    queue = day_queue(ctx, deck)
    assert [item.id for item, _ in queue.due] == ["p1-k1", "p1-k2"]
    assert queue_counts(ctx, deck).due == 2
    session = open_review(ctx, [deck], seed=1)
    while session.current is not None:
        answer(session, right=True)
    assert queue_counts(ctx, deck).due == 0


def test_shuffle_off_keeps_the_written_order(tmp_path: Path) -> None:
    """shuffle_choices = false: every question shows its choices as written."""
    ctx, clock = make_context(tmp_path)
    ctx = replace(ctx, settings=replace(ctx.settings, shuffle_choices=False))
    deck = make_deck(parts=1, key_points=0, questions=3)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    session = open_review(ctx, [deck], seed=3)
    current = session.current
    assert current is not None and isinstance(current.item, Question)
    assert current.choice_order == ("a", "b", "c", "d")


def test_a_leech_is_suspended_and_told_once(tmp_path: Path) -> None:
    """Lapsing as often as the threshold says (here 2): a leech, suspended, told once; it no
    longer comes in the queue; a reset clears the leech."""
    ctx, clock = make_context(tmp_path)
    ctx = replace(ctx, settings=replace(ctx.settings, leech_threshold=2))
    deck = make_deck(parts=1, key_points=1, questions=0)
    study(ctx, deck, "p1")  # learned: graded 4
    for _ in range(2):
        clock.advance(timedelta(days=1))
        session = open_review(ctx, [deck], seed=1)
        answer(session, right=False)  # a lapse (graded 2)
        clock.advance(timedelta(days=1))
        session = open_review(ctx, [deck], seed=1)
        if session.current is not None:
            answer(session, right=True)
    marks = ctx.store.marks_of(deck.id, "p1-k1")
    assert marks.leech and marks.suspended
    assert ctx.store.lapses(deck.id) == {"p1-k1": 2}
    told = untold_leeches(ctx.store)
    assert [event.item_id for event in told] == ["p1-k1"]
    mark_told(ctx.store, told[0])
    assert untold_leeches(ctx.store) == []
    clock.advance(timedelta(days=30))
    assert queue_counts(ctx, deck).due == 0
    apply(ctx.store, [(deck.id, "p1-k1")], "reset", day=ctx.today(), at=ctx.now())
    marks = ctx.store.marks_of(deck.id, "p1-k1")
    assert not marks.leech and ctx.store.lapses(deck.id) == {}
