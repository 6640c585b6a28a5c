"""A multiple-choice question to answer with number keys, arrows or Space, and its feedback.

The view only collects a pick and posts `QuestionView.Answered`; the screen grades it through
the study core and calls `show_feedback` (or `show_all_explanations`) back down. Text is
rendered with rich's Markdown in plain `Static` widgets, which mount in well under a frame,
where Textual's `Markdown` widget takes several frames for a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from quiztui.deck.model import Choice, Question
from quiztui.study import AnswerOutcome, Presented

MAX_DIGIT_CHOICES = 9
"""Choices beyond the ninth can be reached with the arrows only."""


def markdown(text: str) -> Markdown:
    """Deck text (Markdown) as a rich renderable; links are shown, never followed."""
    return Markdown(text.strip(), hyperlinks=False)


def numbers_phrase(numbers: list[int]) -> str:
    """Choice numbers as a learner reads them: "2", "1 and 3", "1, 2 and 4"."""
    words = [str(n) for n in numbers]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


class ChoiceRow(Widget):
    """One numbered choice, and under it its explanation once that is shown.

    It renders itself (one widget per choice keeps a question quick to mount); the explanation's
    colour comes from the `choice--explanation` component class.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--explanation"}

    DEFAULT_CSS = """
    ChoiceRow {
        height: auto;
        padding: 0 1;
    }
    ChoiceRow > .choice--explanation {
        color: $text-muted;
    }
    ChoiceRow.-highlight {
        background: $boost;
    }
    ChoiceRow.choice--correct {
        color: $success;
    }
    ChoiceRow.choice--wrong {
        color: $error;
    }
    """

    def __init__(self, number: int, choice: Choice, *, multiple: bool) -> None:
        """Choice `choice` shown as number `number`; with a tick box when `multiple`."""
        super().__init__(classes="choice")
        self.number = number
        """The number shown, 1-based, in display order."""
        self.choice = choice
        self.multiple = multiple
        """True on a choose-all question: a box shows whether it is ticked."""
        self.toggled = False
        """On a choose-all question, whether the learner has ticked it."""
        self.mark = ""
        """"✓" or "✗" once feedback is shown."""
        self.picked = False
        """Whether the learner picked it (marked ✗ when wrong; a right pick is the ✓ row)."""
        self._text = markdown(choice.text)
        self._explanation = markdown(choice.explanation) if choice.explanation else None

    @property
    def explained(self) -> bool:
        """True when its explanation is shown under it."""
        return self.has_class("-explained") and self._explanation is not None

    def render(self) -> Table:
        """The mark, the number, the tick box, the text and, once shown, the explanation."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(width=3 if self.number < 10 else 4, no_wrap=True)
        if self.multiple:
            grid.add_column(width=3, no_wrap=True)
        grid.add_column(ratio=1)
        mark = self.mark or ("›" if self.has_class("-highlight") else "")
        cells: list[RenderableType] = [Text(mark), Text(f"{self.number}.", justify="right")]
        if self.multiple:
            cells.append(Text("[x]" if self.toggled else "[ ]"))
        grid.add_row(*cells, self._text)
        if self.explained and self._explanation is not None:
            blank = [Text("")] * len(cells)
            style = self.get_component_rich_style("choice--explanation")
            grid.add_row(*blank, self._explanation, style=style)
        return grid

    def redraw(self) -> None:
        """Show the current toggle, mark, pick and explanation."""
        self.refresh(layout=True)

    def on_click(self, event: events.Click) -> None:
        """A click picks the choice, like its number key."""
        event.stop()
        view = self.query_ancestor(QuestionView)
        view.choose(self.number)


class QuestionView(VerticalScroll, can_focus=True):
    """A question with numbered choices; posts `Answered` once, then shows feedback on request.

    Single answer: a number key answers at once, or Up/Down and Enter. Choose-all questions:
    a number or Space toggles a choice, Enter submits. Once answered, input is ignored (so the
    screen's keys, such as confidence, apply) and Up/Down scroll.
    """

    DEFAULT_CSS = """
    QuestionView {
        height: 1fr;
        padding: 0 1;
    }
    QuestionView:focus > ChoiceRow.-highlight {
        background: $accent 30%;
    }
    QuestionView > .question-heading {
        color: $text-muted;
        text-style: bold;
        height: auto;
    }
    QuestionView > .question-prompt {
        height: auto;
        margin: 0 0 1 0;
    }
    QuestionView > .question-hint {
        color: $text-muted;
        text-style: italic;
        height: auto;
        margin: 1 0 0 0;
    }
    QuestionView.-answered > .question-hint {
        display: none;
    }
    QuestionView > .question-verdict {
        height: auto;
        display: none;
        margin: 1 0 0 0;
        text-style: bold;
    }
    QuestionView > .question-verdict.-right {
        display: block;
        color: $success;
    }
    QuestionView > .question-verdict.-wrong {
        display: block;
        color: $error;
    }
    QuestionView > .question-explanation {
        height: auto;
        display: none;
        margin: 1 0 0 0;
    }
    QuestionView > .question-explanation.-shown {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "1",
            "choose(1)",
            "Answer",
            key_display="1-9",
            tooltip="Answer with that choice (on a choose-all question, tick it)",
            id="question.answer-1",
        ),
        *[
            Binding(
                str(n),
                f"choose({n})",
                f"Choice {n}",
                show=False,
                tooltip=f"Answer with choice {n} (on a choose-all question, tick it)",
                id=f"question.answer-{n}",
            )
            for n in range(2, MAX_DIGIT_CHOICES + 1)
        ],
        Binding("up", "move(-1)", "Up", show=False, id="question.up"),
        Binding("down", "move(1)", "Down", show=False, id="question.down"),
        Binding(
            "space",
            "toggle",
            "Tick",
            tooltip="Tick or untick the highlighted choice",
            id="question.toggle",
        ),
        Binding(
            "enter",
            "submit",
            "Submit",
            tooltip="Answer with the highlighted choice (the ticked ones on a choose-all question)",
            id="question.submit",
        ),
    ]

    @dataclass
    class Answered(Message):
        """The learner picked an answer (posted once per view)."""

        view: QuestionView
        picked: frozenset[str]
        """The ids of the picked choices."""

        @property
        def control(self) -> QuestionView:
            """The view that was answered (for `@on(..., selector)`)."""
            return self.view

    answered: reactive[bool] = reactive(False, bindings=True)
    """True once an answer is given; after that the view ignores answering keys."""

    highlighted: reactive[int] = reactive(0)
    """Index (0-based, display order) of the choice Enter and Space act on."""

    def __init__(self, presented: Presented, *, heading: str = "", id: str | None = None) -> None:
        """Show `presented` (a question) with `heading` above it, e.g. "Question 2 of 5"."""
        super().__init__(id=id)
        if not isinstance(presented.item, Question):
            raise TypeError(f"a QuestionView shows a question, not {presented.item.kind!r}")
        self.presented = presented
        """The question and its choices in display order."""
        self.question: Question = presented.item
        self.heading = heading
        self.rows = [
            ChoiceRow(number, choice, multiple=self.question.is_multiple_answer)
            for number, choice in enumerate(presented.choices, start=1)
        ]
        """One row per choice, in display order."""

    @property
    def multiple(self) -> bool:
        """True when several choices are right (tick, then submit)."""
        return self.question.is_multiple_answer

    def compose(self) -> ComposeResult:
        heading = self.heading
        if self.multiple:
            heading = f"{heading} · choose all that apply" if heading else "Choose all that apply"
        yield Static(Text(heading), classes="question-heading")
        yield Static(markdown(self.question.prompt), classes="question-prompt")
        yield from self.rows
        if self.multiple:
            yield Static(
                "Space or a number ticks a choice; Enter submits.", classes="question-hint"
            )
        yield Static(classes="question-verdict")
        yield Static(classes="question-explanation")

    def on_mount(self) -> None:
        self._show_highlight()

    # ------------------------------------------------------------------ input

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Answering keys apply until the question is answered; Space only on choose-all."""
        if action == "choose":
            number = parameters[0] if parameters else 0
            return not self.answered and isinstance(number, int) and number <= len(self.rows)
        if action == "submit":
            return not self.answered
        if action == "toggle":
            return self.multiple and not self.answered
        return True

    def action_choose(self, number: int) -> None:
        """Answer with choice `number` (1-based), or tick it on a choose-all question."""
        self.choose(number)

    def choose(self, number: int) -> None:
        """What a number key or a click on choice `number` does."""
        if self.answered or not 1 <= number <= len(self.rows):
            return
        self.highlighted = number - 1
        if self.multiple:
            self._toggle(self.rows[number - 1])
        else:
            self._answer(frozenset({self.rows[number - 1].choice.id}))

    def action_move(self, step: int) -> None:
        """Move the highlight; once answered, scroll instead."""
        if self.answered:
            if step < 0:
                self.scroll_up()
            else:
                self.scroll_down()
            return
        if self.rows:
            self.highlighted = (self.highlighted + step) % len(self.rows)

    def action_toggle(self) -> None:
        """Tick or untick the highlighted choice."""
        if self.rows and self.multiple and not self.answered:
            self._toggle(self.rows[self.highlighted])

    def action_submit(self) -> None:
        """Answer with the highlighted choice, or with the ticked ones on a choose-all question."""
        if self.answered or not self.rows:
            return
        if not self.multiple:
            self._answer(frozenset({self.rows[self.highlighted].choice.id}))
            return
        picked = frozenset(row.choice.id for row in self.rows if row.toggled)
        if not picked:
            self.notify("Tick at least one choice first (Space or its number).", timeout=3)
            return
        self._answer(picked)

    def _toggle(self, row: ChoiceRow) -> None:
        row.toggled = not row.toggled
        row.redraw()

    def _answer(self, picked: frozenset[str]) -> None:
        self.answered = True
        self._show_highlight()
        self.post_message(self.Answered(self, picked))

    def watch_answered(self, answered: bool) -> None:
        self.set_class(answered, "-answered")

    def watch_highlighted(self) -> None:
        self._show_highlight()

    def _show_highlight(self) -> None:
        for index, row in enumerate(self.rows):
            highlight = not self.answered and index == self.highlighted
            if row.has_class("-highlight") != highlight:
                row.set_class(highlight, "-highlight")
                row.redraw()
        if self.is_mounted and not self.answered and self.rows:
            self.scroll_to_widget(self.rows[self.highlighted], animate=False)

    # ------------------------------------------------------------------ feedback (called down)

    def show_feedback(self, outcome: AnswerOutcome) -> None:
        """Right or wrong at once, the choices marked, and why: the picked and right ones."""
        self.answered = True
        self._show_highlight()
        self._mark(outcome.picked, explain=outcome.picked | outcome.correct_ids)
        verdict = self.query_one(".question-verdict", Static)
        if outcome.correct:
            verdict.update("✓ Right")
        else:
            numbers = [row.number for row in self.rows if row.choice.id in outcome.correct_ids]
            answer = "answers are" if len(numbers) > 1 else "answer is"
            verdict.update(f"✗ Wrong — the {answer} {numbers_phrase(numbers)}")
        verdict.set_class(outcome.correct, "-right")
        verdict.set_class(not outcome.correct, "-wrong")
        self._show_question_explanation()
        self.call_after_refresh(self._scroll_to_feedback)

    def show_all_explanations(self, picked: frozenset[str] | None) -> None:
        """Every choice with its explanation, the right ones marked, and `picked` if given."""
        self.answered = True
        self._show_highlight()
        chosen = picked or frozenset()
        self._mark(chosen, explain=frozenset(row.choice.id for row in self.rows))
        if picked is not None:
            correct = picked == self.question.correct_choice_ids
            verdict = self.query_one(".question-verdict", Static)
            verdict.update("✓ You answered right" if correct else "✗ You answered wrong")
            verdict.set_class(correct, "-right")
            verdict.set_class(not correct, "-wrong")
        self._show_question_explanation()

    def _mark(self, picked: frozenset[str], *, explain: frozenset[str]) -> None:
        for row in self.rows:
            choice = row.choice
            row.picked = choice.id in picked
            row.toggled = row.picked
            row.mark = "✓" if choice.correct else ("✗" if row.picked else "")
            row.set_class(choice.correct, "choice--correct")
            row.set_class(row.picked and not choice.correct, "choice--wrong")
            row.set_class(row.picked, "choice--picked")
            row.set_class(choice.id in explain and bool(choice.explanation), "-explained")
            row.redraw()

    def _show_question_explanation(self) -> None:
        if self.question.explanation:
            box = self.query_one(".question-explanation", Static)
            box.update(markdown(self.question.explanation))
            box.add_class("-shown")

    def _scroll_to_feedback(self) -> None:
        # Runs after a refresh: by then the learner may have moved on and this view be gone.
        if not self.is_attached:
            return
        verdicts = self.query(".question-verdict")
        if verdicts:
            self.scroll_to_widget(verdicts.first(), animate=False)
