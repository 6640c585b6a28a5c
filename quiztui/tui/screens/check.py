"""A pre- or post-reading check of one part: one question at a time, every answer saved at once.

The post-check tells right or wrong after each answer and, after a right one, asks how sure the
learner was (3 guessed, 5 knew it), which becomes the SM-2 grade. The pre-check says nothing
until the end, so it measures what the learner knew before reading; then it reviews every
question with all its explanations. Both end on the part's results.
"""

from __future__ import annotations

import time
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Header, ProgressBar, Static

from quiztui.deck.model import CheckName, Deck
from quiztui.study import CONFIDENCE_NOTES, CheckSession, Presented, open_check
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.screens.results import ResultsScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.widgets.question import QuestionView, confidence_bindings, question_bindings

CHECK_TITLES: dict[CheckName, str] = {
    "pre": "Pre-reading check",
    "post": "Post-reading check",
}
"""How each check is named on screen."""

Phase = Literal["asking", "feedback", "review", "empty"]
"""Where the screen stands: a question waits for an answer; a post answer's feedback is shown;
the pre-check's closing review is shown; or the check has no questions."""


class CheckScreen(QuiztuiScreen[None]):
    """Ask a part's pre- or post-check, one question at a time, then show the results."""

    DEFAULT_CSS = """
    CheckScreen #check-bar {
        height: 1;
        padding: 0 1;
    }
    CheckScreen #check-title {
        width: 1fr;
        text-style: bold;
    }
    CheckScreen #check-progress {
        width: auto;
    }
    CheckScreen #check-body {
        height: 1fr;
    }
    CheckScreen #check-confidence {
        height: auto;
        padding: 0 2;
        color: $text-muted;
    }
    CheckScreen #check-note {
        height: 1;
        padding: 0 2;
        color: $text-muted;
        text-style: italic;
    }
    CheckScreen #check-empty {
        padding: 1 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="Stop here; every answer is saved, and the check resumes where you left it",
            id="check.leave",
        ),
        *question_bindings(),
        *confidence_bindings(),
        Binding("enter,n,space", "next", "Next", tooltip="The next question", id="check.next"),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Take back your last answer and answer that question again",
            id="check.undo",
        ),
        Binding(
            "p",
            "previous",
            "Previous",
            tooltip="The previous question of the review",
            id="check.previous",
        ),
        Binding(
            "enter,n,space,r",
            "results",
            "Results",
            tooltip="Scores, the learning gain and what to revisit",
            id="check.results",
        ),
    ]

    phase: reactive[Phase] = reactive[Phase]("asking", bindings=True, repaint=False)
    """What the screen is showing, which decides the keys that apply."""

    def __init__(self, deck: Deck, part_id: str, check: CheckName, *, resume: bool = True) -> None:
        """Ask `check` of the part `part_id`; resume a left-off attempt when `resume`."""
        super().__init__()
        self.deck = deck
        self.part_id = part_id
        self.check: CheckName = check
        self.resume = resume
        self.session: CheckSession | None = None
        """Opened on mount (None for a check with no questions)."""
        self.review_index = 0
        """In the pre-check's closing review, the question shown (0-based)."""
        self.confidence: int | None = None
        """The confidence given to the answer on screen (3 or 5), if any."""
        self._shown_at = 0.0
        """When the question on screen was shown (time.monotonic), to time the answer."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="check-bar"):
            yield Static(id="check-title")
            yield ProgressBar(id="check-progress", show_eta=False, show_percentage=False)
        with Vertical(id="check-body"):
            yield QuestionView(id="check-question")
        yield Static(id="check-confidence")
        yield Static("Answers are saved as you go.", id="check-note")
        yield KeyBar()

    async def on_mount(self) -> None:
        part = self.deck.part(self.part_id)
        self.title = self.deck.title
        self.sub_title = part.title
        if part.check_question_ids(self.check):
            self.session = open_check(
                self.ctx,
                self.deck,
                self.part_id,
                self.check,
                seed=self.app.seed,
                resume=self.resume,
            )
        session = self.session
        if session is None or not session.questions:
            await self._show_empty()
            return
        progress = self.query_one("#check-progress", ProgressBar)
        progress.update(total=len(session.questions), progress=len(session.answers))
        if session.finished:
            # Every answer was saved but the attempt was left open: close it now.
            session.finish()
            await self._after_last()
            return
        if session.resumed and session.answers:
            self.notify(
                f"Carrying on at question {session.position + 1} of {len(session.questions)}.",
                title="Welcome back",
                timeout=4,
            )
        await self._ask()

    # ------------------------------------------------------------------ showing

    @property
    def view(self) -> QuestionView | None:
        """The question on screen, if any."""
        view = self.query_one(QuestionView)
        return view if view.display and view.presented is not None else None

    def _show(self, presented: Presented, heading: str) -> QuestionView:
        """Load `presented` into the screen's one question view, shown and focused."""
        view = self.query_one(QuestionView)
        view.load(presented, heading=heading)
        view.display = True
        if self.focused is not view:
            view.focus(scroll_visible=False)
        return view

    async def _show_empty(self) -> None:
        self.phase = "empty"
        self.query_one(QuestionView).display = False
        self.query_one("#check-bar").display = False
        self.query_one("#check-note").display = False
        await self.query_one("#check-body").mount(
            Static(
                f"This part has no {CHECK_TITLES[self.check].lower()} questions."
                "\n\nPress [b]Esc[/b] to go back.",
                id="check-empty",
            )
        )

    async def _ask(self) -> None:
        """Show the current question and start timing the answer."""
        session = self.session
        assert session is not None and session.current is not None
        self.phase = "asking"
        self.confidence = None
        self._set_confidence_text("")
        self.query_one("#check-title", Static).update(CHECK_TITLES[self.check])
        self._show(session.current, self._heading(session.position))
        self._shown_at = time.monotonic()

    def _heading(self, index: int) -> str:
        session = self.session
        assert session is not None
        presented = session.questions[index]
        heading = f"Question {index + 1} of {len(session.questions)}"
        section = getattr(presented.item, "section", None)
        return f"{heading} · section {section}" if section else heading

    def _set_confidence_text(self, text: str) -> None:
        widget = self.query_one("#check-confidence", Static)
        widget.update(text)
        widget.display = bool(text)

    # ------------------------------------------------------------------ answering

    async def action_choose(self, number: int) -> None:
        """A digit: the answer on a single-answer question, a tick on a choose-all one."""
        picked = self.query_one(QuestionView).choose(number)
        if picked is not None:
            await self._answer(picked)

    async def action_submit(self) -> None:
        """Enter: answer with the selected choice (the ticked ones on a choose-all question)."""
        picked = self.query_one(QuestionView).submission()
        if picked is not None:
            await self._answer(picked)

    @on(QuestionView.Confirmed)
    async def _confirmed(self, message: QuestionView.Confirmed) -> None:
        """A second click on a selected choice answers with it."""
        message.stop()
        session = self.session
        if session is not None and message.presented is session.current:
            await self._answer(message.picked)

    async def _answer(self, picked: frozenset[str]) -> None:
        """Save the answer at once; then feedback (post) or the next question (pre)."""
        session = self.session
        if session is None or self.phase != "asking" or session.current is None:
            return
        view = self.query_one(QuestionView)
        view.take_answer()
        seconds = max(time.monotonic() - self._shown_at, 0.0)
        outcome = session.answer(picked, seconds)
        self.app.tell_new_leeches()
        if session.finished and self.check == "pre":
            session.finish()  # its review shows every answer: no taking back after that
        self.query_one("#check-progress", ProgressBar).update(progress=len(session.answers))
        if self.check == "post":
            view.show_feedback(outcome)
            self.phase = "feedback"
            if session.can_set_confidence:
                self._set_confidence_text(
                    "How sure were you? [b]3[/b] guessed · [b]5[/b] knew it · [b]Enter[/b] goes on"
                )
            self.refresh_bindings()
            return
        if session.finished:
            await self._after_last()
        else:
            await self._ask()

    async def _after_last(self) -> None:
        """After the last answer: the pre-check's review, or the results."""
        if self.check == "pre":
            await self._review(0)
        else:
            self.action_results()

    # ------------------------------------------------------------------ the pre-check's review

    async def _review(self, index: int) -> None:
        """Show question `index` with every explanation and the learner's pick."""
        session = self.session
        assert session is not None
        self.review_index = index
        self.phase = "review"
        self._set_confidence_text("")
        result = session.result()
        self.query_one("#check-title", Static).update(
            f"Review · {result.correct} of {result.answered} right before reading"
        )
        presented = session.questions[index]
        view = self._show(presented, self._heading(index))
        answer = session.answers.get(presented.item.id)
        view.show_all_explanations(answer.picked if answer is not None else None)
        self.refresh_bindings()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Confidence only after a right post answer; Next and Results only once answered."""
        session = self.session
        if action in ("choose", "submit"):
            view = self.query_one(QuestionView)
            if self.phase != "asking":
                return False
            if action == "submit":
                return view.can_submit
            number = parameters[0] if parameters else 0
            return isinstance(number, int) and view.can_choose(number)
        if action == "confidence":
            return self.phase == "feedback" and session is not None and session.can_set_confidence
        if action == "next":
            if session is None:
                return False
            if self.phase == "feedback":
                return not session.finished
            return self.phase == "review" and self.review_index < len(session.questions) - 1
        if action == "previous":
            return self.phase == "review" and self.review_index > 0
        if action == "undo":
            return session is not None and session.can_undo and self.phase in ("asking", "feedback")
        if action == "results":
            if self.phase == "review":
                return True
            return self.phase == "feedback" and session is not None and session.finished
        return True

    def action_confidence(self, grade: int) -> None:
        """Regrade the right answer just given: 3 guessed, 5 knew it."""
        session = self.session
        if session is None or not session.can_set_confidence:
            return
        session.set_confidence(grade)
        self.confidence = grade
        label = "guessed" if grade == 3 else "knew it"
        self._set_confidence_text(
            f"Noted: {label}, so {CONFIDENCE_NOTES[grade]}. [b]Enter[/b] goes on."
        )

    async def action_next(self) -> None:
        """The next question (or, in the review, the next explained question)."""
        session = self.session
        if session is None:
            return
        if self.phase == "review":
            if self.review_index < len(session.questions) - 1:
                await self._review(self.review_index + 1)
            return
        if self.phase == "feedback" and not session.finished:
            await self._ask()

    async def action_previous(self) -> None:
        """The previous question of the pre-check's review."""
        if self.phase == "review" and self.review_index > 0:
            await self._review(self.review_index - 1)

    async def action_undo(self) -> None:
        """Take back the last answer: that question is asked again, unanswered."""
        session = self.session
        if session is None or not session.can_undo:
            return
        session.undo()
        self.query_one("#check-progress", ProgressBar).update(progress=len(session.answers))
        await self._ask()
        self.notify("Your last answer was taken back.", timeout=2)

    def _finish_if_answered(self) -> None:
        """Close the attempt once every question is answered (a post-check is closed when
        its results are opened or the learner leaves, so its last answer can be taken back)."""
        session = self.session
        if session is not None and session.finished and not session.attempt.finished:
            session.finish()

    def action_results(self) -> None:
        """The part's results: scores, gain and what to revisit."""
        self._finish_if_answered()
        self.app.switch_screen(ResultsScreen(self.deck, self.part_id, just_finished=self.check))

    def action_leave(self) -> None:
        """Leave the check; every answer is already saved."""
        self._finish_if_answered()
        self.dismiss()
