"""Statistics: the calendar, answers per day, forecast, true retention, intervals, gains, lapses.

For all decks or one (`d` steps through them) over 1 month, 3 months, 1 year or all (`1`, `3`,
`y`, `a`). Every figure comes from `quiztui.study.statistics.compute_statistics`, worked out in
a worker, the function `quiztui stats` prints, so the screen and the command agree. Seven tabs,
one section each, so each reads at 80x24; a section taller than the screen scrolls.

The bar and line charts are plotext's, through textual-plotext (imported here only, so no other
screen pays for it); the calendar and the before/after bars are text in theme colours, which a
terminal draws exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane
from textual.worker import Worker
from textual_plotext import PlotextPlot

from quiztui.deck.model import Deck
from quiztui.store.review_facts import CATEGORIES
from quiztui.study.statistics import (
    RANGES,
    Rate,
    Statistics,
    StatsRange,
    bin_size,
    binned_days,
    compute_statistics,
)
from quiztui.tui.formatting import percent, plural
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets import charts
from quiztui.tui.widgets.heatmap import Heatmap, legend
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.worker_errors import report_worker_error

CATEGORY_COLOURS: dict[str, str] = {
    "new": "accent",
    "learning": "warning",
    "review": "success",
    "redrill": "error",
    "practice": "secondary",
    "exam": "primary",
}
"""The theme variable each kind of answer is drawn in."""

EMPTY_TEXT: dict[str, str] = {
    "calendar": "A calendar of the last year will fill in here: one square a day, darker the"
    " more you answered, with your streak. Start with a part's pre-check or its key points.",
    "reviews": "Bars of your answers per day will grow here, split into new items, learning,"
    " reviews, re-drills, practice and exams, with the time each day took.",
    "forecast": "Once you have learned a few items, this shows how many fall due on each of"
    " the next 30 days, and any backlog.",
    "retention": "True retention shows here once you review items you learned on an earlier"
    " day: the share you still recall, for young and mature items, week by week.",
    "intervals": "When items have a schedule, this shows how far apart their reviews are and"
    " how easy each one has been.",
    "gains": "Take a part's pre-check, read its key points, then its post-check: your score"
    " before and after reading shows here, part by part, with the gain.",
    "hardest": "The items you forget most often will be listed here, so you can look at them"
    " again.",
}
"""What each section will show, for a learner who has not answered anything yet."""


def duration(seconds: float) -> str:
    """Seconds as a learner reads them: 45 s, 12 min, 3 h 05 min."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def rate_text(rate: Rate) -> str:
    """`92% of 340` or a dash."""
    return "–" if rate.rate is None else f"{percent(rate.rate)} of {rate.reviews}"


