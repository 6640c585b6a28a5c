"""The day's queue, review sessions with re-drill and undo, practice, and the counts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from deckfactory import make_context, make_deck, question, with_question, without_item
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.deck.model import Deck, Question
from quiztui.study import (
    StudyContext,
    forecast,
    open_check,
    open_key_points,
    open_practice,
    open_review,
    queue_counts,
    streak,
    wrong_question_count,
)


def study_part(ctx: StudyContext, deck: Deck, part_id: str, grade: int = 4) -> None:
    """Go through a part's key points (graded `grade`) and its post-check, all right."""
    kp = open_key_points(ctx, deck, part_id)
    while not kp.finished:
        kp.grade(grade, 1.0)
    post = open_check(ctx, deck, part_id, "post", seed=0)
    while not post.finished:
        item = post.current.item  # type: ignore[union-attr]
        assert isinstance(item, Question)
        post.answer(item.correct_choice_ids, 1.0)
    post.finish()


def answer_current(session, right: bool = True, grade: int = 4) -> None:
    """Answer whatever is current: a question right or wrong, a key point with `grade`."""
    item = session.current.item
    if isinstance(item, Question):
        session.answer_question(item.correct_choice_ids if right else frozenset({"b"}), 1.0)
    else:
        session.grade_flashcard(grade, 1.0)


def test_unstudied_parts_stay_out_of_the_queue(tmp_path: Path) -> None:
    """Before a part is studied none of its items are new: they would spoil its checks."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    assert queue_counts(ctx, deck).new == 0
    open_check(ctx, deck, "p1", "pre", seed=0)
    assert queue_counts(ctx, deck).new == 0


def test_due_items_come_first_most_overdue_first(tmp_path: Path) -> None:
    """Items due earlier are asked first; counts equal what the session asks."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck()
    study_part(ctx, deck, "p1")  # 7 items due tomorrow
    clock.advance(timedelta(days=1))
    session = open_review(ctx, [deck], seed=1)
    for _ in range(7):
        answer_current(session)
    clock.advance(timedelta(days=1))
    study_part(ctx, deck, "p2")  # p2 due in 1 day; p1 items due in 6 days
    clock.advance(timedelta(days=7))
    counts = queue_counts(ctx, deck)
    session = open_review(ctx, [deck], seed=1)
    assert counts.due == session.remaining == 14
    order = []
    while session.current is not None:
        order.append(session.current.item.id)
        answer_current(session)
    assert order[:7] == [item.id for item in deck.parts[1].items()]  # overdue longest
    assert queue_counts(ctx, deck).due == 0


def test_new_items_are_capped_per_day_counting_those_already_seen(tmp_path: Path) -> None:
    """The daily limit counts new items already introduced today."""
    ctx, clock = make_context(tmp_path, new_per_day=2)
    deck = make_deck(key_points=5)
    open_key_points(ctx, deck, "p1")  # opened, nothing graded: 5 new
    assert queue_counts(ctx, deck).new == 2
    session = open_review(ctx, [deck], seed=0)
    assert session.remaining == 2
    answer_current(session, grade=5)
    assert queue_counts(ctx, deck).new == 1
    answer_current(session, grade=5)
    assert queue_counts(ctx, deck).new == 0
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, deck).new == 2


def test_redrill_until_four_changes_no_schedule_and_undo_restores(tmp_path: Path) -> None:
    """A wrong answer comes back after the queue; re-drills log but do not reschedule; undo."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=1, questions=1)
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    session = open_review(ctx, [deck], seed=3)
    first = session.current.item.id  # type: ignore[union-attr]
    answer_current(session, right=False, grade=1)
    after_fail = ctx.store.state(deck.id, first)
    assert session.redrills_waiting == 1  # the wrong one waits behind the queue
    answer_current(session, right=True, grade=4)
    assert session.current is not None and session.current.is_redrill
    assert session.redrills_waiting == 0  # it is on screen now
    assert session.current.item.id == first
    answer_current(session, right=False, grade=2)  # still below 4: again
    assert session.current.is_redrill and session.remaining == 1
    before_undo = (session.current, session.remaining)
    answer_current(session, right=True, grade=5)
    assert session.current is None
    assert ctx.store.state(deck.id, first) == after_fail
    assert session.undo()
    assert (session.current, session.remaining) == before_undo
    modes = [r.mode for r in ctx.store.reviews(deck.id) if r.item_id == first]
    assert modes[-2:] == ["review", "redrill"]
    summary = session.summary()
    assert (summary.answered, summary.redrilled) == (3, 1)


def test_confidence_three_sends_a_right_answer_to_redrill(tmp_path: Path) -> None:
    """Marking a right answer as guessed (3) makes it come back today; 5 takes that back."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=0, questions=2)
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    session = open_review(ctx, [deck], seed=0)
    answer_current(session)
    next_card = session.current
    session.set_confidence(3)
    assert session.remaining == 2 and session.current == next_card
    session.set_confidence(5)
    assert session.remaining == 1 and session.current == next_card


