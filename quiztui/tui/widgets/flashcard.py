"""A flashcard as shown in the key points step and in reviews: the front, then the back.

Display only: the screens own the keys (Space reveals, 0-5 grade) and call `load()` and
`reveal()`. The card is one `Page`, so showing the back or the next card is one layout and one
paint of one widget.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message

from quiztui.deck.model import KeyPoint
from quiztui.sm2 import GRADE_MEANINGS
from quiztui.study import Presented
from quiztui.tui.deck_text import deck_text
from quiztui.tui.formatting import interval_text
from quiztui.tui.widgets.page import Block, Page, ThemedDrawing

GRADES: tuple[int, ...] = tuple(sorted(GRADE_MEANINGS))
"""SM-2's grades, 0 to 5."""

LEGEND_KEY = "legend"
"""Names the grade legend's lines on the card."""

GRADE_GROUP = Binding.Group("Grade", compact=True)
"""The six grade keys share one footer entry ("012345 Grade")."""


def flashcard_bindings() -> list[BindingType]:
    """The keys of a screen that shows flashcards: Space reveals, 0-5 grade (SM-2's scale).

    Screens list these in their BINDINGS and implement `action_reveal` and `action_grade`;
    the shared ids (`flashcard.reveal`, `flashcard.grade-N`) let one keymap entry remap both
    the key points step and reviews.
    """
    bindings: list[BindingType] = [
        Binding(
            "space",
            "reveal",
            "Reveal",
            tooltip="Show the back of the card",
            id="flashcard.reveal",
        )
    ]
    bindings.extend(
        Binding(
            str(grade),
            f"grade({grade})",
            str(grade),
            tooltip=f"Grade {grade}: {GRADE_MEANINGS[grade]}",
            id=f"flashcard.grade-{grade}",
            group=GRADE_GROUP,
        )
        for grade in GRADES
    )
    return bindings


class TitledRule:
    """A line across the width with a title at its left: `─Answer──────`."""

    def __init__(self, title: str, style: Style) -> None:
        self.title = title
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        line = f"─{self.title}"[:width]
        yield Segment(line + "─" * (width - len(line)), self.style)
        yield Segment.line()


