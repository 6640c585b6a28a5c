"""The Textual app: it presents the study core (`quiztui.study`) and holds no rules of its own.

The app is built in `quiztui.commands.open_app` with a ready `StudyContext` (store, clock,
settings), so tests drive it with a temporary store and a fixed clock. The app loads the decks
in a worker and publishes them as `entries`; screens watch it and are pushed with the objects
they present.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from quiztui.deck.library import LoadedDeck, expand_paths, load_decks, load_library
from quiztui.deck.model import Deck
from quiztui.study import StudyContext
from quiztui.study.renames import adopt_renames, retired_notice
from quiztui.tui.widgets.store_status import StoreWatch


class QuiztuiApp(App[None]):
    """quiztui: study a chapter part by part, then review what is due, day after day."""

    CSS_PATH = "app.tcss"
    TITLE = "quiztui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q",
            "quit",
            "Quit",
            tooltip="Leave quiztui (every answer is already saved)",
            id="app.quit",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            tooltip="Every key, and what grades mean",
            id="app.help",
        ),
    ]

    @dataclass
    class DeckFilesChanged(Message):
        """Deck files the app has open were saved (seen by the live-reload watcher)."""

        paths: frozenset[Path]

    @dataclass
    class DecksLoaded(Message):
        """Every deck file has been read: the decks, the files that failed, and what to tell
        the learner once (an edit that retired items they had studied)."""

        entries: tuple[LoadedDeck, ...]
        notices: tuple[str, ...] = ()

    entries: reactive[tuple[LoadedDeck, ...] | None] = reactive(None, init=False)
    """Every deck file found, loaded or not; None until the first load has finished."""

    load_error: reactive[str | None] = reactive(None, init=False)
    """Why the decks could not be loaded at all, if that happened."""

    def __init__(
        self,
        ctx: StudyContext,
        deck_paths: Sequence[Path] = (),
        *,
        include_library: bool = True,
        seed: int | None = None,
    ) -> None:
        """`deck_paths` are opened beside the bundled and user decks (only them without
        `include_library`); `seed` fixes choice shuffles, for tests."""
        super().__init__()
        self.ctx = ctx
        """The store, clock and settings every session uses."""
        self.deck_paths = tuple(deck_paths)
        """Deck files or folders given on the command line."""
        self.include_library = include_library
        """Whether the bundled decks and the learner's deck folder are opened too."""
        self.seed = seed
        """Seed for choice shuffles (None: random)."""
        self._stop_watching = threading.Event()
        """Set when the app closes, so the live-reload watcher ends."""
        self.store_watch = StoreWatch(self, ctx.store)
        """Shows answers waiting to be saved, retries them, and guards quitting."""

    @property
    def decks(self) -> list[Deck]:
        """The decks that loaded."""
        return [entry.deck for entry in self.entries or () if entry.deck is not None]

    def on_mount(self) -> None:
        """Open on the home screen and load the decks behind it."""
        from quiztui.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.store_watch.start()
        self.load_decks()

    async def action_quit(self) -> None:
        """Quit, asking first only if some answers could be saved nowhere (see StoreWatch)."""
        self.store_watch.quit()

    @work(thread=True, exclusive=True, exit_on_error=False, group="decks")
    def load_decks(self) -> None:
        """Find and read every deck file (off the UI thread), then post `DecksLoaded`."""
        if self.include_library:
            entries = load_library(self.deck_paths)
        else:
            entries = load_decks((path, "argument") for path in expand_paths(self.deck_paths))
        notices: list[str] = []
        for entry in entries:
            if entry.deck is not None:
                adopt_renames(self.ctx, entry.deck)
                notice = retired_notice(self.ctx, entry.deck)
                if notice is not None:
                    notices.append(notice)
        self.post_message(self.DecksLoaded(tuple(entries), tuple(notices)))

    @on(DecksLoaded)
    def _decks_loaded(self, message: DecksLoaded) -> None:
        """Publish the decks, then freeze what lives as long as the app.

        The decks are tens of thousands of long-lived objects; frozen, they are never walked
        again by Python's cyclic garbage collector, which otherwise scans them on every full
        collection.
        """
        first_load = self.entries is None
        self.entries = message.entries
        for notice in message.notices:
            self.notify(notice, title="A deck changed", timeout=20)
        gc.freeze()
        if first_load:
            self._start_watching([entry.path for entry in message.entries])

    def on_unmount(self) -> None:
        """Stop watching, and hand what was frozen back to the collector as the app closes."""
        self._stop_watching.set()
        gc.unfreeze()

    # ------------------------------------------------------------------ live reload

    def _start_watching(self, paths: list[Path]) -> None:
        """Watch the deck files for saves until the app closes.

        A daemon thread rather than a worker: it runs for the app's whole life, and a worker
        that never ends would make every wait for background work wait forever.
        """
        from quiztui.tui.live_reload import watch_deck_files

        def changed(files: set[Path]) -> None:
            self.post_message(self.DeckFilesChanged(frozenset(files)))  # thread-safe

        thread = threading.Thread(
            target=watch_deck_files,
            args=(paths, self._stop_watching, changed),
            name="quiztui-live-reload",
            daemon=True,
        )
        thread.start()

    @on(DeckFilesChanged)
    def _deck_files_changed(self, message: DeckFilesChanged) -> None:
        self.reload_decks(message.paths)

    @work(thread=True, exit_on_error=False, group="reload")
    def reload_decks(self, paths: frozenset[Path]) -> None:
        """Validate the saved files again: a valid one replaces its deck; a broken one keeps
        the last good version open, and its problems are said."""
        entries = list(self.entries or ())
        changed = False
        for index, entry in enumerate(entries):
            if entry.path not in paths:
                continue
            (fresh,) = load_decks([(entry.path, entry.origin)])
            if fresh.deck is None:
                problems = fresh.problems
                listed = "\n".join(str(problem) for problem in problems[:3])
                more = f"\n(and {len(problems) - 3} more)" if len(problems) > 3 else ""
                self.call_from_thread(
                    self.notify,
                    f"{listed}{more}\nThe last good version stays open.",
                    title=f"{entry.path.name} has problems",
                    severity="error",
                    timeout=15,
                )
                continue
            adopt_renames(self.ctx, fresh.deck)
            entries[index] = replace(entry, deck=fresh.deck, problems=())
            changed = True
        if changed:
            self.post_message(self.DecksLoaded(tuple(entries)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A deck load that failed is said, never left as a screen that waits forever."""
        worker = event.worker
        if worker.group == "decks" and worker.state == WorkerState.ERROR:
            error = worker.error
            self.load_error = f"{type(error).__name__}: {error}" if error else "unknown error"
            self.entries = ()

    def action_help(self) -> None:
        """Show every key of the current screen and what the grades mean."""
        from quiztui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, the screens, and the current screen's actions."""
        listed: set[str] = set()
        for command in super().get_system_commands(screen):
            listed.add(command.title)
            yield command
        from quiztui.tui.screens.home import HomeScreen

        if not isinstance(screen, HomeScreen):
            yield SystemCommand("Home", "Back to the list of decks", self.action_go_home)
        yield SystemCommand("Help", "Every key, and what the grades mean", self.action_help)
        yield SystemCommand(
            "Review due", "The day's reviews across every deck", self.action_review_all
        )
        yield SystemCommand(
            "Statistics", "Calendar, reviews, retention, forecast, gains", self.action_progress
        )
        listed |= {"Home", "Help", "Review due", "Statistics"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not (binding.show and binding.description and active.enabled):
                continue
            if binding.description in listed or binding.key_display:
                continue  # listed already, or a range of keys (1-9) that needs a key to mean one
            listed.add(binding.description)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                lambda action=binding.action, node=active.node: self.run_action(action, node),
            )

    def action_go_home(self) -> None:
        """Pop every screen down to the home screen."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_review_all(self) -> None:
        """Start the day's reviews across every deck that loaded."""
        from quiztui.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(self.decks, title="Today's reviews"))

    def action_progress(self) -> None:
        """Show the statistics of every deck: calendar, reviews, retention, forecast, gains."""
        from quiztui.tui.screens.statistics import StatisticsScreen

        self.push_screen(StatisticsScreen(self.decks))
