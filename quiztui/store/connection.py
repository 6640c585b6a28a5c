"""Opening the progress database: check it, configure it, migrate it, and say clearly why not.

Opening checks the file (`PRAGMA quick_check`, skipped when the file is exactly as quiztui last
closed it: see `quiztui.store.verified`), refuses one from a newer quiztui or another program
without touching it, and backs up an existing database before migrating it. WAL mode,
`synchronous=FULL` and a busy timeout let two quiztui processes write one file safely.

Nothing unusual is taken as new: an empty (0-byte) file is kept aside under a name that says
so, and the learner is told. Advice names only what exists (a backup is offered only when
there is one) and says what is really wrong (a read-only folder is not a damaged file).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from quiztui.store import schema, verified
from quiztui.store.records import StoreError

BUSY_TIMEOUT_SECONDS = 5.0
"""How long to wait for another quiztui's write to finish before saying the file is locked."""


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_FULL, _SQLITE_CANTOPEN = 13, 14


def _primary_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code for the error (its extended code's low byte), if known."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_locked(error: sqlite3.Error) -> bool:
    """Whether SQLite's error means another connection holds the lock."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


READ_ONLY = "the progress file is read-only"
"""`write_blocker`'s reason for a file this process may not write."""


def write_blocker(error: sqlite3.Error) -> str | None:
    """Why the database cannot take a write right now, in a few words; None for other errors.

    These are the conditions that pass (another program's lock, a full disk, a file made
    read-only, a failing disk or folder): a write they stop waits and is tried again.
    """
    code = _primary_code(error)
    text = str(error).lower()
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return "the progress file is locked by another program"
    if code == _SQLITE_FULL or "full" in text:
        return "disk full"
    if code == _SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return READ_ONLY
    if code == _SQLITE_IOERR or "disk i/o" in text:
        return "a disk error"
    if code == _SQLITE_CANTOPEN or "unable to open" in text:
        return "the progress file cannot be opened"
    return None


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


def latest_backup(path: Path, backups_dir: Path) -> Path | None:
    """The newest backup `backup_database` made of `path` in `backups_dir`, if there is one."""
    try:
        found = sorted(backups_dir.glob(f"{path.stem}-*{path.suffix}"))
    except OSError:
        return None
    return found[-1] if found else None


def _restore_advice(path: Path, backups_dir: Path) -> str:
    """What a learner can do about an unusable file, naming a backup only if one exists."""
    latest = latest_backup(path, backups_dir)
    if latest is not None:
        return (
            f"Copy the latest backup, {latest}, over it, or move the file aside to start with"
            " empty progress (keep it: it may still be recoverable)."
        )
    return (
        f"There is no backup of it (none in {backups_dir}): move the file aside to start with"
        " empty progress, and keep it, it may still be recoverable."
    )


LOW_SPACE_BYTES = 256 * 1024
"""Below this much free space, a disk error is taken to be a full disk."""


def _disk_error(path: Path, error: sqlite3.Error) -> StoreError:
    """The message for a file that cannot be read because of its disk, not its contents."""
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    if free is not None and free < LOW_SPACE_BYTES:
        cause = f"the disk it is on is full ({free // 1024} KB free): free some space"
    else:
        cause = "the disk reported an error: check the disk"
    return StoreError(
        f"{path}: cannot be opened now ({error}); {cause}, then start quiztui again. Nothing"
        " was changed, and the file itself is not known to be damaged."
    )


def _read_only_folder_error(path: Path) -> StoreError:
    """The message for a data folder quiztui cannot write in."""
    folder = path.parent
    if path.exists():
        what = (
            f"so quiztui cannot use {path.name} in it (every answer is written there, and"
            " SQLite keeps small files beside it)"
        )
        elsewhere = f"copy {path.name} to a folder you can write and choose that"
    else:
        what = "so quiztui cannot create its progress database there"
        elsewhere = "choose another"
    return StoreError(
        f"{folder}: is read-only, {what}. Nothing was changed. Make the folder writable"
        f" (chmod u+w {folder}), or {elsewhere} with --data-dir DIR."
    )


def set_aside_empty(path: Path) -> Path:
    """Move an empty database file (and any WAL files beside it) to `<name>.empty-<UTC time>`.

    Returns the new path. An empty file holds no progress, but it was not quiztui's to reset
    silently: it may be the trace of a failed copy or sync the learner wants to know about.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.empty-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.empty-{stamp}-{counter}")
    try:
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                os.replace(companion, f"{target}{suffix}")
        os.replace(path, target)
    except OSError as error:
        raise StoreError(
            f"{path}: is an empty file (0 bytes), not a progress database, and could not be"
            f" moved aside ({error.strerror}); move it aside yourself, then start again"
        ) from None
    return target


def open_database(
    path: Path,
    backups_dir: Path,
    *,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    notices: list[str] | None = None,
) -> sqlite3.Connection:
    """A checked, configured, up-to-date connection to the database at `path` (created if new).

    Raises StoreError, naming the file and what to do, when it is locked, unreadable, damaged,
    not a quiztui database, or from a newer quiztui; such a file is left untouched. What the
    learner should know although opening worked (an empty file kept aside) is added to
    `notices`. `busy_timeout`: how long a write waits for another's lock.
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
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise _read_only_folder_error(path)
    if path.is_file() and path.stat().st_size == 0:
        kept = set_aside_empty(path)
        latest = latest_backup(path, backups_dir)
        restore = (
            f" If you expected progress here, copy the latest backup, {latest}, over it."
            if latest is not None
            else ""
        )
        (notices if notices is not None else []).append(
            f"{path}: was an empty file (0 bytes), not a progress database. It was kept as"
            f" {kept.name} beside it, and quiztui started a new, empty progress database.{restore}"
        )
    trusted = verified.is_unchanged(path)  # before connecting, which may create a WAL
    try:
        connection = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
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
        if _primary_code(error) in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            raise StoreError(
                f"{path}: cannot be read ({error}). Nothing was changed. Check that you can"
                f" read it and write in its folder, {path.parent}."
            ) from None
        if _primary_code(error) in (_SQLITE_IOERR, _SQLITE_FULL):
            raise _disk_error(path, error) from None
        raise StoreError(
            f"{path}: is not a readable quiztui progress database ({error}). Nothing was"
            f" changed. {_restore_advice(path, backups_dir)}"
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
            f"{path}: is damaged ({detail}). Nothing was changed."
            f" {_restore_advice(path, backups_dir)}"
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
        latest = latest_backup(path, backups_dir)
        backup = "" if latest is None else f" The latest backup is {latest}."
        raise StoreError(
            f"{path}: cannot be prepared for use ({error}); check that you can write to it"
            f" and its folder. Nothing was reset.{backup}"
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
