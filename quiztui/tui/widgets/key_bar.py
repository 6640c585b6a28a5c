"""The bar of keys at the bottom of every screen: one widget that draws every key as text.

Textual's Footer builds a widget per key and rebuilds them all whenever a screen's keys change;
in a review, where the keys change with every answer, styling those widgets was most of the
work between two cards (docs/benchmarks.md, c), and each rebuild leaked a watcher (Textual issue
#6666). This bar draws the same keys, from the same bindings, as one line of text: a change of
keys is one repaint. A click on a key presses it, as in Textual's Footer.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget, can_focus=False):
    """Every key that applies on the screen, dimmed when it does nothing now; `^p palette` last."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
    }

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str, bool]] = []
        """Where each key was drawn: start and end column, the key, whether it is enabled."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:
            self.refresh()

    def _entries(self) -> list[tuple[list[Binding], bool, str]]:
        """(bindings, enabled, description) per item on show, grouped keys under one label."""
        first_by_action: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in first_by_action:
                first_by_action[binding.action] = (binding, enabled)
        entries: list[tuple[list[Binding], bool, str]] = []
        for group, members in groupby(first_by_action.values(), lambda pair: pair[0].group):
            pairs = list(members)
            if group is not None and len(pairs) > 1:
                enabled = any(on for _, on in pairs)
                entries.append(([binding for binding, _ in pairs], enabled, group.description))
            else:
                entries.extend(([binding], on, binding.description) for binding, on in pairs)
        return entries

    def render(self) -> Text:
        """The keys, left to right, and the command palette's key at the right edge."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str, bool]] = []
        for bindings, enabled, description in self._entries():
            start = len(text)
            displays = [self.app.get_key_display(binding) for binding in bindings]
            text.append(f" {''.join(displays)} ", key_style)
            text.append(f"{description} ", description_style)
            if not enabled:
                text.stylize(disabled_style, start)
            column = start + 1
            for binding, display in zip(bindings, displays, strict=True):
                spans.append((column, column + len(display), binding.key, enabled))
                column += len(display)
            if len(bindings) == 1:  # a single key: its description presses it too
                spans[-1] = (start, len(text), bindings[0].key, enabled)
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Text.assemble(("^p", key_style), (" palette ", description_style))
            gap = self.size.width - len(text) - len(palette)
            if gap > 0:
                text.append(" " * gap)
                start = len(text)
                text.append_text(palette)
                spans.append((start, len(text), self.app.COMMAND_PALETTE_BINDING, True))
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
