"""Checks and key points: what is recorded, what is scheduled, resuming, results and gain."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from deckfactory import make_context, make_deck, question

from quiztui.deck.model import Deck, Part
from quiztui.study import (
    Gain,
    QuestionComparison,
    deck_progress,
    mark_results_seen,
    open_check,
    open_key_points,
    part_results,
    queue_counts,
    unfinished_check,
)


def right(presented_item: object) -> frozenset[str]:
    """The correct picks for a presented question."""
    return presented_item.correct_choice_ids  # type: ignore[attr-defined,no-any-return]


WRONG = frozenset({"b"})


def test_pre_check_is_recorded_and_schedules_nothing(tmp_path: Path) -> None:
    """Pre answers are an attempt with each answer and its time; no item gets a state."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    session = open_check(ctx, deck, "p1", "pre", seed=1)
    assert [p.item.id for p in session.questions] == ["p1-q1", "p1-q2", "p1-q3", "p1-q4"]
    first = session.answer(right(session.current.item), 3.5)  # type: ignore[union-attr]
    assert first.correct and first.grade == 4
    for _ in range(3):
        session.answer(WRONG, 2.0)
    result = session.finish()
    assert (result.answered, result.correct, result.score) == (4, 1, 0.25)
    assert ctx.store.deck_states(deck.id) == {}
    rows = ctx.store.reviews(deck.id)
    assert [r.mode for r in rows] == ["pre"] * 4
    assert rows[0].seconds == 3.5 and rows[0].attempt_uid == session.attempt.uid


def test_post_check_is_the_first_review_and_confidence_regrades(tmp_path: Path) -> None:
    """Post answers schedule each question (1 or 4), and 3 / 5 amend the last right answer."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    session = open_check(ctx, deck, "p1", "post", seed=2)
    session.answer(right(session.current.item), 1.0)  # type: ignore[union-attr]
    assert session.can_set_confidence
    session.set_confidence(5)
    session.answer(WRONG, 1.0)
    assert not session.can_set_confidence
    with pytest.raises(ValueError):
        session.set_confidence(3)
    states = ctx.store.deck_states(deck.id)
    assert str(states["p1-q1"].state.easiness) == "2.60"  # graded 5
    assert str(states["p1-q2"].state.easiness) == "1.96"  # graded 1
    assert session.answers["p1-q1"].grade == 5


def test_choice_order_shuffles_but_respects_shuffle_off(tmp_path: Path) -> None:
    """Choices are shuffled per presentation unless the question forbids it."""
    ctx, _ = make_context(tmp_path)
    fixed = question("p1-q1", choices=("a", "b", "c", "d", "e", "f"), shuffle=False)
    loose = question("p1-q2", choices=("a", "b", "c", "d", "e", "f"))
    deck = Deck("x", "X", "1", (Part("p1", "P", questions=(fixed, loose)),))
    orders = set()
    for seed in range(8):
        session = open_check(ctx, deck, "p1", "pre", seed=seed, resume=False)
        assert session.questions[0].choice_order == ("a", "b", "c", "d", "e", "f")
        orders.add(session.questions[1].choice_order)
        assert sorted(session.questions[1].choice_order) == ["a", "b", "c", "d", "e", "f"]
    assert len(orders) > 1


def test_a_check_left_half_way_resumes_identically(tmp_path: Path) -> None:
    """Quit after two answers: reopening offers 2 answered, same questions and choice orders."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    first = open_check(ctx, deck, "p1", "post", seed=7)
    first.answer(WRONG, 1.0)
    first.answer(WRONG, 1.0)
    assert unfinished_check(ctx, deck, "p1", "post") == 2
    again = open_check(ctx, deck, "p1", "post", seed=99)
    assert again.resumed and again.position == 2
    assert again.questions == first.questions
    assert set(again.answers) == {"p1-q1", "p1-q2"}
    fresh = open_check(ctx, deck, "p1", "post", resume=False)
    assert not fresh.resumed and fresh.position == 0
    assert unfinished_check(ctx, deck, "p1", "post") is None


