"""FSRS behind the scheduler protocol, computed by py-fsrs (PyPI `fsrs`), in learning days.

quiztui counts time in learning days (docs/scheduling.md), and so does FSRS here: each answer is
given to py-fsrs at noon UTC of its learning day, so the days FSRS sees elapse are exactly the
learning days between two answers, whatever the clock, time zone or rollover hour. Answers on
the same learning day reach it at the same instant, in log order: FSRS then applies its
same-day rules (learning steps, short-term stability). A learning step ("again in 10 minutes")
is due the same learning day, so the item comes back in the same session, as SM-2's re-drill
does. Fuzz is off: replaying the log must give the same states every time.

py-fsrs is imported when an FSRS scheduler is built, so SM-2 users never load it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from quiztui.scheduling.base import ScheduleState
from quiztui.scheduling.fsrs_state import FsrsState
from quiztui.sm2 import MAX_INTERVAL, check_grade

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
"""FSRS's ratings, numbered as py-fsrs numbers its `Rating`."""

GRADE_TO_RATING: dict[int, int] = {0: AGAIN, 1: AGAIN, 2: AGAIN, 3: HARD, 4: GOOD, 5: EASY}
"""quiztui's grades as FSRS ratings (docs/scheduling.md has the table): 0-2 not recalled is
Again; 3 Hard, 4 Good, 5 Easy. So a question answered wrong (1) is Again, right (4) Good,
"guessed" (3) Hard and "knew it" (5) Easy."""

DEFAULT_DESIRED_RETENTION = 0.9

NOON = time(12, 0)


def rating_for(grade: int) -> int:
    """The FSRS rating (1-4) of a quiztui grade (0-5)."""
    return GRADE_TO_RATING[check_grade(grade)]


def fsrs_instant(day: date) -> datetime:
    """The instant py-fsrs is told an answer of learning day `day` was given: noon UTC."""
    return datetime.combine(day, NOON, tzinfo=UTC)


def default_parameters() -> tuple[float, ...]:
    """py-fsrs's default model weights (what FSRS uses until `quiztui fsrs-optimize`)."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return tuple(DEFAULT_PARAMETERS)


class FsrsScheduler:
    """FSRS-6 through py-fsrs, with the learner's desired retention and (fitted) parameters."""

    name = "fsrs"
    counts_same_day_reviews = True

    def __init__(
        self,
        desired_retention: float = DEFAULT_DESIRED_RETENTION,
        parameters: Sequence[float] | None = None,
    ) -> None:
        """py-fsrs's defaults unless `parameters` (21 weights, from its optimizer) are given.

        ValueError for parameters out of FSRS's bounds or a retention outside (0, 1).
        """
        from fsrs import Card, Rating, Scheduler, State

        if not 0 < desired_retention < 1:
            raise ValueError(f"desired retention must be between 0 and 1, not {desired_retention}")
        self.desired_retention = float(desired_retention)
        self.parameters = tuple(float(p) for p in (parameters or default_parameters()))
        self._fsrs: Any = Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            maximum_interval=MAX_INTERVAL,
            enable_fuzzing=False,
        )
        # Looked up once: a replay of a million answers makes these calls a million times.
        self._card_type: Any = Card
        self._phases: dict[int, Any] = {phase.value: phase for phase in State}
        self._ratings: dict[int, Any] = {g: Rating(r) for g, r in GRADE_TO_RATING.items()}
        self.basis = json.dumps(
            {
                "scheduler": "fsrs",
                "desired_retention": self.desired_retention,
                "parameters": list(self.parameters),
            },
            sort_keys=True,
        )

    @property
    def py_fsrs(self) -> Any:
        """The py-fsrs `Scheduler` doing the work (for tests and the benchmark)."""
        return self._fsrs

    def card(self, state: FsrsState | None, at: datetime) -> Any:
        """The py-fsrs `Card` for a state (a new card due at `at` for None)."""
        if state is None:
            return self._card_type(card_id=0, due=at)
        return self._card_type(
            card_id=0,
            state=self._phases[state.phase],
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=fsrs_instant(state.due),
            last_review=None if state.last_review is None else fsrs_instant(state.last_review),
        )

    def review(self, state: ScheduleState | None, grade: int, day: date) -> ScheduleState:
        """The state after one answer (every answer counts, same-day ones included).

        An answer on a learning day before the last review's (after flying west) counts as
        given on the last review's day, so no interval is ever negative.
        """
        if state is not None and not isinstance(state, FsrsState):
            raise TypeError("an SM-2 state cannot be reviewed by FSRS (replay the log)")
        rating = rating_for(grade)
        if state is not None and state.last_review is not None and day < state.last_review:
            day = state.last_review
        at = fsrs_instant(day)
        after, _ = self._fsrs.review_card(self.card(state, at), self._ratings[grade], at)
        interval = min(max((after.due - at).days, 0), MAX_INTERVAL)
        repetitions = 0 if rating == AGAIN else (state.repetitions if state else 0) + 1
        return FsrsState(
            stability=float(after.stability),
            difficulty=float(after.difficulty),
            phase=int(after.state),
            step=after.step,
            repetitions=repetitions,
            interval=interval,
            due=day + timedelta(days=interval),
            last_review=day,
        )

    def back_today(self, state: ScheduleState | None, grade: int, day: date) -> bool:
        """A learning or relearning step keeps the item due the same learning day."""
        return isinstance(state, FsrsState) and state.due <= day

    def retrievability(self, state: ScheduleState, day: date) -> float | None:
        """FSRS's predicted chance of recall on `day`, from whole learning days elapsed."""
        if not isinstance(state, FsrsState) or state.last_review is None:
            return None
        card = self.card(state, fsrs_instant(day))
        return float(self._fsrs.get_card_retrievability(card, fsrs_instant(day)))
