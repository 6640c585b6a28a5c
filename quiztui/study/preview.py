"""What each grade would do: the interval until an item is next due, for the grade keys.

One function, built on the scheduler the store itself replays (`quiztui.sm2.review`, through
`quiztui.store.replay.advance`), so "4 · 6d" on a key is exactly what pressing 4 schedules. A
second scheduler plugs in here, in `next_intervals`, and nowhere else in the screens.
"""

from __future__ import annotations

from quiztui import sm2
from quiztui.deck.model import Deck, Item
from quiztui.study.context import StudyContext

GRADES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)


def next_intervals(ctx: StudyContext, deck: Deck, item: Item) -> dict[int, int]:
    """Days from today until `item` is next due, after each grade 0-5 given now.

    The item's stored state counts only under its current answer key (else it is new). When
    today's review already changed the schedule (a same-day repeat), every grade leaves it as
    it is, and each shows the days until the due date already set.
    """
    stored = ctx.store.state(deck.id, item.id)
    state = stored.state if stored is not None and stored.answer_key == item.answer_key else None
    today = ctx.today()
    return {grade: (sm2.review(state, grade, today).due - today).days for grade in GRADES}
