"""The Page widget: one drawing per change, whatever Textual asks of it."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from quiztui.tui.widgets import page as page_module
from quiztui.tui.widgets.page import Block, Page


class PageApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Page(id="page")


def blocks(words: int) -> list[Block]:
    return [
        Block(Text("A heading"), key="heading"),
        Block(Text("word " * words), key="body", indent=3, prefix=Text("1."), space_before=1),
    ]


async def test_a_change_is_drawn_once_for_layout_and_paint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual sizes a `height: auto` widget by rendering it, then renders it again to paint;
    a page draws its blocks once per change (and once more only at a new width)."""
    drawings: list[int] = []
    real = page_module._Render.__rich_console__

    def counted(self, console, options):  # type: ignore[no-untyped-def]
        drawings.append(options.max_width)
        yield from real(self, console, options)

    monkeypatch.setattr(page_module._Render, "__rich_console__", counted)
    app = PageApp()
    async with app.run_test(size=(60, 20)) as pilot:
        page = app.query_one(Page)
        page.update(blocks(40))
        await pilot.pause()
        drawings.clear()
        page.update(blocks(60))
        await pilot.pause()
        assert drawings == [60]
        assert page.span("body") == (2, page.size.height - 2)
        assert page.size.height == 2 + len(Text("word " * 60).wrap(app.console, 57))
        drawings.clear()
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        assert drawings == [40], "a new width draws again"
        assert page.span("body") == (2, page.size.height - 2)
