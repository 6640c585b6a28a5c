"""The footer neither leaks nor rebuilds for nothing as a screen's keys change (issue #6666)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from quiztui.tui.widgets.key_footer import KeyFooter


class Flipping(Screen[None]):
    """A screen whose second key shows only every other moment, as the review screen's do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "noop", "Always"),
        Binding("b", "noop", "Sometimes"),
    ]
    sometimes: reactive[bool] = reactive(False, bindings=True)

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True

    def action_noop(self) -> None:
        """Nothing."""


class FlippingApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Flipping())


def _watchers(footer: KeyFooter) -> list[Any]:
    return getattr(footer, "__watchers", {}).get("compact", [])


async def test_watchers_stay_bounded_as_the_keys_change() -> None:
    app = FlippingApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, Flipping)
        footer = screen.query_one(KeyFooter)
        await pilot.pause()
        for _ in range(40):
            screen.refresh_bindings()
            footer._shown = None  # force a rebuild, as a change of keys would
            await pilot.pause()
        # Two keys on show: the watchers of 40 rebuilds' worth of old keys are gone.
        assert len(_watchers(footer)) <= 4


async def test_no_rebuild_when_the_keys_on_show_are_the_same() -> None:
    app = FlippingApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        await pilot.pause()
        rebuilt: list[int] = []
        original = footer.recompose

        async def counting() -> None:
            rebuilt.append(1)
            await original()

        footer.recompose = counting  # type: ignore[method-assign]
        for _ in range(10):
            screen.refresh_bindings()
            await pilot.pause()
        assert rebuilt == []
