"""The pinned SM-2 reading: golden vectors, exactness, same-day repeats, and properties."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiztui.sm2 import GRADE_MEANINGS, MAX_INTERVAL, ItemState, needs_redrill, review

DAY0 = date(2024, 1, 1)


def run(grades: list[int], start: date = DAY0) -> list[ItemState]:
    """Review an item once a day with these grades; every state along the way."""
    states: list[ItemState] = []
    state: ItemState | None = None
    for offset, grade in enumerate(grades):
        state = review(state, grade, start + timedelta(days=offset))
        states.append(state)
    return states


def float_sm2_intervals(grades: list[int]) -> list[int]:
    """The same reading computed with floats, as a naive implementation would."""
    easiness, repetitions, interval, out = 2.5, 0, 0, []
    for grade in grades:
        if grade >= 3:
            repetitions += 1
            interval = (
                1 if repetitions == 1 else 6 if repetitions == 2 else math.ceil(interval * easiness)
            )
        else:
            repetitions, interval = 0, 1
        easiness = max(1.3, easiness + 0.1 - (5 - grade) * (0.08 + (5 - grade) * 0.02))
        out.append(interval)
    return out


GOLDEN = [
    # grades, then (EF, n, I) after each review
    ([5, 5, 5], [("2.60", 1, 1), ("2.70", 2, 6), ("2.80", 3, 17)]),  # 6 x 2.7 = 16.2 -> 17
    ([4, 4, 4, 4], [("2.50", 1, 1), ("2.50", 2, 6), ("2.50", 3, 15), ("2.50", 4, 38)]),
    ([3, 3, 3, 3], [("2.36", 1, 1), ("2.22", 2, 6), ("2.08", 3, 14), ("1.94", 4, 30)]),
    ([2], [("2.18", 0, 1)]),
    ([1], [("1.96", 0, 1)]),
    ([0, 0, 0], [("1.70", 0, 1), ("1.30", 0, 1), ("1.30", 0, 1)]),  # floored at 1.3
    ([5, 5, 1, 4], [("2.60", 1, 1), ("2.70", 2, 6), ("2.16", 0, 1), ("2.16", 1, 1)]),
    # The float trap: 6 x 1.5000000000000002 = 9.000000000000002, whose ceil is 10; SM-2 means 9.
    (
        [0, 0, 5, 5, 3],
        [("1.70", 0, 1), ("1.30", 0, 1), ("1.40", 1, 1), ("1.50", 2, 6), ("1.36", 3, 9)],
    ),
]


@pytest.mark.parametrize(("grades", "expected"), GOLDEN)
def test_golden_vectors(grades: list[int], expected: list[tuple[str, int, int]]) -> None:
    """Each review gives exactly the pinned EF, repetitions, interval and due date."""
    states = run(grades)
    got = [(str(s.easiness), s.repetitions, s.interval) for s in states]
    assert got == expected
    for offset, state in enumerate(states):
        assert state.due == DAY0 + timedelta(days=offset + state.interval)
        assert state.last_review == DAY0 + timedelta(days=offset)


def test_the_float_trap_vector_really_trips_floats() -> None:
    """The golden vector above is one where float arithmetic gives a different interval."""
    assert float_sm2_intervals([0, 0, 5, 5, 3])[-1] == 10
    assert run([0, 0, 5, 5, 3])[-1].interval == 9


def test_easiness_is_exact_decimal_and_float_convertible() -> None:
    """EF is an exact Decimal that float() accepts."""
    state = review(None, 3, DAY0)
    assert state.easiness == Decimal("2.36")
    assert float(state.easiness) == 2.36


def test_same_day_second_review_changes_nothing() -> None:
    """A re-drill on the same learning day leaves EF, n and I alone."""
    first = review(None, 1, DAY0)
    assert review(first, 5, DAY0) is first
    assert review(first, 0, DAY0) is first


def test_review_on_an_earlier_day_changes_nothing() -> None:
    """After a westward zone change the day may go back; nothing is rescheduled backwards."""
    first = review(None, 4, DAY0)
    assert review(first, 5, DAY0 - timedelta(days=1)) is first


@pytest.mark.parametrize("grade", [-1, 6, 4.0, True, "4", None])
def test_bad_grades_are_refused(grade: object) -> None:
    """Only the integers 0-5 are grades."""
    with pytest.raises(ValueError, match="0 to 5"):
        review(None, grade, DAY0)  # type: ignore[arg-type]


def test_grade_meanings_cover_the_scale() -> None:
    """Every grade 0-5 has a meaning to show; below 4 means a re-drill."""
    assert sorted(GRADE_MEANINGS) == [0, 1, 2, 3, 4, 5]
    assert [needs_redrill(g) for g in range(6)] == [True] * 4 + [False] * 2


grades_strategy = st.lists(st.integers(0, 5), min_size=1, max_size=40)
gaps_strategy = st.lists(st.integers(0, 400), min_size=40, max_size=40)


@settings(max_examples=150, deadline=None)
@given(grades_strategy, gaps_strategy)
def test_properties_over_any_history(grades: list[int], gaps: list[int]) -> None:
    """EF never below 1.3, interval never below 1, due never before the review day."""
    state: ItemState | None = None
    day = DAY0
    for grade, gap in zip(grades, gaps, strict=False):
        day += timedelta(days=gap)
        state = review(state, grade, day)
        assert state.easiness >= Decimal("1.3")
        assert state.interval >= 1
        assert state.due >= day
        assert state.due == state.last_review + timedelta(days=state.interval)  # type: ignore[operator]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 5), max_size=10), st.lists(st.integers(3, 5), min_size=2, max_size=12)
)
def test_intervals_grow_across_consecutive_passes(before: list[int], passes: list[int]) -> None:
    """Once an item is passed day after day, its interval never shrinks."""
    states = run(before + passes)
    passing = [s.interval for s in states[len(before) :]]
    assert passing == sorted(passing)
    assert all(s.interval <= MAX_INTERVAL for s in states)
    assert states[-1].repetitions >= len(passes)


@settings(max_examples=100, deadline=None)
@given(st.integers(130, 400), st.integers(1, 5000))
def test_interval_is_the_exact_ceiling(easiness: int, interval: int) -> None:
    """For n >= 3 the next interval is ceil(I x EF) computed exactly."""
    state = ItemState(easiness, 5, interval, DAY0, DAY0)
    after = review(state, 4, DAY0 + timedelta(days=1))
    assert after.interval == min(math.ceil(Fraction(interval * easiness, 100)), MAX_INTERVAL)
