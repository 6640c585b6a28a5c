"""The day's queue of a deck: what is due, what is new, what comes back, and the counts.

`day_queue` is THE query: the review session takes its items from it and `queue_counts` (home
screen, `quiztui stats`) counts them, so the numbers shown always match what a session asks.

Same-day re-drills come from the log and the states alone: an item whose latest answer today,
in a mode that schedules (or a re-drill), brings it back today comes back today. Under SM-2
that is a grade below 4 (its step 7); under FSRS, a learning step that keeps it due today. So a
restart, a crash or a second session the same day finds them.

One rule sets items aside: an item suspended, or buried for the day, is neither due, new nor
re-drilled (`_scan`), so nothing the learner put aside comes back until they take it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import filterfalse, islice

from quiztui.deck.model import Deck, Item, Question
from quiztui.store import SCHEDULING_MODES, ReviewRecord, StoredState
from quiztui.store.records import ItemMarks
from quiztui.study.context import StudyContext


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """How a deck stands today."""

    due: int
    """Due today or overdue."""
    new: int
    """New items that today's queue will introduce (capped by the daily limit)."""
    learned: int
    """Items with a state and repetitions >= 1."""
    retired: int
    """Items in the store no longer in the deck."""
    redrill: int = 0
    """Items graded below 4 today that still have to come back today."""


@dataclass(frozen=True, slots=True)
class DayQueue:
    """A deck's queue for one learning day."""

    deck: Deck
    day: date
    due: tuple[tuple[Item, StoredState], ...]
    """Due or overdue items, most overdue first (deck order among equals)."""
    new: tuple[Item, ...]
    """Unlocked items never reviewed (or whose answer changed), in deck order, up to the limit."""
    learned: int
    retired: int
    redrill: tuple[Item, ...] = ()
    """Items graded below 4 today, to come back today, in the order they were graded."""

    @property
    def counts(self) -> QueueCounts:
        """The numbers shown for this queue."""
        return QueueCounts(
            len(self.due), len(self.new), self.learned, self.retired, len(self.redrill)
        )


def _answer_key(deck: Deck, item_id: str) -> str | None:
    """The item's current answer key, or None when the deck no longer has it."""
    return deck.item(item_id).answer_key if deck.has_item(item_id) else None


def current_states(ctx: StudyContext, deck: Deck) -> dict[str, StoredState]:
    """The states that still count for the deck's items, by item id.

    A state earned under another answer key does not count: that question is new again.
    """
    return {
        item_id: state
        for item_id, state in ctx.store.deck_states(deck.id).items()
        if _answer_key(deck, item_id) == state.answer_key
    }


def unlocked_items(ctx: StudyContext, deck: Deck) -> list[Item]:
    """Items a learner has met, in deck order: new ones may enter the queue.

    A part's key points once its key-point step was opened; its questions once its post-check
    was finished (earlier, reviewing them would spoil the checks).
    """
    steps = ctx.store.steps(deck.id)
    posts_done = ctx.store.finished_parts(deck.id, "post")
    unlocked: list[Item] = []
    for part in deck.parts:
        if "key_points_opened" in steps.get(part.id, frozenset()):
            unlocked.extend(part.key_points)
        if part.id in posts_done:
            unlocked.extend(part.questions)
    return unlocked


REDRILL_MODES: frozenset[str] = SCHEDULING_MODES | {"redrill"}
"""The answers that decide whether an item comes back today: reviews that schedule, and the
re-drills themselves (a re-drill graded 4 or more ends the day's repeats)."""


def redrill_ids(
    ctx: StudyContext, deck: Deck, day: date, current: dict[str, StoredState] | None = None
) -> list[str]:
    """Items of the deck whose latest answer on `day` brings them back that day, oldest first
    (graded below 4 under SM-2; still on a learning step under FSRS). An answer from before
    the item was reset counts for nothing."""
    current = current_states(ctx, deck) if current is None else current
    scheduler = ctx.scheduler
    marks = ctx.store.item_marks(deck.id)
    found = []
    for row in ctx.store.latest_answers_on(deck.id, day, REDRILL_MODES):
        if not deck.has_item(row.item_id) or deck.item(row.item_id).answer_key != row.answer_key:
            continue
        if _reset_since(marks.get(row.item_id), row):
            continue
        stored = current.get(row.item_id)
        if scheduler.back_today(None if stored is None else stored.state, row.grade, day):
            found.append(row.item_id)
    return found


def _reset_since(marks: ItemMarks | None, row: ReviewRecord) -> bool:
    """Whether the item was reset after this answer was given."""
    return marks is not None and marks.reset_at is not None and marks.reset_at >= row.reviewed_at


def set_aside_ids(ctx: StudyContext, deck: Deck, day: date) -> frozenset[str]:
    """The items the day's queue leaves out: suspended, or buried for `day`."""
    return frozenset(
        item_id for item_id, marks in ctx.store.item_marks(deck.id).items() if marks.set_aside(day)
    )


