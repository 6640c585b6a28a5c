"""Past mock exams: each one's date, deck, size, time and score, and the scores over time.

Read in a worker (one read of the log per exam). Enter opens an exam's result again, exactly
as it was shown when the exam ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker

from quiztui.deck.model import Deck
from quiztui.study.exam_results import PastExam, exam_history, exam_result
from quiztui.tui.formatting import clock_text, percent, plural
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.worker_errors import report_worker_error

DECK_WIDTH = 22
"""The widest the deck's title is drawn (a longer one is cut), so the scores fit at 80."""

SPARK = "▁▂▃▄▅▆▇█"
"""A score from 0% to 100% as one of eight bar heights."""


def sparkline(scores: list[float]) -> str:
    """Scores over time as a row of bars, oldest first."""
    return "".join(SPARK[min(len(SPARK) - 1, int(score * len(SPARK)))] for score in scores)


class ExamHistoryScreen(QuiztuiScreen[None]):
    """Every submitted exam, newest first, with the trend of the scores."""

    DEFAULT_CSS = """
    ExamHistoryScreen {
        #history-trend { height: auto; padding: 0 1; }
        #history-table { height: 1fr; margin: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_exam",
            "Open",
            tooltip="The exam's result, question by question",
            id="exam_history.open",
        ),
        Binding("escape", "back", "Back", tooltip="Back", id="exam_history.back"),
    ]

    @dataclass
    class Loaded(Message):
        """The exams are read."""

        past: list[PastExam]

    def __init__(self, decks: list[Deck]) -> None:
        """The exams of `decks`."""
        super().__init__()
        self.decks = list(decks)
        """The decks whose exams are listed."""
        self.past: list[PastExam] = []
        """Newest first, as the table lists them."""

    def compose(self) -> ComposeResult:
        """The trend line, then the table."""
        yield Header()
        yield Static("Reading your exams…", id="history-trend")
        yield DataTable[str | Text](id="history-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        """Read the exams off the UI thread."""
        self.sub_title = "Mock exams"
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Every exam with its score (a read of the log each)."""
        self.post_message(self.Loaded(exam_history(self.ctx, self.decks)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.past = list(reversed(message.past))
        trend = self.query_one("#history-trend", Static)
        if not self.past:
            trend.update(
                "No exam taken yet. Press e on a deck to take a mock exam, or run"
                " [b]quiztui exam DECK[/b]."
            )
        else:
            scores = [p.score for p in message.past]
            best = max(scores)
            trend.update(
                f"Scores over time  [b]{sparkline(scores[-40:])}[/b]  latest"
                f" {percent(scores[-1])} · best {percent(best)} · {plural(len(scores), 'exam')}"
            )
        table: DataTable[str | Text] = self.query_one("#history-table", DataTable)
        table.clear(columns=True)
        table.add_column("When", key="When")
        table.add_column("Deck", key="Deck", width=DECK_WIDTH)
        for label in ("Asked", "Score", "Time"):
            table.add_column(label, key=label)
        zone = self.ctx.now().tzinfo
        for index, past in enumerate(self.past):
            exam = past.exam
            finished = (exam.finished_at or exam.started_at).astimezone(zone)
            took = clock_text(exam.elapsed) + (" (time up)" if exam.timed_out else "")
            title = past.deck.title
            if len(title) > DECK_WIDTH:
                title = title[: DECK_WIDTH - 1] + "…"
            table.add_row(
                f"{finished:%Y-%m-%d %H:%M}",
                title,
                str(past.total),
                Text(f"{past.right}/{past.total} {percent(past.score)}", style="bold"),
                took,
                key=str(index),
            )
        table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Open only when there is an exam."""
        if action == "open_exam":
            return bool(self.past)
        return True

    @on(DataTable.RowSelected)
    def action_open_exam(self) -> None:
        """Open the highlighted exam's result."""
        from quiztui.tui.screens.exam_result import ExamResultScreen

        table = self.query_one("#history-table", DataTable)
        if not self.past or not 0 <= table.cursor_row < len(self.past):
            return
        past = self.past[table.cursor_row]
        self.app.push_screen(ExamResultScreen(exam_result(self.ctx, past.deck, past.exam)))

    def action_back(self) -> None:
        """Back."""
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read is said."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#history-trend", Static).update(f"Could not read: {message}")
