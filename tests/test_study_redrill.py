"""SM-2's step 7, from the log: everything graded below 4 today comes back today, in every mode
that schedules, and still does after a restart, a crash or in a second session."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from deckfactory import make_context, make_deck

from quiztui.deck.model import Deck, Question
from quiztui.study import (
    StudyContext,
    open_check,
    open_key_points,
    open_review,
    queue_counts,
)


def study(ctx: StudyContext, deck: Deck, part_id: str) -> None:
    """Key points graded 4 and a post-check all right: every item of the part scheduled."""
    kp = open_key_points(ctx, deck, part_id)
    while not kp.finished:
        kp.grade(4, 1.0)
    post = open_check(ctx, deck, part_id, "post", seed=0)
    while (current := post.current) is not None:
        assert isinstance(current.item, Question)
        post.answer(current.item.correct_choice_ids, 1.0)
    post.finish()


def answer(session: object, *, right: bool, grade: int = 4) -> str:
    """Answer the current item of a review session; returns its id."""
    current = session.current  # type: ignore[attr-defined]
    item = current.item
    if isinstance(item, Question):
        picked = item.correct_choice_ids if right else frozenset({"d"})
        session.answer_question(picked, 1.0)  # type: ignore[attr-defined]
    else:
        session.grade_flashcard(grade if right else 2, 1.0)  # type: ignore[attr-defined]
    return str(item.id)


def test_re_drills_survive_closing_the_session(tmp_path: Path) -> None:
    """ "3 of them again today", quit, reopen: the three are still there, after the rest."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=3, questions=4)
    study(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    session = open_review(ctx, [deck], seed=1)
    assert session.remaining == 7
    failed = [answer(session, right=False) for _ in range(3)]
    assert session.redrills_waiting == 3 and session.remaining == 7
    del session  # the app closed (or crashed)
    assert queue_counts(ctx, deck).redrill == 3
    again = open_review(ctx, [deck], seed=2)
    assert again.remaining == 4 + 3, "the four not yet reviewed, then the three"
    while again.current is not None and not again.current.is_redrill:
        answer(again, right=True)
    redrilled = []
    while again.current is not None:
        redrilled.append(answer(again, right=True))
    assert redrilled == failed
    # The session that gave the repeats counts them, though an earlier one left them.
    assert again.summary().redrilled == 3
    assert queue_counts(ctx, deck).redrill == 0
    assert open_review(ctx, [deck]).current is None, "nothing left for today"
    assert [r.mode for r in ctx.store.reviews(deck.id)][-3:] == ["redrill"] * 3


def test_a_wrong_post_check_answer_comes_back_in_the_day_s_reviews(tmp_path: Path) -> None:
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=1, questions=2)
    kp = open_key_points(ctx, deck, "p1")
    kp.grade(5, 1.0)
    post = open_check(ctx, deck, "p1", "post", seed=0)
    wrong = post.current
    assert wrong is not None
    post.answer(frozenset({"d"}), 1.0)
    right = post.current
    assert right is not None and isinstance(right.item, Question)
    post.answer(right.item.correct_choice_ids, 1.0)
    post.set_confidence(3)  # "guessed": graded 3, below 4
    post.finish()
    session = open_review(ctx, [deck])
    assert session.current is not None and session.current.is_redrill
    assert session.remaining == 2
    assert {session.current.item.id} <= {wrong.item.id, right.item.id}


def test_a_key_point_left_before_its_repeat_comes_back_in_the_day_s_reviews(
    tmp_path: Path,
) -> None:
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=2, questions=1)
    kp = open_key_points(ctx, deck, "p1")
    kp.grade(1, 1.0)
    kp.grade(5, 1.0)
    assert kp.in_redrill  # and the learner leaves here
    assert queue_counts(ctx, deck).redrill == 1
    reopened = open_key_points(ctx, deck, "p1")
    assert reopened.in_redrill and reopened.current is not None
    assert reopened.current.item.id == "p1-k1", "the step goes straight to the repeat"
    session = open_review(ctx, [deck])
    first = session.current
    assert first is not None and first.item.id == "p1-k1" and first.is_redrill
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, deck).redrill == 0, "a new learning day starts afresh"


def test_practice_never_reveals_an_unseen_check(tmp_path: Path) -> None:
    """Practising a part whose checks were never taken asks nothing: it would show their
    answers. Once a check was taken, its questions (and only what was shown) are practised."""
    from quiztui.study import open_practice

    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=2, key_points=2, questions=3)
    assert open_practice(ctx, deck, part_id="p1").current is None
    assert open_practice(ctx, deck).current is None
    pre = open_check(ctx, deck, "p1", "pre", seed=0)
    while pre.current is not None:
        pre.answer(frozenset({"d"}), 1.0)
    pre.finish()
    session = open_practice(ctx, deck, seed=0)
    asked = set()
    while session.current is not None:
        asked.add(answer(session, right=True))
    assert asked == {"p1-q1", "p1-q2", "p1-q3"}
