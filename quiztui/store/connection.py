"""Opening the progress database: check it, configure it, migrate it, and say clearly why not.

Opening checks the file (`PRAGMA quick_check`, skipped when the file is exactly as quiztui last
closed it: see `quiztui.store.verified`), refuses one from a newer quiztui or another program
without touching it, and backs up an existing database before migrating it. WAL mode,
`synchronous=FULL` and a busy timeout let two quiztui processes write one file safely.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from quiztui.store import schema, verified
from quiztui.store.records import StoreError

BUSY_TIMEOUT_SECONDS = 5.0
"""How long to wait for another quiztui's write to finish before saying the file is locked."""


def is_locked(error: sqlite3.Error) -> bool:
    """Whether SQLite's error means another connection holds the lock."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


def locked_error(path: Path) -> StoreError:
    """The message for a database another program keeps locked."""
    return StoreError(
        f"{path}: is locked by another program (another quiztui, or a backup tool) and stayed"
        f" locked for {BUSY_TIMEOUT_SECONDS:g} seconds. Close the other program and try again;"
        " nothing was lost."
    )


def quick_check(connection: sqlite3.Connection) -> list[tuple[str]]:
    """SQLite's quick check of every page: [("ok",)] when the file is sound."""
    try:
        return [(str(row[0]),) for row in connection.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        return [(str(error),)]


def open_database(path: Path, backups_dir: Path) -> sqlite3.Connection:
    """A checked, configured, up-to-date connection to the database at `path` (created if new).

    Raises StoreError, naming the file and what to do, when it is locked, unreadable, damaged,
    not a quiztui database, or from a newer quiztui; such a file is left untouched.
    """
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
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StoreError(
            f"{path}: cannot be opened ({error}); check that you can read and write it"
        ) from None
    try:
        _prepare(connection, path, backups_dir, trusted=trusted)
    except BaseException:
        connection.close()
        raise
    return connection


def _prepare(
    connection: sqlite3.Connection, path: Path, backups_dir: Path, *, trusted: bool
) -> None:
    """Check, configure and migrate a freshly opened connection (read-only checks first).

    `trusted`: the file is exactly as quiztui last closed it, so the page check is skipped.
    """
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as error:
        if is_locked(error):
            raise locked_error(path) from None
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
        if check and is_locked(sqlite3.Error(check[0][0])):
            raise locked_error(path)
        detail = "; ".join(row[0] for row in check[:3])
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
        _migrate(connection, path, backups_dir, version, has_data=bool(tables))
    except sqlite3.Error as error:
        if is_locked(error):
            raise locked_error(path) from None
        raise StoreError(
            f"{path}: cannot be prepared for use ({error}); check that you can write to it"
            f" and its folder. Nothing was reset; backups are in {backups_dir}."
        ) from None


def _migrate(
    connection: sqlite3.Connection, path: Path, backups_dir: Path, version: int, *, has_data: bool
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
            now = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if now >= target:
                connection.execute("COMMIT")
                continue
            migration(connection)
            connection.execute(f"PRAGMA user_version = {int(target)}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def backup_database(
    connection: sqlite3.Connection, path: Path, backups_dir: Path, version: int
) -> Path:
    """Copy a database with SQLite's backup API to `<backups_dir>/<name>-<UTC time>-v<version>`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
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
