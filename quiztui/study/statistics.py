"""Every figure of the statistics screen and of `quiztui stats`, worked out in one place.

The screen and the command both call `compute_statistics` and show what it returns, so they
always agree. The sums over the log come from the store (`Store.review_facts`: per learning day,
category, kind and maturity, kept on disk for the settled days); the schedule-based figures
(forecast, intervals, easiness) from the items' current states, read as the day's queue reads
them (the forecast also leaves out what the queue sets aside, `queue_day`); the check scores
from `quiztui.study.results`. docs/statistics.md defines every figure.

Scheduler-specific figures (today SM-2's: the young/mature split of true retention, the
intervals and the easiness factors) are gathered by `scheduler_figures`, the one place a
second scheduler adds its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from quiztui.deck.model import Deck, Question
from quiztui.scheduling import FsrsState, Scheduler
from quiztui.sm2 import ItemState
from quiztui.store import StoredState
from quiztui.store.records import ItemMarks
from quiztui.store.review_facts import (
    CATEGORIES,
    MATURE_DAYS,
    Category,
    DayCategory,
    FactsSnapshot,
)
from quiztui.store.review_facts import WeekRetention as WeekRow
from quiztui.study.context import StudyContext
from quiztui.study.progress import DeckProgress, deck_progress, queue_day
from quiztui.study.queue import QueueCounts, current_states
from quiztui.study.results import Gain

StatsRange = Literal["1m", "3m", "1y", "all"]
"""How far back the day-by-day figures look."""

RANGES: dict[StatsRange, tuple[str, int | None]] = {
    "1m": ("1 month", 30),
    "3m": ("3 months", 91),
    "1y": ("1 year", 365),
    "all": ("all time", None),
}
"""Each range's name as shown, and how many learning days it covers (today included)."""

HEATMAP_DAYS = 365
"""The heatmap always shows the last year, whatever the range."""

FORECAST_DAYS = 30
"""How many days the forecast looks ahead (today first)."""

HARDEST_COUNT = 10
"""How many of the hardest items are listed."""

INTERVAL_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1 day", 1, 1),
    ("2-6 d", 2, 6),
    ("1-3 wk", 7, MATURE_DAYS - 1),
    ("3 wk-2 mo", MATURE_DAYS, 59),
    ("2-6 mo", 60, 179),
    ("6-12 mo", 180, 364),
    ("1 yr+", 365, None),
)
"""The interval histogram's bars: label, lowest and highest days (None: no upper end)."""

EASINESS_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1.3", 130, 149),
    ("1.5", 150, 169),
    ("1.7", 170, 189),
    ("1.9", 190, 209),
    ("2.1", 210, 229),
    ("2.3", 230, 249),
    ("2.5", 250, 269),
    ("2.7+", 270, None),
)
"""The easiness histogram's bars, in hundredths of EF (new items start at 2.5)."""

DIFFICULTY_BUCKETS: tuple[tuple[str, int, int | None], ...] = tuple(
    (f"D {low}", low * 10, low * 10 + 9) for low in range(1, 10)
)
"""FSRS's difficulty histogram's bars (1 easiest to 10 hardest), in tenths."""


@dataclass(frozen=True, slots=True)
class DayReviews:
    """One learning day's answers: how many of each category, and the time they took."""

    day: date
    counts: dict[Category, int]
    seconds: float

    @property
    def count(self) -> int:
        """Every answer of the day."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Rate:
    """How many reviews there were and how many were right."""

    reviews: int = 0
    right: int = 0

    @property
    def rate(self) -> float | None:
        """The share right, or None without reviews."""
        return self.right / self.reviews if self.reviews else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.reviews + other.reviews, self.right + other.right)


@dataclass(frozen=True, slots=True)
class WeekRetention:
    """True retention over one week (Monday to Sunday of learning days)."""

    week: date
    """The Monday."""
    young: Rate
    mature: Rate


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention: the share right of reviews of items already learned, over the range."""

    young: Rate
    """Interval before the review under 21 days."""
    mature: Rate
    """Interval before the review of 21 days or more."""
    by_kind: dict[str, Rate]
    """"question" and "key_point"."""
    weeks: tuple[WeekRetention, ...]

    @property
    def overall(self) -> Rate:
        """Young and mature together."""
        return self.young + self.mature


@dataclass(frozen=True, slots=True)
class Streak:
    """Days in a row with an answer, and how many days of the range were studied."""

    current: int
    """Ending today, or yesterday when today has no answer yet."""
    longest: int
    days_studied: int
    """Learning days of the range with an answer."""
    days_in_range: int
    """Learning days of the range, from the first answer's day when that is later."""

    @property
    def share(self) -> float | None:
        """The share of the range's days studied."""
        return self.days_studied / self.days_in_range if self.days_in_range else None


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar of a histogram."""

    label: str
    low: int
    high: int | None
    count: int


@dataclass(frozen=True, slots=True)
class PartGain:
    """One part's checks: the first pre-check, the latest post-check, and the gain."""

    deck_id: str
    part_id: str
    title: str
    first_pre: float | None
    latest_post: float | None
    gain: Gain | None
    wrong_after_reading: tuple[tuple[str, str], ...]
    """(question id, prompt's first line) of the questions wrong in the latest post-check."""


