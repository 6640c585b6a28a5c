"""The statistics screen (`p`): its figures against a log counted by hand, its keys, its look.

The figures themselves are the core's (tests/test_statistics.py); here the screen must show
them, for every deck or one, over the range asked for, and read at 80x24 when empty, after one
day and after a simulated year (tests/year_history.py, with a fixed clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import TabbedContent

from quiztui.days import FixedClock
from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck
from quiztui.settings import Settings
from quiztui.store import Store
from quiztui.study import StudyContext, open_check
from quiztui.study.statistics import Rate
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.statistics import StatisticsScreen
from quiztui.tui.widgets.heatmap import quartiles, shade_index
from tests.test_statistics import day, known_log
from tests.tui.conftest import AppFactory, settle

BUNDLED_DECK = Path(__file__).parents[2] / "decks" / "airflow-mwaa.yaml"


async def open_statistics(app: Any, pilot: Any) -> StatisticsScreen:
    """From the home screen, `p`, then wait for the figures."""
    await settle(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StatisticsScreen)
    assert screen.stats is not None
    return screen


def finish_check(ctx: StudyContext, deck: Deck, part_id: str, check: str, right: int) -> None:
    """Answer a whole check, the first `right` questions right."""
    session = open_check(ctx, deck, part_id, check, seed=0)  # type: ignore[arg-type]
    answered = 0
    while not session.finished:
        question = session.current.item  # type: ignore[union-attr]
        wrong = [c.id for c in question.choices if not c.correct]  # type: ignore[union-attr]
        picked = question.correct_choice_ids if answered < right else {wrong[0]}  # type: ignore[union-attr]
        session.answer(frozenset(picked), 2.0)
        answered += 1
    session.finish()


@pytest.fixture
def known_ctx(tmp_path: Path, study_deck: Deck) -> StudyContext:
    """The hand-counted log of tests/test_statistics.py, standing on its day 61 at noon."""
    store = Store.open(tmp_path / "known.sqlite3", backups_dir=tmp_path / "backups")
    known_log(store, study_deck)
    clock = FixedClock(datetime.combine(day(61), datetime.min.time(), tzinfo=UTC).replace(hour=12))
    return StudyContext(store, clock, Settings())


async def test_the_screen_shows_the_hand_counted_figures(
    known_ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    screen_text: Callable[[App[object]], str],
) -> None:
    app = make_app(known_ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_statistics(app, pilot)
        stats = screen.stats
        assert stats is not None and stats.range == "3m"
        assert stats.total_reviews == 12
        assert stats.retention.young == Rate(5, 4) and stats.retention.mature == Rate(1, 0)
        assert (stats.streak.current, stats.streak.longest) == (2, 3)
        text = screen_text(app)
        assert "Streak 2 days (longest 3)" in text
        # The other sections, one tab each.
        tabs = screen.query_one(TabbedContent)
        tabs.active = "retention"
        await pilot.pause()
        text = screen_text(app)
        assert "Young (interval under 21 days)" in text and "80% of 5" in text
        assert "Mature (21 days or more)" in text and "0% of 1" in text
        tabs.active = "hardest"
        await pilot.pause()
        assert "What colour does chlorophyll absorb least?" in screen_text(app)
        # One month: only days 60 and 61.
        await pilot.press("1")
        await settle(app, pilot)
        assert screen.stats is not None and screen.stats.range == "1m"
        assert [d.day for d in screen.stats.days] == [day(60), day(61)]
        await pilot.press("a")
        await settle(app, pilot)
        assert screen.stats is not None and screen.stats.start == day(0)
        # With one deck, there is no other deck to step to.
        assert screen.check_action("next_deck", ()) is False
        await pilot.press("escape")
        assert not isinstance(app.screen, StatisticsScreen)


async def test_all_decks_or_one(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    valid_deck: Deck,
) -> None:
    finish_check(ctx, study_deck, "light", "pre", right=1)
    app = make_app(ctx, [study_deck_path, Path(valid_deck.path or "")])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_statistics(app, pilot)
        assert screen.stats is not None and len(screen.stats.deck_ids) == 2
        assert screen.stats.total_reviews == 5
        await pilot.press("d")
        await settle(app, pilot)
        assert screen.stats.deck_ids == (screen.decks[0].id,)
        await pilot.press("d", "d")
        await settle(app, pilot)
        assert len(screen.stats.deck_ids) == 2


async def test_help_lists_every_key_the_key_bar_shows(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """?: the help lists each key of the key bar, the app's (b Browse, s Settings) under
    "Everywhere", though over the help itself b and s would not apply."""
    from rich.console import Console
    from textual.widgets import Static

    from quiztui.tui.screens.help import HelpScreen

    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_statistics(app, pilot)
        on_the_bar = {
            active.binding.description
            for active in screen.active_bindings.values()
            if active.binding.show
        }
        assert {"Browse", "Settings"} <= on_the_bar
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=120, record=True)
        console.print(help_screen.query_one("#help-keys", Static).content)
        own = console.export_text()
        console.print(help_screen.query_one("#help-app-keys", Static).content)
        everywhere = console.export_text()
        lines = (own + everywhere).splitlines()
        listed = {line.split(None, 1)[1].split(" – ")[0].strip() for line in lines if line}
        assert on_the_bar <= listed
        assert "1 mo" in own and "Browse" not in own
        assert any(line.startswith("b ") and "Browse" in line for line in everywhere.splitlines())
        assert any(line.startswith("s ") and "Settings" in line for line in everywhere.splitlines())


async def test_a_new_learner_is_told_what_will_appear(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    screen_text: Callable[[App[object]], str],
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_statistics(app, pilot)
        assert screen.stats is not None and screen.stats.empty
        assert "A calendar of the last year will fill in here" in screen_text(app)
        screen.query_one(TabbedContent).active = "gains"
        await pilot.pause()
        assert "Take a part's pre-check, read its key points" in screen_text(app)


def test_the_calendar_shades_days_by_quartile() -> None:
    cuts = quartiles([1, 2, 3, 4, 5, 6, 7, 8, 300])
    assert [shade_index(n, cuts) for n in (0, 1, 3, 5, 8, 300)] == [0, 1, 1, 2, 4, 4]
    assert quartiles([]) == (1, 1, 1)


def test_snapshot_empty(
    snap_compare: Any, ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    app = make_app(ctx, [study_deck_path])

    async def opened(pilot: Any) -> None:
        await open_statistics(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)


def test_snapshot_after_one_day(
    snap_compare: Any,
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    finish_check(ctx, study_deck, "light", "pre", right=2)
    finish_check(ctx, study_deck, "light", "post", right=4)
    app = make_app(ctx, [study_deck_path])

    async def opened(pilot: Any) -> None:
        screen = await open_statistics(app, pilot)
        screen.query_one(TabbedContent).active = "gains"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)


@pytest.fixture(scope="module")
def year_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated year on the bundled deck (3,000 answers, seed 1), written once."""
    from tests.year_history import BENCH_NOW, plan_history, write_history

    folder = tmp_path_factory.mktemp("year")
    deck = load_deck(BUNDLED_DECK)
    store = Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    write_history(store, deck, plan_history(deck, 3000, days=365, seed=1))
    ctx = StudyContext(store, FixedClock(BENCH_NOW), Settings())
    finish_check(ctx, deck, deck.parts[0].id, "pre", right=3)
    finish_check(ctx, deck, deck.parts[0].id, "post", right=8)
    store.close()
    return folder / "progress.sqlite3"


