"""Reading which ids have progress, without opening the database for writing.

`quiztui validate` tells an author which items, parts or decks with a learner's progress an
edit left behind. It must never create, migrate or lock the learner's database to do so, so
it reads the file read-only (SQLite's `mode=ro`), and says nothing when it cannot.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProgressIds:
    """The ids one deck id has progress under."""

    items: frozenset[str] = field(default_factory=frozenset)
    """Items with at least one live answer."""
    parts: frozenset[str] = field(default_factory=frozenset)
    """Parts with a check attempt or a step mark."""


def progress_ids(database: Path) -> dict[str, ProgressIds] | None:
    """Every deck id with progress in `database`, and its item and part ids; None when the
    file does not exist or cannot be read as a quiztui database."""
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        items: dict[str, set[str]] = {}
        parts: dict[str, set[str]] = {}
        for deck_id, item_id in connection.execute(
            "SELECT DISTINCT deck_id, item_id FROM reviews WHERE undone_at IS NULL"
        ):
            items.setdefault(deck_id, set()).add(item_id)
        for deck_id, part_id in connection.execute(
            "SELECT deck_id, part_id FROM attempts UNION SELECT deck_id, part_id FROM step_marks"
        ):
            parts.setdefault(deck_id, set()).add(part_id)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return {
        deck_id: ProgressIds(frozenset(items.get(deck_id, ())), frozenset(parts.get(deck_id, ())))
        for deck_id in items.keys() | parts.keys()
    }