@dataclass(frozen=True, slots=True)
class HardItem:
    """An item the learner keeps forgetting."""

    deck_id: str
    item_id: str
    kind: str
    text: str
    """The prompt's or front's first line."""
    lapses: int
    reviews: int
    easiness: float | None
    interval: int | None


@dataclass(frozen=True, slots=True)
class DeckToday:
    """A deck's counts for today, as the home screen shows them."""

    deck_id: str
    title: str
    counts: QueueCounts


@dataclass(frozen=True, slots=True)
class SchedulerFigures:
    """The figures that depend on the scheduler (SM-2 today): kept together on purpose."""

    scheduler: str
    intervals: tuple[Bucket, ...]
    easiness: tuple[Bucket, ...]
    """SM-2's easiness factors; under FSRS, its difficulties (`ease_label` says which)."""
    retrievability: float | None = None
    """FSRS only: the mean predicted chance of recalling a reviewed item today."""

    @property
    def ease_label(self) -> str:
        """What `easiness` counts: "Easiness factor" (SM-2) or "Difficulty" (FSRS)."""
        return "Easiness factor" if self.scheduler == "SM-2" else "Difficulty (1-10)"


@dataclass(frozen=True, slots=True)
class Statistics:
    """Every figure of the statistics, for a set of decks, over a range of days."""

    today: date
    range: StatsRange
    start: date
    """The first learning day of the range."""
    deck_ids: tuple[str, ...]
    days: tuple[DayReviews, ...]
    """Every day of the range with an answer, oldest first."""
    heatmap: dict[date, int]
    """Answers per day over the last year (days with none left out)."""
    streak: Streak
    forecast: tuple[tuple[date, int], ...]
    """Items due on each of the next 30 days, today first (overdue counted today)."""
    backlog: int
    """Items overdue: due before today."""
    retention: Retention
    scheduler: SchedulerFigures
    parts: tuple[PartGain, ...]
    hardest: tuple[HardItem, ...]
    decks_today: tuple[DeckToday, ...]
    total_reviews: int = 0
    """Answers ever given in these decks (undone ones aside)."""
    first_day: date | None = None
    """The learning day of the first answer in these decks."""
    seconds_by_category: dict[Category, float] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing answered yet in these decks."""
        return self.total_reviews == 0

    @property
    def range_reviews(self) -> int:
        """Answers in the range."""
        return sum(day.count for day in self.days)

    @property
    def range_seconds(self) -> float:
        """Time spent answering in the range."""
        return sum(day.seconds for day in self.days)

    @property
    def today_reviews(self) -> DayReviews | None:
        """Today's answers, or None."""
        return self.days[-1] if self.days and self.days[-1].day == self.today else None


def range_start(today: date, range_: StatsRange, first_day: date | None) -> date:
    """The first learning day a range covers (for "all": the first answer's day)."""
    days = RANGES[range_][1]
    if days is None:
        return first_day if first_day is not None and first_day < today else today
    return today - timedelta(days=days - 1)


def compute_statistics(
    ctx: StudyContext, decks: Sequence[Deck], range_: StatsRange = "3m"
) -> Statistics:
    """Every figure for `decks` over the range ending today (all of them read from the store)."""
    today = ctx.today()
    deck_ids = tuple(deck.id for deck in decks)
    since = date.min if RANGES[range_][1] is None else range_start(today, range_, None)
    snapshot = ctx.store.review_facts(today, deck_ids, since)
    states = {deck.id: current_states(ctx, deck) for deck in decks}
    marks = {deck.id: ctx.store.item_marks(deck.id) for deck in decks}
    progresses = [deck_progress(ctx, deck) for deck in decks]
    return build_statistics(
        today, range_, decks, snapshot, states, progresses, scheduler=ctx.scheduler, marks=marks
    )


