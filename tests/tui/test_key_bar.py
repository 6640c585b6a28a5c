"""The key bar shows the keys that apply, follows them as they change, and presses on a click;
at 80 columns the screen's own keys and help always show, and the app's keys give way first."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from quiztui.deck.model import Deck
from quiztui.study import StudyContext
from quiztui.tui.screens.deck import DeckScreen
from quiztui.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import AppFactory, settle


class Phases(Screen[None]):
    """A screen whose `b` key applies only in its second phase, like a grade after a reveal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "flip", "Flip"),
        Binding("b", "count", "Count"),
        Binding("c", "count", "Hidden", show=False),
    ]
    second: reactive[bool] = reactive(False, bindings=True)
    counted = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "count":
            return self.second
        return True

    def action_flip(self) -> None:
        """Move to the other phase."""
        self.second = not self.second

    def action_count(self) -> None:
        """Count a press."""
        self.counted += 1


class PhasesApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Phases())


def _bar_text(app: App[None]) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_the_bar_follows_the_keys_that_apply() -> None:
    app = PhasesApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = _bar_text(app)
        assert "a Flip" in text and "Count" not in text and "Hidden" not in text
        assert text.rstrip().endswith("^p palette")
        await pilot.press("a")
        await pilot.pause()
        assert "b Count" in _bar_text(app)
        assert not app.screen.query_one(KeyBar).children  # one widget, however the keys change


async def test_a_click_on_a_key_presses_it() -> None:
    app = PhasesApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Phases)
        bar = screen.query_one(KeyBar)
        bar.render()
        flip = next(start for start, _end, key, _on in bar._spans if key == "a")
        await pilot.click(KeyBar, offset=(flip + 1, 0))
        await pilot.pause()
        assert screen.second
        bar.render()
        count = next(start for start, _end, key, _on in bar._spans if key == "b")
        await pilot.click(KeyBar, offset=(count + 1, 0))
        await pilot.pause()
        assert screen.counted == 1


DECK_KEYS = ("esc Back", "n Next", "r Review", "x Practise", "e Exam", "? Help")


async def _deck_bar_text(
    ctx: StudyContext, make_app: AppFactory, path: Path, deck: Deck, size: tuple[int, int]
) -> str:
    app = make_app(ctx, [path])
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await app.push_screen(DeckScreen(deck))
        await settle(app, pilot)
        await pilot.pause()
        return str(app.screen.query_one(KeyBar).render())


async def test_at_80_columns_the_deck_screen_keys_and_help_show_and_app_keys_give_way(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    """The deck screen has more keys than 80 columns hold with the app's: its own all show,
    whole, and help; browse and settings (in the help and the palette) are left out."""
    text = await _deck_bar_text(ctx, make_app, study_deck_path, study_deck, (80, 24))
    for key in DECK_KEYS:
        assert key in text, (key, text)
    assert "…" not in text and len(text) <= 80
    assert "b Browse" not in text and "s Settings" not in text


async def test_a_wide_terminal_shows_every_key_and_the_palette_hint(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, study_deck: Deck
) -> None:
    text = await _deck_bar_text(ctx, make_app, study_deck_path, study_deck, (160, 45))
    for key in (*DECK_KEYS, "q Quit", "b Browse", "s Settings", "^p palette"):
        assert key in text, (key, text)


async def test_a_remapped_key_keeps_its_place_and_help_always_shows(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """The browser at 80 columns, suspend remapped to x: "x Suspend" is where "s Suspend" was
    (second after Select), and the bar ends on "? Help" whole, however many keys give way."""
    from dataclasses import replace

    from quiztui.settings import config_path, parse_settings

    text = '[keys]\n"browse.suspend" = "x"\n'
    config_path().write_text(text)
    app = make_app(replace(ctx, settings=parse_settings(text, config_path())), [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        bar = str(app.screen.query_one(KeyBar).render())
    assert bar.split()[:6] == ["/", "Search", "space", "Select", "x", "Suspend"], bar
    assert bar.rstrip().endswith("? Help") and "…" not in bar, bar
