"""A mock exam's result: the score and time, by part and by tag, the weakest areas, and every
question with the learner's answer, the right one and the explanations.

Shown when an exam ends (in the exam's place) and from the history. `w` practises the weakest
areas' questions (practice never changes the schedule); `h` opens the history of exams.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from quiztui.study.exam_results import ExamResult
from quiztui.tui.formatting import clock_text, percent, plural
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.exam_report import AnswerList, AreaTable
from quiztui.tui.widgets.key_bar import KeyBar


class ExamResultScreen(QuiztuiScreen[None]):
    """The result of one submitted exam."""

    DEFAULT_CSS = """
    ExamResultScreen {
        #exam-result { padding: 0 1; }
        .exam-block { height: auto; margin: 1 0 0 0; }
        #exam-score { text-style: bold; }
        .exam-heading { height: auto; margin: 1 0 0 0; text-style: bold; color: $accent; }
        #exam-weakest { height: auto; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "w",
            "practise_weak",
            "Practise weak areas",
            tooltip="Practise the questions of the weakest areas (never changes the schedule)",
            id="exam_result.practise",
        ),
        Binding(
            "h", "history", "History", tooltip="Every exam and its score", id="exam_result.history"
        ),
        Binding(
            "escape,enter",
            "back",
            "Back",
            tooltip="Back to where the exam began",
            id="exam_result.back",
        ),
    ]

    def __init__(self, result: ExamResult) -> None:
        """Show `result`."""
        super().__init__()
        self.result = result
        """What is shown."""

    def compose(self) -> ComposeResult:
        """The score, the two tables, the weakest areas, the questions."""
        result = self.result
        yield Header()
        with VerticalScroll(id="exam-result"):
            yield Static(self._score_text(), id="exam-score", classes="exam-block")
            yield Static(self._notes_text(), id="exam-notes")
            yield Static(self._weakest_text(), id="exam-weakest", classes="exam-block")
            yield AreaTable("Part", result.by_part, result.weakest, id="exam-by-part")
            if result.by_tag:
                yield AreaTable("Tag", result.by_tag, result.weakest, id="exam-by-tag")
            yield Static("Question by question", classes="exam-heading")
            yield AnswerList(result.questions, id="exam-answers")
        yield KeyBar()

    def on_mount(self) -> None:
        """The deck's title and when; the scroll takes the arrows."""
        exam = self.result.exam
        finished = exam.finished_at or exam.started_at
        local = finished.astimezone(self.ctx.now().tzinfo)
        self.sub_title = f"{self.result.deck.title} · exam of {local:%d %b %Y, %H:%M}"
        self.query_one("#exam-result", VerticalScroll).focus()

    def _score_text(self) -> str:
        result = self.result
        return f"Score  {result.right} of {result.total} right ({percent(result.score)})"

    def _notes_text(self) -> str:
        result = self.result
        exam = result.exam
        took = clock_text(result.seconds)
        if exam.time_limit is not None:
            took += f" of {clock_text(exam.time_limit)}"
        if exam.timed_out:
            took += " · time ran out"
        lines = [f"Time   {took}"]
        blanks = sum(1 for q in result.questions if not q.answered and not q.reviewed)
        if blanks:
            lines.append(
                f"       {plural(blanks, 'question')} unanswered: wrong in the score, no review"
            )
        if result.unanswered > blanks:  # an exam from before blanks stopped being reviews
            old = result.unanswered - blanks
            lines.append(f"       {plural(old, 'question')} unanswered, counted wrong")
        wrong = result.wrong_reviews
        if wrong == 1:
            comes = "the wrong one comes back in today's reviews"
        elif wrong:
            comes = f"the {wrong} wrong ones come back in today's reviews"
        else:
            comes = "none needs to come back today"
        lines.append(f"[dim]Every answer counted as a review; {comes}.[/dim]")
        return "\n".join(lines)

    def _weakest_text(self) -> str:
        weakest = self.result.weakest
        if not weakest:
            return "Every answer was right: no weak area."
        areas = ", ".join(f"{a.label} ({a.right}/{a.total})" for a in weakest)
        count = len(self.result.weak_question_ids())
        return f"Weakest: [b]{areas}[/b]\n[dim]w practises their {plural(count, 'question')}[/dim]"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Practice only when there is a weak area."""
        if action == "practise_weak":
            return bool(self.result.weakest)
        return True

    def action_practise_weak(self) -> None:
        """Practise the weakest areas' questions."""
        from quiztui.tui.screens.review import PracticeSpec, ReviewScreen

        result = self.result
        spec = PracticeSpec(result.deck, item_ids=tuple(result.weak_question_ids()))
        self.app.push_screen(
            ReviewScreen([result.deck], title="Practice · weakest areas", practice=spec)
        )

    def action_history(self) -> None:
        """Every exam and its score over time."""
        from quiztui.tui.screens.exam_history import ExamHistoryScreen

        self.app.push_screen(ExamHistoryScreen(self.app.decks or [self.result.deck]))

    def action_back(self) -> None:
        """Back to where the exam was begun."""
        self.dismiss()
