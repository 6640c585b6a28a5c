"""A small in-memory cache of the store's reads, with one rule: any commit empties it.

The home screen, the deck screen and `quiztui stats` read the same deck's states and marks
several times over for one view; reading 10,000 rows each time is most of their cost. A read
is kept until the database changes: a commit on this connection (the store counts them) or on
any other (SQLite's `PRAGMA data_version` moves). Nothing has to know which write changes
which read.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ReadCache:
    """Reads of one connection, kept while no commit has happened since they were made."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.RLock()
        self._own_commits = 0
        self._stamp: tuple[int, int] | None = None
        self._values: dict[Hashable, Any] = {}

    def committed(self) -> None:
        """This connection committed a change: every kept read may be stale."""
        with self._lock:
            self._own_commits += 1

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The kept result of the read named `key`, or `read()` now (and kept)."""
        with self._lock:
            version = int(self._connection.execute("PRAGMA data_version").fetchone()[0])
            stamp = (version, self._own_commits)
            if stamp != self._stamp:
                self._values.clear()
                self._stamp = stamp
            if key in self._values:
                return self._values[key]  # type: ignore[no-any-return]
            value = read()
            self._values[key] = value
            return value
