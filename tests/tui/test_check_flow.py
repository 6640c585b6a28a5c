"""Taking a check in the app: what each key does, what the store records, the results shown."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, repeat
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot

from quiztui.deck.loader import load_deck
from quiztui.deck.model import CheckName, Deck
from quiztui.study import StudyContext, check_history, open_check
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens import check as check_module
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.screens.results import ResultsScreen
from quiztui.tui.widgets.question import QuestionView
from tests.tui.conftest import STUDY_DECK_YAML, settle

ScreenText = Callable[[App[object]], str]


def current_view(app: QuiztuiApp) -> QuestionView:
    """The question on the check screen."""
    screen = app.screen
    assert isinstance(screen, CheckScreen)
    view = screen.view
    assert view is not None
    return view


def right_keys(view: QuestionView) -> list[str]:
    """The number keys of the right choice(s), in display order."""
    return [str(row.number) for row in view.rows if row.choice.correct]


def wrong_key(view: QuestionView) -> str:
    """The number key of a wrong choice."""
    return next(str(row.number) for row in view.rows if not row.choice.correct)


async def answer(pilot: Pilot[None], app: QuiztuiApp, right: bool) -> None:
    """Answer the question on screen by number keys, right or wrong."""
    view = current_view(app)
    if view.multiple:
        keys = right_keys(view) if right else right_keys(view)[:1]
        await pilot.press(*keys, "enter")
    else:
        await pilot.press(right_keys(view)[0] if right else wrong_key(view))
    await pilot.pause()


async def open_screen(app: QuiztuiApp, pilot: Pilot[None], screen: object) -> None:
    """Wait for the home screen's loader, then show `screen`."""
    await settle(app, pilot)
    await app.push_screen(screen)  # type: ignore[arg-type]
    await pilot.pause()


def take_check(ctx: StudyContext, deck: Deck, check: CheckName, rights: str) -> None:
    """Take a whole check through the core: "r" right, "w" wrong, question by question."""
    session = open_check(ctx, deck, "light", check, seed=1)
    for verdict in rights:
        current = session.current
        assert current is not None
        correct = {c.id for c in current.choices if c.correct}
        wrong = {next(c.id for c in current.choices if not c.correct)}
        session.answer(frozenset(correct if verdict == "r" else wrong), 2.0)
    session.finish()


def binding_ids(app: QuiztuiApp) -> set[str]:
    """The ids of the bindings that apply now (what the footer can show)."""
    return {b.binding.id for b in app.screen.active_bindings.values() if b.binding.id}


# ---------------------------------------------------------------------- the post-check


async def test_post_check_by_number_keys_records_answers_and_confidence(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        plan = [(True, "5"), (False, None), (True, "3"), (True, None), (False, None)]
        for right, confidence in plan:
            await answer(pilot, app, right)
            if confidence:
                await pilot.press(confidence)
                await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)

    rows = ctx.store.reviews(study_deck.id)
    assert [(r.item_id, r.mode, r.grade, r.correct) for r in rows] == [
        ("q-colour", "post", 5, True),
        ("q-where", "post", 1, False),
        ("q-inputs", "post", 3, True),
        ("q-gas", "post", 4, True),
        ("q-energy", "post", 1, False),
    ]
    result = check_history(ctx, study_deck, "light", "post").latest
    assert result is not None and (result.correct, result.answered) == (3, 5)


