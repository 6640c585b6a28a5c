"""The idle collector: full garbage collections wait for a pause in the input, and never pile up."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from quiztui.study import StudyContext
from quiztui.tui import collector as collector_module
from quiztui.tui.collector import OVERDUE_FACTOR, IdleCollector
from tests.tui.conftest import AppFactory


class FakeTimer:
    """What `set_timer` returns: here, only stoppable."""

    def __init__(self, delay: float, callback: Callable[[], None]) -> None:
        self.delay = delay
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class FakeApp:
    """Stands in for the app: keeps the timers the collector asks for."""

    def __init__(self) -> None:
        self.timers: list[FakeTimer] = []

    def set_timer(self, delay: float, callback: Callable[[], None], **_: Any) -> FakeTimer:
        timer = FakeTimer(delay, callback)
        self.timers.append(timer)
        return timer


@pytest.fixture
def restore_gc() -> Iterator[None]:
    """Whatever a test does, the process's collector is as it was afterwards."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    gc.enable()


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def collector_with(
    monkeypatch: pytest.MonkeyPatch, pending: list[int]
) -> tuple[IdleCollector, FakeApp, Clock]:
    """A started collector whose count of young collections since the last full one is
    `pending[0]`, on a hand-moved clock, with `gc.collect` counted instead of run."""
    clock = Clock()
    monkeypatch.setattr(collector_module.time, "monotonic", clock)
    monkeypatch.setattr(IdleCollector, "_pending", property(lambda self: pending[0]))

    def collect() -> int:
        pending[0] = 0
        return 0

    monkeypatch.setattr(collector_module.gc, "collect", collect)
    app = FakeApp()
    collector = IdleCollector(app)  # type: ignore[arg-type]
    collector.start()
    return collector, app, clock


def test_start_freezes_and_stops_automatic_full_collections(restore_gc: None) -> None:
    before = gc.get_threshold()
    collector = IdleCollector(FakeApp())  # type: ignore[arg-type]
    collector.start()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[:2] == before[:2], "young collections run as before"
    assert gc.get_threshold()[2] > 10**8, "no full collection starts by itself"
    collector.start()  # a second load freezes nothing more
    collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_off_while_the_app_starts(restore_gc: None) -> None:
    assert gc.isenabled()
    collector = IdleCollector(FakeApp())  # type: ignore[arg-type]
    collector.hold()
    assert not gc.isenabled(), "no cyclic collection while the decks load"
    collector.start()
    assert gc.isenabled(), "young collections run again once they are loaded"
    collector.stop()
    assert gc.isenabled()
    # An app that closes before its decks load gives the collector back too.
    early = IdleCollector(FakeApp())  # type: ignore[arg-type]
    early.hold()
    early.stop()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_due_collection_waits_for_a_pause_in_the_input(
    monkeypatch: pytest.MonkeyPatch, restore_gc: None
) -> None:
    pending = [3]
    collector, app, clock = collector_with(monkeypatch, pending)
    collector.input_seen()
    assert app.timers == [], "nothing is due yet"
    pending[0] = 10
    collector.input_seen()
    assert len(app.timers) == 1
    collector.input_seen()
    assert len(app.timers) == 1, "one timer at a time"
    # Another key comes before the pause is long enough: the timer waits on.
    clock.now += collector_module.IDLE_SECONDS / 2
    collector.input_seen()
    app.timers[0].callback()
    assert collector.stats.collections == 0 and len(app.timers) == 2
    clock.now += 2 * collector_module.IDLE_SECONDS
    app.timers[1].callback()
    assert collector.stats.collections == 1 and collector.stats.forced == 0
    assert pending[0] == 0


def test_input_that_never_pauses_still_gets_its_collection(
    monkeypatch: pytest.MonkeyPatch, restore_gc: None
) -> None:
    pending = [10 * OVERDUE_FACTOR]
    collector, app, _clock = collector_with(monkeypatch, pending)
    collector.input_seen()
    assert app.timers == [], "no waiting for a pause"
    assert collector.stats.collections == 1 and collector.stats.forced == 1
    assert pending[0] == 0, "memory stays bounded"


async def test_the_app_hands_the_collector_back_when_it_closes(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    before = gc.get_threshold()
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.collector.running, "started once the decks loaded"
        assert gc.get_freeze_count() > 0 and gc.isenabled()
        await pilot.press("enter", "escape")
    assert not app.collector.running
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()
