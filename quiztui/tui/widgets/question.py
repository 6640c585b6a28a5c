"""A multiple-choice question to answer with number keys, arrows or Space, and its feedback.

The view only collects a pick and posts `QuestionView.Answered`; the screen grades it through
the study core and calls `show_feedback` (or `show_all_explanations`) back down.

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
from quiztui.study import AnswerOutcome, Presented
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
    """True for the choice Enter and Space act on (before the question is answered)."""
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


class QuestionView(VerticalScroll, ThemedDrawing, can_focus=True):
    """A question with numbered choices; posts `Answered` once, then shows feedback on request.

    Single answer: a number key answers at once, or Up/Down and Enter. Choose-all questions:
    a number or Space toggles a choice, Enter submits. Once answered, input is ignored (so the
    screen's keys, such as confidence, apply) and Up/Down scroll. `load` shows another question.
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
        """The learner picked an answer (posted once per question shown)."""

        view: QuestionView
        presented: Presented
        """The question answered: the view may show another by the time this arrives."""
        picked: frozenset[str]
        """The ids of the picked choices."""

        @property
        def control(self) -> QuestionView:
            """The view that was answered (for `@on(..., selector)`)."""
            return self.view

    answered: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """True once an answer is given; after that the view ignores answering keys."""

    def __init__(
        self, presented: Presented | None = None, *, heading: str = "", id: str | None = None
    ) -> None:
        """Show `presented` (a question) with `heading` above it, e.g. "Question 2 of 5";
        with no question yet, `load` gives it one."""
        super().__init__(id=id)
        self.presented: Presented | None = None
        """The question and its choices in display order (None until one is loaded)."""
        self.heading = heading
        self.highlighted = 0
        """Index (0-based, display order) of the choice Enter and Space act on."""
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
        """True when several choices are right (tick, then submit)."""
        return self.presented is not None and self.question.is_multiple_answer

    def compose(self) -> ComposeResult:
        """One page, on which every question is drawn."""
        yield self.page

    def load(self, presented: Presented, *, heading: str = "") -> None:
        """Show `presented`, unanswered, with `heading` above it, scrolled to the top."""
        if not isinstance(presented.item, Question):
            raise TypeError(f"a QuestionView shows a question, not {presented.item.kind!r}")
        self.presented = presented
        self.heading = heading
        multiple = presented.item.is_multiple_answer
        self.rows = [
            ChoiceRow(number, choice, multiple)
            for number, choice in enumerate(presented.choices, start=1)
        ]
        self.highlighted = 0
        self.verdict = ""
        self.explanation_shown = False
        self.answered = False
        self._show_highlight()
        if self.is_mounted:
            self.scroll_home(animate=False, immediate=True)

    # ------------------------------------------------------------------ drawing

    def watch_has_focus(self, has_focus: bool) -> None:
        """Draw the highlight in its focused colour, without restyling the view.

        Textual restyles a widget and everything under it when its focus changes; no style of
        this view depends on `:focus` (the highlight is drawn from `has_focus`), and in a review
        that moves between questions and flashcards the restyle was a few milliseconds a card.
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
                        deck_text(row.choice.explanation),
                        key=row.key,
                        style=explanation_style,
                        indent=width,
                        right=1,
                    )
                )
        if question.is_multiple_answer and not self.answered:
            hint = "Space or a number ticks a choice; Enter submits."
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

    # ------------------------------------------------------------------ input

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Answering keys apply until the question is answered; Space only on choose-all.

        A key typed before this question was on screen (held while the last answer was on its
        way, `quiztui.tui.typeahead`) never answers it: the learner has not seen it yet.
        """
        if action in ("choose", "submit", "toggle") and self._typed_unseen():
            return False
        if action == "choose":
            number = parameters[0] if parameters else 0
            return not self.answered and isinstance(number, int) and number <= len(self.rows)
        if action == "submit":
            return not self.answered and bool(self.rows)
        if action == "toggle":
            return self.multiple and not self.answered
        return True

    def _typed_unseen(self) -> bool:
        """Whether the key being handled was typed before this question was shown."""
        type_ahead = getattr(self.app, "type_ahead", None)
        return type_ahead is not None and type_ahead.replaying

    def action_choose(self, number: int) -> None:
        """Answer with choice `number` (1-based), or tick it on a choose-all question."""
        self.choose(number)

    def choose(self, number: int) -> None:
        """What a number key or a click on choice `number` does."""
        if self.answered or not 1 <= number <= len(self.rows):
            return
        self.highlighted = number - 1
        if self.multiple:
            row = self.rows[number - 1]
            row.toggled = not row.toggled
            self._show_highlight(same_lines=True)
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
            self._show_highlight(same_lines=True)
            self._bring_into_view(self.rows[self.highlighted].key)

    def action_toggle(self) -> None:
        """Tick or untick the highlighted choice."""
        if self.rows and self.multiple and not self.answered:
            row = self.rows[self.highlighted]
            row.toggled = not row.toggled
            self.redraw(same_lines=True)

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

    def _answer(self, picked: frozenset[str]) -> None:
        """Take no more answers and tell the screen, which redraws this view with the feedback
        (or loads the next question): one paint for the key, not one here and one there.

        The message goes straight to the screen, and keys typed right after it wait until the
        screen has taken it (`quiztui.tui.typeahead`): Enter's binding is not active before,
        and the key would be lost.
        """
        assert self.presented is not None
        self.set_reactive(QuestionView.answered, True)
        for row in self.rows:
            row.highlighted = False
        screen = self.screen
        screen.post_message(self.Answered(self, self.presented, picked))
        type_ahead = getattr(self.app, "type_ahead", None)
        if type_ahead is not None:
            type_ahead.hold_until_handled(screen)

    def _show_highlight(self, *, same_lines: bool = False) -> None:
        for index, row in enumerate(self.rows):
            row.highlighted = not self.answered and index == self.highlighted
        self.redraw(same_lines=same_lines)

    def on_click(self, event: events.Click) -> None:
        """A click on a choice picks it, like its number key (a double click counts once: its
        second click would land on the next question)."""
        if event.widget is not self.page or event.chain > 1:
            return
        key = self.page.key_at(event.y)
        for row in self.rows:
            if row.key == key:
                event.stop()
                self.choose(row.number)
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
        """Right or wrong at once, the choices marked, and why: the picked and right ones."""
        self.answered = True
        self._mark(outcome.picked, explain=outcome.picked | outcome.correct_ids)
        if outcome.correct:
            self.verdict, self.verdict_right = "✓ Right", True
        else:
            numbers = [row.number for row in self.rows if row.choice.id in outcome.correct_ids]
            answer = "answers are" if len(numbers) > 1 else "answer is"
            self.verdict = f"✗ Wrong — the {answer} {numbers_phrase(numbers)}"
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
