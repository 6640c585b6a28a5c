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
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from quiztui.deck.library import LoadedDeck, expand_paths, load_decks, load_library
from quiztui.deck.model import Deck, Question
from quiztui.settings import Settings
from quiztui.study import StudyContext
from quiztui.study.renames import adopt_renames, retired_notice
from quiztui.tui.widgets.store_status import StoreWatch

if TYPE_CHECKING:
    from quiztui.study.exam import ExamSpec


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
        Binding(
            "b",
            "browse",
            "Browse",
            tooltip="Every item of every deck: search, suspend, bury, reset, flag",
            id="app.browse",
        ),
        Binding(
            "s",
            "settings",
            "Settings",
            tooltip="Daily limits, the learning day, leeches, theme and keys",
            id="app.settings",
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
        exam: tuple[Deck, ExamSpec] | None = None,
    ) -> None:
        """`deck_paths` are opened beside the bundled and user decks (only them without
        `include_library`); `seed` fixes choice shuffles, for tests; `exam` opens straight on
        a mock exam of that deck (`quiztui exam`)."""
        super().__init__()
        self.ctx = ctx
        """The store, clock and settings every session uses."""
        self.deck_paths = tuple(deck_paths)
        """Deck files or folders given on the command line."""
        self.include_library = include_library
        """Whether the bundled decks and the learner's deck folder are opened too."""
        self.seed = seed
        """Seed for choice shuffles (None: random)."""
        self.start_exam = exam
        """The exam to open on, if any."""
        self.settings_problems: list[str] = list(ctx.settings.problems)
        """What is wrong in config.toml, told once the app is up."""
        self._apply_settings(ctx.settings)
        self._stop_watching = threading.Event()
        """Set when the app closes, so the live-reload watcher ends."""
        self._broken_saves: set[Path] = set()
        """Deck files whose last save had problems, so the save that mends one is said."""
        self.store_watch = StoreWatch(self, ctx.store)
        """Shows answers waiting to be saved, retries them, and guards quitting."""

    @property
    def decks(self) -> list[Deck]:
        """The decks that loaded."""
        return [entry.deck for entry in self.entries or () if entry.deck is not None]

    def on_mount(self) -> None:
        """Open on the home screen (or an exam over it), load the decks behind it, and say
        what config.toml got wrong."""
        from quiztui.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.store_watch.start()
        self.load_decks()
        if self.start_exam is not None:
            from quiztui.tui.screens.exam import begin_exam

            begin_exam(self, *self.start_exam)
        for problem in self.settings_problems:
            self.notify(problem, title="A setting in config.toml", severity="warning", timeout=20)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    # ------------------------------------------------------------------ settings

    def _apply_settings(self, settings: Settings) -> None:
        """The theme and the keymap the settings name (a name the app does not know is a
        problem to tell, and keeps the default)."""
        from quiztui.settings import problem_line

        if settings.theme in self.available_themes:
            self.theme = settings.theme
        else:
            where = problem_line(settings, "ui", "theme")
            known = ", ".join(sorted(self.available_themes))
            self.settings_problems.append(
                f"{where}: [ui] theme {settings.theme!r} is not a theme quiztui has; using"
                f" {self.theme!r} (the themes: {known})"
            )
        keymap = settings.keymap
        if keymap:
            from quiztui.tui.keymap import key_clashes, known_bindings

            known_ids = known_bindings()
            for binding_id in sorted(set(keymap) - set(known_ids)):
                where = problem_line(settings, "keys", binding_id)
                self.settings_problems.append(
                    f"{where}: [keys] {binding_id} is not a binding's id; it was ignored (the"
                    " settings screen, s, lists them)"
                )
                del keymap[binding_id]
            for binding_id, other in key_clashes(keymap).items():
                where = problem_line(settings, "keys", binding_id)
                self.settings_problems.append(
                    f"{where}: [keys] {binding_id} = {keymap[binding_id]!r} is already the key"
                    f" of {other.description!r} ({other.id}) on {other.where}; it was ignored"
                    " (choose another key, or remap that one too)"
                )
            for binding_id in key_clashes(keymap):
                del keymap[binding_id]
        self.set_keymap(keymap)

    def use_settings(self, settings: Settings) -> None:
        """Study and look with new settings from now on (the settings screen saved them)."""
        self.ctx = replace(self.ctx, settings=settings)
        self.settings_problems = []
        self._apply_settings(settings)
        for problem in self.settings_problems:
            self.notify(problem, title="A setting", severity="warning", timeout=20)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme chosen from the palette is kept in config.toml for the next start."""
        settings = self.ctx.settings
        if theme.name == settings.theme or theme.name not in self.available_themes:
            return
        from quiztui.settings import SettingsError, save_settings, with_values

        updated = with_values(settings, theme=theme.name)
        self.ctx = replace(self.ctx, settings=updated)
        try:
            save_settings(updated)
        except SettingsError as error:
            self.notify(str(error), title="The theme was not kept", severity="error")

    # ------------------------------------------------------------------ leeches

    def tell_new_leeches(self) -> None:
        """Tell the learner, once each, about items that just became leeches (suspended)."""
        from quiztui.study.marks import mark_told, untold_leeches

        store = self.ctx.store
        for event in untold_leeches(store):
            mark_told(store, event)
            deck = next((d for d in self.decks if d.id == event.deck_id), None)
            name = event.item_id
            if deck is not None and deck.has_item(event.item_id):
                from quiztui.tui.formatting import first_line

                item = deck.item(event.item_id)
                name = first_line(item.prompt if isinstance(item, Question) else item.front)
            threshold = self.ctx.settings.leech_threshold
            self.notify(
                f"“{name}” has lapsed {threshold} times: it is now a leech and suspended, so it"
                " stops taking your time. Browse (b, then is:leech) to rewrite it (o) or"
                " unsuspend it (s).",
                title="A leech",
                severity="warning",
                timeout=20,
            )

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
            # Once the list is drawn: the watcher's start (importing watchfiles, its first
            # scan) would otherwise share the interpreter with the first paint.
            self.call_after_refresh(self._start_watching, [entry.path for entry in message.entries])

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
                self._broken_saves.add(entry.path)
                continue
            if entry.path in self._broken_saves:
                self._broken_saves.discard(entry.path)
                self.call_from_thread(self._say_mended, entry.path)
            adopt_renames(self.ctx, fresh.deck)
            entries[index] = replace(entry, deck=fresh.deck, problems=())
            changed = True
        if changed:
            self.post_message(self.DecksLoaded(tuple(entries)))

    def _say_mended(self, path: Path) -> None:
        """Take down the save's list of problems, which no longer holds, and say it is fixed."""
        self.clear_notifications()
        self.notify("The new version is open.", title=f"{path.name} is valid again", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A deck load that failed is said, never left as a screen that waits forever."""
        worker = event.worker
        if worker.group == "decks" and worker.state == WorkerState.ERROR:
            error = worker.error
            self.load_error = f"{type(error).__name__}: {error}" if error else "unknown error"
            self.entries = ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The browser and the settings open over the app's own screens, never over a dialog
        or an exam (which would show its answers), nor over themselves."""
        if action in ("browse", "settings"):
            from quiztui.tui.screens.base import QuiztuiScreen

            screen = self.screen
            if not isinstance(screen, QuiztuiScreen):
                return False
            return screen.ALLOW_DETOURS and action != screen.DETOUR
        return True

    def action_browse(self) -> None:
        """Every item of every deck, to search and to put aside."""
        self.push_screen(self._browser())

    def _browser(self, query: str = "") -> Screen[None]:
        from quiztui.tui.screens.browse import BrowseScreen

        return BrowseScreen(query)

    def action_settings(self) -> None:
        """The settings, kept in config.toml."""
        from quiztui.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_exam_history(self) -> None:
        """Every mock exam and its score over time."""
        from quiztui.tui.screens.exam_history import ExamHistoryScreen

        self.push_screen(ExamHistoryScreen(self.decks))

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
        yield SystemCommand(
            "Exam history", "Every mock exam and its score over time", self.action_exam_history
        )
        listed |= {"Home", "Help", "Review due", "Statistics", "Exam history"}
        for action, title, help_ in (
            ("browse", "Browse", "Every item of every deck: search, suspend, bury, reset, flag"),
            ("settings", "Settings", "Daily limits, the learning day, leeches, theme and keys"),
        ):
            if self.check_action(action, ()):
                yield SystemCommand(title, help_, getattr(self, f"action_{action}"))
            listed.add(title)
        if self.check_action("browse", ()):
            yield SystemCommand(
                "Leeches",
                "The items that lapsed too often and were suspended",
                lambda: self.push_screen(self._browser("is:leech")),
            )
            listed.add("Leeches")
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
