"""Mock exams driven with Pilot at 80x24: set up, answer without feedback, flag, finish, run out
of time, leave and resume, the result, the history, and `quiztui exam`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from quiztui.cli import main
from quiztui.days import FixedClock
from quiztui.deck.model import Deck, Question
from quiztui.study import StudyContext
from quiztui.study.exam import ExamSpec, open_exam
from quiztui.study.exam_results import exam_history
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.screens.deck import DeckScreen
from quiztui.tui.screens.exam import ExamScreen
from quiztui.tui.screens.exam_history import ExamHistoryScreen
from quiztui.tui.screens.exam_overview import ExamOverviewScreen
from quiztui.tui.screens.exam_result import ExamResultScreen
from quiztui.tui.screens.exam_setup import ExamSetupScreen
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import AppFactory, settle
from tests.tui.test_review_screen import enabled_binding_ids

ScreenText = Callable[[App[object]], str]


class FakeTime:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def hold_the_clock(screen: ExamScreen) -> FakeTime:
    """Put the exam's countdown on a clock that moves only when told."""
    fake = FakeTime()
    screen.monotonic = fake
    screen._last_tick = fake()
    return fake


def number_of(view: QuestionView, *, right: bool) -> str:
    """The key of the first right (or wrong) choice shown."""
    return next(str(row.number) for row in view.rows if row.choice.correct == right)


