"""A multiple-choice question, its choices to pick from, and its feedback once answered.

The view shows a question and keeps what the learner has selected or ticked; the screen that
shows it owns the answering keys (`question_bindings`: a digit, Enter) and handles each where
its key arrives: it asks the view what the key picks (`choose`, `submission`), grades the
pick through the study core, and calls `show_feedback` (or `show_all_explanations`) back down.
So the screen has moved on before the next key is read, and keys typed together all count.
The mouse selects with a click and confirms with a second click on the same choice
(`QuestionView.Confirmed`), so a stray click never answers.

One view shows question after question (`load`), and draws the whole question, its choices and
its feedback on one `Page`: moving on, or marking the answer, is one layout and one paint of one
widget, with no style pass and nothing mounted (docs/benchmarks.md, c). The colours come from
the view's component classes, so themes and user CSS still apply.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive

from quiztui.deck.model import Choice, Question
from quiztui.study import CONFIDENCE_NOTES, AnswerOutcome, Presented
from quiztui.tui.deck_text import deck_text
from quiztui.tui.widgets.page import Block, Page, ThemedDrawing

MAX_DIGIT_CHOICES = 9
"""Choices beyond the ninth can be reached with the arrows only."""

Outcome = Literal["", "correct", "wrong"]
"""How a choice is marked once the answer is known: the right one, a wrong pick, or neither."""


def numbers_phrase(numbers: list[int]) -> str:
    """Choice numbers as a learner reads them: "2", "1 and 3", "1, 2 and 4"."""
    words = [str(n) for n in numbers]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def partly_right(picked: frozenset[str], correct: frozenset[str]) -> str:
    """What was right in a wrong choose-all answer: " (2 of 3 picks right)", or ""."""
    right = len(picked & correct)
    if not right:
        return ""
    if right == len(picked):
        missed = len(correct - picked)
        return f" (every pick right, but {missed} missed)"
    return f" ({right} of {len(picked)} picks right)"


@dataclass(slots=True)
class ChoiceRow:
    """One numbered choice as shown: its state, drawn by the view's page."""

    number: int
    """The number shown, 1-based, in display order."""
    choice: Choice
    multiple: bool
    """True on a choose-all question: a box shows whether it is ticked."""
    toggled: bool = False
    """On a choose-all question, whether the learner has ticked it."""
    highlighted: bool = False
    """True for the selected choice, which Enter and Space act on (before the answer)."""
    mark: str = ""
    """"✓" or "✗" once feedback is shown."""
    outcome: Outcome = ""
    """Its colour once feedback is shown: "correct", "wrong" (a wrong pick) or neither."""
    picked: bool = False
    """Whether the learner picked it (marked ✗ when wrong; a right pick is the ✓ row)."""
    explain: bool = False
    """Whether its explanation is to be shown under it."""

    @property
    def explained(self) -> bool:
        """True when its explanation is shown under it."""
        return self.explain and bool(self.choice.explanation)

    @property
    def key(self) -> Hashable:
        """Names the row's lines on the page."""
        return ("choice", self.number)

    def prefix(self) -> tuple[Text, int]:
        """The mark, the number and the tick box left of the text, and their width."""
        mark = self.mark or ("›" if self.highlighted else " ")
        number = f"{self.number}."
        prefix = f" {mark} {number:>3} "
        if self.multiple:
            prefix += "[x] " if self.toggled else "[ ] "
        return Text(prefix), len(prefix)


VERDICT_KEY = "verdict"
"""Names the "✓ Right" / "✗ Wrong" line on the page."""


