"""Pre- and post-reading checks of a part, and what they show about what the learner gained.

Pre-check answers are recorded as an attempt and schedule nothing (a lucky guess before reading
teaches nothing); post-check answers are each question's first SM-2 review. Every answer is
committed as it is given, so a check left half-way resumes with the same questions and the same
choice orders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quiztui.deck.model import CheckName, Deck, Part, Question
from quiztui.store import Attempt
from quiztui.study.confidence import regrade
from quiztui.study.context import (
    AnswerOutcome,
    Presented,
    StudyContext,
    choice_order,
    grade_question,
    outcome_of,
    record,
)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The score of a finished check."""

    check: CheckName
    answered: int
    correct: int

    @property
    def score(self) -> float:
        """The share answered right, 0.0-1.0 (0.0 for a check with no questions)."""
        return self.correct / self.answered if self.answered else 0.0


class CheckSession:
    """A pre- or post-reading check of one part; every answer committed as it is given.

    Pre answers schedule nothing; post answers are each question's SM-2 review (grade 1/4, or
    3/5 with confidence).
    """

    def __init__(
        self,
        ctx: StudyContext,
        deck: Deck,
        part: Part,
        check: CheckName,
        attempt: Attempt,
        questions: tuple[Presented, ...],
        answers: dict[str, AnswerOutcome],
        *,
        resumed: bool,
    ) -> None:
        """Use `open_check`."""
        self._ctx = ctx
        self.deck = deck
        self.part = part
        self.check: CheckName = check
        self.attempt = attempt
        self.questions = questions
        self._answers = dict(answers)
        self.resumed = resumed
        self.position = self._first_unanswered()
        self._last_question_id: str | None = None

    def _first_unanswered(self) -> int:
        for index, presented in enumerate(self.questions):
            if presented.item.id not in self._answers:
                return index
        return len(self.questions)

    @property
    def current(self) -> Presented | None:
        """The question to answer now, or None when all are answered."""
        return self.questions[self.position] if self.position < len(self.questions) else None

    @property
    def answers(self) -> dict[str, AnswerOutcome]:
        """The answers so far, by question id."""
        return dict(self._answers)

    def answer(self, picked: frozenset[str], seconds: float) -> AnswerOutcome:
        """Answer the current question (committed), and move to the next."""
        presented = self.current
        if presented is None:
            raise RuntimeError("every question of this check is already answered")
        question = presented.item
        assert isinstance(question, Question)
        correct, grade = grade_question(question, frozenset(picked))
        row = record(
            self._ctx,
            self.deck,
            question,
            self.check,
            grade,
            seconds,
            picked=frozenset(picked),
            correct=correct,
            attempt_uid=self.attempt.uid,
        )
        outcome = outcome_of(question, row)
        self._answers[question.id] = outcome
        self._last_question_id = question.id
        self.position = self._first_unanswered()
        return outcome

    @property
    def can_set_confidence(self) -> bool:
        """True right after a right post-check answer (the 3 / 5 keys apply)."""
        if self.check != "post" or self._last_question_id is None:
            return False
        return self._answers[self._last_question_id].correct

    def set_confidence(self, grade: int) -> None:
        """Regrade the last right post answer: 3 "guessed", 5 "knew it" (4 restores).

        ValueError when there is no such answer or the grade is not 3, 4 or 5.
        """
        if not self.can_set_confidence or self._last_question_id is None:
            raise ValueError("confidence applies to the last right answer of a post-check")
        outcome = self._answers[self._last_question_id]
        self._answers[self._last_question_id] = regrade(self._ctx, outcome, grade)

    @property
    def finished(self) -> bool:
        """True when every question has been answered."""
        return self.position >= len(self.questions)

    def result(self) -> CheckResult:
        """The score so far."""
        right = sum(1 for outcome in self._answers.values() if outcome.correct)
        return CheckResult(self.check, len(self._answers), right)

    def finish(self) -> CheckResult:
        """Mark the attempt complete and return its score (RuntimeError if questions remain)."""
        if not self.finished:
            raise RuntimeError(f"{len(self.questions) - self.position} questions are unanswered")
        self._ctx.store.finish_attempt(self.attempt.uid, self._ctx.now())
        return self.result()


def _attempt_answers(ctx: StudyContext, deck: Deck, attempt: Attempt) -> dict[str, AnswerOutcome]:
    answers: dict[str, AnswerOutcome] = {}
    for row in ctx.store.reviews(deck.id, attempt_uid=attempt.uid):
        try:
            question = deck.item(row.item_id)
        except KeyError:
            continue
        if isinstance(question, Question):
            answers[row.item_id] = outcome_of(question, row)
    return answers


