"""One widget that draws a card's blocks (heading, prompt, choices, feedback) as one text.

A card built from a widget per part pays, on every change, a style pass and a box model per
part and a layout that walks them all; between two cards that was most of the time
(docs/benchmarks.md, c). A `Page` draws a list of `Block`s in one render, so moving to the next
card is one layout and one paint of one widget. It remembers on which lines each keyed block
landed, so a click can find its choice and a scroll can bring a block into view.
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

NO_STYLE = Style()


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines on a page: a body, optionally indented under a prefix, in one style."""

    body: RenderableType
    """What to draw: rich Text, Markdown or any renderable."""
    key: Hashable | None = None
    """Names the block for `Page.span` and `Page.key_at`; blocks may share a key."""
    style: Style = field(default=NO_STYLE)
    """Applied to every cell of the block, the padding included (a background spans the line)."""
    prefix: Text | None = None
    """Drawn left of the first line (a choice's mark and number); later lines are indented."""
    indent: int = 0
    """Columns left of the body on every line (the prefix's room)."""
    right: int = 0
    """Blank columns right of the body."""
    space_before: int = 0
    """Blank lines above the block (unstyled)."""


class _Render:
    """The rich renderable of a page: the blocks, one after another, at the width given."""

    def __init__(self, blocks: Sequence[Block], spans: dict[Hashable, tuple[int, int]]) -> None:
        self.blocks = blocks
        self.spans = spans

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        line_end = Segment.line()
        spans: dict[Hashable, tuple[int, int]] = {}
        y = 0
        for block in self.blocks:
            for _ in range(block.space_before):
                yield line_end
            y += block.space_before
            body_width = max(1, width - block.indent - block.right)
            lines = console.render_lines(
                block.body,
                options.update(width=body_width, height=None),
                style=block.style,
                pad=True,
            )
            left = Segment(" " * block.indent, block.style) if block.indent else None
            right = Segment(" " * block.right, block.style) if block.right else None
            first = self._prefix(console, block) if block.prefix is not None else None
            for number, line in enumerate(lines):
                if first is not None and number == 0:
                    yield from first
                elif left is not None:
                    yield left
                yield from line
                if right is not None:
                    yield right
                yield line_end
            if block.key is not None:
                start = spans.get(block.key, (y, 0))[0]
                spans[block.key] = (start, y + len(lines) - start)
            y += len(lines)
        self.spans.clear()
        self.spans.update(spans)

    @staticmethod
    def _prefix(console: Console, block: Block) -> list[Segment]:
        assert block.prefix is not None
        prefix = block.prefix.copy()
        prefix.truncate(block.indent, pad=True)
        return list(Segment.apply_style(prefix.render(console), style=block.style))


class _Replay:
    """A page's drawing, handed to Textual: replays the page's segments at the width asked."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield from self.page._drawing(options.max_width)[0]


class Page(Widget, can_focus=False):
    """Draws its blocks as one text; `span(key)` says where a block is, `key_at(y)` the reverse."""

    DEFAULT_CSS = """
    Page {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._blocks: list[Block] = []
        self._spans: dict[Hashable, tuple[int, int]] = {}
        self._drawn: tuple[int, list[Segment], int] | None = None
        """(width, segments, line count) of the last drawing, until the blocks change."""

    @property
    def blocks(self) -> list[Block]:
        """The blocks on the page, top to bottom."""
        return self._blocks

    def update(self, blocks: Sequence[Block], *, same_lines: bool = False) -> None:
        """Draw `blocks` in place of the page's.

        `same_lines` says every block keeps its lines (a highlight moved, a box was ticked):
        where the blocks were drawn still holds. Otherwise it is forgotten until the next draw.
        """
        self._blocks = list(blocks)
        self._drawn = None
        if not same_lines:
            self._spans.clear()
        self.refresh(layout=True)

    def _drawing(self, width: int) -> tuple[list[Segment], int]:
        """The blocks drawn at `width` (segments, lines), drawn once per width and change.

        Textual renders a widget of `height: auto` twice per change, once to count its lines
        for the layout and once to paint it; with long Markdown text that was a millisecond
        or two of every key.
        """
        if self._drawn is None or self._drawn[0] != width:
            options = self.app.console_options.update_width(width).update(highlight=False)
            segments = list(self.app.console.render(_Render(self._blocks, self._spans), options))
            lines = sum(text.count("\n") for text, _, _ in segments)
            self._drawn = (width, segments, lines)
        return self._drawn[1], self._drawn[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines the blocks take at `width` (from the one drawing)."""
        return self._drawing(width)[1]

    def render(self) -> _Replay:
        """The blocks as one renderable; drawing it records where each keyed block lands."""
        return _Replay(self)

    def span(self, key: Hashable) -> tuple[int, int] | None:
        """(first line, height) of the block(s) named `key`; None until the blocks are drawn."""
        return self._spans.get(key)

    def key_at(self, y: int) -> Hashable | None:
        """The key of the block drawn on line `y` (0 = the page's first), if any."""
        for key, (start, height) in self._spans.items():
            if start <= y < start + height:
                return key
        return None

    def plain_text(self) -> str:
        """What the page says, as plain text at its current width (for tests and captures)."""
        width = max(self.size.width, 20)
        console = Console(width=width, record=True, color_system=None, file=io.StringIO())
        console.print(_Render(self._blocks, {}), end="")
        return console.export_text()


class ThemedDrawing(Widget):
    """A widget that bakes its component classes' colours into what it draws (a card's blocks).

    It draws again once mounted, when its styles are known, and whenever its styles change
    (a new theme), so the colours always follow the theme and any user CSS. List it after the
    widget's main base (`class X(VerticalScroll, ThemedDrawing)`): Textual finds a widget's CSS
    type names through its first base only.
    """

    def redraw(self) -> None:
        """Draw the widget as it stands now (subclasses say how)."""
        raise NotImplementedError

    def component_style(self, name: str) -> Style:
        """The rich style of component class `name`; a plain style before mounting."""
        return self.get_component_rich_style(name) if self.is_mounted else NO_STYLE

    def on_mount(self) -> None:
        """Draw now that the component styles are known."""
        self.redraw()

    def notify_style_update(self) -> None:
        """Styles changed (a theme, user CSS): draw again with the new colours."""
        super().notify_style_update()
        if self.is_mounted:
            self.redraw()
