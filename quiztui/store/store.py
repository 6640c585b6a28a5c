"""The progress store's API: the review log, item states, check attempts, step marks, item
marks (suspend, bury, flag, leech, reset) and mock exams.

Every answer is one transaction: its log row and the item's new state, committed before the
call returns (`BEGIN IMMEDIATE` with a busy timeout, so two quiztui processes can write at
once). The log is the truth and item states are its replay, kept in step in the same
transaction. Reads the screens repeat are served from a `ReadCache` until the next commit.
Nothing here ever resets or overwrites progress.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from quiztui import locations
from quiztui.days import to_utc_text
from quiztui.deck.model import CheckName
from quiztui.sm2 import check_grade
from quiztui.store import verified
from quiztui.store.connection import backup_database, is_locked, locked_error, open_database
from quiztui.store.marks import counted, fold_marks, live_events, reset_cuts
from quiztui.store.marks import lapses as count_lapses
from quiztui.store.read_cache import ReadCache
from quiztui.store.records import (
    MARK_KINDS,
    MODES,
    NO_MARKS,
    SCHEDULING_MODES,
    STEPS,
    Attempt,
    Exam,
    ExamAnswer,
    ImportResult,
    ItemMarks,
    Kind,
    MarkChange,
    MarkEvent,
    Mode,
    ReviewRecord,
    Step,
    StoredState,
    StoreError,
)
from quiztui.store.renames import Adopted, Renames, adopt
from quiztui.store.replay import advance, replay
from quiztui.store.rows import (
    ATTEMPT_COLUMNS,
    EXAM_COLUMNS,
    MARK_COLUMNS,
    MARK_INSERT,
    REVIEW_COLUMNS,
    REVIEW_INSERT,
    STATE_COLUMNS,
    STATE_UPSERT,
    attempt_from_row,
    attempt_to_row,
    exam_from_row,
    exam_to_row,
    mark_from_row,
    mark_to_row,
    review_from_row,
    review_to_row,
    state_from_row,
    state_to_row,
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The learner's progress: the review log, item states, check attempts and step marks.

    Open it once (in `main()`), hand it around, close it on the way out. Methods are safe to call
    from more than one thread; each write is committed before the method returns.
    """

    path: Path
    """The database file."""
    backups_dir: Path
    """Where backups go (before a migration, and on request)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, backups_dir: Path) -> None:
        """Wrap an open, migrated connection (use `Store.open`)."""
        self._connection = connection
        self.path = path
        self.backups_dir = backups_dir
        self._lock = threading.RLock()
        self._cache = ReadCache(connection)

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: Path | None = None, *, backups_dir: Path | None = None) -> Store:
        """Open (creating if needed) the database at `path`, check it, and bring it up to date.

        `path` defaults to the data directory's database, `backups_dir` to its backups folder.
        Raises StoreError, naming the file and what to do, when it cannot be used.
        """
        path = locations.database_path() if path is None else Path(path)
        backups_dir = locations.backups_dir() if backups_dir is None else Path(backups_dir)
        return cls(open_database(path, backups_dir), path, backups_dir)

    def close(self) -> None:
        """Close the database (everything is already committed).

        The file as it is now is remembered as sound, so the next open need not check it again.
        """
        with self._lock:
            self._connection.close()
            verified.remember(self.path)

    def __enter__(self) -> Store:
        """Use as a context manager that closes the store."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close on the way out."""
        self.close()

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) and committed on success."""
        with self._lock:
            try:
                self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self._error(error) from None
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                raise self._error(error) from None
            except BaseException:
                self._rollback()
                raise
            finally:
                self._cache.committed()

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self._connection.execute("ROLLBACK")

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise self._error(error) from None

    def _cached(self, key: tuple[Any, ...], sql: str, parameters: Sequence[Any] = ()) -> Any:
        """The rows of a read, kept until the next commit (see `ReadCache`)."""
        with self._lock:
            try:
                return self._cache.get(key, lambda: self._read(sql, parameters))
            except sqlite3.Error as error:
                raise self._error(error) from None

    def _error(self, error: sqlite3.Error) -> StoreError:
        if is_locked(error):
            return locked_error(self.path)
        return StoreError(
            f"{self.path}: {error}. Your answers so far are saved; if this keeps happening,"
            f" copy the file and the backups in {self.backups_dir} somewhere safe."
        )

    # ------------------------------------------------------------------ answers

    def record_review(
        self,
        *,
        deck_id: str,
        item_id: str,
        kind: Kind,
        mode: Mode,
        grade: int,
        answer_key: str,
        learning_day: date,
        at: datetime,
        seconds: float = 0.0,
        picked: Iterable[str] = (),
        correct: bool | None = None,
        attempt_uid: str | None = None,
    ) -> ReviewRecord:
        """Log one answer and, for a scheduling mode, update the item's state: one transaction.

        Returns the committed log record. Modes "post", "learn", "review" and "exam" are SM-2
        reviews; the rest change no schedule.
        """
        check_grade(grade)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        record = ReviewRecord(
            id=0,
            uid=uuid.uuid4().hex,
            deck_id=deck_id,
            item_id=item_id,
            kind=kind,
            mode=mode,
            grade=grade,
            answered_grade=grade,
            picked=tuple(sorted(picked)),
            correct=correct,
            seconds=max(0.0, float(seconds)),
            reviewed_at=at.astimezone(UTC),
            learning_day=learning_day,
            answer_key=answer_key,
            attempt_uid=attempt_uid,
        )
        with self._write() as db:
            row_id = _insert_review(db, record)
        return replace(record, id=row_id)

    def undo_review(self, uid: str, *, at: datetime | None = None) -> bool:
        """Take an answer back: it stays in the log, marked undone, and the item's state is what
        it was without it. False when there is no such answer or it was already undone."""
        stamp = to_utc_text(at or _utc_now())
        with self._write() as db:
            row = db.execute(
                "SELECT deck_id, item_id, mode FROM reviews WHERE uid = ? AND undone_at IS NULL",
                (uid,),
            ).fetchone()
            if row is None:
                return False
            db.execute("UPDATE reviews SET undone_at = ? WHERE uid = ?", (stamp, uid))
            if row[2] in SCHEDULING_MODES:
                _recompute_item(db, row[0], row[1])
        return True

    def amend_grade(self, uid: str, grade: int, *, at: datetime | None = None) -> ReviewRecord:
        """Change an answer's grade (the 3 "guessed" / 5 "knew it" confidence change).

        The item's state becomes what it would have been had the answer been given with this
        grade; the original grade stays in the log. KeyError when there is no such live answer.
        """
        check_grade(grade)
        stamp = to_utc_text(at or _utc_now())
        with self._write() as db:
            row = db.execute(
                f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ? AND undone_at IS NULL",
                (uid,),
            ).fetchone()
            if row is None:
                raise KeyError(uid)
            record = review_from_row(row)
            if record.grade != grade:
                db.execute(
                    "UPDATE reviews SET grade = ?, amended_at = ? WHERE uid = ?",
                    (grade, stamp, uid),
                )
                if record.mode in SCHEDULING_MODES:
                    _recompute_item(db, record.deck_id, record.item_id)
            row = db.execute(
                f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,)
            ).fetchone()
        return review_from_row(row)

    # ------------------------------------------------------------------ reading the log

    def review(self, uid: str) -> ReviewRecord | None:
        """The log record with this uid, or None."""
        rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,))
        return review_from_row(rows[0]) if rows else None

    def reviews(
        self,
        deck_id: str | None = None,
        *,
        item_id: str | None = None,
        attempt_uid: str | None = None,
        include_undone: bool = False,
    ) -> list[ReviewRecord]:
        """Log records in log order, filtered by deck, item or attempt; undone ones on request."""
        conditions, parameters = [], []
        for column, value in (
            ("deck_id", deck_id),
            ("item_id", item_id),
            ("attempt_uid", attempt_uid),
        ):
            if value is not None:
                conditions.append(f"{column} = ?")
                parameters.append(value)
        if not include_undone:
            conditions.append("undone_at IS NULL")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews{where} ORDER BY id", parameters)
        return [review_from_row(row) for row in rows]

    def latest_answers(self, deck_id: str, modes: Iterable[str]) -> dict[str, ReviewRecord]:
        """Each item's latest live answer in the given modes, by item id."""
        wanted = tuple(sorted(set(modes)))
        marks = ", ".join("?" * len(wanted))
        rows = self._cached(
            ("latest", deck_id, wanted),
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id IN ("
            f" SELECT max(id) FROM reviews WHERE deck_id = ? AND undone_at IS NULL"
            f" AND mode IN ({marks}) GROUP BY item_id)",
            (deck_id, *wanted),
        )
        return {row[3]: review_from_row(row) for row in rows}

    def latest_answers_on(
        self, deck_id: str, day: date, modes: Iterable[str]
    ) -> list[ReviewRecord]:
        """Each item's latest live answer of one learning day in the given modes, in log order."""
        wanted = tuple(sorted(set(modes)))
        marks = ", ".join("?" * len(wanted))
        rows = self._cached(
            ("latest-on", deck_id, day, wanted),
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id IN ("
            f" SELECT max(id) FROM reviews WHERE learning_day = ? AND undone_at IS NULL"
            f" AND deck_id = ? AND mode IN ({marks}) GROUP BY item_id) ORDER BY id",
            (day.isoformat(), deck_id, *wanted),
        )
        return [review_from_row(row) for row in rows]

    def answered_item_ids(self, deck_id: str, mode: Mode) -> frozenset[str]:
        """The items of a deck with at least one live answer in `mode` (e.g. graded in "learn")."""
        rows = self._cached(
            ("answered", deck_id, mode),
            "SELECT DISTINCT item_id FROM reviews"
            " WHERE deck_id = ? AND mode = ? AND undone_at IS NULL",
            (deck_id, mode),
        )
        return frozenset(row[0] for row in rows)

    def shown_item_ids(self, deck_id: str) -> frozenset[str]:
        """The items of a deck the learner has answered at least once (undone answers aside)."""
        rows = self._cached(
            ("shown", deck_id),
            "SELECT DISTINCT item_id FROM reviews WHERE deck_id = ? AND undone_at IS NULL",
            (deck_id,),
        )
        return frozenset(row[0] for row in rows)

    def logged_item_ids(self, deck_id: str) -> frozenset[str]:
        """Every item id the log has a row for in a deck (undone ones included)."""
        rows = self._cached(
            ("logged", deck_id),
            "SELECT DISTINCT item_id FROM reviews WHERE deck_id = ?",
            (deck_id,),
        )
        return frozenset(row[0] for row in rows)

    def review_count(self) -> int:
        """How many rows the log holds (undone ones included)."""
        return int(self._read("SELECT count(*) FROM reviews")[0][0])

    def learning_days(self) -> list[date]:
        """Every learning day with a live answer, oldest first (as each answer counted it)."""
        rows = self._cached(
            ("days",),
            "SELECT DISTINCT learning_day FROM reviews WHERE undone_at IS NULL"
            " ORDER BY learning_day",
        )
        return [date.fromisoformat(row[0]) for row in rows]

    def introduced_count(self, deck_id: str, day: date, mode: Mode = "review") -> int:
        """How many items of a deck were first reviewed on `day` in `mode` (new items shown)."""
        rows = self._cached(
            ("introduced", deck_id, day, mode),
            "SELECT count(*) FROM item_states"
            " WHERE deck_id = ? AND introduced_on = ? AND introduced_by = ?",
            (deck_id, day.isoformat(), mode),
        )
        return int(rows[0][0])

    # ------------------------------------------------------------------ item states

    def state(self, deck_id: str, item_id: str) -> StoredState | None:
        """An item's current state, or None when it was never reviewed."""
        rows = self._read(
            f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
            (deck_id, item_id),
        )
        return state_from_row(rows[0]) if rows else None

    def deck_states(self, deck_id: str) -> dict[str, StoredState]:
        """Every stored state of a deck, by item id (items no longer in the deck included).

        A fresh dict, the caller's to keep.
        """
        with self._lock:
            states = self._cache.get(("states", deck_id), lambda: self._deck_states(deck_id))
            return dict(states)

    def _deck_states(self, deck_id: str) -> dict[str, StoredState]:
        rows = self._read(f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ?", (deck_id,))
        return {row[1]: state_from_row(row) for row in rows}

    def live_states(self) -> dict[tuple[str, str], StoredState]:
        """Every stored state, keyed on (deck id, item id)."""
        rows = self._read(f"SELECT {STATE_COLUMNS} FROM item_states")
        return {(row[0], row[1]): state_from_row(row) for row in rows}

    def rebuild_states(self) -> dict[tuple[str, str], StoredState]:
        """Every item's state computed afresh by replaying the whole log (nothing written)."""
        with self._lock:
            rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
            cuts = reset_cuts(self._connection)
        return replay(counted((review_from_row(row) for row in rows), cuts))

    def recompute_states(self) -> None:
        """Replace every stored state with the log's replay, in one transaction."""
        with self._write() as db:
            recompute_all(db)

    # ------------------------------------------------------------------ item marks

    def add_marks(self, changes: Sequence[MarkChange], *, at: datetime) -> str:
        """Log mark events (one batch, undone together) in one transaction; returns the batch.

        A reset names the item's last log row, so its schedule is replayed from the rows after
        it (the rows stay); the item's state is recomputed at once.
        """
        batch = uuid.uuid4().hex
        stamp = at.astimezone(UTC)
        with self._write() as db:
            for change in changes:
                if change.mark not in MARK_KINDS:
                    raise ValueError(f"unknown mark {change.mark!r}")
                after_uid = None
                if change.mark == "reset":
                    last = db.execute(
                        "SELECT uid FROM reviews WHERE deck_id = ? AND item_id = ?"
                        " ORDER BY id DESC LIMIT 1",
                        (change.deck_id, change.item_id),
                    ).fetchone()
                    after_uid = None if last is None else last[0]
                event = MarkEvent(
                    id=0,
                    uid=uuid.uuid4().hex,
                    batch=batch,
                    deck_id=change.deck_id,
                    item_id=change.item_id,
                    mark=change.mark,
                    value=True if change.mark == "reset" else change.value,
                    day=change.day,
                    after_uid=after_uid,
                    marked_at=stamp,
                )
                db.execute(MARK_INSERT, mark_to_row(event))
                if change.mark == "reset":
                    _recompute_item(db, change.deck_id, change.item_id)
        return batch

    def undo_marks(self, batch: str, *, at: datetime | None = None) -> bool:
        """Take back a batch of mark events (a reset's schedule comes back); False when there is
        no such live batch."""
        stamp = to_utc_text(at or _utc_now())
        with self._write() as db:
            rows = db.execute(
                "SELECT deck_id, item_id, mark FROM item_marks"
                " WHERE batch = ? AND undone_at IS NULL",
                (batch,),
            ).fetchall()
            if not rows:
                return False
            db.execute(
                "UPDATE item_marks SET undone_at = ? WHERE batch = ? AND undone_at IS NULL",
                (stamp, batch),
            )
            for deck_id, item_id, mark in rows:
                if mark == "reset":
                    _recompute_item(db, deck_id, item_id)
        return True

    def last_mark_batch(self) -> tuple[str, list[MarkEvent]] | None:
        """The most recent live batch of mark events and its events, or None (for undo)."""
        rows = self._read(
            f"SELECT {MARK_COLUMNS} FROM item_marks WHERE undone_at IS NULL AND batch = ("
            " SELECT batch FROM item_marks WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1)"
            " ORDER BY id"
        )
        if not rows:
            return None
        events = [mark_from_row(row) for row in rows]
        return events[0].batch, events

    def item_marks(self, deck_id: str) -> dict[str, ItemMarks]:
        """The marks of a deck's items that have any, by item id."""
        with self._lock:
            folded = self._cache.get(
                ("marks", deck_id), lambda: fold_marks(live_events(self._connection, deck_id))
            )
        return {item_id: marks for (_, item_id), marks in folded.items()}

    def leech_events(self) -> list[MarkEvent]:
        """The events that made items leeches, for the items that are leeches now."""
        rows = self._read(
            f"SELECT {MARK_COLUMNS} FROM item_marks m WHERE mark = 'leech' AND value = 1"
            " AND undone_at IS NULL AND id = (SELECT max(id) FROM item_marks"
            " WHERE deck_id = m.deck_id AND item_id = m.item_id AND mark = 'leech'"
            " AND undone_at IS NULL) ORDER BY id"
        )
        return [mark_from_row(row) for row in rows]

    def marks_of(self, deck_id: str, item_id: str) -> ItemMarks:
        """One item's marks."""
        return self.item_marks(deck_id).get(item_id, NO_MARKS)

    def mark_events(
        self, deck_id: str, item_id: str, *, include_undone: bool = False
    ) -> list[MarkEvent]:
        """An item's mark events, oldest first (undone ones on request): its audit trail."""
        undone = "" if include_undone else " AND undone_at IS NULL"
        rows = self._read(
            f"SELECT {MARK_COLUMNS} FROM item_marks WHERE deck_id = ? AND item_id = ?{undone}"
            " ORDER BY marked_at, id",
            (deck_id, item_id),
        )
        return [mark_from_row(row) for row in rows]

    def lapses(self, deck_id: str, item_id: str | None = None) -> dict[str, int]:
        """How often each of a deck's items lapsed since its last reset (items that never
        lapsed are left out); one item's only, when `item_id` is given."""

        def read() -> dict[str, int]:
            where, parameters = "deck_id = ?", [deck_id]
            if item_id is not None:
                where += " AND item_id = ?"
                parameters.append(item_id)
            rows = self._connection.execute(
                f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE {where} ORDER BY id", parameters
            ).fetchall()
            cuts = reset_cuts(self._connection, deck_id, item_id)
            found = count_lapses(counted((review_from_row(row) for row in rows), cuts))
            return {key[1]: count for key, count in found.items()}

        with self._lock:
            try:
                return dict(self._cache.get(("lapses", deck_id, item_id), read))
            except sqlite3.Error as error:
                raise self._error(error) from None

    # ------------------------------------------------------------------ exams

    def start_exam(
        self,
        *,
        deck_id: str,
        question_ids: Sequence[str],
        choice_orders: dict[str, tuple[str, ...]],
        part_ids: Sequence[str] = (),
        tags: Sequence[str] = (),
        time_limit: float | None = None,
        at: datetime,
    ) -> Exam:
        """Begin an exam, setting aside (as abandoned) any unfinished exam of the deck."""
        exam = Exam(
            uid=uuid.uuid4().hex,
            deck_id=deck_id,
            question_ids=tuple(question_ids),
            choice_orders=dict(choice_orders),
            part_ids=tuple(part_ids),
            tags=tuple(tags),
            time_limit=time_limit,
            answers={},
            flags=(),
            seconds={},
            elapsed=0.0,
            position=0,
            started_at=at.astimezone(UTC),
        )
        with self._write() as db:
            db.execute(
                "UPDATE exams SET abandoned_at = ? WHERE deck_id = ?"
                " AND finished_at IS NULL AND abandoned_at IS NULL",
                (to_utc_text(at), deck_id),
            )
            marks = ", ".join("?" * len(EXAM_COLUMNS.split(", ")))
            db.execute(f"INSERT INTO exams ({EXAM_COLUMNS}) VALUES ({marks})", exam_to_row(exam))
        return exam

    def save_exam(self, exam: Exam) -> None:
        """Keep an unfinished exam's answers, flags, times and place (committed)."""
        row = exam_to_row(exam)
        with self._write() as db:
            db.execute(
                "UPDATE exams SET answers = ?, flags = ?, seconds = ?, elapsed = ?, position = ?"
                " WHERE uid = ? AND finished_at IS NULL",
                (row[7], row[8], row[9], row[10], row[11], exam.uid),
            )

    def finish_exam(
        self,
        exam: Exam,
        answers: Sequence[ExamAnswer],
        *,
        learning_day: date,
        at: datetime,
        timed_out: bool = False,
    ) -> list[ReviewRecord]:
        """Submit an exam: every answer logged (mode "exam", an SM-2 review) and the exam marked
        finished, in one transaction. Returns the log records; [] when it was already finished.
        """
        deck_id, stamp = exam.deck_id, at.astimezone(UTC)
        records: list[ReviewRecord] = []
        row = exam_to_row(exam)
        with self._write() as db:
            done = db.execute("SELECT finished_at FROM exams WHERE uid = ?", (exam.uid,)).fetchone()
            if done is None or done[0] is not None:
                return []
            for answer in answers:
                check_grade(answer.grade)
                record = ReviewRecord(
                    id=0,
                    uid=uuid.uuid4().hex,
                    deck_id=deck_id,
                    item_id=answer.item_id,
                    kind="question",
                    mode="exam",
                    grade=answer.grade,
                    answered_grade=answer.grade,
                    picked=tuple(sorted(answer.picked)),
                    correct=answer.correct,
                    seconds=max(0.0, float(answer.seconds)),
                    reviewed_at=stamp,
                    learning_day=learning_day,
                    answer_key=answer.answer_key,
                    attempt_uid=exam.uid,
                )
                records.append(replace(record, id=_insert_review(db, record)))
            db.execute(
                "UPDATE exams SET answers = ?, flags = ?, seconds = ?, elapsed = ?,"
                " position = ?, finished_at = ?, timed_out = ? WHERE uid = ?",
                (*row[7:12], to_utc_text(stamp), int(timed_out), exam.uid),
            )
        return records

    def abandon_exam(self, uid: str, *, at: datetime) -> None:
        """Set an unfinished exam aside: it is no longer offered to resume."""
        with self._write() as db:
            db.execute(
                "UPDATE exams SET abandoned_at = ? WHERE uid = ?"
                " AND finished_at IS NULL AND abandoned_at IS NULL",
                (to_utc_text(at), uid),
            )

    def exam(self, uid: str) -> Exam | None:
        """The exam with this uid, or None."""
        rows = self._read(f"SELECT {EXAM_COLUMNS} FROM exams WHERE uid = ?", (uid,))
        return exam_from_row(rows[0]) if rows else None

    def unfinished_exam(self, deck_id: str) -> Exam | None:
        """The deck's exam left half-way (neither submitted nor abandoned), if any."""
        rows = self._read(
            f"SELECT {EXAM_COLUMNS} FROM exams WHERE deck_id = ? AND finished_at IS NULL"
            " AND abandoned_at IS NULL ORDER BY started_at DESC LIMIT 1",
            (deck_id,),
        )
        return exam_from_row(rows[0]) if rows else None

    def finished_exams(self, deck_id: str | None = None) -> list[Exam]:
        """Submitted exams (of one deck, or all), in the order they were finished."""
        where = "finished_at IS NOT NULL"
        parameters: list[str] = []
        if deck_id is not None:
            where += " AND deck_id = ?"
            parameters.append(deck_id)
        rows = self._cached(
            ("exams", deck_id),
            f"SELECT {EXAM_COLUMNS} FROM exams WHERE {where} ORDER BY finished_at, uid",
            parameters,
        )
        return [exam_from_row(row) for row in rows]

    # ------------------------------------------------------------------ check attempts

    def start_attempt(
        self,
        *,
        deck_id: str,
        part_id: str,
        check: CheckName,
        question_ids: Sequence[str],
        choice_orders: dict[str, tuple[str, ...]],
        at: datetime,
    ) -> Attempt:
        """Begin a check attempt, setting aside (as abandoned) any unfinished one of that check."""
        attempt = Attempt(
            uid=uuid.uuid4().hex,
            deck_id=deck_id,
            part_id=part_id,
            check=check,
            question_ids=tuple(question_ids),
            choice_orders=dict(choice_orders),
            started_at=at.astimezone(UTC),
        )
        with self._write() as db:
            db.execute(
                "UPDATE attempts SET abandoned_at = ? WHERE deck_id = ? AND part_id = ?"
                " AND check_name = ? AND finished_at IS NULL AND abandoned_at IS NULL",
                (to_utc_text(at), deck_id, part_id, check),
            )
            db.execute(
                f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                attempt_to_row(attempt),
            )
        return attempt

    def attempt(self, uid: str) -> Attempt | None:
        """The attempt with this uid, or None."""
        rows = self._read(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE uid = ?", (uid,))
        return attempt_from_row(rows[0]) if rows else None

    def attempts(self, deck_id: str, part_id: str | None = None) -> list[Attempt]:
        """A deck's (or part's) attempts, oldest first."""
        sql = f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ?"
        parameters: list[str] = [deck_id]
        if part_id is not None:
            sql += " AND part_id = ?"
            parameters.append(part_id)
        rows = self._read(sql + " ORDER BY started_at, uid", parameters)
        return [attempt_from_row(row) for row in rows]

    def unfinished_attempt(self, deck_id: str, part_id: str, check: CheckName) -> Attempt | None:
        """The part's attempt of that check left half-way (neither finished nor abandoned)."""
        rows = self._read(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ? AND part_id = ?"
            " AND check_name = ? AND finished_at IS NULL AND abandoned_at IS NULL"
            " ORDER BY started_at DESC LIMIT 1",
            (deck_id, part_id, check),
        )
        return attempt_from_row(rows[0]) if rows else None

    def latest_finished_attempt(
        self, deck_id: str, part_id: str, check: CheckName
    ) -> Attempt | None:
        """The part's most recently finished attempt of that check."""
        rows = self._read(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ? AND part_id = ?"
            " AND check_name = ? AND finished_at IS NOT NULL"
            " ORDER BY finished_at DESC LIMIT 1",
            (deck_id, part_id, check),
        )
        return attempt_from_row(rows[0]) if rows else None

    def finished_parts(self, deck_id: str, check: CheckName) -> frozenset[str]:
        """The parts of a deck with at least one finished attempt of that check."""
        rows = self._cached(
            ("finished", deck_id, check),
            "SELECT DISTINCT part_id FROM attempts"
            " WHERE deck_id = ? AND check_name = ? AND finished_at IS NOT NULL",
            (deck_id, check),
        )
        return frozenset(row[0] for row in rows)

    def finished_attempts(self, deck_id: str) -> list[tuple[Attempt, list[ReviewRecord]]]:
        """A deck's finished check attempts in the order they were finished, each with its
        live answers in log order (one read for every part's scores)."""
        attempt_columns = ", ".join(f"a.{c}" for c in ATTEMPT_COLUMNS.split(", "))
        review_columns = ", ".join(f"r.{c}" for c in REVIEW_COLUMNS.split(", "))
        rows = self._cached(
            ("finished-attempts", deck_id),
            f"SELECT {attempt_columns}, {review_columns} FROM attempts a"
            " LEFT JOIN reviews r ON r.attempt_uid = a.uid AND r.undone_at IS NULL"
            " WHERE a.deck_id = ? AND a.finished_at IS NOT NULL"
            # In the order they were taken: by the log's sequence, which no clock can tie.
            " ORDER BY (SELECT min(id) FROM reviews WHERE attempt_uid = a.uid),"
            " a.finished_at, a.uid, r.id",
            (deck_id,),
        )
        width = len(ATTEMPT_COLUMNS.split(", "))
        found: dict[str, tuple[Attempt, list[ReviewRecord]]] = {}
        for row in rows:
            entry = found.get(row[0])
            if entry is None:
                entry = found[row[0]] = (attempt_from_row(row[:width]), [])
            if row[width] is not None:
                entry[1].append(review_from_row(row[width:]))
        return list(found.values())

    def finish_attempt(self, uid: str, at: datetime) -> None:
        """Mark an attempt complete (once; finishing again keeps the first time)."""
        with self._write() as db:
            db.execute(
                "UPDATE attempts SET finished_at = ? WHERE uid = ? AND finished_at IS NULL",
                (to_utc_text(at), uid),
            )

    # ------------------------------------------------------------------ step marks

    def mark_step(self, deck_id: str, part_id: str, step: Step, at: datetime) -> None:
        """Record that a learner reached a step of a part (kept once, with the first time)."""
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}")
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO step_marks (deck_id, part_id, step, marked_at)"
                " VALUES (?, ?, ?, ?)",
                (deck_id, part_id, step, to_utc_text(at)),
            )

    def steps(self, deck_id: str) -> dict[str, frozenset[Step]]:
        """The steps marked for each part of a deck."""
        rows = self._cached(
            ("steps", deck_id),
            "SELECT part_id, step FROM step_marks WHERE deck_id = ?",
            (deck_id,),
        )
        found: dict[str, set[Step]] = {}
        for part_id, step in rows:
            found.setdefault(part_id, set()).add(step)
        return {part_id: frozenset(steps) for part_id, steps in found.items()}

    # ------------------------------------------------------------------ renames and notices

    def adopt_renames(self, renames: Renames) -> Adopted:
        """Move the progress kept under a deck's old ids to its new ids (one transaction)."""
        if renames.empty:
            return Adopted()
        with self._write() as db:
            return adopt(db, renames, _utc_now())

    def notice_shown(self, key: str) -> bool:
        """Whether the notice named `key` was shown before."""
        rows = self._read("SELECT 1 FROM notices WHERE key = ?", (key,))
        return bool(rows)

    def mark_notice_shown(self, key: str) -> None:
        """Remember that the notice named `key` was shown (so it is shown once)."""
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO notices (key, shown_at) VALUES (?, ?)",
                (key, to_utc_text(_utc_now())),
            )

    # ------------------------------------------------------------------ safety

    def backup(self, destination_dir: Path | None = None) -> Path:
        """Copy the whole database, consistently, to a timestamped file; returns its path."""
        with self._lock:
            return backup_database(
                self._connection,
                self.path,
                destination_dir or self.backups_dir,
                self.schema_version(),
            )

    def integrity_check(self) -> str:
        """SQLite's full integrity check: "ok" when the file is sound."""
        rows = self._read("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)

    def schema_version(self) -> int:
        """The database's schema version."""
        return int(self._read("PRAGMA user_version")[0][0])

    # ------------------------------------------------------------------ export / import

    def export_data(self) -> dict[str, Any]:
        """The whole history (log, attempts, step marks) as JSON-ready data."""
        from quiztui.store.exchange import export_data

        with self._lock:
            return export_data(self._read)

    def import_data(self, data: Any, source: str = "<data>") -> ImportResult:
        """Merge an exported history; importing the same one twice adds nothing twice."""
        from quiztui.store.exchange import import_data

        with self._write() as db:
            return import_data(db, data, source)


def _state_in(db: sqlite3.Connection, deck_id: str, item_id: str) -> StoredState | None:
    row = db.execute(
        f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
        (deck_id, item_id),
    ).fetchone()
    return None if row is None else state_from_row(row)


def _insert_review(db: sqlite3.Connection, record: ReviewRecord) -> int:
    """Log one answer and, for a scheduling mode, advance the item's state (inside the caller's
    transaction); returns the new row's id."""
    if record.mode in SCHEDULING_MODES:
        current = _state_in(db, record.deck_id, record.item_id)
        after = advance(current, record)
        if after is not None and after != current:
            db.execute(STATE_UPSERT, state_to_row(after))
    cursor = db.execute(REVIEW_INSERT, review_to_row(record))
    return int(cursor.lastrowid or 0)


def _recompute_item(db: sqlite3.Connection, deck_id: str, item_id: str) -> StoredState | None:
    """Rebuild one item's state from its log rows since its last reset (inside the caller's
    transaction)."""
    rows = db.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE deck_id = ? AND item_id = ? ORDER BY id",
        (deck_id, item_id),
    ).fetchall()
    cuts = reset_cuts(db, deck_id, item_id)
    records = counted((review_from_row(row) for row in rows), cuts)
    state = replay(records).get((deck_id, item_id))
    if state is None:
        db.execute("DELETE FROM item_states WHERE deck_id = ? AND item_id = ?", (deck_id, item_id))
    else:
        db.execute(STATE_UPSERT, state_to_row(state))
    return state


def recompute_all(db: sqlite3.Connection) -> None:
    """Replace every stored state with the replay of the log (inside the caller's transaction)."""
    rows = db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall()
    states = replay(counted((review_from_row(row) for row in rows), reset_cuts(db)))
    db.execute("DELETE FROM item_states")
    db.executemany(STATE_UPSERT, [state_to_row(state) for state in states.values()])
