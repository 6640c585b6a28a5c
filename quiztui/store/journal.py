"""The pending journal: writes the database could not take yet, kept on disk until it can.

When the database is locked for long, the disk is full or the file is read-only, each waiting
write is appended as one JSON line to `progress.pending.jsonl` beside the database, and
fsynced before the answer is acknowledged, so closing the app (or a crash) loses nothing: the
next start applies the journal before anything else. Where that file cannot be written (the
disk that is full holds it too), the next place on the list is tried: the cache folder, then
a private folder in the system's temporary folder. Only when none can be written is a write
held in memory alone, and the app says so before it lets the learner quit.

Lines are self-contained: a torn last line (a crash mid-append) is skipped, copies of a write
in two files are one write (by id), and the order is each write's sequence number.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quiztui.store.writes import WRITE_KINDS, Write

JOURNAL_FORMAT = 1


def _ensure_folder(folder: Path, *, private: bool) -> None:
    """Create `folder` if needed; a `private` one must be this user's own (not a symlink)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not private:
        return
    info = os.lstat(folder)
    if os.path.islink(folder) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise PermissionError(f"{folder} is not a folder of this user's")


def _append(path: Path, lines: Sequence[bytes], *, private: bool) -> None:
    """Append the lines to `path` and fsync; a failed append is cut back off (OSError raised)."""
    _ensure_folder(path.parent, private=private)
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(descriptor).st_size
        try:
            for line in lines:
                view = memoryview(line)
                while view:
                    written = os.write(descriptor, view)
                    view = view[written:]
            os.fsync(descriptor)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, size)
                if created:
                    path.unlink()
            raise
    finally:
        os.close(descriptor)
    if created:
        with contextlib.suppress(OSError):
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)


class Journal:
    """The pending journal of one database, across the places it may be kept."""

    def __init__(self, database: Path, paths: Sequence[Path], private: Sequence[Path] = ()) -> None:
        """`paths`: where to keep it, best first (see `locations.pending_journal_paths`);
        `private`: those whose folder must be this user's own (one in a shared temp folder)."""
        self.database = str(database.resolve())
        """The database the writes belong to (a journal line names it)."""
        self.paths = tuple(paths)
        self._private = frozenset(private)
        self._current = 0

    def _line(self, sequence: int, write: Write) -> bytes:
        entry = {
            "format": JOURNAL_FORMAT,
            "database": self.database,
            "seq": sequence,
            "id": write.id,
            "kind": write.kind,
            "data": write.data,
        }
        return (json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")

    def append(self, writes: Sequence[tuple[int, Write]]) -> Path | None:
        """Append the (sequence number, write) pairs, fsynced; the file written, or None.

        The first place that takes them all is kept as the current one; None means no place
        could be written, and the writes are in memory only.
        """
        lines = [self._line(sequence, write) for sequence, write in writes]
        for index in range(len(self.paths)):
            place = (self._current + index) % len(self.paths)
            try:
                path = self.paths[place]
                _append(path, lines, private=path in self._private)
            except OSError:
                continue
            self._current = place
            return self.paths[place]
        return None

    def load(self) -> list[tuple[int, Write]]:
        """Every write kept in any of the places, once each, in sequence order."""
        found: dict[str, tuple[int, Write]] = {}
        for index, path in enumerate(self.paths):
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                # The file beside the database belongs to it wherever the folder was moved;
                # the others are shared places, where a line must name the database.
                entry = self._entry(line, any_database=index == 0)
                if entry is not None:
                    found.setdefault(entry[1].id, entry)
        return sorted(found.values(), key=lambda pair: pair[0])

    def _entry(self, line: str, *, any_database: bool) -> tuple[int, Write] | None:
        """One journal line as (sequence, write), or None for a torn or foreign line."""
        try:
            entry: Any = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not (
            isinstance(entry, dict)
            and entry.get("format") == JOURNAL_FORMAT
            and (any_database or entry.get("database") == self.database)
            and entry.get("kind") in WRITE_KINDS
            and isinstance(entry.get("seq"), int)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("data"), dict)
        ):
            return None
        write = Write(entry["kind"], entry["data"], entry["id"])
        try:
            write.check()
        except ValueError:
            return None
        return entry["seq"], write

    def existing(self) -> list[Path]:
        """The places that hold a journal file now."""
        return [path for path in self.paths if path.exists()]

    def clear(self) -> None:
        """Remove every journal file: everything in them is in the database now."""
        for path in self.paths:
            with contextlib.suppress(OSError):
                path.unlink()
        self._current = 0