def question_bindings() -> list[BindingType]:
    """The answering keys of a screen that asks questions: a digit picks, Enter submits.

    Screens list these in their BINDINGS and implement `action_choose` and `action_submit`
    (asking their `QuestionView` what the key picks); the shared ids (`question.answer-N`,
    `question.submit`) let one keymap entry remap the checks and the reviews alike.
    """
    bindings: list[BindingType] = [
        Binding(
            "1",
            "choose(1)",
            "Answer",
            key_display="1-9",
            tooltip="Answer with that choice (on a choose-all question, tick it)",
            id="question.answer-1",
        )
    ]
    bindings.extend(
        Binding(
            str(number),
            f"choose({number})",
            f"Choice {number}",
            show=False,
            tooltip=f"Answer with choice {number} (on a choose-all question, tick it)",
            id=f"question.answer-{number}",
        )
        for number in range(2, MAX_DIGIT_CHOICES + 1)
    )
    bindings.append(
        Binding(
            "enter",
            "submit",
            "Submit",
            tooltip="Answer with the selected choice (the ticked ones on a choose-all question)",
            id="question.submit",
        )
    )
    return bindings


def confidence_bindings() -> list[BindingType]:
    """After a right answer: 3 "guessed", 5 "knew it" (screens implement `action_confidence`)."""
    return [
        Binding(
            "3",
            "confidence(3)",
            "Guessed",
            tooltip=f"Right, but you guessed: {CONFIDENCE_NOTES[3]}",
            id="confidence.guessed",
        ),
        Binding(
            "5",
            "confidence(5)",
            "Knew it",
            tooltip=f"You knew it at once: {CONFIDENCE_NOTES[5]}",
            id="confidence.knew-it",
        ),
    ]


