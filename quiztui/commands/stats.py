"""`quiztui stats [DECK]`: the statistics screen's figures, as tables for people or JSON.

Both come from `quiztui.study.statistics.compute_statistics`, the function the statistics
screen calls, so the command and the screen always show the same numbers. docs/statistics.md
describes every figure and every JSON field.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, get_args

from quiztui.deck.model import Deck
from quiztui.store.review_facts import CATEGORIES
from quiztui.study.statistics import RANGES, Rate, Statistics, StatsRange

if TYPE_CHECKING:
    from rich.console import RenderableType


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """DECK (a file or a deck id; default every deck found), --range and --json."""
    parser.add_argument(
        "deck",
        nargs="?",
        metavar="DECK",
        help="a deck file or the id of a bundled or own deck (default: every deck found)",
    )
    parser.add_argument(
        "--range",
        choices=get_args(StatsRange),
        default="3m",
        help="how far back the day-by-day figures look: 1 month, 3 months, 1 year or all"
        " (default 3m)",
    )
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    parser.epilog = "Every figure and JSON field is described in docs/statistics.md."


def _decks(args: argparse.Namespace) -> list[Deck]:
    """The deck named on the command line, or every deck that loads (broken ones reported)."""
    if args.deck:
        from quiztui.deck.library import resolve_deck_argument
        from quiztui.deck.loader import load_deck

        return [load_deck(resolve_deck_argument(args.deck))]
    from quiztui.deck.library import load_library

    decks: list[Deck] = []
    for entry in load_library():
        if entry.deck is not None:
            decks.append(entry.deck)
        else:
            first = entry.problems[0] if entry.problems else entry.path
            print(f"quiztui: skipped {entry.path}: {first}", file=sys.stderr)
    return decks


def _rate_json(rate: Rate) -> dict[str, Any]:
    return {"reviews": rate.reviews, "right": rate.right, "rate": rate.rate}


def statistics_json(stats: Statistics, titles: dict[str, str]) -> dict[str, Any]:
    """Every figure as JSON-ready data (the fields docs/statistics.md lists)."""
    retention = stats.retention
    return {
        "today": stats.today.isoformat(),
        "range": {
            "name": stats.range,
            "start": stats.start.isoformat(),
            "end": stats.today.isoformat(),
        },
        "decks": [
            {
                "deck": deck.deck_id,
                "title": deck.title,
                "due": deck.counts.due,
                "redrill": deck.counts.redrill,
                "new": deck.counts.new,
                "learned": deck.counts.learned,
                "retired": deck.counts.retired,
            }
            for deck in stats.decks_today
        ],
        "total_reviews": stats.total_reviews,
        "first_day": stats.first_day.isoformat() if stats.first_day else None,
        "streak": {
            "current": stats.streak.current,
            "longest": stats.streak.longest,
            "days_studied": stats.streak.days_studied,
            "days_in_range": stats.streak.days_in_range,
            "share_studied": stats.streak.share,
        },
        "reviews_by_day": {
            day.day.isoformat(): {
                "count": day.count,
                "seconds": round(day.seconds, 3),
                "by_category": dict(day.counts),
            }
            for day in stats.days
        },
        "seconds_by_category": {k: round(v, 3) for k, v in stats.seconds_by_category.items()},
        "heatmap": {day.isoformat(): count for day, count in sorted(stats.heatmap.items())},
        "true_retention": {
            "young": _rate_json(retention.young),
            "mature": _rate_json(retention.mature),
            "all": _rate_json(retention.overall),
            "by_kind": {kind: _rate_json(rate) for kind, rate in retention.by_kind.items()},
            "by_week": [
                {
                    "week": week.week.isoformat(),
                    "young": _rate_json(week.young),
                    "mature": _rate_json(week.mature),
                }
                for week in retention.weeks
            ],
        },
        "forecast": {day.isoformat(): count for day, count in stats.forecast},
        "backlog": stats.backlog,
        "scheduler": stats.scheduler.scheduler,
        "retrievability": stats.scheduler.retrievability,
        "intervals": [
            {"label": b.label, "low": b.low, "high": b.high, "count": b.count}
            for b in stats.scheduler.intervals
        ],
        "easiness": [
            {"label": b.label, "low": b.low / 100, "high": _hundredths(b.high), "count": b.count}
            for b in stats.scheduler.easiness
        ],
        "parts": [
            {
                "deck": part.deck_id,
                "part": part.part_id,
                "title": part.title,
                "first_pre": part.first_pre,
                "latest_post": part.latest_post,
                "gain": None if part.gain is None else part.gain.normalized,
                "compared": None
                if part.gain is None
                else {
                    "questions": len(part.gain.question_ids),
                    "pre": part.gain.pre,
                    "post": part.gain.post,
                },
                "wrong_after_reading": [qid for qid, _ in part.wrong_after_reading],
            }
            for part in stats.parts
        ],
        "hardest": [
            {
                "deck": item.deck_id,
                "item": item.item_id,
                "kind": item.kind,
                "text": item.text,
                "lapses": item.lapses,
                "reviews": item.reviews,
                "easiness": item.easiness,
                "interval": item.interval,
            }
            for item in stats.hardest
        ],
    }


def _hundredths(value: int | None) -> float | None:
    return None if value is None else value / 100


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _duration(seconds: float) -> str:
    """Seconds as a learner reads them: 45 s, 12 min, 3 h 05 min."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def statistics_tables(stats: Statistics, scope: str) -> list[RenderableType]:
    """The figures as Rich tables, in the screen's order."""
    from rich.table import Table
    from rich.text import Text

    def table(title: str, *columns: str) -> Table:
        made = Table(title=title, title_justify="left", title_style="bold", box=None)
        for index, column in enumerate(columns):
            made.add_column(column, justify="left" if index == 0 else "right")
        return made

    name = RANGES[stats.range][0]
    out: list[RenderableType] = [
        Text.assemble(
            ("Statistics: ", "bold"),
            f"{scope}, {name} ({stats.start.isoformat()} to {stats.today.isoformat()})",
        )
    ]
    if stats.empty:
        out.append(
            Text(
                "Nothing answered yet. Take a part's pre-check or read its key points: every"
                " answer then shows here, day by day."
            )
        )
    today = table("Today", "Deck", "Due", "Again", "New", "Learned", "Retired")
    for deck in stats.decks_today:
        c = deck.counts
        today.add_row(deck.title, *map(str, (c.due, c.redrill, c.new, c.learned, c.retired)))
    out.append(today)
    answered = stats.today_reviews
    streak = stats.streak
    out.append(
        Text(
            f"Answered today: {answered.count if answered else 0}"
            f" in {_duration(answered.seconds if answered else 0)}."
            f"  Streak: {streak.current} day{'' if streak.current == 1 else 's'}"
            f" (longest {streak.longest}),"
            f" studied {streak.days_studied} of {streak.days_in_range} days"
            f" ({_percent(streak.share)})."
        )
    )
    reviews = table(f"Answers, {name}", "Kind of answer", "Answers", "Time")
    for category in CATEGORIES:
        count = sum(answered_on.counts.get(category, 0) for answered_on in stats.days)
        if count:
            spent = stats.seconds_by_category.get(category, 0.0)
            reviews.add_row(category, str(count), _duration(spent))
    reviews.add_row("all", str(stats.range_reviews), _duration(stats.range_seconds))
    out.append(reviews)
    retention = stats.retention
    kept = table(f"True retention, {name}", "Reviews of learned items", "Reviews", "Right", "")
    for label, rate in (
        ("young (interval < 21 d)", retention.young),
        ("mature (21 d or more)", retention.mature),
        ("all", retention.overall),
        ("questions", retention.by_kind.get("question", Rate())),
        ("key points", retention.by_kind.get("key_point", Rate())),
    ):
        kept.add_row(label, str(rate.reviews), str(rate.right), _percent(rate.rate))
    out.append(kept)
    forecast = table("Forecast (overdue counted today)", "Day", "Due")
    for offset, (day, count) in enumerate(stats.forecast[:7]):
        forecast.add_row("today" if offset == 0 else f"{day:%a %d %b}", str(count))
    later = sum(count for _, count in stats.forecast[7:])
    forecast.add_row(f"next {len(stats.forecast) - 7} days", str(later))
    forecast.add_row("overdue (in today's count)", str(stats.backlog))
    out.append(forecast)
    shape = table(
        f"Intervals and {stats.scheduler.ease_label.lower()} ({stats.scheduler.scheduler})",
        "Interval",
        "Items",
        stats.scheduler.ease_label,
    )
    shape.add_column("Items", justify="right")
    intervals, easiness = stats.scheduler.intervals, stats.scheduler.easiness
    for index in range(max(len(intervals), len(easiness))):
        left = intervals[index] if index < len(intervals) else None
        right = easiness[index] if index < len(easiness) else None
        shape.add_row(
            left.label if left else "",
            str(left.count) if left else "",
            right.label if right else "",
            str(right.count) if right else "",
        )
    out.append(shape)
    if stats.scheduler.retrievability is not None:
        out.append(
            Text(
                "Predicted recall today (FSRS, mean over scheduled items):"
                f" {_percent(stats.scheduler.retrievability)}"
            )
        )
    parts = table("Before and after reading", "Part", "First pre", "Latest post", "Gain", "Wrong")
    for part in stats.parts:
        gain = None if part.gain is None else part.gain.normalized
        parts.add_row(
            part.title,
            _percent(part.first_pre),
            _percent(part.latest_post),
            "-" if gain is None else f"{gain:.2f}",
            str(len(part.wrong_after_reading)),
        )
    out.append(parts)
    hardest = table("Hardest items", "Item", "Lapses", "Easiness", "Interval")
    for item in stats.hardest:
        hardest.add_row(
            item.text,
            str(item.lapses),
            "-" if item.easiness is None else f"{item.easiness:.2f}",
            "-" if item.interval is None else f"{item.interval} d",
        )
    out.append(hardest)
    return out


