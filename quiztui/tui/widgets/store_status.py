"""The line that says answers are waiting to be saved, and the app's side of waiting writes.

When the store cannot write (another program's lock, a full disk, a read-only file), answers
wait in memory and in the pending journal (`quiztui.store.writer`) and the app stays open. The
learner must know: `StoreStatus` shows "3 answers waiting to be saved: disk full" just above
the key bar of every screen, and nothing when all is saved. `StoreWatch` is what the app adds
for it: it mounts the line on each screen, retries saving every few seconds (in a thread, so a
lock never stalls the screen), tells the store's notices once, and, only when some answers
could be written nowhere at all, asks before quitting.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from quiztui.store import Store

REFRESH_SECONDS = 1.0
"""How often the line reads the store's status (a read of memory, not of the database)."""

RETRY_SECONDS = 3.0
"""How often waiting writes are tried again."""


class StoreStatus(Widget, can_focus=False):
    """One line above the key bar: what waits to be saved and why; hidden when all is saved."""

    DEFAULT_CSS = """
    StoreStatus {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        display: none;
    }
    StoreStatus.-would-lose {
        background: $error-muted;
        text-style: bold;
    }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        """The store whose writes the line reports."""
        self.text = ""
        """What the line says now ("" when everything is saved)."""

    def on_mount(self) -> None:
        """Show the status now, and follow it."""
        self.update_status()
        self.set_interval(REFRESH_SECONDS, self.update_status)

    def update_status(self) -> None:
        """Read the store's status and show it (or hide the line when all is saved)."""
        status = self.store.write_status()
        text = status.line or ""
        self.set_class(status.would_lose, "-would-lose")
        if text != self.text:
            self.text = text
            self.display = bool(text)
            self.refresh(layout=True)

    def render(self) -> Text:
        """The status line, cut short with an ellipsis when the screen is narrow."""
        return Text(self.text, no_wrap=True, overflow="ellipsis", end="")


class StoreWatch:
    """The app's part in waiting writes: the line on every screen, retries, the quit warning."""

    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store

    def start(self) -> None:
        """Mount the line on every screen from now on, retry on a timer, tell the notices."""
        self.app.screen_change_signal.subscribe(self.app, self.mount_on)
        self.mount_on(self.app.screen)
        self.app.set_interval(RETRY_SECONDS, self.retry)
        for notice in self.store.notices:
            self.app.notify(notice, title="Progress", severity="warning", timeout=30)

    def mount_on(self, screen: Screen[Any]) -> None:
        """Give a full screen its status line (modal dialogs show the one beneath). A screen
        no longer attached (a key that opened it as the app was quitting) gets none."""
        if isinstance(screen, ModalScreen) or not screen.is_attached or screen.query(StoreStatus):
            return
        screen.mount(StoreStatus(self.store))

    def retry(self) -> None:
        """Try to save what waits, in a thread (a lock is waited for there, not on screen)."""
        if self.store.write_status().waiting_changes == 0:
            return
        if any(w.group == "store-retry" and w.is_running for w in self.app.workers):
            return
        self.app.run_worker(
            self._retry_in_thread, thread=True, group="store-retry", exit_on_error=False
        )

    def _retry_in_thread(self) -> None:
        self.store.retry_pending()
        self.app.call_from_thread(self.refresh)

    def retry_now(self) -> bool:
        """Try to save what waits, on this (the app's) thread; True when nothing waits now."""
        saved = self.store.retry_pending()
        self.refresh()
        return saved

    def refresh(self) -> None:
        """Update every mounted status line now."""
        for screen in self.app.screen_stack:
            for line in screen.query(StoreStatus):
                line.update_status()

    def quit(self) -> None:
        """Quit, unless answers could be written nowhere: then ask first."""
        status = self.store.write_status()
        if not status.would_lose:
            self.app.exit()
            return
        from quiztui.tui.screens.confirm import ChoiceDialog

        question = (
            f"{status.waiting_changes} changes ({status.waiting_answers} answers) are waiting to"
            f" be saved ({status.reason or 'the progress file cannot be written'}), and"
            f" {status.memory_only} of them could not be written anywhere, not even to a"
            " journal file. Quitting now loses them; staying open keeps trying.\n\nQuit anyway?"
        )
        self.app.push_screen(
            ChoiceDialog(question, yes="Quit and lose them", no="Stay"),
            callback=lambda quit_anyway: self.app.exit() if quit_anyway else None,
        )
