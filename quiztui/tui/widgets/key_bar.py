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

    def _entries(self) -> list[tuple[list[Binding], bool, str, bool]]:
        """(bindings, enabled, description, everywhere) per item on show, grouped keys under
        one label; `everywhere` marks the app's own keys (browse, settings...), the same on
        every screen."""
        first_by_action: dict[str, tuple[Binding, bool, bool]] = {}
        place: dict[str, tuple[int, int]] = {}
        nodes: list[object] = []
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in first_by_action:
                first_by_action[binding.action] = (binding, enabled, node is self.app)
                if node not in nodes:
                    nodes.append(node)
                place[binding.action] = (nodes.index(node), _declared_at(node, binding))
        # In the order the bindings are declared: a key remapped in config.toml keeps its
        # place (Textual's keymap moves it to the end, where a narrow bar would cut it off).
        ordered = sorted(first_by_action.values(), key=lambda item: place[item[0].action])
        entries: list[tuple[list[Binding], bool, str, bool]] = []
        for group, members in groupby(ordered, lambda item: item[0].group):
            items = list(members)
            if group is not None and len(items) > 1:
                enabled = any(on for _, on, _ in items)
                bindings = [binding for binding, _, _ in items]
                entries.append((bindings, enabled, group.description, items[0][2]))
            else:
                entries.extend(
                    ([binding], on, binding.description, everywhere)
                    for binding, on, everywhere in items
                )
        return entries

    def _fitted(
        self, entries: list[tuple[list[Binding], bool, str, bool]], width: int
    ) -> list[tuple[list[Binding], bool, str, bool]]:
        """The entries that fit in `width` columns: when not all do, the app's keys go first
        (they are the same on every screen, and help and the palette list them; quit last of
        them), then the screen's keys that do nothing now, then the screen's last keys. Help
        always stays, so a learner can find what was left out; nothing is cut mid-word."""
        size = self._width_of

        def kept(entry: tuple[list[Binding], bool, str, bool]) -> bool:
            return entry[0][0].id == "app.help"

        droppable = [e for e in reversed(entries) if e[3] and not kept(e)]
        droppable += [e for e in reversed(entries) if not e[1] and not e[3]]
        # Still too many: the screen's last keys go (help lists them), never help itself.
        droppable += [e for e in reversed(entries) if e[1] and not e[3]]
        total = sum(size(entry) for entry in entries)
        dropped: set[int] = set()
        for entry in droppable:
            if total <= width:
                break
            if id(entry) not in dropped:
                dropped.add(id(entry))
                total -= size(entry)
        return [entry for entry in entries if id(entry) not in dropped]

    def _width_of(self, entry: tuple[list[Binding], bool, str, bool]) -> int:
        """The columns an entry takes: " keys description "."""
        keys = "".join(self.app.get_key_display(binding) for binding in entry[0])
        return len(keys) + len(entry[2]) + 3

    def render(self) -> Text:
        """The keys, left to right, and the command palette's key at the right edge."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str, bool]] = []
        palette_hint = self.app.ENABLE_COMMAND_PALETTE
        room = self.size.width - (len(" ^p palette ") if palette_hint else 0)
        entries = self._entries()
        fitted = self._fitted(entries, room)
        screen_keys = sum(1 for entry in entries if entry[1] and not entry[3])
        if palette_hint and sum(1 for entry in fitted if entry[1] and not entry[3]) < screen_keys:
            # Not even the screen's own keys fit beside it: they matter more than the hint
            # (ctrl+p is in the help).
            palette_hint = False
            fitted = self._fitted(entries, self.size.width)
        for bindings, enabled, description, _everywhere in fitted:
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
        if palette_hint:
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


def _declared_at(node: object, binding: Binding) -> int:
    """Where `binding` is declared in its node's class BINDINGS (by id, else by action)."""
    declared = getattr(type(node), "BINDINGS", ())
    for index, candidate in enumerate(declared):
        if isinstance(candidate, Binding) and (
            (binding.id is not None and candidate.id == binding.id)
            or candidate.action == binding.action
        ):
            return index
    return len(declared)
