"""The parts of a mock exam's result: scores by area, and every question with its answers.

Display only, styled from component classes (so from the theme): `AreaTable` draws the scores
of the parts or the tags with a bar each, `AnswerList` every question with the learner's
answer, the right one and the explanations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quiztui.study.exam_results import AreaScore, QuestionResult
from quiztui.tui.deck_text import deck_block
from quiztui.tui.formatting import first_line, percent

BAR_WIDTH = 10
"""How wide a score's bar is drawn, in cells."""


def score_bar(score: float, full: Style, empty: Style, width: int = BAR_WIDTH) -> Text:
    """A bar of `width` cells, filled in proportion to `score` (0.0-1.0)."""
    filled = round(score * width)
    return Text.assemble(("█" * filled, full), ("░" * (width - filled), empty))


class AreaTable(Static):
    """Scores of parts or tags: the area, right of asked, the percentage and a bar."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "area--header",
        "area--bar",
        "area--bar-empty",
        "area--weak",
    }

    DEFAULT_CSS = """
    AreaTable {
        height: auto;
        & > .area--header { color: $text-muted; text-style: bold; }
        & > .area--bar { color: $accent; }
        & > .area--bar-empty { color: $panel-lighten-2; }
        & > .area--weak { color: $warning; text-style: bold; }
    }
    """

    def __init__(
        self,
        heading: str,
        areas: Sequence[AreaScore],
        weakest: Sequence[AreaScore] = (),
        *,
        id: str | None = None,
    ) -> None:
        """`areas` under the column title `heading`; the `weakest` are marked."""
        super().__init__(id=id)
        self.heading = heading
        self.areas = tuple(areas)
        """The rows, in order."""
        self.weakest = frozenset((a.kind, a.id) for a in weakest)

    def render(self) -> Table:
        """The table, from the component styles."""
        table = Table(
            box=None,
            padding=(0, 1),
            expand=True,
            header_style=self.get_component_rich_style("area--header"),
        )
        table.add_column(self.heading, ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Right", justify="right", no_wrap=True)
        table.add_column("Score", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, width=BAR_WIDTH)
        full = self.get_component_rich_style("area--bar")
        empty = self.get_component_rich_style("area--bar-empty")
        weak = self.get_component_rich_style("area--weak")
        for area in self.areas:
            name = Text(area.title)
            if (area.kind, area.id) in self.weakest:
                name.append(" ← weak", style=weak)
            table.add_row(
                name,
                f"{area.right}/{area.total}",
                percent(area.score),
                score_bar(area.score, full, empty),
            )
        return table


class AnswerList(Static):
    """Every question of the exam: ✓ or ✗, the prompt, the answer given, the right one, why."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "answer--right",
        "answer--wrong",
        "answer--muted",
    }

    DEFAULT_CSS = """
    AnswerList {
        height: auto;
        & > .answer--right { color: $success; text-style: bold; }
        & > .answer--wrong { color: $error; text-style: bold; }
        & > .answer--muted { color: $text-muted; }
    }
    """

    def __init__(self, results: Sequence[QuestionResult], *, id: str | None = None) -> None:
        """One entry per question, in the exam's order."""
        super().__init__(id=id)
        self.results = tuple(results)

    def render(self) -> Table:
        """The questions as a two-column grid: the mark and number, then the rest."""
        right = self.get_component_rich_style("answer--right")
        wrong = self.get_component_rich_style("answer--wrong")
        muted = self.get_component_rich_style("answer--muted")
        grid = Table.grid(padding=(0, 1, 1, 0), expand=True)
        grid.add_column(no_wrap=True, width=6)
        grid.add_column(ratio=1)
        for number, result in enumerate(self.results, start=1):
            mark = Text("✓" if result.correct else "✗", style=right if result.correct else wrong)
            mark.append(f" {number}.")
            grid.add_row(mark, Group(*self._lines(result, muted)))
        return grid

    @staticmethod
    def _lines(result: QuestionResult, muted: Style) -> list[RenderableType]:
        question = result.question
        shown = {c.id: n for n, c in enumerate(result.presented.choices, start=1)}

        def choices(ids: frozenset[str]) -> str:
            picked = [c for c in result.presented.choices if c.id in ids]
            return "; ".join(f"{shown[c.id]}. {first_line(c.text)}" for c in picked)

        lines: list[RenderableType] = [deck_block(question.prompt)]
        flag = " ⚑" if result.flagged else ""
        if not result.answered:
            lines.append(Text(f"Your answer: none (counted wrong){flag}"))
        else:
            lines.append(Text(f"Your answer: {choices(result.picked)}{flag}"))
        if not result.correct:
            lines.append(Text(f"Right: {choices(question.correct_choice_ids)}"))
        for choice in result.presented.choices:
            if choice.explanation and (choice.id in result.picked or choice.correct):
                lines.append(_muted(f"Choice {shown[choice.id]}: {choice.explanation}", muted))
        if question.explanation:
            lines.append(_muted(question.explanation, muted))
        return lines


def _muted(markdown: str, style: Style) -> RenderableType:
    """Deck text in the muted style (Markdown with syntax keeps its own look)."""
    shown = deck_block(markdown)
    if isinstance(shown, Text):
        shown.stylize(style)
    return shown
