"""Confidence after a right answer: 3 "guessed", 5 "knew it", 4 as answered. One rule for all.

A question is graded from what happened (wrong 1, right 4); right after a right answer the
learner may say how sure they were, which changes that answer's grade in the log (the first
grade stays beside it). A grade below 4 brings the item back the same learning day.
"""

from __future__ import annotations

from dataclasses import replace

from quiztui.study.context import AnswerOutcome, StudyContext

GUESSED = 3
AS_ANSWERED = 4
KNEW_IT = 5

CONFIDENCE_GRADES = frozenset({GUESSED, AS_ANSWERED, KNEW_IT})
"""A right answer's grade: 4 as answered, 3 "guessed", 5 "knew it"."""

CONFIDENCE_NOTES: dict[int, str] = {
    GUESSED: "it comes back again today",
    KNEW_IT: "it waits longer before it comes back",
}
"""What each confidence key does to the schedule, in the learner's words."""


def regrade(ctx: StudyContext, outcome: AnswerOutcome, grade: int) -> AnswerOutcome:
    """The right answer `outcome` regraded with a confidence (committed to the log).

    ValueError when the grade is not 3, 4 or 5, or the answer was not right.
    """
    if grade not in CONFIDENCE_GRADES:
        raise ValueError(f"confidence is 3 (guessed), 4 or 5 (knew it), not {grade!r}")
    if not outcome.correct:
        raise ValueError("confidence applies to a right answer only")
    row = ctx.store.amend_grade(outcome.review_uid, grade, at=ctx.now())
    return replace(outcome, grade=row.grade)
