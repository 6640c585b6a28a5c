"""The progress database's schema and its migrations, one function per version.

`PRAGMA user_version` holds the schema version. Opening a database runs every migration from its
version up to `SCHEMA_VERSION`, each in its own transaction, after a timestamped backup of any
existing data. A database from a newer quiztui is never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 5
"""The version this quiztui writes."""

OUR_TABLES = frozenset(
    {
        "reviews",
        "item_states",
        "attempts",
        "step_marks",
        "renames",
        "notices",
        "item_marks",
        "exams",
        "scheduling",
    }
)


def run_script(connection: sqlite3.Connection, script: str) -> None:
    """Run `;`-separated statements inside the caller's transaction.

    (`executescript` would commit first, and a migration must be all or nothing.)
    """
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _to_version_1(connection: sqlite3.Connection) -> None:
    """The first schema: review log, item states, check attempts, step marks."""
    run_script(
        connection,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            deck_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('question', 'key_point')),
            mode TEXT NOT NULL
                CHECK (mode IN ('pre', 'post', 'learn', 'review', 'redrill', 'practice')),
            grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
            answered_grade INTEGER NOT NULL CHECK (answered_grade BETWEEN 0 AND 5),
            picked TEXT NOT NULL DEFAULT '[]',
            correct INTEGER CHECK (correct IN (0, 1)),
            seconds REAL NOT NULL CHECK (seconds >= 0),
            reviewed_at TEXT NOT NULL,
            learning_day TEXT NOT NULL,
            answer_key TEXT NOT NULL,
            attempt_uid TEXT,
            amended_at TEXT,
            undone_at TEXT
        );
        CREATE INDEX reviews_by_item ON reviews (deck_id, item_id);
        CREATE INDEX reviews_by_attempt ON reviews (attempt_uid);
        CREATE TABLE item_states (
            deck_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            answer_key TEXT NOT NULL,
            easiness INTEGER NOT NULL,
            repetitions INTEGER NOT NULL,
            interval INTEGER NOT NULL,
            due TEXT NOT NULL,
            last_review TEXT,
            introduced_on TEXT NOT NULL,
            introduced_by TEXT NOT NULL,
            PRIMARY KEY (deck_id, item_id)
        ) WITHOUT ROWID;
        CREATE INDEX item_states_by_due ON item_states (deck_id, due);
        CREATE TABLE attempts (
            uid TEXT PRIMARY KEY,
            deck_id TEXT NOT NULL,
            part_id TEXT NOT NULL,
            check_name TEXT NOT NULL CHECK (check_name IN ('pre', 'post')),
            question_ids TEXT NOT NULL,
            choice_orders TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            abandoned_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX attempts_by_part ON attempts (deck_id, part_id, check_name);
        CREATE TABLE step_marks (
            deck_id TEXT NOT NULL,
            part_id TEXT NOT NULL,
            step TEXT NOT NULL,
            marked_at TEXT NOT NULL,
            PRIMARY KEY (deck_id, part_id, step)
        ) WITHOUT ROWID;
        """,
    )


def _to_version_2(connection: sqlite3.Connection) -> None:
    """Mode "exam" in the log, and indexes for the reads the screens repeat.

    SQLite cannot change a CHECK constraint in place, so the log is copied into a new table
    (ids, and with them the log's order, kept).
    """
    run_script(
        connection,
        """
        CREATE TABLE reviews_v2 (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            deck_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('question', 'key_point')),
            mode TEXT NOT NULL
                CHECK (mode IN ('pre', 'post', 'learn', 'review', 'redrill', 'practice', 'exam')),
            grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
            answered_grade INTEGER NOT NULL CHECK (answered_grade BETWEEN 0 AND 5),
            picked TEXT NOT NULL DEFAULT '[]',
            correct INTEGER CHECK (correct IN (0, 1)),
            seconds REAL NOT NULL CHECK (seconds >= 0),
            reviewed_at TEXT NOT NULL,
            learning_day TEXT NOT NULL,
            answer_key TEXT NOT NULL,
            attempt_uid TEXT,
            amended_at TEXT,
            undone_at TEXT
        );
        INSERT INTO reviews_v2 SELECT * FROM reviews;
        DROP TABLE reviews;
        ALTER TABLE reviews_v2 RENAME TO reviews;
        CREATE INDEX reviews_by_item ON reviews (deck_id, item_id);
        CREATE INDEX reviews_by_attempt ON reviews (attempt_uid);
        CREATE INDEX reviews_live_by_mode ON reviews (deck_id, mode, item_id)
            WHERE undone_at IS NULL;
        CREATE INDEX reviews_live_by_day ON reviews (learning_day) WHERE undone_at IS NULL;
        CREATE INDEX item_states_by_introduction ON item_states (deck_id, introduced_on);
        """,
    )


