"""The key points step of a part: one flashcard at a time, self-graded on SM-2's 0-5 scale.

Space shows the back; then a grade from 0 to 5 (SM-2's own six grades, shown with their
meanings, not a four-button easy/good/hard/again scale) is the card's first review, logged as
mode "learn" and committed before the next card. `u` takes grades back one at a time. When
every card is graded the step is done and the cards join the daily reviews.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Header, Static

from quiztui.deck.model import Deck
from quiztui.study import KeyPointSession, open_key_points
from quiztui.study.preview import next_intervals
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.flashcard import CardScroll, FlashCard, flashcard_bindings
from quiztui.tui.widgets.key_bar import KeyBar

GRADE_NOTE = 'A grade marked "today" brings the card back again before this step ends.'
"""Under the grade legend: what a low grade does in this step (SM-2: below 4; FSRS: a grade
that leaves the card on a learning step), whichever scheduler is in force."""


class KeyPointsScreen(QuiztuiScreen[None]):
    """A part's key points, one card at a time: Space reveals, 0-5 grades, `u` undoes.

    Grades are SM-2's 0-5 (0-2 not recalled, 3-5 recalled with less and less effort), each the
    card's first review; there are no easy/good/hard/again buttons to translate.
    """

    DEFAULT_CSS = """
    KeyPointsScreen {
        #key-points-status { height: auto; padding: 0 1; color: $text-muted; }
        #key-points-body { height: 1fr; }
        #key-points-done {
            height: auto;
            margin: 1 2;
            padding: 1 2;
            border: round $success;
            border-title-color: $success;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *flashcard_bindings(),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Take back the last grade and show that card again",
            id="key_points.undo",
        ),
        Binding(
            "enter",
            "done",
            "Done",
            tooltip="Back to the deck",
            id="key_points.done",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            tooltip="Back to the deck (every grade is already saved)",
            id="key_points.back",
        ),
    ]

    revealed: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """True once the current card's back is shown: the grade keys apply only then."""

    def __init__(self, deck: Deck, part_id: str) -> None:
        """The key points of part `part_id` of `deck`; the session opens on mount."""
        super().__init__()
        self.deck = deck
        """The deck studied."""
        self.part = deck.part(part_id)
        """The part whose key points are shown."""
        self.session: KeyPointSession | None = None
        """The core session (None until mounted)."""
        self._shown_at = time.monotonic()
        """When the current card appeared, to log the seconds it took."""

    def compose(self) -> ComposeResult:
        """The status line ("Card 3 of 10"), the card area, the footer of keys."""
        yield Header()
        yield Static(id="key-points-status")
        with CardScroll(id="key-points-body"):
            yield FlashCard(grade_note=GRADE_NOTE)
            yield Static(id="key-points-done")
        yield KeyBar()

    async def on_mount(self) -> None:
        """Open (or continue) the step at the first card not graded yet."""
        self.sub_title = f"{self.deck.title} · {self.part.title} · key points"
        ctx = self.ctx
        self.session = open_key_points(ctx, self.deck, self.part.id)
        await self._show_current()

    @property
    def card(self) -> FlashCard | None:
        """The flashcard on screen, if any."""
        card = self.query_one(FlashCard)
        return card if card.display and card.presented is not None else None

    async def _show_current(self) -> None:
        """Show the session's current card, or the done panel at the end.

        The card and the panel are composed once; a card is loaded into the same widget.
        """
        session = self.session
        assert session is not None
        body = self.query_one("#key-points-body", VerticalScroll)
        card = self.query_one(FlashCard)
        done = self.query_one("#key-points-done", Static)
        self.revealed = False
        status = self.query_one("#key-points-status", Static)
        presented = session.current
        if presented is None:
            status.update(f"{escape(self.part.title)}: every key point graded.")
            text, title = self._done_text()
            done.update(text)
            done.border_title = title
            card.display, done.display = False, True
        else:
            status.update(self._status_text(session, revealed=False))
            intervals = (
                {} if presented.is_redrill else next_intervals(self.ctx, self.deck, presented.item)
            )
            # No heading on the card: the status line already says "Again today", with the count.
            card.load(presented, intervals=intervals)
            card.display, done.display = True, False
            self._shown_at = time.monotonic()
        body.scroll_home(animate=False, immediate=True)
        if self.focused is not body:
            body.focus(scroll_visible=False)
        self.refresh_bindings()

    @staticmethod
    def _status_text(session: KeyPointSession, *, revealed: bool) -> str:
        """Where the step stands (card N of M, or the cards coming back today) and what to do.

        The one place that says a card is back for another go, before and after the reveal.
        """
        if revealed:
            hint = "How well did you recall it? Grade 0-5"
        else:
            hint = "Space shows the back, then grade 0-5"
        if session.in_redrill:
            where = f"[b]Again today[/b]: graded below 4 · {session.redrills_waiting} to go"
        else:
            where = f"Card [b]{session.position + 1}[/b] of {len(session.cards)}"
        return f"{where}  [dim]{hint}[/dim]"

    def _done_text(self) -> tuple[str, str]:
        """What the end of the step says (the cards now join the daily reviews), and its title."""
        count = len(self.part.key_point_ids)
        title = escape(self.part.title)
        if count == 0:
            text = f"{title} has no key points: go on to the post-reading check."
        else:
            cards = "card" if count == 1 else "cards"
            text = (
                f"You graded all {count} {cards} of {title}.\n\n"
                f"They now join your daily reviews, starting tomorrow: each comes back when"
                f" SM-2 says it is due. Next step: the post-reading check.\n\n"
                "[dim]Enter or Escape goes back to the deck; u takes back the last grade.[/dim]"
            )
        return text, "Key points done"

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reveal before the back shows, grades after; undo when there is a grade to undo."""
        session = self.session
        if session is None:
            return action == "leave"
        if action == "reveal":
            return not session.finished and not self.revealed
        if action == "grade":
            return not session.finished and self.revealed
        if action == "undo":
            return session.can_undo
        if action == "done":
            return session.finished
        return True

    def action_reveal(self) -> None:
        """Show the back of the card and the grade legend."""
        card = self.card
        session = self.session
        if card is not None and session is not None:
            card.reveal()
            self.revealed = True
            self.query_one("#key-points-status", Static).update(
                self._status_text(session, revealed=True)
            )

    async def action_grade(self, grade: int) -> None:
        """Grade the current card (committed) and show the next one."""
        session = self.session
        if session is None or session.finished or not self.revealed:
            return
        session.grade(grade, time.monotonic() - self._shown_at)
        self.app.tell_new_leeches()
        await self._show_current()

    @on(FlashCard.GradeClicked)
    async def _grade_clicked(self, message: FlashCard.GradeClicked) -> None:
        """A second click on a grade of the legend grades the card, as its key does."""
        message.stop()
        await self.action_grade(message.grade)

    async def action_undo(self) -> None:
        """Take back the last grade and show that card again, front up."""
        session = self.session
        if session is not None and session.undo():
            await self._show_current()
            self.notify("The last grade was taken back.", timeout=2)

    def action_done(self) -> None:
        """Back to the deck from the done panel."""
        self.dismiss()

    def action_leave(self) -> None:
        """Back to the deck at any point; every grade is already saved."""
        self.dismiss()
