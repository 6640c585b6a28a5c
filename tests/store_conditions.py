"""Putting a data folder in the states a learner's disk can be in: read-only, full, locked.

Root writes through file modes, so a read-only folder for root is a read-only tmpfs mount
(skipped where mounting is not allowed); for anyone else it is `chmod`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*argv: str) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, check=False).returncode == 0
    except OSError:
        return False


@contextmanager
def read_only_folder(folder: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """`folder`, filled by `fill(folder)`, then made read-only for this process."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        fill(folder)
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield folder
        finally:
            folder.chmod(stat.S_IRWXU)
        return
    if not _run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)):
        pytest.skip("root needs a read-only mount here, and mounting is not allowed")
    try:
        fill(folder)
        if not _run("mount", "-o", "remount,ro", str(folder)):
            pytest.skip("cannot remount a tmpfs read-only here")
        yield folder
    finally:
        _run("umount", str(folder))


def fill_disk(connection: sqlite3.Connection) -> None:
    """Let the database grow no further: SQLite then answers every growing write "disk full"."""
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.execute(f"PRAGMA max_page_count = {pages}")


def free_disk(connection: sqlite3.Connection) -> None:
    """Undo `fill_disk`."""
    connection.execute("PRAGMA max_page_count = 1073741823")


@contextmanager
def held_write_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """A second connection holding the database's write lock (BEGIN IMMEDIATE) until exit."""
    other = sqlite3.connect(database, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()
