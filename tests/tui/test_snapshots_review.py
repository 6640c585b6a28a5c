"""How a revealed flashcard and a review summary look at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deckfactory import make_deck

from quiztui.days import FixedClock
from quiztui.deck.model import Deck, KeyPoint, Part
from quiztui.study import StudyContext
from quiztui.tui.screens.key_points import KeyPointsScreen
from quiztui.tui.screens.review import ReviewScreen
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import AppFactory, settle
from tests.tui.test_review_screen import study_part

PHOTOSYNTHESIS = KeyPoint(
    id="kp-equation",
    front="What goes **in** and what comes **out** of photosynthesis?",
    back="Carbon dioxide and water go in; sugar and oxygen come out.",
    explanation="Light provides the energy that splits water and builds sugar.",
    section="1.3",
)


def test_revealed_flashcard(snap_compare: Any, ctx: StudyContext, make_app: AppFactory) -> None:
    """The front, the back under an "Answer" rule, the explanation, the section, the grades."""
    deck = Deck(
        id="plants",
        title="Plants",
        version="1",
        parts=(Part(id="light", title="Part 1: Light", key_points=(PHOTOSYNTHESIS,)),),
    )
    app = make_app(ctx)

    async def revealed(pilot: Any) -> None:
        await settle(app, pilot)
        await app.push_screen(KeyPointsScreen(deck, "light"))
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=revealed)


def test_review_summary(
    snap_compare: Any, ctx: StudyContext, clock: FixedClock, make_app: AppFactory
) -> None:
    """After a key point, a wrong answer, a right one and the re-drill: the session's numbers."""
    deck = make_deck(parts=1, key_points=1, questions=2)
    study_part(ctx, deck, "p1")
    clock.advance(timedelta(days=1))
    app = make_app(ctx)

    async def reviewed(pilot: Any) -> None:
        await settle(app, pilot)
        screen = ReviewScreen([deck])
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("space", "4")
        for right in (False, True, True):
            await pilot.pause()
            view = screen.item_view
            assert isinstance(view, QuestionView)
            number = next(row.number for row in view.rows if row.choice.correct == right)
            await pilot.press(str(number))
            await pilot.pause()
            await pilot.press("enter")
        await pilot.pause()
        assert screen.phase == "done"

    assert snap_compare(app, terminal_size=(80, 24), run_before=reviewed)
