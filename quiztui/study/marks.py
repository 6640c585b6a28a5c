"""Putting items aside and back: suspend, bury until tomorrow, flag, reset, and leeches.

Every action is a batch of mark events in the store (`quiztui.store.marks`), so it is logged
and undone as one, whatever it touched. The day's queue leaves out what is suspended or buried
(`quiztui.study.queue`). A leech is an item that lapsed (graded below 3 once learned) as often
as `leech_threshold` says: it is marked a leech and suspended, and the learner is told once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from quiztui.sm2 import PASSING_GRADE
from quiztui.store import SCHEDULING_MODES, Store
from quiztui.store.records import MarkChange, MarkEvent, MarkKind

Action = Literal["suspend", "unsuspend", "bury", "unbury", "flag", "unflag", "reset"]
"""What the learner can do to items."""

ACTION_MARKS: dict[Action, tuple[MarkKind, bool]] = {
    "suspend": ("suspend", True),
    "unsuspend": ("suspend", False),
    "bury": ("bury", True),
    "unbury": ("bury", False),
    "flag": ("flag", True),
    "unflag": ("flag", False),
    "reset": ("reset", True),
}
"""Each action as the mark it sets or clears."""

Target = tuple[str, str]
"""(deck id, item id)."""

LEECH_NOTICE = "leech:"
"""The prefix of the notice key that says a leech was told (with its mark event's uid)."""


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo took back."""

    events: tuple[MarkEvent, ...]

    @property
    def description(self) -> str:
        """In a few words: "suspend of 2 items", "leech of 1 item"."""
        first = self.events[0]
        verb = first.mark if first.value else f"un{first.mark}"
        if first.mark == "reset":
            verb = "reset"
        items = {(e.deck_id, e.item_id) for e in self.events}
        return f"{verb} of {len(items)} item{'s' if len(items) != 1 else ''}"


def apply(
    store: Store, targets: Sequence[Target], action: Action, *, day: date, at: datetime
) -> str | None:
    """Do `action` to every target in one batch (a bury holds for learning day `day`; a reset
    also clears a leech); returns the batch, or None when there was nothing to do."""
    if not targets:
        return None
    mark, value = ACTION_MARKS[action]
    changes: list[MarkChange] = []
    for deck_id, item_id in dict.fromkeys(targets):
        changes.append(MarkChange(deck_id, item_id, mark, value, day if mark == "bury" else None))
        if action == "reset" and store.marks_of(deck_id, item_id).leech:
            changes.append(MarkChange(deck_id, item_id, "leech", False))
    return store.add_marks(changes, at=at)


def undo_last(store: Store, *, at: datetime) -> Undone | None:
    """Take back the latest action on items (the learner's, or a leech's suspension)."""
    last = store.last_mark_batch()
    if last is None:
        return None
    batch, events = last
    store.undo_marks(batch, at=at)
    return Undone(tuple(events))


def check_leech(
    store: Store, threshold: int, deck_id: str, item_id: str, mode: str, grade: int, at: datetime
) -> bool:
    """After an answer: when it was a lapse that brings the item to `threshold` lapses, mark it
    a leech and suspend it (one batch). True when it became a leech now; 0 turns leeches off."""
    if not threshold or mode not in SCHEDULING_MODES or grade >= PASSING_GRADE:
        return False
    if store.marks_of(deck_id, item_id).leech:
        return False
    if store.lapses(deck_id, item_id).get(item_id, 0) < threshold:
        return False
    store.add_marks(
        [MarkChange(deck_id, item_id, "leech"), MarkChange(deck_id, item_id, "suspend")], at=at
    )
    return True


def untold_leeches(store: Store) -> list[MarkEvent]:
    """Leeches the learner has not been told about yet, oldest first."""
    return [
        event
        for event in store.leech_events()
        if not store.notice_shown(f"{LEECH_NOTICE}{event.uid}")
    ]


def mark_told(store: Store, event: MarkEvent) -> None:
    """Remember that the learner was told about this leech (so it is told once)."""
    store.mark_notice_shown(f"{LEECH_NOTICE}{event.uid}")
