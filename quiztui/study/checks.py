"""Pre- and post-reading checks of a part: asking them, one answer at a time.

Pre-check answers are recorded as an attempt and schedule nothing (a lucky guess before reading
teaches nothing); post-check answers are each question's first SM-2 review. Every answer is
committed as it is given, so a check left half-way resumes with the same questions and the same
choice orders. The last answer can be taken back until the next one is given, or the attempt
finished. What the finished attempts show is `quiztui.study.results`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

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
    def can_undo(self) -> bool:
        """True while the last answer can be taken back: the attempt is not finished yet."""
        return self._last_question_id is not None and not self.attempt.finished

    def undo(self) -> Presented:
        """Take back the last answer (its log row and the item's state go with it); the
        question is asked again. RuntimeError when there is nothing to take back."""
        question_id = self._last_question_id
        if question_id is None or not self.can_undo:
            raise RuntimeError("no answer of this check can be taken back now")
        self._ctx.store.undo_review(self._answers[question_id].review_uid, at=self._ctx.now())
        del self._answers[question_id]
        self._last_question_id = None
        self.position = self._first_unanswered()
        current = self.current
        assert current is not None
        return current

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
        now = self._ctx.now()
        self._ctx.store.finish_attempt(self.attempt.uid, now)
        self.attempt = replace(self.attempt, finished_at=now)
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
    shuffle = ctx.settings.shuffle_choices
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
                order = choice_order(question, rng, shuffle=shuffle)
            presented.append(Presented(deck, question, tuple(order)))
        answers = _attempt_answers(ctx, deck, attempt)
        return CheckSession(
            ctx, deck, part, check, attempt, tuple(presented), answers, resumed=True
        )
    questions = tuple(
        Presented(deck, question, choice_order(question, rng, shuffle=shuffle))
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