class QuestionView(VerticalScroll, ThemedDrawing, can_focus=True):
    """A question with numbered choices, what the learner has selected, and its feedback.

    Up/Down select a choice; on a choose-all question Space ticks the selected one. Once
    answered, Up/Down scroll. `load` shows another question. The screen owns the answering
    keys (`question_bindings`).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "question--heading",
        "question--hint",
        "question--right",
        "question--wrong",
        "choice--highlight",
        "choice--highlight-focused",
        "choice--correct",
        "choice--wrong",
        "choice--explanation",
    }

    DEFAULT_CSS = """
    QuestionView {
        height: 1fr;
        padding: 0 1;
        scrollbar-gutter: stable;
        & > .question--heading { color: $text-muted; text-style: bold; }
        & > .question--hint { color: $text-muted; text-style: italic; }
        & > .question--right { color: $success; text-style: bold; }
        & > .question--wrong { color: $error; text-style: bold; }
        & > .choice--highlight { background: $boost; }
        & > .choice--highlight-focused { background: $accent 30%; }
        & > .choice--correct { color: $success; }
        & > .choice--wrong { color: $error; }
        & > .choice--explanation { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="question.up"),
        Binding("down", "move(1)", "Down", show=False, id="question.down"),
        Binding(
            "space",
            "tick",
            "Tick",
            tooltip="Tick or untick the selected choice",
            id="question.tick",
        ),
    ]

    @dataclass
    class Confirmed(Message):
        """The learner clicked a selected choice again: the answer is `picked`."""

        view: QuestionView
        presented: Presented
        """The question answered: the view may show another by the time this arrives."""
        picked: frozenset[str]
        """The ids of the picked choices."""

        @property
        def control(self) -> QuestionView:
            """The view that was answered (for `@on(..., selector)`)."""
            return self.view

    @dataclass
    class Ticked(Message):
        """The learner ticked or unticked a choice of a choose-all question (a digit, Space or
        a click): `ticked` is what is ticked now. A mock exam takes it as the answer."""

        view: QuestionView
        presented: Presented
        ticked: frozenset[str]

        @property
        def control(self) -> QuestionView:
            """The view that was ticked (for `@on(..., selector)`)."""
            return self.view

    answered: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """True once an answer is given; after that the view takes no more picks."""

    selected: reactive[int | None] = reactive(None, bindings=True, repaint=False)
    """Index (0-based, display order) of the selected choice; None until the learner picks
    one with the arrows or a click, so Enter never answers a question nobody looked at."""

    def __init__(
        self, presented: Presented | None = None, *, heading: str = "", id: str | None = None
    ) -> None:
        """Show `presented` (a question) with `heading` above it, e.g. "Question 2 of 5";
        with no question yet, `load` gives it one."""
        super().__init__(id=id)
        self.presented: Presented | None = None
        """The question and its choices in display order (None until one is loaded)."""
        self.heading = heading
        self.rows: list[ChoiceRow] = []
        """One row per choice of the question shown, in display order."""
        self.verdict = ""
        """The "✓ Right" / "✗ Wrong" line once feedback is shown; empty before."""
        self.verdict_right = False
        """Whether the verdict is the right one (drawn in the success colour)."""
        self.explanation_shown = False
        """Whether the question's own explanation is shown (with the feedback)."""
        self.page = Page(classes="question-page")
        """Where the question is drawn."""
        if presented is not None:
            self.load(presented, heading=heading)

    @property
    def question(self) -> Question:
        """The question shown."""
        assert self.presented is not None, "no question loaded"
        item = self.presented.item
        assert isinstance(item, Question)
        return item

    @property
    def multiple(self) -> bool:
        """True on a choose-all question (tick, then submit)."""
        return self.presented is not None and self.question.is_multiple_answer

    def compose(self) -> ComposeResult:
        """One page, on which every question is drawn."""
        yield self.page

    def load(self, presented: Presented, *, heading: str = "") -> None:
        """Show `presented`, unanswered and with nothing selected, scrolled to the top."""
        if not isinstance(presented.item, Question):
            raise TypeError(f"a QuestionView shows a question, not {presented.item.kind!r}")
        self.presented = presented
        self.heading = heading
        multiple = presented.item.is_multiple_answer
        self.rows = [
            ChoiceRow(number, choice, multiple)
            for number, choice in enumerate(presented.choices, start=1)
        ]
        self.verdict = ""
        self.explanation_shown = False
        self.answered = False
        self.selected = None
        self._show_highlight()
        if self.is_mounted:
            self.scroll_home(animate=False, immediate=True)

    # ------------------------------------------------------------------ what a key picks

    def can_choose(self, number: int) -> bool:
        """Whether choice `number` (1-based) can be picked or ticked now."""
        return not self.answered and 1 <= number <= len(self.rows)

    def choose(self, number: int) -> frozenset[str] | None:
        """What a digit does: the answer on a single-answer question; on a choose-all one it
        ticks the choice and gives None (Enter submits). None when it does nothing."""
        if not self.can_choose(number):
            return None
        self.selected = number - 1
        if self.multiple:
            row = self.rows[number - 1]
            row.toggled = not row.toggled
            self._show_highlight(same_lines=True)
            self._post_ticked()
            return None
        return frozenset({self.rows[number - 1].choice.id})

    @property
    def can_submit(self) -> bool:
        """Whether Enter answers now: a choice is selected (or, choose-all, one is ticked)."""
        if self.answered or not self.rows:
            return False
        if self.multiple:
            return any(row.toggled for row in self.rows)
        return self.selected is not None

    def submission(self) -> frozenset[str] | None:
        """What Enter answers: the selected choice, or the ticked ones; None when nothing is."""
        if not self.can_submit:
            return None
        if self.multiple:
            return frozenset(row.choice.id for row in self.rows if row.toggled)
        assert self.selected is not None
        return frozenset({self.rows[self.selected].choice.id})

    def take_answer(self) -> None:
        """The screen has taken the answer: no more picks, and no selection shown."""
        self.answered = True
        self._show_highlight()

    # ------------------------------------------------------------------ drawing

    def watch_has_focus(self, has_focus: bool) -> None:
        """Draw the highlight in its focused colour, without restyling the view.

        Textual restyles a widget and everything under it when its focus changes; no style of
        this view depends on `:focus` (the highlight is drawn from `has_focus`).
        """
        if self.is_mounted:
            self.redraw()

    def _blocks(self) -> list[Block]:
        """The question as the page draws it."""
        if self.presented is None:
            return []
        question = self.question
        heading = self.heading
        if question.is_multiple_answer:
            heading = f"{heading} · choose all that apply" if heading else "Choose all that apply"
        blocks = [
            Block(Text(heading, style=self.component_style("question--heading"))),
            Block(deck_text(question.prompt)),
        ]
        if self.verdict:
            # Right under the prompt: seen at once, with no scrolling, above the reasons.
            name = "question--right" if self.verdict_right else "question--wrong"
            style = self.component_style(name)
            blocks.append(Block(Text(self.verdict, style=style), key=VERDICT_KEY, space_before=1))
        focused = self.has_focus
        explanation_style = self.component_style("choice--explanation")
        for index, row in enumerate(self.rows):
            style = Style()
            if row.highlighted:
                style += self.component_style(
                    "choice--highlight-focused" if focused else "choice--highlight"
                )
            if row.outcome:
                style += self.component_style(f"choice--{row.outcome}")
            prefix, width = row.prefix()
            blocks.append(
                Block(
                    deck_text(row.choice.text),
                    key=row.key,
                    style=style,
                    prefix=prefix,
                    indent=width,
                    right=1,
                    space_before=1 if index == 0 else 0,
                )
            )
            if row.explained:
                blocks.append(
                    Block(
                        deck_text(row.choice.explanation or ""),
                        key=row.key,
                        style=explanation_style,
                        indent=width,
                        right=1,
                    )
                )
        if question.is_multiple_answer and not self.answered:
            hint = "A number or Space ticks a choice; Enter submits."
            hint_style = self.component_style("question--hint")
            blocks.append(Block(Text(hint, style=hint_style), space_before=1))
        if self.explanation_shown and question.explanation:
            blocks.append(Block(deck_text(question.explanation), space_before=1))
        return blocks

    def redraw(self, *, same_lines: bool = False) -> None:
        """Draw the question as it stands now (`same_lines`: only a highlight or a tick moved)."""
        self.page.update(self._blocks(), same_lines=same_lines)

    def text(self) -> str:
        """What the view shows, as plain text (the whole question, scrolled or not)."""
        return self.page.plain_text()

    # ------------------------------------------------------------------ keys of its own

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space ticks only on a choose-all question that is not answered yet."""
        if action == "tick":
            return self.multiple and not self.answered
        return True

    def action_move(self, step: int) -> None:
        """Select the next or previous choice; once answered, scroll instead."""
        if self.answered:
            if step < 0:
                self.scroll_up()
            else:
                self.scroll_down()
            return
        if not self.rows:
            return
        if self.selected is None:
            self.selected = 0 if step > 0 else len(self.rows) - 1
        else:
            self.selected = (self.selected + step) % len(self.rows)
        self._show_highlight(same_lines=True)
        self._bring_into_view(self.rows[self.selected].key)

    def action_tick(self) -> None:
        """Tick or untick the selected choice (the first one when none is selected yet)."""
        if not (self.rows and self.multiple and not self.answered):
            return
        if self.selected is None:
            self.selected = 0
        row = self.rows[self.selected]
        row.toggled = not row.toggled
        self._show_highlight(same_lines=True)
        self._post_ticked()

    @property
    def ticked(self) -> frozenset[str]:
        """The ids of the choices ticked (a choose-all question)."""
        return frozenset(row.choice.id for row in self.rows if row.toggled)

    def _post_ticked(self) -> None:
        if self.presented is not None:
            self.post_message(self.Ticked(self, self.presented, self.ticked))

    def show_pick(self, picked: frozenset[str]) -> None:
        """Show `picked` as the learner's answer for now, without a word on whether it is right
        (a mock exam, where an answer may change until the end): a dot on a single-answer
        question, the ticks on a choose-all one."""
        for row in self.rows:
            chosen = row.choice.id in picked
            row.toggled = chosen
            row.mark = "●" if chosen and not self.multiple else ""
        self._show_highlight(same_lines=True)

    def _show_highlight(self, *, same_lines: bool = False) -> None:
        for index, row in enumerate(self.rows):
            row.highlighted = not self.answered and index == self.selected
        self.redraw(same_lines=same_lines)

    def on_click(self, event: events.Click) -> None:
        """A click selects a choice (ticks it, on a choose-all question); a second click on
        the selected choice of a single-answer question confirms it as the answer."""
        if event.widget is not self.page or self.answered or self.presented is None:
            return
        key = self.page.key_at(event.y)
        for index, row in enumerate(self.rows):
            if row.key != key:
                continue
            event.stop()
            if self.multiple:
                self.choose(row.number)
            elif self.selected == index:
                self.post_message(self.Confirmed(self, self.presented, frozenset({row.choice.id})))
            else:
                self.selected = index
                self._show_highlight(same_lines=True)
            return

    def _bring_into_view(self, key: Hashable) -> None:
        """Bring the lines named `key` into view: at once where the page knows them (a moved
        highlight keeps every line in place), else once the page is drawn."""
        if not self._scroll_to_span(key):
            self.call_after_refresh(self._scroll_after_draw, key, self.presented)

    def _scroll_after_draw(self, key: Hashable, presented: Presented | None) -> None:
        if self.is_attached and presented is self.presented:
            self._scroll_to_span(key)

    def _scroll_to_span(self, key: Hashable) -> bool:
        """Scroll the lines named `key` into view; False when the page has not drawn them."""
        span = self.page.span(key)
        if span is None:
            return False
        start, height = span
        page_y = self.page.virtual_region.y
        self.scroll_to_region(Region(0, page_y + start, 1, height), animate=False, immediate=True)
        return True

    # ------------------------------------------------------------------ feedback (called down)

    def show_feedback(self, outcome: AnswerOutcome) -> None:
        """Right or wrong at once, the choices marked, and why: the picked and right ones.

        On a choose-all question answered partly right, the verdict says how many of the
        picked choices were right: the grade is still wrong.
        """
        self.answered = True
        self._mark(outcome.picked, explain=outcome.picked | outcome.correct_ids)
        if outcome.correct:
            self.verdict, self.verdict_right = "✓ Right", True
        else:
            numbers = [row.number for row in self.rows if row.choice.id in outcome.correct_ids]
            answer = "answers are" if len(numbers) > 1 else "answer is"
            self.verdict = f"✗ Wrong — the {answer} {numbers_phrase(numbers)}"
            if self.multiple:
                self.verdict += partly_right(outcome.picked, outcome.correct_ids)
            self.verdict_right = False
        self.explanation_shown = True
        self._show_highlight()
        self.scroll_home(animate=False, immediate=True)  # the verdict is under the prompt

    def show_all_explanations(self, picked: frozenset[str] | None) -> None:
        """Every choice with its explanation, the right ones marked, and `picked` if given."""
        self.answered = True
        chosen = picked or frozenset()
        self._mark(chosen, explain=frozenset(row.choice.id for row in self.rows))
        if picked is not None:
            correct = picked == self.question.correct_choice_ids
            self.verdict = "✓ You answered right" if correct else "✗ You answered wrong"
            self.verdict_right = correct
        self.explanation_shown = True
        self._show_highlight()

    def _mark(self, picked: frozenset[str], *, explain: frozenset[str]) -> None:
        for row in self.rows:
            choice = row.choice
            row.picked = choice.id in picked
            row.toggled = row.picked
            row.mark = "✓" if choice.correct else ("✗" if row.picked else "")
            row.outcome = "correct" if choice.correct else ("wrong" if row.picked else "")
            row.explain = choice.id in explain
