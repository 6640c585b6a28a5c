"""In the app, a store that cannot write keeps the app open and says so (issue 13, item 9).

The answer waits (the check goes on), the line above the key bar says how many answers wait and
why, it goes away once they are saved; quitting asks first only when some could be written
nowhere, not even to the journal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.app import App

from quiztui.days import FixedClock
from quiztui.deck.model import Deck
from quiztui.settings import Settings
from quiztui.store import Store
from quiztui.study import StudyContext
from quiztui.tui.screens.check import CheckScreen
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.widgets.store_status import StoreStatus
from tests.tui.conftest import AppFactory
from tests.tui.test_check_flow import answer, open_screen

ScreenText = Callable[[App[object]], str]


@pytest.fixture
def quick_ctx(tmp_path: Path, clock: FixedClock) -> Iterator[StudyContext]:
    """A context whose store waits only briefly for a lock (so a lock test is fast)."""
    store = Store.open(
        tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups", busy_timeout=0.05
    )
    yield StudyContext(store, clock, Settings())
    store.close()


def status_line(app: App[object]) -> StoreStatus:
    """The status line of the screen on top."""
    return app.screen.query_one(StoreStatus)


async def test_a_locked_store_keeps_the_app_open_and_says_so(
    quick_ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """Answer while another program holds the lock: the check goes on, the line says why."""
    store = quick_ctx.store
    app = make_app(quick_ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        assert not status_line(app).display
        blocker = sqlite3.connect(store.path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await answer(pilot, app, right=True)
            await pilot.press("enter")  # on to the next question
            await pilot.pause()
            await answer(pilot, app, right=False)
            status_line(app).update_status()
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, CheckScreen)
            assert status_line(app).display
            shown = screen_text(app)
            assert "2 answers waiting to be saved: the progress file is locked by another" in shown
            assert store.reviews(study_deck.id) == []
            assert not app.store_watch.retry_now()
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert app.store_watch.retry_now()
        await pilot.pause()
        assert not status_line(app).display
        assert "waiting to be saved" not in screen_text(app)
        assert [r.correct for r in store.reviews(study_deck.id)] == [True, False]


async def test_quitting_asks_first_only_when_answers_could_be_saved_nowhere(
    quick_ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    tmp_path: Path,
) -> None:
    """Locked, and no journal place writable: `q` asks; "Stay" stays; "Quit" quits."""
    (tmp_path / "blocked").write_text("a file: nothing can be created under it")
    store = quick_ctx.store
    store._writer.pending.journal.paths = (tmp_path / "blocked" / "p.jsonl",)
    app = make_app(quick_ctx, [study_deck_path])
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
            await answer(pilot, app, right=True)
            assert store.write_status().would_lose
            status_line(app).update_status()
            await pilot.pause()
            assert "held in memory only" in status_line(app).text
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            assert "could not be written anywhere" in app.screen.question
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, CheckScreen)
            await pilot.press("q")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
        assert not app.is_running
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


async def test_quitting_with_answers_kept_in_the_journal_asks_nothing(
    quick_ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """Answers waiting but kept in the journal: `q` quits at once (the next start saves them)."""
    app = make_app(quick_ctx, [study_deck_path])
    blocker = sqlite3.connect(quick_ctx.store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
            await answer(pilot, app, right=True)
            assert quick_ctx.store.write_status().waiting_answers == 1
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert (quick_ctx.store.path.parent / "progress.pending.jsonl").exists()


async def test_a_read_only_app_says_so_on_every_screen(
    tmp_path: Path,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """Opened read-only (another quiztui has the data): the line says it from the start, and
    answers are counted as not saved."""
    store = Store.open(
        tmp_path / "progress.sqlite3",
        backups_dir=tmp_path / "backups",
        read_only="quiztui pid 4242 has it open",
    )
    app = make_app(StudyContext(store, clock, Settings()), [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
        assert "Read-only (quiztui pid 4242 has it open)" in screen_text(app)
        await answer(pilot, app, right=True)
        app.store_watch.refresh()
        await pilot.pause()
        assert "1 answer not saved" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert store.reviews(study_deck.id) == []
    store.close()


async def test_a_whole_check_taken_while_locked_reaches_its_results_and_is_saved(
    quick_ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """Five answers, confidence and the check's end, all waiting: the results screen opens
    (its scores lag), and once the lock is free everything is saved in order."""
    from quiztui.study import check_history
    from quiztui.tui.screens.results import ResultsScreen

    store = quick_ctx.store
    app = make_app(quick_ctx, [study_deck_path])
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(app, pilot, CheckScreen(study_deck, "light", "post"))
            for right, confidence in [(True, "5"), (False, None), (True, "3"), (True, None)]:
                await answer(pilot, app, right)
                if confidence:
                    await pilot.press(confidence)
                    await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
            await answer(pilot, app, right=False)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ResultsScreen) and app.is_running
            assert store.write_status().waiting_answers == 5
            blocker.execute("ROLLBACK")
            assert app.store_watch.retry_now()
    finally:
        blocker.close()
    rows = store.reviews(study_deck.id)
    assert [(r.item_id, r.grade, r.correct) for r in rows] == [
        ("q-colour", 5, True),
        ("q-where", 1, False),
        ("q-inputs", 3, True),
        ("q-gas", 4, True),
        ("q-energy", 1, False),
    ]
    result = check_history(quick_ctx, study_deck, "light", "post").latest
    assert result is not None and (result.correct, result.answered) == (3, 5)


async def test_a_key_typed_right_after_quit_opens_nothing_and_raises_nothing(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """`q` then `s` in one burst: the settings screen pushed as the app closes got the status
    line mounted on it too late, and the learner saw a traceback instead of a clean exit."""
    from quiztui.tui.screens.settings import SettingsScreen
    from tests.tui.conftest import settle

    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.exit()  # what `q` does when nothing would be lost
        app.push_screen(SettingsScreen())  # what the `s` typed right after does
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0
