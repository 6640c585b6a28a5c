"""The progress store's API: the review log, item states, check attempts, step marks, item
marks (suspend, bury, flag, leech, reset) and mock exams.

Every answer is one transaction: its log row and the item's new state, committed before the
call returns (`BEGIN IMMEDIATE` with a busy timeout, so two quiztui processes can write at
once). The log is the truth and item states are its replay through the store's scheduler
(SM-2, or FSRS), kept in step in the same transaction; switching the scheduler replays the
whole log through the new one. Reads the screens repeat are served from a `ReadCache` until
the next commit. Nothing here ever resets or overwrites progress.

When the database cannot take a write (locked past the busy timeout, disk full, read-only),
the write methods still return as if it had (a ReviewRecord with its uid, so undo and
confidence work on it): the write waits, in order, in memory and in the pending journal, and
is saved as soon as the database can take it (see `writer`). Reads show the database, so they
may lag behind while writes wait; `write_status` says what waits and why.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from quiztui import locations
from quiztui.days import from_utc_text, to_utc_text
from quiztui.deck.model import CheckName
from quiztui.scheduling import Scheduler, scheduler_from_basis
from quiztui.sm2 import check_grade
from quiztui.store import verified
from quiztui.store.connection import BUSY_TIMEOUT_SECONDS, backup_database, open_database
from quiztui.store.journal import Journal
from quiztui.store.marks import counted, fold_marks, live_events, reset_cuts
from quiztui.store.marks import lapses as count_lapses
from quiztui.store.pending import PendingWrites, WriteStatus
from quiztui.store.read_cache import ReadCache
from quiztui.store.records import (
    MARK_KINDS,
    MODES,
    NO_MARKS,
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
    StoreUnwritable,
)
from quiztui.store.renames import Adopted, Renames, adopt
from quiztui.store.replay import replay
from quiztui.store.rows import (
    ATTEMPT_COLUMNS,
    EXAM_COLUMNS,
    MARK_COLUMNS,
    MARK_INSERT,
    REVIEW_COLUMNS,
    STATE_COLUMNS,
    BadRow,
    attempt_from_row,
    exam_from_row,
    exam_to_row,
    mark_from_row,
    mark_to_row,
    readable,
    review_from_row,
    state_from_row,
)
from quiztui.store.writer import RETRY_BUSY_TIMEOUT_SECONDS, Writer
from quiztui.store.writes import Write, insert_review, recompute_all, recompute_item
from quiztui.wording import plural

if TYPE_CHECKING:
    from quiztui.store.review_facts import FactsSnapshot

T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The learner's progress: the review log, item states, check attempts and step marks.

    Open it once (in `main()`), hand it around, close it on the way out. Methods are safe to call
    from more than one thread; each write is committed before the method returns, or, when the
    database cannot take it now, kept waiting in memory and in the pending journal.
    """

    path: Path
    """The database file."""
    backups_dir: Path
    """Where backups go (before a migration, and on request)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        backups_dir: Path,
        *,
        notices: Sequence[str] = (),
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        read_only: str | None = None,
        journal_paths: Sequence[Path] | None = None,
    ) -> None:
        """Wrap an open, migrated connection (use `Store.open`).

        `read_only`: why nothing may be written (every write is then refused and counted);
        `journal_paths`: where waiting writes are kept (default: `locations`' list).
        """
        self._connection = connection
        self.path = path
        self.backups_dir = backups_dir
        self.notices: tuple[str, ...] = tuple(notices)
        """What the learner should be told about opening (say, an empty file kept aside)."""
        self._lock = threading.RLock()
        self._cache = ReadCache(connection)
        self._bad_rows: dict[tuple[str, str], BadRow] = {}
        paths = locations.pending_journal_paths(path) if journal_paths is None else journal_paths
        journal = Journal(path, paths, private=paths[-1:] if journal_paths is None else ())
        self._writer = Writer(
            connection,
            self._lock,
            self._cache,
            path,
            backups_dir,
            PendingWrites(journal),
            busy_timeout=busy_timeout,
            read_only=read_only,
            reopen=self._reopen,
        )
        self._busy_timeout = busy_timeout
        self._scheduler = scheduler_from_basis(_stored_basis(connection))
        self._writer.scheduler = lambda: self._scheduler

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        backups_dir: Path | None = None,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        read_only: str | None = None,
        take_pending: bool = True,
        journal_paths: Sequence[Path] | None = None,
        scheduler: Scheduler | None = None,
    ) -> Store:
        """Open (creating if needed) the database at `path`, check it, and bring it up to date.

        `path` defaults to the data directory's database, `backups_dir` to its backups folder;
        `busy_timeout` is how long a write waits for another program's lock. Writes an earlier
        run left waiting in the pending journal are saved first, before anything else, unless
        `take_pending` is False (another quiztui that is still open owns them) or the store is
        opened `read_only` (the reason why: every write is then refused). `scheduler`, when
        given, is switched to at once (see `use_scheduler`). Raises StoreError, naming the file
        and what to do, when it cannot be used.
        """
        path = locations.database_path() if path is None else Path(path)
        backups_dir = locations.backups_dir() if backups_dir is None else Path(backups_dir)
        notices: list[str] = []
        connection = open_database(path, backups_dir, busy_timeout=busy_timeout, notices=notices)
        store = cls(
            connection,
            path,
            backups_dir,
            notices=notices,
            busy_timeout=busy_timeout,
            read_only=read_only,
            journal_paths=journal_paths,
        )
        if take_pending and read_only is None:
            store._take_pending()
        if scheduler is not None:
            store.use_scheduler(scheduler)
        return store

    def _take_pending(self) -> None:
        """Load what an earlier run left in the pending journal and try to save it now."""
        with self._lock:
            pending = self._writer.pending
            count = pending.load()
            if not count:
                return
            answers = sum(1 for write in pending.writes if write.is_answer)
            if self._writer.flush():
                self.notices += (
                    f"{self.path}: saved {answers} answers ({count} changes in all) that were"
                    f" still waiting to be saved when quiztui last closed.",
                )

    def _reopen(self) -> None:
        """Open the file afresh if it has become writable (SQLite opened it read-only)."""
        if self._unwritable_files():
            return
        try:
            connection = open_database(self.path, self.backups_dir, busy_timeout=self._busy_timeout)
        except StoreError:
            return
        with self._lock:
            old, self._connection = self._connection, connection
            self._cache.use(connection)
            self._writer.use(connection)
        with suppress(sqlite3.Error):
            old.close()

    def close(self) -> None:
        """Close the database, after one last try to save what waits (kept in the journal if
        that fails, for the next start).

        The file as it is now is remembered as sound, so the next open need not check it again.
        """
        with self._lock:
            self._writer.flush()
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
    def _write(self, busy_timeout: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction that must happen now (import, recompute, renames): it never
        waits in the queue, and raises StoreUnwritable when the database cannot take it.

        Whatever waits is saved first, so the log keeps its order. `busy_timeout` (default:
        the store's) is how long to wait for another program's lock.
        """
        with self._lock:
            if not self._writer.flush(busy_timeout):
                reason = self._writer.pending.reason or "retrying"
                raise StoreUnwritable(
                    f"{self.path}: cannot be written now ({reason}), and answers are waiting to"
                    " be saved before this change; nothing was changed. Try again later.",
                    reason,
                )
            with self._writer.transaction(busy_timeout) as db:
                yield db

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

    def _readable(
        self, rows: Iterable[Sequence[Any]], mapper: Callable[[Sequence[Any]], T]
    ) -> list[T]:
        """The rows a report reads, mapped; unreadable ones set aside (see `bad_rows`)."""
        bad: list[BadRow] = []
        mapped = list(readable(rows, mapper, bad))
        if bad:
            with self._lock:
                for problem in bad:
                    self._bad_rows.setdefault((problem.table, problem.key), problem)
        return mapped

    def bad_rows(self) -> list[BadRow]:
        """The rows reads have set aside because they cannot be read, in the order first met.

        A report (`quiztui stats`, the screens) carries on without them; a write that needs one
        refuses with a StoreError naming it.
        """
        with self._lock:
            return list(self._bad_rows.values())

    def _error(self, error: sqlite3.Error) -> StoreError:
        return self._writer.error(error)

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

        Returns the committed log record, or, when the database cannot take it now, the record
        as it will be saved (id 0) while it waits. Modes "post", "learn", "review" and "exam"
        are reviews, and "redrill" too under FSRS (see `replay.schedules`); the rest change no
        schedule.
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
            applied, row_id = self._writer.submit(Write.review(record))
            if applied:
                return replace(record, id=int(row_id))
            self._writer.pending.view[record.uid] = record
            return record

    def undo_review(self, uid: str, *, at: datetime | None = None) -> bool:
        """Take an answer back: it stays in the log, marked undone, and the item's state is what
        it was without it. False when there is no such answer or it was already undone."""
        stamp = to_utc_text(at or _utc_now())
        with self._lock:
            applied, undone = self._writer.submit(Write.undo(uid, stamp))
            if applied:
                return bool(undone)
            before = self._waiting_record(uid)
            if before is None or before.undone:
                return False
            self._writer.pending.view[uid] = replace(before, undone_at=from_utc_text(stamp))
            return True

    def amend_grade(self, uid: str, grade: int, *, at: datetime | None = None) -> ReviewRecord:
        """Change an answer's grade (the 3 "guessed" / 5 "knew it" confidence change).

        The item's state becomes what it would have been had the answer been given with this
        grade; the original grade stays in the log. KeyError when there is no such live answer.
        """
        check_grade(grade)
        stamp = to_utc_text(at or _utc_now())
        with self._lock:
            applied, amended = self._writer.submit(Write.amend(uid, grade, stamp))
            if applied:
                if amended is None:
                    raise KeyError(uid)
                return amended  # type: ignore[no-any-return]
            before = self._waiting_record(uid)
            if before is None or before.undone:
                raise KeyError(uid)
            after = before
            if before.grade != grade:
                after = replace(before, grade=grade, amended_at=from_utc_text(stamp))
            self._writer.pending.view[uid] = after
            return after

    def _waiting_record(self, uid: str) -> ReviewRecord | None:
        """An answer as the writes that wait leave it (else as the database has it)."""
        waiting = self._writer.pending.view.get(uid)
        return waiting if waiting is not None else self.review(uid)

    # ------------------------------------------------------------------ writes that wait

    def write_status(self) -> WriteStatus:
        """Whether everything is saved; if not, how much waits, why, and where it is kept."""
        return self._writer.status()

    def retry_pending(self) -> bool:
        """Try to save what waits (briefly, if another program holds the lock); True when
        nothing waits any more. The app calls it every few seconds."""
        return self._writer.flush(RETRY_BUSY_TIMEOUT_SECONDS)

    def _unwritable_files(self) -> list[Path]:
        """The database and the WAL files beside it that this process may not write.

        SQLite gives its WAL files the database's permissions, so a file once read-only
        leaves read-only WAL files behind even after it is made writable again.
        """
        files = [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")]
        return [path for path in files if path.exists() and not os.access(path, os.W_OK)]

    def waiting_advice(self) -> str | None:
        """What a command tells the learner while writes wait: how many, why, where they are
        kept and what to do; None when everything is saved."""
        status = self.write_status()
        if not status.waiting_changes:
            return None
        unwritable = self._unwritable_files()
        if unwritable:
            names = " ".join(str(path) for path in unwritable)
            fix = f"make {'it' if len(unwritable) == 1 else 'them'} writable (chmod u+w {names})"
        elif status.reason and "locked" in status.reason:
            fix = "close the program that holds the file"
        elif status.reason == "disk full":
            fix = "free some disk space"
        else:
            fix = "check the disk and the file's permissions"
        kept = f"kept in {status.kept_in}" if status.kept_in else "held in memory only"
        return (
            f"{self.path}: {plural(status.waiting_answers, 'answer')}"
            f" ({plural(status.waiting_changes, 'change')} in all) waiting to be saved"
            f" ({status.reason}), {kept}; {fix}, and quiztui saves them the next time it starts."
        )

    # ------------------------------------------------------------------ reading the log

    def review(self, uid: str) -> ReviewRecord | None:
        """The log record with this uid, or None."""
        rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,))
        found = self._readable(rows, review_from_row)
        return found[0] if found else None

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
        return self._readable(rows, review_from_row)

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
        return {record.item_id: record for record in self._readable(rows, review_from_row)}

    def latest_answers_on(
        self, deck_id: str, day: date, modes: Iterable[str]
    ) -> list[ReviewRecord]:
        """Each item's latest live answer of one learning day in the given modes, in log order."""
        wanted = tuple(sorted(set(modes)))
        marks = ", ".join("?" * len(wanted))
        # `+deck_id` keeps SQLite on the index of live rows by day (one day's rows): left to
        # itself it walks the deck's whole history by item (0.9 s for 250,000 rows, not 0.3 ms).
        rows = self._cached(
            ("latest-on", deck_id, day, wanted),
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id IN ("
            # `+deck_id`: one day's answers are few, a deck's are many; the day's index wins.
            f" SELECT max(id) FROM reviews WHERE learning_day = ? AND undone_at IS NULL"
            f" AND +deck_id = ? AND mode IN ({marks}) GROUP BY item_id) ORDER BY id",
            (day.isoformat(), deck_id, *wanted),
        )
        return self._readable(rows, review_from_row)

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
        # One index seek per item ("the next id after this one"), not a walk over every row
        # of the deck: 6 ms instead of 21 for 2,500 items and 250,000 answers.
        rows = self._cached(
            ("logged", deck_id),
            "WITH RECURSIVE ids(item_id) AS ("
            " SELECT (SELECT min(item_id) FROM reviews WHERE deck_id = ?1)"
            " UNION ALL SELECT (SELECT min(item_id) FROM reviews"
            " WHERE deck_id = ?1 AND item_id > ids.item_id) FROM ids WHERE item_id IS NOT NULL)"
            " SELECT item_id FROM ids WHERE item_id IS NOT NULL",
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
            "SELECT learning_day, min(uid) FROM reviews WHERE undone_at IS NULL"
            " GROUP BY learning_day ORDER BY learning_day",
        )
        return self._readable(rows, _learning_day)

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
        found = self._readable(rows, state_from_row)
        return found[0] if found else None

    def deck_states(self, deck_id: str) -> dict[str, StoredState]:
        """Every stored state of a deck, by item id (items no longer in the deck included).

        A fresh dict, the caller's to keep.
        """
        with self._lock:
            states = self._cache.get(("states", deck_id), lambda: self._deck_states(deck_id))
            return dict(states)

    def _deck_states(self, deck_id: str) -> dict[str, StoredState]:
        rows = self._read(f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ?", (deck_id,))
        return {state.item_id: state for state in self._readable(rows, state_from_row)}

    def live_states(self) -> dict[tuple[str, str], StoredState]:
        """Every stored state, keyed on (deck id, item id)."""
        rows = self._read(f"SELECT {STATE_COLUMNS} FROM item_states")
        return {(s.deck_id, s.item_id): s for s in self._readable(rows, state_from_row)}

    def rebuild_states(self) -> dict[tuple[str, str], StoredState]:
        """Every item's state computed afresh by replaying the whole log (nothing written)."""
        with self._lock:
            rows = self._read(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
            cuts = reset_cuts(self._connection)
        return replay(counted((review_from_row(row) for row in rows), cuts), self._scheduler)

    def recompute_states(self) -> None:
        """Replace every stored state with the log's replay, in one transaction."""
        with self._write() as db:
            recompute_all(db, self._scheduler)

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
                    recompute_item(db, change.deck_id, change.item_id, self._scheduler)
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
                    recompute_item(db, deck_id, item_id, self._scheduler)
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
                records.append(replace(record, id=insert_review(db, record, self._scheduler)))
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
        self._writer.submit(Write.start_attempt(attempt))
        return attempt

    def attempt(self, uid: str) -> Attempt | None:
        """The attempt with this uid, or None."""
        rows = self._read(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE uid = ?", (uid,))
        found = self._readable(rows, attempt_from_row)
        return found[0] if found else None

    def attempts(self, deck_id: str, part_id: str | None = None) -> list[Attempt]:
        """A deck's (or part's) attempts, oldest first."""
        sql = f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ?"
        parameters: list[str] = [deck_id]
        if part_id is not None:
            sql += " AND part_id = ?"
            parameters.append(part_id)
        rows = self._read(sql + " ORDER BY started_at, uid", parameters)
        return self._readable(rows, attempt_from_row)

    def unfinished_attempt(self, deck_id: str, part_id: str, check: CheckName) -> Attempt | None:
        """The part's attempt of that check left half-way (neither finished nor abandoned)."""
        rows = self._read(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE deck_id = ? AND part_id = ?"
            " AND check_name = ? AND finished_at IS NULL AND abandoned_at IS NULL"
            " ORDER BY started_at DESC LIMIT 1",
            (deck_id, part_id, check),
        )
        found = self._readable(rows, attempt_from_row)
        return found[0] if found else None

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
        found = self._readable(rows, attempt_from_row)
        return found[0] if found else None

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
        found: dict[str, tuple[Attempt, list[ReviewRecord]] | None] = {}
        for row in rows:
            if row[0] not in found:
                attempts = self._readable([row[:width]], attempt_from_row)
                found[row[0]] = (attempts[0], []) if attempts else None
            entry = found[row[0]]
            if entry is not None and row[width] is not None:
                entry[1].extend(self._readable([row[width:]], review_from_row))
        return [entry for entry in found.values() if entry is not None]

    def finish_attempt(self, uid: str, at: datetime) -> None:
        """Mark an attempt complete (once; finishing again keeps the first time)."""
        self._writer.submit(Write.finish_attempt(uid, to_utc_text(at)))

    # ------------------------------------------------------------------ step marks

    def mark_step(self, deck_id: str, part_id: str, step: Step, at: datetime) -> None:
        """Record that a learner reached a step of a part (kept once, with the first time)."""
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}")
        self._writer.submit(Write.mark_step(deck_id, part_id, step, to_utc_text(at)))

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
        """Move the progress kept under a deck's old ids to its new ids (one transaction).

        When the database cannot take it now (read-only, locked, disk full), nothing moves and
        nothing is lost: it is done the next time the deck is opened with a writable store.
        """
        if renames.empty or self._writer.read_only is not None:
            return Adopted()
        try:
            with self._write(RETRY_BUSY_TIMEOUT_SECONDS) as db:
                return adopt(db, renames, _utc_now(), self._scheduler)
        except StoreUnwritable:
            return Adopted()

    def notice_shown(self, key: str) -> bool:
        """Whether the notice named `key` was shown before."""
        rows = self._read("SELECT 1 FROM notices WHERE key = ?", (key,))
        return bool(rows)

    def mark_notice_shown(self, key: str) -> None:
        """Remember that the notice named `key` was shown (so it is shown once).

        When the database cannot take it now, it is not remembered: the notice comes again.
        """
        with suppress(StoreUnwritable), self._write(RETRY_BUSY_TIMEOUT_SECONDS) as db:
            db.execute(
                "INSERT OR IGNORE INTO notices (key, shown_at) VALUES (?, ?)",
                (key, to_utc_text(_utc_now())),
            )

    # ------------------------------------------------------------------ statistics

    def review_facts(
        self,
        today: date,
        deck_ids: Sequence[str] | None = None,
        since: date = date.min,
        cache_dir: Path | None = None,
    ) -> FactsSnapshot:
        """The log's sums for statistics (`review_facts`): answers per day, per category and
        per week from `since` on, and lapses, of `deck_ids` (default every deck).

        Kept on disk (in `cache_dir`, default the cache folder) for the settled days, so a
        million reviews are not replayed on every read. Not held under the store's lock: the
        first read of a big log builds that file for seconds, and answers must not wait.
        """
        from quiztui.store.review_facts import read_facts, unreadable

        folder = locations.cache_dir() if cache_dir is None else cache_dir
        wanted = None if deck_ids is None else tuple(deck_ids)
        facts = read_facts(self._read, self.path, folder, today, wanted, since)
        for row_id, problem in unreadable():
            found = self._read("SELECT uid FROM reviews WHERE id = ?", (row_id,))
            key = str(found[0][0]) if found else str(row_id)
            with self._lock:
                self._bad_rows.setdefault(("reviews", key), BadRow("reviews", key, problem))
        return facts

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
        """Merge an exported history; importing the same one twice adds nothing twice.

        `data` is the file's JSON or, already checked, a `CheckedImport`. It is checked before
        the write transaction begins, so the lock is held for the merge alone; ProgressFileError
        (nothing imported) names `source` and the first entry that cannot be true.
        """
        from quiztui.store.exchange import import_data
        from quiztui.store.import_check import CheckedImport, check_import

        checked = data if isinstance(data, CheckedImport) else check_import(data, source)
        with self._write() as db:
            return import_data(db, checked, self._scheduler)


def _learning_day(row: Sequence[Any]) -> date:
    """A learning day from a (learning_day, uid) row (BadRow naming the uid if unreadable)."""
    try:
        return date.fromisoformat(row[0])
    except (TypeError, ValueError) as error:
        raise BadRow("reviews", str(row[1]), f"learning_day {row[0]!r}: {error}") from None


def _stored_basis(connection: sqlite3.Connection) -> str | None:
    """The basis the stored states were computed under (None: SM-2, never switched)."""
    try:
        row = connection.execute("SELECT value FROM scheduling WHERE key = 'basis'").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])
