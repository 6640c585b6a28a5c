"""Small text helpers shared by the screens: percentages, gains, dates as a learner reads them."""

from __future__ import annotations

import re
from datetime import date

from quiztui.wording import plural as plural  # the screens' one way to count


def percent(score: float | None) -> str:
    """A 0.0-1.0 score as a whole percentage, or an en dash when there is none."""
    return "–" if score is None else f"{round(score * 100)}%"


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


def clock_text(seconds: float) -> str:
    """A duration as a clock shows it: 4:05, 1:02:03 (whole seconds, rounded up while time
    runs out, so 0:00 means none is left)."""
    whole = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def interval_text(days: int) -> str:
    """An interval as the grade keys show it: today, 6d, 3mo, 1.2y."""
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"


def gain_ratio(gain: float | None) -> str:
    """Hake's normalized gain to two decimals (0.67), or an en dash when it is undefined."""
    return "–" if gain is None else f"{gain:.2f}".replace("-", "−")


def score_step(questions: int) -> str:
    """How far one question moves a score of `questions` questions: "20-point steps"."""
    if questions <= 0:
        return ""
    step = 100 / questions
    points = f"{step:.0f}" if step == round(step) else f"about {step:.0f}"
    return f"{points}-point steps"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"(`+)(.+?)\1")
"""A code span: its text is kept exactly as written (`__init__.py` stays whole)."""
_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=[^\s*_])(.+?)(?<=\S)\1")
"""Emphasis, whose markers go. What it holds may not start with a marker, so a fill-in blank
(`_____`) or a row of stars is text, as Markdown draws it."""


def _plain(text: str) -> str:
    """Markdown inline text without its links' targets and its emphasis markers."""
    return _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text))


def first_line(markdown: str) -> str:
    """The first non-blank line of Markdown as plain text, for a one-line summary in a list."""
    for line in markdown.splitlines():
        line = line.strip().lstrip("#>").strip()
        if line:
            pieces: list[str] = []
            end = 0
            for code in _CODE.finditer(line):
                pieces += [_plain(line[end : code.start()]), code.group(2).strip()]
                end = code.end()
            pieces.append(_plain(line[end:]))
            return "".join(pieces)
    return ""
