"""Setting up a mock exam: how many questions, how long, which parts and tags.

A small form over the deck screen; it returns an `ExamSpec` (or None when cancelled), checked
against the deck with the same draw the exam uses, so a choice that leaves nothing to ask is
said here, before the exam starts.
"""

from __future__ import annotations

import random
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from quiztui.deck.model import Deck
from quiztui.study.exam import DEFAULT_QUESTIONS, ExamError, ExamSpec, deck_tags, draw
from quiztui.tui.screens.base import QuiztuiModal


class ExamSetupScreen(QuiztuiModal[ExamSpec | None]):
    """The exam's size, time limit, parts and tags; Enter starts it, Escape cancels."""

    DEFAULT_CSS = """
    ExamSetupScreen {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $accent;
            border-title-color: $accent;
            background: $panel;
            padding: 0 1;
        }
        .setup-row { height: auto; margin: 1 0 0 0; }
        .setup-label { width: 11; }
        .setup-number { width: 1fr; }
        .setup-list { width: 1fr; height: auto; max-height: 8; }
        .setup-heading { width: 1fr; color: $text-muted; }
        #setup-note { height: auto; color: $text-muted; }
        #setup-problem { height: auto; color: $error; }
        #setup-buttons { height: auto; align-horizontal: center; }
        Button { margin: 0 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Back to the deck", id="exam_setup.cancel"),
        Binding(
            "ctrl+s",
            "start",
            "Start",
            tooltip="Start the exam with these choices",
            id="exam_setup.start",
        ),
    ]

    def __init__(self, deck: Deck) -> None:
        """Set up an exam of `deck`."""
        super().__init__()
        self.deck = deck
        """The deck the exam draws from."""

    def compose(self) -> ComposeResult:
        """Two numbers, the parts and the tags, and the buttons."""
        total = sum(len(part.questions) for part in self.deck.parts)
        default = total if total <= DEFAULT_QUESTIONS else DEFAULT_QUESTIONS
        with Vertical() as box:
            box.border_title = "Mock exam"
            yield Static(
                f"{total} questions in this deck. Nothing is marked until you finish; every"
                " answer then counts as a review.",
                id="setup-note",
            )
            with Horizontal(classes="setup-row"):
                yield Label("Questions", classes="setup-label")
                yield Input(
                    placeholder=str(default),
                    type="integer",
                    id="setup-questions",
                    classes="setup-number",
                    compact=True,
                )
                yield Label(" Minutes", classes="setup-label")
                yield Input(
                    placeholder="untimed",
                    type="number",
                    id="setup-minutes",
                    classes="setup-number",
                    compact=True,
                )
            with Horizontal(classes="setup-row"):
                yield Static("Parts (all ticked: every part)", classes="setup-heading")
                yield Static("Tags (none ticked: any)", classes="setup-heading")
            with Horizontal(classes="setup-row"):
                yield SelectionList[str](
                    *(
                        Selection(part.title, part.id, True)
                        for part in self.deck.parts
                        if part.questions
                    ),
                    id="setup-parts",
                    classes="setup-list",
                    compact=True,
                )
                yield SelectionList[str](
                    *(Selection(tag, tag) for tag in deck_tags(self.deck)),
                    id="setup-tags",
                    classes="setup-list",
                    compact=True,
                )
            yield Static(id="setup-problem")
            with Horizontal(id="setup-buttons"):
                yield Button("Start (^s)", id="start", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        """The number of questions first."""
        self.query_one("#setup-questions", Input).focus()

    def spec(self) -> ExamSpec:
        """The exam the form describes (ExamError when a number is not one)."""
        questions_text = self.query_one("#setup-questions", Input).value.strip()
        minutes_text = self.query_one("#setup-minutes", Input).value.strip()
        try:
            questions = int(questions_text) if questions_text else None
            minutes = float(minutes_text) if minutes_text else None
        except ValueError:
            raise ExamError("the questions and minutes must be numbers") from None
        if minutes is not None and minutes <= 0:
            raise ExamError("the minutes must be more than 0 (leave it empty for no limit)")
        parts = self.query_one("#setup-parts", SelectionList).selected
        all_parts = [part.id for part in self.deck.parts if part.questions]
        part_ids = () if sorted(parts) == sorted(all_parts) else tuple(parts)
        if not parts:
            raise ExamError("tick at least one part")
        tags = tuple(self.query_one("#setup-tags", SelectionList).selected)
        spec = ExamSpec(questions, minutes, part_ids, tags)
        draw(self.deck, spec, random.Random(0))  # says now what the exam would refuse
        return spec

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start the exam, or say what is wrong with the choices."""
        try:
            spec = self.spec()
        except ExamError as error:
            self.query_one("#setup-problem", Static).update(str(error).capitalize() + ".")
            return
        self.dismiss(spec)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Back to the deck with no exam."""
        self.dismiss(None)
