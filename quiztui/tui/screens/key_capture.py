"""Asking for a key: the next key pressed becomes a binding's key in the settings' keymap.

Returns the key's name (Textual's, e.g. "j", "ctrl+n", "f5"), "" to put the default back
(Backspace), or None (Escape) to change nothing.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quiztui.tui.keymap import KnownBinding
from quiztui.tui.screens.base import QuiztuiModal


class KeyCaptureScreen(QuiztuiModal[str | None]):
    """Press the new key for one binding."""

    DEFAULT_CSS = """
    KeyCaptureScreen {
        align: center middle;
        & > Vertical {
            width: 60;
            max-width: 100%;
            height: auto;
            border: thick $accent;
            background: $panel;
            padding: 1 2;
        }
    }
    """

    def __init__(self, binding: KnownBinding, current: str) -> None:
        """Ask for `binding`'s key; `current` is what it has now."""
        super().__init__()
        self.binding = binding
        self.current = current

    def compose(self) -> ComposeResult:
        """What is asked, and how to get out."""
        with Vertical():
            yield Static(
                f"[b]{self.binding.description}[/b] ({self.binding.id}, on"
                f" {self.binding.where})\n\nNow: [b]{self.current}[/b]   default:"
                f" {self.binding.keys}\n\nPress the new key. Backspace puts the default back;"
                " Escape changes nothing."
            )

    def on_key(self, event: events.Key) -> None:
        """The key pressed is the answer (every key: this screen has no bindings of its own)."""
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
        elif event.key == "backspace":
            self.dismiss("")
        else:
            self.dismiss(event.key)