def test_results_compare_pre_and_post_with_hake_gain(tmp_path: Path) -> None:
    """Pre 1/4, post 3/4: plain change 0.5, normalized gain (0.75-0.25)/(1-0.25) = 2/3."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    for check, rights in (("pre", 1), ("post", 3)):
        session = open_check(ctx, deck, "p1", check, seed=3)
        for index in range(4):
            item = session.current.item  # type: ignore[union-attr]
            session.answer(right(item) if index < rights else WRONG, 1.0)
        session.finish()
    results = part_results(ctx, deck, "p1")
    gain = results.gain
    assert gain is not None and (gain.pre, gain.post) == (0.25, 0.75)
    assert gain.plain_change == pytest.approx(0.5)
    assert gain.normalized == pytest.approx(2 / 3)
    assert [q.id for q in results.to_revisit] == ["p1-q4"]
    assert results.questions[0] == QuestionComparison(deck.parts[0].questions[0], True, True)
    assert results.questions[1].pre_correct is False and results.questions[1].post_correct


def test_gain_is_undefined_for_a_perfect_pre_score() -> None:
    """(post - pre) / (1 - pre) has no meaning when pre is 100%."""
    assert Gain(("q",), 1.0, 1.0).normalized is None
    assert Gain(("q",), 0.5, 0.5).normalized == 0.0


def test_key_points_learn_unlock_undo_and_finish(tmp_path: Path) -> None:
    """Grading key points reviews them ("learn"); undo restores; all graded marks the step done."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    session = open_key_points(ctx, deck, "p1")
    assert [c.item.id for c in session.cards] == ["p1-k1", "p1-k2", "p1-k3"]
    session.grade(5, 2.0)
    # The ungraded key points of an opened step are new items in today's queue.
    assert queue_counts(ctx, deck).new == 2
    session.grade(2, 2.0)
    assert session.undo() and session.position == 1
    assert ctx.store.state(deck.id, "p1-k2") is None
    session.grade(4, 2.0)
    session.grade(3, 2.0)
    # Graded below 4: it comes back once the first pass is over (SM-2's step 7).
    assert session.first_pass_done and session.in_redrill and not session.finished
    assert session.current is not None and session.current.item.id == "p1-k3"
    assert deck_progress(ctx, deck).parts[0].key_points_done
    session.grade(4, 2.0)
    assert session.finished and session.current is None
    progress = deck_progress(ctx, deck).parts[0]
    assert progress.key_points_done and progress.next_step == "post"
    assert [r.mode for r in ctx.store.reviews(deck.id)] == ["learn"] * 3 + ["redrill"]
    # Taking back the re-drill brings the card back; taking back its grade undoes the step.
    assert session.undo() and session.in_redrill
    assert session.undo()
    progress = deck_progress(ctx, deck).parts[0]
    assert not progress.key_points_done and progress.next_step == "key_points"
    session.grade(5, 2.0)
    reopened = open_key_points(ctx, deck, "p1")
    assert reopened.position == 0, "nothing waits: a revisit starts from the first card"


def test_next_step_walks_through_a_part(tmp_path: Path) -> None:
    """pre -> key points -> post -> results -> done; a skipped pre-check is not insisted on."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck()

    def step(part: int = 0) -> str:
        return deck_progress(ctx, deck).parts[part].next_step

    assert step() == "pre"
    kp = open_key_points(ctx, deck, "p1")
    while not kp.finished:
        kp.grade(4, 1.0)
    assert step() == "post"
    post = open_check(ctx, deck, "p1", "post", seed=1)
    while not post.finished:
        post.answer(right(post.current.item), 1.0)  # type: ignore[union-attr]
    post.finish()
    assert step() == "results"
    mark_results_seen(ctx, deck, "p1")
    assert step() == "done" and step(1) == "pre"
    bare = Deck("bare", "B", "1", (Part("p", "P", questions=(question("q"),)),))
    assert deck_progress(ctx, bare).parts[0].next_step == "pre"
    no_pre = Deck("np", "N", "1", (Part("p", "P", questions=(question("q", checks=("post",)),)),))
    assert deck_progress(ctx, no_pre).parts[0].next_step == "post"
    progress = deck_progress(ctx, deck).parts[0]
    assert (progress.learned, progress.total, progress.post_score) == (7, 7, 1.0)
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, deck).due == 7
