"""A whole part as a learner goes through it, from the home screen, by keys alone.

Home → deck → pre-reading check → its review → results → key points → post-reading check →
results, checking at each step what is on screen and what the store recorded; then quitting in
the middle of the next part's check and resuming it in a new app on the same store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.widgets import OptionList

from quiztui.deck.model import Deck
from quiztui.study import StudyContext, deck_progress, part_results
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.screens.deck import DeckScreen
from quiztui.tui.screens.key_points import KeyPointsScreen
from quiztui.tui.screens.results import ResultsScreen
from tests.tui.conftest import AppFactory, settle
from tests.tui.test_check_flow import answer

ScreenText = Callable[[App[object]], str]


def highlighted_step(app: QuiztuiApp) -> str | None:
    """The option id under the deck screen's cursor."""
    option = app.screen.query_one("#steps", OptionList).highlighted_option
    return None if option is None else option.id


async def test_a_whole_part_by_keys(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # open the only deck
        await settle(app, pilot)
        assert isinstance(app.screen, DeckScreen)
        assert highlighted_step(app) == "pre:light"

        # Pre-reading check: two right, three wrong; nothing shown until the end.
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckScreen) and app.screen.check == "pre"
        for right in (True, False, True, False, False):
            await answer(pilot, app, right)
            assert "Right" not in screen_text(app) and "Wrong" not in screen_text(app)
        # The review of every answer, then the results.
        assert "2 of 5 right" in screen_text(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert "40%" in screen_text(app)
        assert ctx.store.latest_finished_attempt(study_deck.id, "light", "pre") is not None
        assert ctx.store.deck_states(study_deck.id) == {}  # the pre-check schedules nothing

        # Back on the deck, the cursor has moved on to the key points.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeckScreen)
        assert highlighted_step(app) == "key_points:light"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KeyPointsScreen)
        await pilot.press("space", "5")
        await settle(app, pilot)
        assert "every key point graded" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)

        # Post-reading check: four right, one wrong, feedback at once.
        assert isinstance(app.screen, DeckScreen)
        assert highlighted_step(app) == "post:light"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckScreen) and app.screen.check == "post"
        for index, right in enumerate((True, True, False, True, True)):
            await answer(pilot, app, right)
            assert ("✓ Right" if right else "✗ Wrong") in screen_text(app)
            if index < 4:
                await pilot.press("enter")
                await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        text = screen_text(app)
        assert "40%" in text and "80%" in text and "+40 pts" in text
        assert "0.67" in text  # Hake's gain: (0.8 - 0.4) / (1 - 0.4)

        results = part_results(ctx, study_deck, "light")
        assert results.gain is not None and (results.gain.pre, results.gain.post) == (0.4, 0.8)
        # Every post answer was the question's first review; the key point was learned.
        states = ctx.store.deck_states(study_deck.id)
        assert set(states) == {q.id for q in study_deck.part("light").questions} | {
            "kp-chlorophyll"
        }
        await pilot.press("escape")
        await settle(app, pilot)
        progress = deck_progress(ctx, study_deck).parts[0]
        assert progress.next_step == "done"
        assert highlighted_step(app) == "key_points:roots"


async def test_quitting_mid_check_and_resuming(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "n")  # open the deck, then its next step: the pre-check
        await settle(app, pilot)
        assert isinstance(app.screen, CheckScreen)
        await answer(pilot, app, True)
        await answer(pilot, app, False)
        asked = [p.item.id for p in app.screen.session.questions]
        await pilot.press("q")  # quit at once: both answers are already committed
    assert len(ctx.store.reviews(study_deck.id)) == 2

    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "after 2 of 5 questions" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CheckScreen)
        assert [p.item.id for p in screen.session.questions] == asked
        assert "Question 3 of 5" in screen_text(app)
