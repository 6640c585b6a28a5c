"""The SQLite progress store: one file in the data directory that must never lose an answer.

Every answer is one transaction: its log row and the item's new state, committed before the
call returns. WAL mode, `synchronous=FULL` and `BEGIN IMMEDIATE` with a busy timeout let two
quiztui processes write at once without losing anything. Opening checks the file
(`PRAGMA quick_check`, skipped when the file is exactly as quiztui last closed it: see
`quiztui.store.verified`), refuses one from a newer quiztui without touching it, and backs up an
existing database before migrating it. Nothing here ever resets or overwrites progress.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from quiztui import locations
from quiztui.days import from_utc_text, to_utc_text
from quiztui.sm2 import ItemState, check_grade
from quiztui.store import schema, verified
from quiztui.store.records import (
    MODES,
    SCHEDULING_MODES,
    STEPS,
    Attempt,
    Kind,
    Mode,
    ReviewRecord,
    Step,
    StoredState,
    StoreError,
)
from quiztui.store.replay import advance, replay

BUSY_TIMEOUT_SECONDS = 5.0
"""How long to wait for another quiztui's write to finish before saying the file is locked."""

_REVIEW_COLUMNS = (
    "id, uid, deck_id, item_id, kind, mode, grade, answered_grade, picked, correct, seconds,"
    " reviewed_at, learning_day, answer_key, attempt_uid, amended_at, undone_at"
)
_STATE_COLUMNS = (
    "deck_id, item_id, kind, answer_key, easiness, repetitions, interval, due, last_review,"
    " introduced_on, introduced_by"
)
_ATTEMPT_COLUMNS = (
    "uid, deck_id, part_id, check_name, question_ids, choice_orders, started_at, finished_at,"
    " abandoned_at"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _optional_instant(text: str | None) -> datetime | None:
    return None if text is None else from_utc_text(text)


def review_from_row(row: Sequence[Any]) -> ReviewRecord:
    """A log record from a `reviews` row selected with the standard column list."""
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
    """The `reviews` row values for a record, without its id."""
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
        None if record.amended_at is None else to_utc_text(record.amended_at),
        None if record.undone_at is None else to_utc_text(record.undone_at),
    )


def _state_from_row(row: Sequence[Any]) -> StoredState:
    return StoredState(
        deck_id=row[0],
        item_id=row[1],
        kind=row[2],
        answer_key=row[3],
        state=ItemState(
            easiness_hundredths=row[4],
            repetitions=row[5],
            interval=row[6],
            due=date.fromisoformat(row[7]),
            last_review=None if row[8] is None else date.fromisoformat(row[8]),
        ),
        introduced_on=date.fromisoformat(row[9]),
        introduced_by=row[10],
    )


_day = lru_cache(maxsize=8192)(date.fromisoformat)
"""Dates parsed once: a deck's states share a few hundred distinct days."""


def _optional_day(text: str | None) -> date | None:
    return None if text is None else _day(text)


def _states_from_rows(rows: Sequence[Sequence[Any]]) -> list[StoredState]:
    """`_state_from_row` for many rows at once."""
    return [_state_from_row(row) for row in rows]


def _state_to_row(stored: StoredState) -> tuple[Any, ...]:
    state = stored.state
    return (
        stored.deck_id,
        stored.item_id,
        stored.kind,
        stored.answer_key,
        state.easiness_hundredths,
        state.repetitions,
        state.interval,
        state.due.isoformat(),
        None if state.last_review is None else state.last_review.isoformat(),
        stored.introduced_on.isoformat(),
        stored.introduced_by,
    )


def _attempt_from_row(row: Sequence[Any]) -> Attempt:
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


def _attempt_to_row(attempt: Attempt) -> tuple[Any, ...]:
    return (
        attempt.uid,
        attempt.deck_id,
        attempt.part_id,
        attempt.check,
        json.dumps(list(attempt.question_ids)),
        json.dumps({qid: list(ids) for qid, ids in attempt.choice_orders.items()}),
        to_utc_text(attempt.started_at),
        None if attempt.finished_at is None else to_utc_text(attempt.finished_at),
        None if attempt.abandoned_at is None else to_utc_text(attempt.abandoned_at),
    )


