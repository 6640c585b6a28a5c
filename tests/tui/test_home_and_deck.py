"""The home, deck, help and statistics screens, driven with Pilot at 80x24."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from quiztui.deck.model import Deck
from quiztui.study import StudyContext, open_check, open_key_points
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.confirm import ChoiceDialog
from quiztui.tui.screens.deck import DeckScreen
from quiztui.tui.screens.help import HelpScreen
from quiztui.tui.screens.home import HomeScreen
from quiztui.tui.screens.review import ReviewScreen
from quiztui.tui.screens.statistics import StatisticsScreen
from tests.tui.conftest import AppFactory, settle

BROKEN_DECK = "id: broken\ntitle: Broken\nversion: '1'\nparts:\n  - id: p\n    title: P\n"


def _static_text(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render())


def _finish_check(ctx: StudyContext, deck: Deck, part_id: str, check: str, right: int) -> None:
    """Answer a whole check through the core, the first `right` questions right."""
    session = open_check(ctx, deck, part_id, check, seed=3)  # type: ignore[arg-type]
    index = 0
    while session.current is not None:
        question = session.current.item
        correct = set(question.correct_choice_ids)  # type: ignore[attr-defined]
        wrong = {c.id for c in question.choices if c.id not in correct}  # type: ignore[attr-defined]
        session.answer(frozenset(correct if index < right else {sorted(wrong)[0]}), 2.0)
        index += 1
    session.finish()


async def open_deck_screen(app: QuiztuiApp, pilot: Pilot[None], deck: Deck) -> None:
    """Wait for the decks to load, then open `deck` and wait for its progress."""
    await settle(app, pilot)
    await app.push_screen(DeckScreen(deck))
    await settle(app, pilot)
    await pilot.pause()


async def test_home_lists_decks_with_counts_and_a_broken_deck_beside_them(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "decks" / "broken.yaml"
    broken.write_text(BROKEN_DECK, encoding="utf-8")
    app = make_app(ctx, [study_deck_path.parent])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.loaded
        assert [row.entry.path.name for row in home.rows] == ["broken.yaml", "study-deck.yaml"]
        table = home.query_one("#decks", DataTable)
        assert table.row_count == 2
        # A first start says where to begin.
        assert "Welcome!" in _static_text(home, "#home-status")
        # The broken deck shows its first problem and the hint to validate.
        assert table.cursor_row == 0
        detail = _static_text(home, "#deck-detail-text")
        assert "could not be loaded" in detail
        assert "broken.yaml:" in detail and "quiztui validate" in detail
        # Enter on the broken deck opens nothing.
        await pilot.press("enter")
        assert app.screen is home
        # The good deck opens on Enter.
        await pilot.press("down")
        assert "Light and Plants" in _static_text(home, "#deck-detail-text")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen)
        assert app.screen.deck.id == "study-deck"


async def test_home_lists_the_decks_before_their_counts_are_in(
    ctx: StudyContext,
    make_app: AppFactory,
    study_deck_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big library takes a while to count: its decks are listed as soon as they are read,
    with "…" for the counts and a status saying they are being counted."""
    monkeypatch.setattr(HomeScreen, "count", lambda self: None)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and not home.loaded
        status = _static_text(home, "#home-status")
        assert "1 deck loaded" in status and "Counting what is due" in status
        cells = [str(cell) for cell in home.query_one("#decks", DataTable).get_row_at(0)]
        assert cells[0] == "Light and Plants" and cells[1] == "…"
        # Reviews count for themselves: `r` works before the list's counts are in.
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_home_counts_come_from_the_store(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    # Opening the key points unlocks them as new items: the home screen counts them.
    open_key_points(ctx, study_deck, "light")
    _finish_check(ctx, study_deck, "light", "post", right=5)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        counts = home.rows[0].progress.counts  # type: ignore[union-attr]
        # Five questions reviewed (learned, due later) and one new key point.
        assert (counts.due, counts.new, counts.learned) == (0, 1, 5)
        assert "0 due and 1 new today" in _static_text(home, "#home-status")
        cells = home.query_one("#decks", DataTable).get_row_at(0)
        assert [str(cell) for cell in cells[1:4]] == ["0", "1", "5"]
        assert "post 100%" in _static_text(home, "#deck-detail-text")


async def test_deck_screen_suggests_the_next_step(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        options = app.screen.query_one("#steps", OptionList)
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == "pre:light"
        assert "← next" in str(options.highlighted_option.prompt)
        # Practising wrong answers is offered only when there are some.
        assert app.screen.check_action("practice_wrong", ()) is False

    # Once the pre-check is done, the key points come next.
    _finish_check(ctx, study_deck, "light", "pre", right=2)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        options = app.screen.query_one("#steps", OptionList)
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == "key_points:light"
        pre_row = options.get_option("pre:light")
        assert "done · 40%" in str(pre_row.prompt)


async def test_a_check_left_half_way_offers_to_resume(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    session = open_check(ctx, study_deck, "light", "pre", seed=3)
    first = session.current
    assert first is not None
    session.answer(frozenset({first.choice_order[0]}), 1.0)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        app.screen.open("pre:light")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "after 1 of 5 questions" in dialog.question
        await pilot.press("escape")  # cancel: nothing opens, nothing is lost
        assert isinstance(app.screen, DeckScreen)
        assert len(ctx.store.reviews(study_deck.id)) == 1


async def test_help_lists_the_screen_keys_and_the_grades(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=120, record=True)
        console.print(help_screen.query_one("#help-keys", Static).content)
        console.print(help_screen.query_one("#help-grades", Static).content)
        text = console.export_text()
        assert "Practise" in text and "Review" in text and "esc  Back" in text
        assert "perfect: recalled at once" in text and "blackout" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DeckScreen)
        # q quits from anywhere.
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def help_text(help_screen: HelpScreen) -> str:
    """The help screen's two keys tables (this screen's, the app's) as plain text."""
    console = Console(width=120, record=True)
    for table_id in ("#help-keys", "#help-app-keys"):
        console.print(help_screen.query_one(table_id, Static).content)
    return console.export_text()


async def test_help_writes_keys_as_the_key_bar_does(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """The browser's help says /, ?, esc and ^p (as the key bar does), never Textual's names
    (slash, question_mark, escape, ctrl+p)."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        lines = [line.split(None, 1) for line in help_text(help_screen).splitlines() if line]
        shown = {description.split(" – ")[0].strip(): key for key, description in lines}
        assert shown["Search"] == "/" and shown["Help"] == "?" and shown["Back"] == "esc"
        assert shown["Select"] == "space"
        assert shown["The command palette: every screen and action by name"] == "^p"
        for raw in ("slash", "question_mark", "escape", "ctrl+p"):
            assert raw not in {key for key, _ in lines}


async def test_p_opens_the_statistics_with_scores_forecast_and_streak(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    _finish_check(ctx, study_deck, "light", "pre", right=1)
    _finish_check(ctx, study_deck, "light", "post", right=4)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        stats = screen.stats
        assert stats is not None
        assert stats.streak.current == 1
        light = stats.parts[0]
        assert (light.first_pre, light.latest_post) == (0.2, 0.8)
        assert len(light.wrong_after_reading) == 1
        # Four right post answers are due tomorrow, the wrong one today (interval 1 as well).
        assert [count for _, count in stats.forecast[:2]] == [0, 5]
        assert sum(count for _, count in stats.forecast) == 5


async def test_the_palette_lists_screens_and_actions(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Home", "Help", "Review due", "Statistics", "Practise", "Next"):
            assert title in titles
        assert len(titles) == len(set(titles)), "each command is listed once"


async def test_help_lists_a_range_of_number_keys_once(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    from quiztui.tui.screens.check import CheckScreen
    from quiztui.tui.screens.help import keys_table

    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.push_screen(CheckScreen(study_deck, "light", "post"))
        await pilot.pause()
        console = Console(width=120, record=True)
        console.print(keys_table(app.screen))
        lines = console.export_text().splitlines()
        assert sum("1-9" in line for line in lines) == 1
        assert not any(line.strip().startswith("2 ") for line in lines)


async def test_the_loaded_decks_are_frozen_out_of_the_collectors_sight(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Once the decks are in, what lives as long as the app is frozen (gc.freeze), once."""
    before = gc.get_freeze_count()
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.decks and gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0, "closing the app unfreezes"


async def test_a_finished_check_is_retaken_only_when_the_learner_says_so(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """Opening a finished pre-check asks first, saying the first score stays the baseline;
    the deck screen then shows the first score with the retake beside it."""
    _finish_check(ctx, study_deck, "light", "pre", right=2)
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        app.screen.open("pre:light")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "40%, stays the baseline" in dialog.question and "retake 1" in dialog.question
        await pilot.press("n")  # cancel: nothing starts
        await pilot.pause()
        assert isinstance(app.screen, DeckScreen)
        assert len(ctx.store.attempts(study_deck.id, "light")) == 1
        app.screen.open("pre:light")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CheckScreen"
        session = screen.session  # type: ignore[attr-defined]
        finished = [a.uid for a in ctx.store.attempts(study_deck.id, "light") if a.finished]
        assert len(finished) == 1 and session.attempt.uid not in finished, "a new attempt"
        while (current := session.current) is not None:  # answered through the core
            session.answer(current.item.correct_choice_ids, 1.0)
        session.finish()
        await pilot.press("escape")
        await settle(app, pilot)
        options = app.screen.query_one("#steps", OptionList)
        pre_row = str(options.get_option("pre:light").prompt)
        assert "done · 40% · retake 1: 100%" in pre_row


async def test_a_saved_deck_shows_at_once_and_a_broken_save_keeps_the_last_good_one(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """Live reload: the deck screen shows a saved edit without a restart; a save with a
    problem is said, and the last good version stays open."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck_screen(app, pilot, study_deck)
        screen = app.screen
        assert isinstance(screen, DeckScreen)
        text = study_deck_path.read_text(encoding="utf-8")
        study_deck_path.write_text(
            text.replace('title: "Light and Plants"', 'title: "Light, Plants, Life"'),
            encoding="utf-8",
        )
        for _ in range(200):  # the watcher sees the save within a second or so
            await pilot.pause(0.05)
            if screen.deck.title == "Light, Plants, Life":
                break
        assert screen.deck.title == "Light, Plants, Life"
        study_deck_path.write_text(text.replace("prompt:", "promt:", 1), encoding="utf-8")
        for _ in range(200):
            await pilot.pause(0.05)
            if any("has problems" in str(n.title) for n in app._notifications):
                break
        assert any("has problems" in str(n.title) for n in app._notifications)
        assert screen.deck.title == "Light, Plants, Life", "the last good version stays"
        assert app.decks and app.decks[0].title == "Light, Plants, Life"
        study_deck_path.write_text(
            text.replace('title: "Light and Plants"', 'title: "Light, Plants, Leaves"'),
            encoding="utf-8",
        )
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.deck.title == "Light, Plants, Leaves":
                break
        assert screen.deck.title == "Light, Plants, Leaves"
        titles = [str(n.title) for n in app._notifications]
        assert f"{study_deck_path.name} is valid again" in titles
        assert not any("has problems" in title for title in titles), "the stale problems go"
