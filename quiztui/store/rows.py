"""How the store's records are laid out in SQLite rows, and back.

The column lists are written once here, so a query and the function that reads its rows
always agree; export, import and the store all map rows through these functions.

A row that cannot be read (a time that is not a time, after an edit or a damaged page) raises
`BadRow`, naming the table and the row. Reads that serve a report map rows with `readable`,
which sets such a row aside and carries on; reads that serve a write stay strict, so a state
is never computed from a log with holes in it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TypeVar

from quiztui.days import from_utc_text, to_utc_text
from quiztui.scheduling.fsrs_state import FsrsState
from quiztui.sm2 import ItemState
from quiztui.store.records import Attempt, Exam, MarkEvent, ReviewRecord, StoredState

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

MARK_COLUMNS = "id, uid, batch, deck_id, item_id, mark, value, day, after_uid, marked_at, undone_at"
"""Every column of `item_marks`, in the order `mark_from_row` reads them."""

MARK_INSERT = (
    f"INSERT INTO item_marks ({MARK_COLUMNS.removeprefix('id, ')}) VALUES ({', '.join('?' * 10)})"
)
"""Insert a mark event from `mark_to_row` (its id is assigned by SQLite)."""

EXAM_COLUMNS = (
    "uid, deck_id, question_ids, choice_orders, part_ids, tags, time_limit, answers, flags,"
    " seconds, elapsed, position, started_at, finished_at, abandoned_at, timed_out"
)
"""Every column of `exams`, in the order `exam_from_row` reads them."""


T = TypeVar("T")


class BadRow(ValueError):
    """A stored row that cannot be read as a record: its table, its key, and what is wrong."""

    def __init__(self, table: str, key: str, problem: str) -> None:
        super().__init__(f"{table} row {key}: {problem}")
        self.table = table
        """The table the row is in."""
        self.key = key
        """What identifies the row: its uid, or deck id/item id, or deck id/part id/step."""
        self.problem = problem


_ROW_PROBLEMS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What mapping a damaged row can raise (json.JSONDecodeError is a ValueError)."""


def _mapped(table: str, key: Callable[[Sequence[Any]], str], build: Callable[[], T], row: Any) -> T:
    """`build()`, with any failure to read `row` raised as a BadRow naming it."""
    try:
        return build()
    except _ROW_PROBLEMS as error:
        try:
            name = key(row)
        except _ROW_PROBLEMS:
            name = "?"
        raise BadRow(table, name, str(error) or type(error).__name__) from None


def readable(
    rows: Iterable[Sequence[Any]], mapper: Callable[[Sequence[Any]], T], bad: list[BadRow]
) -> Iterator[T]:
    """Each row mapped; rows that cannot be read are left out and added to `bad`."""
    for row in rows:
        try:
            yield mapper(row)
        except BadRow as problem:
            bad.append(problem)


def _optional_instant(text: str | None) -> Any:
    return None if text is None else from_utc_text(text)


def _optional_text(instant: Any) -> str | None:
    return None if instant is None else to_utc_text(instant)


def review_from_row(row: Sequence[Any]) -> ReviewRecord:
    """A log record from a `reviews` row selected with `REVIEW_COLUMNS` (BadRow if unreadable)."""
    return _mapped("reviews", lambda r: str(r[1]), lambda: _review(row), row)


def _review(row: Sequence[Any]) -> ReviewRecord:
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
    """An item's state from an `item_states` row selected with `STATE_COLUMNS` (BadRow if not)."""
    return _mapped("item_states", lambda r: f"{r[0]}/{r[1]}", lambda: _state(row), row)


def _state(row: Sequence[Any]) -> StoredState:
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
    """A check attempt from an `attempts` row selected with `ATTEMPT_COLUMNS` (BadRow if not)."""
    return _mapped("attempts", lambda r: str(r[0]), lambda: _attempt(row), row)


def _attempt(row: Sequence[Any]) -> Attempt:
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


def mark_from_row(row: Sequence[Any]) -> MarkEvent:
    """A mark event from an `item_marks` row selected with `MARK_COLUMNS`."""
    return MarkEvent(
        id=row[0],
        uid=row[1],
        batch=row[2],
        deck_id=row[3],
        item_id=row[4],
        mark=row[5],
        value=bool(row[6]),
        day=None if row[7] is None else date.fromisoformat(row[7]),
        after_uid=row[8],
        marked_at=from_utc_text(row[9]),
        undone_at=_optional_instant(row[10]),
    )


def mark_to_row(event: MarkEvent) -> tuple[Any, ...]:
    """The `item_marks` row values for an event, without its id (for `MARK_INSERT`)."""
    return (
        event.uid,
        event.batch,
        event.deck_id,
        event.item_id,
        event.mark,
        int(event.value),
        None if event.day is None else event.day.isoformat(),
        event.after_uid,
        to_utc_text(event.marked_at),
        _optional_text(event.undone_at),
    )


def exam_from_row(row: Sequence[Any]) -> Exam:
    """An exam from an `exams` row selected with `EXAM_COLUMNS`."""
    return Exam(
        uid=row[0],
        deck_id=row[1],
        question_ids=tuple(json.loads(row[2])),
        choice_orders={qid: tuple(ids) for qid, ids in json.loads(row[3]).items()},
        part_ids=tuple(json.loads(row[4])),
        tags=tuple(json.loads(row[5])),
        time_limit=row[6],
        answers={qid: tuple(ids) for qid, ids in json.loads(row[7]).items()},
        flags=tuple(json.loads(row[8])),
        seconds={qid: float(s) for qid, s in json.loads(row[9]).items()},
        elapsed=float(row[10]),
        position=int(row[11]),
        started_at=from_utc_text(row[12]),
        finished_at=_optional_instant(row[13]),
        abandoned_at=_optional_instant(row[14]),
        timed_out=bool(row[15]),
    )


def exam_to_row(exam: Exam) -> tuple[Any, ...]:
    """The `exams` row values for an exam."""
    return (
        exam.uid,
        exam.deck_id,
        json.dumps(list(exam.question_ids)),
        json.dumps({qid: list(ids) for qid, ids in exam.choice_orders.items()}),
        json.dumps(list(exam.part_ids)),
        json.dumps(list(exam.tags)),
        exam.time_limit,
        json.dumps({qid: sorted(ids) for qid, ids in exam.answers.items()}),
        json.dumps(list(exam.flags)),
        json.dumps(exam.seconds),
        exam.elapsed,
        exam.position,
        to_utc_text(exam.started_at),
        _optional_text(exam.finished_at),
        _optional_text(exam.abandoned_at),
        int(exam.timed_out),
    )