def _to_version_3(connection: sqlite3.Connection) -> None:
    """The trace of adopted renames, and the notices already shown once."""
    run_script(
        connection,
        """
        CREATE TABLE renames (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('deck', 'part', 'item')),
            old_id TEXT NOT NULL,
            new_id TEXT NOT NULL,
            rows INTEGER NOT NULL,
            adopted_at TEXT NOT NULL
        );
        CREATE TABLE notices (
            key TEXT PRIMARY KEY,
            shown_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _to_version_4(connection: sqlite3.Connection) -> None:
    """Item marks (suspend, bury, flag, leech, reset) as a log of events, and mock exams.

    A mark is never updated in place: each change is a new event, and an item's marks are its
    latest live event of each kind, so every change is kept (an audit trail) and undone by
    marking its events undone. Events written together share a `batch` and are undone
    together. A reset names the last log row it forgets (`after_uid`): the schedule is the
    replay of the rows after it, and the rows themselves stay.

    An exam keeps its questions, choice orders and the learner's answers so far, so a left
    exam resumes with the same questions and the time it had left; its answers enter the log
    (mode "exam", `attempt_uid` = the exam's uid) when it is submitted.
    """
    run_script(
        connection,
        """
        CREATE TABLE item_marks (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            batch TEXT NOT NULL,
            deck_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            mark TEXT NOT NULL CHECK (mark IN ('suspend', 'bury', 'flag', 'leech', 'reset')),
            value INTEGER NOT NULL CHECK (value IN (0, 1)),
            day TEXT,
            after_uid TEXT,
            marked_at TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX item_marks_by_item ON item_marks (deck_id, item_id, mark);
        CREATE INDEX item_marks_by_batch ON item_marks (batch);
        CREATE TABLE exams (
            uid TEXT PRIMARY KEY,
            deck_id TEXT NOT NULL,
            question_ids TEXT NOT NULL,
            choice_orders TEXT NOT NULL,
            part_ids TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            time_limit REAL CHECK (time_limit IS NULL OR time_limit > 0),
            answers TEXT NOT NULL DEFAULT '{}',
            flags TEXT NOT NULL DEFAULT '[]',
            seconds TEXT NOT NULL DEFAULT '{}',
            elapsed REAL NOT NULL DEFAULT 0 CHECK (elapsed >= 0),
            position INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            abandoned_at TEXT,
            timed_out INTEGER NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1))
        ) WITHOUT ROWID;
        CREATE INDEX exams_by_deck ON exams (deck_id, started_at);
        """,
    )


def _to_version_5(connection: sqlite3.Connection) -> None:
    """FSRS's state beside SM-2's, and which scheduler the stored states were computed under.

    Columns are added, never rebuilt: item states stay a cache of the log's replay. A state
    with a `phase` is an FSRS state. `scheduling` holds the basis of the stored states (the
    scheduler and its settings, as JSON) and the FSRS parameters fitted to the learner's log.
    """
    run_script(
        connection,
        """
        ALTER TABLE item_states ADD COLUMN stability REAL;
        ALTER TABLE item_states ADD COLUMN difficulty REAL;
        ALTER TABLE item_states ADD COLUMN phase INTEGER;
        ALTER TABLE item_states ADD COLUMN step INTEGER;
        CREATE TABLE scheduling (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: dict[int, Migration] = {
    1: _to_version_1,
    2: _to_version_2,
    3: _to_version_3,
    4: _to_version_4,
    5: _to_version_5,
}
"""Version -> the function that brings a database from the version before up to it."""


def pending(current: int, target: int | None = None) -> list[tuple[int, Migration]]:
    """The migrations to run, in order, to take a database from `current` to `target`."""
    target = SCHEMA_VERSION if target is None else target
    versions = list(range(current + 1, target + 1))
    missing = [version for version in versions if version not in MIGRATIONS]
    if missing:
        raise RuntimeError(f"no migration to schema version {missing[0]}")
    return [(version, MIGRATIONS[version]) for version in versions]