async def test_post_check_shows_right_or_wrong_at_once(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        view = current_view(app)
        first = view.presented
        await answer(pilot, app, right=False)
        assert current_view(app).presented is first, "the question stays for its feedback"
        assert f"✗ Wrong — the answer is {right_keys(view)[0]}" in screen_text(app)
        assert "It is reflected, so we see it." in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert current_view(app).presented is not first
        assert "Question 2 of 5" in screen_text(app)


async def test_confidence_keys_apply_only_after_a_right_answer(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        assert {"confidence.guessed", "confidence.knew-it", "check.next"} & binding_ids(
            app
        ) == set()
        assert "question.answer-1" in binding_ids(app)
        # While unanswered, 3 answers with choice 3 (with seed 1, the right one) ...
        view = current_view(app)
        assert view.rows[2].choice.correct
        await pilot.press("3")
        await pilot.pause()
        (row,) = ctx.store.reviews(study_deck.id)
        assert (row.picked, row.grade) == ((view.rows[2].choice.id,), 4)
        assert {"confidence.guessed", "confidence.knew-it", "check.next"} <= binding_ids(app)
        assert "question.answer-1" not in binding_ids(app)
        # ... and once answered right, 3 means "guessed".
        await pilot.press("3")
        await pilot.pause()
        assert ctx.store.reviews(study_deck.id)[0].grade == 3
        assert current_view(app) is view
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, app, right=False)
        assert "confidence.guessed" not in binding_ids(app), "no confidence after a wrong answer"
        assert "check.next" in binding_ids(app)
        await pilot.press("5")
        await pilot.pause()
        assert [r.grade for r in ctx.store.reviews(study_deck.id)] == [3, 1]


async def test_arrows_and_enter_answer(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        view = current_view(app)
        target = int(right_keys(view)[0]) - 1
        await pilot.press(*["down"] * (target + 1), "enter")
        await pilot.pause()
    (row,) = ctx.store.reviews(study_deck.id)
    assert (row.item_id, row.correct, row.grade) == ("q-colour", True, 4)


async def test_a_choose_all_question_by_space_and_enter(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        for _ in range(2):
            await answer(pilot, app, right=True)
            await pilot.press("enter")
            await pilot.pause()
        view = current_view(app)
        assert view.multiple
        keys: list[str] = []
        position = 0
        for index, row in enumerate(view.rows):
            if row.choice.correct:
                keys += ["down"] * (index - position) + ["space"]
                position = index
        await pilot.press(*keys)
        await pilot.pause()
        assert not ctx.store.reviews(study_deck.id, item_id="q-inputs"), "nothing until Enter"
        await pilot.press("enter")
        await pilot.pause()
    (row,) = ctx.store.reviews(study_deck.id, item_id="q-inputs")
    assert (set(row.picked), row.correct) == ({"co2", "water"}, True)


async def test_each_answer_records_the_seconds_it_took(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ticks = chain([100.0, 107.5, 200.0, 203.25], repeat(300.0))
    monkeypatch.setattr(check_module, "time", SimpleNamespace(monotonic=lambda: next(ticks)))
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "pre"))
        await answer(pilot, app, right=True)
        await answer(pilot, app, right=False)
    assert [r.seconds for r in ctx.store.reviews(study_deck.id)] == [7.5, 3.25]


# ---------------------------------------------------------------------- the pre-check


async def test_pre_check_says_nothing_until_the_review(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "pre"))
        for number, right in enumerate([True, False, False, True, False], start=1):
            assert f"Question {number} of 5" in screen_text(app)
            await answer(pilot, app, right)
            if number < 5:
                text = screen_text(app)
                assert "Right" not in text and "Wrong" not in text
                assert not current_view(app).answered, "straight on to the next question"
        rows = ctx.store.reviews(study_deck.id)
        assert [(r.mode, r.correct) for r in rows] == [
            ("pre", True),
            ("pre", False),
            ("pre", False),
            ("pre", True),
            ("pre", False),
        ]
        result = check_history(ctx, study_deck, "light", "pre").latest
        assert result is not None and result.correct == 2, "finished before the review"

        # The review: every question again, with every explanation and the pick marked.
        for number in range(1, 6):
            view = current_view(app)
            assert f"Question {number} of 5" in screen_text(app)
            assert "2 of 5 right before reading" in screen_text(app)
            assert view.answered
            for row in view.rows:
                assert row.explained == bool(row.choice.explanation)
            await pilot.press("enter")
            await pilot.pause()
        assert "It is reflected, so we see it." not in screen_text(app)
        assert isinstance(app.screen, ResultsScreen)
    assert ctx.store.state(study_deck.id, "q-colour") is None, "a pre-check schedules nothing"


async def test_the_review_pages_back_and_can_skip_to_results(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "pre"))
        for right in [True] * 5:
            await answer(pilot, app, right)
        screen = app.screen
        assert isinstance(screen, CheckScreen)
        assert "check.previous" not in binding_ids(app)
        await pilot.press("n", "n", "p")
        await pilot.pause()
        assert screen.review_index == 1
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


# ---------------------------------------------------------------------- leaving and resuming


