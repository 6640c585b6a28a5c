"""Small text helpers shared by the screens: percentages, gains, dates as a learner reads them."""

from __future__ import annotations

from datetime import date


def percent(score: float | None) -> str:
    """A 0.0-1.0 score as a whole percentage, or an en dash when there is none."""
    return "–" if score is None else f"{round(score * 100)}%"


def plural(count: int, noun: str) -> str:
    """`1 question`, `2 questions`: a count with its noun."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def signed_points(change: float | None) -> str:
    """A change of score in percentage points, with its sign (+20 pts)."""
    if change is None:
        return "–"
    points = round(change * 100)
    return f"{points:+d} pts"


def relative_day(day: date | None, today: date) -> str:
    """A due date as a learner says it: today, tomorrow, in 6 days, or the date."""
    if day is None:
        return "nothing scheduled"
    delta = (day - today).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta < 30:
        return f"in {delta} days ({day:%a %d %b})"
    return day.isoformat()
