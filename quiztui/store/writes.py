"""Every change the study sessions make to the store, as a value and as the SQL that applies it.

A `Write` is what a learner did (an answer, an undo, a confidence change, a check attempt begun
or finished, a step reached), JSON-ready, so that one the database cannot take right now can wait
in memory and in the pending journal and be applied later, in order. `apply` is the only code
that turns a Write into SQL, on the direct path and on the delayed one alike, and applying a
Write twice changes nothing the second time (so a journal replayed after a crash between the
commit and the journal's removal does no harm).
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from quiztui.scheduling import Scheduler
from quiztui.store.marks import counted, reset_cuts
from quiztui.store.records import Attempt, ReviewRecord, Step, StoredState
from quiztui.store.replay import advance, replay, schedules
from quiztui.store.rows import (
    ATTEMPT_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_INSERT,
    STATE_COLUMNS,
    STATE_UPSERT,
    attempt_from_row,
    attempt_to_row,
    review_from_row,
    review_to_row,
    state_from_row,
    state_to_row,
)

WriteKind = Literal["review", "undo", "amend", "start_attempt", "finish_attempt", "mark_step"]

WRITE_KINDS: tuple[WriteKind, ...] = (
    "review",
    "undo",
    "amend",
    "start_attempt",
    "finish_attempt",
    "mark_step",
)


@dataclass(frozen=True, slots=True)
class Write:
    """One change to the store, as JSON-ready data."""

    kind: WriteKind
    data: dict[str, Any]
    """What `apply` needs: a log or attempt row as a list, or uid, grade and time."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Unique, so copies of it in two journal files are one write."""

    @staticmethod
    def review(record: ReviewRecord) -> Write:
        """Log an answer (and update the item's state when its mode schedules)."""
        return Write("review", {"row": list(review_to_row(record))})

    @staticmethod
    def undo(uid: str, stamp: str) -> Write:
        """Mark an answer undone at `stamp` (UTC text) and restore its item's state."""
        return Write("undo", {"uid": uid, "at": stamp})

    @staticmethod
    def amend(uid: str, grade: int, stamp: str) -> Write:
        """Change an answer's grade (a confidence change) at `stamp`."""
        return Write("amend", {"uid": uid, "grade": grade, "at": stamp})

    @staticmethod
    def start_attempt(attempt: Attempt) -> Write:
        """Begin a check attempt, setting aside any unfinished one of that check."""
        return Write("start_attempt", {"row": list(attempt_to_row(attempt))})

    @staticmethod
    def finish_attempt(uid: str, stamp: str) -> Write:
        """Mark an attempt complete (the first time counts)."""
        return Write("finish_attempt", {"uid": uid, "at": stamp})

    @staticmethod
    def mark_step(deck_id: str, part_id: str, step: Step, stamp: str) -> Write:
        """Record that a learner reached a step of a part (the first time counts)."""
        return Write(
            "mark_step", {"deck_id": deck_id, "part_id": part_id, "step": step, "at": stamp}
        )

    @property
    def is_answer(self) -> bool:
        """True for a logged answer (what the learner counts as "answers waiting")."""
        return self.kind == "review"

    def record(self) -> ReviewRecord:
        """The log record a "review" write adds (its id still 0)."""
        return review_from_row([0, *self.data["row"]])

    def attempt(self) -> Attempt:
        """The attempt a "start_attempt" write begins."""
        return attempt_from_row(self.data["row"])

    def check(self) -> None:
        """ValueError when the data cannot be applied (say, a journal line edited by hand)."""
        fields: dict[WriteKind, tuple[tuple[str, type], ...]] = {
            "undo": (("uid", str), ("at", str)),
            "amend": (("uid", str), ("grade", int), ("at", str)),
            "finish_attempt": (("uid", str), ("at", str)),
            "mark_step": (("deck_id", str), ("part_id", str), ("step", str), ("at", str)),
        }
        try:
            if self.kind == "review":
                self.record()
            elif self.kind == "start_attempt":
                self.attempt()
            else:
                for key, wanted in fields[self.kind]:
                    if not isinstance(self.data[key], wanted):
                        raise TypeError(f"{key} is not a {wanted.__name__}")
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"a {self.kind} write that cannot be applied: {error}") from None


def apply(db: sqlite3.Connection, write: Write, scheduler: Scheduler) -> Any:
    """Apply one write inside the caller's transaction, states advanced by `scheduler` (the
    store's); what it returns depends on the kind.

    "review": the log row's id; "undo": whether an answer was undone; "amend": the amended
    record, or None when there is no such live answer; the rest: None.
    """
    data = write.data
    if write.kind == "review":
        return insert_review(db, write.record(), scheduler)
    if write.kind == "undo":
        return undo(db, data["uid"], data["at"], scheduler)
    if write.kind == "amend":
        return amend(db, data["uid"], int(data["grade"]), data["at"], scheduler)
    if write.kind == "start_attempt":
        start_attempt(db, write.attempt(), tuple(data["row"]))
        return None
    if write.kind == "finish_attempt":
        db.execute(
            "UPDATE attempts SET finished_at = ? WHERE uid = ? AND finished_at IS NULL",
            (data["at"], data["uid"]),
        )
        return None
    if write.kind == "mark_step":
        db.execute(
            "INSERT OR IGNORE INTO step_marks (deck_id, part_id, step, marked_at)"
            " VALUES (?, ?, ?, ?)",
            (data["deck_id"], data["part_id"], data["step"], data["at"]),
        )
        return None
    raise ValueError(f"unknown write {write.kind!r}")


