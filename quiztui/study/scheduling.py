"""What the schedule says about one item, under whichever scheduler is in force.

The grade keys' preview ("4 · 6d"), the decision to bring an item back the same day, and FSRS's
predicted recall for the statistics all ask the same scheduler the store replays the log with,
so what is shown is what an answer will do.
"""

from __future__ import annotations

from datetime import date

from quiztui.deck.model import Deck, Item
from quiztui.scheduling import ScheduleState
from quiztui.sm2 import needs_redrill
from quiztui.study.context import StudyContext
from quiztui.study.queue import current_states

GRADES = range(6)


def current_state(ctx: StudyContext, deck: Deck, item: Item) -> ScheduleState | None:
    """The item's state that counts (None when new, or when its answer key changed)."""
    stored = ctx.store.state(deck.id, item.id)
    if stored is None or stored.answer_key != item.answer_key:
        return None
    return stored.state


def comes_back_today(
    ctx: StudyContext, deck: Deck, item: Item, grade: int, *, practice: bool = False
) -> bool:
    """Whether the item, just answered with `grade` (already recorded), comes back today.

    SM-2: graded below 4 (its step 7). FSRS: a learning or relearning step keeps it due today.
    Practice changes no schedule, so there it is always "below 4".
    """
    if practice:
        return needs_redrill(grade)
    return ctx.scheduler.back_today(current_state(ctx, deck, item), grade, ctx.today())


def next_intervals(
    ctx: StudyContext, deck: Deck, item: Item, *, is_redrill: bool = False
) -> dict[int, int]:
    """Grade (0-5) -> days until the item is next due if answered now with that grade, under
    the scheduler in force; 0 means it comes back later today.

    `is_redrill`: the answer would be a same-day re-drill, which SM-2 does not count (the due
    date stays as it is). The answer is not recorded: this is the grade keys' preview.
    """
    scheduler = ctx.scheduler
    today = ctx.today()
    state = current_state(ctx, deck, item)
    counted = not is_redrill or scheduler.counts_same_day_reviews
    intervals: dict[int, int] = {}
    for grade in GRADES:
        after = scheduler.review(state, grade, today) if counted else state
        back = scheduler.back_today(after, grade, today)
        intervals[grade] = 0 if back or after is None else max((after.due - today).days, 0)
    return intervals


def retrievabilities(ctx: StudyContext, deck: Deck, day: date | None = None) -> dict[str, float]:
    """Item id -> the predicted chance of recalling it on `day` (default today), for every
    reviewed item of the deck; empty under SM-2, which predicts none."""
    day = ctx.today() if day is None else day
    scheduler = ctx.scheduler
    found: dict[str, float] = {}
    for item_id, stored in current_states(ctx, deck).items():
        chance = scheduler.retrievability(stored.state, day)
        if chance is not None:
            found[item_id] = chance
    return found


def mean_retrievability(ctx: StudyContext, decks: list[Deck]) -> float | None:
    """The mean predicted recall today over every reviewed item of `decks` (None under SM-2,
    or with nothing reviewed): the share of them FSRS expects the learner to recall now."""
    chances = [c for deck in decks for c in retrievabilities(ctx, deck).values()]
    return sum(chances) / len(chances) if chances else None
