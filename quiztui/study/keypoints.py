"""Going through a part's key points: one flashcard at a time, each self-graded 0-5.

Each grade is the card's first SM-2 review (mode "learn"). Opening the step unlocks the part's
key points for the daily queue (any card not graded here becomes a new item there); grading
every card once marks the step done. Then every card that must come back today does, again and again
(mode "redrill"): under SM-2 (its step 7) until it is graded 4 or more, and those answers change
no schedule; under FSRS until it leaves its learning steps. A card still waiting when the
learner leaves comes back in the day's reviews.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiztui.deck.model import Deck, KeyPoint, Part
from quiztui.sm2 import check_grade
from quiztui.store import Mode
from quiztui.study.context import Presented, StudyContext, record
from quiztui.study.queue import redrill_ids
from quiztui.study.scheduling import comes_back_today


@dataclass(frozen=True, slots=True)
class _Place:
    """Where the step stands: restored as a whole by undo."""

    position: int
    """The next card of the first pass (len(cards) once every card was graded once)."""
    redrill: tuple[Presented, ...]
    """Cards graded below 4, to show again after the first pass, in order."""


class KeyPointSession:
    """One flashcard at a time through a part's key points; a self-grade 0-5 is each card's first
    SM-2 review (mode "learn"), then the cards graded below 4 come back until they score 4."""

    def __init__(
        self,
        ctx: StudyContext,
        deck: Deck,
        part: Part,
        position: int,
        redrill: tuple[KeyPoint, ...] = (),
    ) -> None:
        """Use `open_key_points`."""
        self._ctx = ctx
        self.deck = deck
        self.part = part
        self.cards: tuple[Presented, ...] = tuple(
            Presented(deck, key_point, ()) for key_point in part.key_points
        )
        again = tuple(Presented(deck, kp, (), is_redrill=True) for kp in redrill)
        self._place = _Place(position, again)
        self._undo: list[tuple[str, _Place]] = []

    @property
    def position(self) -> int:
        """The card of the first pass shown now (len(cards) once the pass is over)."""
        return self._place.position

    @property
    def in_redrill(self) -> bool:
        """True once the first pass is over and cards graded below 4 come back."""
        return self._place.position >= len(self.cards) and bool(self._place.redrill)

    @property
    def redrills_waiting(self) -> int:
        """Cards still to come back today (the one shown included)."""
        return len(self._place.redrill)

    @property
    def current(self) -> Presented | None:
        """The card to show now, or None at the end."""
        place = self._place
        if place.position < len(self.cards):
            return self.cards[place.position]
        return place.redrill[0] if place.redrill else None

    def grade(self, grade: int, seconds: float) -> int:
        """Grade the current card 0-5 (committed) and move on; returns the log row id."""
        check_grade(grade)
        presented = self.current
        if presented is None:
            raise RuntimeError("every key point of this part has been graded")
        mode: Mode = "redrill" if presented.is_redrill else "learn"
        row = record(self._ctx, self.deck, presented.item, mode, grade, seconds)
        self._undo.append((row.uid, self._place))
        place = self._place
        if presented.is_redrill:
            redrill = place.redrill[1:]
            position = place.position
        else:
            redrill = place.redrill
            position = place.position + 1
        if comes_back_today(self._ctx, self.deck, presented.item, grade):
            again = Presented(self.deck, presented.item, (), is_redrill=True)
            redrill = (*redrill, again)
        self._place = _Place(position, redrill)
        if not presented.is_redrill and _all_graded(self._ctx, self.deck, self.part):
            self._ctx.store.mark_step(
                self.deck.id, self.part.id, "key_points_done", self._ctx.now()
            )
        return row.id

    @property
    def can_undo(self) -> bool:
        """True when a grade of this session can be taken back."""
        return bool(self._undo)

    def undo(self) -> bool:
        """Take back the last grade, restoring the card's state and the step's place."""
        if not self._undo:
            return False
        uid, place = self._undo.pop()
        self._ctx.store.undo_review(uid, at=self._ctx.now())
        self._place = place
        return True

    @property
    def first_pass_done(self) -> bool:
        """True once every card has been graded once in this step."""
        return self._place.position >= len(self.cards)

    @property
    def finished(self) -> bool:
        """True when every card was graded and none waits to come back."""
        return self.current is None


def _all_graded(ctx: StudyContext, deck: Deck, part: Part) -> bool:
    graded = ctx.store.answered_item_ids(deck.id, "learn")
    return all(key_point.id in graded for key_point in part.key_points)


def open_key_points(ctx: StudyContext, deck: Deck, part_id: str) -> KeyPointSession:
    """Start (or continue) a part's key points, at the first card not yet graded in this step,
    with today's cards graded below 4 waiting to come back after the first pass.

    When every card was graded before, it goes straight to the cards waiting to come back, or,
    with none waiting, starts again from the first card (a revisit).
    """
    part = deck.part(part_id)
    ctx.store.mark_step(deck.id, part_id, "key_points_opened", ctx.now())
    graded = ctx.store.answered_item_ids(deck.id, "learn")
    ids = set(part.key_point_ids)
    waiting = tuple(
        item
        for item_id in redrill_ids(ctx, deck, ctx.today())
        if item_id in ids and isinstance(item := deck.item(item_id), KeyPoint)
    )
    after_pass = len(part.key_points) if waiting else 0
    position = next(
        (index for index, kp in enumerate(part.key_points) if kp.id not in graded), after_pass
    )
    if not part.key_points:
        ctx.store.mark_step(deck.id, part_id, "key_points_done", ctx.now())
    return KeyPointSession(ctx, deck, part, position, waiting)
