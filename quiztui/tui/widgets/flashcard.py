"""A flashcard as shown in the key points step and in reviews: the front, then the back.

Display only: the screens own the keys (Space reveals, 0-5 grade) and call `reveal()`. The card
is a few `Static`s holding Rich Markdown, so switching cards costs a millisecond or two where
Textual's `Markdown` widget (one widget per block, mounted asynchronously) costs several.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from quiztui.deck.model import KeyPoint
from quiztui.sm2 import GRADE_MEANINGS
from quiztui.study import Presented

GRADES: tuple[int, ...] = tuple(sorted(GRADE_MEANINGS))
"""SM-2's grades, 0 to 5."""

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


class GradeLegend(Widget):
    """SM-2's six grades with what each means, so the learner grades on the same scale."""

    DEFAULT_CSS = """
    GradeLegend {
        height: auto;
        padding: 0 1;
        & > .grade-legend--key { color: $accent; text-style: bold; }
        & > .grade-legend--meaning { color: $text; }
        & > .grade-legend--note { color: $text-muted; text-style: italic; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grade-legend--key",
        "grade-legend--meaning",
        "grade-legend--note",
    }

    def __init__(self, note: str = "", *, id: str | None = None) -> None:
        """`note` is a line under the grades saying what a low grade does here."""
        super().__init__(id=id)
        self.note = note
        """Shown below the grades (dim); empty for none."""

    def render(self) -> RenderResult:
        """One line per grade: the key, then its meaning."""
        key_style = self.get_component_rich_style("grade-legend--key")
        meaning_style = self.get_component_rich_style("grade-legend--meaning")
        text = Text(no_wrap=False, overflow="fold")
        for grade in GRADES:
            text.append(f"{grade} ", style=key_style)
            text.append(GRADE_MEANINGS[grade], style=meaning_style)
            text.append("\n")
        if self.note:
            text.append(self.note, style=self.get_component_rich_style("grade-legend--note"))
        else:
            text.rstrip()
        return text


class FlashCard(Widget):
    """A key point: its front, and once revealed its back, explanation, section and grades."""

    DEFAULT_CSS = """
    FlashCard {
        height: auto;
        padding: 0 1;
        & > .flashcard--heading { color: $text-muted; height: auto; }
        & > .flashcard--front { height: auto; padding: 1 1 0 1; }
        & > .flashcard--back {
            display: none;
            height: auto;
            margin-top: 1;
            padding: 0 1;
            border-top: solid $accent;
            border-title-color: $accent;
            border-title-align: left;
        }
        & > .flashcard--explanation, & > .flashcard--section {
            display: none;
            height: auto;
            padding: 0 1;
            color: $text-muted;
        }
        & > GradeLegend { display: none; margin-top: 1; }
        &.-revealed {
            & > .flashcard--back,
            & > .flashcard--explanation,
            & > .flashcard--section,
            & > GradeLegend { display: block; }
        }
    }
    """

    revealed: reactive[bool] = reactive(False)
    """True once the back is shown; it never hides again (a new card is a new widget)."""

    def __init__(
        self,
        presented: Presented,
        *,
        heading: str = "",
        grade_note: str = "",
        id: str | None = None,
    ) -> None:
        """Show `presented` (a key point); `heading` is a dim line above the front, and
        `grade_note` a line under the grade legend saying what a low grade does here."""
        super().__init__(id=id)
        if not isinstance(presented.item, KeyPoint):
            raise TypeError(f"a flashcard shows a key point, not {presented.item.kind!r}")
        self.presented = presented
        """The card shown."""
        self.key_point: KeyPoint = presented.item
        """The key point shown (`presented.item`)."""
        self.heading = heading
        """The dim line above the front (empty for none)."""
        self.grade_note = grade_note
        """The note under the grade legend."""

    def compose(self) -> ComposeResult:
        """The front, and the hidden back: answer, explanation, section, grade legend."""
        key_point = self.key_point
        if self.heading:
            yield Static(self.heading, classes="flashcard--heading", markup=False)
        yield Static(Markdown(key_point.front), classes="flashcard--front")
        back = Static(Markdown(key_point.back), classes="flashcard--back")
        back.border_title = "Answer"
        yield back
        if key_point.explanation:
            yield Static(Markdown(key_point.explanation), classes="flashcard--explanation")
        if key_point.section:
            yield Static(f"Section {key_point.section}", classes="flashcard--section", markup=False)
        yield GradeLegend(self.grade_note)

    def watch_revealed(self, revealed: bool) -> None:
        """Show or hide the back (a CSS class, so it is one style update)."""
        self.set_class(revealed, "-revealed")

    def reveal(self) -> None:
        """Show the back, the explanation, the section and the grade legend."""
        self.revealed = True
