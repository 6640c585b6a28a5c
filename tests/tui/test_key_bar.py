"""The key bar shows the keys that apply, follows them as they change, and presses on a click."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from quiztui.tui.widgets.key_bar import KeyBar


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
