"""Taking a mock exam: one question at a time, answers that can change, flags, a countdown.

Nothing is marked until the end: a pick shows as a dot (ticks on a choose-all question), never
as right or wrong. The learner moves back and forth (`n`, `p`), flags a question to come back
to (`f`), and finishes (`e`) on a list of the unanswered and flagged questions. A timed exam
counts down in the corner and, at zero, is submitted as it stands, unanswered questions
counting as wrong. Escape leaves: everything is saved, and the deck offers to resume with the
time that was left. `begin_exam` is the one way in, from the deck screen or `quiztui exam`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Header, Static

from quiztui.deck.model import Deck, Question
from quiztui.study.exam import (
    ExamError,
    ExamSession,
    ExamSpec,
    abandon_left_exam,
    left_exam,
    open_exam,
    resume_exam,
)
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.formatting import clock_text
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.widgets.question import QuestionView, question_bindings

WARN_SECONDS = 60
"""Under a minute left, the countdown turns to the warning colour."""


class ExamScreen(QuiztuiScreen[None]):
    """One mock exam being taken; at the end it is replaced by its result."""

    ALLOW_DETOURS: ClassVar[bool] = False
    """The browser and the settings stay shut during an exam (they would show answers)."""

    DEFAULT_CSS = """
    ExamScreen {
        #exam-bar { height: 1; padding: 0 1; background: $panel; }
        #exam-header { width: 1fr; color: $text; }
        #exam-clock { width: auto; color: $text; text-style: bold; }
        #exam-clock.-warning { color: $warning; }
        #exam-status { height: auto; padding: 0 1; color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *[b for b in question_bindings() if getattr(b, "action", "") != "submit"],
        Binding(
            "enter",
            "pick_or_next",
            "Pick",
            tooltip="Answer with the selected choice (again: the next question)",
            id="exam.pick",
            show=False,  # the line above the keys says it; the bar keeps room for the rest
        ),
        Binding("n", "next_question", "Next", tooltip="The next question", id="exam.next"),
        Binding(
            "p", "previous_question", "Prev", tooltip="The previous question", id="exam.previous"
        ),
        # The arrows too, before the question's own (which would scroll it sideways).
        Binding("right", "next_question", "Next", show=False, priority=True, id="exam.next-arrow"),
        Binding(
            "left",
            "previous_question",
            "Prev",
            show=False,
            priority=True,
            id="exam.previous-arrow",
        ),
        Binding(
            "f", "flag", "Flag", tooltip="Flag it to come back to (again: unflag)", id="exam.flag"
        ),
        Binding(
            "c", "clear", "Clear", tooltip="Take back the answer to this question", id="exam.clear"
        ),
        Binding(
            "e",
            "finish",
            "Finish",
            tooltip="See what is unanswered or flagged, then submit",
            id="exam.finish",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="Leave the exam; it is saved, with its time, and can be resumed",
            id="exam.leave",
        ),
    ]

    answered_now: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """Whether the question shown has an answer (Clear applies)."""

    def __init__(self, deck: Deck, spec: ExamSpec | None = None) -> None:
        """A new exam of `deck` as `spec` says, or (None) the one left half-way."""
        super().__init__()
        self.deck = deck
        """The deck examined."""
        self.spec = spec
        """What a new exam asks; None to resume the one left."""
        self.session: ExamSession | None = None
        """The core session (None until mounted)."""
        self.monotonic: Callable[[], float] = time.monotonic
        """Where the countdown reads the time (tests put a hand on it)."""
        self._last_tick = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """The bar (where we are, the clock), the question, a status line, the keys."""
        yield Header()
        with Horizontal(id="exam-bar"):
            yield Static(id="exam-header")
            yield Static(id="exam-clock")
        yield QuestionView(id="exam-question")
        yield Static(id="exam-status")
        yield KeyBar()

    def on_mount(self) -> None:
        """Open (or resume) the exam and start its clock."""
        self.sub_title = f"{self.deck.title} · mock exam"
        ctx, seed = self.ctx, self.app.seed
        try:
            if self.spec is None:
                self.session = resume_exam(ctx, self.deck, seed=seed)
            else:
                self.session = open_exam(ctx, self.deck, self.spec, seed=seed)
        except ExamError as error:
            self.notify(str(error).capitalize() + ".", title="No exam", severity="error")
            self.call_after_refresh(self.dismiss)
            return
        if self.session is None:
            self.notify("There is no exam to resume.", severity="warning")
            self.call_after_refresh(self.dismiss)
            return
        self._last_tick = self.monotonic()
        self._timer = self.set_interval(1.0, self.tick)
        self._show()
        self.query_one(QuestionView).focus()

    def on_unmount(self) -> None:
        """Quitting the app mid-exam keeps the time used too."""
        if self.session is not None and not self.session.finished:
            self._count_time()
            self.session.save()

    # ------------------------------------------------------------------ showing

    def _show(self) -> None:
        """The current question with its answer so far, and the bar and status for it."""
        session = self.session
        assert session is not None
        view = self.query_one(QuestionView)
        view.load(session.current, heading=f"Question {session.position + 1} of {session.total}")
        view.show_pick(session.answer_of())
        self._refresh_bar()

    def _refresh_bar(self) -> None:
        session = self.session
        assert session is not None
        bits = [
            "[b]Exam[/b]",
            f"{session.position + 1}/{session.total}",
            f"{session.answered_count} answered",
        ]
        flagged = len(session.flagged())
        if flagged:
            bits.append(f"⚑ {flagged} flagged")
        self.query_one("#exam-header", Static).update(" · ".join(bits))
        self._refresh_clock()
        status = "[b]⚑ Flagged.[/b] " if session.is_flagged() else ""
        item = session.current.item
        if isinstance(item, Question) and item.is_multiple_answer:
            status += "Tick every right choice (a digit, or ↑ ↓ and Enter); e to finish."
        else:
            status += "Pick an answer: a digit, or ↑ ↓ and Enter (you can change it)."
        self.query_one("#exam-status", Static).update(
            f"{status} [dim]Nothing is marked until the end.[/dim]"
        )
        self.answered_now = bool(session.answer_of())
        self.refresh_bindings()

    def _refresh_clock(self) -> None:
        session = self.session
        assert session is not None
        clock = self.query_one("#exam-clock", Static)
        left = session.time_left
        if left is None:
            clock.update(f"⏱ {clock_text(session.elapsed)}")
            clock.set_class(False, "-warning")
        else:
            clock.update(f"⏱ {clock_text(left)} left")
            clock.set_class(left < WARN_SECONDS, "-warning")

    # ------------------------------------------------------------------ the clock

    def _count_time(self) -> None:
        """Count the time since the last tick on the question shown."""
        now = self.monotonic()
        if self.session is not None:
            self.session.add_time(now - self._last_tick)
        self._last_tick = now

    def tick(self) -> None:
        """Once a second: count the time; at zero, the exam is submitted as it stands."""
        session = self.session
        if session is None or session.finished:
            return
        self._count_time()
        self._refresh_clock()
        if session.out_of_time:
            self._submit(timed_out=True)

    # ------------------------------------------------------------------ answering

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what applies: a digit that names a choice, Clear once answered, Prev and Next
        where there is a question to go to."""
        session = self.session
        if session is None or session.finished:
            return action == "leave"
        if action == "choose":
            number = parameters[0] if parameters else 0
            return isinstance(number, int) and self.query_one(QuestionView).can_choose(number)
        if action == "clear":
            return self.answered_now
        if action == "previous_question":
            return session.position > 0
        if action == "next_question":
            return session.position < session.total - 1
        return True

    def _pick(self, picked: frozenset[str]) -> None:
        session = self.session
        if session is None or session.finished:
            return
        session.pick(picked)
        self.query_one(QuestionView).show_pick(session.answer_of())
        self._refresh_bar()

    def action_choose(self, number: int) -> None:
        """A digit picks that choice (ticks it, on a choose-all question: see `_ticked`)."""
        picked = self.query_one(QuestionView).choose(number)
        if picked is not None:
            self._pick(picked)

    @on(QuestionView.Ticked)
    def _ticked(self, message: QuestionView.Ticked) -> None:
        """On a choose-all question, what is ticked is the answer."""
        message.stop()
        session = self.session
        if session is not None and message.presented is session.current:
            self._pick(message.ticked)

    @on(QuestionView.Confirmed)
    def _confirmed(self, message: QuestionView.Confirmed) -> None:
        """A second click on a selected choice picks it."""
        message.stop()
        session = self.session
        if session is not None and message.presented is session.current:
            self._pick(message.picked)

    def action_pick_or_next(self) -> None:
        """Enter: pick the selected choice; when it is already the answer, go on."""
        session = self.session
        if session is None:
            return
        view = self.query_one(QuestionView)
        if not view.multiple and view.selected is not None:
            choice = frozenset({view.rows[view.selected].choice.id})
            if choice != session.answer_of():
                self._pick(choice)
                return
        if session.position < session.total - 1:
            self.action_next_question()
        else:
            self.action_finish()

    def action_clear(self) -> None:
        """Take back this question's answer."""
        self._pick(frozenset())

    def action_flag(self) -> None:
        """Flag the question to come back to, or unflag it."""
        if self.session is not None:
            self.session.toggle_flag()
            self._refresh_bar()

    def go(self, index: int) -> None:
        """Show question `index` (0-based)."""
        if self.session is not None:
            self._count_time()
            self.session.go(index)
            self._show()

    def action_next_question(self) -> None:
        """The next question."""
        if self.session is not None:
            self.go(self.session.position + 1)

    def action_previous_question(self) -> None:
        """The previous question."""
        if self.session is not None:
            self.go(self.session.position - 1)

    # ------------------------------------------------------------------ the end

    def action_finish(self) -> None:
        """The list of questions, the unanswered and flagged ones marked; submit from there."""
        from quiztui.tui.screens.exam_overview import ExamOverviewScreen

        session = self.session
        if session is None:
            return

        def chosen(choice: int | str | None) -> None:
            if choice == "submit":
                self._submit(timed_out=False)
            elif isinstance(choice, int):
                self.go(choice)

        self.app.push_screen(ExamOverviewScreen(session), chosen)

    def _submit(self, *, timed_out: bool) -> None:
        """Submit (committed) and show the result in this screen's place."""
        from quiztui.tui.screens.exam_result import ExamResultScreen

        session = self.session
        if session is None or session.finished:
            return
        if self._timer is not None:
            self._timer.stop()
        result = session.submit(timed_out=timed_out)
        self.app.tell_new_leeches()
        while self.app.screen is not self:  # time ran out with the list of questions open
            self.app.pop_screen()
        if timed_out:
            self.notify("Time is up: the exam was submitted as it stood.", severity="warning")
        self.app.switch_screen(ExamResultScreen(result))

    def action_leave(self) -> None:
        """Leave; the exam is kept, with the time it has left, to resume from the deck."""
        session = self.session
        if session is not None and not session.finished:
            self._count_time()
            session.save()
            left = session.time_left
            remaining = "" if left is None else f", with {clock_text(left)} left"
            self.notify(
                f"Your exam is saved{remaining}: press e on the deck to resume it.", timeout=6
            )
        self.dismiss()


def begin_exam(app: QuiztuiApp, deck: Deck, spec: ExamSpec | None = None) -> None:
    """Start an exam of `deck`: offer to resume one left half-way, else take `spec` (or ask
    for one with the set-up form) and open it."""
    from quiztui.tui.screens.confirm import ChoiceDialog
    from quiztui.tui.screens.exam_setup import ExamSetupScreen

    def start(new: ExamSpec | None) -> None:
        if new is not None:
            app.push_screen(ExamScreen(deck, new))

    def fresh() -> None:
        if spec is not None:
            start(spec)
        else:
            app.push_screen(ExamSetupScreen(deck), start)

    left = left_exam(app.ctx, deck)
    if left is None:
        fresh()
        return
    time_left = "" if left.time_left is None else f" with {clock_text(left.time_left)} left"

    def chosen(resume: bool | None) -> None:
        if resume:
            app.push_screen(ExamScreen(deck, None))
        elif resume is False:
            abandon_left_exam(app.ctx, deck)
            fresh()

    app.push_screen(
        ChoiceDialog(
            f"You left an exam of {deck.title} after answering {left.answered} of"
            f" {left.total} questions{time_left}. Your answers are saved.",
            yes="Resume",
            no="Start over",
        ),
        chosen,
    )
