"""What the progress store holds, as immutable records, and the one error it raises.

The review log is the truth; item states are a cache of replaying it, kept in step with it in
the same transaction as each answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from quiztui.deck.model import CheckName
from quiztui.errors import QuiztuiError
from quiztui.scheduling.base import ScheduleState

Mode = Literal["pre", "post", "learn", "review", "redrill", "practice", "exam"]
"""Why an answer was given: a check, the first pass through key points, the day's queue, a
same-day re-drill, practice (cram), or a mock exam."""

MODES: tuple[Mode, ...] = ("pre", "post", "learn", "review", "redrill", "practice", "exam")

SCHEDULING_MODES: frozenset[str] = frozenset({"post", "learn", "review", "exam"})
"""Answers in these modes are reviews for every scheduler; re-drills also count for a scheduler
that models same-day reviews (FSRS); the others are logged and change no schedule.

A mock exam's answers count (wrong or unanswered 1, right 4), as the day's first review of
each question it asks; a pre-reading check's never do."""

Kind = Literal["question", "key_point"]

Step = Literal["key_points_opened", "key_points_done", "results_seen"]
"""Marks of where a learner stands in a part, beyond what the checks' attempts say."""

STEPS: tuple[Step, ...] = ("key_points_opened", "key_points_done", "results_seen")


class StoreError(QuiztuiError):
    """The progress store cannot be used: the message names the file, what happened, what to do."""


class StoreUnwritable(StoreError):
    """The database cannot take a write right now (locked, disk full, read-only): it may later."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
        """Why, in a few words for a status line ("disk full")."""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the append-only review log."""

    id: int
    """The local row number (stable until an import merges older history in; see `uid`)."""
    uid: str
    """Unique across machines: what export and import match rows on."""
    deck_id: str
    item_id: str
    kind: Kind
    mode: Mode
    grade: int
    """The grade in effect (after any confidence change)."""
    answered_grade: int
    """The grade as first recorded (1 or 4 for a question, the self-grade for a key point)."""
    picked: tuple[str, ...]
    """The choice ids picked, sorted; () for a key point."""
    correct: bool | None
    """Right or wrong; None for a key point."""
    seconds: float
    reviewed_at: datetime
    """When, in UTC."""
    learning_day: date
    """The learning day it counted for, as reckoned when it was given (what replay uses)."""
    answer_key: str
    """The question's answer key at the time; a later different key means the item starts over."""
    attempt_uid: str | None = None
    """The check attempt it belongs to, for pre and post answers."""
    amended_at: datetime | None = None
    """When the confidence change (3 or 5) was made, if one was."""
    undone_at: datetime | None = None
    """When it was undone; an undone answer stays in the log but counts for nothing."""

    @property
    def undone(self) -> bool:
        """True when the learner took this answer back."""
        return self.undone_at is not None


