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

SCHEDULING_MODES: frozenset[str] = frozenset({"post", "learn", "review"})
"""Answers in these modes are reviews for every scheduler; re-drills also count for a scheduler
that models same-day reviews (FSRS); the others are logged and change no schedule."""

Kind = Literal["question", "key_point"]

Step = Literal["key_points_opened", "key_points_done", "results_seen"]
"""Marks of where a learner stands in a part, beyond what the checks' attempts say."""

STEPS: tuple[Step, ...] = ("key_points_opened", "key_points_done", "results_seen")


class StoreError(QuiztuiError):
    """The progress store cannot be used: the message names the file, what happened, what to do."""


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

    @property
    def changed(self) -> bool:
        """True when the import changed anything."""
        counts = (self.reviews_added, self.reviews_updated, self.attempts_added, self.steps_added)
        return any(counts)
