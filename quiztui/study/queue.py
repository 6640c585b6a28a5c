"""The day's queue of a deck: what is due, what is new, and the counts shown everywhere.

`day_queue` is THE query: the review session takes its items from it and `queue_counts` (home
screen, `quiztui stats`) counts them, so the numbers shown always match what a session asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quiztui.deck.model import Deck, Item, Question
from quiztui.store import StoredState
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

    @property
    def counts(self) -> QueueCounts:
        """The numbers shown for this queue."""
        return QueueCounts(len(self.due), len(self.new), self.learned, self.retired)


def current_states(ctx: StudyContext, deck: Deck) -> dict[str, StoredState]:
    """The states that still count for the deck's items, by item id.

    A state earned under another answer key does not count: that question is new again.
    """
    stored = ctx.store.deck_states(deck.id)
    current: dict[str, StoredState] = {}
    for item in deck.items():
        state = stored.get(item.id)
        if state is not None and state.answer_key == item.answer_key:
            current[item.id] = state
    return current


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


def day_queue(ctx: StudyContext, deck: Deck, day: date | None = None) -> DayQueue:
    """The deck's queue for a learning day (default today): due first, then new up to the limit."""
    day = ctx.today() if day is None else day
    states = current_states(ctx, deck)
    order = {item.id: index for index, item in enumerate(deck.items())}
    due = sorted(
        (
            (deck.item(item_id), state)
            for item_id, state in states.items()
            if state.state.due <= day
        ),
        key=lambda pair: (pair[1].state.due, order[pair[0].id]),
    )
    budget = max(
        0, ctx.settings.new_items_per_day - ctx.store.introduced_count(deck.id, day, "review")
    )
    new = [item for item in unlocked_items(ctx, deck) if item.id not in states][:budget]
    learned = sum(1 for state in states.values() if state.state.repetitions >= 1)
    retired = len(ctx.store.deck_item_ids(deck.id) - set(order))
    return DayQueue(deck, day, tuple(due), tuple(new), learned, retired)


def queue_counts(ctx: StudyContext, deck: Deck) -> QueueCounts:
    """THE counts used by the home screen and `quiztui stats` (the same query as the session)."""
    return day_queue(ctx, deck).counts


def wrong_questions(ctx: StudyContext, deck: Deck) -> tuple[Question, ...]:
    """Questions whose latest answer (post, review, re-drill or practice) was wrong, in deck order.

    Pre-check answers do not count: a wrong guess before reading is not a mistake to practise.
    An answer given under an older answer key does not count either.
    """
    latest = ctx.store.latest_answers(deck.id, ("post", "review", "redrill", "practice"))
    wrong: list[Question] = []
    for item in deck.items():
        row = latest.get(item.id)
        if (
            isinstance(item, Question)
            and row is not None
            and row.correct is False
            and row.answer_key == item.answer_key
        ):
            wrong.append(item)
    return tuple(wrong)


def wrong_question_count(ctx: StudyContext, deck: Deck) -> int:
    """How many questions `open_practice(..., wrong_only=True)` would ask."""
    return len(wrong_questions(ctx, deck))