def build_statistics(
    today: date,
    range_: StatsRange,
    decks: Sequence[Deck],
    snapshot: FactsSnapshot,
    states: dict[str, dict[str, StoredState]],
    progresses: Sequence[DeckProgress],
    *,
    scheduler: Scheduler | None = None,
    marks: dict[str, dict[str, ItemMarks]] | None = None,
) -> Statistics:
    """The figures from what was read (pure: the tests feed it by hand); `scheduler` (the
    store's) predicts recall under FSRS; `marks` (by deck, then item) sets items aside from the
    forecast as from the day's queue."""
    daily = snapshot.daily
    first_day = min(daily, default=None)
    start = range_start(today, range_, first_day)
    in_range = [row for row in snapshot.by_day if start <= row.day <= today]
    day_list = reviews_by_day(in_range)
    heat_start = today - timedelta(days=HEATMAP_DAYS - 1)
    heatmap = {day: count for day, count in daily.items() if heat_start <= day <= today}
    studied = set(daily)
    seconds: dict[Category, float] = {}
    for row in in_range:
        seconds[row.category] = seconds.get(row.category, 0.0) + row.seconds
    weeks = [row for row in snapshot.by_week if row.week + timedelta(days=6) >= start]
    all_states = [s for by_item in states.values() for s in by_item.values()]
    by_item = {
        (deck_id, item_id): item_marks
        for deck_id, deck_marks in (marks or {}).items()
        for item_id, item_marks in deck_marks.items()
    }
    forecast, backlog = due_forecast(all_states, today, marks=by_item)
    return Statistics(
        today=today,
        range=range_,
        start=start,
        deck_ids=tuple(deck.id for deck in decks),
        days=tuple(day_list),
        heatmap=dict(heatmap),
        streak=streak_of(studied, today, start),
        forecast=tuple(forecast),
        backlog=backlog,
        retention=retention_of(weeks),
        scheduler=scheduler_figures(all_states, scheduler, today),
        parts=tuple(part_gains(progresses)),
        hardest=tuple(hardest_items(decks, snapshot, states)),
        decks_today=tuple(DeckToday(p.deck.id, p.deck.title, p.counts) for p in progresses),
        total_reviews=sum(daily.values()),
        first_day=first_day,
        seconds_by_category=dict(seconds),
    )


def reviews_by_day(rows: Iterable[DayCategory]) -> list[DayReviews]:
    """Answers per learning day and category, with their seconds, oldest day first."""
    counts: dict[date, Counter[Category]] = {}
    seconds: dict[date, float] = {}
    for row in rows:
        counts.setdefault(row.day, Counter())[row.category] += row.count
        seconds[row.day] = seconds.get(row.day, 0.0) + row.seconds
    return [
        DayReviews(day, {c: counts[day][c] for c in CATEGORIES if counts[day][c]}, seconds[day])
        for day in sorted(counts)
    ]


def streak_of(studied: set[date], today: date, start: date) -> Streak:
    """The current and longest runs of studied days, and the range's share studied.

    The current run ends today, or yesterday when today has no answer yet (as `study.streak`).
    """
    day = today if today in studied else today - timedelta(days=1)
    current = 0
    while day in studied:
        current += 1
        day -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(studied):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    first = min(studied, default=today)
    begin = max(start, first)
    in_range = (today - begin).days + 1 if begin <= today else 0
    return Streak(current, longest, sum(1 for d in studied if begin <= d <= today), in_range)


def retention_of(rows: Iterable[WeekRow]) -> Retention:
    """True retention over the weeks' rows: young and mature, by kind, and per week."""
    young, mature, kinds = Rate(), Rate(), {"question": Rate(), "key_point": Rate()}
    weeks: dict[date, list[Rate]] = {}
    for row in rows:
        rate = Rate(row.count, row.count if row.right else 0)
        week = weeks.setdefault(row.week, [Rate(), Rate()])
        if row.maturity == "young":
            young += rate
            week[0] += rate
        else:
            mature += rate
            week[1] += rate
        kinds[row.kind] = kinds.get(row.kind, Rate()) + rate
    ordered = tuple(WeekRetention(w, weeks[w][0], weeks[w][1]) for w in sorted(weeks))
    return Retention(young, mature, kinds, ordered)


def due_forecast(
    states: Iterable[StoredState],
    today: date,
    days: int = FORECAST_DAYS,
    marks: Mapping[tuple[str, str], ItemMarks] | None = None,
) -> tuple[list[tuple[date, int]], int]:
    """Items due on each of the next `days` days (overdue counted today), and how many of
    today's are overdue, as the day's queue will ask them (`queue_day`: an item suspended is on
    no day, one buried for a day comes the day after; `marks` by deck and item id). New items
    are not counted: they come at the learner's pace."""
    counts = [0] * days
    overdue = 0
    marks = marks or {}
    for stored in states:
        day = queue_day(stored.state.due, marks.get((stored.deck_id, stored.item_id)), today)
        if day is None:
            continue
        offset = (day - today).days
        if offset == 0 and stored.state.due < today:
            overdue += 1
        if offset < days:
            counts[offset] += 1
    return [(today + timedelta(days=i), count) for i, count in enumerate(counts)], overdue


