"""The base of every error a user can cause, so the command line can print it without a traceback.

A bad deck, a wrong path or an unknown deck id is the user's to fix, not a bug: each such error
subclasses `QuiztuiError`, whose `str()` is the whole message to show.
"""

from __future__ import annotations


class QuiztuiError(Exception):
    """An error caused by the user's input; its text says what is wrong and what to do."""

    def __rich__(self) -> str:
        """How a front end that renders with Rich (the TUI) shows it: the message, no traceback."""
        return f"quiztui: {self}"
