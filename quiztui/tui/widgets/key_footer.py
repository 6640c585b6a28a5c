"""The footer of every screen: Textual's Footer, without the costs that grow with a session.

Textual's Footer rebuilds all its keys whenever a screen's bindings change, and each key it
builds leaves a watcher behind on the Footer that is never removed (Textual issue #6666). Every
new watcher is compared with all the old ones, so in a review session, where the keys change
with every answer, each card took longer than the one before (p50 373 ms over 1,000 answers,
see docs/benchmarks.md). This footer rebuilds only when what it shows has changed, and drops the
watchers of keys that are gone.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

_WATCHERS = "__watchers"
"""Where Textual keeps the watchers other widgets put on a reactive of this one."""


class KeyFooter(Footer):
    """A Footer that rebuilds only when the keys it shows change, and does not leak."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        """What the keys looked like when last built: key, text, enabled, tooltip of each."""

    @staticmethod
    def _keys_shown(screen: Screen) -> tuple[object, ...]:
        return tuple(
            (key, binding.description, binding.key_display, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild only when the keys on show differ from what was last built."""
        if self._shown is not None and self._keys_shown(screen) == self._shown:
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        """Rebuild the keys, then forget the watchers the old keys left on this footer."""
        if self.is_attached:
            self._shown = self._keys_shown(self.screen)
        await super().recompose()
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, _WATCHERS, {})
        for entries in watchers.values():
            entries[:] = [
                (node, callback)
                for node, callback in entries
                if node.is_attached and not node._closing
            ]
