"""How a mock exam's result and the card browser look at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from quiztui.days import FixedClock
from quiztui.deck.model import Deck, Question
from quiztui.study import StudyContext
from quiztui.study.exam import ExamSpec, open_exam
from quiztui.study.marks import apply
from quiztui.tui.screens.browse import BrowseScreen
from quiztui.tui.screens.exam_result import ExamResultScreen
from tests.tui.conftest import AppFactory, settle
from tests.tui.test_review_screen import study_part


def test_exam_result(
    snap_compare: Any,
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    """Four questions, two right, one wrong, one left unanswered, in 3 of 10 minutes: the
    score, the time, the weakest area, the parts, and the first questions with answers."""
    session = open_exam(ctx, study_deck, ExamSpec(questions=4, minutes=10), seed=2)
    for index, presented in enumerate(session.questions[:3]):
        session.go(index)
        question = presented.item
        assert isinstance(question, Question)
        wrong = sorted(c.id for c in question.choices if not c.correct)[:1]
        session.pick(question.correct_choice_ids if index < 2 else wrong)
    session.add_time(181)
    result = session.submit()
    app = make_app(ctx, [study_deck_path])

    async def shown(pilot: Any) -> None:
        await settle(app, pilot)
        await app.push_screen(ExamResultScreen(result))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)


def test_browser(
    snap_compare: Any,
    ctx: StudyContext,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    """Part 1 studied yesterday, one card suspended and one question flagged: the table of
    every item with its state, due date, interval and easiness, and the highlighted item."""
    study_part(ctx, study_deck, "light")
    clock.advance(timedelta(days=1))
    apply(ctx.store, [(study_deck.id, "kp-chlorophyll")], "suspend", day=ctx.today(), at=ctx.now())
    apply(ctx.store, [(study_deck.id, "q-where")], "flag", day=ctx.today(), at=ctx.now())
    app = make_app(ctx, [study_deck_path])

    async def browsing(pilot: Any) -> None:
        await settle(app, pilot)
        await app.push_screen(BrowseScreen())
        await settle(app, pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=browsing)
