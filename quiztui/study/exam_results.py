"""A submitted mock exam's result, and the history of exams: scores by part and by tag, each
question with the learner's answer and the right one, and the weakest areas to practise.

Everything here is read back from the log (the exam's mode "exam" rows), so a result shown
from the history is the one shown when the exam ended.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from quiztui.deck.model import Deck, Question
from quiztui.store import ReviewRecord
from quiztui.store.records import Exam
from quiztui.study.context import Presented, StudyContext, choice_order
from quiztui.study.sessions import ReviewSession, open_practice

WEAKEST_AREAS = 3
"""How many weak areas the result names at most."""


def presented_questions(
    deck: Deck, exam: Exam, rng: random.Random, shuffle: bool
) -> tuple[Presented, ...]:
    """The exam's questions as shown, in its order and choice orders (a question gone from the
    deck is left out; one whose choices changed is shuffled afresh)."""
    shown: list[Presented] = []
    for question_id in exam.question_ids:
        if not deck.has_item(question_id):
            continue
        question = deck.item(question_id)
        if not isinstance(question, Question):
            continue
        order = exam.choice_orders.get(question_id, ())
        if sorted(order) != sorted(choice.id for choice in question.choices):
            order = choice_order(question, rng, shuffle=shuffle)
        shown.append(Presented(deck, question, tuple(order)))
    return tuple(shown)


AreaKind = Literal["part", "tag"]


@dataclass(frozen=True, slots=True)
class AreaScore:
    """The score of one part or one tag."""

    kind: AreaKind
    id: str
    title: str
    right: int
    total: int

    @property
    def score(self) -> float:
        """The share answered right, 0.0-1.0."""
        return self.right / self.total if self.total else 0.0

    @property
    def label(self) -> str:
        """ "Part 2: Roots" or "tag photosynthesis"."""
        return self.title if self.kind == "part" else f"tag {self.title}"


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question of a submitted exam: what was picked, what was right."""

    presented: Presented
    picked: frozenset[str]
    correct: bool
    flagged: bool
    seconds: float
    reviewed: bool = True
    """Whether it was logged as a review: every answer given; an unanswered question only in
    exams submitted before blanks stopped being logged (they were graded 1)."""

    @property
    def question(self) -> Question:
        """The question."""
        item = self.presented.item
        assert isinstance(item, Question)
        return item

    @property
    def answered(self) -> bool:
        """False when it was left unanswered (and so counted wrong)."""
        return bool(self.picked)


@dataclass(frozen=True, slots=True)
class ExamResult:
    """A submitted exam: the score, by part and by tag, each question, the weakest areas."""

    deck: Deck
    exam: Exam
    questions: tuple[QuestionResult, ...]
    by_part: tuple[AreaScore, ...]
    by_tag: tuple[AreaScore, ...]
    weakest: tuple[AreaScore, ...]
    """Up to three areas below the exam's own score (or below 100%), worst first; empty when
    every answer was right."""

    @property
    def right(self) -> int:
        """Questions answered right."""
        return sum(1 for q in self.questions if q.correct)

    @property
    def total(self) -> int:
        """Questions asked."""
        return len(self.questions)

    @property
    def unanswered(self) -> int:
        """Questions left unanswered (counted wrong)."""
        return sum(1 for q in self.questions if not q.answered)

    @property
    def wrong_reviews(self) -> int:
        """Questions logged as wrong reviews: they come back in the day's reviews."""
        return sum(1 for q in self.questions if q.reviewed and not q.correct)

    @property
    def score(self) -> float:
        """The share answered right, 0.0-1.0."""
        return self.right / self.total if self.total else 0.0

    @property
    def seconds(self) -> float:
        """The time taken."""
        return self.exam.elapsed

    def weak_question_ids(self) -> list[str]:
        """The questions of the weakest areas, in exam order: what "practise" asks."""
        parts = {area.id for area in self.weakest if area.kind == "part"}
        tags = {area.id for area in self.weakest if area.kind == "tag"}
        return [
            q.question.id
            for q in self.questions
            if self.deck.part_of(q.question.id).id in parts or tags & set(q.question.tags)
        ]