def legend_text(
    key_style: Style,
    meaning_style: Style,
    selected: int | None = None,
    selected_style: Style | None = None,
    intervals: Mapping[int, int] | None = None,
) -> Text:
    """SM-2's six grades, one line each (so a click's line is its grade) with what each means;
    the `selected` grade (a first click) is drawn in `selected_style`. With `intervals`, each
    key shows when the card would next be due ("4 · 6d")."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    shown = {grade: interval_text(days) for grade, days in (intervals or {}).items()}
    width = max((len(label) for label in shown.values()), default=0)
    for grade in GRADES:
        start = len(text)
        if shown:
            text.append(f"{grade} · {shown.get(grade, ''):<{width}} ", style=key_style)
        else:
            text.append(f"{grade} ", style=key_style)
        text.append(GRADE_MEANINGS[grade], style=meaning_style)
        if grade == selected and selected_style is not None:
            text.append("  ← click again to grade", style=meaning_style)
            text.stylize(selected_style, start)
        text.append("\n")
    text.rstrip()
    return text


UNSCHEDULED_GRADE_NOTE = "Below 4, the card comes back again later in this session."
"""The note when the keys show no intervals (a re-drill or practice, where a grade changes no
schedule): there, a grade below 4 is what brings the card back."""


class FlashCard(Page, ThemedDrawing):
    """A key point: its front, and once revealed its back, explanation, section and grades.

    One card shows key point after key point: `load` puts the next on the same page, drawn as
    one text, so moving on restyles and mounts nothing (docs/benchmarks.md, c).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "flashcard--heading",
        "flashcard--rule",
        "flashcard--muted",
        "grade-legend--key",
        "grade-legend--meaning",
        "grade-legend--note",
        "grade-legend--selected",
    }

    @dataclass
    class GradeClicked(Message):
        """The learner clicked a grade of the legend a second time: grade the card with it."""

        card: FlashCard
        grade: int

    DEFAULT_CSS = """
    FlashCard {
        height: auto;
        padding: 0 1;
        & > .flashcard--heading { color: $text-muted; }
        & > .flashcard--rule { color: $accent; }
        & > .flashcard--muted { color: $text-muted; }
        & > .grade-legend--key { color: $accent; text-style: bold; }
        & > .grade-legend--meaning { color: $text; }
        & > .grade-legend--note { color: $text-muted; text-style: italic; }
        & > .grade-legend--selected { background: $accent 30%; }
    }
    """

    def __init__(
        self,
        presented: Presented | None = None,
        *,
        heading: str = "",
        grade_note: str = "",
        id: str | None = None,
    ) -> None:
        """Show `presented` (a key point); `heading` is a dim line above the front, and
        `grade_note` a line under the grade legend saying what a grade marked "today" does
        here (where the keys show no intervals, `UNSCHEDULED_GRADE_NOTE` says it instead). With no
        key point yet, `load` gives it one."""
        super().__init__(id=id)
        self.presented: Presented | None = None
        """The card shown (None until one is loaded)."""
        self.heading = heading
        """The dim line above the front (empty for none)."""
        self.grade_note = grade_note
        """The note under the grade legend."""
        self.revealed = False
        """True once the back is shown; `load` hides it again for the next card."""
        self.selected_grade: int | None = None
        """The grade a first click on the legend picked (a second click grades with it)."""
        self.intervals: dict[int, int] = {}
        """Days until the card is next due after each grade (empty: the grade changes no
        schedule here, so none is shown)."""
        if presented is not None:
            self.load(presented, heading=heading)

    @property
    def key_point(self) -> KeyPoint:
        """The key point shown (`presented.item`)."""
        assert self.presented is not None, "no key point loaded"
        item = self.presented.item
        assert isinstance(item, KeyPoint)
        return item

    def load(
        self,
        presented: Presented,
        *,
        heading: str = "",
        intervals: Mapping[int, int] | None = None,
    ) -> None:
        """Show `presented` front up, with `heading` above it; `intervals` are the days each
        grade would give (see `quiztui.study.preview`), shown on the grade legend."""
        if not isinstance(presented.item, KeyPoint):
            raise TypeError(f"a flashcard shows a key point, not {presented.item.kind!r}")
        self.presented = presented
        self.heading = heading
        self.intervals = dict(intervals or {})
        self.revealed = False
        self.selected_grade = None
        self.redraw()

    def reveal(self) -> None:
        """Show the back, the explanation, the section and the grade legend."""
        self.revealed = True
        self.redraw()

    def redraw(self) -> None:
        """Draw the card as it stands now."""
        self.update(self._card_blocks())

    def _card_blocks(self) -> list[Block]:
        if self.presented is None:
            return []
        key_point = self.key_point
        blocks: list[Block] = []
        if self.heading:
            heading_style = self.component_style("flashcard--heading")
            blocks.append(Block(Text(self.heading, style=heading_style)))
        blocks.append(Block(deck_text(key_point.front), indent=1, right=1, space_before=1))
        if not self.revealed:
            return blocks
        muted = self.component_style("flashcard--muted")
        rule = TitledRule("Answer", self.component_style("flashcard--rule"))
        blocks.append(Block(rule, space_before=1))
        blocks.append(Block(deck_text(key_point.back), indent=1, right=1))
        if key_point.explanation:
            blocks.append(Block(deck_text(key_point.explanation), style=muted, indent=1, right=1))
        if key_point.section:
            blocks.append(Block(Text(f"Section {key_point.section}"), style=muted, indent=1))
        legend = legend_text(
            self.component_style("grade-legend--key"),
            self.component_style("grade-legend--meaning"),
            self.selected_grade,
            self.component_style("grade-legend--selected"),
            self.intervals,
        )
        blocks.append(Block(legend, key=LEGEND_KEY, indent=1, right=1, space_before=1))
        note = self.grade_note if self.intervals else UNSCHEDULED_GRADE_NOTE
        if self.grade_note:
            note_style = self.component_style("grade-legend--note")
            blocks.append(Block(Text(note, style=note_style), indent=1, right=1))
        return blocks

    def on_click(self, event: events.Click) -> None:
        """A click on a grade of the legend selects it; a second click on it grades the card
        (posts `GradeClicked`), so a stray click never grades."""
        span = self.span(LEGEND_KEY)
        if not self.revealed or span is None:
            return
        grade = event.y - span[0]
        if grade not in GRADES:
            return
        event.stop()
        if self.selected_grade == grade:
            self.post_message(self.GradeClicked(self, grade))
        else:
            self.selected_grade = grade
            self.redraw()


class CardScroll(VerticalScroll):
    """The frame a flashcard scrolls in: focused, so the arrows scroll a long card.

    Textual restyles a widget and everything under it when its focus changes; nothing here
    depends on `:focus`, so moving between a question and a card restyles nothing. The
    scrollbar's room is kept, so a card that grows past the screen does not reflow.
    """

    DEFAULT_CSS = """
    CardScroll {
        scrollbar-gutter: stable;
    }
    """

    def watch_has_focus(self, has_focus: bool) -> None:
        """Nothing to restyle (see the class)."""
