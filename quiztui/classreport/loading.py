"""Loading learners' export files into DuckDB, and telling which files cannot be used and why.

Files are read in chunks, each parsed once by DuckDB (`sql/stage_*.sql`) into compact rows of
the report's deck (its tables must be loaded first, see `deck_tables`), so memory stays bounded
however many learners there are. A chunk that DuckDB cannot read at all (a file that is not
UTF-8 text, say) is split in halves until the culprit is found: one bad file never stops the
others. What each file claims (format, learner, decks, the first damaged entry) is kept in
`staged_files` for `selection` to judge; `sample_deck_ids` finds the deck when none is given.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiztui.classreport import queries

if TYPE_CHECKING:
    import duckdb

CHUNK_FILES = 256
"""At most this many files are parsed per DuckDB query."""

CHUNK_BYTES = 24_000_000
"""At most this much JSON is parsed per DuckDB query (one file more only when it alone is
larger): a chunk in flight takes about five times its size, one chunk per core."""

EXPORT_SUFFIX = ".json"
"""What a folder's export files are named like."""

_TEXT = "VARCHAR"

REVIEW_STRUCTURE: dict[str, Any] = {
    "deck_id": _TEXT,
    "item_id": _TEXT,
    "mode": _TEXT,
    "grade": "BIGINT",
    "picked": [_TEXT],
    "correct": "BOOLEAN",
    "learning_day": "DATE",
    "answer_key": _TEXT,
    "attempt_uid": _TEXT,
    "undone_at": _TEXT,
}
"""What the report reads of a review (format version 1 and later; other fields are ignored).

Parsing is most of the report's time, and each field read costs about a tenth of it: `uid`,
`kind` (the deck says it), `answered_grade`, `seconds`, `amended_at` and `reviewed_at` (every
figure counts in learning days) are not read.

A field of the wrong type reads as NULL. The times every review has are parsed here, once; the
optional ones stay text until checked, so that a damaged `undone_at` is caught, never read as
"not undone"."""

ATTEMPT_STRUCTURE: dict[str, Any] = {
    "uid": _TEXT,
    "deck_id": _TEXT,
    "part_id": _TEXT,
    "check": _TEXT,
    "question_ids": [_TEXT],
    "choice_orders": "JSON",
    "started_at": "TIMESTAMPTZ",
    "finished_at": _TEXT,
    "abandoned_at": _TEXT,
}
"""What the report reads of a check attempt."""

FILE_STRUCTURE: dict[str, Any] = {
    "format": _TEXT,
    "format_version": "BIGINT",
    "learner": _TEXT,
    "exported_at": "TIMESTAMPTZ",
    "reviews": [REVIEW_STRUCTURE],
    "attempts": [ATTEMPT_STRUCTURE],
}
"""What the report reads of a progress file."""

_FILE_TEXT = json.dumps(FILE_STRUCTURE)
_DECKS_TEXT = json.dumps({"reviews": [{"deck_id": _TEXT}], "attempts": [{"deck_id": _TEXT}]})

SAMPLE_FILES = 64
"""How many files, spread over the list, `sample_deck_ids` reads."""

