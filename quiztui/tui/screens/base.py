"""The base of quiztui's screens: `self.app` is typed as the quiztui app, `self.ctx` its context.

Textual types a screen's `app` as a plain `App`; every screen here needs the study context and
the decks, so one base says once what the app is (Textual's `getters.app`).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen

from quiztui.study import StudyContext
from quiztui.tui.app import QuiztuiApp

ResultType = TypeVar("ResultType")


class QuiztuiScreen(Screen[ResultType]):
    """A screen of the quiztui app."""

    app = getters.app(QuiztuiApp)

    ALLOW_DETOURS: ClassVar[bool] = True
    """Whether the browser (b) and the settings (s) may open over this screen; an exam says
    no, since they would show its answers."""

    DETOUR: ClassVar[str | None] = None
    """The app action that opens this screen, when it is a detour itself ("browse")."""

    @property
    def ctx(self) -> StudyContext:
        """The store, clock and settings every session uses."""
        return self.app.ctx


class QuiztuiModal(ModalScreen[ResultType]):
    """A modal screen of the quiztui app."""

    app = getters.app(QuiztuiApp)
