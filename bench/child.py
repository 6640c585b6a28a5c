"""What the benchmark runs in fresh interpreters, so that "process start" includes every import.

`python -m bench.child home|bare|memory|answers ...` prints one JSON line on stdout when done
(`home` and `bare` print it the moment the first screen is interactive; the parent times from
just before it started the process to that line). The parent sets QUIZTUI_DATA_DIR and
QUIZTUI_CACHE_DIR, so nothing here touches a learner's files.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

SIZE = (80, 24)


def _max_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM belongs to this program's own address space; `ru_maxrss` would carry over
    the peak of the (much bigger) benchmark process that forked it, across the exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def _emit(**values: Any) -> None:
    print(json.dumps(values), flush=True)


def _quiztui_app(deck: str | None, db: str | None, library: bool) -> Any:
    """The real app on a store at `db` (default: the data dir's), standing at the bench's now."""
    from bench.history import BENCH_NOW
    from quiztui.days import FixedClock
    from quiztui.settings import Settings
    from quiztui.store import Store
    from quiztui.study import open_context
    from quiztui.tui.app import QuiztuiApp

    store = Store.open(Path(db) if db else None)
    ctx = open_context(store=store, clock=FixedClock(BENCH_NOW), settings=Settings())
    paths = [Path(deck)] if deck else []
    return QuiztuiApp(ctx, deck_paths=paths, include_library=library, seed=1)


async def _until_home_loaded(app: Any, pilot: Any) -> None:
    """Wait until the home screen shows the decks and their counts."""
    while not getattr(app.screen, "loaded", False):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def home(deck: str | None, db: str | None, library: bool) -> None:
    """Start quiztui headless; report when its home screen is loaded."""
    app = _quiztui_app(deck, db, library)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _until_home_loaded(app, pilot)
            _emit(ready=True, max_rss_mb=_max_rss_mb(), screen=type(app.screen).__name__)
            app.exit()
    finally:
        app.ctx.store.close()  # as `quiztui` does on the way out


def _bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Label, ListItem, ListView

    class BareApp(App[None]):
        """The baseline: a header, a list and a footer, nothing else."""

        BINDINGS: ClassVar = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield ListView(*(ListItem(Label(f"Deck {n}")) for n in range(1, 4)))
            yield Footer()

    return BareApp()


async def bare() -> None:
    """Start the bare Textual app the same way; report when it is on screen."""
    app = _bare_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _emit(ready=True, max_rss_mb=_max_rss_mb())
        app.exit()


async def memory(deck: str, db: str, answers: int) -> None:
    """Home with the big deck, then a review session of `answers` cards: peak memory."""
    app = _quiztui_app(deck, db, True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _until_home_loaded(app, pilot)
            after_home = _max_rss_mb()
            await pilot.press("r")
            driver = _Driver(app, pilot)
            await driver.review_screen()
            for _ in range(answers):
                if not await driver.answer_one():
                    break
            _emit(home_mb=after_home, max_rss_mb=_max_rss_mb(), answered=driver.answered)
            app.exit()
    finally:
        app.ctx.store.close()


class _Driver:
    """Answers cards on the ReviewScreen and times how long the app takes to respond.

    `pilot.press` waits for the app to look idle by sleeping in 20 ms steps, so its duration
    says nothing about the app. Instead a key is sent the way the terminal driver sends one,
    and the clock stops when the screen has reached the state the key leads to (the answer's
    feedback, the next card mounted) and has been painted.
    """

    def __init__(self, app: Any, pilot: Any, think: float = 0.0) -> None:
        self.app = app
        self.pilot = pilot
        self.think = think
        """Seconds the driver waits before each key, as a learner reads (not timed)."""
        self.shown = 0
        """How many times the review screen has put a card (or the end) on screen."""
        self.answered = 0
        self.latencies: list[float] = []
        """Seconds from each answer's key to the next card on screen (all keys summed)."""
        self.keys: list[float] = []
        """Seconds for each key on its own."""

    async def review_screen(self) -> None:
        from quiztui.tui.screens.review import ReviewScreen

        while not isinstance(self.app.screen, ReviewScreen) or self.app.screen.session is None:
            await self.pilot.pause()
        await self.pilot.pause()
        screen = self.app.screen
        original = screen._show_current

        async def counted() -> None:
            await original()
            self.shown += 1

        screen._show_current = counted

    def _messages_pending(self) -> bool:
        """True while a message or a call_next callback waits on the app or the screen."""
        screen = self.app.screen
        return any(
            not node._message_queue.empty() or node._next_callbacks
            for node in (self.app, *screen.walk_children(with_self=True))
        )

    def _busy(self) -> bool:
        """True while the app still has work queued: messages, callbacks, layout or paint."""
        screen = self.app.screen
        if (
            screen._callbacks
            or screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._recompose_required
            or screen._dirty_widgets
        ):
            return True
        return self._messages_pending()

    async def _key(self, key: str, done: Any) -> float:
        """Send one key; seconds until `done()` holds and the app has settled, painted.

        Settled means nothing left queued (messages, after-refresh callbacks, a footer
        recompose). Textual paints when the screen goes idle, on its next frame tick; here the
        paint is done as soon as no message is waiting, without the wait for the tick, which
        is Textual's frame pacing and no work of the app's.
        """
        from textual import events

        char = key if len(key) == 1 else (" " if key == "space" else None)
        if self.think:
            await asyncio.sleep(self.think)
        start = time.perf_counter()
        self.app._driver.send_message(events.Key(key, char))
        deadline = start + 10
        while not done() or self._busy():
            screen = self.app.screen
            if (
                screen._dirty_widgets or screen._layout_required or screen._repaint_required
            ) and not self._messages_pending():
                screen._on_timer_update()  # paint now, as the update timer soon would
            await asyncio.sleep(0)
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the app did not settle after {key!r}")
        elapsed = time.perf_counter() - start
        self.keys.append(elapsed)
        return elapsed

    async def answer_one(self) -> bool:
        """Answer the current card (right, with its first correct choice) and move on."""
        from quiztui.deck.model import Question

        screen = self.app.screen
        session = screen.session
        if session is None or session.current is None:
            return False
        presented = session.current
        before = self.shown
        if isinstance(presented.item, Question):
            order = list(presented.choice_order)
            correct = [order.index(c) + 1 for c in sorted(presented.item.correct_choice_ids)]
            total = 0.0
            if presented.item.is_multiple_answer:
                for digit in correct:
                    await self._key(str(digit), lambda: True)
                total += await self._key("enter", lambda: screen.phase == "feedback")
            else:
                total += await self._key(str(correct[0]), lambda: screen.phase == "feedback")
            total += await self._key("enter", lambda: self.shown > before)
        else:
            await self._key("space", lambda: screen.phase == "back")
            total = await self._key("4", lambda: self.shown > before)
        self.latencies.append(total)
        self.answered += 1
        return True


async def answers(deck: str, db: str, count: int, think: float) -> None:
    """Answer `count` cards of the day's review through the real screens; report latencies,
    and the full garbage collections the app ran while the driver "read" (`think` seconds
    before each key)."""
    app = _quiztui_app(deck, db, False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _until_home_loaded(app, pilot)
            await pilot.press("r")
            driver = _Driver(app, pilot, think)
            await driver.review_screen()
            for _ in range(count):
                if not await driver.answer_one():
                    break
            _emit(
                latencies=driver.latencies,
                keys=driver.keys,
                answered=driver.answered,
                collections=0,
                collection_seconds=[],
                forced=0,
            )
            app.exit()
    finally:
        app.ctx.store.close()


def main(argv: list[str] | None = None) -> None:
    """Run one of the child measurements."""
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("what", choices=["home", "bare", "memory", "answers"])
    parser.add_argument("--deck")
    parser.add_argument("--db")
    parser.add_argument("--no-library", action="store_true")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--think-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.what == "home":
        asyncio.run(home(args.deck, args.db, not args.no_library))
    elif args.what == "bare":
        asyncio.run(bare())
    elif args.what == "memory":
        asyncio.run(memory(args.deck, args.db, args.count))
    else:
        asyncio.run(answers(args.deck, args.db, args.count, args.think_ms / 1000))


if __name__ == "__main__":
    main()
