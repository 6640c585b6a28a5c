"""The question widget on its own: which keys answer, what it posts, how feedback is marked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import BindingType

from quiztui.deck.model import Deck, Question
from quiztui.study import AnswerOutcome, Presented, StudyContext
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.widgets.question import QuestionView, numbers_phrase, question_bindings
from tests.tui.conftest import AppFactory, settle


class Host(App[None]):
    """Shows one QuestionView with the answering keys a screen gives it; keeps every pick."""

    BINDINGS: ClassVar[list[BindingType]] = question_bindings()

    def __init__(self, view: QuestionView) -> None:
        super().__init__()
        self.view = view
        self.picks: list[frozenset[str]] = []

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.view.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.view.can_submit
        if action == "choose":
            number = parameters[0]
            return isinstance(number, int) and self.view.can_choose(number)
        return True

    def _take(self, picked: frozenset[str] | None) -> None:
        if picked is not None:
            self.view.take_answer()
            self.picks.append(picked)

    def action_choose(self, number: int) -> None:
        self._take(self.view.choose(number))

    def action_submit(self) -> None:
        self._take(self.view.submission())

    def on_question_view_confirmed(self, message: QuestionView.Confirmed) -> None:
        assert message.view is self.view
        self._take(message.picked)


def presented(deck: Deck, question_id: str, order: tuple[str, ...] | None = None) -> Presented:
    """The question shown with its choices in `order` (as written by default)."""
    question = deck.item(question_id)
    assert isinstance(question, Question)
    return Presented(deck, question, order or tuple(c.id for c in question.choices))


def outcome(question: Question, picked: set[str]) -> AnswerOutcome:
    """What the core would say about `picked` (nothing is stored here)."""
    right = frozenset(picked) == question.correct_choice_ids
    return AnswerOutcome(
        right, 4 if right else 1, frozenset(picked), question.correct_choice_ids, 1
    )


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [([], ""), ([2], "2"), ([1, 3], "1 and 3"), ([1, 2, 4], "1, 2 and 4")],
)
def test_numbers_phrase(numbers: list[int], expected: str) -> None:
    assert numbers_phrase(numbers) == expected


async def test_a_digit_answers_a_single_answer_question_once(study_deck: Deck) -> None:
    view = QuestionView(
        presented(study_deck, "q-colour", ("red", "blue", "green")), heading="Question 1 of 5"
    )
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert app.picks == [frozenset({"blue"})]
        assert view.answered
        await pilot.press("1", "enter", "3")
        await pilot.pause()
        assert app.picks == [frozenset({"blue"})], "input after answering is ignored"


async def test_a_digit_beyond_the_choices_does_nothing(study_deck: Deck) -> None:
    app = Host(QuestionView(presented(study_deck, "q-colour")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "9")
        await pilot.pause()
        assert app.picks == []
        assert not app.view.answered


async def test_enter_answers_only_a_choice_the_learner_selected(study_deck: Deck) -> None:
    """Nothing is selected when a question appears, so Enter typed out of habit (or with the
    last answer) never answers a question nobody has looked at."""
    app = Host(QuestionView(presented(study_deck, "q-where")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.picks == [] and not app.view.answered
        await pilot.press("down", "down", "up", "up", "up")
        await pilot.pause()
        rows = app.view.rows
        assert [row.highlighted for row in rows] == [False, False, True, False], "wraps around"
        await pilot.press("down")
        await pilot.pause()
        assert [row.highlighted for row in rows] == [False, False, False, True]
        marked = [line for line in app.view.text().splitlines() if "›" in line]
        assert marked == [" ›  4. In the cell wall".ljust(len(marked[0]))], "drawn on row 4"
        await pilot.press("enter")
        await pilot.pause()
        assert app.picks == [frozenset({"wall"})]
        assert not any(row.highlighted for row in rows)


async def test_a_choose_all_question_toggles_then_submits(study_deck: Deck) -> None:
    view = QuestionView(presented(study_deck, "q-inputs"), heading="Question 3 of 5")
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "choose all that apply" in view.text().splitlines()[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.picks == [], "Enter with nothing ticked submits nothing"
        await pilot.press("space", "down", "space", "down", "space", "3")
        await pilot.pause()
        assert [row.toggled for row in view.rows] == [True, True, False, False]
        assert app.picks == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.picks == [frozenset({"co2", "water"})]


async def test_wrong_feedback_marks_the_choices_and_explains(
    study_deck: Deck, screen_text: Callable[[App[object]], str]
) -> None:
    item = presented(study_deck, "q-colour", ("red", "blue", "green"))
    view = QuestionView(item)
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(item.item, Question)
        view.show_feedback(outcome(item.item, {"red"}))
        await pilot.pause()
        assert view.verdict == "✗ Wrong — the answer is 3" and not view.verdict_right
        assert "✗ Wrong — the answer is 3" in view.text()
        red, blue, green = view.rows
        assert (red.outcome, red.picked, red.mark) == ("wrong", True, "✗")
        assert (green.outcome, green.picked, green.mark) == ("correct", False, "✓")
        assert (blue.outcome, blue.mark) == ("", "")
        explained = [row.explained for row in view.rows]
        assert explained == [True, False, True], "why the pick is wrong and why the answer is right"
        assert view.explanation_shown
        shown = screen_text(app)
        assert "Leaves reflect the light they do not absorb." in shown
        assert "It is reflected, so we see it." in shown
        assert "Red is absorbed strongly." in shown
        assert "Blue is absorbed" not in shown


async def test_right_feedback_on_a_choose_all_question(study_deck: Deck) -> None:
    item = presented(study_deck, "q-inputs")
    view = QuestionView(item)
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert isinstance(item.item, Question)
        view.show_feedback(outcome(item.item, {"co2", "water"}))
        await pilot.pause()
        assert view.verdict == "✓ Right" and view.verdict_right
        assert "Enter submits" not in view.text(), "the ticking hint goes once answered"


async def test_wrong_feedback_names_every_right_choice(study_deck: Deck) -> None:
    item = presented(study_deck, "q-inputs", ("oxygen", "co2", "sugar", "water"))
    view = QuestionView(item)
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(item.item, Question)
        view.show_feedback(outcome(item.item, {"co2"}))
        await pilot.pause()
        assert view.verdict == "✗ Wrong — the answers are 2 and 4 (every pick right, but 1 missed)"
        view.load(item)
        view.show_feedback(outcome(item.item, {"co2", "oxygen", "water"}))
        assert view.verdict == "✗ Wrong — the answers are 2 and 4 (2 of 3 picks right)"
        view.load(item)
        view.show_feedback(outcome(item.item, {"oxygen"}))
        assert view.verdict == "✗ Wrong — the answers are 2 and 4"


async def test_all_explanations_show_every_choice(study_deck: Deck) -> None:
    view = QuestionView(presented(study_deck, "q-where"))
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        view.show_all_explanations(frozenset({"nucleus"}))
        await pilot.pause()
        assert all(row.explained for row in view.rows)
        marks = {row.choice.id: row.mark for row in view.rows}
        assert marks == {"chloroplast": "✓", "nucleus": "✗", "mito": "", "wall": ""}
        assert "answered wrong" in view.verdict
        await pilot.press("1")
        await pilot.pause()
        assert app.picks == [], "a reviewed question takes no answer"


async def test_a_long_prompt_wraps_and_scrolls(study_deck: Deck) -> None:
    question = study_deck.item("q-colour")
    assert isinstance(question, Question)
    long_question = replace(question, prompt="A very long prompt. " * 120)
    item = Presented(study_deck, long_question, ("red", "blue", "green"))
    view = QuestionView(item)
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert view.virtual_size.height > view.size.height
        assert view.virtual_size.width <= view.size.width, "no horizontal overflow"
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.scroll_y > 0, "the highlighted choice is scrolled into view"


async def test_loading_the_next_question_shows_it_unanswered_in_the_same_view(
    study_deck: Deck,
) -> None:
    """One view shows question after question: nothing of the last answer stays."""
    first = presented(study_deck, "q-where")
    view = QuestionView(first, heading="Question 1 of 2")
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "2")
        await pilot.pause()
        assert isinstance(first.item, Question)
        view.show_feedback(outcome(first.item, {"nucleus"}))
        await pilot.pause()
        assert view.verdict and len(view.rows) == 4
        second = presented(study_deck, "q-colour", ("green", "red", "blue"))
        view.load(second, heading="Question 2 of 2")
        await pilot.pause()
        assert not view.answered and view.verdict == "" and not view.explanation_shown
        assert [row.choice.id for row in view.rows] == ["green", "red", "blue"]
        assert not any(row.mark or row.explained or row.toggled for row in view.rows)
        assert not any(row.highlighted for row in view.rows), "nothing selected yet"
        shown = view.text()
        assert "Question 2 of 2" in shown and "Wrong" not in shown
        assert first.item.prompt.strip() not in shown
        await pilot.press("3")
        await pilot.pause()
        assert app.picks == [frozenset({"nucleus"}), frozenset({"blue"})]


async def test_a_theme_change_redraws_the_colours(study_deck: Deck) -> None:
    """Colours are taken from the theme when drawn: a new theme draws the page again."""
    item = presented(study_deck, "q-colour", ("red", "blue", "green"))
    view = QuestionView(item)
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        assert isinstance(item.item, Question)
        view.show_feedback(outcome(item.item, {"red"}))
        await pilot.pause()

        def explanation_colour() -> object:
            # The pick's explanation, drawn in the theme's muted text colour.
            styled = [b for b in view.page.blocks if b.key == ("choice", 1) and b.prefix is None]
            return styled[0].style.color

        dark = explanation_colour()
        app.theme = "textual-light"
        await pilot.pause()
        assert explanation_colour() != dark


async def test_arrows_scroll_a_long_question_loaded_after_a_short_one(study_deck: Deck) -> None:
    """Where the last question's choices were drawn says nothing about the next one's."""
    view = QuestionView(presented(study_deck, "q-where"))
    app = Host(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        question = study_deck.item("q-colour")
        assert isinstance(question, Question)
        long_question = replace(question, prompt="A very long prompt. " * 120)
        view.load(Presented(study_deck, long_question, ("red", "blue", "green")))
        view.action_move(1)  # before the new question is drawn, as a quick learner can
        view.action_move(1)
        await pilot.pause()
        assert view.scroll_y > 0, "the highlighted choice is scrolled into view"


async def test_a_double_click_answers_one_question_only(
    ctx: StudyContext, make_app: AppFactory, study_deck: Deck
) -> None:
    """The second click of a double click would land on the next question of a pre-check."""
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(CheckScreen(study_deck, "light", "pre"))
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        span = view.page.span(view.rows[0].key)
        assert span is not None
        await pilot.click(view.page, offset=(12, span[0]), times=2)
        await pilot.pause()
        assert len(ctx.store.reviews(study_deck.id)) == 1
