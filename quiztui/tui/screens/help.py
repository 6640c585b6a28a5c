"""Help: every key of the screen it was opened from, and what the grades mean.

The keys come from the screens' own bindings, so this never drifts from what the keys do.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quiztui.sm2 import GRADE_MEANINGS

_KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "ctrl+p": "Ctrl+P",
}


def key_label(key: str) -> str:
    """A binding's key as a person reads it (`question_mark` is `?`)."""
    return ", ".join(_KEY_NAMES.get(part.strip(), part.strip()) for part in key.split(","))


def keys_table(screen: Screen[Any]) -> Table:
    """Every key that applies on `screen` (its own, its focused widget's, and the app's).

    Keys for the same action with another argument (`choose(2)`, `grade(3)`) that the footer
    hides or groups are listed once, on the first one's line.
    """
    rows: dict[tuple[int, str], tuple[list[str], Binding]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        if not (binding.show or binding.id is not None):
            continue  # a widget's own hidden key (a table's cursor keys, say)
        base = (id(active.node), binding.action.split("(", 1)[0])
        if base in rows:
            first = rows[base][1]
            if not binding.show or (binding.group is not None and binding.group == first.group):
                rows[base][0].append(key)
                continue
            base = (id(active.node), binding.action)
        rows[base] = ([key], binding)
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for keys, binding in rows.values():
        shown = binding.key_display or " ".join(key_label(key) for key in keys)
        description = binding.group.description if binding.group else binding.description
        if binding.tooltip:
            description = f"{description} [dim]– {binding.tooltip}[/dim]"
        table.add_row(shown, Text.from_markup(description))
    table.add_row("Ctrl+P", "The command palette: every screen and action by name")
    return table


def grades_table() -> Table:
    """SM-2's grades 0-5 and when to use each."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for grade, meaning in GRADE_MEANINGS.items():
        table.add_row(str(grade), meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, the grades, and how questions are graded."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: thick $accent;
        background: $panel;
        padding: 0 2;
    }
    HelpScreen .help-heading {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, described: Screen[Any]) -> None:
        super().__init__()
        self.described = described
        """The screen whose keys are listed."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Keys on this screen", classes="help-heading")
            yield Static(keys_table(self.described), id="help-keys")
            yield Static("Questions", classes="help-heading")
            yield Static(
                "Answer with the choice's number, or select one with ↑/↓ (or a click) and"
                ' confirm it with Enter (or a second click). On a "choose all that apply"'
                " question, tick each right choice with its number or Space, then press Enter.\n"
                "A wrong answer is graded 1, a right one 4. Right after a right answer you may"
                ' press 3 ("guessed") or 5 ("knew it": a longer wait). In a check, u takes back'
                " your last answer until you give the next one."
            )
            yield Static("Flashcards (key points)", classes="help-heading")
            yield Static(
                "Space shows the back. Then grade how well you recalled it, on SM-2's scale:"
            )
            yield Static(grades_table(), id="help-grades")
            yield Static("Again today", classes="help-heading")
            yield Static(
                "Everything graded below 4 (a wrong answer, a guess, a card graded 0-3) comes"
                " back the same learning day, again and again until you grade it 4 or 5:"
                " in the key points after the last card, in a review at its end, and after a"
                " post-reading check in that day's reviews. Quitting does not lose them: they"
                " wait in today's reviews. Practice repeats them too, but never changes when"
                " anything is due.\n\n"
                "Every answer is saved the moment you give it; q quits at any time.",
                classes="help-note",
            )

    async def action_dismiss(self, result: None = None) -> None:
        """Close help."""
        self.dismiss(result)
