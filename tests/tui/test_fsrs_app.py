"""The app with FSRS chosen: grades go through FSRS and its learning steps come back on screen."""

from __future__ import annotations

from dataclasses import replace

from deckfactory import make_deck
from textual.widgets import Static

from quiztui.scheduling import FsrsState
from quiztui.study import StudyContext
from quiztui.tui.screens.key_points import KeyPointsScreen
from quiztui.tui.widgets.flashcard import FlashCard
from tests.tui.conftest import AppFactory, settle


async def test_key_points_under_fsrs_come_back_until_fsrs_lets_them_go(
    ctx: StudyContext, make_app: AppFactory
) -> None:
    """Graded 4, a new card is on FSRS's 10-minute step: it comes back before the step ends;
    graded 5 (Easy) it graduates at once. Every state is FSRS's."""
    fsrs_ctx = StudyContext(ctx.store, ctx.clock, replace(ctx.settings, scheduler="fsrs"))
    deck = make_deck(parts=1, key_points=2, questions=0)
    app = make_app(fsrs_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(KeyPointsScreen(deck, "p1"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeyPointsScreen)
        await pilot.press("space", "4", "space", "5")
        await pilot.pause()
        assert "Again today" in str(screen.query_one("#key-points-status", Static).render())
        assert screen.query_one(FlashCard).key_point.id == "p1-k1"
        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.card is None
    graded = [(r.item_id, r.mode, r.grade) for r in ctx.store.reviews(deck.id)]
    assert graded == [("p1-k1", "learn", 4), ("p1-k2", "learn", 5), ("p1-k1", "redrill", 4)]
    states = [ctx.store.state(deck.id, kp) for kp in ("p1-k1", "p1-k2")]
    assert all(s is not None and isinstance(s.state, FsrsState) for s in states)
    assert all(s is not None and s.state.interval >= 1 for s in states)
