"""What statistics need from the review log, kept in a file of its own beside the cache.

Most statistics are sums over the log by learning day; true retention also needs, for every
review, the item's schedule just before it (had the item been learned, was its interval young
or mature?). The log does not keep that: it is the replay of every earlier answer to the item.
With a million reviews, grouping the log by day costs about half a second and replaying it a
few seconds, so the sums are kept in a derived SQLite file (`cache_dir()/statistics/`) and
brought up to date with the answers added since: the log is append-only, so an update replays
only the new rows.

The kept part covers the *settled* rows: those of learning days before yesterday, which only an
import or an adopted rename can still change. Every read checks that the kept prefix of the log
is unchanged (a count and a weighted sum of grades and undos over it, and the renames table) and
rebuilds from scratch when it is not; a read whose store files have not changed since the last
check (their size and modification time, older than two seconds, as git trusts its index) skips
even that. Rows of yesterday and today are replayed on each read, never kept, so an undo or a
confidence change is seen at once.

What a row counts as (see docs/statistics.md):

- **new**: an answer that schedules (post, learn, review) to an item with no schedule yet (or
  whose answer key changed since).
- **review**: an answer that schedules, to an item whose last review was recalled.
- **learning**: a pre-check answer; an answer that schedules to an item whose last review failed
  (relearning); a second answer that schedules on one learning day (it changes nothing).
- **redrill**, **practice**, **exam**: by mode.

A review "of an item already learned" is an answer that schedules to an item that had a schedule
(interval >= 1 day) from an earlier learning day: new-category rows and same-day repeats are not.
Its maturity is that interval: young below 21 days, mature from 21. It was right when graded 3 or
more (SM-2's pass). Only these rows carry a maturity; true retention is their share right.

A **lapse** (the hardest items) is the store's (`quiztui.store.marks.lapses`, which the browser
and leech detection read; docs/scheduling.md): a failed review that changes the schedule of an
item learned (repetitions >= 1 before it; a relearning item's failures are not lapses), counted
since the item's last reset. A reset forgets the item's replay state after the last log row it
names (as the store's `counted`): the rows up to it keep what they counted as, the next answer
is new again. The kept file records the resets it was replayed under and is rebuilt when a
reset made or undone since changes what a kept row of its item counted as.

This module holds everything specific to SM-2 in the statistics (the replay of the state before
each review); a second scheduler adds its own figures beside `Sm2Replay`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from quiztui.sm2 import ItemState, review
from quiztui.store.marks import ItemKey, fold_marks
from quiztui.store.records import SCHEDULING_MODES, MarkEvent
from quiztui.store.rows import MARK_COLUMNS, mark_from_row

FACTS_VERSION = 3
"""Bumped whenever what the file keeps changes (an older file is then rebuilt)."""

MATURE_DAYS = 21
"""An interval of 21 days or more is mature (Anki's threshold)."""

PASS_GRADE = 3
"""Grades from 3 up are right answers (SM-2's pass)."""

Category = Literal["new", "learning", "review", "redrill", "practice", "exam"]
CATEGORIES: tuple[Category, ...] = ("new", "learning", "review", "redrill", "practice", "exam")
"""Every category of a log row, in the order the charts stack them."""

Maturity = Literal["young", "mature"]

_BY_MODE: dict[str, Category] = {
    "pre": "learning",
    "redrill": "redrill",
    "practice": "practice",
    "exam": "exam",
}

RACY_SECONDS = 2.0
"""A store file changed this recently may change again within the same timestamp tick."""

ReadRows = Callable[[str, Sequence[Any]], list[Any]]
"""Runs one read on the store's connection: the store's `_read`."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A count of log rows (and their seconds) sharing every field here."""

    deck_id: str
    day: date
    category: Category
    kind: str
    maturity: Maturity | None
    """Set only for reviews of items already learned (the rows of true retention)."""
    right: bool
    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ItemHistory:
    """An item the learner lapsed on, as the replay knows it at the end of the log."""

    deck_id: str
    item_id: str
    answer_key: str
    lapses: int
    """Its lapses as the store counts them (`Store.lapses`): failed reviews that changed the
    schedule of the item learned, since its last reset (under this answer key)."""
    reviews: int
    """Reviews of the item once learned (the rows of true retention)."""
    easiness: int
    """Its easiness factor now, in hundredths."""


@dataclass(frozen=True, slots=True)
class DayCategory:
    """One learning day's answers of one category, and their seconds."""

    day: date
    category: Category
    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class WeekRetention:
    """Reviews of learned items in one week, of one kind and maturity, right or wrong."""

    week: date
    """The Monday."""
    kind: str
    maturity: Maturity
    right: bool
    count: int


@dataclass(frozen=True, slots=True)
class FactsSnapshot:
    """The sums statistics need over some decks' logs, and their most lapsed items."""

    daily: dict[date, int]
    """Answers per learning day, every day with one."""
    by_day: tuple[DayCategory, ...]
    """Per day from `since` on, and per category."""
    by_week: tuple[WeekRetention, ...]
    """Per week from `since` on: the rows of true retention."""
    lapsed: tuple[ItemHistory, ...]
    """The items with the most lapses, then the lowest easiness (at most `LAPSED_LIMIT`)."""
    rebuilt: bool = False
    """True when this read had to build the kept file from scratch."""


LAPSED_LIMIT = 200
"""How many of the most lapsed items a snapshot carries (the screen lists ten)."""

FORGOT_ALL = 2**62
"""The cut of a reset whose last row is not in the log: every row of the item is forgotten
(as the store's `counted` skips them all)."""

END_OF_LOG = 2**63 - 1
"""A position after every log row."""


@dataclass(slots=True)
class _Item:
    """One item's replay state: its SM-2 schedule under an answer key, and its lapses."""

    answer_key: str
    state: ItemState
    lapses: int = 0
    reviews: int = 0
    since: int = 0
    """The log row the schedule began with (the item's first answer, or its first after a
    reset or a change of answer key)."""

    def copy(self) -> _Item:
        return _Item(self.answer_key, self.state, self.lapses, self.reviews, self.since)


_Key = tuple[str, date, Category, str, Maturity | None, bool]

_Row = tuple[int, str, str, str, str, int, float, str, str]
"""A log row as replayed: `_ROW_COLUMNS`."""


@dataclass(slots=True)
class Sm2Replay:
    """The SM-2 replay of the log that says, for each row, what it counts as (see the module).

    `items` holds the states of the items replayed so far (the caller loads the kept ones
    first); `sums` what the rows replayed added, by fact; `cuts`, for each item reset, the id of
    the last log row its latest reset forgot (`reset_cuts`).
    """

    items: dict[ItemKey, _Item] = field(default_factory=dict)
    sums: dict[_Key, list[float]] = field(default_factory=dict)
    touched: set[ItemKey] = field(default_factory=set)
    cuts: dict[ItemKey, int] = field(default_factory=dict)

    def standing(self, key: ItemKey, item: _Item, at: int = END_OF_LOG) -> bool:
        """Whether the item's replay state still holds at log row `at` (by default, at the end
        of the log): False once a reset has forgotten it (its cut lies from its first row to
        before `at`)."""
        cut = self.cuts.get(key)
        return cut is None or not item.since <= cut < at

    def add(
        self,
        row_id: int,
        deck_id: str,
        item_id: str,
        kind: str,
        mode: str,
        grade: int,
        seconds: float,
        day: date,
        answer_key: str,
    ) -> None:
        """Count one live log row (`row_id`), in log order, and advance its item's schedule."""
        maturity: Maturity | None = None
        category = _BY_MODE.get(mode, "learning")
        if mode in SCHEDULING_MODES:
            key = (deck_id, item_id)
            self.touched.add(key)
            item = self.items.get(key)
            if (
                item is None
                or item.answer_key != answer_key
                or not self.standing(key, item, row_id)
            ):
                category = "new"
                self.items[key] = _Item(answer_key, review(None, grade, day), since=row_id)
            else:
                before = item.state
                if before.last_review is not None and day <= before.last_review:
                    category = "learning"
                else:
                    category = "review" if before.repetitions >= 1 else "learning"
                    maturity = "young" if before.interval < MATURE_DAYS else "mature"
                    item.reviews += 1
                    if grade < PASS_GRADE and before.repetitions >= 1:
                        item.lapses += 1  # a lapse as `quiztui.store.marks.lapses` counts it
                    item.state = review(before, grade, day)
        sums = self.sums.setdefault(
            (deck_id, day, category, kind, maturity, grade >= PASS_GRADE), [0, 0.0]
        )
        sums[0] += 1
        sums[1] += seconds

    def facts(self) -> list[Fact]:
        """What the rows replayed added."""
        return [Fact(*key, int(count), seconds) for key, (count, seconds) in self.sums.items()]


_ROW_COLUMNS = "id, deck_id, item_id, kind, mode, grade, seconds, learning_day, answer_key"

_FINGERPRINT = (
    "SELECT count(*), total((grade + 8 * (undone_at IS NULL)) * (id % 9973 + 1))"
    " FROM reviews WHERE id <= ?"
)
"""A count and a weighted sum of grades and undos over the kept rows: any change to them (an
undo, a confidence change, an import that renumbers the log) moves it."""

_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (
    deck_id TEXT NOT NULL, day TEXT NOT NULL, category TEXT NOT NULL, kind TEXT NOT NULL,
    maturity TEXT NOT NULL, right INTEGER NOT NULL, count INTEGER NOT NULL, seconds REAL NOT NULL,
    PRIMARY KEY (deck_id, day, category, kind, maturity, right)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily (
    deck_id TEXT NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (deck_id, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
    deck_id TEXT NOT NULL, item_id TEXT NOT NULL, answer_key TEXT NOT NULL,
    easiness INTEGER NOT NULL, repetitions INTEGER NOT NULL, interval INTEGER NOT NULL,
    due TEXT NOT NULL, last_review TEXT, lapses INTEGER NOT NULL, reviews INTEGER NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (deck_id, item_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_by_lapses ON items (lapses DESC, easiness) WHERE lapses > 0;
CREATE TABLE IF NOT EXISTS resets (
    deck_id TEXT NOT NULL, item_id TEXT NOT NULL, cut INTEGER NOT NULL,
    PRIMARY KEY (deck_id, item_id)
) WITHOUT ROWID
"""
"""`resets` holds the cuts (`reset_cuts`) the kept rows were replayed under."""

_TABLES = ("facts", "daily", "items", "resets")


def facts_path(store_path: Path, cache_dir: Path) -> Path:
    """Where the kept facts of the store at `store_path` live."""
    digest = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "statistics" / f"facts-{digest}.sqlite3"


def _stat_stamp(store_path: Path) -> str | None:
    """The store files' sizes and change times, or None when one changed too recently to trust."""
    parts = []
    now = time.time()
    for path in (store_path, store_path.with_name(store_path.name + "-wal")):
        try:
            info = os.stat(path)
        except OSError:
            parts.append("-")
            continue
        if path is not store_path and info.st_size == 0:
            parts.append("-")  # an empty write-ahead log holds nothing (opening creates one)
            continue
        if now - info.st_mtime < RACY_SECONDS:
            return None
        parts.append(f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def read_facts(
    read: ReadRows,
    store_path: Path,
    cache_dir: Path,
    today: date,
    deck_ids: Sequence[str] | None = None,
    since: date = date.min,
) -> FactsSnapshot:
    """The sums of the store's live log (of `deck_ids`, default all; per day and per week from
    `since` on), the kept part brought up to date first.

    `today` is the learner's learning day: rows of it and of the day before are replayed but
    never kept. A cache file that cannot be used (a read-only cache folder, a damaged file) is
    not an error: the facts are then worked out in memory, or the file made anew.
    """
    path = facts_path(store_path, cache_dir)
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            cache = sqlite3.connect(path, timeout=10.0, isolation_level=None)
        except (OSError, sqlite3.Error):
            break
        try:
            return _read_through(cache, read, store_path, today, deck_ids, since)
        except sqlite3.DatabaseError:
            if attempt:
                break
            cache.close()
            path.unlink(missing_ok=True)
        finally:
            cache.close()
    return _in_memory(read, deck_ids, since)


def _in_memory(read: ReadRows, deck_ids: Sequence[str] | None, since: date) -> FactsSnapshot:
    """Every fact worked out from the whole log, keeping nothing."""
    replay = Sm2Replay(cuts=reset_cuts(read))
    _replay(replay, _rows_after(read, 0), date.max)
    wanted = None if deck_ids is None else set(deck_ids)
    facts = [f for f in replay.facts() if wanted is None or f.deck_id in wanted]
    lapsed = sorted(
        (
            ItemHistory(
                d, i, item.answer_key, item.lapses, item.reviews, item.state.easiness_hundredths
            )
            for (d, i), item in replay.items.items()
            if item.lapses and (wanted is None or d in wanted) and replay.standing((d, i), item)
        ),
        key=lambda h: (-h.lapses, h.easiness, h.deck_id, h.item_id),
    )
    return _summary(_Sums(), facts, since, tuple(lapsed[:LAPSED_LIMIT]), rebuilt=True)


def _rows_after(read: ReadRows, after_id: int) -> list[_Row]:
    rows: list[_Row] = read(
        f"SELECT {_ROW_COLUMNS} FROM reviews WHERE id > ? AND undone_at IS NULL ORDER BY id",
        (after_id,),
    )
    return rows


def reset_cuts(read: ReadRows) -> dict[ItemKey, int]:
    """For each item reset (and not undone), the id of the last log row its latest reset forgot
    (`FORGOT_ALL` when that row is not in the log): the store's `quiztui.store.marks.reset_cuts`,
    read through `read`."""
    if not read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'item_marks'", ()):
        return {}  # a schema from before marks
    columns = ", ".join(f"m.{column}" for column in MARK_COLUMNS.split(", "))
    rows = read(
        f"SELECT {columns}, r.id FROM item_marks m LEFT JOIN reviews r ON r.uid = m.after_uid"
        " WHERE m.mark = 'reset' AND m.undone_at IS NULL",
        (),
    )
    events: list[MarkEvent] = []
    row_ids: dict[str, int] = {}
    for row in rows:
        event = mark_from_row(row[:-1])
        events.append(event)
        if event.after_uid is not None and row[-1] is not None:
            row_ids[event.after_uid] = int(row[-1])
    return {
        key: row_ids.get(marks.reset_after, FORGOT_ALL)
        for key, marks in fold_marks(events).items()
        if marks.reset_after is not None
    }


UNREADABLE: list[tuple[int, str]] = []
"""Log rows (id, what is wrong) the replays skipped since the store last asked (`unreadable`)."""


def unreadable() -> list[tuple[int, str]]:
    """The log rows skipped because their learning day cannot be read, and why; then forgets."""
    found = list(UNREADABLE)
    UNREADABLE.clear()
    return found


def _replay(replay: Sm2Replay, rows: Sequence[_Row], settled_before: date) -> int:
    """Replay rows in order while their day is before `settled_before`; how many it took.

    A row whose learning day cannot be read is skipped (and noted in `UNREADABLE`), so a
    damaged row never ends a report."""
    add = replay.add
    parse = date.fromisoformat
    for index, (row_id, deck_id, item_id, kind, mode, grade, seconds, day_text, key) in enumerate(
        rows
    ):
        try:
            day = parse(day_text)
        except (TypeError, ValueError) as error:
            UNREADABLE.append((row_id, f"learning_day {day_text!r}: {error}"))
            continue
        if day >= settled_before:
            return index
        add(row_id, deck_id, item_id, kind, mode, grade, seconds, day, key)
    return len(rows)


def _load_items(cache: sqlite3.Connection, replay: Sm2Replay, rows: Iterable[_Row]) -> None:
    """Bring the kept states of the rows' items into the replay (those it lacks)."""
    parse = date.fromisoformat
    for row in rows:
        key = (row[1], row[2])
        if key in replay.items or row[4] not in SCHEDULING_MODES:
            continue
        found = cache.execute(
            "SELECT answer_key, easiness, repetitions, interval, due, last_review, lapses,"
            " reviews, since FROM items WHERE deck_id = ? AND item_id = ?",
            key,
        ).fetchone()
        if found is not None:
            answer_key, easiness, repetitions, interval, due, last, lapses, reviews, since = found
            state = ItemState(
                easiness, repetitions, interval, parse(due), parse(last) if last else None
            )
            replay.items[key] = _Item(answer_key, state, lapses, reviews, since)


def _read_through(
    cache: sqlite3.Connection,
    read: ReadRows,
    store_path: Path,
    today: date,
    deck_ids: Sequence[str] | None,
    since: date,
) -> FactsSnapshot:
    """Check and extend the kept facts (one writer at a time), then add the unsettled rows."""
    for statement in _CACHE_SCHEMA.split(";"):
        cache.execute(statement)
    cache.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(cache.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != str(FACTS_VERSION):  # an older file: its tables differ
            for table in _TABLES:
                cache.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _CACHE_SCHEMA.split(";"):
                cache.execute(statement)
        watermark = int(meta.get("watermark", "0"))
        stamp = _stat_stamp(store_path)
        renames = str(read("SELECT count(*), max(id) FROM renames", ())[0])
        valid = meta.get("version") == str(FACTS_VERSION) and meta.get("renames") == renames
        if valid and not (stamp is not None and meta.get("stamp") == stamp):
            valid = meta.get("fingerprint") == str(read(_FINGERPRINT, (watermark,))[0])
        cuts = reset_cuts(read)
        kept_cuts: dict[ItemKey, int] = {
            (deck_id, item_id): cut
            for deck_id, item_id, cut in cache.execute("SELECT deck_id, item_id, cut FROM resets")
        }
        if valid and cuts != kept_cuts:
            valid = not _cuts_change_kept_rows(read, kept_cuts, cuts, watermark)
        if not valid:
            watermark = 0
            for table in _TABLES:
                cache.execute(f"DELETE FROM {table}")
        if not valid or cuts != kept_cuts:
            cache.execute("DELETE FROM resets")
            cache.executemany(
                "INSERT INTO resets VALUES (?, ?, ?)", [(*key, cut) for key, cut in cuts.items()]
            )
        rows = _rows_after(read, watermark)
        settled = Sm2Replay(cuts=cuts)
        _load_items(cache, settled, rows)
        taken = _replay(settled, rows, today - timedelta(days=1))
        if taken:
            watermark = rows[taken - 1][0]
            _save(cache, settled, watermark, read, renames)
        if stamp is not None:
            cache.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
        else:
            cache.execute("DELETE FROM meta WHERE key = 'stamp'")
        cache.execute("COMMIT")
    except BaseException:
        cache.execute("ROLLBACK")
        raise
    unsettled = Sm2Replay({key: item.copy() for key, item in settled.items.items()}, cuts=cuts)
    recent = rows[taken:]
    _load_items(cache, unsettled, recent)
    _replay(unsettled, recent, date.max)
    return _snapshot(cache, unsettled, deck_ids, since, rebuilt=not valid)


def _cuts_change_kept_rows(
    read: ReadRows, kept: dict[ItemKey, int], cuts: dict[ItemKey, int], watermark: int
) -> bool:
    """Whether the resets made or undone since the kept rows were replayed (`kept` then, `cuts`
    now) change what one of them counted as: a kept row of the item after the earlier cut.

    A reset names the item's last row, so making or undoing one changes no kept row unless the
    item was answered after it (the lazy forgetting of `Sm2Replay.standing` does the rest)."""
    for key in kept.keys() | cuts.keys():
        old, new = kept.get(key, END_OF_LOG), cuts.get(key, END_OF_LOG)
        if old == new or min(old, new) >= watermark:
            continue
        if read(
            "SELECT 1 FROM reviews WHERE deck_id = ? AND item_id = ? AND id > ? AND id <= ?"
            " AND undone_at IS NULL LIMIT 1",
            (*key, min(old, new), watermark),
        ):
            return True
    return False


def _save(
    cache: sqlite3.Connection, replay: Sm2Replay, watermark: int, read: ReadRows, renames: str
) -> None:
    """Add the replayed rows to the kept facts and states (inside the caller's transaction)."""
    cache.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
        " count = count + excluded.count, seconds = seconds + excluded.seconds",
        [_fact_row(f) for f in replay.facts()],
    )
    daily: dict[tuple[str, str], int] = {}
    for fact in replay.facts():
        key = (fact.deck_id, fact.day.isoformat())
        daily[key] = daily.get(key, 0) + fact.count
    cache.executemany(
        "INSERT INTO daily VALUES (?, ?, ?)"
        " ON CONFLICT DO UPDATE SET count = count + excluded.count",
        [(*key, count) for key, count in daily.items()],
    )
    cache.executemany(
        "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_item_row(key, replay.items[key]) for key in replay.touched],
    )
    fingerprint = str(read(_FINGERPRINT, (watermark,))[0])
    cache.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        (
            ("version", str(FACTS_VERSION)),
            ("watermark", str(watermark)),
            ("fingerprint", fingerprint),
            ("renames", renames),
        ),
    )


def _item_row(key: ItemKey, item: _Item) -> tuple[object, ...]:
    """The kept row of one item's replay state."""
    s = item.state
    last = s.last_review.isoformat() if s.last_review else None
    return (
        *key,
        item.answer_key,
        s.easiness_hundredths,
        s.repetitions,
        s.interval,
        s.due.isoformat(),
        last,
        item.lapses,
        item.reviews,
        item.since,
    )


def _fact_row(fact: Fact) -> tuple[object, ...]:
    """The kept row of one fact (no maturity kept as "": a key column cannot be NULL)."""
    return (
        fact.deck_id,
        fact.day.isoformat(),
        fact.category,
        fact.kind,
        fact.maturity or "",
        int(fact.right),
        fact.count,
        fact.seconds,
    )


@dataclass(slots=True)
class _Sums:
    """The three sums of a snapshot, being added up."""

    daily: dict[date, int] = field(default_factory=dict)
    by_day: dict[tuple[date, Category], list[float]] = field(default_factory=dict)
    by_week: dict[tuple[date, str, Maturity, bool], int] = field(default_factory=dict)

    def add_day(self, day: date, category: Category, count: int, seconds: float) -> None:
        sums = self.by_day.setdefault((day, category), [0, 0.0])
        sums[0] += count
        sums[1] += seconds

    def add_week(self, week: date, kind: str, maturity: Maturity, right: bool, n: int) -> None:
        key = (week, kind, maturity, right)
        self.by_week[key] = self.by_week.get(key, 0) + n


def _summary(
    sums: _Sums,
    facts: Iterable[Fact],
    since: date,
    lapsed: tuple[ItemHistory, ...],
    *,
    rebuilt: bool,
) -> FactsSnapshot:
    """The snapshot of `sums` with `facts` added (facts of the decks asked for only)."""
    for fact in facts:
        sums.daily[fact.day] = sums.daily.get(fact.day, 0) + fact.count
        if fact.day < since:
            continue
        sums.add_day(fact.day, fact.category, fact.count, fact.seconds)
        if fact.maturity is not None:
            week = fact.day - timedelta(days=fact.day.weekday())
            sums.add_week(week, fact.kind, fact.maturity, fact.right, fact.count)
    return FactsSnapshot(
        sums.daily,
        tuple(
            DayCategory(day, category, int(count), seconds)
            for (day, category), (count, seconds) in sorted(sums.by_day.items())
        ),
        tuple(WeekRetention(*key, count) for key, count in sorted(sums.by_week.items())),
        lapsed,
        rebuilt,
    )


def _snapshot(
    cache: sqlite3.Connection,
    recent: Sm2Replay,
    deck_ids: Sequence[str] | None,
    since: date,
    *,
    rebuilt: bool,
) -> FactsSnapshot:
    """The kept sums (added up in SQL: a small table of answers per deck and day, so the
    calendar and the streaks of twenty years read 30,000 rows, not 300,000) and the recent
    rows' together, for the decks asked for."""
    wanted = None if deck_ids is None else set(deck_ids)
    decks: list[Any] = list(deck_ids or ())
    in_decks = f"deck_id IN ({', '.join('?' * len(decks))})" if deck_ids is not None else "1"
    parse = date.fromisoformat
    sums = _Sums()
    for day, count in cache.execute(
        f"SELECT day, sum(count) FROM daily WHERE {in_decks} GROUP BY day", decks
    ):
        sums.daily[parse(day)] = count
    for day, category, count, seconds in cache.execute(
        "SELECT day, category, sum(count), sum(seconds) FROM facts"
        f" WHERE {in_decks} AND day >= ? GROUP BY day, category",
        [*decks, since.isoformat()],
    ):
        sums.add_day(parse(day), category, count, seconds)
    for week, kind, maturity, right, count in cache.execute(
        "SELECT date(day, 'weekday 0', '-6 days') AS week, kind, maturity, right, sum(count)"
        f" FROM facts WHERE {in_decks} AND day >= ? AND maturity != ''"
        " GROUP BY week, kind, maturity, right",
        [*decks, since.isoformat()],
    ):
        sums.add_week(parse(week), kind, maturity, bool(right), count)
    lapsed: dict[ItemKey, ItemHistory] = {}
    for deck_id, item_id, key, lapses, reviews, easiness in cache.execute(
        "SELECT deck_id, item_id, answer_key, lapses, reviews, easiness"
        " FROM items LEFT JOIN resets USING (deck_id, item_id)"
        f" WHERE lapses > 0 AND (cut IS NULL OR since > cut) AND {in_decks}"
        " ORDER BY lapses DESC, easiness LIMIT ?",
        [*decks, LAPSED_LIMIT],
    ):
        lapsed[(deck_id, item_id)] = ItemHistory(deck_id, item_id, key, lapses, reviews, easiness)
    for (deck_id, item_id), item in recent.items.items():
        if wanted is not None and deck_id not in wanted:
            continue
        if not item.lapses or not recent.standing((deck_id, item_id), item):
            lapsed.pop((deck_id, item_id), None)  # a reset or a new answer key since
        else:
            lapsed[(deck_id, item_id)] = ItemHistory(
                deck_id,
                item_id,
                item.answer_key,
                item.lapses,
                item.reviews,
                item.state.easiness_hundredths,
            )
    ordered = sorted(lapsed.values(), key=lambda h: (-h.lapses, h.easiness, h.deck_id, h.item_id))
    facts = [f for f in recent.facts() if wanted is None or f.deck_id in wanted]
    return _summary(sums, facts, since, tuple(ordered[:LAPSED_LIMIT]), rebuilt=rebuilt)


def replay_states(
    rows: Iterable[_Row], cuts: dict[ItemKey, int] | None = None
) -> dict[ItemKey, ItemState]:
    """The schedules a plain replay of log rows (`_ROW_COLUMNS` order) ends with, under the
    resets' `cuts`: for tests that check the replay here agrees with the store's."""
    replay = Sm2Replay(cuts=cuts or {})
    _replay(replay, list(rows), date.max)
    return {key: item.state for key, item in replay.items.items() if replay.standing(key, item)}