async def open_deck(app: QuiztuiApp, pilot: Pilot[None], deck: Deck) -> DeckScreen:
    await settle(app, pilot)
    screen = DeckScreen(deck)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def test_an_exam_from_the_deck_screen_marks_nothing_until_the_end(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """e, 3 questions, Start: pick, change, flag, move about; no verdict anywhere and nothing
    logged; e lists the unanswered and flagged; s submits: the result by part, three mode
    "exam" rows that schedule."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck(app, pilot, study_deck)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        exam = app.screen
        assert isinstance(exam, ExamScreen) and exam.session is not None
        hold_the_clock(exam)
        view = exam.query_one(QuestionView)
        assert "Exam · 1/3 · 0 answered" in screen_text(app)
        assert "exam.clear" not in enabled_binding_ids(app)
        first = exam.session.current.item
        assert isinstance(first, Question)
        if first.is_multiple_answer:
            await pilot.press(*(str(r.number) for r in view.rows if r.choice.correct))
        else:
            await pilot.press(number_of(view, right=False), number_of(view, right=True))
        await pilot.pause()
        shown = screen_text(app)
        assert "1 answered" in shown and ("●" in shown or "[x]" in shown)
        assert "Right" not in shown and "Wrong" not in shown and "✓" not in shown
        assert exam.session.answer_of(0) == first.correct_choice_ids
        await pilot.press("n", "f")
        await pilot.pause()
        assert "⚑ 1 flagged" in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert exam.session.position == 0 and "exam.clear" in enabled_binding_ids(app)
        assert ctx.store.reviews(study_deck.id) == []
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamOverviewScreen)
        overview = screen_text(app)
        assert "1 of 3 answered · 2 unanswered · 1 flagged" in overview
        assert "Unanswered questions count as wrong" in overview
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        result = screen_text(app)
        assert "Score  1 of 3 right (33%)" in result
        assert "Part 1: Light" in result and "2 questions unanswered" in result
        assert "2 questions unanswered: wrong in the score, no review" in result
        rows = ctx.store.reviews(study_deck.id)
        assert sorted(r.grade for r in rows) == [4] and {r.mode for r in rows} == {"exam"}
        assert all(ctx.store.state(study_deck.id, r.item_id) for r in rows)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen)


async def test_when_time_runs_out_the_exam_is_submitted_as_it_stands(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """A one-minute exam: the clock counts down; at zero, even with the list of questions open,
    the exam ends, unanswered questions wrong (and no reviews), and the result says time ran
    out; the history scores it 0 of 2."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = ExamScreen(study_deck, ExamSpec(questions=2, minutes=1))
        await app.push_screen(screen)
        await pilot.pause()
        fake = hold_the_clock(screen)
        fake.now += 45
        screen.tick()
        await pilot.pause()
        assert "⏱ 0:15 left" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        fake.now += 20
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        result = screen_text(app)
        assert "Time   1:00 of 1:00 · time ran out" in result
        assert "Score  0 of 2 right (0%)" in result
        assert ctx.store.reviews(study_deck.id) == []
        exam = ctx.store.finished_exams(study_deck.id)[0]
        assert exam.timed_out and exam.elapsed == 60
        (past,) = exam_history(ctx, [study_deck])
        assert (past.right, past.total) == (0, 2)


async def test_leaving_keeps_the_exam_and_the_deck_offers_to_resume_it(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """Escape after 25 seconds and one answer: resuming shows that answer, the same question,
    and 35 seconds left."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck(app, pilot, study_deck)
        screen = ExamScreen(study_deck, ExamSpec(questions=3, minutes=1))
        await app.push_screen(screen)
        await pilot.pause()
        fake = hold_the_clock(screen)
        await pilot.press("1")
        fake.now += 25
        await pilot.press("n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen)
        left = ctx.store.unfinished_exam(study_deck.id)
        assert left is not None and left.elapsed == 25 and left.position == 1
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "after answering 1 of 3 questions with 0:35 left" in dialog.question
        await pilot.press("y")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExamScreen) and again.session is not None
        hold_the_clock(again)
        assert again.session.position == 1 and again.session.answered_count == 1
        assert "⏱ 0:35 left" in screen_text(app)


async def test_no_browser_or_settings_during_an_exam(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """b and s would show answers or pause nothing: they do nothing in an exam."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = ExamScreen(study_deck, ExamSpec(questions=2))
        await app.push_screen(screen)
        await pilot.pause()
        hold_the_clock(screen)
        assert not {"app.browse", "app.settings"} & enabled_binding_ids(app)
        await pilot.press("b", "s")
        await pilot.pause()
        assert app.screen is screen


async def test_the_history_lists_every_exam_and_opens_its_result(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
    clock: FixedClock,
) -> None:
    """Two exams, one all right, one all wrong: both listed newest first, the trend drawn;
    Enter opens the highlighted one's result."""
    for right in (True, False):
        clock.advance(timedelta(hours=1))  # one exam after the other, as they were taken
        session = open_exam(ctx, study_deck, ExamSpec(questions=2), seed=1)
        for index, presented in enumerate(session.questions):
            session.go(index)
            question = presented.item
            assert isinstance(question, Question)
            wrong = {c.id for c in question.choices if not c.correct}
            session.pick(question.correct_choice_ids if right else {sorted(wrong)[0]})
        session.submit()
    clock.advance(timedelta(hours=1))
    open_exam(ctx, study_deck, ExamSpec(questions=2, minutes=1), seed=1).submit(timed_out=True)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(ExamHistoryScreen(app.decks))
        await settle(app, pilot)
        shown = screen_text(app)
        assert "latest 0% · best 100% · 3 exams" in shown
        assert "0/2 0%" in shown and "2/2 100%" in shown
        assert "(time up)" in shown, "the time column fits at 80 columns"
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "Score  0 of 2 right (0%)" in screen_text(app)


async def test_quiztui_exam_opens_the_app_on_the_exam(
    ctx: StudyContext, study_deck_path: Path, study_deck: Deck
) -> None:
    """The command's app starts on the exam it was given, over the home screen."""
    app = QuiztuiApp(
        ctx,
        [study_deck_path],
        include_library=False,
        seed=1,
        exam=(study_deck, ExamSpec(questions=4, tags=())),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.session is not None
        hold_the_clock(screen)
        assert screen.session.total == 4
        await pilot.press("escape")
        await pilot.pause()
        assert ctx.store.unfinished_exam(study_deck.id) is not None


def test_quiztui_exam_says_what_the_deck_has(study_deck_path: Path, capsys: object) -> None:
    """A part or tag the deck lacks is one message, before any app starts."""
    code = main(["exam", str(study_deck_path), "--part", "leaves"])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert code == 1
    assert err.strip() == (
        "quiztui: deck 'study-deck' has no part 'leaves' (its parts: light, roots)"
    )
    assert main(["exam", str(study_deck_path), "--questions", "0"]) == 2
    for minutes in ("inf", "nan", "1e308", "20000"):
        assert main(["exam", str(study_deck_path), "--minutes", minutes]) == 2, minutes


async def test_an_exam_that_logged_its_blanks_is_worded_as_it_happened(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """An exam submitted when blanks were still grade-1 reviews: its result never says "no
    review" for them, and counts them among the wrong ones that come back today."""
    from quiztui.store.records import ExamAnswer
    from quiztui.study.exam_results import exam_result

    session = open_exam(ctx, study_deck, ExamSpec(questions=2), seed=1)
    session.save()
    answers = [ExamAnswer(p.item.id, 1, p.item.answer_key, (), False) for p in session.questions]  # type: ignore[union-attr]
    ctx.store.finish_exam(session.exam, answers, learning_day=ctx.today(), at=ctx.now())
    finished = ctx.store.exam(session.exam.uid)
    assert finished is not None
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(ExamResultScreen(exam_result(ctx, study_deck, finished)))
        await pilot.pause()
        shown = screen_text(app)
        assert "2 questions unanswered, counted wrong" in shown and "no review" not in shown
        assert "the 2 wrong ones come back" in shown
