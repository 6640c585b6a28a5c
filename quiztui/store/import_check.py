"""Checking a progress file before anything of it is imported: every entry must be possible.

An import is checked whole, outside any write transaction (so a big file never holds the
database's lock while it is read), and refused whole at the first entry that cannot be true:
a review dated in the future or before 2000, a learning day that does not match its time, a
time taken that is not a number or longer than a day, a grade outside 0-5. Such an entry would
otherwise freeze an item until the year 2100, or make every later `quiztui stats` fail. Each
refusal names the file and the entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn

from quiztui.days import from_utc_text, to_utc_text
from quiztui.errors import QuiztuiError
from quiztui.store.records import MARK_KINDS, MODES, STEPS

FORMAT_NAME = "quiztui-progress"
FORMAT_VERSION = 2
"""2: item marks and exams added (version 1 files still import)."""

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No quiztui answer can be older than this; an earlier date is a broken clock or an edit."""

CLOCK_SKEW = timedelta(hours=1)
"""How far in the future an exported time may lie (two machines' clocks seldom agree)."""

MAX_DAY_DRIFT = timedelta(days=2)
"""How far a review's learning day may lie from its UTC date. The learning day is the local
date less the rollover hour: local time runs from UTC-12 to UTC+14 and the rollover goes up to
23 h, so the day can start 35 hours before the UTC time (two dates back) or 14 after."""

MAX_SECONDS = 24 * 60 * 60
"""The longest time an answer can have taken: a day (more is a clock or an edit)."""

SHOWN_CHARACTERS = 60
"""How much of a bad value a message quotes."""


class ProgressFileError(QuiztuiError):
    """A progress file cannot be imported: the message names the file, the entry and the fix."""


@dataclass(frozen=True, slots=True)
class CheckedImport:
    """A progress file's entries, checked and laid out as table rows, ready to merge."""

    source: str
    """The file they came from (for messages)."""
    reviews: tuple[tuple[Any, ...], ...]
    """`reviews` rows without their id, in `REVIEW_COLUMNS` order."""
    attempts: tuple[tuple[Any, ...], ...]
    """`attempts` rows in `ATTEMPT_COLUMNS` order."""
    steps: tuple[tuple[Any, ...], ...]
    """`step_marks` rows: deck id, part id, step, marked at."""
    marks: tuple[tuple[Any, ...], ...] = ()
    """`item_marks` rows without their id (format 2)."""
    exams: tuple[tuple[Any, ...], ...] = ()
    """`exams` rows (format 2)."""


def shown(value: Any) -> str:
    """A value as a message quotes it: its repr, cut short when long."""
    text = repr(value)
    if len(text) > SHOWN_CHARACTERS:
        return f"{text[:SHOWN_CHARACTERS]}... ({len(text)} characters)"
    return text


class _Checker:
    """Reads one entry of the file, raising ProgressFileError that says where and what."""

    def __init__(self, source: str, where: str, entry: Any, now: datetime) -> None:
        self.source, self.where, self.now = source, where, now
        if not isinstance(entry, dict):
            self.fail("is not an object")
        self.entry: dict[str, Any] = entry
        uid = entry.get("uid")
        if isinstance(uid, str) and uid:
            self.where = f"{where} (uid {shown(uid)})"

    def fail(self, problem: str) -> NoReturn:
        raise ProgressFileError(
            f"{self.source}: {self.where} {problem}. Nothing was imported; this is not what"
            " `quiztui progress export` writes, so the file was edited or written on a machine"
            " with a wrong clock: fix or remove that entry and import again."
        )

    def text(self, key: str, *, optional: bool = False) -> Any:
        value = self.entry.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not (value or key == "answer_key"):
            self.fail(f"has no valid {key!r}")
        return value

    def moment(self, key: str, *, optional: bool = False) -> datetime | None:
        value = self.text(key, optional=optional)
        if value is None:
            return None
        try:
            instant = from_utc_text(value)
        except (ValueError, OverflowError):
            self.fail(f"has a {key!r} that is not a date and time: {shown(value)}")
        if instant < EARLIEST:
            self.fail(f"has a {key!r} before 2000: {shown(value)}")
        if instant > self.now + CLOCK_SKEW:
            self.fail(f"has a {key!r} in the future: {shown(value)}")
        return instant

    def instant(self, key: str, *, optional: bool = False) -> str | None:
        moment = self.moment(key, optional=optional)
        return None if moment is None else to_utc_text(moment)

    def date_only(self, key: str) -> str:
        """A calendar date (a burial's end), checked to be one."""
        value = self.text(key)
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(f"has a {key!r} that is not a date: {shown(value)}")

    def day(self, key: str, near: datetime) -> str:
        value = self.text(key)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(f"has a {key!r} that is not a date: {shown(value)}")
        if abs(day - near.date()) > MAX_DAY_DRIFT:
            self.fail(
                f"has a {key!r} ({day.isoformat()}) more than two days from its time"
                f" ({to_utc_text(near)})"
            )
        return day.isoformat()

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"has no valid {key!r} (a whole number from {low} to {high})")
        return int(value)

    def seconds(self, key: str) -> float:
        value = self.entry.get(key)
        # A range check alone refuses NaN and infinities, and never converts a huge int.
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"has no valid {key!r}")
        if not 0 <= value <= MAX_SECONDS:
            self.fail(f"has a {key!r} that is not from 0 to {MAX_SECONDS} (a day): {shown(value)}")
        return float(value)

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.entry.get(key)
        if value not in allowed:
            self.fail(f"has {key!r} = {shown(value)}, not one of {', '.join(allowed)}")
        return str(value)

    def strings(self, key: str) -> list[str]:
        value = self.entry.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"has no valid {key!r} (a list of ids)")
        return list(value)


