"""What a part's checks show: every finished attempt, and the gain from before to after reading.

The rule a teacher can rely on: the learner's **first** complete pre-reading check is the
baseline; a later pre-check is kept and shown as a retake, never as the baseline (a retake
comes after its own closing review showed every answer). The gain compares that baseline
with the **latest** complete post-reading check, over the questions both asked, so a deck
edited in between never compares a 1-question check with a 2-question one. The first
post-check is shown beside the latest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quiztui.deck.model import CheckName, Deck, Part, Question
from quiztui.store import Attempt
from quiztui.study.context import StudyContext


@dataclass(frozen=True, slots=True)
class AttemptScore:
    """One finished attempt of a check and how each of its questions went."""

    attempt: Attempt
    number: int
    """1 for the first finished attempt of this check, 2 for the first retake, and so on."""
    right: dict[str, bool]
    """Question id -> answered right, for the questions the deck still has."""

    @property
    def answered(self) -> int:
        """How many questions were answered."""
        return len(self.right)

    @property
    def correct(self) -> int:
        """How many were right."""
        return sum(self.right.values())

    @property
    def score(self) -> float | None:
        """The share right, 0.0-1.0 (None when no question of it is left in the deck)."""
        return self.correct / self.answered if self.answered else None

    def score_over(self, question_ids: Iterable[str]) -> float | None:
        """The share right among `question_ids` (None when it answered none of them)."""
        asked = [self.right[qid] for qid in question_ids if qid in self.right]
        return sum(asked) / len(asked) if asked else None

    @property
    def label(self) -> str:
        """How the attempt is named: "first", then "retake 1", "retake 2"..."""
        return "first" if self.number == 1 else f"retake {self.number - 1}"


@dataclass(frozen=True, slots=True)
class CheckHistory:
    """Every finished attempt of one check of a part, oldest first."""

    check: CheckName
    attempts: tuple[AttemptScore, ...]

    @property
    def first(self) -> AttemptScore | None:
        """The first finished attempt: the pre-check's is the baseline."""
        return self.attempts[0] if self.attempts else None

    @property
    def latest(self) -> AttemptScore | None:
        """The most recent finished attempt."""
        return self.attempts[-1] if self.attempts else None

    @property
    def done(self) -> bool:
        """True once an attempt was finished."""
        return bool(self.attempts)

    @property
    def retakes(self) -> tuple[AttemptScore, ...]:
        """The attempts after the first."""
        return self.attempts[1:]


@dataclass(frozen=True, slots=True)
class Gain:
    """From the first pre-check to the latest post-check, over the questions both asked."""

    question_ids: tuple[str, ...]
    """The questions compared, in deck order."""
    pre: float
    post: float

    @property
    def plain_change(self) -> float:
        """post - pre."""
        return self.post - self.pre

    @property
    def normalized(self) -> float | None:
        """Hake's gain (post - pre) / (1 - pre); None when pre was already 100%."""
        return None if self.pre >= 1.0 else (self.post - self.pre) / (1.0 - self.pre)


@dataclass(frozen=True, slots=True)
class QuestionComparison:
    """One question's result before and after reading."""

    question: Question
    pre_correct: bool | None
    """In the first pre-check; None when that attempt did not ask it."""
    post_correct: bool | None
    """In the latest post-check; None when that attempt did not ask it."""


@dataclass(frozen=True, slots=True)
class PartResults:
    """A part's check histories, the gain, and each question before and after."""

    part: Part
    pre: CheckHistory
    post: CheckHistory
    gain: Gain | None
    """None until both checks were finished with a question in common."""
    questions: tuple[QuestionComparison, ...]

    @property
    def to_revisit(self) -> tuple[Question, ...]:
        """The questions answered wrong in the latest post-check."""
        return tuple(c.question for c in self.questions if c.post_correct is False)


def check_histories(ctx: StudyContext, deck: Deck) -> dict[tuple[str, CheckName], CheckHistory]:
    """Every part's finished attempts of each check, by (part id, check), from one read."""
    found: dict[tuple[str, CheckName], list[AttemptScore]] = {}
    for attempt, rows in ctx.store.finished_attempts(deck.id):
        right = {
            row.item_id: bool(row.correct)
            for row in rows
            if deck.has_item(row.item_id) and deck.item(row.item_id).kind == "question"
        }
        scores = found.setdefault((attempt.part_id, attempt.check), [])
        scores.append(AttemptScore(attempt, len(scores) + 1, right))
    return {key: CheckHistory(key[1], tuple(scores)) for key, scores in found.items()}


def check_history(ctx: StudyContext, deck: Deck, part_id: str, check: CheckName) -> CheckHistory:
    """The finished attempts of one check of a part, oldest first."""
    return check_histories(ctx, deck).get((part_id, check), CheckHistory(check, ()))


def gain_between(pre: AttemptScore | None, post: AttemptScore | None, part: Part) -> Gain | None:
    """The gain from `pre` to `post` over the part's questions that both answered."""
    if pre is None or post is None:
        return None
    common = tuple(q.id for q in part.questions if q.id in pre.right and q.id in post.right)
    pre_score, post_score = pre.score_over(common), post.score_over(common)
    if pre_score is None or post_score is None:
        return None
    return Gain(common, pre_score, post_score)


def part_results(ctx: StudyContext, deck: Deck, part_id: str) -> PartResults:
    """The part's check histories, its gain, and each question in the baseline and the latest
    post-check."""
    part = deck.part(part_id)
    histories = check_histories(ctx, deck)
    pre = histories.get((part_id, "pre"), CheckHistory("pre", ()))
    post = histories.get((part_id, "post"), CheckHistory("post", ()))
    baseline, latest = pre.first, post.latest
    comparisons = tuple(
        QuestionComparison(
            question,
            baseline.right.get(question.id) if baseline is not None else None,
            latest.right.get(question.id) if latest is not None else None,
        )
        for question in part.questions
    )
    return PartResults(part, pre, post, gain_between(baseline, latest, part), comparisons)
