"""A year of a learner's history on a deck, from a fixed seed, written through the store's API.

The learner opens every part on the first day (key points opened, post-check finished, so every
item may enter the daily queue), then comes back each day: every due item is reviewed, a few new
ones are introduced, and anything graded below 4 is re-drilled the same day. How many new items
a day is chosen so the log ends up with the requested number of entries; the last day is cut
short at exactly that number, which leaves a realistic backlog for "today".

Every answer goes through `Store.record_review`, one committed transaction each, exactly as the
app writes them; the schedule comes from `quiztui.sm2`, as in the store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.library import unlock_all_parts
from quiztui.deck.model import Deck, Item, Question
from quiztui.sm2 import ItemState, needs_redrill, review
from quiztui.store import Store

BENCH_TODAY = date(2026, 1, 1)
"""The benchmark's "today": the history covers the days before it."""

BENCH_NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
"""The moment every benchmark stands at (noon of BENCH_TODAY, UTC)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One planned log entry."""

    day: date
    item: Item
    grade: int
    mode: str


def _grade(item: Item, rng: random.Random) -> int:
    """A plausible grade: questions right 85% of the time, key points mostly 3-5."""
    if isinstance(item, Question):
        return 4 if rng.random() < 0.85 else 1
    return rng.choices((5, 4, 3, 2, 1), weights=(30, 40, 15, 10, 5))[0]


def plan(deck: Deck, days: int, new_per_day: int, seed: int, limit: int) -> list[Answer]:
    """The answers of `days` days before BENCH_TODAY, at most `limit` of them, in order."""
    rng = random.Random(seed)
    items = list(deck.items())
    states: dict[str, ItemState] = {}
    unseen = iter(items)
    answers: list[Answer] = []
    for offset in range(days, 0, -1):
        day = BENCH_TODAY - timedelta(days=offset)
        due = sorted(
            (item for item in items if item.id in states and states[item.id].due <= day),
            key=lambda item: states[item.id].due,
        )
        fresh = [item for _, item in zip(range(new_per_day), unseen, strict=False)]
        redrill: list[Item] = []
        for item in due + fresh:
            grade = _grade(item, rng)
            answers.append(Answer(day, item, grade, "review"))
            states[item.id] = review(states.get(item.id), grade, day)
            if needs_redrill(grade):
                redrill.append(item)
        while redrill:
            item = redrill.pop(0)
            grade = _grade(item, rng)
            answers.append(Answer(day, item, grade, "redrill"))
            if needs_redrill(grade):
                redrill.append(item)
        if len(answers) >= limit:
            return answers[:limit]
    return answers


def plan_history(deck: Deck, reviews: int, *, days: int = 365, seed: int = 1) -> list[Answer]:
    """A history of exactly `reviews` answers (or as many as the deck allows) over `days` days.

    The number of new items a day is the smallest that reaches `reviews` (binary search over
    whole simulated years; each costs well under a second for 10,000 items).
    """
    total = sum(1 for _ in deck.items())
    low, high = 1, max(1, total)
    while low < high:
        middle = (low + high) // 2
        if len(plan(deck, days, middle, seed, reviews)) >= reviews:
            high = middle
        else:
            low = middle + 1
    return plan(deck, days, low, seed, reviews)


def write_history(store: Store, deck: Deck, answers: list[Answer]) -> None:
    """Record the planned answers, one `record_review` each, in order (a few seconds a 10,000)."""
    first_day = answers[0].day if answers else BENCH_TODAY - timedelta(days=1)
    unlock_all_parts(store, deck, datetime.combine(first_day, datetime.min.time(), tzinfo=UTC))
    keys = {item.id: item.answer_key for item in deck.items()}
    count_on_day: dict[date, int] = {}
    for answer in answers:
        item = answer.item
        nth = count_on_day.get(answer.day, 0)
        count_on_day[answer.day] = nth + 1
        at = datetime.combine(answer.day, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=9, seconds=7 * nth
        )
        picked: frozenset[str] = frozenset()
        correct: bool | None = None
        if isinstance(item, Question):
            correct = answer.grade >= 4
            right = item.correct_choice_ids
            wrong = [c.id for c in item.choices if c.id not in right]
            picked = right if correct or not wrong else frozenset(wrong[:1])
        store.record_review(
            deck_id=deck.id,
            item_id=item.id,
            kind=item.kind,
            mode=answer.mode,  # type: ignore[arg-type]
            grade=answer.grade,
            answer_key=keys[item.id],
            learning_day=answer.day,
            at=at,
            seconds=6.0,
            picked=picked,
            correct=correct,
        )
