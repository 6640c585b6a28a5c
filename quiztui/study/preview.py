"""What each grade would do: the interval until an item is next due, for the grade keys.

The grade keys show "4 · 6d": exactly what pressing 4 schedules, because the preview asks the
scheduler the store replays through (`quiztui.study.scheduling.next_intervals`: SM-2, or FSRS
when chosen). This module is what the screens import.
"""

from __future__ import annotations

from quiztui.deck.model import Deck, Item
from quiztui.study.context import StudyContext
from quiztui.study.scheduling import next_intervals as _next_intervals

GRADES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)


def next_intervals(
    ctx: StudyContext, deck: Deck, item: Item, *, is_redrill: bool = False
) -> dict[int, int]:
    """Grade (0-5) -> days from today until `item` is next due if answered now with it;
    0 means it comes back later today (a same-day repeat, or an FSRS learning step)."""
    return _next_intervals(ctx, deck, item, is_redrill=is_redrill)
