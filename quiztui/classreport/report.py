"""Making a class report: stage the exports, choose the deck and the learners, compute, gather.

`build_report` is the whole pipeline behind `quiztui class report`, free of the command line, so
tests drive it directly. DuckDB works in a database file in a temporary folder, with a memory
limit, so a district's thousands of learners spill to disk instead of filling memory; the folder
is removed afterwards.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from quiztui import __version__
from quiztui.classreport import selection
from quiztui.classreport.deck_tables import load_deck_tables
from quiztui.classreport.figures import DOCUMENT_FORMAT, DOCUMENT_VERSION, compute, gather
from quiztui.classreport.loading import (
    Skipped,
    StagedFile,
    export_files,
    sample_deck_ids,
    stage,
)
from quiztui.classreport.queries import run
from quiztui.deck.model import Deck
from quiztui.errors import QuiztuiError

if TYPE_CHECKING:
    import duckdb

AttemptChoice = Literal["first", "last", "all"]
"""Which finished attempts of a check count: each learner's first, last, or every one."""

ATTEMPT_CHOICES: tuple[AttemptChoice, ...] = ("first", "last", "all")

MEMORY_LIMIT = "640MB"
"""DuckDB's share of memory; past it, it spills to the temporary folder (the target is 1 GB)."""

PARQUET_TABLES = (
    "learners",
    "reviews",
    "attempts",
    "deck_parts",
    "deck_items",
    "deck_choices",
    "report_options",
)
"""What --parquet writes, one file each: every table the report's SQL reads."""


_PARQUET_SELECT = {
    # learner_id is the file's position, which sorted file names would give away: the Parquet
    # files number learners as the report lists them.
    "learners": "SELECT learner_no AS learner_id, learner, file, format_version, exported_at"
    " FROM learners",
    "reviews": "SELECT l.learner_no AS learner_id, r.seq, r.item_no, i.item_id,"
    " r.* EXCLUDE (learner_id, seq, item_no) FROM reviews AS r"
    " JOIN learners AS l USING (learner_id) JOIN deck_items AS i USING (item_no)",
    "attempts": "SELECT l.learner_no AS learner_id, a.* EXCLUDE (learner_id)"
    " FROM attempts AS a JOIN learners AS l USING (learner_id)",
}


class ClassReportError(QuiztuiError):
    """No report can be made; `skipped` lists the files left out on the way, with reasons."""

    def __init__(self, message: str, skipped: Sequence[Skipped] = ()) -> None:
        """The message to show, and the files left out before it happened."""
        super().__init__(message)
        self.skipped = tuple(skipped)


