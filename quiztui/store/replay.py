"""Replaying the review log: the one rule that turns answers into item states.

The live path (one answer at a time) and the full rebuild both go through `advance`, so
"replaying the log rebuilds every state exactly" holds by construction, and a test checks it.
The scheduler (SM-2 by default, or FSRS) is the rule applied to each answer that counts:
switching it is replaying the same log through the other one.
"""

from __future__ import annotations

from collections.abc import Iterable

from quiztui.scheduling import SM2, Scheduler
from quiztui.store.records import SCHEDULING_MODES, ReviewRecord, StoredState


def schedules(scheduler: Scheduler, mode: str) -> bool:
    """Whether an answer in `mode` can change an item's state under `scheduler`.

    The scheduling modes always do; re-drills only for a scheduler that counts same-day
    reviews (FSRS).
    """
    return mode in SCHEDULING_MODES or (mode == "redrill" and scheduler.counts_same_day_reviews)


def advance(
    current: StoredState | None, row: ReviewRecord, scheduler: Scheduler = SM2
) -> StoredState | None:
    """The item's state after one log row (unchanged for undone rows and non-scheduling modes).

    A state earned under another answer key does not count: the item starts over as new.
    """
    if row.undone or not schedules(scheduler, row.mode):
        return current
    before = current if current is not None and current.answer_key == row.answer_key else None
    if before is None and row.mode == "redrill":
        # A re-drill follows an answer that counted; with none under this key, nothing to do.
        return current
    after = scheduler.review(before.state if before else None, row.grade, row.learning_day)
    if before is not None and after is before.state:
        return current
    return StoredState(
        deck_id=row.deck_id,
        item_id=row.item_id,
        kind=row.kind,
        answer_key=row.answer_key,
        state=after,
        introduced_on=before.introduced_on if before else row.learning_day,
        introduced_by=before.introduced_by if before else row.mode,
    )


def replay(
    rows: Iterable[ReviewRecord], scheduler: Scheduler = SM2
) -> dict[tuple[str, str], StoredState]:
    """Every item's state from the log rows, taken in log order."""
    states: dict[tuple[str, str], StoredState] = {}
    for row in rows:
        key = (row.deck_id, row.item_id)
        after = advance(states.get(key), row, scheduler)
        if after is not None:
            states[key] = after
    return states
