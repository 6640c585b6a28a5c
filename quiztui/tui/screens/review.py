"""The day's reviews across decks, and practice sessions that never change the schedule.

Questions and key points come mixed, in the order the session gives them: due items first,
then new ones, then same-day re-drills of anything graded below 4. A question is answered in a
`QuestionView` (after a right answer, `3` says "guessed" and `5` "knew it"); a key point is a
`FlashCard` (Space reveals, then SM-2's 0-5). Every answer is committed before the next card,
so Escape leaves at any time; `u` takes answers back one by one, restoring each item's state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Header, Static

from quiztui.deck.model import Deck, Question
from quiztui.study import (
    CONFIDENCE_NOTES,
    Presented,
    ReviewSession,
    ReviewSummary,
    open_practice,
    open_review,
)
from quiztui.study.preview import next_intervals
from quiztui.tui.formatting import interval_text, percent, relative_day
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.flashcard import CardScroll, FlashCard, flashcard_bindings
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.widgets.question import QuestionView, confidence_bindings, question_bindings

Phase = Literal["loading", "question", "feedback", "front", "back", "empty", "done"]
"""Where the screen stands: which keys apply."""

REVIEW_GRADE_NOTE = 'A grade marked "today" brings the card back later in this session.'
"""Under the grade legend in reviews: such a grade means a same-day re-drill."""


@dataclass(frozen=True, slots=True)
class PracticeSpec:
    """What to practise: a part's items (or the whole deck's), or only the wrong questions."""

    deck: Deck
    part_id: str | None = None
    """The part to practise; None for the whole deck."""
    wrong_only: bool = False
    """Only the questions whose latest answer was wrong."""
    item_ids: tuple[str, ...] | None = None
    """Exactly these items (an exam's weakest areas), when given."""


class ReviewScreen(QuiztuiScreen[None]):
    """One review or practice session: a card at a time, then a summary of what it did."""

    DEFAULT_CSS = """
    ReviewScreen {
        #review-header { height: 1; padding: 0 1; background: $panel; color: $text; }
        #review-body { height: 1fr; }
        .review-scroll { height: 1fr; }
        #review-status { height: auto; padding: 0 1; color: $text-muted; }
        .review-panel {
            height: auto;
            margin: 1 2;
            padding: 1 2;
            border: round $accent;
            border-title-color: $accent;
        }
        .review-panel.-practice { border: round $warning; border-title-color: $warning; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter first, so the footer shows "⏎ Next" (Space and n do the same).
        Binding(
            "enter,n,space",
            "next",
            "Next",
            tooltip="On to the next card",
            id="review.next",
        ),
        # The grades before the answer keys, so the key bar reads "012345" (the keys are
        # listed in the order they were first bound).
        *flashcard_bindings(),
        *question_bindings(),
        *confidence_bindings(),
        Binding(
            "enter",
            "done",
            "Done",
            tooltip="Leave the finished session",
            id="review.done",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Take back the last answer and show that card again",
            id="review.undo",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="Leave the session (every answer is already saved)",
            id="review.leave",
        ),
    ]

    phase: reactive[Phase] = reactive("loading", bindings=True, repaint=False)
    """Which keys apply: answering, reading feedback, a card's front or back, or the end."""

    def __init__(
        self,
        decks: list[Deck],
        *,
        title: str = "Today's reviews",
        practice: PracticeSpec | None = None,
    ) -> None:
        """Review `decks`' due and new items, or practise what `practice` names."""
        super().__init__()
        self.decks = list(decks)
        """The decks whose items are reviewed."""
        self.title_text = title
        """Shown as the header's sub-title."""
        self.practice = practice
        """What to practise, or None for the day's reviews."""
        self.session: ReviewSession | None = None
        """The core session (None until mounted)."""
        self.last_right = False
        """True when the item on screen is a question just answered right (3 / 5 apply)."""
        self.question_intervals: dict[int, int] = {}
        """For the question on screen, the days each grade would schedule it for (taken before
        it is answered: the 3 / 5 keys regrade that answer)."""
        self._shown_at = time.monotonic()
        """When the item on screen appeared, to log the seconds the answer took."""

    @property
    def is_practice(self) -> bool:
        """True for a practice session (logged, never rescheduling)."""
        return self.practice is not None

    def compose(self) -> ComposeResult:
        """The header line ("Review · 12 left"), the item area, a status line, the keys.

        The item area holds one question view, one flashcard and the end panel, all hidden
        until used: each card is loaded into the same widgets, so moving on mounts nothing.
        """
        yield Header()
        yield Static(id="review-header")
        with Vertical(id="review-body"):
            yield QuestionView(id="review-question")
            with CardScroll(id="review-card", classes="review-scroll"):
                yield FlashCard(grade_note=REVIEW_GRADE_NOTE)
            with VerticalScroll(id="review-end", classes="review-scroll"):
                yield Static(id="review-panel", classes="review-panel")
        yield Static(id="review-status")
        yield KeyBar()

    async def on_mount(self) -> None:
        """Open the session and show its first item (or the empty state)."""
        self.sub_title = self.title_text
        for area in self.body.children:
            area.display = False
        ctx = self.ctx
        seed = self.app.seed
        if self.practice is not None:
            spec = self.practice
            self.session = open_practice(
                ctx,
                spec.deck,
                part_id=spec.part_id,
                wrong_only=spec.wrong_only,
                item_ids=spec.item_ids,
                seed=seed,
            )
        else:
            self.session = open_review(ctx, self.decks, seed=seed)
        await self._show_current()

    # ------------------------------------------------------------------ showing

    @property
    def body(self) -> Vertical:
        """The area that holds the question, the flashcard or the end panel."""
        return self.query_one("#review-body", Vertical)

    @property
    def item_view(self) -> QuestionView | FlashCard | None:
        """The question or flashcard on screen, if any."""
        view = self.query_one(QuestionView)
        if view.display:
            return view
        if self.query_one("#review-card").display:
            return self.query_one(FlashCard)
        return None

    def _set_status(self, text: str) -> None:
        self.query_one("#review-status", Static).update(text)

    def _set_header(self, text: str) -> None:
        self.query_one("#review-header", Static).update(text)

    def _show_area(self, area: Widget) -> None:
        """Show `area` (the question, the card's scroll or the end's) alone; it takes the focus.

        The question view takes the answering keys; a scroll takes the arrows while the screen
        takes the rest. Focus moves only when the kind of item changes.
        """
        for child in self.body.children:
            if child is not area:
                child.display = False
        area.display = True
        if self.focused is not area:
            area.focus(scroll_visible=False)

    async def _show_current(self) -> None:
        """Show the session's current item unanswered, or the end (summary or empty state)."""
        session = self.session
        assert session is not None
        presented = session.current
        self.last_right = False
        if presented is None:
            self._show_end(session)
            return
        self._set_header(self._header_line(session, presented))
        heading = self._heading(presented)
        if isinstance(presented.item, Question):
            self.question_intervals = self._intervals(presented)
            view = self.query_one(QuestionView)
            view.load(presented, heading=heading)
            self._show_area(view)
            self._set_status(
                "[dim]Tick every right choice (a digit or Space), then Enter.[/dim]"
                if presented.item.is_multiple_answer
                else "[dim]Pick an answer: a digit, or ↑ ↓ and Enter.[/dim]"
            )
            self._set_phase("question")
        else:
            intervals = self._intervals(presented)
            self.query_one(FlashCard).load(presented, heading=heading, intervals=intervals)
            scroll = self.query_one("#review-card", VerticalScroll)
            scroll.scroll_home(animate=False, immediate=True)
            self._show_area(scroll)
            self._set_status("[dim]Recall the back, then Space to check it.[/dim]")
            self._set_phase("front")
        self._shown_at = time.monotonic()

    def _intervals(self, presented: Presented) -> dict[int, int]:
        """Days each grade would schedule the item for; none in practice or a re-drill, where
        a grade changes no schedule."""
        if self.is_practice or presented.is_redrill:
            return {}
        return next_intervals(self.ctx, presented.deck, presented.item)

    def _set_phase(self, phase: Phase) -> None:
        """Move to `phase` and refresh the keys, also when the phase stays the same (a new card
        in the same phase can change them: undo, re-drills). A change of phase refreshes them
        by itself (`bindings=True`), so they are refreshed once either way."""
        if self.phase == phase:
            self.refresh_bindings()
        else:
            self.phase = phase

    def _header_line(self, session: ReviewSession, presented: Presented) -> str:
        """ "Review · 12 left · re-drill: …" for the item on screen."""
        label = "Practice" if self.is_practice else "Review"
        parts = [f"[b]{label}[/b]", f"{session.remaining} left"]
        # "of them" counts within what is left, so the re-drill on screen is one of them.
        again = session.redrills_waiting + (1 if presented.is_redrill else 0)
        if again:
            parts.append(f"{again} of them again today")
        if presented.is_redrill:
            parts.append("[b]this one[/b]: graded below 4")
        if self.is_practice:
            parts.append("never changes your schedule")
        return " · ".join(parts)

    def _heading(self, presented: Presented) -> str:
        """The dim line above the item: its deck when reviewing several, and its section."""
        bits: list[str] = []
        if len(self.decks) > 1:
            bits.append(presented.deck.title)
        if isinstance(presented.item, Question) and presented.item.section:
            bits.append(f"Section {presented.item.section}")
        return " · ".join(bits)

    # ------------------------------------------------------------------ the end

    def _show_end(self, session: ReviewSession) -> None:
        """The summary after a session, or the empty state when nothing was there to do."""
        summary = session.summary()
        today = self.ctx.today()
        panel = self.query_one("#review-panel", Static)
        if summary.answered == 0:
            panel.update(self._empty_text(summary, today))
            panel.border_title = "Nothing to practise" if self.is_practice else "All done"
            self._set_header(
                "[b]Practice[/b] · never changes your schedule"
                if self.is_practice
                else "[b]Review[/b] · nothing due"
            )
            phase: Phase = "empty"
        else:
            panel.update(self._summary_text(summary, today))
            panel.border_title = "Practice done" if self.is_practice else "Session done"
            self._set_header(
                "[b]Practice[/b] · finished" if self.is_practice else "[b]Review[/b] · finished"
            )
            phase = "done"
        panel.set_class(self.is_practice, "-practice")
        self._show_area(self.query_one("#review-end", VerticalScroll))
        undo_hint = " · u takes back the last answer" if session.can_undo else ""
        self._set_status(f"[dim]Enter or Escape to go back{undo_hint}.[/dim]")
        self._set_phase(phase)

    def _empty_text(self, summary: ReviewSummary, today: date) -> str:
        """What to say when the session has nothing to ask."""
        if self.is_practice:
            spec = self.practice
            assert spec is not None
            if spec.wrong_only:
                return "No question's latest answer is wrong: nothing to practise here."
            return (
                "Nothing to practise here yet.\n\n"
                "Practice goes over what you have already seen, so it never gives away a"
                " check you have not taken: take the part's checks or key points first."
            )
        when = relative_day(summary.next_due, today)
        if summary.next_due is None:
            return (
                "Nothing is due right now, and nothing is scheduled yet.\n\n"
                "Study a part (its key points and post-reading check) and its items"
                " join the daily reviews."
            )
        return f"Nothing is due right now.\n\nThe next items are due [b]{when}[/b]."

    def _summary_text(self, summary: ReviewSummary, today: date) -> str:
        """The numbers of a finished session, and when the next items are due."""
        right = summary.right
        answered = summary.answered
        lines = [
            f"Answered      [b]{answered}[/b]",
            f"Right         [b]{right}[/b]  ({percent(right / answered)})",
            f"Re-drilled    [b]{summary.redrilled}[/b]",
        ]
        if self.is_practice:
            lines += [
                "",
                "Practice answers are logged, but they never change when items are due.",
            ]
        else:
            when = relative_day(summary.next_due, today)
            lines += [
                f"Due tomorrow  [b]{summary.due_tomorrow}[/b]",
                f"Next due      [b]{when}[/b]",
                "",
                "Everything is saved.",
            ]
        return "\n".join(lines)

    # ------------------------------------------------------------------ answering

    def action_choose(self, number: int) -> None:
        """A digit: the answer on a single-answer question, a tick on a choose-all one."""
        picked = self.query_one(QuestionView).choose(number)
        if picked is not None:
            self._answer(picked)

    def action_submit(self) -> None:
        """Enter: answer with the selected choice (the ticked ones on a choose-all question)."""
        picked = self.query_one(QuestionView).submission()
        if picked is not None:
            self._answer(picked)

    @on(QuestionView.Confirmed)
    def _confirmed(self, message: QuestionView.Confirmed) -> None:
        """A second click on a selected choice answers with it."""
        message.stop()
        session = self.session
        if session is not None and message.presented is session.current:
            self._answer(message.picked)

    def _answer(self, picked: frozenset[str]) -> None:
        """Log the answer (committed), show right/wrong with the explanations."""
        session = self.session
        if session is None or self.phase != "question":
            return
        view = self.query_one(QuestionView)
        view.take_answer()
        outcome = session.answer_question(picked, time.monotonic() - self._shown_at)
        self.app.tell_new_leeches()
        view.show_feedback(outcome)
        self.last_right = outcome.correct
        days = {g: f" · {interval_text(d)}" for g, d in self.question_intervals.items()}
        if outcome.correct:
            self._set_status(
                f"[b]Right[/b] (4{days.get(4, '')}).  3 guessed{days.get(3, '')}, 5 knew it"
                f"{days.get(5, '')}; Enter for the next."
            )
        else:
            self._set_status(
                f"[b]Not quite[/b] (1{days.get(1, '')}).  It comes back later in this session;"
                " Enter for the next."
            )
        self._set_phase("feedback")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that apply now are shown: reveal before grades, 3/5 after a right
        answer, undo when there is an answer to take back, Enter to go back at the end."""
        session = self.session
        phase = self.phase
        if session is None:
            return action == "leave"
        if action in ("choose", "submit"):
            if phase != "question":
                return False
            view = self.query_one(QuestionView)
            if action == "submit":
                return view.can_submit
            number = parameters[0] if parameters else 0
            return isinstance(number, int) and view.can_choose(number)
        if action == "reveal":
            return phase == "front"
        if action == "grade":
            return phase == "back"
        if action == "confidence":
            return phase == "feedback" and self.last_right and session.can_set_confidence
        if action == "next":
            return phase == "feedback"
        if action == "undo":
            return session.can_undo and phase != "loading"
        if action == "done":
            return phase in ("empty", "done")
        return True

    def action_reveal(self) -> None:
        """Show the back of the flashcard and the grade legend."""
        view = self.item_view
        if self.phase == "front" and isinstance(view, FlashCard):
            view.reveal()
            self._set_status("[dim]How well did you recall it? Grade 0-5.[/dim]")
            self._set_phase("back")

    async def action_grade(self, grade: int) -> None:
        """Grade the flashcard (committed) and show the next item."""
        session = self.session
        if session is None or self.phase != "back":
            return
        session.grade_flashcard(grade, time.monotonic() - self._shown_at)
        self.app.tell_new_leeches()
        await self._show_current()

    @on(FlashCard.GradeClicked)
    async def _grade_clicked(self, message: FlashCard.GradeClicked) -> None:
        """A second click on a grade of the legend grades the card, as its key does."""
        message.stop()
        await self.action_grade(message.grade)

    def action_confidence(self, grade: int) -> None:
        """Regrade the right answer just given: 3 guessed (comes back today), 5 knew it."""
        session = self.session
        if session is None or not session.can_set_confidence:
            return
        session.set_confidence(grade)
        label = "guessed" if grade == 3 else "knew it"
        self._set_status(f"Marked [b]{label}[/b] ({grade}): {CONFIDENCE_NOTES[grade]}.")
        self.refresh_bindings()

    async def action_next(self) -> None:
        """On to the next item (the answer on screen is already saved)."""
        if self.phase == "feedback":
            await self._show_current()

    async def action_undo(self) -> None:
        """Take back the last answer: that item comes back unanswered, its state restored."""
        session = self.session
        if session is not None and session.undo():
            await self._show_current()
            self.notify("The last answer was taken back.", timeout=2)

    def action_done(self) -> None:
        """Leave the finished session."""
        self.dismiss()

    def action_leave(self) -> None:
        """Leave at any point; every answer is already saved."""
        self.dismiss()
