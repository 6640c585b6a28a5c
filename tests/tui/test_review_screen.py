"""Reviews and practice, driven with Pilot at 80x24: answers, re-drills, confidence, undo."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from deckfactory import make_deck
from textual import events
from textual.widgets import Static

from quiztui.days import FixedClock
from quiztui.deck.model import Deck, Question
from quiztui.store.records import StoredState
from quiztui.study import StudyContext, open_check, open_key_points
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.review import PracticeSpec, ReviewScreen
from quiztui.tui.widgets.flashcard import FlashCard
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import AppFactory, settle


def study_part(ctx: StudyContext, deck: Deck, part_id: str) -> None:
    """Through the core: grade the part's key points 4, then a post-check answered all right."""
    key_points = open_key_points(ctx, deck, part_id)
    while not key_points.finished:
        key_points.grade(4, 1.0)
    post = open_check(ctx, deck, part_id, "post", seed=0)
    while post.current is not None:
        question = post.current.item
        assert isinstance(question, Question)
        post.answer(question.correct_choice_ids, 1.0)
    post.finish()


def studied_deck(ctx: StudyContext, clock: FixedClock, *, days_later: int = 1) -> Deck:
    """A one-part deck (k1, q1, q2) studied today, with the clock moved on `days_later` days."""
    deck = make_deck(parts=1, key_points=1, questions=2)
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=days_later))
    return deck


def states(ctx: StudyContext, deck: Deck) -> dict[str, StoredState | None]:
    """Every item's stored state, by item id."""
    return {item.id: ctx.store.state(deck.id, item.id) for item in deck.items()}


def enabled_binding_ids(app: QuiztuiApp) -> set[str]:
    """The ids of the bindings that apply right now."""
    return {
        active.binding.id
        for active in app.screen.active_bindings.values()
        if active.enabled and active.binding.id
    }


def text(screen: Any, selector: str) -> str:
    """The plain text of a Static."""
    return str(screen.query_one(selector, Static).render())


def panel_text(screen: ReviewScreen) -> str:
    """The plain text of the end panel (summary or empty state)."""
    return str(screen.query_one(".review-panel", Static).render())


def choice_key(screen: ReviewScreen, *, right: bool) -> str:
    """The number key of the right (or of a wrong) choice of the question on screen."""
    view = screen.item_view
    assert isinstance(view, QuestionView)
    for row in view.rows:
        if row.choice.correct == right:
            return str(row.number)
    raise AssertionError("no such choice")


async def open_screen(app: QuiztuiApp, pilot: Any, screen: ReviewScreen) -> ReviewScreen:
    """Push the review screen once the home screen's loader is done."""
    await settle(app, pilot)
    await app.push_screen(screen)
    await pilot.pause()
    assert app.screen is screen
    return screen


async def answer(pilot: Any, screen: ReviewScreen, *, right: bool) -> None:
    """Answer the question on screen, right or wrong."""
    await pilot.press(choice_key(screen, right=right))
    await pilot.pause()