def test_several_undos_restore_every_state(tmp_path: Path) -> None:
    """Undoing all answers of a session brings back every item state exactly."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck()
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    before = ctx.store.live_states()
    session = open_review(ctx, [deck], seed=5)
    start = session.current
    for n in range(7):
        answer_current(session, right=n % 2 == 0, grade=n % 6)
    while session.undo():
        pass
    assert not session.can_undo and session.current == start
    assert ctx.store.live_states() == before


def test_practice_never_changes_the_schedule(tmp_path: Path) -> None:
    """Practice logs answers as 'practice' and leaves every state alone."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    study_part(ctx, deck, "p1")
    before = ctx.store.live_states()
    session = open_practice(ctx, deck, part_id="p1", seed=2)
    assert session.remaining == 7
    for _ in range(7):
        answer_current(session, right=False, grade=0)
    assert session.current is not None and session.current.is_redrill  # wrong ones come back
    while session.current is not None:
        answer_current(session, right=True, grade=5)
    assert ctx.store.live_states() == before
    assert {r.mode for r in ctx.store.reviews(deck.id)} >= {"practice"}


def test_wrong_questions_practice(tmp_path: Path) -> None:
    """Questions last answered wrong (after reading) are counted and practised."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1)
    post = open_check(ctx, deck, "p1", "post", seed=0)
    for index in range(4):
        item = post.current.item  # type: ignore[union-attr]
        post.answer(item.correct_choice_ids if index % 2 else frozenset({"b"}), 1.0)
    assert wrong_question_count(ctx, deck) == 2
    session = open_practice(ctx, deck, wrong_only=True, seed=0)
    ids = set()
    while session.current is not None and not session.current.is_redrill:
        ids.add(session.current.item.id)
        answer_current(session, right=True)
    assert ids == {"p1-q1", "p1-q3"}
    assert wrong_question_count(ctx, deck) == 0


def test_changed_answer_makes_a_question_new_and_removed_items_retire(tmp_path: Path) -> None:
    """A changed correct answer starts over as new; a removed item counts as retired."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1)
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, deck).due == 7
    edited = with_question(deck, question("p1-q1", correct=("c",)))
    counts = queue_counts(ctx, edited)
    assert (counts.due, counts.new, counts.learned) == (6, 1, 6)
    shrunk = without_item(deck, "p1-q2")
    assert queue_counts(ctx, shrunk).retired == 1
    assert len(ctx.store.reviews(deck.id, item_id="p1-q2")) == 1


def test_forecast_and_streak(tmp_path: Path) -> None:
    """The forecast counts items per coming day; the streak counts days with answers."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1)
    study_part(ctx, deck, "p1")
    days = forecast(ctx, [deck], days=3)
    today = ctx.today()
    assert days == [(today, 0), (today + timedelta(days=1), 7), (today + timedelta(days=2), 0)]
    assert streak(ctx) == 1
    clock.advance(timedelta(days=1))
    assert streak(ctx) == 1  # yesterday counts until today has an answer
    session = open_review(ctx, [deck], seed=0)
    answer_current(session)
    assert streak(ctx) == 2
    clock.advance(timedelta(days=2))
    assert streak(ctx) == 0


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.booleans()), max_size=25))
def test_sessions_over_days_keep_replay_exact(
    tmp_path_factory: pytest.TempPathFactory, plan: list[tuple[int, int, bool]]
) -> None:
    """Days of sessions with answers, confidence changes and undos: replay equals live."""
    ctx, clock = make_context(tmp_path_factory.mktemp("days"))
    deck = make_deck(parts=1)
    study_part(ctx, deck, "p1")
    for gap, grade, undo in plan:
        clock.advance(timedelta(days=gap, minutes=5))
        session = open_review(ctx, [deck], seed=grade)
        if session.current is None:
            continue
        answer_current(session, right=grade >= 3, grade=grade)
        if session.can_set_confidence and grade in (3, 5):
            session.set_confidence(grade)
        if undo:
            session.undo()
        assert ctx.store.rebuild_states() == ctx.store.live_states()
        for state in ctx.store.live_states().values():
            assert state.state.due > state.state.last_review  # type: ignore[operator]
    assert ctx.today() >= date(2024, 3, 4)
