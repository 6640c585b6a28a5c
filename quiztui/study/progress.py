"""Where a learner stands: per part, per deck, over the coming days, and day after day.

The coming days count what the day's queue will ask (`queue_day`): an item suspended is left
out of every day, one buried for a day is left out of that day and comes back the next, as
`quiztui.study.queue` sets items aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from quiztui.deck.model import Deck, Part
from quiztui.store.records import ItemMarks
from quiztui.study.context import StudyContext
from quiztui.study.queue import QueueCounts, current_states, queue_counts
from quiztui.study.results import CheckHistory, Gain, check_histories, gain_between

NextStep = Literal["pre", "key_points", "post", "results", "done"]


@dataclass(frozen=True, slots=True)
class PartProgress:
    """One part's steps and scores."""

    part: Part
    pre: CheckHistory
    """Every finished pre-check; the first is the baseline of the gain."""
    post: CheckHistory
    """Every finished post-check; the latest is what the gain measures."""
    key_points_done: bool
    """Every key point was graded once (True for a part without key points)."""
    learned: int
    """Items of the part with a state and repetitions >= 1."""
    total: int
    """Items of the part (key points and questions)."""
    results_seen: bool = False
    """The learner has seen the results after the post-check."""
    key_points_opened: bool = False
    """The learner has opened the part's key points (reading has begun)."""

    @property
    def pre_done(self) -> bool:
        """A pre-check attempt was finished."""
        return self.pre.done

    @property
    def post_done(self) -> bool:
        """A post-check attempt was finished."""
        return self.post.done

    @property
    def pre_score(self) -> float | None:
        """The first finished pre-check's score: the baseline."""
        return self.pre.first.score if self.pre.first is not None else None

    @property
    def post_score(self) -> float | None:
        """The latest finished post-check's score."""
        return self.post.latest.score if self.post.latest is not None else None

    @property
    def gain(self) -> Gain | None:
        """From the first pre-check to the latest post-check, over the questions both asked."""
        return gain_between(self.pre.first, self.post.latest, self.part)

    @property
    def next_step(self) -> NextStep:
        """The natural next step: the pre-check may be skipped, the rest follow in order."""
        started = (
            self.pre_done
            or self.post_done
            or (self.key_points_done and bool(self.part.key_point_ids))
            or self.key_points_opened
        )
        if not started and self.part.check_question_ids("pre"):
            return "pre"
        if not self.key_points_done:
            return "key_points"
        if not self.post_done:
            return "post"
        if not self.results_seen:
            return "results"
        return "done"


@dataclass(frozen=True, slots=True)
class DeckProgress:
    """A deck's counts and its parts' progress."""

    deck: Deck
    counts: QueueCounts
    parts: tuple[PartProgress, ...]


def deck_progress(ctx: StudyContext, deck: Deck) -> DeckProgress:
    """The deck's queue counts and every part's steps and scores."""
    states = current_states(ctx, deck)
    steps = ctx.store.steps(deck.id)
    histories = check_histories(ctx, deck)
    # Live answers, not the step mark: a grade taken back with undo makes the step undone again.
    learned_in_step = ctx.store.answered_item_ids(deck.id, "learn")
    parts: list[PartProgress] = []
    for part in deck.parts:
        marks = steps.get(part.id, frozenset())
        item_ids = part.item_ids
        parts.append(
            PartProgress(
                part=part,
                pre=histories.get((part.id, "pre"), CheckHistory("pre", ())),
                post=histories.get((part.id, "post"), CheckHistory("post", ())),
                key_points_done=all(map(learned_in_step.__contains__, part.key_point_ids)),
                learned=sum(
                    1
                    for item_id in item_ids
                    if item_id in states and states[item_id].state.repetitions >= 1
                ),
                total=len(item_ids),
                results_seen="results_seen" in marks,
                key_points_opened="key_points_opened" in marks,
            )
        )
    return DeckProgress(deck, queue_counts(ctx, deck, states), tuple(parts))


def mark_results_seen(ctx: StudyContext, deck: Deck, part_id: str) -> None:
    """Record that the learner has seen a part's results (its next step becomes "done")."""
    deck.part(part_id)
    ctx.store.mark_step(deck.id, part_id, "results_seen", ctx.now())


def queue_day(due: date, marks: ItemMarks | None, today: date) -> date | None:
    """The learning day a scheduled item due on `due` next comes in the day's queue, as seen on
    `today`: its due day, or today when it is overdue, or the day after when it is buried for
    that day; None while it is suspended (the queue leaves it out until unsuspended)."""
    day = max(due, today)
    if marks is None:
        return day
    if marks.suspended:
        return None
    return day + timedelta(days=1) if marks.buried(day) else day


def forecast(ctx: StudyContext, decks: list[Deck], days: int = 14) -> list[tuple[date, int]]:
    """Items due on each of the next `days` learning days, today first (overdue counted today),
    as the day's queue will ask them (`queue_day`: nothing suspended, nothing on a day it is
    buried for).

    New items are not counted: they are introduced at the learner's pace.
    """
    today = ctx.today()
    counts = [0] * max(days, 0)
    for deck in decks:
        marks = ctx.store.item_marks(deck.id)
        for item_id, state in current_states(ctx, deck).items():
            day = queue_day(state.state.due, marks.get(item_id), today)
            offset = len(counts) if day is None else (day - today).days
            if offset < len(counts):
                counts[offset] += 1
    return [(today + timedelta(days=offset), count) for offset, count in enumerate(counts)]


def streak(ctx: StudyContext) -> int:
    """Consecutive learning days with an answer, ending today (or yesterday, if not yet today).

    Each answer counts for the learning day it was given on, in the zone the learner was in
    then (the log keeps it): a DST change or a flight never moves past days around.
    """
    days = set(ctx.store.learning_days())
    today = ctx.today()
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
