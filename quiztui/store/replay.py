"""Replaying the review log: the one rule that turns answers into item states.

The live path (one answer at a time) and the full rebuild both go through `advance`, so
"replaying the log rebuilds every state exactly" holds by construction, and a test checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from quiztui import sm2
from quiztui.store.records import SCHEDULING_MODES, ReviewRecord, StoredState


def advance(current: StoredState | None, row: ReviewRecord) -> StoredState | None:
    """The item's state after one log row (unchanged for undone rows and non-scheduling modes).

    A state earned under another answer key does not count: the item starts over as new.
    """
    if row.undone or row.mode not in SCHEDULING_MODES:
        return current
    before = current if current is not None and current.answer_key == row.answer_key else None
    after = sm2.review(before.state if before else None, row.grade, row.learning_day)
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


def replay(rows: Iterable[ReviewRecord]) -> dict[tuple[str, str], StoredState]:
    """Every item's state from the log rows, taken in log order."""
    states: dict[tuple[str, str], StoredState] = {}
    for row in rows:
        key = (row.deck_id, row.item_id)
        after = advance(states.get(key), row)
        if after is not None:
            states[key] = after
    return states
