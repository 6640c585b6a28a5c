"""How the store's records are laid out in SQLite rows, and back.

The column lists are written once here, so a query and the function that reads its rows
always agree; export, import and the store all map rows through these functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from quiztui.days import from_utc_text, to_utc_text
from quiztui.scheduling.fsrs_state import FsrsState
from quiztui.sm2 import ItemState
from quiztui.store.records import Attempt, ReviewRecord, StoredState

REVIEW_COLUMNS = (
    "id, uid, deck_id, item_id, kind, mode, grade, answered_grade, picked, correct, seconds,"
    " reviewed_at, learning_day, answer_key, attempt_uid, amended_at, undone_at"
)
"""Every column of `reviews`, in the order `review_from_row` reads them."""

REVIEW_INSERT = (
    f"INSERT INTO reviews ({REVIEW_COLUMNS.removeprefix('id, ')}) VALUES ({', '.join('?' * 16)})"
)
"""Insert a log row from `review_to_row` (its id is assigned by SQLite)."""

STATE_COLUMNS = (
    "deck_id, item_id, kind, answer_key, easiness, repetitions, interval, due, last_review,"
    " introduced_on, introduced_by, stability, difficulty, phase, step"
)
"""Every column of `item_states`, in the order `state_from_row` reads them.

An FSRS state has a phase and SM-2's easiness 0 (FSRS has difficulty instead); an SM-2 state
has no stability, difficulty, phase or step.
"""

STATE_UPSERT = (
    f"INSERT OR REPLACE INTO item_states ({STATE_COLUMNS}) VALUES ({', '.join('?' * 15)})"
)

ATTEMPT_COLUMNS = (
    "uid, deck_id, part_id, check_name, question_ids, choice_orders, started_at, finished_at,"
    " abandoned_at"
)
"""Every column of `attempts`, in the order `attempt_from_row` reads them."""


def _optional_instant(text: str | None) -> Any:
    return None if text is None else from_utc_text(text)


def _optional_text(instant: Any) -> str | None:
    return None if instant is None else to_utc_text(instant)


def review_from_row(row: Sequence[Any]) -> ReviewRecord:
    """A log record from a `reviews` row selected with `REVIEW_COLUMNS`."""
    return ReviewRecord(
        id=row[0],
        uid=row[1],
        deck_id=row[2],
        item_id=row[3],
        kind=row[4],
        mode=row[5],
        grade=row[6],
        answered_grade=row[7],
        picked=tuple(json.loads(row[8])),
        correct=None if row[9] is None else bool(row[9]),
        seconds=row[10],
        reviewed_at=from_utc_text(row[11]),
        learning_day=date.fromisoformat(row[12]),
        answer_key=row[13],
        attempt_uid=row[14],
        amended_at=_optional_instant(row[15]),
        undone_at=_optional_instant(row[16]),
    )


def review_to_row(record: ReviewRecord) -> tuple[Any, ...]:
    """The `reviews` row values for a record, without its id (for `REVIEW_INSERT`)."""
    return (
        record.uid,
        record.deck_id,
        record.item_id,
        record.kind,
        record.mode,
        record.grade,
        record.answered_grade,
        json.dumps(sorted(record.picked)),
        None if record.correct is None else int(record.correct),
        record.seconds,
        to_utc_text(record.reviewed_at),
        record.learning_day.isoformat(),
        record.answer_key,
        record.attempt_uid,
        _optional_text(record.amended_at),
        _optional_text(record.undone_at),
    )


def state_from_row(row: Sequence[Any]) -> StoredState:
    """An item's state from an `item_states` row selected with `STATE_COLUMNS`."""
    due = date.fromisoformat(row[7])
    last_review = None if row[8] is None else date.fromisoformat(row[8])
    state: ItemState | FsrsState
    if row[13] is None:
        state = ItemState(
            easiness_hundredths=row[4],
            repetitions=row[5],
            interval=row[6],
            due=due,
            last_review=last_review,
        )
    else:
        state = FsrsState(
            stability=row[11],
            difficulty=row[12],
            phase=row[13],
            step=row[14],
            repetitions=row[5],
            interval=row[6],
            due=due,
            last_review=last_review,
        )
    return StoredState(
        deck_id=row[0],
        item_id=row[1],
        kind=row[2],
        answer_key=row[3],
        state=state,
        introduced_on=date.fromisoformat(row[9]),
        introduced_by=row[10],
    )


def state_to_row(stored: StoredState) -> tuple[Any, ...]:
    """The `item_states` row values for a state (for `STATE_UPSERT`)."""
    state = stored.state
    fsrs: tuple[float | int | None, ...]
    if isinstance(state, FsrsState):
        easiness, fsrs = 0, (state.stability, state.difficulty, state.phase, state.step)
    else:
        easiness, fsrs = state.easiness_hundredths, (None, None, None, None)
    return (
        stored.deck_id,
        stored.item_id,
        stored.kind,
        stored.answer_key,
        easiness,
        state.repetitions,
        state.interval,
        state.due.isoformat(),
        None if state.last_review is None else state.last_review.isoformat(),
        stored.introduced_on.isoformat(),
        stored.introduced_by,
        *fsrs,
    )


def attempt_from_row(row: Sequence[Any]) -> Attempt:
    """A check attempt from an `attempts` row selected with `ATTEMPT_COLUMNS`."""
    orders = json.loads(row[5])
    return Attempt(
        uid=row[0],
        deck_id=row[1],
        part_id=row[2],
        check=row[3],
        question_ids=tuple(json.loads(row[4])),
        choice_orders={qid: tuple(ids) for qid, ids in orders.items()},
        started_at=from_utc_text(row[6]),
        finished_at=_optional_instant(row[7]),
        abandoned_at=_optional_instant(row[8]),
    )


def attempt_to_row(attempt: Attempt) -> tuple[Any, ...]:
    """The `attempts` row values for an attempt."""
    return (
        attempt.uid,
        attempt.deck_id,
        attempt.part_id,
        attempt.check,
        json.dumps(list(attempt.question_ids)),
        json.dumps({qid: list(ids) for qid, ids in attempt.choice_orders.items()}),
        to_utc_text(attempt.started_at),
        _optional_text(attempt.finished_at),
        _optional_text(attempt.abandoned_at),
    )
