"""The key points step, driven with Pilot at 80x24: reveal, SM-2 grades 0-5, undo, the end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deckfactory import make_deck
from textual.widgets import Static

from quiztui.deck.model import Deck
from quiztui.sm2 import GRADE_MEANINGS
from quiztui.study import StudyContext
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.key_points import KeyPointsScreen
from quiztui.tui.widgets.flashcard import FlashCard
from tests.tui.conftest import AppFactory, settle


def enabled_binding_ids(app: QuiztuiApp) -> set[str]:
    """The ids of the bindings the footer offers right now (disabled and hidden ones left out)."""
    return {
        active.binding.id
        for active in app.screen.active_bindings.values()
        if active.enabled and active.binding.id
    }


def status(screen: Any) -> str:
    """The plain text of the screen's status line."""
    return str(screen.query_one("#key-points-status", Static).render())


async def open_screen(app: QuiztuiApp, pilot: Any, deck: Deck, part_id: str) -> KeyPointsScreen:
    """Push the key points screen once the home screen's loader is done."""
    await settle(app, pilot)
    await app.push_screen(KeyPointsScreen(deck, part_id))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, KeyPointsScreen)
    return screen


async def test_a_full_pass_logs_learn_grades_and_marks_the_step_done(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1, key_points=3, questions=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        assert "Card 1 of 3" in status(screen)
        card = screen.query_one(FlashCard)
        assert card.key_point.id == "p1-k1" and not card.revealed
        assert GRADE_MEANINGS[5] not in card.plain_text()
        # Before the reveal only Space applies: grade keys are hidden and do nothing.
        ids = enabled_binding_ids(app)
        assert "flashcard.reveal" in ids
        assert not any(i.startswith("flashcard.grade-") for i in ids)
        assert "key_points.undo" not in ids and "key_points.done" not in ids
        await pilot.press("4")
        assert ctx.store.reviews(deck.id) == []
        # Space shows the back; now the six grades apply and Space does not.
        await pilot.press("space")
        assert card.revealed
        shown = card.plain_text()
        # Each grade key shows the interval it would give: a new card passed is due in a day,
        # one failed comes back later in this pass.
        for grade, meaning in GRADE_MEANINGS.items():
            when = "1d   " if grade >= 4 else "today"
            assert f"{grade} · {when} {meaning}" in shown, shown
        assert "Answer" in shown
        ids = enabled_binding_ids(app)
        assert {f"flashcard.grade-{g}" for g in range(6)} <= ids
        assert "flashcard.reveal" not in ids
        await pilot.press("4")
        assert "Card 2 of 3" in status(screen)
        assert not screen.query_one(FlashCard).revealed
        assert "key_points.undo" in enabled_binding_ids(app)
        await pilot.press("space", "2", "space", "5")
        await pilot.pause()
        graded = [(r.item_id, r.mode, r.grade) for r in ctx.store.reviews(deck.id)]
        assert graded == [("p1-k1", "learn", 4), ("p1-k2", "learn", 2), ("p1-k3", "learn", 5)]
        assert "key_points_done" in ctx.store.steps(deck.id)["p1"]
        # The card graded 2 comes back before the step ends, until it is graded 4 or more.
        assert "Again today" in status(screen)
        assert screen.query_one(FlashCard).key_point.id == "p1-k2"
        await pilot.press("space", "3", "space", "4")
        await pilot.pause()
        graded = [(r.item_id, r.mode, r.grade) for r in ctx.store.reviews(deck.id)][3:]
        assert graded == [("p1-k2", "redrill", 3), ("p1-k2", "redrill", 4)]
        # Every card now has an SM-2 state, due tomorrow.
        tomorrow = ctx.today() + timedelta(days=1)
        for item_id in ("p1-k1", "p1-k2", "p1-k3"):
            stored = ctx.store.state(deck.id, item_id)
            assert stored is not None and stored.state.due == tomorrow
        # The done panel: the cards join the daily reviews; Enter goes back.
        assert screen.card is None and not screen.query_one(FlashCard).display
        done = str(screen.query_one("#key-points-done", Static).render())
        assert "graded all 3 cards" in done and "daily reviews" in done
        assert "key_points.done" in enabled_binding_ids(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, KeyPointsScreen)


async def test_undo_takes_grades_back_and_shows_those_cards_front_up(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1, key_points=3, questions=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        await pilot.press("space", "3", "space", "1")
        assert [r.item_id for r in ctx.store.reviews(deck.id)] == ["p1-k1", "p1-k2"]
        await pilot.press("u")
        await pilot.pause()
        assert [r.item_id for r in ctx.store.reviews(deck.id)] == ["p1-k1"]
        assert ctx.store.state(deck.id, "p1-k2") is None
        assert "Card 2 of 3" in status(screen)
        card = screen.query_one(FlashCard)
        assert card.key_point.id == "p1-k2" and not card.revealed
        await pilot.press("u")
        await pilot.pause()
        assert ctx.store.reviews(deck.id) == []
        assert ctx.store.state(deck.id, "p1-k1") is None
        assert "Card 1 of 3" in status(screen)
        # Nothing left to undo: the key is hidden and does nothing.
        assert "key_points.undo" not in enabled_binding_ids(app)
        await pilot.press("u")
        assert "Card 1 of 3" in status(screen)
        assert "key_points_done" not in ctx.store.steps(deck.id)["p1"]


async def test_undo_from_the_done_panel_returns_to_the_last_card(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1, key_points=2, questions=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        await pilot.press("space", "5", "space", "4")
        assert screen.query_one("#key-points-done").display and screen.card is None
        await pilot.press("u")
        await pilot.pause()
        assert not screen.query_one("#key-points-done").display
        assert screen.query_one(FlashCard).key_point.id == "p1-k2"
        assert "Card 2 of 2" in status(screen)
        assert [r.grade for r in ctx.store.reviews(deck.id)] == [5]


async def test_escape_leaves_and_reopening_continues_at_the_first_ungraded_card(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1, key_points=3, questions=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, deck, "p1")
        await pilot.press("space", "4", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeyPointsScreen)
        assert [r.item_id for r in ctx.store.reviews(deck.id)] == ["p1-k1"]
        screen = await open_screen(app, pilot, deck, "p1")
        assert "Card 2 of 3" in status(screen)
        assert screen.query_one(FlashCard).key_point.id == "p1-k2"


async def test_a_part_without_key_points_is_done_at_once(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    deck = make_deck(parts=1, key_points=0, questions=1)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        assert "no key points" in str(screen.query_one("#key-points-done", Static).render())
        assert "key_points_done" in ctx.store.steps(deck.id)["p1"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeyPointsScreen)


def test_grade_keys_are_sm2s_six_grades_with_ids() -> None:
    """One keymap entry per grade (flashcard.grade-0..5), each described by SM-2's meaning."""
    bindings = {b.id: b for b in KeyPointsScreen.BINDINGS if hasattr(b, "id")}
    for grade in range(6):
        binding = bindings[f"flashcard.grade-{grade}"]
        assert binding.key == str(grade)  # type: ignore[union-attr]
        assert binding.action == f"grade({grade})"  # type: ignore[union-attr]
    assert bindings["flashcard.reveal"].key == "space"  # type: ignore[union-attr]


async def test_a_card_repeated_in_the_step_shows_no_intervals_and_says_below_4(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    """A first pass marks the grades that bring the card back "today"; its repeat changes no
    schedule, so its keys show no intervals and the note says what a low grade does there."""
    deck = make_deck(parts=1, key_points=1, questions=0)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        await pilot.press("space")
        card = screen.query_one(FlashCard)
        assert 'A grade marked "today"' in card.plain_text()
        await pilot.press("2")
        await pilot.pause()
        card = screen.query_one(FlashCard)
        assert card.presented is not None and card.presented.is_redrill
        await pilot.press("space")
        shown = card.plain_text()
        assert "Below 4, the card comes back again" in shown and "· today" not in shown


async def test_a_card_back_for_another_go_says_so_once_before_and_after_the_reveal(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    """A card graded 2 comes back: the status line says "Again today" with the count, the card
    does not repeat it, and Space keeps that line (it does not turn into "Card 2 of 1")."""
    deck = make_deck(parts=1, key_points=1, questions=0)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, deck, "p1")
        await pilot.press("space", "2")
        await pilot.pause()
        card = screen.query_one(FlashCard)
        assert card.presented is not None and card.presented.is_redrill
        assert status(screen).startswith("Again today: graded below 4 · 1 to go")
        assert "Again today" not in card.plain_text()
        await pilot.press("space")
        assert status(screen).startswith("Again today: graded below 4 · 1 to go")
        assert "Grade 0-5" in status(screen) and "Card" not in status(screen)
        assert "Again today" not in card.plain_text()