def _review_row(source: str, index: int, entry: Any, now: datetime) -> tuple[Any, ...]:
    c = _Checker(source, f"review #{index + 1}", entry, now)
    correct = c.entry.get("correct")
    if correct is not None and not isinstance(correct, bool):
        c.fail("has a 'correct' that is not true, false or null")
    seconds = c.seconds("seconds")
    reviewed_at = c.moment("reviewed_at")
    assert reviewed_at is not None
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
        seconds,
        to_utc_text(reviewed_at),
        c.day("learning_day", reviewed_at),
        c.text("answer_key"),
        c.text("attempt_uid", optional=True),
        c.instant("amended_at", optional=True),
        c.instant("undone_at", optional=True),
    )


def _attempt_row(source: str, index: int, entry: Any, now: datetime) -> tuple[Any, ...]:
    c = _Checker(source, f"attempt #{index + 1}", entry, now)
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


def _step_row(source: str, index: int, entry: Any, now: datetime) -> tuple[Any, ...]:
    c = _Checker(source, f"step #{index + 1}", entry, now)
    return (
        c.text("deck_id"),
        c.text("part_id"),
        c.choice("step", STEPS),
        c.instant("marked_at"),
    )


def _mark_row(source: str, index: int, entry: Any, now: datetime) -> tuple[Any, ...]:
    c = _Checker(source, f"mark #{index + 1}", entry, now)
    value = c.entry.get("value")
    if not isinstance(value, bool):
        c.fail("has a 'value' that is not true or false")
    day = c.entry.get("day")
    return (
        c.text("uid"),
        c.text("batch"),
        c.text("deck_id"),
        c.text("item_id"),
        c.choice("mark", MARK_KINDS),
        int(value),
        None if day is None else c.date_only("day"),
        c.text("after_uid", optional=True),
        c.instant("marked_at"),
        c.instant("undone_at", optional=True),
    )


def _exam_row(source: str, index: int, entry: Any, now: datetime) -> tuple[Any, ...]:
    c = _Checker(source, f"exam #{index + 1}", entry, now)

    def mapping(key: str, check: Callable[[Any], bool]) -> dict[str, Any]:
        value = c.entry.get(key, {})
        if not isinstance(value, dict) or not all(check(v) for v in value.values()):
            c.fail(f"has no valid {key!r}")
        return value

    def ids(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(i, str) for i in value)

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0

    limit = c.entry.get("time_limit")
    if limit is not None and not (number(limit) and limit > 0):
        c.fail("has a 'time_limit' that is not a positive number of seconds")
    elapsed = c.entry.get("elapsed", 0)
    if not number(elapsed):
        c.fail("has no valid 'elapsed'")
    return (
        c.text("uid"),
        c.text("deck_id"),
        json.dumps(c.strings("question_ids")),
        json.dumps(mapping("choice_orders", ids)),
        json.dumps(c.strings("part_ids")),
        json.dumps(c.strings("tags")),
        limit,
        json.dumps(mapping("answers", ids)),
        json.dumps(c.strings("flags")),
        json.dumps(mapping("seconds", number)),
        float(elapsed),
        c.integer("position", 0, 1_000_000),
        c.instant("started_at"),
        c.instant("finished_at", optional=True),
        c.instant("abandoned_at", optional=True),
        int(bool(c.entry.get("timed_out", False))),
    )


def _entries(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProgressFileError(f"{source}: {key!r} is not a list; nothing was imported")
    return value


def check_import(data: Any, source: str, *, now: datetime | None = None) -> CheckedImport:
    """Every entry of an exported history checked and laid out as rows (nothing is written).

    `now` (default: the system clock) is what "in the future" is measured from. Raises
    ProgressFileError, naming `source` and the entry, at the first entry that cannot be true.
    """
    now = datetime.now(UTC) if now is None else now
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ProgressFileError(
            f'{source}: is not a quiztui progress file (no "format": "{FORMAT_NAME}");'
            " nothing was imported"
        )
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version > FORMAT_VERSION:
        raise ProgressFileError(
            f"{source}: uses progress file format {shown(version)}; this quiztui reads up to"
            f" {FORMAT_VERSION}. Upgrade quiztui to import it; nothing was imported."
        )
    return CheckedImport(
        source,
        tuple(
            _review_row(source, i, e, now) for i, e in enumerate(_entries(data, "reviews", source))
        ),
        tuple(
            _attempt_row(source, i, e, now)
            for i, e in enumerate(_entries(data, "attempts", source))
        ),
        tuple(_step_row(source, i, e, now) for i, e in enumerate(_entries(data, "steps", source))),
        tuple(_mark_row(source, i, e, now) for i, e in enumerate(_entries(data, "marks", source))),
        tuple(_exam_row(source, i, e, now) for i, e in enumerate(_entries(data, "exams", source))),
    )
