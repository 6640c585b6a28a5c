"""Progress: per part, the pre and post scores and what is learned; the next 14 days; the streak.

Computed in a worker from `quiztui.study` (the same queries as `quiztui stats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static
from textual.worker import Worker

from quiztui.deck.model import Deck
from quiztui.study import DeckProgress, deck_progress, forecast, streak
from quiztui.tui.formatting import percent
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.worker_errors import report_worker_error


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """Everything the screen shows, computed off the UI thread."""

    decks: tuple[DeckProgress, ...]
    forecast: tuple[tuple[date, int], ...]
    streak_days: int
    today: date


def parts_table(report: ProgressReport) -> Table:
    """One row per part: pre, post, learned of total."""
    table = Table(expand=True, box=None, header_style="bold", padding=(0, 1))
    table.add_column("Part", ratio=1, overflow="fold")
    table.add_column("Pre", justify="right", no_wrap=True)
    table.add_column("Post", justify="right", no_wrap=True)
    table.add_column("Learned", justify="right", no_wrap=True)
    for progress in report.decks:
        table.add_row(Text(progress.deck.title, style="bold underline"), "", "", "")
        for part in progress.parts:
            table.add_row(
                part.part.title,
                percent(part.pre_score),
                percent(part.post_score),
                f"{part.learned}/{part.total}",
            )
    return table


def forecast_chart(days: tuple[tuple[date, int], ...], width: int = 30) -> Text:
    """A bar per day: how many items fall due (overdue counted today)."""
    text = Text()
    most = max((count for _, count in days), default=0) or 1
    for index, (day, count) in enumerate(days):
        label = "today" if index == 0 else f"{day:%a %d}"
        bar = "█" * max(round(count / most * width), 1 if count else 0)
        text.append(f"{label:>9} ", style="dim")
        text.append(bar, style="bold")
        text.append(f" {count}\n")
    return text


class ProgressScreen(QuiztuiScreen[None]):
    """Scores per part, the forecast of due items, and the streak, across the given decks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="progress.back"),
    ]

    class Computed(Message):
        """The report is ready."""

        def __init__(self, report: ProgressReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, decks: list[Deck]) -> None:
        super().__init__()
        self.decks = list(decks)
        """The decks reported on."""
        self.report: ProgressReport | None = None
        """What is shown; None until computed."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body"):
            yield Static("Working it out…", id="progress-streak")
            yield Static(id="progress-parts")
            yield Static(id="progress-forecast")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Progress"
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def compute(self) -> None:
        """Gather the report off the UI thread."""
        ctx = self.ctx
        report = ProgressReport(
            tuple(deck_progress(ctx, deck) for deck in self.decks),
            tuple(forecast(ctx, self.decks, 14)),
            streak(ctx),
            ctx.today(),
        )
        self.post_message(self.Computed(report))

    @on(Computed)
    def _show(self, message: Computed) -> None:
        self.report = report = message.report
        days = report.streak_days
        due_today = report.forecast[0][1] if report.forecast else 0
        self.query_one("#progress-streak", Static).update(
            Text.assemble(
                ("Streak: ", "bold"),
                f"{days} day{'s' if days != 1 else ''} in a row",
                ("   Due today: ", "bold"),
                str(due_today),
            )
        )
        self.query_one("#progress-parts", Static).update(parts_table(report))
        chart = Text("\nDue over the next 14 days\n", style="bold")
        chart.append_text(forecast_chart(report.forecast))
        self.query_one("#progress-forecast", Static).update(chart)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load is shown, never left as a screen that waits forever."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#progress-streak", Static).update(f"Could not load: {message}")
