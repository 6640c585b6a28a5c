"""The streak counts learning days as the learner lived them: across both DST changes and a
flight to another zone, a daily learner keeps their streak."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from deckfactory import make_context, make_deck

from quiztui.study import open_key_points, streak

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def fixed_offset(local: datetime) -> datetime:
    """`local` as `datetime.now().astimezone()` gives it: the same instant, a fixed offset."""
    offset = local.utcoffset()
    assert offset is not None
    return local.astimezone(timezone(offset))


@pytest.mark.parametrize(
    "first_day",
    [date(2026, 10, 20), date(2026, 2, 27)],
    ids=["november-dst-end", "march-dst-start"],
)
def test_a_daily_learner_at_0430_keeps_the_streak_across_a_dst_change(
    tmp_path: Path, first_day: date
) -> None:
    """04:30 in New York every day for 15 days: the DST change in between (1 November,
    8 March) moves the UTC offset, never a learning day."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=40, questions=1)
    days = [first_day + timedelta(days=n) for n in range(15)]
    for day in days:
        local = datetime.combine(day, time(4, 30), tzinfo=NEW_YORK)
        clock.set(fixed_offset(local))
        open_key_points(ctx, deck, "p1").grade(5, 1.0)
    later = datetime.combine(days[-1], time(20, 0), tzinfo=NEW_YORK)
    clock.set(fixed_offset(later))
    assert streak(ctx) == 15


def test_a_flight_to_tokyo_and_back_keeps_the_streak(tmp_path: Path) -> None:
    """Three days in Berlin, three in Tokyo, back in Berlin: six days studied in a row."""
    ctx, clock = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=40, questions=1)
    start = date(2026, 6, 1)
    for n in range(6):
        zone = BERLIN if n < 3 else TOKYO
        local = datetime.combine(start + timedelta(days=n), time(20, 0), tzinfo=zone)
        clock.set(fixed_offset(local))
        open_key_points(ctx, deck, "p1").grade(5, 1.0)
    home = datetime.combine(start + timedelta(days=6), time(9, 0), tzinfo=BERLIN)
    clock.set(fixed_offset(home))
    assert streak(ctx) == 6, "not yet studied today: the streak runs to yesterday"
    open_key_points(ctx, deck, "p1").grade(5, 1.0)
    assert streak(ctx) == 7
    clock.set(fixed_offset(home + timedelta(days=2)))
    assert streak(ctx) == 0, "a day without studying ends it"
