"""The Page widget: blocks drawn as one text, each findable where it landed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from quiztui.tui.widgets.page import Block, Page


class PageApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Page(id="page")


def blocks(words: int) -> list[Block]:
    return [
        Block(Text("A heading"), key="heading"),
        Block(Text("word " * words), key="body", indent=3, prefix=Text("1."), space_before=1),
    ]


async def test_a_page_wraps_its_blocks_and_knows_where_each_landed() -> None:
    """What a learner sees: every word of a block, wrapped at the width, and a click or a
    scroll finds the block where it was drawn, also after the terminal is resized."""
    app = PageApp()
    async with app.run_test(size=(60, 20)) as pilot:
        page = app.query_one(Page)
        page.update(blocks(40))
        await pilot.pause()
        page.update(blocks(60))
        await pilot.pause()
        assert page.span("body") == (2, page.size.height - 2)
        assert page.size.height == 2 + len(Text("word " * 60).wrap(app.console, 57))
        assert page.key_at(0) == "heading" and page.key_at(2) == "body"
        assert page.plain_text().count("word") == 60
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        assert page.span("body") == (2, page.size.height - 2)
        assert page.size.height == 2 + len(Text("word " * 60).wrap(app.console, 37))
