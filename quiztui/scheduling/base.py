"""What every scheduler offers the store and the study core: one protocol, two implementations.

The review log is the truth; a scheduler is the rule that turns an item's log rows into its
state. `quiztui.store.replay` feeds it the rows, live and in full rebuilds, so switching the
scheduler is only a matter of replaying the log through another one.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from quiztui.scheduling.fsrs_state import FsrsState
from quiztui.sm2 import ItemState

ScheduleState = ItemState | FsrsState
"""An item's state under either scheduler: both have `due`, `interval`, `repetitions`,
`last_review` and `is_learned`; the rest is each scheduler's own."""

SCHEDULER_NAMES: tuple[str, ...] = ("sm2", "fsrs")
"""The values of the `scheduler` setting."""


class Scheduler(Protocol):
    """The rule that turns graded answers into item states."""

    @property
    def name(self) -> str:
        """The setting's word for it: "sm2" or "fsrs"."""
        ...

    @property
    def basis(self) -> str:
        """Everything the states depend on, as canonical JSON: states computed under another
        basis are recomputed from the log (the store compares it on every switch)."""
        ...

    @property
    def counts_same_day_reviews(self) -> bool:
        """Whether re-drills (answers after the first of a learning day, mode "redrill")
        change the state: FSRS models same-day reviews, SM-2 leaves them out."""
        ...

    def review(self, state: ScheduleState | None, grade: int, day: date) -> ScheduleState:
        """The state after an answer with `grade` (0-5) on learning day `day` (pure).

        `state` is None for an item never reviewed; when the answer changes nothing, the very
        same object comes back.
        """
        ...

    def back_today(self, state: ScheduleState | None, grade: int, day: date) -> bool:
        """Whether an item answered with `grade` on `day`, now in `state`, comes back later
        the same learning day."""
        ...

    def retrievability(self, state: ScheduleState, day: date) -> float | None:
        """The predicted chance of recalling the item on `day`; None when the scheduler has
        no model of memory (SM-2)."""
        ...