def histogram(
    values: Iterable[int], buckets: Sequence[tuple[str, int, int | None]]
) -> tuple[Bucket, ...]:
    """How many values fall in each bucket (values below the first go into the first)."""
    counts = [0] * len(buckets)
    for value in values:
        for index in range(len(buckets) - 1, -1, -1):
            if value >= buckets[index][1] or index == 0:
                counts[index] += 1
                break
    return tuple(
        Bucket(label, low, high, count)
        for (label, low, high), count in zip(buckets, counts, strict=True)
    )


def scheduler_figures(
    states: Sequence[StoredState], scheduler: Scheduler | None = None, today: date | None = None
) -> SchedulerFigures:
    """The scheduler's own figures: every scheduled item's current interval, and SM-2's
    easiness factors or FSRS's difficulties; under FSRS also the mean predicted recall today."""
    intervals = histogram((s.state.interval for s in states), INTERVAL_BUCKETS)
    fsrs = [s.state for s in states if isinstance(s.state, FsrsState)]
    if not fsrs:
        sm2 = (s.state.easiness_hundredths for s in states if isinstance(s.state, ItemState))
        return SchedulerFigures("SM-2", intervals, histogram(sm2, EASINESS_BUCKETS))
    difficulty = histogram((round(state.difficulty * 10) for state in fsrs), DIFFICULTY_BUCKETS)
    chances: list[float] = []
    if scheduler is not None and today is not None:
        for state in fsrs:
            chance = scheduler.retrievability(state, today)
            if chance is not None:
                chances.append(chance)
    mean = sum(chances) / len(chances) if chances else None
    return SchedulerFigures("FSRS", intervals, difficulty, mean)


def _summary(text: str, width: int = 70) -> str:
    """A prompt's first non-blank line, plain and cut to `width` characters."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = line.replace("**", "").replace("`", "")
    return line if len(line) <= width else line[: width - 1] + "…"


def part_gains(progresses: Iterable[DeckProgress]) -> list[PartGain]:
    """Every part with questions: first pre, latest post, gain, and what was wrong after."""
    gains: list[PartGain] = []
    for progress in progresses:
        for part in progress.parts:
            if not part.part.questions:
                continue
            latest = part.post.latest
            wrong = tuple(
                (q.id, _summary(q.prompt))
                for q in part.part.questions
                if latest is not None and latest.right.get(q.id) is False
            )
            gains.append(
                PartGain(
                    progress.deck.id,
                    part.part.id,
                    part.part.title,
                    part.pre_score,
                    part.post_score,
                    part.gain,
                    wrong,
                )
            )
    return gains


def hardest_items(
    decks: Sequence[Deck],
    snapshot: FactsSnapshot,
    states: dict[str, dict[str, StoredState]],
    count: int = HARDEST_COUNT,
) -> list[HardItem]:
    """The items with the most lapses, then the lowest easiness, still in their deck (the
    snapshot has them in that order)."""
    by_id = {deck.id: deck for deck in decks}
    found: list[HardItem] = []
    for history in snapshot.lapsed:
        deck = by_id.get(history.deck_id)
        if deck is None or not deck.has_item(history.item_id):
            continue
        item = deck.item(history.item_id)
        if item.answer_key != history.answer_key:
            continue
        stored = states.get(deck.id, {}).get(item.id)
        text = item.prompt if isinstance(item, Question) else item.front
        found.append(
            HardItem(
                deck.id,
                item.id,
                item.kind,
                _summary(text),
                history.lapses,
                history.reviews,
                history.easiness / 100,
                stored.state.interval if stored is not None else None,
            )
        )
        if len(found) == count:
            break
    return found


@dataclass(frozen=True, slots=True)
class Bin:
    """Consecutive learning days added together, for a chart with fewer bars than days."""

    first: date
    last: date
    counts: dict[Category, int]
    seconds: float


def binned_days(stats: Statistics, size: int) -> list[Bin]:
    """The range's days in bins of `size` days, the last bin ending today (empty days kept)."""
    size = max(1, size)
    by_day = {day.day: day for day in stats.days}
    span = (stats.today - stats.start).days + 1
    count = -(-span // size)
    bins: list[Bin] = []
    for index in range(count - 1, -1, -1):
        last = stats.today - timedelta(days=index * size)
        first = max(stats.start, last - timedelta(days=size - 1))
        counts: Counter[Category] = Counter()
        seconds = 0.0
        day = first
        while day <= last:
            found = by_day.get(day)
            if found is not None:
                counts.update(found.counts)
                seconds += found.seconds
            day += timedelta(days=1)
        bins.append(Bin(first, last, dict(counts), seconds))
    return bins


def bin_size(span_days: int, bars: int) -> int:
    """The smallest of 1, 7 or 30 days that needs at most `bars` bars for `span_days` days."""
    for size in (1, 7, 30):
        if -(-span_days // size) <= bars:
            return size
    return -(-span_days // max(bars, 1))
