"""Moving a learner's whole history as JSON: export, and an idempotent merging import.

Every log row and attempt carries a uid, so an import adds only what the store lacks and
importing the same file twice adds nothing the second time. Item states are not exported: the
import recomputes them by replaying the merged log, which is the truth.
"""

from __future__ import annotations

import heapq
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

from quiztui import __version__
from quiztui.days import from_utc_text, to_utc_text
from quiztui.errors import QuiztuiError
from quiztui.scheduling import Scheduler
from quiztui.store.records import MODES, STEPS, ImportResult, ReviewRecord
from quiztui.store.rows import ATTEMPT_COLUMNS, REVIEW_COLUMNS, review_from_row, review_to_row

FORMAT_NAME = "quiztui-progress"
FORMAT_VERSION = 1


class ProgressFileError(QuiztuiError):
    """A progress file cannot be imported: the message names the file, the entry and the fix."""


def _review_json(record: ReviewRecord) -> dict[str, Any]:
    return {
        "uid": record.uid,
        "deck_id": record.deck_id,
        "item_id": record.item_id,
        "kind": record.kind,
        "mode": record.mode,
        "grade": record.grade,
        "answered_grade": record.answered_grade,
        "picked": list(record.picked),
        "correct": record.correct,
        "seconds": record.seconds,
        "reviewed_at": to_utc_text(record.reviewed_at),
        "learning_day": record.learning_day.isoformat(),
        "answer_key": record.answer_key,
        "attempt_uid": record.attempt_uid,
        "amended_at": None if record.amended_at is None else to_utc_text(record.amended_at),
        "undone_at": None if record.undone_at is None else to_utc_text(record.undone_at),
    }


def with_learner(data: dict[str, Any], learner: str) -> dict[str, Any]:
    """The export with a top-level "learner" name, after the format fields: the name a class
    report (`quiztui class report`) shows for this file. Import ignores it."""
    head: dict[str, Any] = {k: data[k] for k in ("format", "format_version") if k in data}
    return {**head, "learner": learner, **{k: v for k, v in data.items() if k not in head}}


def export_data(read: Callable[[str], list[Any]], *, learner: str | None = None) -> dict[str, Any]:
    """The whole history as JSON-ready data, read through the store's `read` function.

    `learner`, when given, names the learner in the file (see `with_learner`).
    """
    reviews = [
        _review_json(review_from_row(row))
        for row in read(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
    ]
    attempts = [
        {
            "uid": row[0],
            "deck_id": row[1],
            "part_id": row[2],
            "check": row[3],
            "question_ids": json.loads(row[4]),
            "choice_orders": json.loads(row[5]),
            "started_at": row[6],
            "finished_at": row[7],
            "abandoned_at": row[8],
        }
        for row in read(f"SELECT {ATTEMPT_COLUMNS} FROM attempts ORDER BY started_at, uid")
    ]
    steps = [
        {"deck_id": row[0], "part_id": row[1], "step": row[2], "marked_at": row[3]}
        for row in read(
            "SELECT deck_id, part_id, step, marked_at FROM step_marks"
            " ORDER BY deck_id, part_id, step"
        )
    ]
    data = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": to_utc_text(datetime.now(UTC)),
        "quiztui_version": __version__,
        "reviews": reviews,
        "attempts": attempts,
        "steps": steps,
    }
    return data if learner is None else with_learner(data, learner)


