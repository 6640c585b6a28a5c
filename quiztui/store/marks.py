"""Item marks as the store reads them: the log of mark events folded into each item's marks,
the rows a reset forgets, and lapses counted from the log.

Marks are a log, like answers: suspending, burying, flagging, a leech and a reset are each an
event, and an item's marks are its latest live event of each kind. A reset forgets an item's
schedule without deleting a row: the replay that makes item states starts after the last row
the reset names (`counted`). Every function here is pure or reads inside the caller's
transaction, so the store's live path, its full rebuild and the renames agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace

from quiztui.sm2 import PASSING_GRADE
from quiztui.store.records import ItemMarks, MarkEvent, ReviewRecord, StoredState
from quiztui.store.replay import advance
from quiztui.store.rows import MARK_COLUMNS, mark_from_row

ItemKey = tuple[str, str]
"""(deck id, item id)."""


def fold_marks(events: Iterable[MarkEvent]) -> dict[ItemKey, ItemMarks]:
    """Each item's marks from its live events, taken in the order they were made."""
    marks: dict[ItemKey, ItemMarks] = {}
    for event in sorted(events, key=lambda e: (e.marked_at, e.id)):
        if event.undone:
            continue
        key = (event.deck_id, event.item_id)
        now = marks.get(key, ItemMarks())
        if event.mark == "suspend":
            now = replace(now, suspended=event.value)
        elif event.mark == "bury":
            now = replace(now, buried_on=event.day if event.value else None)
        elif event.mark == "flag":
            now = replace(now, flagged=event.value)
        elif event.mark == "leech":
            now = replace(now, leech=event.value)
        elif event.mark == "reset":
            now = replace(now, reset_after=event.after_uid, reset_at=event.marked_at)
        marks[key] = now
    return marks


def live_events(
    db: sqlite3.Connection, deck_id: str | None = None, item_id: str | None = None
) -> list[MarkEvent]:
    """The live mark events of a deck (or of one item, or all), oldest first."""
    conditions, parameters = ["undone_at IS NULL"], []
    if deck_id is not None:
        conditions.append("deck_id = ?")
        parameters.append(deck_id)
    if item_id is not None:
        conditions.append("item_id = ?")
        parameters.append(item_id)
    try:
        rows = db.execute(
            f"SELECT {MARK_COLUMNS} FROM item_marks WHERE {' AND '.join(conditions)}"
            " ORDER BY marked_at, id",
            parameters,
        ).fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):  # a schema from before marks (version 3 or older)
            return []
        raise
    return [mark_from_row(row) for row in rows]


def reset_cuts(
    db: sqlite3.Connection, deck_id: str | None = None, item_id: str | None = None
) -> dict[ItemKey, str | None]:
    """For each item reset (and not undone), the last log row its latest reset forgot."""
    events = [e for e in live_events(db, deck_id, item_id) if e.mark == "reset"]
    return {
        key: marks.reset_after
        for key, marks in fold_marks(events).items()
        if marks.reset_at is not None
    }


def counted(
    rows: Iterable[ReviewRecord], cuts: dict[ItemKey, str | None]
) -> Iterator[ReviewRecord]:
    """The log rows (in log order) that still count for scheduling: for a reset item, only the
    rows after the last one its reset forgot."""
    waiting = {key: cut for key, cut in cuts.items() if cut is not None}
    for row in rows:
        key = (row.deck_id, row.item_id)
        cut = waiting.get(key)
        if cut is None:
            yield row
        elif row.uid == cut:
            del waiting[key]


def lapses(rows: Iterable[ReviewRecord]) -> dict[ItemKey, int]:
    """How often each item lapsed: graded below 3 by a review that counted, once learned.

    `rows` are the counted rows in log order (see `counted`); a changed answer key starts the
    count over, as it starts the schedule over.
    """
    states: dict[ItemKey, StoredState] = {}
    found: dict[ItemKey, int] = {}
    for row in rows:
        key = (row.deck_id, row.item_id)
        before = states.get(key)
        after = advance(before, row)
        if after is None or after is before:
            continue
        if before is not None and before.answer_key != row.answer_key:
            found.pop(key, None)
        elif (
            before is not None
            and before.state.repetitions >= 1
            and row.grade < PASSING_GRADE
            and after.state is not before.state
        ):
            found[key] = found.get(key, 0) + 1
        states[key] = after
    return found