@dataclass(frozen=True, slots=True)
class StoredState:
    """An item's current schedule, keyed on (deck id, item id)."""

    deck_id: str
    item_id: str
    kind: Kind
    answer_key: str
    """The answer key the state was earned under; if the deck's differs, the item is new again."""
    state: ScheduleState
    """An SM-2 `ItemState` or an `FsrsState`, as the store's scheduler computed it."""
    introduced_on: date
    """The learning day of its first review under this answer key."""
    introduced_by: Mode
    """How it was first reviewed: "review" means the day's queue introduced it as a new item."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One run through a part's pre- or post-reading check."""

    uid: str
    deck_id: str
    part_id: str
    check: CheckName
    question_ids: tuple[str, ...]
    """The questions in the order asked."""
    choice_orders: dict[str, tuple[str, ...]]
    """Per question, the choice ids in the order shown: a resumed attempt shows the same."""
    started_at: datetime
    finished_at: datetime | None = None
    abandoned_at: datetime | None = None
    """Set when a new attempt replaced this unfinished one."""

    @property
    def finished(self) -> bool:
        """True once the learner completed the check."""
        return self.finished_at is not None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What merging an exported history added."""

    reviews_added: int
    reviews_updated: int
    """Rows already present whose undo or confidence change the import brought."""
    attempts_added: int
    steps_added: int
    marks_added: int = 0
    """Item mark events (suspend, bury, flag, leech, reset) the store lacked."""
    exams_added: int = 0

    @property
    def changed(self) -> bool:
        """True when the import changed anything."""
        counts = (
            self.reviews_added,
            self.reviews_updated,
            self.attempts_added,
            self.steps_added,
            self.marks_added,
            self.exams_added,
        )
        return any(counts)


MarkKind = Literal["suspend", "bury", "flag", "leech", "reset"]
"""What a mark event sets: suspended (never scheduled), buried (not today), flagged, a leech
(lapsed too often), or a reset of the schedule (the history stays)."""

MARK_KINDS: tuple[MarkKind, ...] = ("suspend", "bury", "flag", "leech", "reset")


@dataclass(frozen=True, slots=True)
class MarkChange:
    """One mark to set or clear on one item (what `Store.add_marks` is given)."""

    deck_id: str
    item_id: str
    mark: MarkKind
    value: bool = True
    """Set (True) or cleared (False); a reset is always True."""
    day: date | None = None
    """For a bury: the learning day the item is buried for."""


@dataclass(frozen=True, slots=True)
class MarkEvent:
    """One row of the log of mark events: a mark set or cleared on an item."""

    id: int
    uid: str
    batch: str
    """Events written together (one action on several items) share it and undo together."""
    deck_id: str
    item_id: str
    mark: MarkKind
    value: bool
    day: date | None
    """For a bury: the learning day it holds for."""
    after_uid: str | None
    """For a reset: the last log row it forgets (None: the item had no rows)."""
    marked_at: datetime
    undone_at: datetime | None = None

    @property
    def undone(self) -> bool:
        """True when the event was taken back; it stays in the log but counts for nothing."""
        return self.undone_at is not None


@dataclass(frozen=True, slots=True)
class ItemMarks:
    """An item's marks now: the latest live event of each kind."""

    suspended: bool = False
    """Never scheduled until unsuspended."""
    buried_on: date | None = None
    """The learning day it is buried for (it comes back the day after)."""
    flagged: bool = False
    leech: bool = False
    """It lapsed as often as the leech threshold says (and was then suspended)."""
    reset_after: str | None = None
    """The last log row its latest reset forgot, when it was reset."""
    reset_at: datetime | None = None
    """When it was last reset."""

    def buried(self, day: date) -> bool:
        """True when it is buried for `day`."""
        return self.buried_on == day

    def set_aside(self, day: date) -> bool:
        """True when the day's queue must leave it out: suspended, or buried for `day`."""
        return self.suspended or self.buried(day)


NO_MARKS = ItemMarks()
"""The marks of an item that has none."""


@dataclass(frozen=True, slots=True)
class ExamAnswer:
    """One question's answer as an exam is submitted (what `Store.finish_exam` logs)."""

    item_id: str
    grade: int
    """1 wrong, 4 right (exams submitted before blanks stopped being logged also have
    unanswered questions here, graded 1)."""
    answer_key: str
    picked: tuple[str, ...]
    correct: bool
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Exam:
    """A mock exam: its questions, the learner's answers so far, and how it ended."""

    uid: str
    deck_id: str
    question_ids: tuple[str, ...]
    """The questions in the order asked."""
    choice_orders: dict[str, tuple[str, ...]]
    """Per question, the choice ids in the order shown (a resumed exam shows the same)."""
    part_ids: tuple[str, ...]
    """The parts it was drawn from (() for every part)."""
    tags: tuple[str, ...]
    """The tags it was drawn from (() for any)."""
    time_limit: float | None
    """Seconds allowed; None for an untimed exam."""
    answers: dict[str, tuple[str, ...]]
    """The choices picked so far, by question id (answers can change until it is submitted)."""
    flags: tuple[str, ...]
    """Questions flagged to come back to."""
    seconds: dict[str, float]
    """Time spent on each question so far."""
    elapsed: float
    """Seconds used so far (a resumed exam goes on from here)."""
    position: int
    """The question shown when it was left (0-based)."""
    started_at: datetime
    finished_at: datetime | None = None
    abandoned_at: datetime | None = None
    """Set when a new exam of the deck replaced this unfinished one."""
    timed_out: bool = False
    """True when time ran out before the learner submitted it."""

    @property
    def finished(self) -> bool:
        """True once it was submitted (or time ran out)."""
        return self.finished_at is not None

    @property
    def time_left(self) -> float | None:
        """Seconds still allowed (None when untimed)."""
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.elapsed)
