"""Each grade key says when the card comes back, and pressing it schedules exactly that."""

from __future__ import annotations

from datetime import timedelta

from quiztui.days import FixedClock
from quiztui.study import StudyContext
from quiztui.tui.screens.review import ReviewScreen
from quiztui.tui.widgets.flashcard import FlashCard
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import AppFactory
from tests.tui.test_review_screen import answer, open_screen, studied_deck, text


async def test_review_keys_show_the_interval_they_give(
    ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    """A card learned yesterday: every passing grade shows 6d, a fail "today" (it comes back
    later in the session); pressing 5 makes it due in 6 days. A right answer says "4 · 6d"
    and what 3 ("today": a guess comes back) and 5 would give; a re-drill shows no intervals
    (it changes no schedule)."""
    deck = studied_deck(ctx, clock)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(app, pilot, ReviewScreen([deck]))
        card = screen.item_view
        assert isinstance(card, FlashCard)
        await pilot.press("space")
        shown = card.plain_text()
        assert "5 · 6d    perfect" in shown and "2 · today wrong" in shown
        assert 'A grade marked "today" brings the card back' in shown
        assert "012345 Grade" in str(screen.query_one(KeyBar).render())
        await pilot.press("5")
        await pilot.pause()
        state = ctx.store.state(deck.id, "p1-k1")
        assert state is not None and state.state.due == ctx.today() + timedelta(days=6)
        await answer(pilot, screen, right=True)
        status = text(screen, "#review-status")
        assert "Right (4 · 6d)" in status and "3 guessed · today" in status
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, screen, right=False)
        assert "Not quite (1 · today)" in text(screen, "#review-status")
        await pilot.press("enter")
        await pilot.pause()
        view = screen.item_view
        assert isinstance(view, QuestionView) and view.presented is not None
        assert view.presented.is_redrill and screen.question_intervals == {}