def write_json_atomically(data: Any, path: Path) -> None:
    """Write JSON to `path` through a temporary file and `os.replace`: all or nothing."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, ensure_ascii=False)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------- validation


class _Checker:
    """Reads one entry of the file, raising ProgressFileError that says where and what."""

    def __init__(self, source: str, where: str, entry: Any) -> None:
        self.source, self.where = source, where
        if not isinstance(entry, dict):
            self.fail("is not an object")
        self.entry: dict[str, Any] = entry

    def fail(self, problem: str) -> NoReturn:
        raise ProgressFileError(
            f"{self.source}: {self.where} {problem}; this is not a file `quiztui progress"
            " export` wrote, or it was edited. Nothing was imported."
        )

    def text(self, key: str, *, optional: bool = False) -> Any:
        value = self.entry.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not (value or key == "answer_key"):
            self.fail(f"has no valid {key!r}")
        return value

    def instant(self, key: str, *, optional: bool = False) -> str | None:
        value = self.text(key, optional=optional)
        if value is None:
            return None
        try:
            return to_utc_text(from_utc_text(value))
        except ValueError:
            self.fail(f"has a {key!r} that is not a date and time: {value!r}")
        return None

    def day(self, key: str) -> str:
        value = self.text(key)
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(f"has a {key!r} that is not a date: {value!r}")
        return ""

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"has no valid {key!r} (a whole number from {low} to {high})")
        return int(value)

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.entry.get(key)
        if value not in allowed:
            self.fail(f"has {key!r} = {value!r}, not one of {', '.join(allowed)}")
        return str(value)

    def strings(self, key: str) -> list[str]:
        value = self.entry.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"has no valid {key!r} (a list of ids)")
        return list(value)


def _review_row(source: str, index: int, entry: Any) -> tuple[Any, ...]:
    c = _Checker(source, f"review #{index + 1}", entry)
    correct = c.entry.get("correct")
    if correct is not None and not isinstance(correct, bool):
        c.fail("has a 'correct' that is not true, false or null")
    seconds = c.entry.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        c.fail("has no valid 'seconds'")
    return (
        c.text("uid"),
        c.text("deck_id"),
        c.text("item_id"),
        c.choice("kind", ("question", "key_point")),
        c.choice("mode", MODES),
        c.integer("grade", 0, 5),
        c.integer("answered_grade", 0, 5),
        json.dumps(sorted(c.strings("picked"))),
        None if correct is None else int(correct),
        float(seconds),
        c.instant("reviewed_at"),
        c.day("learning_day"),
        c.text("answer_key"),
        c.text("attempt_uid", optional=True),
        c.instant("amended_at", optional=True),
        c.instant("undone_at", optional=True),
    )


def _attempt_row(source: str, index: int, entry: Any) -> tuple[Any, ...]:
    c = _Checker(source, f"attempt #{index + 1}", entry)
    orders = c.entry.get("choice_orders")
    if not isinstance(orders, dict) or not all(
        isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in orders.values()
    ):
        c.fail("has no valid 'choice_orders'")
    return (
        c.text("uid"),
        c.text("deck_id"),
        c.text("part_id"),
        c.choice("check", ("pre", "post")),
        json.dumps(c.strings("question_ids")),
        json.dumps(orders),
        c.instant("started_at"),
        c.instant("finished_at", optional=True),
        c.instant("abandoned_at", optional=True),
    )


def _step_row(source: str, index: int, entry: Any) -> tuple[Any, ...]:
    c = _Checker(source, f"step #{index + 1}", entry)
    return (
        c.text("deck_id"),
        c.text("part_id"),
        c.choice("step", STEPS),
        c.instant("marked_at"),
    )


def _entries(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProgressFileError(f"{source}: {key!r} is not a list; nothing was imported")
    return value


# ---------------------------------------------------------------------- import


def import_data(
    db: sqlite3.Connection, data: Any, source: str, scheduler: Scheduler
) -> ImportResult:
    """Merge exported data into the store inside the caller's transaction, then replay states
    through `scheduler` (the store's).

    New log rows are merged into the log in time order (the existing rows keep their order), so
    histories from two machines interleave as they happened.
    """
    from quiztui.store.store import recompute_all

    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ProgressFileError(
            f'{source}: is not a quiztui progress file (no "format": "{FORMAT_NAME}");'
            " nothing was imported"
        )
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ProgressFileError(
            f"{source}: uses progress file format {version!r}; this quiztui reads up to"
            f" {FORMAT_VERSION}. Upgrade quiztui to import it; nothing was imported."
        )
    reviews = [_review_row(source, i, e) for i, e in enumerate(_entries(data, "reviews", source))]
    attempts = [
        _attempt_row(source, i, e) for i, e in enumerate(_entries(data, "attempts", source))
    ]
    steps = [_step_row(source, i, e) for i, e in enumerate(_entries(data, "steps", source))]

    columns = REVIEW_COLUMNS.removeprefix("id, ")
    existing = {
        row[1]: review_from_row(row)
        for row in db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
    }
    new_rows: list[tuple[Any, ...]] = []
    updated = 0
    seen: set[str] = set()
    for row in reviews:
        uid = row[0]
        if uid in seen:
            continue
        seen.add(uid)
        local = existing.get(uid)
        if local is None:
            new_rows.append(row)
            continue
        updated += _merge_existing(db, local, row)

    if new_rows:
        latest_local = max((to_utc_text(r.reviewed_at) for r in existing.values()), default="")
        if all(row[10] >= latest_local for row in new_rows):
            in_time_order = sorted(new_rows, key=_reviewed_at)
            db.executemany(
                f"INSERT INTO reviews ({columns}) VALUES ({', '.join('?' * 16)})", in_time_order
            )
        else:
            _rewrite_log_merged(db, columns, new_rows)

    attempts_added = 0
    for row in attempts:
        cursor = db.execute(
            "INSERT OR IGNORE INTO attempts (uid, deck_id, part_id, check_name, question_ids,"
            " choice_orders, started_at, finished_at, abandoned_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        if cursor.rowcount:
            attempts_added += 1
        else:
            db.execute(
                "UPDATE attempts SET finished_at = coalesce(finished_at, ?),"
                " abandoned_at = coalesce(abandoned_at, ?) WHERE uid = ?",
                (row[7], row[8], row[0]),
            )
    steps_added = 0
    for row in steps:
        cursor = db.execute(
            "INSERT OR IGNORE INTO step_marks (deck_id, part_id, step, marked_at)"
            " VALUES (?, ?, ?, ?)",
            row,
        )
        steps_added += cursor.rowcount
    result = ImportResult(len(new_rows), updated, attempts_added, steps_added)
    if result.reviews_added or result.reviews_updated:
        recompute_all(db, scheduler)
    return result


def _reviewed_at(row: tuple[Any, ...]) -> str:
    """A `reviews` row's time, the key the log is merged in."""
    return str(row[10])


def _merge_existing(db: sqlite3.Connection, local: ReviewRecord, row: tuple[Any, ...]) -> int:
    """Bring an undo or a later confidence change from an imported copy of a local row."""
    changed = 0
    undone_at = row[15]
    if undone_at is not None and local.undone_at is None:
        db.execute("UPDATE reviews SET undone_at = ? WHERE uid = ?", (undone_at, local.uid))
        changed = 1
    amended_at, grade = row[14], row[5]
    local_amended = None if local.amended_at is None else to_utc_text(local.amended_at)
    if amended_at is not None and (local_amended is None or amended_at > local_amended):
        db.execute(
            "UPDATE reviews SET grade = ?, amended_at = ? WHERE uid = ?",
            (grade, amended_at, local.uid),
        )
        changed = 1
    return changed


def _rewrite_log_merged(
    db: sqlite3.Connection, columns: str, new_rows: list[tuple[Any, ...]]
) -> None:
    """Renumber the log so imported rows sit among the local ones in time order.

    Each side keeps its own order (a merge, not a sort), so the local replay order, and with it
    every local state, only changes where imported answers really came in between.
    """
    local_rows = [
        review_to_row(review_from_row(row))
        for row in db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id")
    ]
    imported = sorted(new_rows, key=lambda row: row[10])
    merged = list(heapq.merge(local_rows, imported, key=lambda row: row[10]))
    db.execute("DELETE FROM reviews")
    db.executemany(
        f"INSERT INTO reviews (id, {columns}) VALUES ({', '.join('?' * 17)})",
        [(index, *row) for index, row in enumerate(merged, start=1)],
    )


def read_progress_file(path: Path) -> Any:
    """The JSON in a progress file (ProgressFileError naming the file and line if unreadable)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgressFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProgressFileError(f"{path}: cannot be read ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ProgressFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); nothing was"
            " imported"
        ) from None
