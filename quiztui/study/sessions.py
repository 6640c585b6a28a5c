"""The day's reviews across decks, and practice (cram) sessions that never touch the schedule.

A review session asks the due items (most overdue first), then the new ones up to each deck's
daily limit, then re-drills what must come back today (in this session, in the key points, in a
post-check, or in an earlier session): under SM-2, everything graded below 4 until it scores 4
or more (its step 7; those answers are logged as mode "redrill" and change no schedule); under
FSRS, everything on a learning step, until FSRS lets it go for a day or more (FSRS counts
those answers). Every answer is committed
before the next card; undo takes answers back one by one, restoring the item's state and the
session's place exactly.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from quiztui.deck.model import Deck, Item, KeyPoint, Question
from quiztui.sm2 import check_grade
from quiztui.study.confidence import regrade
from quiztui.study.context import (
    AnswerOutcome,
    Presented,
    StudyContext,
    grade_question,
    outcome_of,
    present,
    record,
)
from quiztui.study.progress import queue_day
from quiztui.study.queue import current_states, day_queue, wrong_questions
from quiztui.study.scheduling import comes_back_today

SessionKind = Literal["review", "practice"]


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """What a session did, and what comes next."""

    answered: int
    right: int
    """Questions answered right, and key points graded 3 or more."""
    redrilled: int
    """Distinct items that came back the same day for a re-drill."""
    next_due: date | None
    """The earliest day after today the queue of the session's decks has due items on
    (`queue_day`: suspended items never, buried ones from the day after)."""
    due_tomorrow: int
    """How many items tomorrow's queue will have due (new items and items set aside not
    counted)."""


@dataclass(frozen=True, slots=True)
class _Place:
    """Where the session stands: restored as a whole by undo."""

    position: int
    redrill: tuple[tuple[Deck, Item], ...]
    current: Presented | None
    answered: int
    right: int
    redrilled: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class _Answer:
    uid: str
    outcome: AnswerOutcome | None
    place_before: _Place


class ReviewSession:
    """The day's queue across decks (or a practice set): due, then new, then same-day re-drills.

    Undo (several steps) restores each answer's item state and the session's place exactly.
    """

    def __init__(
        self,
        ctx: StudyContext,
        decks: list[Deck],
        queue: list[tuple[Deck, Item]],
        *,
        kind: SessionKind,
        rng: random.Random,
        redrill: tuple[tuple[Deck, Item], ...] = (),
    ) -> None:
        """Use `open_review` or `open_practice`; `redrill` is what already waits to come back
        today (graded below 4 earlier today, in this session or another)."""
        self._ctx = ctx
        self.decks = list(decks)
        self.kind: SessionKind = kind
        self._queue = list(queue)
        self._rng = rng
        self._undo: list[_Answer] = []
        self._place = self._with_current(_Place(0, redrill, None, 0, 0, frozenset()))

    # -------------------------------------------------------------- where we are

    def _next_key(self, place: _Place) -> tuple[Deck, Item, bool] | None:
        if place.position < len(self._queue):
            deck, item = self._queue[place.position]
            return deck, item, False
        if place.redrill:
            deck, item = place.redrill[0]
            return deck, item, True
        return None

    def _with_current(self, place: _Place, keep: Presented | None = None) -> _Place:
        """The place with its current item presented (reusing `keep` when it is that item)."""
        key = self._next_key(place)
        if key is None:
            return replace(place, current=None)
        deck, item, is_redrill = key
        if (
            keep is not None
            and keep.deck.id == deck.id
            and keep.item.id == item.id
            and keep.is_redrill == is_redrill
        ):
            return replace(place, current=keep)
        shuffle = self._ctx.settings.shuffle_choices
        presented = present(deck, item, self._rng, is_redrill=is_redrill, shuffle=shuffle)
        return replace(place, current=presented)

    @property
    def current(self) -> Presented | None:
        """The item to show now, or None when the session is done."""
        return self._place.current

    @property
    def remaining(self) -> int:
        """Items still to answer, the current one and queued re-drills included."""
        return len(self._queue) - self._place.position + len(self._place.redrill)

    @property
    def redrills_waiting(self) -> int:
        """Items graded below 4 this session that wait to come back (the current one excluded)."""
        current = self._place.current
        waiting = len(self._place.redrill)
        return waiting - 1 if current is not None and current.is_redrill else waiting

    @property
    def total(self) -> int:
        """Items in the session's queue (re-drills not counted)."""
        return len(self._queue)

    @property
    def finished(self) -> bool:
        """True when nothing is left to answer."""
        return self._place.current is None

    # -------------------------------------------------------------- answering

    def _mode(self, presented: Presented) -> Literal["practice", "redrill", "review"]:
        if self.kind == "practice":
            return "practice"
        return "redrill" if presented.is_redrill else "review"

    def _back_today(self, presented: Presented, grade: int) -> bool:
        """Whether the item just answered with `grade` (recorded) comes back in this session."""
        return comes_back_today(
            self._ctx, presented.deck, presented.item, grade, practice=self.kind == "practice"
        )

    @staticmethod
    def _after(place: _Place, presented: Presented, again: bool, right: bool) -> _Place:
        """The place after answering `presented` (from `place`), coming back today when
        `again`; no current yet."""
        redrill = place.redrill[1:] if presented.is_redrill else place.redrill
        position = place.position if presented.is_redrill else place.position + 1
        redrilled = place.redrilled
        if presented.is_redrill:  # also one left to re-drill by an earlier session today
            redrilled = redrilled | {(presented.deck.id, presented.item.id)}
        if again:
            redrill = (*redrill, (presented.deck, presented.item))
            redrilled = redrilled | {(presented.deck.id, presented.item.id)}
        return _Place(
            position, redrill, None, place.answered + 1, place.right + int(right), redrilled
        )

    def answer_question(self, picked: frozenset[str], seconds: float) -> AnswerOutcome:
        """Answer the current question (committed): wrong is 1, right is 4; then move on."""
        presented = self.current
        if presented is None or not isinstance(presented.item, Question):
            raise RuntimeError("the current item is not a question")
        correct, grade = grade_question(presented.item, frozenset(picked))
        row = record(
            self._ctx,
            presented.deck,
            presented.item,
            self._mode(presented),
            grade,
            seconds,
            picked=frozenset(picked),
            correct=correct,
        )
        outcome = outcome_of(presented.item, row)
        self._undo.append(_Answer(row.uid, outcome, self._place))
        again = self._back_today(presented, grade)
        self._place = self._with_current(self._after(self._place, presented, again, correct))
        return outcome

    def grade_flashcard(self, grade: int, seconds: float) -> int:
        """Self-grade the current key point 0-5 (committed) and move on; returns the log row id."""
        check_grade(grade)
        presented = self.current
        if presented is None or not isinstance(presented.item, KeyPoint):
            raise RuntimeError("the current item is not a key point")
        row = record(
            self._ctx, presented.deck, presented.item, self._mode(presented), grade, seconds
        )
        self._undo.append(_Answer(row.uid, None, self._place))
        again = self._back_today(presented, grade)
        self._place = self._with_current(self._after(self._place, presented, again, grade >= 3))
        return row.id

    @property
    def can_set_confidence(self) -> bool:
        """True right after a right answer to a question (the 3 / 5 keys apply)."""
        return bool(self._undo) and bool(
            self._undo[-1].outcome is not None and self._undo[-1].outcome.correct
        )

    def set_confidence(self, grade: int) -> None:
        """Regrade the last right answer: 3 "guessed" (it comes back today), 5 "knew it", 4 back.

        ValueError when the last answer was not a right answer to a question.
        """
        if not self.can_set_confidence:
            raise ValueError("confidence applies to the last answer, when it was right")
        last = self._undo[-1]
        assert last.outcome is not None
        self._undo[-1] = replace(last, outcome=regrade(self._ctx, last.outcome, grade))
        # The place as if the answer had been given with this grade; the next card, if it was
        # already presented and is still next, keeps its choice order.
        presented = last.place_before.current
        assert presented is not None
        after = self._after(last.place_before, presented, self._back_today(presented, grade), True)
        self._place = self._with_current(after, keep=self._place.current)

    # -------------------------------------------------------------- undo

    @property
    def can_undo(self) -> bool:
        """True when an answer of this session can be taken back."""
        return bool(self._undo)

    def undo(self) -> bool:
        """Take back the last answer: the item's state, the place and the re-drills as before."""
        if not self._undo:
            return False
        last = self._undo.pop()
        self._ctx.store.undo_review(last.uid, at=self._ctx.now())
        self._place = last.place_before
        return True

    # -------------------------------------------------------------- the end

    def summary(self) -> ReviewSummary:
        """Answered, right, re-drilled, and when the next items are due."""
        today = self._ctx.today()
        tomorrow = today + timedelta(days=1)
        next_due: date | None = None
        due_tomorrow = 0
        for deck in self.decks:
            marks = self._ctx.store.item_marks(deck.id)
            for item_id, state in current_states(self._ctx, deck).items():
                due = queue_day(state.state.due, marks.get(item_id), today)
                if due is None:
                    continue  # suspended
                if due > today and (next_due is None or due < next_due):
                    next_due = due
                if due <= tomorrow:
                    due_tomorrow += 1
        place = self._place
        return ReviewSummary(
            place.answered, place.right, len(place.redrilled), next_due, due_tomorrow
        )