def run(args: argparse.Namespace) -> int:
    """Print the statistics; 1 with a message when the store or a deck cannot be read."""
    from quiztui import locations
    from quiztui.errors import QuiztuiError
    from quiztui.store import Store
    from quiztui.store.instance_lock import InstanceLock
    from quiztui.study import StudyContext, open_context
    from quiztui.study.statistics import compute_statistics

    try:
        decks = _decks(args)
        # An open app owns what waits in its pending journal: leave that to it.
        app_open = InstanceLock(locations.data_dir()).owner_alive() is not None
        ctx: StudyContext = open_context(store=Store.open(take_pending=not app_open))
    except QuiztuiError as error:
        if type(error).__name__ == "DeckError":
            raise
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    try:
        stats = compute_statistics(ctx, decks, args.range)
    except QuiztuiError as error:
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    finally:
        ctx.store.close()
    for notice in ctx.store.notices:
        print(f"quiztui: {notice}", file=sys.stderr)
    advice = ctx.store.waiting_advice()
    if advice is not None:
        print(f"quiztui: {advice}", file=sys.stderr)
    for bad in ctx.store.bad_rows():
        print(
            f"quiztui: {ctx.store.path}: left out the {bad.table} row {bad.key}, which cannot"
            f" be read ({bad.problem}); the figures are without it",
            file=sys.stderr,
        )
    titles = {deck.id: deck.title for deck in decks}
    if args.json:
        print(json.dumps(statistics_json(stats, titles), indent=2, ensure_ascii=False))
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    scope = decks[0].title if len(decks) == 1 else f"all decks ({len(decks)})"
    for renderable in statistics_tables(stats, scope):
        console.print(renderable)
        console.print()
    return 0
