"""The record of a part's checks: retakes never rewrite the baseline, and the last answer of a
check can be taken back until the next one is given."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from deckfactory import make_context, make_deck, question

from quiztui.deck.model import Deck, Part
from quiztui.study import StudyContext, check_history, deck_progress, open_check, part_results


def take(ctx: StudyContext, deck: Deck, check: str, rights: str, part: str = "p1") -> None:
    """A whole check: "r" right, "w" wrong, question by question in the order asked."""
    session = open_check(ctx, deck, part, check, seed=1, resume=False)  # type: ignore[arg-type]
    for verdict in rights:
        current = session.current
        assert current is not None
        item = current.item
        picked = item.correct_choice_ids if verdict == "r" else frozenset({"d"})  # type: ignore[union-attr]
        session.answer(picked, 1.0)
    session.finish()


def test_a_retaken_pre_check_never_becomes_the_baseline(tmp_path: Path) -> None:
    """Pre 25%, post 75%, then the pre-check again at 100% (its review had shown every
    answer): the gain still runs from 25%, and the retake is kept and named."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    take(ctx, deck, "pre", "rwww")
    take(ctx, deck, "post", "rrrw")
    take(ctx, deck, "pre", "rrrr")
    results = part_results(ctx, deck, "p1")
    assert results.gain is not None
    assert (results.gain.pre, results.gain.post) == (0.25, 0.75)
    assert results.gain.normalized == pytest.approx(2 / 3)
    assert [(a.label, a.score) for a in results.pre.attempts] == [
        ("first", 0.25),
        ("retake 1", 1.0),
    ]
    part = deck_progress(ctx, deck).parts[0]
    assert (part.pre_score, part.post_score) == (0.25, 0.75)
    assert part.gain is not None and part.gain.pre == 0.25


def test_the_gain_runs_to_the_latest_post_check_and_keeps_the_first(tmp_path: Path) -> None:
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    take(ctx, deck, "pre", "wwww")
    take(ctx, deck, "post", "rwww")
    take(ctx, deck, "post", "rrrr")
    history = check_history(ctx, deck, "p1", "post")
    assert [a.score for a in history.attempts] == [0.25, 1.0]
    results = part_results(ctx, deck, "p1")
    assert results.gain is not None and (results.gain.pre, results.gain.post) == (0.0, 1.0)
    assert results.to_revisit == ()


def test_pre_and_post_compare_the_same_questions(tmp_path: Path) -> None:
    """A 1-question pre-check and a 2-question post-check (the deck grew in between) compare
    over the one question both asked: no "-50 pts" from a question the pre-check never had."""
    ctx, _ = make_context(tmp_path)
    part = Part("p1", "P", (), (question("q1"), question("q2", checks=("post",))))
    deck = replace(make_deck(parts=1), parts=(part,))
    take(ctx, deck, "pre", "r")
    take(ctx, deck, "post", "rw")
    results = part_results(ctx, deck, "p1")
    assert results.gain is not None
    assert results.gain.question_ids == ("q1",)
    assert (results.gain.pre, results.gain.post, results.gain.plain_change) == (1.0, 1.0, 0.0)
    assert results.post.latest is not None and results.post.latest.score == 0.5


def test_the_last_answer_of_a_check_can_be_taken_back(tmp_path: Path) -> None:
    """Undone, its log row and its schedule go; the question is asked again; only the last
    answer, and only until the attempt is finished."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck()
    session = open_check(ctx, deck, "p1", "post", seed=1)
    first = session.current
    assert first is not None and not session.can_undo
    session.answer(frozenset({"d"}), 1.0)
    assert ctx.store.deck_states(deck.id).keys() == {first.item.id}
    again = session.undo()
    assert again.item.id == first.item.id and session.position == 0
    assert ctx.store.reviews(deck.id) == [] and ctx.store.deck_states(deck.id) == {}
    assert not session.can_undo, "one answer back, not two"
    while (current := session.current) is not None:
        session.answer(current.item.correct_choice_ids, 1.0)  # type: ignore[union-attr]
    assert session.can_undo, "the last answer of a post-check, until it is finished"
    session.finish()
    assert not session.can_undo
    with pytest.raises(RuntimeError):
        session.undo()
