"""Moving a learner's whole history as JSON: export, and an idempotent merging import.

Every log row and attempt carries a uid, so an import adds only what the store lacks and
importing the same file twice adds nothing the second time. Item states are not exported: the
import recomputes them by replaying the merged log, which is the truth. What an import may
contain is checked first, in `quiztui.store.import_check`.

Format 2 adds the log of item marks (suspend, bury, flag, leech, reset) and the mock exams;
a format 1 file (which has neither) still imports.
"""

from __future__ import annotations

import heapq
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quiztui import __version__
from quiztui.days import to_utc_text
from quiztui.scheduling import Scheduler
from quiztui.store.import_check import (
    FORMAT_NAME,
    FORMAT_VERSION,
    CheckedImport,
    ProgressFileError,
)
from quiztui.store.records import ImportResult, ReviewRecord
from quiztui.store.rows import (
    ATTEMPT_COLUMNS,
    EXAM_COLUMNS,
    MARK_COLUMNS,
    REVIEW_COLUMNS,
    review_from_row,
    review_to_row,
)


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
    marks = [
        {
            "uid": row[1],
            "batch": row[2],
            "deck_id": row[3],
            "item_id": row[4],
            "mark": row[5],
            "value": bool(row[6]),
            "day": row[7],
            "after_uid": row[8],
            "marked_at": row[9],
            "undone_at": row[10],
        }
        for row in read(f"SELECT {MARK_COLUMNS} FROM item_marks ORDER BY id")
    ]
    exams = [
        {
            "uid": row[0],
            "deck_id": row[1],
            "question_ids": json.loads(row[2]),
            "choice_orders": json.loads(row[3]),
            "part_ids": json.loads(row[4]),
            "tags": json.loads(row[5]),
            "time_limit": row[6],
            "answers": json.loads(row[7]),
            "flags": json.loads(row[8]),
            "seconds": json.loads(row[9]),
            "elapsed": row[10],
            "position": row[11],
            "started_at": row[12],
            "finished_at": row[13],
            "abandoned_at": row[14],
            "timed_out": bool(row[15]),
        }
        for row in read(f"SELECT {EXAM_COLUMNS} FROM exams ORDER BY started_at, uid")
    ]
    data = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": to_utc_text(datetime.now(UTC)),
        "quiztui_version": __version__,
        "reviews": reviews,
        "attempts": attempts,
        "steps": steps,
        "marks": marks,
        "exams": exams,
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


# ---------------------------------------------------------------------- import


def import_data(
    db: sqlite3.Connection, checked: CheckedImport, scheduler: Scheduler
) -> ImportResult:
    """Merge checked entries into the store inside the caller's transaction, then replay states
    through `scheduler` (the store's).

    New log rows are merged into the log in time order (the existing rows keep their order), so
    histories from two machines interleave as they happened. The entries were checked before
    (`check_import`), outside the transaction, so the lock is held for the merge alone.
    """
    from quiztui.store.writes import recompute_all

    reviews, attempts, steps = checked.reviews, checked.attempts, checked.steps

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
    marks_added, marks_changed = _import_marks(db, list(checked.marks))
    exams_added = _import_exams(db, list(checked.exams))
    result = ImportResult(
        len(new_rows), updated, attempts_added, steps_added, marks_added, exams_added
    )
    if result.reviews_added or result.reviews_updated or marks_changed:
        recompute_all(db, scheduler)
    return result


def _import_marks(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> tuple[int, bool]:
    """Add the mark events the store lacks, and undos of ones it has; returns how many were
    added and whether a reset changed (so states must be replayed)."""
    added, resets = 0, False
    columns = MARK_COLUMNS.removeprefix("id, ")
    for row in rows:
        cursor = db.execute(
            f"INSERT OR IGNORE INTO item_marks ({columns}) VALUES ({', '.join('?' * 10)})", row
        )
        if cursor.rowcount:
            added += 1
            resets = resets or row[4] == "reset"
        elif row[9] is not None:
            cursor = db.execute(
                "UPDATE item_marks SET undone_at = ? WHERE uid = ? AND undone_at IS NULL",
                (row[9], row[0]),
            )
            resets = resets or (bool(cursor.rowcount) and row[4] == "reset")
    return added, resets


def _import_exams(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> int:
    """Add the exams the store lacks; one it has takes the other copy's end if it had none."""
    added = 0
    marks = ", ".join("?" * len(EXAM_COLUMNS.split(", ")))
    for row in rows:
        cursor = db.execute(f"INSERT OR IGNORE INTO exams ({EXAM_COLUMNS}) VALUES ({marks})", row)
        if cursor.rowcount:
            added += 1
        else:
            db.execute(
                "UPDATE exams SET finished_at = coalesce(finished_at, ?),"
                " abandoned_at = coalesce(abandoned_at, ?) WHERE uid = ?",
                (row[13], row[14], row[0]),
            )
    return added


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
    except RecursionError:
        raise ProgressFileError(
            f"{path}: is nested too deeply to be a progress file; nothing was imported"
        ) from None
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise ProgressFileError(
            f"{path}: holds a value no progress file has ({error}); nothing was imported"
        ) from None
