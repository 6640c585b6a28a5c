"""Before submitting a mock exam: every question, the unanswered and flagged ones marked.

Opened with `e` from the exam. Enter goes to the highlighted question, `s` submits, Escape
goes back to the question that was shown. It returns the question to go to, "submit", or None.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quiztui.study.exam import ExamSession
from quiztui.tui.formatting import clock_text, first_line
from quiztui.tui.screens.base import QuiztuiModal
from quiztui.tui.widgets.key_bar import KeyBar


class ExamOverviewScreen(QuiztuiModal[int | str | None]):
    """The exam's questions with their state; go to one, or submit."""

    DEFAULT_CSS = """
    ExamOverviewScreen {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 100;
            height: 90%;
            border: thick $accent;
            border-title-color: $accent;
            background: $panel;
            padding: 0 1;
        }
        #overview-summary { height: auto; padding: 0 0 1 0; }
        #overview-list { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "submit",
            "Submit",
            tooltip="Submit the exam and see the result",
            id="exam_overview.submit",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Back to the question you were on",
            id="exam_overview.back",
        ),
    ]

    def __init__(self, session: ExamSession) -> None:
        """List `session`'s questions."""
        super().__init__()
        self.session = session
        """The exam being taken."""

    def compose(self) -> ComposeResult:
        """The counts and what submitting does, then one line per question."""
        with Vertical() as box:
            box.border_title = "Finish the exam"
            yield Static(self._summary(), id="overview-summary")
            yield OptionList(*self._options(), id="overview-list")
        yield KeyBar()

    def _summary(self) -> str:
        session = self.session
        unanswered = len(session.unanswered())
        flagged = len(session.flagged())
        lines = [
            f"[b]{session.answered_count}[/b] of {session.total} answered"
            f" · [b]{unanswered}[/b] unanswered · [b]{flagged}[/b] flagged",
        ]
        left = session.time_left
        if left is not None:
            lines[0] += f" · {clock_text(left)} left"
        if unanswered:
            lines.append(
                "Unanswered questions count as wrong in the score; only the answers you give"
                " count as reviews."
            )
        lines.append("[dim]Enter goes to a question · s submits · Escape goes back[/dim]")
        return "\n".join(lines)

    def _options(self) -> list[Option]:
        session = self.session
        options = []
        for index, presented in enumerate(session.questions):
            answered = session.is_answered(index)
            flagged = session.is_flagged(index)
            line = Text(f"{index + 1:>3}. ")
            line.append(
                "answered  " if answered else "—         ", style="" if answered else "bold"
            )
            line.append("⚑ " if flagged else "  ", style="bold")
            prompt = getattr(presented.item, "prompt", "")
            line.append(first_line(prompt), style="dim" if answered and not flagged else "")
            options.append(Option(line, id=str(index)))
        return options

    def on_mount(self) -> None:
        """Start on the first unanswered (or flagged) question, else the one that was shown."""
        session = self.session
        waiting = session.unanswered() or session.flagged() or [session.position]
        options = self.query_one(OptionList)
        options.highlighted = waiting[0]
        options.focus()

    @on(OptionList.OptionSelected)
    def _go(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_submit(self) -> None:
        """Submit the exam."""
        self.dismiss("submit")

    def action_back(self) -> None:
        """Back to the exam, where it was."""
        self.dismiss(None)