def insert_review(db: sqlite3.Connection, record: ReviewRecord, scheduler: Scheduler) -> int:
    """Log an answer and advance its item's state; an answer already logged is left as it is."""
    found = db.execute("SELECT id FROM reviews WHERE uid = ?", (record.uid,)).fetchone()
    if found is not None:
        return int(found[0])
    if schedules(scheduler, record.mode):
        current = state_in(db, record.deck_id, record.item_id)
        after = advance(current, record, scheduler)
        if after is not None and after != current:
            db.execute(STATE_UPSERT, state_to_row(after))
    cursor = db.execute(REVIEW_INSERT, review_to_row(record))
    return int(cursor.lastrowid or 0)


def undo(db: sqlite3.Connection, uid: str, stamp: str, scheduler: Scheduler) -> bool:
    """Mark a live answer undone and recompute its item; False when there is none to undo."""
    row = db.execute(
        "SELECT deck_id, item_id, mode FROM reviews WHERE uid = ? AND undone_at IS NULL",
        (uid,),
    ).fetchone()
    if row is None:
        return False
    db.execute("UPDATE reviews SET undone_at = ? WHERE uid = ?", (stamp, uid))
    if schedules(scheduler, row[2]):
        recompute_item(db, row[0], row[1], scheduler)
    return True


def amend(
    db: sqlite3.Connection, uid: str, grade: int, stamp: str, scheduler: Scheduler
) -> ReviewRecord | None:
    """Change a live answer's grade and recompute its item; None when there is no such answer."""
    row = db.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ? AND undone_at IS NULL", (uid,)
    ).fetchone()
    if row is None:
        return None
    record = review_from_row(row)
    if record.grade != grade:
        db.execute(
            "UPDATE reviews SET grade = ?, amended_at = ? WHERE uid = ?", (grade, stamp, uid)
        )
        if schedules(scheduler, record.mode):
            recompute_item(db, record.deck_id, record.item_id, scheduler)
    row = db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE uid = ?", (uid,)).fetchone()
    return review_from_row(row)


def start_attempt(db: sqlite3.Connection, attempt: Attempt, row: tuple[Any, ...]) -> None:
    """Set aside the check's unfinished attempts and add this one (once: a repeat does nothing)."""
    if db.execute("SELECT 1 FROM attempts WHERE uid = ?", (attempt.uid,)).fetchone():
        return
    db.execute(
        "UPDATE attempts SET abandoned_at = ? WHERE deck_id = ? AND part_id = ?"
        " AND check_name = ? AND finished_at IS NULL AND abandoned_at IS NULL",
        (row[6], attempt.deck_id, attempt.part_id, attempt.check),
    )
    db.execute(f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


def state_in(db: sqlite3.Connection, deck_id: str, item_id: str) -> StoredState | None:
    """An item's stored state, read inside the caller's transaction."""
    row = db.execute(
        f"SELECT {STATE_COLUMNS} FROM item_states WHERE deck_id = ? AND item_id = ?",
        (deck_id, item_id),
    ).fetchone()
    return None if row is None else state_from_row(row)


def recompute_item(
    db: sqlite3.Connection, deck_id: str, item_id: str, scheduler: Scheduler
) -> StoredState | None:
    """Rebuild one item's state from its log rows since its last reset (inside the caller's
    transaction)."""
    rows = db.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE deck_id = ? AND item_id = ? ORDER BY id",
        (deck_id, item_id),
    ).fetchall()
    records = counted((review_from_row(row) for row in rows), reset_cuts(db, deck_id, item_id))
    state = replay(records, scheduler).get((deck_id, item_id))
    if state is None:
        db.execute("DELETE FROM item_states WHERE deck_id = ? AND item_id = ?", (deck_id, item_id))
    else:
        db.execute(STATE_UPSERT, state_to_row(state))
    return state


def recompute_all(db: sqlite3.Connection, scheduler: Scheduler) -> None:
    """Replace every stored state with the replay of the log through `scheduler`, and record
    its basis (inside the caller's transaction)."""
    rows = db.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY id").fetchall()
    states = replay(counted((review_from_row(row) for row in rows), reset_cuts(db)), scheduler)
    db.execute("DELETE FROM item_states")
    db.executemany(STATE_UPSERT, [state_to_row(state) for state in states.values()])
    db.execute(
        "INSERT OR REPLACE INTO scheduling (key, value) VALUES ('basis', ?)", (scheduler.basis,)
    )