def _app_on_a_copy_of(
    year_store: Path, tmp_path: Path, make_app: AppFactory
) -> tuple[QuiztuiApp, Store]:
    """The app on a copy of the simulated year's store, at the benchmark's "now"; close the
    store when done."""
    from tests.year_history import BENCH_NOW

    copy = tmp_path / "progress.sqlite3"
    copy.write_bytes(year_store.read_bytes())
    store = Store.open(copy, backups_dir=tmp_path / "backups")
    ctx = StudyContext(store, FixedClock(BENCH_NOW), Settings())
    return make_app(ctx, [BUNDLED_DECK]), store


@pytest.mark.parametrize("tab", ["calendar", "reviews", "retention", "gains"])
def test_snapshot_after_a_year(
    snap_compare: Any, make_app: AppFactory, year_store: Path, tmp_path: Path, tab: str
) -> None:
    app, store = _app_on_a_copy_of(year_store, tmp_path, make_app)

    async def opened(pilot: Any) -> None:
        screen = await open_statistics(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        screen.query_one(TabbedContent).active = tab
        await pilot.pause()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=opened)
    finally:
        store.close()


@pytest.mark.parametrize("tab", ["calendar", "reviews"])
def test_snapshot_after_a_year_in_the_light_theme(
    snap_compare: Any, make_app: AppFactory, year_store: Path, tmp_path: Path, tab: str
) -> None:
    app, store = _app_on_a_copy_of(year_store, tmp_path, make_app)

    async def opened(pilot: Any) -> None:
        app.theme = "textual-light"
        screen = await open_statistics(app, pilot)
        screen.query_one(TabbedContent).active = tab
        await pilot.pause()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=opened)
    finally:
        store.close()
