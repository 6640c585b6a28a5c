"""The progress store's API: the review log, item states, check attempts and step marks.

Every answer is one transaction: its log row and the item's new state, committed before the
call returns (`BEGIN IMMEDIATE` with a busy timeout, so two quiztui processes can write at
once). The log is the truth and item states are its replay through the store's
scheduler (SM-2, or FSRS), kept in step in the same transaction; switching the scheduler
replays the whole log through the new one. Reads the screens repeat are served from a
`ReadCache` until the next commit. Nothing here ever resets or overwrites progress.
"""

from __future__ import annotations

import json
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
from quiztui.scheduling import Scheduler, scheduler_from_basis
from quiztui.sm2 import check_grade
from quiztui.store import verified
from quiztui.store.connection import backup_database, is_locked, locked_error, open_database
from quiztui.store.read_cache import ReadCache
from quiztui.store.records import (
    MODES,
    STEPS,
    Attempt,
    ImportResult,
    Kind,
    Mode,
    ReviewRecord,
    Step,
    StoredState,
    StoreError,
)
from quiztui.store.renames import Adopted, Renames, adopt
from quiztui.store.replay import advance, replay, schedules
from quiztui.store.rows import (
    ATTEMPT_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_INSERT,
    STATE_COLUMNS,
    STATE_UPSERT,
    attempt_from_row,
    attempt_to_row,
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
        """Wrap an open, migrated connection (use `Store.open`).

        The scheduler is the one the stored states were computed under (SM-2 for a store
        that never switched); `use_scheduler` switches it.
        """
        self._connection = connection
        self.path = path
        self.backups_dir = backups_dir
        self._lock = threading.RLock()
        self._cache = ReadCache(connection)
        self._scheduler = scheduler_from_basis(_stored_basis(connection))

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        backups_dir: Path | None = None,
        scheduler: Scheduler | None = None,
    ) -> Store:
        """Open (creating if needed) the database at `path`, check it, and bring it up to date.

        `path` defaults to the data directory's database, `backups_dir` to its backups folder;
        `scheduler`, when given, is switched to at once (see `use_scheduler`).
        Raises StoreError, naming the file and what to do, when it cannot be used.
        """
        path = locations.database_path() if path is None else Path(path)
        backups_dir = locations.backups_dir() if backups_dir is None else Path(backups_dir)
        store = cls(open_database(path, backups_dir), path, backups_dir)
        if scheduler is not None:
            store.use_scheduler(scheduler)
        return store

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

    # ------------------------------------------------------------------ the scheduler

    @property
    def scheduler(self) -> Scheduler:
        """The scheduler every stored state was computed under, and new answers go through."""
        return self._scheduler

    def use_scheduler(self, scheduler: Scheduler) -> bool:
        """Make `scheduler` the store's: when the stored states were computed under another
        basis (another scheduler, retention or parameters), every state is recomputed by
        replaying the log through it, in one transaction. True when that happened.

        The log is untouched, so switching back gives the earlier states exactly.
        """
        with self._lock:
            if scheduler.basis == self._scheduler.basis:
                self._scheduler = scheduler
                return False
            with self._write() as db:
                recompute_all(db, scheduler)
            self._scheduler = scheduler
            return True

    def fsrs_parameters(self) -> tuple[float, ...] | None:
        """The FSRS parameters fitted to this log by `quiztui fsrs-optimize`, if any."""
        rows = self._read("SELECT value FROM scheduling WHERE key = 'fsrs_parameters'")
        return tuple(json.loads(rows[0][0])["parameters"]) if rows else None

    def save_fsrs_parameters(self, parameters: Sequence[float], reviews: int) -> None:
        """Keep FSRS parameters fitted to `reviews` reviews of this log (FSRS uses them from
        the next time the scheduler is set)."""
        value = json.dumps(
            {
                "parameters": [float(p) for p in parameters],
                "reviews": reviews,
                "fitted_at": to_utc_text(_utc_now()),
            }
        )
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO scheduling (key, value) VALUES ('fsrs_parameters', ?)",
                (value,),
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

        Returns the committed log record. Modes "post", "learn" and "review" are reviews, and
        "redrill" too under FSRS (see `replay.schedules`); the rest change no schedule.
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
            if schedules(self._scheduler, mode):
                current = _state_in(db, deck_id, item_id)
                after = advance(current, record, self._scheduler)
                if after is not None and after != current:
                    db.execute(STATE_UPSERT, state_to_row(after))
            cursor = db.execute(REVIEW_INSERT, review_to_row(record))
            row_id = int(cursor.lastrowid or 0)
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
            if schedules(self._scheduler, row[2]):
                _recompute_item(db, row[0], row[1], self._scheduler)
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
                if schedules(self._scheduler, record.mode):
                    _recompute_item(db, record.deck_id, record.item_id, self._scheduler)
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
        rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
        return replay((review_from_row(row) for row in rows), self._scheduler)

    def recompute_states(self) -> None:
        """Replace every stored state with the log's replay, in one transaction."""
        with self._write() as db:
            recompute_all(db, self._scheduler)

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
            return import_data(db, data, source, self._scheduler)


def _state_in(db: sqlite3.Connection, deck_id: str, item_id: str) -> StoredState | None:
    row = db.execute(
        f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
        (deck_id, item_id),
    ).fetchone()
    return None if row is None else state_from_row(row)


def _stored_basis(connection: sqlite3.Connection) -> str | None:
    """The basis the stored states were computed under (None: SM-2, never switched)."""
    row = connection.execute("SELECT value FROM scheduling WHERE key = 'basis'").fetchone()
    return None if row is None else str(row[0])


def _recompute_item(
    db: sqlite3.Connection, deck_id: str, item_id: str, scheduler: Scheduler
) -> StoredState | None:
    """Rebuild one item's state from its log rows (inside the caller's transaction)."""
    rows = db.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE deck_id = ? AND item_id = ? ORDER BY id",
        (deck_id, item_id),
    ).fetchall()
    state = replay((review_from_row(row) for row in rows), scheduler).get((deck_id, item_id))
    if state is None:
        db.execute("DELETE FROM item_states WHERE deck_id = ? AND item_id = ?", (deck_id, item_id))
    else:
        db.execute(STATE_UPSERT, state_to_row(state))
    return state


def recompute_all(db: sqlite3.Connection, scheduler: Scheduler) -> None:
    """Replace every stored state with the replay of the log through `scheduler`, and record
    its basis (inside the caller's transaction)."""
    rows = db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall()
    states = replay((review_from_row(row) for row in rows), scheduler)
    db.execute("DELETE FROM item_states")
    db.executemany(STATE_UPSERT, [state_to_row(state) for state in states.values()])
    db.execute(
        "INSERT OR REPLACE INTO scheduling (key, value) VALUES ('basis', ?)", (scheduler.basis,)
    )