def score_bar(score: float | None, width: int, style: str) -> Content:
    """A horizontal bar for a 0-1 score, in a theme colour, with its percentage."""
    if score is None:
        return Content.styled("not taken".ljust(width + 5), "$text-muted")
    filled = round(score * width)
    return Content("").join(
        [
            Content.styled("█" * filled, style),
            Content.styled("░" * (width - filled), "$panel"),
            Content(f" {percent(score):>4}"),
        ]
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """What the screen shows: which decks (None: all), over which range."""

    deck_id: str | None
    range: StatsRange


class StatisticsScreen(QuiztuiScreen[None]):
    """Seven sections of statistics, for every deck or one, over a chosen range of days."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="statistics.back"),
        Binding(
            "d",
            "next_deck",
            "Deck",
            tooltip="All decks, then each deck in turn",
            id="statistics.deck",
        ),
        Binding("1", "range('1m')", "1 mo", tooltip="The last month", id="statistics.range-1m"),
        Binding("3", "range('3m')", "3 mo", tooltip="The last 3 months", id="statistics.range-3m"),
        Binding("y", "range('1y')", "1 yr", tooltip="The last year", id="statistics.range-1y"),
        Binding("a", "range('all')", "All", tooltip="Since the first answer", id="statistics.all"),
    ]

    class Computed(Message):
        """The figures for a scope are ready."""

        def __init__(self, scope: Scope, stats: Statistics) -> None:
            super().__init__()
            self.scope = scope
            self.stats = stats

    deck_id: reactive[str | None] = reactive(None, init=False)
    """The deck shown, or None for every deck."""
    range: reactive[StatsRange] = reactive("3m", init=False)
    """How far back the day-by-day figures look."""

    def __init__(self, decks: list[Deck], deck_id: str | None = None) -> None:
        super().__init__()
        self.decks = list(decks)
        """The decks the figures may cover."""
        self.stats: Statistics | None = None
        """What is shown; None until computed."""
        self.set_reactive(StatisticsScreen.deck_id, deck_id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Working it out…", id="stats-scope")
        with TabbedContent(id="stats-tabs"):
            with TabPane("Calendar", id="calendar"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Heatmap(id="stats-heatmap")
                yield Static(id="stats-streak")
            with TabPane("Reviews", id="reviews"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Static(id="stats-reviews-summary")
                yield Static(id="stats-reviews-legend", classes="stats-legend")
                yield PlotextPlot(id="stats-reviews-plot", classes="stats-plot")
                yield PlotextPlot(id="stats-time-plot", classes="stats-plot")
            with TabPane("Forecast", id="forecast"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Static(id="stats-forecast-summary")
                yield PlotextPlot(id="stats-forecast-plot", classes="stats-plot")
            with TabPane("Retention", id="retention"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Static(id="stats-retention-table")
                yield Static(id="stats-retention-legend", classes="stats-legend")
                yield PlotextPlot(id="stats-retention-plot", classes="stats-plot")
            with TabPane("Intervals", id="intervals"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Static(id="stats-shape-summary")
                with Horizontal(id="stats-shape"):
                    yield Static(id="stats-intervals")
                    yield Static(id="stats-easiness")
            with TabPane("Gains", id="gains"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield Static(id="stats-gains")
            with TabPane("Hardest", id="hardest"), VerticalScroll():
                yield Static(classes="stats-empty")
                yield DataTable[str](id="stats-hardest", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        table = self.query_one("#stats-hardest", DataTable)
        table.add_columns("Item", "Lapses", "Ease", "Interval")
        self.watch(self.app, "theme", self._redraw, init=False)
        self.compute(Scope(self.deck_id, self.range))

    # ------------------------------------------------------------------ computing

    def _decks_of(self, deck_id: str | None) -> list[Deck]:
        return [d for d in self.decks if deck_id is None or d.id == deck_id]

    @work(thread=True, exclusive=True, exit_on_error=False, group="statistics")
    def compute(self, scope: Scope) -> None:
        """Work out every figure for `scope` off the UI thread."""
        stats = compute_statistics(self.ctx, self._decks_of(scope.deck_id), scope.range)
        self.post_message(self.Computed(scope, stats))

    def watch_deck_id(self) -> None:
        self.compute(Scope(self.deck_id, self.range))

    def watch_range(self) -> None:
        self.compute(Scope(self.deck_id, self.range))

    def action_next_deck(self) -> None:
        """All decks, then each deck in turn, then all again."""
        ids: list[str | None] = [None, *(deck.id for deck in self.decks)]
        self.deck_id = ids[(ids.index(self.deck_id) + 1) % len(ids)] if len(ids) > 1 else None

    def action_range(self, name: str) -> None:
        """Show another range of days."""
        for known in RANGES:
            if known == name:
                self.range = known

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stepping through decks needs two decks or more."""
        if action == "next_deck":
            return len(self.decks) > 1
        return True

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        if message.scope != Scope(self.deck_id, self.range):
            return  # a scope changed since; its own result follows
        self.stats = message.stats
        self._redraw()

    def on_resize(self) -> None:
        """Charts pick their bars and ticks from the width."""
        if self.stats is not None:
            self.call_after_refresh(self._redraw)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed computation is shown, never left as a screen that waits forever."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#stats-scope", Static).update(f"Could not work it out: {message}")

    # ------------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        stats = self.stats
        if stats is None:
            return
        scope = "All decks" if self.deck_id is None else self._decks_of(self.deck_id)[0].title
        name = RANGES[stats.range][0]
        self.query_one("#stats-scope", Static).update(
            Content.assemble(
                (scope, "bold"),
                f" · {name}, {stats.start:%d %b %Y} – {stats.today:%d %b %Y}",
                f" · {plural(stats.range_reviews, 'answer')}",
                f", {duration(stats.range_seconds)}",
            )
        )
        for empty in self.query(".stats-empty").results(Static):
            pane = empty.parent.parent if empty.parent is not None else None
            key = pane.id if pane is not None and pane.id else ""
            empty.update(EMPTY_TEXT.get(key, ""))
            empty.display = stats.empty
        for selector in (
            "#stats-heatmap",
            "#stats-streak",
            "#stats-reviews-summary",
            ".stats-plot",
            "#stats-retention-table",
            "#stats-shape-summary",
            "#stats-shape",
            ".stats-legend",
            "#stats-gains",
            "#stats-hardest",
        ):
            for widget in self.query(selector):
                widget.display = not stats.empty
        if stats.empty:
            return
        self._draw_calendar(stats)
        self._draw_reviews(stats)
        self._draw_forecast(stats)
        self._draw_retention(stats)
        self._draw_shape(stats)
        self._draw_gains(stats)
        self._draw_hardest(stats)

    def _draw_calendar(self, stats: Statistics) -> None:
        heatmap = self.query_one("#stats-heatmap", Heatmap)
        heatmap.today = stats.today
        heatmap.counts = stats.heatmap
        streak = stats.streak
        self.query_one("#stats-streak", Static).update(
            Content("\n").join(
                [
                    legend(),
                    Content.assemble(
                        ("Streak ", "bold"),
                        f"{plural(streak.current, 'day')} (longest {streak.longest})",
                        ("   Studied ", "bold"),
                        f"{streak.days_studied} of {streak.days_in_range} days"
                        f" ({percent(streak.share)})",
                    ),
                    Content(
                        f"Last year: {plural(sum(stats.heatmap.values()), 'answer')};"
                        f" all time: {stats.total_reviews}."
                    ),
                ]
            )
        )

    def _draw_reviews(self, stats: Statistics) -> None:
        plot = self.query_one("#stats-reviews-plot", PlotextPlot)
        span = (stats.today - stats.start).days + 1
        size = bin_size(span, max(10, (self.size.width - 12) // 2))
        bins = binned_days(stats, size)
        label_format = "%d %b" if size < 30 else "%b %y"
        labels = [b.first.strftime(label_format) for b in bins]
        per = {1: "day", 7: "week", 30: "month"}.get(size, f"{size} days")
        charts.stacked_bars(
            plot,
            f"Answers per {per}",
            labels,
            [
                (category, [b.counts.get(category, 0) for b in bins], CATEGORY_COLOURS[category])
                for category in CATEGORIES
            ],
            self.size.width,
        )
        shown = [c for c in CATEGORIES if any(b.counts.get(c) for b in bins)]
        self.query_one("#stats-reviews-legend", Static).update(
            charts.legend([(c, CATEGORY_COLOURS[c]) for c in shown])
        )
        charts.bars(
            self.query_one("#stats-time-plot", PlotextPlot),
            f"Minutes per {per}",
            labels,
            [round(b.seconds / 60, 1) for b in bins],
            "primary",
            self.size.width,
        )
        studied = max(stats.streak.days_studied, 1)
        self.query_one("#stats-reviews-summary", Static).update(
            f"{plural(stats.range_reviews, 'answer')} in {duration(stats.range_seconds)};"
            f" {stats.range_reviews / studied:.0f} a day studied,"
            f" {duration(stats.range_seconds / studied)} a day."
        )

    def _draw_forecast(self, stats: Statistics) -> None:
        labels = ["today" if i == 0 else f"{d:%d %b}" for i, (d, _) in enumerate(stats.forecast)]
        charts.bars(
            self.query_one("#stats-forecast-plot", PlotextPlot),
            "Items due per day (overdue counted today)",
            labels,
            [count for _, count in stats.forecast],
            "accent",
            self.size.width,
        )
        week = sum(count for _, count in stats.forecast[:7])
        month = sum(count for _, count in stats.forecast)
        due_today = stats.forecast[0][1] if stats.forecast else 0
        self.query_one("#stats-forecast-summary", Static).update(
            Content.assemble(
                ("Due today ", "bold"),
                f"{due_today} ({stats.backlog} overdue)",
                ("   Next 7 days ", "bold"),
                str(week),
                ("   Next 30 days ", "bold"),
                str(month),
            )
        )

    def _draw_retention(self, stats: Statistics) -> None:
        retention = stats.retention
        rows = [
            ("Young (interval under 21 days)", retention.young),
            ("Mature (21 days or more)", retention.mature),
            ("All reviews of learned items", retention.overall),
            ("Questions", retention.by_kind.get("question", Rate())),
            ("Key points", retention.by_kind.get("key_point", Rate())),
        ]
        lines = [Content.styled("True retention: recalled on review, once learned", "bold")]
        lines += [Content(f"{label:<32}{rate_text(rate):>16}") for label, rate in rows]
        self.query_one("#stats-retention-table", Static).update(Content("\n").join(lines))
        weeks = retention.weeks
        charts.lines(
            self.query_one("#stats-retention-plot", PlotextPlot),
            "Retention per week (%)",
            [f"{w.week:%d %b}" for w in weeks],
            [
                (
                    "young",
                    [None if w.young.rate is None else w.young.rate * 100 for w in weeks],
                    "warning",
                ),
                (
                    "mature",
                    [None if w.mature.rate is None else w.mature.rate * 100 for w in weeks],
                    "success",
                ),
            ],
            self.size.width,
            upper=100,
        )
        self.query_one("#stats-retention-legend", Static).update(
            charts.legend([("young", "warning"), ("mature", "success")])
        )

    def _draw_shape(self, stats: Statistics) -> None:
        figures = stats.scheduler
        half = max(20, (self.size.width - 6) // 2)
        self.query_one("#stats-intervals", Static).update(
            Content("\n").join(
                [
                    Content.styled("Intervals (items)", "bold"),
                    charts.text_bars(
                        [(b.label, b.count) for b in figures.intervals], "primary", half
                    ),
                ]
            )
        )
        self.query_one("#stats-easiness", Static).update(
            Content("\n").join(
                [
                    Content.styled(f"{figures.ease_label} (items)", "bold"),
                    charts.text_bars(
                        [(b.label, b.count) for b in figures.easiness], "secondary", half
                    ),
                ]
            )
        )
        scheduled = sum(b.count for b in figures.intervals)
        mature = sum(b.count for b in figures.intervals if b.low >= 21)
        self.query_one("#stats-shape-summary", Static).update(
            f"{plural(scheduled, 'item')} scheduled by {figures.scheduler},"
            f" {mature} of them mature (21 days or more).\n"
        )

    def _draw_gains(self, stats: Statistics) -> None:
        width = max(10, min(40, self.size.width - 30))
        lines: list[Content] = []
        if not stats.parts:
            lines.append(Content("No part of these decks has questions to check."))
        for part in stats.parts:
            gain = part.gain
            gain_text = "no gain yet"
            if gain is not None:
                normalized = gain.normalized
                gain_text = (
                    f"gain {gain.plain_change * 100:+.0f} pts"
                    + ("" if normalized is None else f", normalized {normalized:.2f}")
                    + f" over {plural(len(gain.question_ids), 'question')}"
                )
            lines.append(Content.assemble((part.title, "bold"), "  ", (gain_text, "$text-muted")))
            lines.append(
                Content.assemble("  before ", score_bar(part.first_pre, width, "$warning"))
            )
            lines.append(
                Content.assemble("  after  ", score_bar(part.latest_post, width, "$success"))
            )
            for _, prompt in part.wrong_after_reading:
                lines.append(Content.styled(f"  ✗ {prompt}", "$error"))
            lines.append(Content(""))
        self.query_one("#stats-gains", Static).update(Content("\n").join(lines))

    def _draw_hardest(self, stats: Statistics) -> None:
        table = self.query_one("#stats-hardest", DataTable)
        table.clear()
        room = max(20, self.size.width - 32)
        for item in stats.hardest:
            text = item.text if len(item.text) <= room else item.text[: room - 1] + "…"
            table.add_row(
                text,
                str(item.lapses),
                "–" if item.easiness is None else f"{item.easiness:.2f}",
                "–" if item.interval is None else f"{item.interval} d",
                key=f"{item.deck_id}:{item.item_id}",
            )
        if not stats.hardest:
            table.add_row("No lapses yet: nothing learned has been forgotten.", "", "", "")
