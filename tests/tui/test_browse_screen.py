"""The card browser driven with Pilot at 80x24: search as you type, sort, the detail pane,
suspend and its undo, bury, flag, reset (asked first), leeches, and `o` for the editor."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from quiztui.days import FixedClock
from quiztui.deck.model import Deck
from quiztui.study import StudyContext, day_queue, open_key_points
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.browse import BrowseScreen
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.screens.home import HomeScreen
from quiztui.tui.screens.review import ReviewScreen
from quiztui.tui.widgets.item_detail import ItemDetail
from tests.tui.conftest import AppFactory, settle
from tests.tui.test_review_screen import enabled_binding_ids, study_part

ScreenText = Callable[[App[object]], str]


async def open_browser(app: QuiztuiApp, pilot: Pilot[None]) -> BrowseScreen:
    """`b` from the home screen, once the decks and the rows are there."""
    await settle(app, pilot)
    await pilot.press("b")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, BrowseScreen) and screen.loaded
    return screen


async def search(pilot: Pilot[None], screen: BrowseScreen, text: str) -> None:
    """Type a search and wait for the filter."""
    await pilot.press("slash")
    field = screen.query_one("#browse-search", Input)
    field.value = ""
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


def detail_text(screen: BrowseScreen) -> str:
    """All the detail pane says, scrolled or not."""
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(screen.query_one(ItemDetail).shown)
    return console.export_text()


def shown_ids(screen: BrowseScreen) -> list[str]:
    """The item ids the table lists, in order."""
    return [row.item.id for row in screen.shown]


async def test_b_lists_every_item_and_a_search_narrows_it_as_you_type(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    screen_text: ScreenText,
) -> None:
    """Seven items; "chlorophyll" finds the key point and the question that mention it (in a
    prompt, a back or an explanation); kind: and tag-less filters; the detail pane shows the
    highlighted item with its choices, the right one marked."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        assert len(screen.shown) == 7 and "7 of 7" in screen_text(app)
        await search(pilot, screen, "chlorophyll")
        assert shown_ids(screen) == ["kp-chlorophyll", "q-colour", "q-where"]
        assert "3 of 7" in screen_text(app)
        await search(pilot, screen, "chlorophyll kind:question")
        assert shown_ids(screen) == ["q-colour", "q-where"]
        detail = screen_text(app)
        assert "Question · Light and Plants › Part 1: Light" in detail
        assert "✓ 1. Green" in detail
        assert "Never answered." in detail_text(screen)
        await search(pilot, screen, "is:nonsense")
        assert "is:nonsense is none of" in screen_text(app)
        assert isinstance(screen.query_one("#browse-table", DataTable), DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_typing_in_the_search_never_fires_an_action(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """s, z, f, r, u and b are letters while the search has the focus."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("slash", *"szfrub")
        await pilot.pause()
        assert screen.query_one("#browse-search", Input).value == "szfrub"
        assert app.screen is screen
        assert ctx.store.last_mark_batch() is None


async def test_sorting_by_a_column_and_back(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """t sorts by the text, v reverses it."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("t")
        texts = [row.text.lower() for row in screen.shown]
        assert texts == sorted(texts) and screen.sort_column == "text"
        await pilot.press("v")
        assert [row.text.lower() for row in screen.shown] == sorted(texts, reverse=True)


async def test_a_suspended_item_never_comes_back_in_the_days_review(
    ctx: StudyContext,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """Studied yesterday, so everything in part 1 is due; suspend the key point in the browser:
    it is logged, the row says suspended, the day's review does not ask it; u undoes it."""
    study_part(ctx, study_deck, "light")
    clock.advance(timedelta(days=1))
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await search(pilot, screen, "kp-chlorophyll")
        assert shown_ids(screen) == ["kp-chlorophyll"]
        await pilot.press("s")
        await settle(app, pilot)
        assert screen.shown[0].state == "suspended"
        assert "suspended" in screen_text(app)
        assert "suspended" in detail_text(screen).split("History", 1)[1]
        events = ctx.store.mark_events(study_deck.id, "kp-chlorophyll")
        assert [(e.mark, e.value) for e in events] == [("suspend", True)]
        assert "kp-chlorophyll" not in {item.id for item, _ in day_queue(ctx, study_deck).due}
        await pilot.press("escape")
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.session is not None
        assert "Review · 5 left" in screen_text(app)
        asked = [item.id for _, item in review.session._queue]
        assert "kp-chlorophyll" not in asked and len(asked) == 5
        await pilot.press("escape")
        await pilot.press("b")
        await settle(app, pilot)
        browser = app.screen
        assert isinstance(browser, BrowseScreen)
        assert "browse.undo" in enabled_binding_ids(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert ctx.store.marks_of(study_deck.id, "kp-chlorophyll").suspended is False
        assert "kp-chlorophyll" in {item.id for item, _ in day_queue(ctx, study_deck).due}


async def test_space_selects_a_row_and_moves_to_the_next_and_says_so(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Space moves on after selecting (mutt, Anki), so Down, Space, Down, Space selects rows 2
    and 4; the key's tooltip (the help screen's line for it) says it moves."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("down", "space", "down", "space")
        await pilot.pause()
        keys = [row.row_key for row in screen.shown]
        assert screen.selected == {keys[1], keys[3]}
        assert screen.query_one("#browse-table", DataTable).cursor_row == 4
        space = screen.active_bindings["space"].binding
        assert space.tooltip == "Select the row (or unselect it) and move to the next"


async def test_select_bury_flag_and_reset(
    ctx: StudyContext,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
) -> None:
    """Space selects two rows; z buries both for today only (one batch); f flags the
    highlighted one; r asks first, then forgets the schedule and keeps the history."""
    study_part(ctx, study_deck, "light")
    clock.advance(timedelta(days=1))
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("space", "space", "z")
        await settle(app, pilot)
        today = ctx.today()
        first, second = (row.item.id for row in screen.rows[:2])
        for item_id in (first, second):
            assert ctx.store.marks_of(study_deck.id, item_id).buried(today)
        assert {item.id for item, _ in day_queue(ctx, study_deck).due}.isdisjoint({first, second})
        assert {
            item.id for item, _ in day_queue(ctx, study_deck, today + timedelta(days=1)).due
        } >= {first}
        await pilot.press("f")
        await settle(app, pilot)
        flagged = screen.highlighted
        assert flagged is not None and flagged.marks.flagged
        logged = len(ctx.store.reviews(study_deck.id))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert ctx.store.state(study_deck.id, flagged.item.id) is None
        assert len(ctx.store.reviews(study_deck.id)) == logged
        row = screen.highlighted
        assert row is not None and row.state == "new"


async def test_a_leech_is_told_once_and_listed(
    ctx: StudyContext,
    clock: FixedClock,
    make_app: AppFactory,
    study_deck_path: Path,
    study_deck: Deck,
    screen_text: ScreenText,
) -> None:
    """With the threshold at 1, a lapse in a review makes the card a leech: told once, then
    listed by is:leech as a suspended leech."""
    from dataclasses import replace

    ctx = replace(ctx, settings=replace(ctx.settings, leech_threshold=1))
    key_points = open_key_points(ctx, study_deck, "roots")
    key_points.grade(4, 1.0)
    clock.advance(timedelta(days=1))
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        told: list[str] = []
        app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
        await app.push_screen(ReviewScreen([study_deck]))
        await pilot.pause()
        await pilot.press("space", "1")
        await pilot.pause()
        assert len([m for m in told if "leech" in m]) == 1
        assert "What do roots take up?" in told[0]
        await pilot.press("escape")
        app.tell_new_leeches()
        assert len([m for m in told if "leech" in m]) == 1
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        await search(pilot, screen, "is:leech")
        assert shown_ids(screen) == ["kp-roots"] and screen.shown[0].state == "leech"


@contextmanager
def no_suspend(app: QuiztuiApp) -> Iterator[None]:
    """A terminal that can hand over to an editor (the test terminal cannot)."""
    yield


async def test_o_opens_the_deck_file_at_the_item_line_and_reads_the_decks_again(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EDITOR=vi: `vi +LINE FILE` for the highlighted item; that file is read again."""
    ran: list[list[str]] = []
    monkeypatch.setenv("EDITOR", "vi")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda argv, **kw: ran.append(argv))
    app = make_app(ctx, [study_deck_path])
    monkeypatch.setattr(type(app), "suspend", lambda self: no_suspend(self))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        await search(pilot, screen, "q-where")
        row = screen.highlighted
        assert row is not None and row.item.line is not None
        loads: list[frozenset[Path]] = []
        monkeypatch.setattr(type(app), "reload_decks", lambda self, paths: loads.append(paths))
        await pilot.press("o")
        await pilot.pause()
        assert ran == [["vi", f"+{row.item.line}", str(study_deck_path)]]
        assert loads == [frozenset({study_deck_path})]


def test_the_editor_command_follows_the_editor(tmp_path: Path) -> None:
    """+LINE for terminal editors, FILE:LINE for the GUI ones that want it, None unset."""
    from quiztui.editor import editor_command

    path = tmp_path / "d.yaml"
    assert editor_command(path, 12, {"EDITOR": "nano"}) == ["nano", "+12", str(path)]
    assert editor_command(path, 12, {"VISUAL": "code -w", "EDITOR": "vi"}) == [
        "code",
        "-w",
        "-g",
        f"{path}:12",
    ]
    assert editor_command(path, None, {"EDITOR": "vim"}) == ["vim", str(path)]
    assert editor_command(path, 3, {}) is None


async def test_the_palette_offers_the_browser_the_leeches_settings_and_exams(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Browse, Leeches, Settings and Exam history are in the palette; Leeches opens the
    browser on is:leech."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Browse", "Leeches", "Settings", "Exam history"} <= set(commands)
        commands["Leeches"].callback()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert screen.query_one("#browse-search", Input).value == "is:leech"
        assert screen.shown == []