_TABLES = """
CREATE OR REPLACE TABLE staged_files (
    file_id INTEGER, valid_json BOOLEAN, format VARCHAR, format_version BIGINT,
    learner VARCHAR, exported_at TIMESTAMPTZ, review_count BIGINT, bad_review BIGINT,
    bad_attempt BIGINT, deck_ids VARCHAR[]
);
CREATE OR REPLACE TABLE staged_reviews (
    learner_id INTEGER, seq INTEGER, item_no INTEGER, mode VARCHAR, grade TINYINT,
    picked VARCHAR[], correct BOOLEAN, learning_day DATE, current_key BOOLEAN,
    attempt_uid VARCHAR
);
CREATE OR REPLACE TABLE staged_attempts (
    learner_id INTEGER, uid VARCHAR, part_id VARCHAR, "check" VARCHAR, question_ids VARCHAR[],
    choice_orders JSON, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, abandoned_at TIMESTAMPTZ
);
"""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out of the report, and why (said so that the instructor can act on it)."""

    file: Path
    reason: str


@dataclass(frozen=True, slots=True)
class StagedFile:
    """What one file claims to be, as staged: the facts `selection` judges it on."""

    file_id: int
    path: Path
    valid_json: bool
    """False when the file is not JSON at all (or its top level is not an object)."""
    format: str | None
    format_version: int | None
    learner: str | None
    exported_at: datetime | None
    review_count: int
    bad_review: int | None
    """The 1-based number of the first damaged review, if any."""
    bad_attempt: int | None
    deck_ids: tuple[str, ...]


def export_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files given and the export files in the folders given; missing paths are skipped.

    A folder contributes its `*.json` files, recursively and sorted, hidden ones left out. A file
    named twice counts once.
    """
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob(f"*{EXPORT_SUFFIX}")
                if p.is_file() and not any(s.startswith(".") for s in p.relative_to(path).parts)
            )
        elif path.exists():
            candidates = [path]
        else:
            skipped.append(Skipped(path, "no such file or folder"))
            continue
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found, skipped


