"""Adopting an author's renames: progress kept under an old id is moved to the new one.

A deck lists the ids it, its parts and its items had before (`renamed_from`). When such a
deck is opened, the rows kept under an old id (answers, check attempts, step marks, item marks,
exams) are given the new id in one transaction, item states are replayed from the log, and
each move is kept in the `renames` table (old id, new id, how many rows, when), so it can be
traced and undone by hand. An old id with no rows costs one indexed look-up and changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from quiztui.days import to_utc_text
from quiztui.scheduling import SM2, Scheduler
from quiztui.store.marks import counted, reset_cuts
from quiztui.store.replay import replay
from quiztui.store.rows import REVIEW_COLUMNS, STATE_UPSERT, review_from_row, state_to_row


@dataclass(frozen=True, slots=True)
class Renames:
    """What a deck says it was called before: the deck, its parts and its items."""

    deck_id: str
    deck: Sequence[str] = ()
    """Old ids of the deck."""
    parts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """New part id -> its old ids."""
    items: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """New item id -> its old ids."""

    @property
    def empty(self) -> bool:
        """True when the deck renamed nothing."""
        return not (self.deck or self.parts or self.items)


@dataclass(frozen=True, slots=True)
class Adopted:
    """What adopting a deck's renames moved (all zero when there was nothing to move)."""

    deck_rows: int = 0
    """Rows that came from an old deck id."""
    parts: tuple[str, ...] = ()
    """Parts whose progress came from an old id."""
    items: tuple[str, ...] = ()
    """Items whose history came from an old id."""

    @property
    def changed(self) -> bool:
        """True when anything moved."""
        return bool(self.deck_rows or self.parts or self.items)


def adopt(
    db: sqlite3.Connection, renames: Renames, at: datetime, scheduler: Scheduler = SM2
) -> Adopted:
    """Move every row kept under an old id to its new id (inside the caller's transaction)."""
    stamp = to_utc_text(at)
    deck_id = renames.deck_id
    deck_rows = sum(_move_deck(db, old, deck_id, stamp) for old in renames.deck)
    parts = tuple(
        new for new, olds in renames.parts.items() if _move_part(db, deck_id, olds, new, stamp)
    )
    items = tuple(
        new for new, olds in renames.items.items() if _move_item(db, deck_id, olds, new, stamp)
    )
    adopted = Adopted(deck_rows, parts, items)
    if adopted.changed:
        _replay_deck(db, deck_id, scheduler)
    return adopted


def _note(
    db: sqlite3.Connection, deck_id: str, kind: str, old: str, new: str, rows: int, at: str
) -> None:
    db.execute(
        "INSERT INTO renames (deck_id, kind, old_id, new_id, rows, adopted_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (deck_id, kind, old, new, rows, at),
    )


def _move_deck(db: sqlite3.Connection, old: str, new: str, at: str) -> int:
    """Give every row of deck `old` the deck id `new`; returns how many rows moved."""
    moved = 0
    for table in ("reviews", "attempts", "item_marks", "exams"):
        moved += db.execute(
            f"UPDATE {table} SET deck_id = ? WHERE deck_id = ?", (new, old)
        ).rowcount
    moved += db.execute(
        "INSERT OR IGNORE INTO step_marks (deck_id, part_id, step, marked_at)"
        " SELECT ?, part_id, step, marked_at FROM step_marks WHERE deck_id = ?",
        (new, old),
    ).rowcount
    db.execute("DELETE FROM step_marks WHERE deck_id = ?", (old,))
    db.execute("DELETE FROM item_states WHERE deck_id = ?", (old,))
    if moved:
        _note(db, new, "deck", old, new, moved, at)
    return moved


