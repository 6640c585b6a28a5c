"""The browser's detail pane: one item as the learner sees it, its schedule, and its history.

Display only (`show(row, history)`), styled from component classes: a question with its
choices (the right ones marked) and explanations, or a key point's front and back; then its
state, due date, interval, easiness and lapses; then every answer and mark, oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quiztui.deck.model import KeyPoint, Question
from quiztui.study.browse import BrowseRow, HistoryLine
from quiztui.tui.deck_text import deck_block, deck_text
from quiztui.tui.formatting import interval_text


class ItemDetail(Static):
    """One item, its schedule and its history (empty until `show`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-detail--heading",
        "item-detail--muted",
        "item-detail--right",
        "item-detail--undone",
        "item-detail--mark",
    }

    DEFAULT_CSS = """
    ItemDetail {
        height: auto;
        padding: 0 1;
        & > .item-detail--heading { color: $accent; text-style: bold; }
        & > .item-detail--muted { color: $text-muted; }
        & > .item-detail--right { color: $success; text-style: bold; }
        & > .item-detail--undone { color: $text-muted; text-style: strike; }
        & > .item-detail--mark { color: $warning; }
    }
    """

    def show(self, row: BrowseRow | None, history: Sequence[HistoryLine] = ()) -> None:
        """Show `row`'s item and `history` (None: nothing is selected)."""
        self.shown: RenderableType = (
            Text("No item matches.") if row is None else Group(*self._blocks(row, history))
        )
        """What the pane shows now (all of it, however little fits)."""
        self.update(self.shown)

    def _blocks(self, row: BrowseRow, history: Sequence[HistoryLine]) -> list[RenderableType]:
        heading = self.get_component_rich_style("item-detail--heading")
        muted = self.get_component_rich_style("item-detail--muted")
        right = self.get_component_rich_style("item-detail--right")
        item = row.item
        where = f"{row.deck.title} › {row.part.title}"
        kind = "Question" if isinstance(item, Question) else "Key point"
        blocks: list[RenderableType] = [Text(f"{kind} · {where}", style=heading)]
        facts = [f"id {item.id}"]
        if row.tags:
            facts.append("tags " + ", ".join(row.tags))
        if row.deck.path is not None and item.line is not None:
            facts.append(f"{row.deck.path.name}:{item.line}")
        blocks.append(Text(" · ".join(facts), style=muted))
        blocks.append(Text(""))
        if isinstance(item, Question):
            blocks.append(deck_block(item.prompt))
            for number, choice in enumerate(item.choices, start=1):
                mark = Text("✓ " if choice.correct else "  ", style=right)
                blocks.append(Text.assemble(mark, f"{number}. ", _plain(choice.text)))
            if item.explanation:
                blocks.append(Text(""))
                blocks.append(deck_block(item.explanation))
        else:
            assert isinstance(item, KeyPoint)
            blocks.append(deck_block(item.front))
            blocks.append(Text("─ back ─", style=muted))
            blocks.append(deck_block(item.back))
            if item.explanation:
                blocks.append(deck_block(item.explanation))
        blocks.append(Text(""))
        blocks.append(self._schedule(row))
        blocks.append(self._history(history))
        return blocks

    def _schedule(self, row: BrowseRow) -> Text:
        mark = self.get_component_rich_style("item-detail--mark")
        text = Text()
        text.append(f"State {row.state}", style="bold")
        if row.due is not None:
            text.append(f" · due {row.due.isoformat()}")
        if row.interval is not None:
            text.append(f" · interval {interval_text(row.interval)}")
        if row.easiness is not None:
            text.append(f" · EF {row.easiness:.2f}")
        text.append(f" · {row.lapses} lapse{'s' if row.lapses != 1 else ''}")
        for flag, label in (
            (row.marks.flagged, "⚑ flagged"),
            (row.marks.leech, "leech"),
            (row.marks.suspended, "suspended"),
        ):
            if flag:
                text.append(f" · {label}", style=mark)
        return text

    def _history(self, history: Sequence[HistoryLine]) -> RenderableType:
        heading = self.get_component_rich_style("item-detail--heading")
        undone = self.get_component_rich_style("item-detail--undone")
        if not history:
            return Text(
                "Never answered.", style=self.get_component_rich_style("item-detail--muted")
            )
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), title_justify="left")
        table.add_column(no_wrap=True)
        table.add_column()
        for line in history:
            when = line.day.isoformat() if line.day is not None else f"{line.at:%Y-%m-%d}"
            what = Text(line.what + (" (undone)" if line.undone else ""))
            if line.undone:
                what.stylize(undone)
            table.add_row(when, what)
        return Group(Text("History", style=heading), table)


def _plain(markdown: str) -> Text:
    """A choice's text as one plain line."""
    shown = deck_text(markdown)
    return shown.copy() if isinstance(shown, Text) else Text(markdown)
