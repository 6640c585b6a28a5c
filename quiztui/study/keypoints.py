"""Going through a part's key points: one flashcard at a time, each self-graded 0-5.

Each grade is the card's first SM-2 review (mode "learn"). Opening the step unlocks the part's
key points for the daily queue (any card not graded here becomes a new item there); grading
every card once marks the step done.
"""

from __future__ import annotations

from quiztui.deck.model import Deck, Part
from quiztui.sm2 import check_grade
from quiztui.study.context import Presented, StudyContext, record


class KeyPointSession:
    """One flashcard at a time through a part's key points; a self-grade 0-5 is each card's first
    SM-2 review (mode "learn"). When every key point has been graded once, the step is done."""

    def __init__(self, ctx: StudyContext, deck: Deck, part: Part, position: int) -> None:
        """Use `open_key_points`."""
        self._ctx = ctx
        self.deck = deck
        self.part = part
        self.cards: tuple[Presented, ...] = tuple(
            Presented(deck, key_point, ()) for key_point in part.key_points
        )
        self.position = position
        self._undo: list[tuple[str, int]] = []

    @property
    def current(self) -> Presented | None:
        """The card to show now, or None at the end."""
        return self.cards[self.position] if self.position < len(self.cards) else None

    def grade(self, grade: int, seconds: float) -> int:
        """Grade the current card 0-5 (committed) and move on; returns the log row id."""
        check_grade(grade)
        presented = self.current
        if presented is None:
            raise RuntimeError("every key point of this part has been graded")
        row = record(self._ctx, self.deck, presented.item, "learn", grade, seconds)
        self._undo.append((row.uid, self.position))
        self.position += 1
        if _all_graded(self._ctx, self.deck, self.part):
            self._ctx.store.mark_step(
                self.deck.id, self.part.id, "key_points_done", self._ctx.now()
            )
        return row.id

    @property
    def can_undo(self) -> bool:
        """True when a grade of this session can be taken back."""
        return bool(self._undo)

    def undo(self) -> bool:
        """Take back the last grade, restoring the card's state and position; False if none."""
        if not self._undo:
            return False
        uid, position = self._undo.pop()
        self._ctx.store.undo_review(uid, at=self._ctx.now())
        self.position = position
        return True

    @property
    def finished(self) -> bool:
        """True when the last card has been graded."""
        return self.position >= len(self.cards)


def _all_graded(ctx: StudyContext, deck: Deck, part: Part) -> bool:
    graded = ctx.store.answered_item_ids(deck.id, "learn")
    return all(key_point.id in graded for key_point in part.key_points)


def open_key_points(ctx: StudyContext, deck: Deck, part_id: str) -> KeyPointSession:
    """Start (or continue) a part's key points, at the first card not yet graded in this step.

    When every card was graded before, it starts again from the first one (a revisit).
    """
    part = deck.part(part_id)
    ctx.store.mark_step(deck.id, part_id, "key_points_opened", ctx.now())
    graded = ctx.store.answered_item_ids(deck.id, "learn")
    position = next((index for index, kp in enumerate(part.key_points) if kp.id not in graded), 0)
    if not part.key_points:
        ctx.store.mark_step(deck.id, part_id, "key_points_done", ctx.now())
    return KeyPointSession(ctx, deck, part, position)
