"""What every study session shares: the context (store, clock, settings) and a presented item.

Built once in `main()` and handed around, so the TUI holds no storage or scheduling logic and
tests stand at any moment with a `FixedClock` and a temporary store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from quiztui.days import Clock, SystemClock, learning_day
from quiztui.deck.model import Choice, Deck, Item, Question
from quiztui.scheduling import Scheduler, make_scheduler
from quiztui.settings import Settings, load_settings
from quiztui.store import Mode, ReviewRecord, Store
from quiztui.study.marks import check_leech


def scheduler_for(settings: Settings, store: Store) -> Scheduler:
    """The scheduler the settings choose, with the FSRS parameters fitted to this store's log
    (`quiztui fsrs-optimize`) when there are some."""
    if settings.scheduler == "fsrs":
        return make_scheduler("fsrs", settings.desired_retention, store.fsrs_parameters())
    return make_scheduler(settings.scheduler)


@dataclass(frozen=True, slots=True)
class StudyContext:
    """What every session needs: the store, the clock, the settings. Built once in main()."""

    store: Store
    clock: Clock
    settings: Settings

    def __post_init__(self) -> None:
        """Put the store on the scheduler the settings choose (replaying the log if it was on
        another), so that every context, however it was built, schedules as its settings say."""
        self.store.use_scheduler(scheduler_for(self.settings, self.store))

    @property
    def scheduler(self) -> Scheduler:
        """The scheduler in force: the store's, which the settings chose."""
        return self.store.scheduler

    def today(self) -> date:
        """The learner's current learning day."""
        return learning_day(self.clock.now(), self.settings.rollover_hour)

    def now(self) -> datetime:
        """The current instant (aware, the learner's zone)."""
        return self.clock.now()


def open_context(
    store: Store | None = None, clock: Clock | None = None, settings: Settings | None = None
) -> StudyContext:
    """A context on the data directory's store, the system clock and the settings file.

    Raises StoreError or SettingsError (both QuiztuiError) with a message for the learner.
    """
    settings = load_settings() if settings is None else settings
    store = Store.open() if store is None else store
    return StudyContext(store, clock or SystemClock(), settings)


@dataclass(frozen=True, slots=True)
class Presented:
    """One item as shown: for a question, its choices in the order shown this time."""

    deck: Deck
    item: Item
    """A Question or a KeyPoint."""
    choice_order: tuple[str, ...]
    """Choice ids in display order (() for a key point); shuffled unless question.shuffle is off."""
    is_redrill: bool = False
    """True when it comes back the same day because it was graded below 4."""

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The question's choices in display order (() for a key point)."""
        if not isinstance(self.item, Question):
            return ()
        return tuple(self.item.choice(choice_id) for choice_id in self.choice_order)


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What came of answering a question; already committed to the store."""

    correct: bool
    grade: int
    """1 wrong, 4 right (before any confidence change; 3 or 5 after one)."""
    picked: frozenset[str]
    correct_ids: frozenset[str]
    review_id: int
    """The log row."""
    review_uid: str = ""
    """The log row's uid (stable across imports)."""


def choice_order(item: Item, rng: random.Random, *, shuffle: bool = True) -> tuple[str, ...]:
    """The order to show a question's choices in: shuffled, or as written when the question's
    shuffle is off (or `shuffle` is, the learner's `shuffle_choices` setting)."""
    if not isinstance(item, Question):
        return ()
    ids = [choice.id for choice in item.choices]
    if item.shuffle and shuffle:
        rng.shuffle(ids)
    return tuple(ids)


def present(
    deck: Deck, item: Item, rng: random.Random, *, is_redrill: bool = False, shuffle: bool = True
) -> Presented:
    """The item ready to show, with a fresh choice order (see `choice_order`)."""
    return Presented(deck, item, choice_order(item, rng, shuffle=shuffle), is_redrill)


def grade_question(question: Question, picked: frozenset[str]) -> tuple[bool, int]:
    """Right (grade 4) when exactly the correct choices were picked, else wrong (grade 1).

    ValueError for a choice id the question does not have.
    """
    known = {choice.id for choice in question.choices}
    unknown = set(picked) - known
    if unknown:
        raise ValueError(f"question {question.id!r} has no choice {sorted(unknown)[0]!r}")
    correct = frozenset(picked) == question.correct_choice_ids
    return correct, (4 if correct else 1)


def record(
    ctx: StudyContext,
    deck: Deck,
    item: Item,
    mode: Mode,
    grade: int,
    seconds: float,
    *,
    picked: frozenset[str] = frozenset(),
    correct: bool | None = None,
    attempt_uid: str | None = None,
) -> ReviewRecord:
    """Log one answer for the item at the context's current moment (committed on return).

    A lapse that brings the item to the leech threshold makes it a leech, suspended (see
    `quiztui.study.marks`); the screens tell the learner once.
    """
    now = ctx.now()
    row = ctx.store.record_review(
        deck_id=deck.id,
        item_id=item.id,
        kind=item.kind,
        mode=mode,
        grade=grade,
        answer_key=item.answer_key,
        learning_day=learning_day(now, ctx.settings.rollover_hour),
        at=now,
        seconds=seconds,
        picked=picked,
        correct=correct,
        attempt_uid=attempt_uid,
    )
    threshold = ctx.settings.leech_threshold
    check_leech(ctx.store, threshold, deck.id, item.id, mode, grade, now)
    return row


def outcome_of(question: Question, row: ReviewRecord) -> AnswerOutcome:
    """The outcome a logged question answer had."""
    return AnswerOutcome(
        correct=bool(row.correct),
        grade=row.grade,
        picked=frozenset(row.picked),
        correct_ids=question.correct_choice_ids,
        review_id=row.id,
        review_uid=row.uid,
    )
