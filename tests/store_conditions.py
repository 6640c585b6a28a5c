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
from contextlib import contextmanager, suppress
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


class ReadOnlyFile:
    """A file made read-only for this process until `release()` (chmod, or for root a
    read-only bind mount of the file alone, so its folder stays writable)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mounted = False
        if os.geteuid() != 0:
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            return
        if not _run("mount", "--bind", str(path), str(path)):
            pytest.skip("root needs a read-only bind mount here, and mounting is not allowed")
        self._mounted = True
        if not _run("mount", "-o", "remount,ro,bind", str(path)):
            self.release()
            pytest.skip("cannot remount a bind mount read-only here")

    def release(self) -> None:
        """Make the file writable again."""
        if self._mounted:
            self._mounted = not _run("umount", "-l", str(self.path))
        else:
            self.path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@contextmanager
def read_only_file(path: Path) -> Iterator[ReadOnlyFile]:
    """`path` read-only for this process inside the block (released on the way out)."""
    handle = ReadOnlyFile(path)
    try:
        yield handle
    finally:
        handle.release()


@contextmanager
def tiny_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """`folder` as a tmpfs of `size` (root only, where mounting is allowed; else skipped)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)
    ):
        pytest.skip("a tiny disk needs root and a tmpfs mount")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def fill_file_system(folder: Path) -> Path:
    """Write a file in `folder` until its file system is full; returns it (delete to free)."""
    filler = folder / "filler.bin"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with suppress(OSError):
            while True:
                os.write(descriptor, b"\0" * 4096)
    finally:
        os.close(descriptor)
    return filler


def fill_disk(connection: sqlite3.Connection) -> None:
    """Let the database grow no further, and use up its free pages: from then on SQLite answers
    "database or disk is full" as soon as a write needs a new page (a few rows still fit in
    the pages a table has)."""
    connection.execute("CREATE TABLE IF NOT EXISTS test_filler (b BLOB)")
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.execute(f"PRAGMA max_page_count = {pages}")
    with suppress(sqlite3.OperationalError):
        while True:
            connection.execute("INSERT INTO test_filler VALUES (zeroblob(512))")


def free_disk(connection: sqlite3.Connection) -> None:
    """Undo `fill_disk`: the database may grow again."""
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
