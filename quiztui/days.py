"""Learning days and clocks: which day a review counts for, in the learner's local time.

A learning day is the local calendar day with a rollover hour (default 4:00): a review at 01:30
still counts for the day before, as most learners who study late expect. Instants are stored in
UTC; days are derived from them in the learner's current time zone. The clock is injected, so
tests (and the TUI's tests) can stand at any moment in any zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

DEFAULT_ROLLOVER_HOUR = 4
"""Reviews before 04:00 local time count for the previous learning day."""


class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in the learner's current local zone."""
        ...


class SystemClock:
    """The real clock: the computer's time in its current local zone."""

    def now(self) -> datetime:
        """The current instant in the system's local time zone."""
        return datetime.now().astimezone()


class FixedClock:
    """A clock that stands still until moved: for tests and reproducible runs."""

    def __init__(self, instant: datetime) -> None:
        """Stand at `instant`, which must be timezone-aware."""
        self._instant = _require_aware(instant)

    def now(self) -> datetime:
        """The instant the clock stands at."""
        return self._instant

    def set(self, instant: datetime) -> None:
        """Move to another (aware) instant, possibly in another zone."""
        self._instant = _require_aware(instant)

    def advance(self, delta: timedelta) -> None:
        """Move forward by a real duration (an absolute one, DST-correct)."""
        zone = self._instant.tzinfo
        moved = self._instant.astimezone(UTC) + delta
        self._instant = moved.astimezone(zone)


def _require_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not {instant!r}")
    return instant


def check_rollover_hour(hour: int) -> int:
    """The hour itself when it is 0-23; ValueError otherwise."""
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValueError(f"the rollover hour is an integer from 0 to 23, not {hour!r}")
    return hour


def learning_day(instant: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """The learning day of an aware instant, read in the instant's own zone (01:30 -> day before).

    The wall-clock reading decides, so a DST switch (at 02:00 or 03:00, before the rollover
    hour) moves no review to another day.
    """
    _require_aware(instant)
    check_rollover_hour(rollover_hour)
    day = instant.date()
    return day - timedelta(days=1) if instant.hour < rollover_hour else day


def learning_day_in(
    instant: datetime, zone: tzinfo | None, rollover_hour: int = DEFAULT_ROLLOVER_HOUR
) -> date:
    """The learning day of an aware instant (any zone) as seen from `zone` (the learner's now)."""
    return learning_day(_require_aware(instant).astimezone(zone), rollover_hour)


def day_start(day: date, zone: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> datetime:
    """The aware instant a learning day begins in `zone` (its rollover hour, local time)."""
    return datetime.combine(day, time(check_rollover_hour(rollover_hour)), tzinfo=zone)


def to_utc_text(instant: datetime) -> str:
    """An aware instant as the ISO text the store keeps (UTC, microseconds, sortable)."""
    return _require_aware(instant).astimezone(UTC).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    """The aware UTC instant from the store's ISO text."""
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)
