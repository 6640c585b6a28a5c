"""Showing what went wrong in a screen's background work, instead of failing silently.

Screens load decks and compute progress in thread workers that do not exit the app on error; a
failure there (a locked or damaged database, say) must still reach the learner as a message.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from quiztui.errors import QuiztuiError


def report_worker_error(screen: Screen[Any], worker: Worker[object]) -> str | None:
    """Notify the learner when `worker` failed; returns the message shown, or None."""
    if worker.state != WorkerState.ERROR or worker.error is None:
        return None
    error = worker.error
    if isinstance(error, QuiztuiError):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {error}. Please report this; your answers are saved."
    screen.notify(message, title="Something went wrong", severity="error", timeout=30)
    return message