async def test_leaving_mid_check_then_resuming_continues_at_the_next_question(
    ctx: StudyContext, study_deck: Deck, make_app: Callable[..., QuiztuiApp]
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        for _ in range(2):
            await answer(pilot, app, right=True)
            await pilot.press("enter")
            await pilot.pause()
        third = current_view(app).presented
        screen = app.screen
        assert isinstance(screen, CheckScreen) and screen.session is not None
        first_attempt = screen.session.attempt.uid
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CheckScreen)
        assert len(ctx.store.reviews(study_deck.id)) == 2

        app.seed = 99  # a resumed attempt keeps its choice orders whatever the seed
        await app.push_screen(CheckScreen(study_deck, "light", "post", resume=True))
        await pilot.pause()
        view = current_view(app)
        assert view.presented.item.id == third.item.id == "q-inputs"
        assert view.presented.choice_order == third.choice_order
        assert view.heading.startswith("Question 3 of 5")
        await answer(pilot, app, right=True)
        await pilot.press("escape")
        await pilot.pause()

        await app.push_screen(CheckScreen(study_deck, "light", "post", resume=False))
        await pilot.pause()
        assert current_view(app).heading.startswith("Question 1 of 5")
    assert len(ctx.store.attempts(study_deck.id, "light")) == 2
    assert len(ctx.store.reviews(study_deck.id, attempt_uid=first_attempt)) == 3


@pytest.mark.parametrize(("check", "shown"), [("pre", CheckScreen), ("post", ResultsScreen)])
async def test_reopening_a_check_answered_to_the_end_finishes_it(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    check: CheckName,
    shown: type,
) -> None:
    session = open_check(ctx, study_deck, "light", check, seed=1)
    while (current := session.current) is not None:
        session.answer(frozenset({current.choices[0].id}), 1.0)
    assert check_history(ctx, study_deck, "light", check).latest is None
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", check))
        assert isinstance(app.screen, shown)
        if check == "pre":
            assert current_view(app).answered, "straight to the review"
    assert check_history(ctx, study_deck, "light", check).latest is not None


async def test_a_check_without_questions_says_so(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "roots", "post"))
        assert "This part has no post-reading check questions." in screen_text(app)
        assert binding_ids(app) >= {"check.leave"}
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CheckScreen)
    assert ctx.store.attempts(study_deck.id, "roots") == [], "no empty attempt is started"


# ---------------------------------------------------------------------- results


async def test_results_show_scores_gain_and_what_to_revisit(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    take_check(ctx, study_deck, "pre", "rwwrw")
    take_check(ctx, study_deck, "post", "rrwrr")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, ResultsScreen(study_deck, "light", just_finished="post"))
        text = screen_text(app)
        assert "Post-reading check: 4 of 5 right (80%)." in text
        assert "Pre-reading      40%" in text
        assert "Plain change     +40 pts" in text
        assert "Normalized gain  0.67  you learned 67% of what you did not know" in text
        assert "With 5 questions a score moves in 20-point steps." in text
        table = [line.split() for line in text.splitlines() if line.strip()[:2] in {"2 ", "3 "}]
        marks = [[cell for cell in row if cell in {"✓", "✗", "–"}] for row in table]
        assert marks == [["✗", "✓"], ["✗", "✗"]]
        assert "• Which of these does a plant take in for photosynthesis? (section 1.3)" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ResultsScreen)
    assert "results_seen" in ctx.store.steps(study_deck.id)["light"]


