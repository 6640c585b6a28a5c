"""Renames follow progress: a deck, a part or an item renamed with `renamed_from` keeps every
answer, score, step and schedule; what an edit retired is said once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from deckfactory import make_context, make_deck

from quiztui.deck.model import Deck, Question
from quiztui.study import (
    StudyContext,
    deck_progress,
    open_check,
    open_key_points,
    queue_counts,
)
from quiztui.study.renames import adopt_renames, retired_notice


def study(ctx: StudyContext, deck: Deck) -> None:
    """Pre-check (1 of 4 right), key points, post-check all right: part p1 done."""
    pre = open_check(ctx, deck, "p1", "pre", seed=0)
    first = True
    while (current := pre.current) is not None:
        assert isinstance(current.item, Question)
        pre.answer(current.item.correct_choice_ids if first else frozenset({"d"}), 1.0)
        first = False
    pre.finish()
    kp = open_key_points(ctx, deck, "p1")
    while not kp.finished:
        kp.grade(4, 1.0)
    post = open_check(ctx, deck, "p1", "post", seed=0)
    while (current := post.current) is not None:
        assert isinstance(current.item, Question)
        post.answer(current.item.correct_choice_ids, 1.0)
    post.finish()


def renamed(deck: Deck) -> Deck:
    """The deck as its author edited it: new deck id, part id and key point id."""
    part = deck.parts[0]
    key_point = replace(part.key_points[0], id="p1-card-one", renamed_from=("p1-k1",))
    question = replace(part.questions[0], id="p1-question-one", renamed_from=("p1-q1",))
    new_part = replace(
        part,
        id="basics",
        renamed_from=("p1",),
        key_points=(key_point, *part.key_points[1:]),
        questions=(question, *part.questions[1:]),
    )
    return replace(deck, id="renamed", renamed_from=(deck.id,), parts=(new_part, *deck.parts[1:]))


def test_a_renamed_deck_part_and_items_keep_their_progress(tmp_path: Path) -> None:
    ctx, clock = make_context(tmp_path)
    old = make_deck(parts=2, key_points=2, questions=4)
    study(ctx, old)
    before = deck_progress(ctx, old)
    new = renamed(old)
    adopted = adopt_renames(ctx, new)
    assert adopted.changed and set(adopted.items) == {"p1-card-one", "p1-question-one"}
    assert adopted.parts == ("basics",)
    after = deck_progress(ctx, new)
    part = after.parts[0]
    assert (part.pre_score, part.post_score) == (0.25, 1.0), "scores follow the part"
    assert part.key_points_done and part.results_seen == before.parts[0].results_seen
    assert (part.learned, part.total) == (before.parts[0].learned, before.parts[0].total)
    states = ctx.store.deck_states("renamed")
    assert "p1-card-one" in states and "p1-k1" not in states
    assert ctx.store.deck_states(old.id) == {}
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, new).due == before.parts[0].total, "due as they were"
    again = adopt_renames(ctx, new)
    assert not again.changed, "adopting twice moves nothing"
    trace = ctx.store._read("SELECT kind, old_id, new_id FROM renames ORDER BY id")
    assert ("deck", old.id, "renamed") in trace and ("item", "p1-k1", "p1-card-one") in trace


def test_an_edit_that_retires_studied_items_is_told_once(tmp_path: Path) -> None:
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=2, questions=2)
    study(ctx, deck)
    assert retired_notice(ctx, deck) is None
    part = deck.parts[0]
    edited = replace(deck, parts=(replace(part, key_points=part.key_points[1:]),))
    notice = retired_notice(ctx, edited)
    assert notice is not None and "p1-k1" in notice and "renamed_from" in notice
    assert retired_notice(ctx, edited) is None, "once"
    assert ctx.store.reviews(deck.id, item_id="p1-k1"), "the history is kept"
