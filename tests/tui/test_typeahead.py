"""TypeAhead: keys held while an answer is on its way run later, in order, and never stay held."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events

from quiztui.tui.typeahead import HOLD_LIMIT, TypeAhead


class FakeTimer:
    def __init__(self, delay: float, callback: Callable[[], Any]) -> None:
        self.delay, self.callback, self.stopped = delay, callback, False

    def stop(self) -> None:
        self.stopped = True


class FakePump:
    """Stands in for the app and a screen: keeps what they were asked to run later."""

    def __init__(self, running: bool = True) -> None:
        self.running = running
        self.later: list[Callable[[], Any]] = []
        self.timers: list[FakeTimer] = []

    def call_later(self, callback: Callable[[], Any]) -> bool:
        if self.running:
            self.later.append(callback)
        return self.running

    def set_timer(self, delay: float, callback: Callable[[], Any], **_: Any) -> FakeTimer:
        self.timers.append(FakeTimer(delay, callback))
        return self.timers[-1]


def key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


async def test_held_keys_run_in_order_once_the_screen_has_taken_the_answer() -> None:
    app, screen = FakePump(), FakePump()
    ran: list[str] = []

    async def run(event: events.Key) -> None:
        ran.append(event.key)

    type_ahead = TypeAhead(app, run)  # type: ignore[arg-type]
    assert not type_ahead.take(key("1")), "nothing is held before an answer"
    type_ahead.hold_until_handled(screen)  # type: ignore[arg-type]
    assert type_ahead.take(key("enter")) and type_ahead.take(key("2"))
    assert ran == []
    (screen_done,) = screen.later  # queued behind the answer on the screen
    screen_done()
    (release,) = app.later  # then back on the app's own queue
    await release()
    assert ran == ["enter", "2"] and not type_ahead.holding
    assert app.timers[0].stopped


async def test_a_held_key_that_answers_again_holds_the_rest() -> None:
    app, screen = FakePump(), FakePump()
    ran: list[str] = []
    type_ahead: TypeAhead

    async def run(event: events.Key) -> None:
        ran.append(event.key)
        if event.key == "1":
            type_ahead.hold_until_handled(screen)  # type: ignore[arg-type]

    type_ahead = TypeAhead(app, run)  # type: ignore[arg-type]
    type_ahead.hold_until_handled(screen)  # type: ignore[arg-type]
    for name in ("1", "2", "3"):
        type_ahead.take(key(name))
    await type_ahead.release()
    assert ran == ["1"] and type_ahead.holding
    await type_ahead.release()
    assert ran == ["1", "2", "3"]


async def test_keys_are_never_held_longer_than_the_limit() -> None:
    """If the answer's screen is gone (closed meanwhile), the timer releases the keys."""
    app, gone = FakePump(), FakePump(running=False)
    ran: list[str] = []

    async def run(event: events.Key) -> None:
        ran.append(event.key)

    type_ahead = TypeAhead(app, run)  # type: ignore[arg-type]
    type_ahead.hold_until_handled(gone)  # type: ignore[arg-type]
    assert type_ahead.take(key("q"))
    (timer,) = app.timers
    assert timer.delay == HOLD_LIMIT
    await timer.callback()
    assert ran == ["q"] and not type_ahead.holding