async def test_results_show_a_fill_in_prompt_as_written(
    ctx: StudyContext,
    tmp_path: Path,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    """A blank of underscores is no emphasis, and [brackets] are no markup: "To revisit" and
    the table show the prompt as the question does; real emphasis (**least**) still goes."""
    path = tmp_path / "fill-in.yaml"
    path.write_text(
        STUDY_DECK_YAML.replace(
            "prompt: Which gas do plants give off in daylight?",
            'prompt: "Mars is the _____ planet [b]from[/b] the Sun."',
        ),
        encoding="utf-8",
    )
    deck = load_deck(path)
    take_check(ctx, deck, "post", "wwwww")
    app = make_app(ctx)
    async with app.run_test(size=(120, 60)) as pilot:
        await open_screen(app, pilot, ResultsScreen(deck, "light", just_finished="post"))
        text = screen_text(app)
        assert "• Mars is the _____ planet [b]from[/b] the Sun. (section 1.3)" in text
        table = [line for line in text.splitlines() if "planet" in line and "•" not in line]
        assert len(table) == 1 and "Mars is the _____ planet [b]from[/b] the Sun." in table[0]
        assert "• Which colour of light does chlorophyll absorb least? (section 1.1)" in text


async def test_results_after_a_perfect_pre_check_say_the_gain_is_undefined(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    take_check(ctx, study_deck, "pre", "rrrrr")
    take_check(ctx, study_deck, "post", "rrrrw")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, ResultsScreen(study_deck, "light"))
        text = screen_text(app)
        assert "Pre-reading check: 5 of 5 right (100%)." in text
        assert "Plain change     −20 pts" in text or "Plain change     -20 pts" in text
        assert "Normalized gain  undefined: you scored 100% before reading" in text


async def test_results_after_only_a_pre_check_mark_nothing_seen(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    take_check(ctx, study_deck, "pre", "rwwrw")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, ResultsScreen(study_deck, "light", just_finished="pre"))
        text = screen_text(app)
        assert "Pre-reading check: 2 of 5 right (40%)." in text
        assert "take the post-reading check" in text
        assert "To revisit" not in text
    assert "results_seen" not in ctx.store.steps(study_deck.id).get("light", frozenset())


# ---------------------------------------------------------------------- snapshots


def test_snapshot_wrong_answer_feedback(
    snap_compare: Callable[..., bool],
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
) -> None:
    app = make_app(ctx)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        await answer(pilot, app, right=True)
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, app, right=False)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_results(
    snap_compare: Callable[..., bool],
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
) -> None:
    take_check(ctx, study_deck, "pre", "rwwrw")
    take_check(ctx, study_deck, "post", "rrwrr")
    app = make_app(ctx)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_screen(app, pilot, ResultsScreen(study_deck, "light", just_finished="post"))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_enter_typed_with_a_pre_check_answer_never_answers_the_next_question(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    """A pre-check goes on with the digit alone; an Enter arriving with it (typed fast, or
    out of habit from the post-check) finds nothing selected on the next question, so it
    answers nothing: Enter confirms only a choice the learner has selected."""
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "pre"))
        first = current_view(app).question.id
        app.post_message(events.Key("1", "1"))
        app.post_message(events.Key("enter", None))
        for _ in range(3):
            await pilot.pause()
        rows = ctx.store.reviews(study_deck.id)
        assert [(r.mode, r.item_id) for r in rows] == [("pre", first)]
        assert "Question 2 of 5" in screen_text(app)
        assert not current_view(app).answered
        await pilot.press("1")  # typed with the question on screen: it answers
        assert len(ctx.store.reviews(study_deck.id)) == 2


async def test_digits_typed_together_all_count_in_order(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    """Keys sent at once (a paste, a terminal multiplexer) are each handled where they
    arrive: every digit answers the question on screen by then, none is lost."""
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "pre"))
        asked = [p.item.id for p in app.screen.session.questions]  # type: ignore[attr-defined]
        for key in "123":
            app.post_message(events.Key(key, key))
        for _ in range(3):
            await pilot.pause()
        rows = ctx.store.reviews(study_deck.id)
        assert [r.item_id for r in rows] == asked[:2]
        assert "Question 3 of 5" in screen_text(app)
        view = current_view(app)
        assert view.multiple, "the third question is a choose-all one: its digit ticks"
        assert [row.toggled for row in view.rows] == [False, False, True, False]


async def test_a_post_check_answer_and_enter_together_show_the_next_question(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        key = right_keys(current_view(app))[0]
        app.post_message(events.Key(key, key))
        app.post_message(events.Key("enter", None))
        for _ in range(3):
            await pilot.pause()
        assert [r.mode for r in ctx.store.reviews(study_deck.id)] == ["post"]
        assert "Question 2 of 5" in screen_text(app)
        assert not current_view(app).answered


async def test_u_takes_back_the_last_answer_of_a_check(
    ctx: StudyContext,
    study_deck: Deck,
    make_app: Callable[..., QuiztuiApp],
    screen_text: ScreenText,
) -> None:
    """Post-check: after the feedback, u asks the question again and its schedule goes.
    Pre-check: u on the next question takes back the one before; once the check is finished
    (its review shows every answer), there is nothing to take back."""
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        first = current_view(app).question.id
        assert "check.undo" not in binding_ids(app)
        await answer(pilot, app, right=False)
        assert ctx.store.state(study_deck.id, first) is not None
        assert "check.undo" in binding_ids(app)
        await pilot.press("u")
        await pilot.pause()
        view = current_view(app)
        assert view.question.id == first and not view.answered
        assert ctx.store.reviews(study_deck.id) == []
        assert ctx.store.state(study_deck.id, first) is None
        await pilot.press("escape")
        await pilot.pause()

        await app.push_screen(CheckScreen(study_deck, "light", "pre"))
        await pilot.pause()
        first = current_view(app).question.id
        await answer(pilot, app, right=True)
        assert "Question 2 of 5" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert current_view(app).question.id == first
        assert [r.mode for r in ctx.store.reviews(study_deck.id)] == []
        for _ in range(5):
            await answer(pilot, app, right=True)
        assert app.screen.phase == "review"  # type: ignore[attr-defined]
        await pilot.press("u")
        await pilot.pause()
        assert len(ctx.store.reviews(study_deck.id)) == 5, "a finished check keeps its answers"