def open_review(ctx: StudyContext, decks: list[Deck], *, seed: int | None = None) -> ReviewSession:
    """The day's reviews across decks: every deck's due items, most overdue first, then each
    deck's new items up to its daily limit, then what was graded below 4 earlier today (the
    same `day_queue` the counts come from)."""
    today = ctx.today()
    queues = [day_queue(ctx, deck, today) for deck in decks]
    due = sorted(
        (
            (state.state.due, deck_index, item_index, queue.deck, item)
            for deck_index, queue in enumerate(queues)
            for item_index, (item, state) in enumerate(queue.due)
        ),
        key=lambda entry: entry[:3],
    )
    queue: list[tuple[Deck, Item]] = [(entry[3], entry[4]) for entry in due]
    for day_q in queues:
        queue.extend((day_q.deck, item) for item in day_q.new)
    redrill = tuple((day_q.deck, item) for day_q in queues for item in day_q.redrill)
    return ReviewSession(ctx, decks, queue, kind="review", rng=random.Random(seed), redrill=redrill)


def open_practice(
    ctx: StudyContext,
    deck: Deck,
    *,
    part_id: str | None = None,
    wrong_only: bool = False,
    item_ids: Sequence[str] | None = None,
    seed: int | None = None,
) -> ReviewSession:
    """A cram session over a part's items (or the whole deck's), over the questions whose
    latest answer was wrong, or over exactly `item_ids` (an exam's weakest areas); logged as
    mode 'practice', never changing the schedule.

    Only items the learner has already been shown (answered at least once) are practised, so
    practice never reveals a check before it is taken. Items come in a shuffled order; those
    graded below 4 come back at the end, as in reviews.
    """
    rng = random.Random(seed)
    items: list[Item]
    if item_ids is not None:
        items = [
            deck.item(item_id) for item_id in dict.fromkeys(item_ids) if deck.has_item(item_id)
        ]
    elif wrong_only:
        wrong = set(q.id for q in wrong_questions(ctx, deck))
        parts = [deck.part(part_id)] if part_id is not None else list(deck.parts)
        items = [q for part in parts for q in part.questions if q.id in wrong]
    else:
        shown = ctx.store.shown_item_ids(deck.id)
        scope = deck.part(part_id).items() if part_id is not None else deck.items()
        items = [item for item in scope if item.id in shown]
    rng.shuffle(items)
    return ReviewSession(ctx, [deck], [(deck, item) for item in items], kind="practice", rng=rng)
