"""The day's queue of a deck: what is due, what is new, and the counts shown everywhere.

`day_queue` is THE query: the review session takes its items from it and `queue_counts` (home
screen, `quiztui stats`) counts them, so the numbers shown always match what a session asks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import filterfalse, islice, repeat

from quiztui.deck.model import Deck, Item, Part, Question
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


@dataclass(frozen=True, slots=True)
class DeckIndex:
    """What the queue needs to know about a deck, worked out once per deck object.

    A deck is immutable, so this never goes stale; without it every queue walked all items and
    looked each due one up by a linear search (`Deck.item`), 0.3 s for 10,000 items. It is made
    from the parts' outlines (ids and answer keys), so counting a deck builds none of its items:
    a part's items are built when one of them is asked for (`item`).
    """

    order: dict[str, int]
    """Item id -> position in deck order."""
    answer_keys: dict[str, str]
    """Item id -> its answer key ("" for a key point)."""
    part_ids: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    """Part id -> (its key point ids, its question ids), in deck order."""
    parts_by_item: dict[str, Part]
    """Item id -> the part that holds it."""
    questions: frozenset[str]
    """The ids of every question."""
    built: dict[str, Item] = field(default_factory=dict)
    """Item id -> item, for the parts built so far (the queue's fast path)."""

    def item(self, item_id: str) -> Item:
        """The item with this id, building its part if need be (KeyError when there is none)."""
        found = self.built.get(item_id)
        if found is None:
            part = self.parts_by_item[item_id]
            self.built.update((item.id, item) for item in part.items())
            found = self.built[item_id]
        return found

    def question_ids(self) -> Iterator[str]:
        """Every question's id, in deck order."""
        for _, question_ids in self.part_ids.values():
            yield from question_ids


_indexes: dict[int, DeckIndex] = {}
_indexed_decks: dict[int, Deck] = {}
_index_lock = threading.Lock()
_MAX_INDEXES = 16


def deck_index(deck: Deck) -> DeckIndex:
    """The deck's index, built on first use and kept for the most recent decks."""
    key = id(deck)
    with _index_lock:
        if _indexed_decks.get(key) is deck:
            return _indexes[key]
    order: dict[str, int] = {}
    answer_keys: dict[str, str] = {}
    parts_by_item: dict[str, Part] = {}
    for part in deck.parts:
        item_ids = part.item_ids
        order.update(zip(item_ids, range(len(order), len(order) + len(item_ids)), strict=True))
        answer_keys.update(zip(part.key_point_ids, repeat(""), strict=False))
        answer_keys.update(zip(part.question_ids, part.answer_keys, strict=True))
        parts_by_item.update(zip(item_ids, repeat(part), strict=False))
    index = DeckIndex(
        order=order,
        answer_keys=answer_keys,
        part_ids={part.id: (part.key_point_ids, part.question_ids) for part in deck.parts},
        parts_by_item=parts_by_item,
        questions=frozenset(qid for part in deck.parts for qid in part.question_ids),
    )
    with _index_lock:
        # The deck object is held, so its id cannot be reused by another deck meanwhile.
        _indexes[key] = index
        _indexed_decks[key] = deck
        while len(_indexes) > _MAX_INDEXES:
            oldest = next(iter(_indexes))
            del _indexes[oldest], _indexed_decks[oldest]
    return index


def current_states(ctx: StudyContext, deck: Deck) -> dict[str, StoredState]:
    """The states that still count for the deck's items, by item id.

    A state earned under another answer key does not count: that question is new again.
    """
    keys = deck_index(deck).answer_keys
    return {
        item_id: state
        for item_id, state in ctx.store.deck_states(deck.id).items()
        if keys.get(item_id) == state.answer_key
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


def _unlocked_ids(ctx: StudyContext, deck: Deck) -> list[str]:
    """The ids of `unlocked_items`, from the deck index (no item objects touched)."""
    steps = ctx.store.steps(deck.id)
    posts_done = ctx.store.finished_parts(deck.id, "post")
    part_ids = deck_index(deck).part_ids
    unlocked: list[str] = []
    for part in deck.parts:
        key_point_ids, question_ids = part_ids[part.id]
        if "key_points_opened" in steps.get(part.id, frozenset()):
            unlocked.extend(key_point_ids)
        if part.id in posts_done:
            unlocked.extend(question_ids)
    return unlocked


@dataclass(frozen=True, slots=True)
class _Scan:
    """The one reading of a deck's states that both the queue and its counts come from."""

    current: dict[str, StoredState]
    due_ids: list[str]
    """The due items' ids, unsorted."""
    new_ids: list[str]
    learned: int
    retired: int


def _scan(ctx: StudyContext, deck: Deck, day: date) -> _Scan:
    """Today's due, new, learned and retired items of a deck, in one pass over its states."""
    keys = deck_index(deck).answer_keys
    # This loop is most of the cost of a big deck's queue: keep it to plain attribute reads.
    current = ctx.store.deck_states(deck.id)  # a fresh dict, ours to trim
    stale: list[str] = []
    due_ids: list[str] = []
    learned = 0
    add_due = due_ids.append
    for item_id, stored in current.items():
        if keys.get(item_id) != stored.answer_key:
            stale.append(item_id)  # earned under another answer (or no longer in the deck)
            continue
        state = stored.state
        if state.due <= day:
            add_due(item_id)
        if state.repetitions:
            learned += 1
    for item_id in stale:
        del current[item_id]
    budget = max(
        0, ctx.settings.new_items_per_day - ctx.store.introduced_count(deck.id, day, "review")
    )
    never_seen = filterfalse(current.__contains__, _unlocked_ids(ctx, deck))
    new_ids = list(islice(never_seen, budget))
    return _Scan(current, due_ids, new_ids, learned, _retired(ctx, deck))


def day_queue(ctx: StudyContext, deck: Deck, day: date | None = None) -> DayQueue:
    """The deck's queue for a learning day (default today): due first, then new up to the limit."""
    day = ctx.today() if day is None else day
    scan = _scan(ctx, deck, day)
    index, current = deck_index(deck), scan.current
    order, built, item = index.order, index.built, index.item
    due_ids = sorted(scan.due_ids, key=lambda i: (current[i].state.due, order[i]))
    due = tuple((built.get(item_id) or item(item_id), current[item_id]) for item_id in due_ids)
    new = tuple(map(item, scan.new_ids))
    return DayQueue(deck, day, due, new, scan.learned, scan.retired)


_retired_counts: dict[int, tuple[Deck, frozenset[str], int]] = {}


def _retired(ctx: StudyContext, deck: Deck) -> int:
    """How many items with history are no longer in the deck (kept while nothing changes).

    The store hands out the same frozenset until a new item is logged, so the set difference
    over every logged id runs only then.
    """
    logged = ctx.store.logged_item_ids(deck.id)
    known = _retired_counts.get(id(deck))
    if known is not None and known[0] is deck and known[1] is logged:
        return known[2]
    count = len(logged.difference(deck_index(deck).order))
    if len(_retired_counts) >= _MAX_INDEXES:
        _retired_counts.clear()
    _retired_counts[id(deck)] = (deck, logged, count)
    return count


def queue_counts(ctx: StudyContext, deck: Deck) -> QueueCounts:
    """THE counts used by the home screen and `quiztui stats` (the same query as the session).

    The same scan as `day_queue`, without sorting the due items or building the queue.
    """
    scan = _scan(ctx, deck, ctx.today())
    return QueueCounts(len(scan.due_ids), len(scan.new_ids), scan.learned, scan.retired)


def wrong_question_ids(ctx: StudyContext, deck: Deck) -> list[str]:
    """The ids of `wrong_questions`, in deck order (no item built)."""
    latest = ctx.store.latest_answers(deck.id, ("post", "review", "redrill", "practice"))
    index = deck_index(deck)
    keys = index.answer_keys
    wrong: list[str] = []
    for question_id in index.question_ids():
        row = latest.get(question_id)
        if row is not None and row.correct is False and row.answer_key == keys[question_id]:
            wrong.append(question_id)
    return wrong


def wrong_questions(ctx: StudyContext, deck: Deck) -> tuple[Question, ...]:
    """Questions whose latest answer (post, review, re-drill or practice) was wrong, in deck order.

    Pre-check answers do not count: a wrong guess before reading is not a mistake to practise.
    An answer given under an older answer key does not count either.
    """
    item = deck_index(deck).item
    found = (item(question_id) for question_id in wrong_question_ids(ctx, deck))
    return tuple(question for question in found if isinstance(question, Question))


def wrong_question_count(ctx: StudyContext, deck: Deck) -> int:
    """How many questions `open_practice(..., wrong_only=True)` would ask."""
    return len(wrong_question_ids(ctx, deck))
