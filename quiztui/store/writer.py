"""The store's writing side: transactions, and the writes that wait when the database cannot.

Every change is a `Write` applied in one `BEGIN IMMEDIATE` transaction. When the database
cannot take it (another program holds the lock past the busy timeout, the disk is full, the
file is read-only: see `connection.write_blocker`), the write is not lost and the app does not
end: it waits in `PendingWrites` (memory and journal), and so does every later write, so order
is kept. Each later write first tries to save what waits (without waiting for a lock, so
answering never stalls again), and so does the store's `retry_pending` (the app calls it every
few seconds; it waits for a lock briefly) and closing (with the full busy timeout). A store
opened read-only writes nothing and counts what it refused.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from quiztui.scheduling import SM2, Scheduler
from quiztui.store.connection import (
    BUSY_TIMEOUT_SECONDS,
    READ_ONLY,
    locked_error,
    write_blocker,
)
from quiztui.store.pending import PendingWrites, WriteStatus
from quiztui.store.read_cache import ReadCache
from quiztui.store.records import StoreError, StoreUnwritable
from quiztui.store.rows import BadRow
from quiztui.store.writes import Write, apply

RETRY_BUSY_TIMEOUT_SECONDS = 0.1
"""How long a periodic retry waits for another program's lock while writes wait."""


class Writer:
    """Applies writes to one connection, or keeps them waiting, in order, until it can."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        lock: threading.RLock,
        cache: ReadCache,
        path: Path,
        backups_dir: Path,
        pending: PendingWrites,
        *,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        read_only: str | None = None,
        reopen: Callable[[], None] | None = None,
    ) -> None:
        """`lock` and `cache` are the store's; `read_only`: why nothing may be written;
        `reopen`: how the store reopens a file it found read-only (a connection that opened
        it so stays read-only after the file is made writable again)."""
        self._connection = connection
        self._lock = lock
        self._cache = cache
        self._path = path
        self.scheduler: Callable[[], Scheduler] = lambda: SM2
        """The store's scheduler, which every write's states go through (the store sets it)."""
        self._backups_dir = backups_dir
        self.pending = pending
        """What waits for the database."""
        self._busy_timeout = busy_timeout
        self.read_only = read_only
        """Why this store writes nothing (None: it writes)."""
        self._refused_answers = 0
        self._reopen = reopen
        if read_only is not None:
            connection.execute("PRAGMA query_only = ON")

    def use(self, connection: sqlite3.Connection) -> None:
        """Write through another connection from now on (the store reopened the file)."""
        with self._lock:
            self._connection = connection

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, busy_timeout: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) and committed on success.

        `busy_timeout` (default: the store's) is how long to wait for another program's lock.
        Raises StoreUnwritable when the database cannot take it now (or the store is
        read-only), StoreError otherwise.
        """
        with self._lock:
            if self.read_only is not None:
                raise StoreUnwritable(
                    f"{self._path}: was opened read-only ({self.read_only}); nothing was"
                    " written. Close the other quiztui first.",
                    self.read_only,
                )
            if busy_timeout is not None:
                self._set_busy_timeout(busy_timeout)
            try:
                self._connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self.error(error) from None
            finally:
                if busy_timeout is not None:
                    self._set_busy_timeout(self._busy_timeout)
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                raise self.error(error) from None
            except BadRow as bad:
                self._rollback()
                raise self._bad_row_error(bad) from None
            except BaseException:
                self._rollback()
                raise
            finally:
                self._cache.committed()

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self._connection.execute("ROLLBACK")

    def error(self, error: sqlite3.Error) -> StoreError:
        """The StoreError to raise for an SQLite error (StoreUnwritable when it may pass)."""
        reason = write_blocker(error)
        if reason is not None and "locked" in reason:
            return StoreUnwritable(str(locked_error(self._path)), reason)
        if reason is not None:
            return StoreUnwritable(
                f"{self._path}: cannot be written now ({error}): {reason}. Nothing was lost.",
                reason,
            )
        return StoreError(
            f"{self._path}: {error}. Your answers so far are saved; if this keeps happening,"
            f" copy the file and the backups in {self._backups_dir} somewhere safe."
        )

    def _bad_row_error(self, bad: BadRow) -> StoreError:
        return StoreError(
            f"{self._path}: the {bad.table} row {bad.key} cannot be read ({bad.problem}), and"
            " this change needs it; nothing was changed. Restore a backup, or export your"
            " progress (`quiztui progress export`), which leaves such rows out."
        )

    # ------------------------------------------------------------------ writes that may wait

    def submit(self, write: Write) -> tuple[bool, Any]:
        """Apply `write` now, or keep it waiting after what already waits.

        Returns (True, what `apply` returned) when it was committed, (False, None) when it
        waits (or was refused, read-only). Raises StoreError only for problems that will not
        pass by themselves (a damaged row the write needs).
        """
        with self._lock:
            if self.read_only is not None:
                self._refused_answers += write.is_answer
                return False, None
            if self.pending and not self.flush(0.0):
                self.pending.add(write, self.pending.reason or "retrying")
                return False, None
            try:
                with self.transaction() as db:
                    return True, apply(db, write, self.scheduler())
            except StoreUnwritable as error:
                self.pending.add(write, error.reason)
                return False, None

    def flush(self, busy_timeout: float | None = None) -> bool:
        """Save every waiting write, in order, in one transaction; True when nothing waits.

        `busy_timeout` (default: the store's) is how long to wait for another program's lock.
        """
        with self._lock:
            if not self.pending or self.read_only is not None:
                return not self.pending
            if self.pending.reason == READ_ONLY and self._reopen is not None:
                self._reopen()
            try:
                with self.transaction(busy_timeout) as db:
                    for write in self.pending.writes:
                        apply(db, write, self.scheduler())
            except StoreError as error:
                reason = error.reason if isinstance(error, StoreUnwritable) else str(error)
                self.pending.reason = reason
                return False
            self.pending.saved()
            return True

    def _set_busy_timeout(self, seconds: float) -> None:
        with suppress(sqlite3.Error):
            self._connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def status(self) -> WriteStatus:
        """What to tell the learner: what waits and why, or what was refused."""
        with self._lock:
            if self.read_only is not None:
                return WriteStatus(read_only=self.read_only, refused_answers=self._refused_answers)
            return self.pending.status()
