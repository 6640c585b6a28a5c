"""The Textual app: it presents the study core (`quiztui.study`) and holds no rules of its own.

The app is built in `quiztui.commands.open_app` with a ready `StudyContext` (store, clock,
settings), so tests drive it with a temporary store and a fixed clock. Decks load in a worker
on the home screen; every other screen is pushed with the objects it presents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from quiztui.deck.library import LoadedDeck
from quiztui.deck.model import Deck
from quiztui.study import StudyContext
from quiztui.tui.collector import IdleCollector
from quiztui.tui.typeahead import TypeAhead


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
        self.entries: list[LoadedDeck] = []
        """Every deck file found, loaded or not; filled by the home screen's loader."""
        self.collector = IdleCollector(self)
        """Runs Python's full garbage collections while the learner reads."""
        self.type_ahead = TypeAhead(self, lambda event: App._on_key(self, event))
        """Holds keys typed while an answer is on its way to its screen."""

    @property
    def decks(self) -> list[Deck]:
        """The decks that loaded."""
        return [entry.deck for entry in self.entries if entry.deck is not None]

    def decks_loaded(self, entries: list[LoadedDeck]) -> None:
        """Keep `entries` (the decks and their counts)."""
        self.entries = entries

    def decks_built(self) -> None:
        """The decks are built (after the first screen): hand the objects loaded so far, which
        live as long as the app, to the idle collector (it freezes them, once)."""
        self.collector.start()

    async def on_event(self, event: events.Event) -> None:
        """Every key and mouse event tells the idle collector the learner is active."""
        if isinstance(event, events.Key | events.MouseEvent):
            self.collector.input_seen()
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key that reached the app's bindings: held while an answer is on its way
        (`TypeAhead`), else handled by Textual's own `App._on_key`, which runs next."""
        if self.type_ahead.take(event):
            event.prevent_default()

    def on_unmount(self) -> None:
        """Give Python its own garbage collection back as the app closes."""
        self.collector.stop()

    def on_mount(self) -> None:
        """Open on the home screen, with the cyclic collector off until its decks are loaded."""
        from quiztui.tui.screens.home import HomeScreen

        self.collector.hold()
        self.push_screen(HomeScreen())

    def action_help(self) -> None:
        """Show every key of the current screen and what the grades mean."""
        from quiztui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
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
        yield SystemCommand("Progress", "Scores, forecast and streak", self.action_progress)
        listed |= {"Home", "Help", "Review due", "Progress"}
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
        """Show scores per part, the 14-day forecast and the streak."""
        from quiztui.tui.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen(self.decks))