def create_staging(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the (empty) staging tables."""
    for statement in _TABLES.split(";\n"):
        if statement.strip():
            connection.execute(statement)


def stage(
    connection: duckdb.DuckDBPyConnection,
    files: Sequence[Path],
    *,
    chunk_files: int = CHUNK_FILES,
    chunk_bytes: int = CHUNK_BYTES,
    workers: int | None = None,
) -> tuple[list[StagedFile], list[Skipped]]:
    """Stage every file (file ids are positions in `files`); returns the staged and the unread.

    DuckDB parses one chunk on one core, so `workers` chunks (default: one per core) are staged
    at once, each on its own cursor; their rows are appended to the same staging tables.
    """
    create_staging(connection)
    numbered = list(enumerate(files))
    chunks = _chunks(numbered, chunk_files, chunk_bytes)
    count = max(1, min(workers or os.cpu_count() or 1, len(chunks)))
    unread: dict[int, str] = {}
    pending = iter(chunks)
    lock = threading.Lock()

    def work() -> None:
        cursor = connection.cursor()
        try:
            cursor.execute("CREATE TEMP TABLE chunk_files (file_id INTEGER, file VARCHAR)")
            while True:
                with lock:
                    chunk = next(pending, None)
                if chunk is None:
                    return
                _stage_chunk(cursor, chunk, unread)
        finally:
            cursor.close()

    threads = connection.execute("SELECT current_setting('threads')").fetchone()
    connection.execute("SET threads = 1")  # one per chunk: the chunks are the parallelism
    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            for future in [pool.submit(work) for _ in range(count)]:
                future.result()
    finally:
        connection.execute(f"SET threads = {int(threads[0]) if threads else 1}")

    staged = [
        _staged_file(row, files)
        for row in connection.execute("SELECT * FROM staged_files ORDER BY file_id").fetchall()
    ]
    have = {f.file_id for f in staged}
    skipped = []
    for file_id, path in numbered:
        if file_id in unread:
            skipped.append(Skipped(path, unread[file_id]))
        elif file_id not in have:
            skipped.append(Skipped(path, "could not be read"))
    return staged, skipped


def _chunks(
    numbered: list[tuple[int, Path]], most_files: int, most_bytes: int
) -> list[list[tuple[int, Path]]]:
    """The files in order, cut into chunks of at most `most_files` files and `most_bytes`."""
    chunks: list[list[tuple[int, Path]]] = []
    current: list[tuple[int, Path]] = []
    size = 0
    for entry in numbered:
        try:
            length = entry[1].stat().st_size
        except OSError:
            length = 0
        if current and (len(current) >= most_files or size + length > most_bytes):
            chunks.append(current)
            current, size = [], 0
        current.append(entry)
        size += length
    if current:
        chunks.append(current)
    return chunks


def _stage_chunk(
    cursor: duckdb.DuckDBPyConnection, chunk: list[tuple[int, Path]], unread: dict[int, str]
) -> None:
    """Stage a chunk in one transaction; on a file's error, halve it until the file is found."""
    import duckdb

    names = [str(path) for _, path in chunk]
    cursor.execute("BEGIN TRANSACTION")
    try:
        cursor.execute("DELETE FROM chunk_files")
        cursor.execute(
            "INSERT INTO chunk_files SELECT unnest($ids), unnest($files)",
            {"ids": [file_id for file_id, _ in chunk], "files": names},
        )
        queries.run(cursor, "stage_chunk", files=names, structure=_FILE_TEXT)
        queries.run(cursor, "stage_files")
        queries.run(cursor, "stage_rows")
        cursor.execute("DROP TABLE chunk")
        cursor.execute("COMMIT")
    except (duckdb.InvalidInputException, duckdb.IOException) as error:
        # What a file's content or its reading can cause; any other error is a bug and must
        # show as one, not as a file left out.
        cursor.execute("ROLLBACK")
        if len(chunk) == 1:
            unread[chunk[0][0]] = _unreadable(chunk[0][1], error)
            return
        middle = len(chunk) // 2
        _stage_chunk(cursor, chunk[:middle], unread)
        _stage_chunk(cursor, chunk[middle:], unread)


def sample_deck_ids(
    connection: duckdb.DuckDBPyConnection, files: Sequence[Path]
) -> list[tuple[str, int]]:
    """(deck id, files naming it) in files spread evenly over the list, the most named first.

    Reading a sample is enough to find a class's deck, and costs nothing next to reading all.
    An unreadable file in the sample is skipped (staging reports it).
    """
    import duckdb

    step = max(1, len(files) // SAMPLE_FILES)
    sample = [str(path) for path in list(files)[::step][:SAMPLE_FILES]]
    counts: dict[str, int] = {}
    for start in range(0, len(sample), 16):
        names = sample[start : start + 16]
        try:
            rows = connection.execute(
                queries.sql_text("sample_decks"), {"files": names, "structure": _DECKS_TEXT}
            ).fetchall()
        except (duckdb.InvalidInputException, duckdb.IOException):
            rows = []
            for name in names:
                with contextlib.suppress(duckdb.InvalidInputException, duckdb.IOException):
                    rows += connection.execute(
                        queries.sql_text("sample_decks"),
                        {"files": [name], "structure": _DECKS_TEXT},
                    ).fetchall()
        for deck_id, count in rows:
            counts[deck_id] = counts.get(deck_id, 0) + int(count)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _staged_file(row: Sequence[Any], files: Sequence[Path]) -> StagedFile:
    file_id = int(row[0])
    return StagedFile(
        file_id=file_id,
        path=files[file_id],
        valid_json=bool(row[1]),
        format=row[2],
        format_version=row[3],
        learner=row[4],
        exported_at=row[5],
        review_count=int(row[6]),
        bad_review=row[7] or None,
        bad_attempt=row[8] or None,
        deck_ids=tuple(row[9] or ()),
    )


def _unreadable(path: Path, error: Exception) -> str:
    """Why DuckDB could not read a file at all, in the user's terms."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "is not UTF-8 text (not a file `quiztui progress export` wrote, or damaged)"
    except OSError as os_error:
        return f"cannot be read ({os_error.strerror or os_error})"
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"cannot be read ({first_line})"


def json_problem(path: Path) -> str:
    """Where a file that is not valid JSON goes wrong, as Python's parser says (line and column)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot be read ({error})"
    if not text.strip():
        return "is empty"
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return (
            f"is not valid JSON at line {error.lineno}, column {error.colno} ({error.msg});"
            " it was damaged or cut short: export it again"
        )
    return "is not valid JSON"
