"""The SM-2 scheduler as quiztui pins it down: pure functions, exact arithmetic.

The published SM-2 text leaves a few points open; docs/scheduling.md records the reading taken
here. The easiness factor moves in steps of 0.02, so it is kept as integer hundredths: with
floats, `ceil(6 x 1.5000000000000002)` gives 10 days where SM-2 means 9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

INITIAL_EASINESS_HUNDREDTHS = 250
"""EF = 2.5 for an item never reviewed."""

MIN_EASINESS_HUNDREDTHS = 130
"""EF never falls below 1.3."""

PASSING_GRADE = 3
"""Grades from 3 up count as recalled: the repetition count grows."""

MAX_INTERVAL = 36_500
"""No interval is longer than 100 years (dates stay in range however long the run of passes)."""

REDRILL_BELOW = 4
"""Answers graded below 4 come back the same day (SM-2's step 7) until they score 4 or more."""

GRADE_MEANINGS: dict[int, str] = {
    0: "blackout: no recall at all",
    1: "wrong, but the answer felt familiar once seen",
    2: "wrong, but the answer seemed easy once seen",
    3: "right, with serious difficulty",
    4: "right, after some hesitation",
    5: "perfect: recalled at once",
}
"""SM-2's meaning of each grade, short enough to show beside the grade keys."""


@dataclass(frozen=True, slots=True)
class ItemState:
    """An item's schedule after its last state-changing review."""

    easiness_hundredths: int
    """EF x 100, exact; see `easiness` for the Decimal."""
    repetitions: int
    """n: successful reviews in a row (reset to 0 by a failure)."""
    interval: int
    """I: days from the last review to the next."""
    due: date
    """The learning day the item is next due."""
    last_review: date | None
    """The learning day of the last state-changing review (None only for synthetic states)."""

    @property
    def easiness(self) -> Decimal:
        """EF as an exact Decimal (`float(state.easiness)` works)."""
        return Decimal(self.easiness_hundredths).scaleb(-2)

    @property
    def is_learned(self) -> bool:
        """True once the item has been recalled at least once in a row."""
        return self.repetitions >= 1


def check_grade(grade: object) -> int:
    """The grade itself when it is an int from 0 to 5; ValueError otherwise (bools refused)."""
    if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 5:
        raise ValueError(f"an SM-2 grade is an integer from 0 to 5, not {grade!r}")
    return grade


def next_easiness_hundredths(easiness_hundredths: int, grade: int) -> int:
    """EF' = EF + 0.1 - (5 - q) x (0.08 + (5 - q) x 0.02), floored at 1.3, in hundredths."""
    miss = 5 - check_grade(grade)
    return max(MIN_EASINESS_HUNDREDTHS, easiness_hundredths + 10 - miss * (8 + miss * 2))


def review(state: ItemState | None, grade: int, today: date) -> ItemState:
    """The state after reviewing an item with `grade` on learning day `today` (pure).

    `state` is None for an item never reviewed. Only the first graded review of a learning day
    changes anything: when `today` is the day of `state.last_review` (a same-day re-drill) or
    earlier (the learner crossed time zones westwards), the state is returned unchanged, so no
    item is scheduled twice for one day and no interval is ever negative.
    """
    check_grade(grade)
    if state is not None and state.last_review is not None and today <= state.last_review:
        return state
    if state is None:
        easiness, repetitions, interval = INITIAL_EASINESS_HUNDREDTHS, 0, 0
    else:
        easiness, repetitions, interval = (
            state.easiness_hundredths,
            state.repetitions,
            state.interval,
        )
    if grade >= PASSING_GRADE:
        repetitions += 1
        if repetitions == 1:
            interval = 1
        elif repetitions == 2:
            interval = 6
        else:
            # ceil(I x EF) with EF from before this review, in exact integer arithmetic.
            interval = -(-interval * easiness // 100)
    else:
        repetitions, interval = 0, 1
    interval = min(max(interval, 1), MAX_INTERVAL)
    return ItemState(
        easiness_hundredths=next_easiness_hundredths(easiness, grade),
        repetitions=repetitions,
        interval=interval,
        due=today + timedelta(days=interval),
        last_review=today,
    )


def needs_redrill(grade: int) -> bool:
    """True when an answer with this grade must come back later the same day."""
    return check_grade(grade) < REDRILL_BELOW