def review_budget(ctx: StudyContext, deck: Deck, day: date) -> int | None:
    """How many more due items the deck's queue may ask on `day` (None: no daily limit)."""
    limit = ctx.settings.reviews_per_day
    if not limit:
        return None
    reviewed = len(ctx.store.latest_answers_on(deck.id, day, ("review",)))
    introduced = ctx.store.introduced_count(deck.id, day, "review")
    return max(0, limit - (reviewed - introduced))


@dataclass(frozen=True, slots=True)
class _Scan:
    """The one reading of a deck's states that both the queue and its counts come from."""

    current: dict[str, StoredState]
    due_ids: list[str]
    """The due items' ids, unsorted (before the daily limit)."""
    due_budget: int | None
    """How many of them the queue may ask today (None: all)."""
    new_ids: list[str]
    learned: int
    retired: int
    redrill_ids: list[str]

    @property
    def due_count(self) -> int:
        """How many due items the queue asks today."""
        count = len(self.due_ids)
        return count if self.due_budget is None else min(count, self.due_budget)


def _scan(
    ctx: StudyContext, deck: Deck, day: date, current: dict[str, StoredState] | None = None
) -> _Scan:
    """Today's due, new, learned and retired items of a deck, in one pass over its states
    (`current`, when the caller has already read them with `current_states`).

    Items set aside (suspended, or buried today) are left out of due, new and re-drills alike.
    """
    current = current_states(ctx, deck) if current is None else current
    aside = set_aside_ids(ctx, deck, day)
    redrill = [i for i in redrill_ids(ctx, deck, day, current) if i not in aside]
    # Under FSRS an item on a learning step is due today too: it is counted as a re-drill.
    again = set(redrill)
    due_ids = [
        item_id
        for item_id, stored in current.items()
        if stored.state.due <= day and item_id not in aside and item_id not in again
    ]
    learned = sum(1 for stored in current.values() if stored.state.repetitions)
    budget = max(
        0, ctx.settings.new_items_per_day - ctx.store.introduced_count(deck.id, day, "review")
    )
    unlocked_ids = (item.id for item in unlocked_items(ctx, deck) if item.id not in aside)
    new_ids = list(islice(filterfalse(current.__contains__, unlocked_ids), budget))
    due_budget = review_budget(ctx, deck, day)
    return _Scan(current, due_ids, due_budget, new_ids, learned, _retired(ctx, deck), redrill)


def day_queue(ctx: StudyContext, deck: Deck, day: date | None = None) -> DayQueue:
    """The deck's queue for a learning day (default today): due first (most overdue first, up to
    the daily review limit), then new up to the limit."""
    day = ctx.today() if day is None else day
    scan = _scan(ctx, deck, day)
    current = scan.current
    due_ids = sorted(scan.due_ids, key=lambda i: (current[i].state.due, deck.position(i)))
    due_ids = due_ids[: scan.due_count]
    due = tuple((deck.item(item_id), current[item_id]) for item_id in due_ids)
    new = tuple(deck.item(item_id) for item_id in scan.new_ids)
    redrill = tuple(deck.item(item_id) for item_id in scan.redrill_ids)
    return DayQueue(deck, day, due, new, scan.learned, scan.retired, redrill)


def _retired(ctx: StudyContext, deck: Deck) -> int:
    """How many items with history are no longer in the deck."""
    return sum(1 for item_id in ctx.store.logged_item_ids(deck.id) if not deck.has_item(item_id))


def queue_counts(
    ctx: StudyContext, deck: Deck, current: dict[str, StoredState] | None = None
) -> QueueCounts:
    """THE counts used by the home screen and `quiztui stats` (the same query as the session).

    The same scan as `day_queue`, without sorting the due items or building the queue;
    `current` is the deck's `current_states` when the caller already has them.
    """
    scan = _scan(ctx, deck, ctx.today(), current)
    return QueueCounts(
        scan.due_count, len(scan.new_ids), scan.learned, scan.retired, len(scan.redrill_ids)
    )


WRONG_MODES: tuple[str, ...] = ("post", "review", "redrill", "practice", "exam")
"""The answers whose latest says a question is answered wrong (a pre-check guess never does)."""


def wrong_question_ids(ctx: StudyContext, deck: Deck) -> list[str]:
    """The ids of `wrong_questions`, in deck order (no item built)."""
    latest = ctx.store.latest_answers(deck.id, WRONG_MODES)
    return [
        question.id
        for part in deck.parts
        for question in part.questions
        if (row := latest.get(question.id)) is not None
        and row.correct is False
        and row.answer_key == question.answer_key
    ]


def wrong_questions(ctx: StudyContext, deck: Deck) -> tuple[Question, ...]:
    """Questions whose latest answer (post, review, re-drill, practice or exam) was wrong, in
    deck order.

    Pre-check answers do not count: a wrong guess before reading is not a mistake to practise.
    An answer given under an older answer key does not count either.
    """
    found = (deck.item(question_id) for question_id in wrong_question_ids(ctx, deck))
    return tuple(question for question in found if isinstance(question, Question))


def wrong_question_count(ctx: StudyContext, deck: Deck) -> int:
    """How many questions `open_practice(..., wrong_only=True)` would ask."""
    return len(wrong_question_ids(ctx, deck))
