"""The mouse works too: a click opens a deck, picks a choice, and presses a dialog's button."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from quiztui.deck.model import Deck
from quiztui.study import StudyContext, open_check
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.screens.deck import DeckScreen
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import AppFactory, settle


async def test_clicks_open_a_deck_and_answer_a_question(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        # A click on the highlighted row of the deck table opens it, as Enter does.
        await pilot.click("#decks", offset=(4, 1))
        await settle(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen)

        await app.push_screen(CheckScreen(study_deck, "light", "post"))
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        target = next(row for row in view.rows if row.choice.correct)
        span = view.page.span(target.key)
        assert span is not None, "the page has drawn the choice"
        await pilot.click(view.page, offset=(12, span[0]))
        await pilot.pause()
        assert ctx.store.reviews(study_deck.id) == [], "a first click only selects"
        assert view.selected == target.number - 1
        await pilot.click(view.page, offset=(12, span[0]))
        await pilot.pause()
        answers = ctx.store.reviews(study_deck.id)
        assert len(answers) == 1
        assert answers[0].correct is True
        assert set(answers[0].picked) == {target.choice.id}


async def test_a_click_answers_the_resume_dialog(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    session = open_check(ctx, study_deck, "light", "post", seed=5)
    first = session.current
    assert first is not None
    session.answer(frozenset({first.choice_order[0]}), 1.0)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(DeckScreen(study_deck))
        await settle(app, pilot)
        await pilot.pause()
        app.screen.open("post:light")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#no")  # start over
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckScreen)
        assert screen.session is not None and not screen.session.resumed


async def test_a_click_selects_a_step_and_a_second_click_opens_it(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """A stray click never starts a check: the first click on a step only highlights it."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(DeckScreen(study_deck))
        await settle(app, pilot)
        steps = app.screen.query_one("#steps", OptionList)
        target = steps.get_option_index("post:light")
        assert steps.highlighted != target
        offset = (6, target + 1)  # one line per option, under the list's top border
        await pilot.click("#steps", offset=offset)
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen) and steps.highlighted == target
        await pilot.click("#steps", offset=offset)
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        assert app.screen.check == "post"


async def test_a_click_selects_a_grade_and_a_second_click_grades(
    ctx: StudyContext, make_app: AppFactory, study_deck: Deck
) -> None:
    """On a revealed key point, the first click on a grade of the legend only marks it."""
    from quiztui.tui.screens.key_points import KeyPointsScreen
    from quiztui.tui.widgets.flashcard import LEGEND_KEY, FlashCard

    app = make_app(ctx)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(app, pilot)
        await app.push_screen(KeyPointsScreen(study_deck, "light"))
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        card = app.screen.query_one(FlashCard)
        span = card.span(LEGEND_KEY)
        assert span is not None
        four = (4, span[0] + 4)
        await pilot.click(card, offset=four)
        await pilot.pause()
        assert ctx.store.reviews(study_deck.id) == [] and card.selected_grade == 4
        assert "click again to grade" in card.plain_text()
        await pilot.click(card, offset=four)
        await pilot.pause()
        (row,) = ctx.store.reviews(study_deck.id)
        assert (row.mode, row.grade) == ("learn", 4)