def quick_check(connection: sqlite3.Connection) -> list[tuple[str]]:
    """SQLite's quick check of every page: [("ok",)] when the file is sound."""
    try:
        return [tuple(row) for row in connection.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        return [(str(error),)]


def _is_locked(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Store:
    """The learner's progress: the review log, item states, check attempts and step marks.

    Open it once (in `main()`), hand it around, close it on the way out. Methods are safe to call
    from more than one thread; each write is committed before the method returns.
    """

    path: Path
    """The database file."""

    def __init__(self, connection: sqlite3.Connection, path: Path, backups_dir: Path) -> None:
        """Wrap an open, migrated connection (use `Store.open`)."""
        self._connection = connection
        self.path = path
        self.backups_dir = backups_dir
        self._lock = threading.RLock()
        self._states_by_deck: dict[str, dict[str, StoredState]] = {}
        """A mirror of `item_states` for the decks read so far, kept in step with every write
        made here; the day's queue and the counts read it instead of 10,000 rows each time."""
        self._introduced_by_deck: dict[str, Counter[tuple[date, str]]] = {}
        """Per mirrored deck, how many states were introduced on each (day, mode)."""
        self._logged_by_deck: dict[str, frozenset[str]] = {}
        """Per deck, every item id the log has a row for (what "retired" is counted from)."""
        self._latest_by_deck: dict[tuple[str, tuple[str, ...]], dict[str, ReviewRecord]] = {}
        """`latest_answers` results, by (deck, modes), until an answer in those modes changes."""
        self._data_version: int | None = None
        """`PRAGMA data_version` when the mirrors were last known good: it moves when another
        connection (another quiztui) commits, and then the mirrors are dropped."""

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: Path | None = None, *, backups_dir: Path | None = None) -> Store:
        """Open (creating if needed) the database at `path`, check it, and bring it up to date.

        `path` defaults to the data directory's database, `backups_dir` to its backups folder.
        Raises StoreError, naming the file and what to do, when it is locked, unreadable,
        damaged, not a quiztui database, or from a newer quiztui; such a file is left untouched.
        """
        path = locations.database_path() if path is None else Path(path)
        backups_dir = locations.backups_dir() if backups_dir is None else Path(backups_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{path}: cannot create its folder ({error.strerror}); check the permissions of"
                f" {path.parent} or choose another with --data-dir"
            ) from None
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: is not a file; move it aside so quiztui can create one")
        trusted = verified.is_unchanged(path)  # before connecting, which may create a WAL
        try:
            connection = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(
                f"{path}: cannot be opened ({error}); check that you can read and write it"
            ) from None
        try:
            cls._prepare(connection, path, backups_dir, trusted=trusted)
        except BaseException:
            connection.close()
            raise
        return cls(connection, path, backups_dir)

    @staticmethod
    def _prepare(
        connection: sqlite3.Connection, path: Path, backups_dir: Path, *, trusted: bool = False
    ) -> None:
        """Check, configure and migrate a freshly opened connection (read-only checks first).

        `trusted`: the file is exactly as quiztui last closed it, so the page check is skipped.
        """
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as error:
            if _is_locked(error):
                raise _locked_error(path) from None
            raise StoreError(
                f"{path}: is not a readable quiztui progress database ({error}). Nothing was"
                f" changed. Restore a copy from {backups_dir}, or move the file aside to start"
                " with empty progress (keep it: it may still be recoverable)."
            ) from None
        if version > schema.SCHEMA_VERSION:
            raise StoreError(
                f"{path}: was written by a newer quiztui (progress format {version}; this"
                f" quiztui reads up to {schema.SCHEMA_VERSION}). Upgrade quiztui to use it;"
                " the file was not changed."
            )
        if version == 0 and tables - {"sqlite_sequence"}:
            raise StoreError(
                f"{path}: is an SQLite database but not quiztui's (it has tables"
                f" {', '.join(sorted(tables))}). Nothing was changed; move it aside or choose"
                " another data directory with --data-dir."
            )
        check = [("ok",)] if trusted else quick_check(connection)
        if check != [("ok",)]:
            if check and _is_locked(sqlite3.Error(check[0][0])):
                raise _locked_error(path)
            detail = "; ".join(str(row[0]) for row in check[:3])
            raise StoreError(
                f"{path}: is damaged ({detail}). Nothing was changed. Restore the latest copy"
                f" from {backups_dir}, or move the file aside to start with empty progress"
                " (keep it: it may still be recoverable)."
            )
        try:
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = DELETE")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            Store._migrate(connection, path, backups_dir, version, has_data=bool(tables))
        except sqlite3.Error as error:
            if _is_locked(error):
                raise _locked_error(path) from None
            raise StoreError(
                f"{path}: cannot be prepared for use ({error}); check that you can write to it"
                f" and its folder. Nothing was reset; backups are in {backups_dir}."
            ) from None

    @staticmethod
    def _migrate(
        connection: sqlite3.Connection,
        path: Path,
        backups_dir: Path,
        version: int,
        *,
        has_data: bool,
    ) -> None:
        """Run the pending migrations, each in its own transaction, after a backup of old data."""
        if version >= schema.SCHEMA_VERSION:
            return
        if has_data:
            backup_database(connection, path, backups_dir, version)
        for target, migration in schema.pending(version):
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                now = connection.execute("PRAGMA user_version").fetchone()[0]
                if now >= target:
                    connection.execute("COMMIT")
                    continue
                migration(connection)
                connection.execute(f"PRAGMA user_version = {int(target)}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

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

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self._connection.execute("ROLLBACK")

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise self._error(error) from None

    def _error(self, error: sqlite3.Error) -> StoreError:
        if _is_locked(error):
            return _locked_error(self.path)
        return StoreError(
            f"{self.path}: {error}. Your answers so far are saved; if this keeps happening,"
            f" copy the file and the backups in {self.backups_dir} somewhere safe."
        )

    # ------------------------------------------------------------------ the mirrors

    def _mirrors_current(self) -> None:
        """Drop the mirrors if another connection has committed since they were filled."""
        version = self._connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._forget_mirrors()
            self._data_version = version

    def _forget_mirrors(self) -> None:
        """Drop every mirror (after a bulk change: an import, a recompute)."""
        self._states_by_deck.clear()
        self._introduced_by_deck.clear()
        self._logged_by_deck.clear()
        self._latest_by_deck.clear()

    def _forget_latest(self, deck_id: str, mode: str) -> None:
        """Drop the kept `latest_answers` of a deck that an answer in `mode` may change."""
        for key in [k for k in self._latest_by_deck if k[0] == deck_id and mode in k[1]]:
            del self._latest_by_deck[key]

    def _mirror_state(self, deck_id: str, item_id: str, stored: StoredState | None) -> None:
        """Bring the states mirror in step with an item's committed state (None: no state)."""
        states = self._states_by_deck.get(deck_id)
        if states is None:
            return
        introduced = self._introduced_by_deck[deck_id]
        before = states.pop(item_id, None)
        if before is not None:
            introduced[before.introduced_on, before.introduced_by] -= 1
        if stored is not None:
            states[item_id] = stored
            introduced[stored.introduced_on, stored.introduced_by] += 1

    def _mirror_logged(self, deck_id: str, item_id: str) -> None:
        """Bring the logged-items mirror in step with a committed log row."""
        ids = self._logged_by_deck.get(deck_id)
        if ids is not None and item_id not in ids:
            self._logged_by_deck[deck_id] = ids | {item_id}

    def _deck_states_mirror(self, deck_id: str) -> dict[str, StoredState]:
        """The mirrored states of a deck, filled from the table on first use (hold the lock)."""
        self._mirrors_current()
        states = self._states_by_deck.get(deck_id)
        if states is None:
            rows = self._read(
                f"SELECT {_STATE_COLUMNS} FROM item_states WHERE deck_id = ?", (deck_id,)
            )
            states = dict(zip((row[1] for row in rows), _states_from_rows(rows), strict=True))
            self._states_by_deck[deck_id] = states
            self._introduced_by_deck[deck_id] = Counter(
                (stored.introduced_on, stored.introduced_by) for stored in states.values()
            )
        return states

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

        Returns the committed log record. Modes "post", "learn" and "review" are SM-2 reviews;
        the rest change no schedule.
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
        with self._lock:
            changed: StoredState | None = None
            with self._write() as db:
                if mode in SCHEDULING_MODES:
                    current = self._state_in(db, deck_id, item_id)
                    after = advance(current, record)
                    if after is not None and after != current:
                        _upsert_state(db, after)
                        changed = after
                cursor = db.execute(
                    f"INSERT INTO reviews ({_REVIEW_COLUMNS.removeprefix('id, ')})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    review_to_row(record),
                )
                row_id = cast(int, cursor.lastrowid)
            if changed is not None:
                self._mirror_state(deck_id, item_id, changed)
            self._mirror_logged(deck_id, item_id)
            self._forget_latest(deck_id, mode)
        return _with_id(record, row_id)

    def undo_review(self, uid: str, *, at: datetime | None = None) -> bool:
        """Take an answer back: it stays in the log, marked undone, and the item's state is what
        it was without it. False when there is no such answer or it was already undone."""
        stamp = to_utc_text(at or _utc_now())
        with self._lock:
            with self._write() as db:
                row = db.execute(
                    "SELECT deck_id, item_id, mode FROM reviews"
                    " WHERE uid = ? AND undone_at IS NULL",
                    (uid,),
                ).fetchone()
                if row is None:
                    return False
                db.execute("UPDATE reviews SET undone_at = ? WHERE uid = ?", (stamp, uid))
                scheduling = row[2] in SCHEDULING_MODES
                recomputed = self._recompute_item(db, row[0], row[1]) if scheduling else None
            if scheduling:
                self._mirror_state(row[0], row[1], recomputed)
            self._forget_latest(row[0], row[2])
        return True

    def amend_grade(self, uid: str, grade: int, *, at: datetime | None = None) -> ReviewRecord:
        """Change an answer's grade (the 3 "guessed" / 5 "knew it" confidence change).

        The item's state becomes what it would have been had the answer been given with this
        grade; the original grade stays in the log. KeyError when there is no such live answer.
        """
        check_grade(grade)
        stamp = to_utc_text(at or _utc_now())
        with self._lock:
            with self._write() as db:
                row = db.execute(
                    f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE uid = ? AND undone_at IS NULL",
                    (uid,),
                ).fetchone()
                if row is None:
                    raise KeyError(uid)
                record = review_from_row(row)
                rescheduled = record.grade != grade and record.mode in SCHEDULING_MODES
                recomputed = None
                if record.grade != grade:
                    db.execute(
                        "UPDATE reviews SET grade = ?, amended_at = ? WHERE uid = ?",
                        (grade, stamp, uid),
                    )
                    if rescheduled:
                        recomputed = self._recompute_item(db, record.deck_id, record.item_id)
                row = db.execute(
                    f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,)
                ).fetchone()
            if rescheduled:
                self._mirror_state(record.deck_id, record.item_id, recomputed)
            self._forget_latest(record.deck_id, record.mode)
        return review_from_row(row)

    def _recompute_item(
        self, db: sqlite3.Connection, deck_id: str, item_id: str
    ) -> StoredState | None:
        """Rebuild one item's state from its log rows (inside the caller's transaction)."""
        rows = db.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE deck_id = ? AND item_id = ? ORDER BY id",
            (deck_id, item_id),
        ).fetchall()
        state = replay(review_from_row(row) for row in rows).get((deck_id, item_id))
        if state is None:
            db.execute(
                "DELETE FROM item_states WHERE deck_id = ? AND item_id = ?", (deck_id, item_id)
            )
        else:
            _upsert_state(db, state)
        return state

    @staticmethod
    def _state_in(db: sqlite3.Connection, deck_id: str, item_id: str) -> StoredState | None:
        row = db.execute(
            f"SELECT {_STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
            (deck_id, item_id),
        ).fetchone()
        return None if row is None else _state_from_row(row)

    # ------------------------------------------------------------------ reading the log

    def review(self, uid: str) -> ReviewRecord | None:
        """The log record with this uid, or None."""
        rows = self._read(f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,))
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
        rows = self._read(f"SELECT {_REVIEW_COLUMNS} FROM reviews{where} ORDER BY id", parameters)
        return [review_from_row(row) for row in rows]

    def latest_answers(self, deck_id: str, modes: Iterable[str]) -> dict[str, ReviewRecord]:
        """Each item's latest live answer in the given modes, by item id.

        Kept until an answer in one of those modes of the deck is logged, undone or amended
        (the home screen asks for it on every refresh; a year of history takes ~10 ms to scan).
        """
        wanted = tuple(sorted(set(modes)))
        with self._lock:
            self._mirrors_current()
            known = self._latest_by_deck.get((deck_id, wanted))
            if known is not None:
                return dict(known)
            marks = ", ".join("?" * len(wanted))
            # Walking the (deck, item) index visits each row in item order, a random read per
            # row; when the deck is most of the log, one sequential scan is several times faster.
            source = "reviews NOT INDEXED" if self._deck_is_most_of_log(deck_id) else "reviews"
            rows = self._read(
                f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE id IN ("
                f" SELECT max(id) FROM {source} WHERE deck_id = ? AND undone_at IS NULL"
                f" AND mode IN ({marks}) GROUP BY item_id)",
                (deck_id, *wanted),
            )
            latest = {row[3]: review_from_row(row) for row in rows}
            self._latest_by_deck[deck_id, wanted] = latest
            return dict(latest)

    def _deck_is_most_of_log(self, deck_id: str) -> bool:
        """True when at least half of the log's rows are this deck's (counted on the index)."""
        total = self._read("SELECT max(id) FROM reviews")[0][0] or 0
        if total < 1000:
            return False
        mine = self._read("SELECT count(*) FROM reviews WHERE deck_id = ?", (deck_id,))[0][0]
        return mine * 2 >= total

    def review_count(self) -> int:
        """How many rows the log holds (undone ones included)."""
        return int(self._read("SELECT count(*) FROM reviews")[0][0])

    def review_times(self) -> list[datetime]:
        """When each live answer was given (UTC), oldest first: for streaks and history."""
        rows = self._read(
            "SELECT reviewed_at FROM reviews WHERE undone_at IS NULL ORDER BY reviewed_at"
        )
        return [from_utc_text(row[0]) for row in rows]

    def introduced_count(self, deck_id: str, day: date, mode: Mode = "review") -> int:
        """How many items of a deck were first reviewed on `day` in `mode` (new items shown)."""
        with self._lock:
            self._mirrors_current()
            introduced = self._introduced_by_deck.get(deck_id)
            if introduced is not None:
                return introduced[day, mode]
        rows = self._read(
            "SELECT count(*) FROM item_states"
            " WHERE deck_id = ? AND introduced_on = ? AND introduced_by = ?",
            (deck_id, day.isoformat(), mode),
        )
        return int(rows[0][0])

    # ------------------------------------------------------------------ item states

    def state(self, deck_id: str, item_id: str) -> StoredState | None:
        """An item's current state, or None when it was never reviewed."""
        rows = self._read(
            f"SELECT {_STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
            (deck_id, item_id),
        )
        return _state_from_row(rows[0]) if rows else None

    def deck_states(self, deck_id: str) -> dict[str, StoredState]:
        """Every stored state of a deck, by item id (items no longer in the deck included).

        Served from the in-memory mirror of the table (a fresh dict, the caller's to keep).
        """
        with self._lock:
            return dict(self._deck_states_mirror(deck_id))

    def deck_item_ids(self, deck_id: str) -> set[str]:
        """Every item id the store has any history for in a deck."""
        return set(self.logged_item_ids(deck_id))

    def logged_item_ids(self, deck_id: str) -> frozenset[str]:
        """Every item id the log has a row for in a deck (mirrored, like the states)."""
        with self._lock:
            self._mirrors_current()
            ids = self._logged_by_deck.get(deck_id)
            if ids is None:
                rows = self._read(
                    "SELECT DISTINCT item_id FROM reviews WHERE deck_id = ?", (deck_id,)
                )
                ids = frozenset(row[0] for row in rows)
                self._logged_by_deck[deck_id] = ids
            return ids

    def live_states(self) -> dict[tuple[str, str], StoredState]:
        """Every stored state, keyed on (deck id, item id)."""
        rows = self._read(f"SELECT {_STATE_COLUMNS} FROM item_states")
        return {(row[0], row[1]): _state_from_row(row) for row in rows}

    def rebuild_states(self) -> dict[tuple[str, str], StoredState]:
        """Every item's state computed afresh by replaying the whole log (nothing written)."""
        with self._lock:
            rows = self._read(f"SELECT {_REVIEW_COLUMNS} FROM reviews ORDER BY id")
        return replay(review_from_row(row) for row in rows)

    def recompute_states(self) -> None:
        """Replace every stored state with the log's replay, in one transaction."""
        with self._lock:
            try:
                with self._write() as db:
                    _recompute_all(db)
            finally:
                self._forget_mirrors()

    # ------------------------------------------------------------------ check attempts

    def start_attempt(
        self,
        *,
        deck_id: str,
        part_id: str,
        check: str,
        question_ids: Sequence[str],
        choice_orders: dict[str, tuple[str, ...]],
        at: datetime,
    ) -> Attempt:
        """Begin a check attempt, setting aside (as abandoned) any unfinished one of that check."""
        attempt = Attempt(
            uid=uuid.uuid4().hex,
            deck_id=deck_id,
            part_id=part_id,
            check=cast(Any, check),
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
                f"INSERT INTO attempts ({_ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _attempt_to_row(attempt),
            )
        return attempt

    def attempt(self, uid: str) -> Attempt | None:
        """The attempt with this uid, or None."""
        rows = self._read(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE uid = ?", (uid,))
        return _attempt_from_row(rows[0]) if rows else None

    def attempts(self, deck_id: str, part_id: str | None = None) -> list[Attempt]:
        """A deck's (or part's) attempts, oldest first."""
        sql = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ?"
        parameters: list[str] = [deck_id]
        if part_id is not None:
            sql += " AND part_id = ?"
            parameters.append(part_id)
        rows = self._read(sql + " ORDER BY started_at, uid", parameters)
        return [_attempt_from_row(row) for row in rows]

    def unfinished_attempt(self, deck_id: str, part_id: str, check: str) -> Attempt | None:
        """The part's attempt of that check left half-way (neither finished nor abandoned)."""
        rows = self._read(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ? AND part_id = ?"
            " AND check_name = ? AND finished_at IS NULL AND abandoned_at IS NULL"
            " ORDER BY started_at DESC LIMIT 1",
            (deck_id, part_id, check),
        )
        return _attempt_from_row(rows[0]) if rows else None

    def latest_finished_attempt(self, deck_id: str, part_id: str, check: str) -> Attempt | None:
        """The part's most recently finished attempt of that check."""
        rows = self._read(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ? AND part_id = ?"
            " AND check_name = ? AND finished_at IS NOT NULL"
            " ORDER BY finished_at DESC LIMIT 1",
            (deck_id, part_id, check),
        )
        return _attempt_from_row(rows[0]) if rows else None

    def finished_parts(self, deck_id: str, check: str) -> set[str]:
        """The parts of a deck with at least one finished attempt of that check."""
        rows = self._read(
            "SELECT DISTINCT part_id FROM attempts"
            " WHERE deck_id = ? AND check_name = ? AND finished_at IS NOT NULL",
            (deck_id, check),
        )
        return {row[0] for row in rows}

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
        found: dict[str, set[Step]] = {}
        for part_id, step in self._read(
            "SELECT part_id, step FROM step_marks WHERE deck_id = ?", (deck_id,)
        ):
            found.setdefault(part_id, set()).add(step)
        return {part_id: frozenset(steps) for part_id, steps in found.items()}

    # ------------------------------------------------------------------ safety

    def backup(self, destination_dir: Path | None = None) -> Path:
        """Copy the whole database, consistently, to a timestamped file; returns its path."""
        with self._lock:
            version = self._read("PRAGMA user_version")[0][0]
            return backup_database(
                self._connection, self.path, destination_dir or self.backups_dir, version
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

    def import_data(self, data: Any, source: str = "<data>") -> Any:
        """Merge an exported history; importing the same one twice adds nothing twice."""
        from quiztui.store.exchange import import_data

        with self._lock:
            try:
                with self._write() as db:
                    return import_data(db, data, source)
            finally:
                self._forget_mirrors()


def _with_id(record: ReviewRecord, row_id: int) -> ReviewRecord:
    from dataclasses import replace

    return replace(record, id=row_id)


def _upsert_state(db: sqlite3.Connection, stored: StoredState) -> None:
    db.execute(
        f"INSERT OR REPLACE INTO item_states ({_STATE_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _state_to_row(stored),
    )


def _recompute_all(db: sqlite3.Connection) -> None:
    """Replace every stored state with the replay of the log (inside the caller's transaction)."""
    rows = db.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall()
    states = replay(review_from_row(row) for row in rows)
    db.execute("DELETE FROM item_states")
    db.executemany(
        f"INSERT INTO item_states ({_STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_state_to_row(state) for state in states.values()],
    )


def _locked_error(path: Path) -> StoreError:
    return StoreError(
        f"{path}: is locked by another program (another quiztui, or a backup tool) and stayed"
        f" locked for {BUSY_TIMEOUT_SECONDS:g} seconds. Close the other program and try again;"
        " nothing was lost."
    )


def backup_database(
    connection: sqlite3.Connection, path: Path, backups_dir: Path, version: int
) -> Path:
    """Copy a database with SQLite's backup API to `<backups_dir>/<name>-<UTC time>-v<version>`."""
    stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
    target = backups_dir / f"{path.stem}-{stamp}-v{version}{path.suffix}"
    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
        counter = 1
        while target.exists():
            counter += 1
            target = backups_dir / f"{path.stem}-{stamp}-v{version}-{counter}{path.suffix}"
        destination = sqlite3.connect(target)
        try:
            connection.backup(destination)
        finally:
            destination.close()
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"{path}: could not be backed up to {target} ({error}); nothing was changed. Free"
            f" some space or fix the permissions of {backups_dir}, then try again."
        ) from None
    return target