def _areas(
    results: Sequence[QuestionResult], deck: Deck
) -> tuple[list[AreaScore], list[AreaScore]]:
    parts: dict[str, list[bool]] = {}
    tags: dict[str, list[bool]] = {}
    for result in results:
        question = result.question
        parts.setdefault(deck.part_of(question.id).id, []).append(result.correct)
        for tag in question.tags:
            tags.setdefault(tag, []).append(result.correct)
    by_part = [
        AreaScore("part", part.id, part.title, sum(parts[part.id]), len(parts[part.id]))
        for part in deck.parts
        if part.id in parts
    ]
    by_tag = [
        AreaScore("tag", tag, tag, sum(marks), len(marks)) for tag, marks in sorted(tags.items())
    ]
    return by_part, by_tag


def weakest_areas(areas: Iterable[AreaScore], overall: float) -> tuple[AreaScore, ...]:
    """The areas scoring below the exam as a whole (or, when none does, below 100%), worst
    first and larger first among equals, at most three: what to practise next."""
    scored = list(areas)
    weak = [area for area in scored if area.score < overall]
    if not weak:
        weak = [area for area in scored if area.score < 1.0]
    weak.sort(key=lambda area: (area.score, -area.total, area.kind, area.title))
    return tuple(weak[:WEAKEST_AREAS])


def score_exam(deck: Deck, exam: Exam, rows: Sequence[ReviewRecord]) -> ExamResult:
    """The result of a submitted exam, from its log rows: a question with no row was left
    unanswered (wrong); a question gone from the deck since is left out."""
    by_id = {row.item_id: row for row in rows if row.mode == "exam"}
    rng = random.Random(0)
    results: list[QuestionResult] = []
    for presented in presented_questions(deck, exam, rng, shuffle=False):
        question_id = presented.item.id
        flagged = question_id in exam.flags
        row = by_id.get(question_id)
        if row is None:
            seconds = exam.seconds.get(question_id, 0.0)
            results.append(
                QuestionResult(presented, frozenset(), False, flagged, seconds, reviewed=False)
            )
            continue
        results.append(
            QuestionResult(
                presented, frozenset(row.picked), bool(row.correct), flagged, row.seconds
            )
        )
    by_part, by_tag = _areas(results, deck)
    right = sum(1 for r in results if r.correct)
    overall = right / len(results) if results else 0.0
    weakest = weakest_areas([*by_part, *by_tag], overall)
    return ExamResult(deck, exam, tuple(results), tuple(by_part), tuple(by_tag), weakest)


def exam_result(ctx: StudyContext, deck: Deck, exam: Exam) -> ExamResult:
    """A submitted exam's result, read back from the log."""
    return score_exam(deck, exam, ctx.store.reviews(deck.id, attempt_uid=exam.uid))


@dataclass(frozen=True, slots=True)
class PastExam:
    """One submitted exam, as the history lists it."""

    deck: Deck
    exam: Exam
    right: int
    total: int

    @property
    def score(self) -> float:
        """The share answered right, 0.0-1.0."""
        return self.right / self.total if self.total else 0.0


def exam_history(ctx: StudyContext, decks: Sequence[Deck]) -> list[PastExam]:
    """Every submitted exam of these decks, oldest first, with its score."""
    by_id = {deck.id: deck for deck in decks}
    past: list[PastExam] = []
    for exam in ctx.store.finished_exams():
        deck = by_id.get(exam.deck_id)
        if deck is None:
            continue
        rows = ctx.store.reviews(deck.id, attempt_uid=exam.uid)
        right = sum(1 for r in rows if r.mode == "exam" and r.correct and deck.has_item(r.item_id))
        asked = sum(1 for question_id in set(exam.question_ids) if deck.has_item(question_id))
        past.append(PastExam(deck, exam, right, asked))
    return past


def open_weak_practice(
    ctx: StudyContext, result: ExamResult, *, seed: int | None = None
) -> ReviewSession:
    """Practice (never rescheduling) of the exam's questions in its weakest areas, shuffled."""
    return open_practice(ctx, result.deck, item_ids=result.weak_question_ids(), seed=seed)