@dataclass(frozen=True, slots=True)
class ClassReport:
    """A finished report: the document every format renders, and what was left out."""

    document: dict[str, Any]
    deck: Deck
    skipped: tuple[Skipped, ...]


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database, bounded in memory (past the limit it spills to `folder`),
    using every core, showing times in UTC. Nothing is kept: a file on disk would only add the
    cost of compressing it."""
    import duckdb

    connection = duckdb.connect(
        ":memory:",
        config={
            "threads": max(1, os.cpu_count() or 1),
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": str(folder / "spill"),
            "preserve_insertion_order": False,
        },
    )
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _shared_attempts(
    connection: duckdb.DuckDBPyConnection, files: Sequence[StagedFile]
) -> list[tuple[int, int]]:
    """Pairs of files that hold the same check attempt (one history exported twice)."""
    ids = [f.file_id for f in files]
    if not ids:
        return []
    rows = connection.execute(
        "SELECT DISTINCT a.learner_id, b.learner_id FROM staged_attempts AS a"
        " JOIN staged_attempts AS b ON a.uid = b.uid AND a.learner_id < b.learner_id"
        " WHERE list_contains($ids, a.learner_id) AND list_contains($ids, b.learner_id)",
        {"ids": ids},
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def _choose_deck(
    connection: duckdb.DuckDBPyConnection,
    files: Sequence[Path],
    deck: Deck | None,
    find_deck: Callable[[str], Deck],
    skipped: Sequence[Skipped],
) -> Deck:
    if deck is not None:
        return deck
    counts = sample_deck_ids(connection, files)
    if not counts:
        raise ClassReportError(
            "no export names a deck (they hold no answers, or cannot be read); give the deck"
            " with --deck",
            skipped,
        )
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        tied = [deck_id for deck_id, count in counts if count == counts[0][1]]
        raise ClassReportError(
            f"the exports hold several decks as often ({', '.join(tied)});"
            " choose one with --deck ID",
            skipped,
        )
    try:
        return find_deck(counts[0][0])
    except QuiztuiError as error:
        raise ClassReportError(str(error), skipped) from None


def _insert_learners(
    connection: duckdb.DuckDBPyConnection,
    learners: Sequence[selection.Learner],
    files: dict[int, StagedFile],
) -> None:
    connection.execute(
        "CREATE OR REPLACE TABLE learners (learner_id INTEGER, learner_no INTEGER,"
        " learner VARCHAR, file VARCHAR, format_version INTEGER, exported_at TIMESTAMPTZ)"
    )
    if not learners:
        return
    connection.execute(
        "INSERT INTO learners SELECT unnest($ids), unnest($numbers), unnest($names),"
        " unnest($paths), unnest($versions), unnest($exported)",
        {
            "ids": [learner.file_id for learner in learners],
            "numbers": [learner.learner_no for learner in learners],
            "names": [learner.name for learner in learners],
            "paths": [None if learner.file is None else str(learner.file) for learner in learners],
            "versions": [files[learner.file_id].format_version for learner in learners],
            "exported": [_naive_utc(files[learner.file_id].exported_at) for learner in learners],
        },
    )


def _naive_utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)


def write_parquet(connection: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Write the class's tables, one Parquet file each, into `folder` (created if needed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClassReportError(f"{folder}: cannot be created ({error.strerror})") from None
    for table in PARQUET_TABLES:
        target = str(folder / f"{table}.parquet").replace("'", "''")
        connection.execute(
            f"COPY ({_PARQUET_SELECT.get(table, f'SELECT * FROM {table}')}) TO '{target}'"
            " (FORMAT parquet, COMPRESSION zstd)"
        )


def build_report(
    paths: Sequence[Path],
    *,
    deck: Deck | None = None,
    find_deck: Callable[[str], Deck],
    attempts: AttemptChoice = "first",
    anonymize: bool = False,
    parquet_dir: Path | None = None,
    now: datetime | None = None,
) -> ClassReport:
    """The report on the learners whose exports are in `paths` (files or folders).

    `deck` is the report's deck; when None, the deck id most exports hold is looked up with
    `find_deck`. Raises ClassReportError when no report can be made (no usable export, no deck).
    """
    files, skipped = export_files(paths)
    if not files:
        raise ClassReportError(
            "no export files found (give the .json files learners wrote with"
            " `quiztui progress export`, or folders holding them)",
            skipped,
        )
    with tempfile.TemporaryDirectory(prefix="quiztui-class-") as folder:
        connection = connect(Path(folder))
        try:
            chosen = _choose_deck(connection, files, deck, find_deck, skipped)
            load_deck_tables(connection, chosen)
            staged, unread = stage(connection, files)
            skipped += unread
            good, damaged = selection.usable(staged)
            skipped += damaged
            deck_ids = frozenset((chosen.id, *chosen.renamed_from))
            of_deck, other = selection.of_deck(good, deck_ids, chosen.id)
            skipped += other
            kept, duplicates = selection.one_per_learner(
                of_deck, _shared_attempts(connection, of_deck)
            )
            skipped += duplicates
            if not kept:
                raise ClassReportError(
                    f"none of the {len(files)} files holds a usable export of deck {chosen.id!r}",
                    skipped,
                )
            learners = selection.number_learners(kept, anonymize=anonymize)
            _insert_learners(connection, learners, {f.file_id: f for f in kept})
            connection.execute("CREATE OR REPLACE TABLE report_options (attempts VARCHAR)")
            connection.execute("INSERT INTO report_options VALUES ($a)", {"a": attempts})
            run(connection, "finalize")
            if parquet_dir is not None:
                write_parquet(connection, parquet_dir)
            compute(connection)
            figures = gather(connection)
        finally:
            connection.close()
    order = {path: n for n, path in enumerate(files)}
    skipped.sort(key=lambda s: order.get(s.file, -1))
    document: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "format_version": DOCUMENT_VERSION,
        "generated_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "quiztui_version": __version__,
        "deck": {"id": chosen.id, "title": chosen.title, "version": chosen.version},
        "options": {"attempts": attempts, "anonymized": anonymize},
        "class": {
            "files": len(files) + sum(1 for s in skipped if s.file not in order),
            "learners": len(learners),
            "skipped": len(skipped),
        },
        # Reasons name files and learners: an anonymized report keeps only their number.
        "skipped": []
        if anonymize
        else [{"file": str(s.file), "reason": s.reason} for s in skipped],
        **figures,
    }
    return ClassReport(document, chosen, tuple(skipped))
