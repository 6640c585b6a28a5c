"""Help: every key of the screen it was opened from, and what the grades mean.

The keys come from the screens' own bindings, so this never drifts from what the keys do. They
are read when help is asked for, while that screen is still on top: once help covers it, the
app's keys that apply only over a screen of the app (b, s) no longer would. Keys are written as
the key bar writes them (`App.get_key_display`): `/`, `?`, `esc`, `^p`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quiztui.sm2 import GRADE_MEANINGS

KeyRow = tuple[str, Text]
"""One line of a keys table: the keys as shown, and what they do."""


def key_label(app: App[Any], keys: str, binding: Binding | None = None) -> str:
    """Keys (`"escape,question_mark"`) as the key bar shows them (`esc, ?`).

    `binding`, when given, is the binding they belong to, for an app that displays keys by
    binding; its own `key_display` is left out, since it would stand for every key.
    """
    template = Binding("", "") if binding is None else replace(binding, key_display=None)
    return ", ".join(
        app.get_key_display(replace(template, key=key.strip()))
        for key in keys.split(",")
        if key.strip()
    )


def key_rows(screen: Screen[Any]) -> tuple[list[KeyRow], list[KeyRow]]:
    """Every key that applies on `screen` now: its own and its focused widget's, then the app's
    (with the command palette's), as the key bar has them.

    Keys for the same action with another argument (`choose(2)`, `grade(3)`) that the key bar
    hides or groups are listed once, on the first one's line.
    """
    app = screen.app
    rows: dict[tuple[int, str], tuple[list[str], Binding, bool]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        if not (binding.show or binding.id is not None):
            continue  # a widget's own hidden key (a table's cursor keys), the palette's key
        everywhere = active.node is app
        base = (id(active.node), binding.action.split("(", 1)[0])
        if base in rows:
            first = rows[base][1]
            if not binding.show or (binding.group is not None and binding.group == first.group):
                rows[base][0].append(key)
                continue
            base = (id(active.node), binding.action)
        rows[base] = ([key], binding, everywhere)
    here: list[KeyRow] = []
    anywhere: list[KeyRow] = []
    for keys, binding, everywhere in rows.values():
        shown = binding.key_display or " ".join(key_label(app, key, binding) for key in keys)
        description = binding.group.description if binding.group else binding.description
        if binding.tooltip:
            description = f"{description} [dim]– {binding.tooltip}[/dim]"
        (anywhere if everywhere else here).append((shown, Text.from_markup(description)))
    if app.ENABLE_COMMAND_PALETTE:
        palette = app.COMMAND_PALETTE_DISPLAY or key_label(app, app.COMMAND_PALETTE_BINDING)
        anywhere.append((palette, Text("The command palette: every screen and action by name")))
    return here, anywhere


def rows_table(rows: list[KeyRow]) -> Table:
    """Keys in a bold column, what they do beside them."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for shown, description in rows:
        table.add_row(shown, description)
    return table


def keys_table(screen: Screen[Any]) -> Table:
    """Every key that applies on `screen`: its own, then the app's."""
    here, anywhere = key_rows(screen)
    return rows_table(here + anywhere)


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
        """Help for `described`, the screen on top now: its keys are read here, before help
        covers it (see the module's docstring)."""
        super().__init__()
        self.described = described
        """The screen whose keys are listed."""
        self.screen_keys, self.app_keys = key_rows(described)
        """The keys of that screen (and its focused widget), and the app's that apply there."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Keys on this screen", classes="help-heading")
            yield Static(rows_table(self.screen_keys), id="help-keys")
            yield Static("Everywhere", classes="help-heading")
            yield Static(rows_table(self.app_keys), id="help-app-keys")
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