def _move_part(db: sqlite3.Connection, deck_id: str, olds: Sequence[str], new: str, at: str) -> int:
    moved = 0
    for old in olds:
        rows = db.execute(
            "UPDATE attempts SET part_id = ? WHERE deck_id = ? AND part_id = ?", (new, deck_id, old)
        ).rowcount
        rows += db.execute(
            "INSERT OR IGNORE INTO step_marks (deck_id, part_id, step, marked_at)"
            " SELECT deck_id, ?, step, marked_at FROM step_marks WHERE deck_id = ? AND part_id = ?",
            (new, deck_id, old),
        ).rowcount
        db.execute("DELETE FROM step_marks WHERE deck_id = ? AND part_id = ?", (deck_id, old))
        if rows:
            _note(db, deck_id, "part", old, new, rows, at)
        moved += rows
    return moved


def _move_item(db: sqlite3.Connection, deck_id: str, olds: Sequence[str], new: str, at: str) -> int:
    moved = 0
    for old in olds:
        rows = db.execute(
            "UPDATE reviews SET item_id = ? WHERE deck_id = ? AND item_id = ?", (new, deck_id, old)
        ).rowcount
        rows += _rename_in_attempts(db, deck_id, old, new)
        rows += _rename_in_exams(db, deck_id, old, new)
        rows += db.execute(
            "UPDATE item_marks SET item_id = ? WHERE deck_id = ? AND item_id = ?",
            (new, deck_id, old),
        ).rowcount
        db.execute("DELETE FROM item_states WHERE deck_id = ? AND item_id = ?", (deck_id, old))
        if rows:
            _note(db, deck_id, "item", old, new, rows, at)
        moved += rows
    return moved


def _rename_in_attempts(db: sqlite3.Connection, deck_id: str, old: str, new: str) -> int:
    """Rename a question in the attempts that asked it (their question lists and choice orders)."""
    changed = 0
    rows = db.execute(
        "SELECT uid, question_ids, choice_orders FROM attempts WHERE deck_id = ?"
        " AND question_ids LIKE ?",
        (deck_id, f'%"{old}"%'),
    ).fetchall()
    for uid, question_ids, choice_orders in rows:
        ids = [new if qid == old else qid for qid in json.loads(question_ids)]
        orders = {
            new if qid == old else qid: order for qid, order in json.loads(choice_orders).items()
        }
        db.execute(
            "UPDATE attempts SET question_ids = ?, choice_orders = ? WHERE uid = ?",
            (json.dumps(ids), json.dumps(orders), uid),
        )
        changed += 1
    return changed


def _rename_in_exams(db: sqlite3.Connection, deck_id: str, old: str, new: str) -> int:
    """Rename a question in the exams that asked it (questions, choice orders, answers so far,
    flags and times)."""
    changed = 0
    rows = db.execute(
        "SELECT uid, question_ids, choice_orders, answers, flags, seconds FROM exams"
        " WHERE deck_id = ? AND question_ids LIKE ?",
        (deck_id, f'%"{old}"%'),
    ).fetchall()
    for uid, *columns in rows:
        ids, orders, answers, flags, seconds = (json.loads(column) for column in columns)
        db.execute(
            "UPDATE exams SET question_ids = ?, choice_orders = ?, answers = ?, flags = ?,"
            " seconds = ? WHERE uid = ?",
            (
                json.dumps([new if qid == old else qid for qid in ids]),
                *(
                    json.dumps({new if qid == old else qid: v for qid, v in mapping.items()})
                    for mapping in (orders, answers)
                ),
                json.dumps([new if qid == old else qid for qid in flags]),
                json.dumps({new if qid == old else qid: v for qid, v in seconds.items()}),
                uid,
            ),
        )
        changed += 1
    return changed


def _replay_deck(db: sqlite3.Connection, deck_id: str, scheduler: Scheduler) -> None:
    """Replace a deck's item states with the replay of its log (ids have moved)."""
    rows = db.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE deck_id = ? ORDER BY id", (deck_id,)
    ).fetchall()
    records = counted((review_from_row(row) for row in rows), reset_cuts(db, deck_id))
    states = replay(records, scheduler)
    db.execute("DELETE FROM item_states WHERE deck_id = ?", (deck_id,))
    db.executemany(STATE_UPSERT, [state_to_row(state) for state in states.values()])
