"""Study sessions, with no Textual: checks, key points, the day's reviews, practice, progress.

The TUI and `quiztui stats` call only this; every rule about what to ask next and what to
record lives here and in `quiztui.store`.
"""

from __future__ import annotations

from quiztui.store import Mode
from quiztui.study.checks import CheckResult, CheckSession, open_check, unfinished_check
from quiztui.study.confidence import CONFIDENCE_GRADES, CONFIDENCE_NOTES, regrade
from quiztui.study.context import (
    AnswerOutcome,
    Presented,
    StudyContext,
    grade_question,
    open_context,
    scheduler_for,
)
from quiztui.study.keypoints import KeyPointSession, open_key_points
from quiztui.study.progress import (
    DeckProgress,
    NextStep,
    PartProgress,
    deck_progress,
    forecast,
    mark_results_seen,
    streak,
)
from quiztui.study.queue import (
    DayQueue,
    QueueCounts,
    current_states,
    day_queue,
    queue_counts,
    unlocked_items,
    wrong_question_count,
    wrong_questions,
)
from quiztui.study.results import (
    AttemptScore,
    CheckHistory,
    Gain,
    PartResults,
    QuestionComparison,
    check_histories,
    check_history,
    part_results,
)
from quiztui.study.scheduling import (
    comes_back_today,
    mean_retrievability,
    next_intervals,
    retrievabilities,
)
from quiztui.study.sessions import ReviewSession, ReviewSummary, open_practice, open_review

__all__ = [
    "CONFIDENCE_GRADES",
    "CONFIDENCE_NOTES",
    "AnswerOutcome",
    "AttemptScore",
    "CheckHistory",
    "CheckResult",
    "CheckSession",
    "DayQueue",
    "DeckProgress",
    "Gain",
    "KeyPointSession",
    "Mode",
    "NextStep",
    "PartProgress",
    "PartResults",
    "Presented",
    "QuestionComparison",
    "QueueCounts",
    "ReviewSession",
    "ReviewSummary",
    "StudyContext",
    "check_histories",
    "check_history",
    "comes_back_today",
    "current_states",
    "day_queue",
    "deck_progress",
    "forecast",
    "grade_question",
    "mark_results_seen",
    "mean_retrievability",
    "next_intervals",
    "open_check",
    "open_context",
    "open_key_points",
    "open_practice",
    "open_review",
    "part_results",
    "queue_counts",
    "regrade",
    "retrievabilities",
    "scheduler_for",
    "streak",
    "unfinished_check",
    "unlocked_items",
    "wrong_question_count",
    "wrong_questions",
]
