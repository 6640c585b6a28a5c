"""Remembering that a database file was checked, so an unchanged file is not checked again.

`PRAGMA quick_check` reads and checks every page: about 80 ms for a year of history (100,000
answers), on every start. It guards against a file damaged while quiztui was not looking (a
half-finished copy or sync, a tool that wrote into it). So the check is skipped only when the
file (and its WAL) is exactly as quiztui left it at its last clean close, down to the change
time, which no tool can set back: anything else that touched it forces the check again. A
crash leaves the record stale, which also means a check. Damage that changes none of this
(a failing disk) is still caught by SQLite on the pages it reads.

The records live in the cache folder: losing them costs one check, nothing more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from quiztui import locations

RECORD_FORMAT = 1


def _record_path(database: Path) -> Path:
    name = str(database.resolve()).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(name, digest_size=16)
    return locations.cache_dir() / "verified" / f"{digest.hexdigest()}.json"


def fingerprint(database: Path) -> list[list[int] | None]:
    """What identifies the file's current bytes: size, times and inode of it and of its WAL."""
    found: list[list[int] | None] = []
    for path in (database, Path(f"{database}-wal")):
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is None or stat.st_size == 0:  # an empty WAL holds nothing: as good as none
            found.append(None)
        else:
            found.append([stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino])
    return found


def is_unchanged(database: Path) -> bool:
    """True when the file is exactly as it was when `remember` last ran for it."""
    try:
        record = json.loads(_record_path(database).read_text(encoding="utf-8"))
        return bool(
            record.get("format") == RECORD_FORMAT
            and record.get("path") == str(database.resolve())
            and record.get("fingerprint") == fingerprint(database)
        )
    except (OSError, ValueError, AttributeError):
        return False


def remember(database: Path) -> None:
    """Record the file as sound as it is now (after a check, or a clean close); never fails."""
    with contextlib.suppress(OSError, ValueError):
        target = _record_path(database)
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "format": RECORD_FORMAT,
            "path": str(database.resolve()),
            "fingerprint": fingerprint(database),
        }
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(record, stream)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def forget(database: Path) -> None:
    """Drop the record: the next open checks the file."""
    with contextlib.suppress(OSError):
        _record_path(database).unlink()
