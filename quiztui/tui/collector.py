"""Python's full garbage collections, done while the learner reads instead of mid-answer.

A full collection walks every container object the process holds. With a 10,000-item deck
each took 50-80 ms and landed, every few dozen answers, inside whatever key was being handled
(docs/benchmarks.md, c). Three changes move that cost out of the learner's way:

- From the app's start until its decks are loaded (`hold`), the cyclic collector is off: the
  start allocates hundreds of thousands of long-lived objects and no garbage worth a pass, and
  collecting them cost 40-55 ms of a 10k deck's first screen (docs/benchmarks.md, a).
- Once the decks have loaded, `gc.freeze()` puts everything that exists (decks, the store's
  mirrors, the first screens) out of the collector's sight, so a full collection walks only
  what sessions create since: a few milliseconds.
- Automatic full collections are turned off; the young generations still collect as usual.
  A full collection runs once one is due (as many young collections as Python would wait for)
  and no key or click has come for `IDLE_SECONDS`: the learner is reading a card. If input
  never pauses, it runs anyway after `OVERDUE_FACTOR` times as long, so memory stays bounded.

Freezing happens once per process: frozen objects that later become cyclic garbage are never
freed, so freezing at every refresh would keep every closed screen's cycles. `stop` undoes all
of it (tests run many apps in one process).
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field

from textual.app import App
from textual.timer import Timer

IDLE_SECONDS = 0.02
"""How long input must pause before a due full collection runs (a person reads far longer)."""

OVERDUE_FACTOR = 3
"""A full collection runs regardless once it is this many times overdue."""

_NEVER = 1_000_000_000
"""A full-collection threshold no session reaches: Python never starts one by itself."""


@dataclass
class CollectorStats:
    """What the collector did, for the benchmarks."""

    collections: int = 0
    """Full collections run."""
    seconds: list[float] = field(default_factory=list)
    """How long each took."""
    forced: int = 0
    """Of those, how many ran without waiting for a pause in the input."""


class IdleCollector:
    """Runs the process's full garbage collections when the app's input pauses."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.stats = CollectorStats()
        self._running = False
        self._thresholds: tuple[int, int, int] | None = None
        self._due_after = 10
        """Young (generation 1) collections after which a full one is due (Python's own)."""
        self._last_input = 0.0
        self._timer: Timer | None = None
        self._held = False
        """True while `hold` keeps the collector off."""
        self._was_enabled = True
        """Whether the collector was on when `hold` turned it off."""

    @property
    def running(self) -> bool:
        """True between `start` and `stop`."""
        return self._running

    def hold(self) -> None:
        """Keep the cyclic collector off until `start` (or `stop`): the app is starting."""
        if self._held or self._running:
            return
        self._held = True
        self._was_enabled = gc.isenabled()
        gc.disable()

    def _release(self) -> None:
        if self._held:
            self._held = False
            if self._was_enabled:
                gc.enable()

    def start(self) -> None:
        """Freeze what is loaded and take over full collections (once; later calls do nothing).

        Also ends `hold`: from now on young collections run as usual."""
        if self._running:
            return
        self._running = True
        self._release()
        gc.freeze()
        threshold0, threshold1, threshold2 = gc.get_threshold()
        self._thresholds = (threshold0, threshold1, threshold2)
        self._due_after = max(threshold2, 1)
        gc.set_threshold(threshold0, threshold1, _NEVER)

    def stop(self) -> None:
        """Give full collections back to Python and unfreeze (the app is closing)."""
        self._release()
        if not self._running:
            return
        self._running = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
        gc.unfreeze()

    @property
    def _pending(self) -> int:
        """Young collections since the last full one."""
        return gc.get_count()[2]

    def input_seen(self) -> None:
        """Note a key or a click; make sure a due collection waits for the next pause."""
        if not self._running:
            return
        self._last_input = time.monotonic()
        pending = self._pending
        if pending >= self._due_after * OVERDUE_FACTOR:
            self._collect(forced=True)
        elif pending >= self._due_after and self._timer is None:
            self._timer = self.app.set_timer(IDLE_SECONDS, self._when_idle, name="idle-gc")

    def _when_idle(self) -> None:
        self._timer = None
        if not self._running:
            return
        quiet = time.monotonic() - self._last_input
        if quiet < IDLE_SECONDS:
            self._timer = self.app.set_timer(IDLE_SECONDS - quiet, self._when_idle, name="idle-gc")
            return
        if self._pending >= self._due_after:
            self._collect(forced=False)

    def _collect(self, *, forced: bool) -> None:
        start = time.perf_counter()
        gc.collect()
        self.stats.seconds.append(time.perf_counter() - start)
        self.stats.collections += 1
        self.stats.forced += forced