async def test_a_wrong_answer_comes_back_as_a_redrill_that_changes_no_state(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        assert "Review · 3 left" in text(screen, "#review-header")
        # The key point: Space, then a grade.
        card = screen.item_view
        assert isinstance(card, FlashCard) and card.key_point.id == "p1-k1"
        logged = len(ctx.store.reviews(deck.id))
        ids = enabled_binding_ids(app)
        assert "flashcard.reveal" in ids and "flashcard.grade-4" not in ids
        await pilot.press("4")  # no grade before the back is shown
        assert len(ctx.store.reviews(deck.id)) == logged and not card.revealed
        await pilot.press("space")
        assert card.revealed
        ids = enabled_binding_ids(app)
        assert "flashcard.grade-4" in ids and "flashcard.reveal" not in ids
        await pilot.press("4")
        await pilot.pause()
        # q1 wrong: feedback, no confidence keys, Enter goes on.
        view = screen.item_view
        assert isinstance(view, QuestionView) and view.question.id == "p1-q1"
        await answer(pilot, screen, right=False)
        assert view.answered
        assert "Not quite" in text(screen, "#review-status")
        ids = enabled_binding_ids(app)
        assert "review.next" in ids
        assert not {"confidence.guessed", "confidence.knew-it"} & ids
        after_wrong = ctx.store.state(deck.id, "p1-q1")
        assert after_wrong is not None and after_wrong.state.repetitions == 0
        await pilot.press("enter")
        await pilot.pause()
        # q2 right, then the re-drill of q1, marked in the header.
        await answer(pilot, screen, right=True)
        await pilot.press("n")
        await pilot.pause()
        redrill = screen.item_view
        assert isinstance(redrill, QuestionView) and redrill.question.id == "p1-q1"
        assert redrill.presented.is_redrill
        header = text(screen, "#review-header")
        # The one left is the re-drill on screen: "of them" counts it.
        assert header == "Review · 1 left · 1 of them again today · this one: graded below 4"
        await answer(pilot, screen, right=True)
        await pilot.press("space")
        await pilot.pause()
        # The re-drill is logged as such and leaves the state as the wrong answer set it.
        q1_log = [(r.mode, r.correct) for r in ctx.store.reviews(deck.id, item_id="p1-q1")]
        assert q1_log[-2:] == [("review", False), ("redrill", True)]
        assert ctx.store.state(deck.id, "p1-q1") == after_wrong
        # The summary: 4 answered, 3 right, 1 re-drilled, q1 due tomorrow.
        summary = panel_text(screen)
        assert "Answered      4" in summary
        assert "Right         3  (75%)" in summary
        assert "Re-drilled    1" in summary
        assert "Due tomorrow  1" in summary
        assert "Next due      tomorrow" in summary
        assert "review.done" in enabled_binding_ids(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_guessed_brings_a_right_answer_back_and_knew_it_lengthens_the_interval(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        await pilot.press("space", "5")
        await answer(pilot, screen, right=True)  # q1
        ids = enabled_binding_ids(app)
        assert {"confidence.guessed", "confidence.knew-it", "review.next"} <= ids
        assert not any(i.startswith("flashcard.grade-") for i in ids)
        await pilot.press("3")
        assert "guessed" in text(screen, "#review-status")
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, screen, right=True)  # q2
        await pilot.press("5", "enter")
        await pilot.pause()
        # q1 comes back because it was guessed.
        view = screen.item_view
        assert isinstance(view, QuestionView) and view.question.id == "p1-q1"
        assert view.presented.is_redrill
        await answer(pilot, screen, right=True)
        await pilot.press("enter")
        await pilot.pause()
        grades = [(r.item_id, r.mode, r.grade) for r in ctx.store.reviews(deck.id)][-4:]
        assert grades == [
            ("p1-k1", "review", 5),
            ("p1-q1", "review", 3),
            ("p1-q2", "review", 5),
            ("p1-q1", "redrill", 4),
        ]
        q2 = ctx.store.state(deck.id, "p1-q2")
        q1 = ctx.store.state(deck.id, "p1-q1")
        assert q1 is not None and q2 is not None
        assert q2.state.easiness_hundredths > q1.state.easiness_hundredths
        summary = panel_text(screen)
        assert "Answered      4" in summary and "Re-drilled    1" in summary
        assert "Right         4  (100%)" in summary


async def test_undo_twice_restores_the_states_and_the_cards_exactly(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock)
    before = states(ctx, deck)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        assert "review.undo" not in enabled_binding_ids(app)
        await pilot.press("space", "2")  # k1 graded 2: a re-drill queued
        await pilot.pause()
        first_question = screen.item_view
        assert isinstance(first_question, QuestionView)
        order = first_question.presented.choice_order
        await answer(pilot, screen, right=True)
        await pilot.press("5")
        assert states(ctx, deck) != before
        assert "review.undo" in enabled_binding_ids(app)
        # First undo: the question comes back unanswered, in the same order.
        await pilot.press("u")
        await pilot.pause()
        view = screen.item_view
        assert isinstance(view, QuestionView) and not view.answered
        assert view.question.id == "p1-q1" and view.presented.choice_order == order
        # Second undo: the key point comes back front up; every state is as before.
        await pilot.press("u")
        await pilot.pause()
        card = screen.item_view
        assert isinstance(card, FlashCard) and not card.revealed
        assert card.key_point.id == "p1-k1"
        assert states(ctx, deck) == before
        assert [r.mode for r in ctx.store.reviews(deck.id) if r.mode != "learn"] == ["post"] * 2
        assert "Review · 3 left" in text(screen, "#review-header")
        assert "review.undo" not in enabled_binding_ids(app)
        # And the session goes on from there, without the undone re-drill.
        await pilot.press("space", "4")
        await pilot.pause()
        for right in (True, True):
            await answer(pilot, screen, right=right)
            await pilot.press("enter")
            await pilot.pause()
        assert "Answered      3" in panel_text(screen)
        assert "Re-drilled    0" in panel_text(screen)


async def test_nothing_due_says_when_the_next_items_are(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock, days_later=0)  # studied today: due tomorrow
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        assert screen.item_view is None
        empty = panel_text(screen)
        assert "Nothing is due right now" in empty and "due tomorrow" in empty
        assert "nothing due" in text(screen, "#review-header")
        ids = enabled_binding_ids(app)
        assert "review.done" in ids and "review.undo" not in ids
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_nothing_studied_says_how_items_join_the_reviews(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        empty = panel_text(screen)
        assert "nothing is scheduled yet" in empty and "post-reading check" in empty
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_practice_is_logged_but_never_changes_a_state(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock, days_later=0)
    before = states(ctx, deck)
    app = make_app(ctx)
    spec = PracticeSpec(deck, "p1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(
            app, pilot, ReviewScreen([deck], title="Practice", practice=spec)
        )
        assert "never changes your schedule" in text(screen, "#review-header")
        wrong_once = False
        for _ in range(10):
            view = screen.item_view
            if view is None:
                break
            if isinstance(view, FlashCard):
                await pilot.press("space", "4" if view.presented.is_redrill else "1")
            else:
                await answer(pilot, screen, right=wrong_once)
                wrong_once = True
                await pilot.press("enter")
            await pilot.pause()
        modes = {r.mode for r in ctx.store.reviews(deck.id) if r.mode not in ("learn", "post")}
        assert modes == {"practice"}
        assert states(ctx, deck) == before
        summary = panel_text(screen)
        assert "never change when items are due" in summary
        assert "Re-drilled    2" in summary  # the key point graded 1 and the wrong question
        assert "Practice" in text(screen, "#review-header")


async def test_practising_wrong_answers_with_none_wrong_says_so(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    deck = studied_deck(ctx, clock, days_later=0)
    app = make_app(ctx)
    spec = PracticeSpec(deck, None, wrong_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck], practice=spec))
        assert "No question's latest answer is wrong" in panel_text(screen)
        assert ctx.store.reviews(deck.id, item_id="p1-q1")[-1].mode == "post"


async def test_r_on_home_reviews_every_deck_and_names_each_items_deck(
    ctx: StudyContext,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    second = make_deck("second", parts=1, key_points=1, questions=1)
    study_part(ctx, study_deck, "light")
    study_part(ctx, second, "p1")
    clock.advance(timedelta(days=1))
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert [deck.id for deck in screen.decks] == ["study-deck"]
        assert "Review · 6 left" in text(screen, "#review-header")
        await pilot.press("escape")
        await pilot.pause()
        # Across two decks, each item says which deck it comes from.
        screen = await open_screen(app, pilot, ReviewScreen([study_deck, second]))
        assert "Review · 8 left" in text(screen, "#review-header")
        card = screen.item_view
        assert isinstance(card, FlashCard)
        assert card.heading == card.presented.deck.title
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        assert [r.mode for r in ctx.store.reviews(study_deck.id)].count("review") == 0


async def test_keys_typed_faster_than_the_screen_draws_are_all_taken(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    """A digit and Enter arriving together (a fast typist, a paste, tmux sending both) answer
    the question and go on: the Enter is not lost while the answer is on its way."""
    deck = studied_deck(ctx, clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        await pilot.press("space", "4")
        await pilot.pause()
        view = screen.item_view
        assert isinstance(view, QuestionView) and view.question.id == "p1-q1"
        for key, character in ((choice_key(screen, right=True), None), ("enter", None)):
            app.post_message(events.Key(key, character or (key if len(key) == 1 else None)))
        await pilot.pause()
        await settle(app, pilot)
        await pilot.pause()
        latest = ctx.store.reviews(deck.id, item_id="p1-q1")[-1]
        assert (latest.mode, latest.correct) == ("review", True)
        shown = screen.item_view
        assert isinstance(shown, QuestionView) and shown.question.id == "p1-q2"
        assert not shown.answered
