"""Keys typed ahead of the screen: held while an answer is on its way, then run in order.

An answer travels as a message from the question view to its screen, and the screen decides
what the next key means (Enter for the next card, a digit for the next question). Keys that
arrive together (a fast typist, a paste, a terminal multiplexer sending "3 Enter" at once, or
two keys queued behind a busy moment) reach Textual's bindings before the screen has taken
the answer: Enter's binding is not active yet, and the key is silently lost. While an answer
is on its way, the app hands the keys that reach its bindings to `TypeAhead`, which runs
them, in the order typed, once the screen has handled everything queued for it (the answer
included), or after `HOLD_LIMIT` at most. A held key never answers the question the answer
led to (`replaying`): it was typed before that question was on screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer

HOLD_LIMIT = 0.5
"""Seconds a key waits at most (if the screen went away with the answer, say)."""


class TypeAhead:
    """Holds keys while an answer is on its way to a screen; see the module's docstring."""

    def __init__(self, app: App[object], run_key: Callable[[events.Key], Awaitable[None]]) -> None:
        """`run_key` is what the app does with a key that is not held (its bindings)."""
        self._app = app
        self._run_key = run_key
        self._holding = False
        self._held: list[events.Key] = []
        self._timer: Timer | None = None
        self._replaying = False

    @property
    def holding(self) -> bool:
        """True while keys wait for an answer to be taken."""
        return self._holding

    @property
    def replaying(self) -> bool:
        """True while a held key is handled. It was typed before the screen showed what the
        answer led to, so it must not answer a question (the learner has not seen it); Enter
        for "next", Escape or a grade still apply."""
        return self._replaying

    def hold_until_handled(self, screen: MessagePump) -> None:
        """An answer was just posted to `screen`: hold keys until the screen has handled it."""
        self._holding = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._app.set_timer(HOLD_LIMIT, self.release, name="type-ahead")
        # Runs after every message already queued for the screen, the answer among them.
        if not screen.call_later(self._screen_done):
            self._app.call_later(self.release)

    def take(self, event: events.Key) -> bool:
        """Keep `event` for later if keys are held (True: the caller must not handle it)."""
        if not self._holding:
            return False
        self._held.append(event)
        return True

    def _screen_done(self) -> None:
        self._app.call_later(self.release)

    async def release(self) -> None:
        """Run the held keys in order (until one of them sends another answer on its way)."""
        self._holding = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._replaying = True
        try:
            while self._held and not self._holding:
                await self._run_key(self._held.pop(0))
        finally:
            self._replaying = False
