"""Learning days: midnight, the rollover hour, DST switches and time-zone changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiztui.days import (
    FixedClock,
    SystemClock,
    day_start,
    from_utc_text,
    learning_day,
    learning_day_in,
    to_utc_text,
)
from quiztui.sm2 import ItemState, review

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("local", "rollover", "expected"),
    [
        (datetime(2024, 3, 5, 23, 59, tzinfo=BERLIN), 4, date(2024, 3, 5)),
        (datetime(2024, 3, 6, 0, 0, tzinfo=BERLIN), 4, date(2024, 3, 5)),  # midnight: same day
        (datetime(2024, 3, 6, 1, 30, tzinfo=BERLIN), 4, date(2024, 3, 5)),
        (datetime(2024, 3, 6, 3, 59, 59, tzinfo=BERLIN), 4, date(2024, 3, 5)),
        (datetime(2024, 3, 6, 4, 0, tzinfo=BERLIN), 4, date(2024, 3, 6)),  # rollover
        (datetime(2024, 3, 6, 0, 0, tzinfo=BERLIN), 0, date(2024, 3, 6)),  # rollover at midnight
        (datetime(2024, 3, 6, 22, 0, tzinfo=BERLIN), 23, date(2024, 3, 5)),
    ],
)
def test_learning_day_with_rollover(local: datetime, rollover: int, expected: date) -> None:
    """The local day, with hours before the rollover counted for the day before."""
    assert learning_day(local, rollover) == expected


def test_naive_instants_are_refused() -> None:
    """A naive datetime has no zone; guessing would misplace reviews."""
    with pytest.raises(ValueError, match="timezone-aware"):
        learning_day(datetime(2024, 1, 1, 12))  # noqa: DTZ001


def test_dst_spring_forward_keeps_days_contiguous() -> None:
    """Berlin skips 02:00-03:00 on 2024-03-31; stepping an hour at a time, every day occurs once."""
    clock = FixedClock(datetime(2024, 3, 29, 12, tzinfo=BERLIN))
    seen: list[date] = []
    for _ in range(24 * 5):
        day = learning_day(clock.now())
        if not seen or seen[-1] != day:
            seen.append(day)
        clock.advance(timedelta(hours=1))
    assert seen == [date(2024, 3, 29) + timedelta(days=n) for n in range(len(seen))]


def test_dst_fall_back_does_not_repeat_a_day() -> None:
    """New York repeats 01:00-02:00 on 2024-11-03; the learning day still moves once."""
    clock = FixedClock(datetime(2024, 11, 1, 12, tzinfo=NEW_YORK))
    seen: list[date] = []
    for _ in range(24 * 4 * 4):
        day = learning_day(clock.now())
        if not seen or seen[-1] != day:
            seen.append(day)
        clock.advance(timedelta(minutes=15))
    assert seen == [date(2024, 11, 1) + timedelta(days=n) for n in range(len(seen))]
    assert len(seen) == 5  # 96 hours from noon on the 1st reach the 5th


def test_day_start_is_the_rollover_hour_across_dst() -> None:
    """A learning day starts at the rollover hour local time, whatever the UTC offset that day."""
    assert day_start(date(2024, 3, 31), BERLIN).astimezone(UTC).hour == 2  # CEST, UTC+2
    assert day_start(date(2024, 3, 30), BERLIN).astimezone(UTC).hour == 3  # CET, UTC+1


def test_days_are_derived_in_the_current_zone() -> None:
    """One UTC instant is a different learning day in Tokyo and New York."""
    instant = datetime(2024, 6, 1, 20, 0, tzinfo=UTC)  # 05:00 Tokyo next day, 16:00 New York
    assert learning_day_in(instant, TOKYO) == date(2024, 6, 2)
    assert learning_day_in(instant, NEW_YORK) == date(2024, 6, 1)


@settings(max_examples=120, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from([BERLIN, NEW_YORK, TOKYO, UTC]),
    ),
    steps=st.lists(
        st.tuples(st.integers(1, 60 * 30), st.sampled_from([BERLIN, NEW_YORK, TOKYO, UTC])),
        min_size=1,
        max_size=60,
    ),
    grades=st.lists(st.integers(0, 5), min_size=60, max_size=60),
)
def test_zone_changes_never_schedule_twice_or_backwards(
    start: datetime,
    steps: list[tuple[int, ZoneInfo]],
    grades: list[int],
) -> None:
    """Travel between zones while reviewing: no review counts twice for a day, no negative interval.

    Each step moves time forward and maybe changes zone; the learner reviews the item whenever it
    is due by the current day. A state change happens at most once per learning day reached, and
    the due date never lands before the day of the review that set it.
    """
    clock = FixedClock(start)
    state: ItemState | None = None
    changed_days: list[date] = []
    for (minutes, zone), grade in zip(steps, grades, strict=False):
        clock.advance(timedelta(minutes=minutes))
        clock.set(clock.now().astimezone(zone))
        today = learning_day(clock.now())
        if state is None or state.due <= today:
            after = review(state, grade, today)
            if after is not state:
                assert not changed_days or today > changed_days[-1]
                changed_days.append(today)
                assert after.due > today
            state = after


def test_fixed_clock_moves_and_system_clock_is_aware() -> None:
    """The test clock stands still until moved; the real one is aware."""
    clock = FixedClock(datetime(2024, 1, 1, 12, tzinfo=BERLIN))
    clock.advance(timedelta(hours=13))
    assert clock.now() == datetime(2024, 1, 2, 1, tzinfo=BERLIN)
    assert SystemClock().now().tzinfo is not None
    with pytest.raises(ValueError):
        FixedClock(datetime(2024, 1, 1))  # noqa: DTZ001


def test_utc_text_round_trip_sorts() -> None:
    """Stored instants are UTC text that round-trips and sorts in time order."""
    a = datetime(2024, 1, 1, 23, 30, tzinfo=NEW_YORK)
    b = datetime(2024, 1, 2, 5, 0, tzinfo=BERLIN)
    assert from_utc_text(to_utc_text(a)) == a
    assert (to_utc_text(a) < to_utc_text(b)) == (a < b)