def open_check(
    ctx: StudyContext,
    deck: Deck,
    part_id: str,
    check: CheckName,
    *,
    seed: int | None = None,
    resume: bool = True,
) -> CheckSession:
    """Resume the part's unfinished attempt of the check when `resume` and one exists, or start one.

    A resumed attempt asks the same questions with the same choice orders (a question removed
    from the deck meanwhile is skipped; one whose choices changed is shuffled afresh).
    """
    part = deck.part(part_id)
    rng = random.Random(seed)
    attempt = ctx.store.unfinished_attempt(deck.id, part_id, check) if resume else None
    if attempt is not None:
        presented: list[Presented] = []
        for question_id in attempt.question_ids:
            try:
                question = deck.item(question_id)
            except KeyError:
                continue
            order = attempt.choice_orders.get(question_id, ())
            if sorted(order) != sorted(c.id for c in getattr(question, "choices", ())):
                order = choice_order(question, rng)
            presented.append(Presented(deck, question, tuple(order)))
        answers = _attempt_answers(ctx, deck, attempt)
        return CheckSession(
            ctx, deck, part, check, attempt, tuple(presented), answers, resumed=True
        )
    questions = tuple(
        Presented(deck, question, choice_order(question, rng))
        for question in part.check_questions(check)
    )
    attempt = ctx.store.start_attempt(
        deck_id=deck.id,
        part_id=part_id,
        check=check,
        question_ids=[p.item.id for p in questions],
        choice_orders={p.item.id: p.choice_order for p in questions},
        at=ctx.now(),
    )
    return CheckSession(ctx, deck, part, check, attempt, questions, {}, resumed=False)


def unfinished_check(ctx: StudyContext, deck: Deck, part_id: str, check: CheckName) -> int | None:
    """How many questions of a left-half-way attempt were answered, or None when there is none.

    An attempt opened but never answered counts as none: there is nothing to resume.
    """
    attempt = ctx.store.unfinished_attempt(deck.id, part_id, check)
    if attempt is None:
        return None
    answered = len(_attempt_answers(ctx, deck, attempt))
    return answered or None


# ---------------------------------------------------------------------- results of a part


@dataclass(frozen=True, slots=True)
class QuestionComparison:
    """One question's result before and after reading."""

    question: Question
    pre_correct: bool | None
    """None: not answered in the latest finished pre attempt."""
    post_correct: bool | None


@dataclass(frozen=True, slots=True)
class PartResults:
    """A part's pre and post scores side by side, and the learning gain."""

    part: Part
    pre_score: float | None
    """Latest finished pre attempt, 0.0-1.0; None without one."""
    post_score: float | None
    questions: tuple[QuestionComparison, ...]

    @property
    def plain_change(self) -> float | None:
        """post - pre, when both exist."""
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score

    @property
    def normalized_gain(self) -> float | None:
        """Hake's gain (post - pre) / (1 - pre); None when pre is 1.0 or either is missing."""
        if self.pre_score is None or self.post_score is None or self.pre_score >= 1.0:
            return None
        return (self.post_score - self.pre_score) / (1.0 - self.pre_score)

    @property
    def to_revisit(self) -> tuple[Question, ...]:
        """The questions answered wrong in the post check."""
        return tuple(c.question for c in self.questions if c.post_correct is False)


def latest_result(
    ctx: StudyContext, deck: Deck, part_id: str, check: CheckName
) -> tuple[CheckResult | None, dict[str, AnswerOutcome]]:
    """The latest finished attempt's score (None without one) and its answers by question id."""
    attempt = ctx.store.latest_finished_attempt(deck.id, part_id, check)
    if attempt is None:
        return None, {}
    answers = _attempt_answers(ctx, deck, attempt)
    right = sum(1 for outcome in answers.values() if outcome.correct)
    return CheckResult(check, len(answers), right), answers


def latest_score(
    ctx: StudyContext, deck: Deck, part_id: str, check: CheckName
) -> CheckResult | None:
    """The latest finished attempt's score, or None: `latest_result`'s, counted from the log and
    the deck's ids alone, so the home and deck screens build no items to show it."""
    attempt = ctx.store.latest_finished_attempt(deck.id, part_id, check)
    if attempt is None:
        return None
    right: dict[str, bool] = {}
    for row in ctx.store.reviews(deck.id, attempt_uid=attempt.uid):
        if deck.has_item(row.item_id) and deck.item(row.item_id).kind == "question":
            right[row.item_id] = bool(row.correct)
    return CheckResult(check, len(right), sum(right.values()))


def part_results(ctx: StudyContext, deck: Deck, part_id: str) -> PartResults:
    """The part's latest finished pre and post checks, compared question by question."""
    part = deck.part(part_id)
    pre, pre_answers = latest_result(ctx, deck, part_id, "pre")
    post, post_answers = latest_result(ctx, deck, part_id, "post")
    comparisons = tuple(
        QuestionComparison(
            question,
            pre_answers[question.id].correct if question.id in pre_answers else None,
            post_answers[question.id].correct if question.id in post_answers else None,
        )
        for question in part.questions
    )
    return PartResults(
        part,
        pre.score if pre is not None and pre.answered else None,
        post.score if post is not None and post.answered else None,
        comparisons,
    )
