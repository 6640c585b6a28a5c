"""The home screen: every deck found, with what is due, new and learned, and each part's scores.

The app loads the decks; this screen watches them and counts them in a thread worker, so it is
interactive at once. A deck that fails to load is listed with its first problem and the hint to
run `quiztui validate`, and never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker

from quiztui.deck.library import LoadedDeck
from quiztui.study import DeckProgress, deck_progress
from quiztui.tui.formatting import percent
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.worker_errors import report_worker_error


@dataclass(frozen=True, slots=True)
class DeckRow:
    """One row of the deck list: a deck (with its progress once counted), or a file that failed."""

    entry: LoadedDeck
    progress: DeckProgress | None
    """None for a file that failed to load, and for a deck not counted yet."""


COLUMNS = ("Deck", "Due", "New", "Learned", "Items")
"""The deck list's columns, left to right."""

DECK_COLUMN_WIDTH = (24, 46)
"""The narrowest and widest the Deck column is drawn (a longer title is cut)."""


class HomeScreen(QuiztuiScreen[None]):
    """The list of decks; Enter opens one, `r` starts the day's reviews across all of them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open_deck", "Open deck", tooltip="Study the highlighted deck", id="home.open"
        ),
        Binding(
            "r",
            "review",
            "Review due",
            tooltip="The day's reviews across every deck",
            id="home.review",
        ),
        Binding(
            "p",
            "progress",
            "Statistics",
            tooltip="Calendar, reviews, retention, forecast and gains",
            id="home.progress",
        ),
    ]

    @dataclass
    class Counted(Message):
        """Each deck's counts and progress are ready to show."""

        rows: list[DeckRow]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DeckRow] = []
        """What the table shows, in table order."""
        self.loaded = False
        """True once the decks and their counts are on screen."""
        self._row_keys: list[str] = []
        """The deck files the table lists, in order (its row keys)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading decks…", id="home-status")
        yield DataTable[str | Text](id="decks", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="deck-detail"):
            yield Static(id="deck-detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        self.watch(self.app, "entries", self._entries_changed, init=True)
        self.watch(self.app, "load_error", self._load_failed, init=False)

    def on_screen_resume(self) -> None:
        """Counts change after a session: refresh them when coming back."""
        if self.loaded:
            self.count()

    def _entries_changed(self, entries: tuple[LoadedDeck, ...] | None) -> None:
        """New decks: list them at once, then count them."""
        if entries is not None:
            self._fill_table([DeckRow(entry, None) for entry in entries])
            if not self.loaded:
                self.query_one("#home-status", Static).update(
                    f"{len(entries)} deck{'s' if len(entries) != 1 else ''} loaded."
                    "  [dim]Counting what is due…[/dim]"
                )
            self.refresh_bindings()
            self.count()

    def _load_failed(self, message: str | None) -> None:
        if message is not None:
            self.query_one("#home-status", Static).update(f"Could not load the decks: {message}")

    # ------------------------------------------------------------------ counting

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-count")
    def count(self) -> None:
        """Compute every deck's counts and progress (off the UI thread)."""
        ctx = self.ctx
        rows = [
            DeckRow(entry, deck_progress(ctx, entry.deck) if entry.deck is not None else None)
            for entry in self.app.entries or ()
        ]
        self.post_message(self.Counted(rows))

    @on(Counted)
    def show_decks(self, message: Counted) -> None:
        """Fill the table, keeping the highlighted row."""
        self._fill_table(message.rows)
        table = self.query_one("#decks", DataTable)
        total_due = sum(r.progress.counts.due for r in self.rows if r.progress is not None)
        total_new = sum(r.progress.counts.new for r in self.rows if r.progress is not None)
        again = sum(r.progress.counts.redrill for r in self.rows if r.progress is not None)
        status = self.query_one("#home-status", Static)
        if not self.rows:
            status.update(
                "No decks found. Put deck files in your deck folder, or open one with"
                " [b]quiztui PATH[/b]."
            )
        elif total_due == total_new == again == 0 and not any(
            r.progress.counts.learned for r in self.rows if r.progress is not None
        ):
            status.update(
                "Welcome! Enter opens a deck and suggests where to start: a short check of what"
                " you know, then the key points, then a check of what you learned."
            )
        else:
            repeat = f", [b]{again}[/b] to repeat" if again else ""
            status.update(
                f"[b]{total_due}[/b] due{repeat} and [b]{total_new}[/b] new today across"
                f" {len(self.rows)} deck{'s' if len(self.rows) != 1 else ''}."
                "  [dim]Enter opens a deck · r reviews everything due[/dim]"
            )
        self._show_detail()
        table.focus()
        self.loaded = True
        self.refresh_bindings()

    def _fill_table(self, rows: list[DeckRow]) -> None:
        """Show `rows`: cell by cell when the same decks are listed, else built afresh with
        column widths fixed from the titles (so a redraw never changes them)."""
        self.rows = rows
        table: DataTable[str | Text] = self.query_one("#decks", DataTable)
        keys = [str(row.entry.path) for row in rows]
        if keys == self._row_keys:
            for key, row in zip(keys, rows, strict=True):
                for column, cell in zip(COLUMNS, self._cells(row), strict=True):
                    table.update_cell(key, column, cell)
            self._show_detail()
            return
        row_before = max(table.cursor_row, 0)
        table.clear(columns=True)
        low, high = DECK_COLUMN_WIDTH
        longest = max((len(self._cells(row)[0]) for row in rows), default=0)
        table.add_column(COLUMNS[0], key=COLUMNS[0], width=min(max(longest, low), high))
        for label in COLUMNS[1:]:
            table.add_column(label, key=label, width=max(len(label), 5))
        for key, row in zip(keys, rows, strict=True):
            table.add_row(*self._cells(row), key=key)
        self._row_keys = keys
        if rows:
            table.move_cursor(row=min(row_before, len(rows) - 1))
        self._show_detail()

    @property
    def _error_style(self) -> str:
        """The theme's error colour, so a failed deck reads well in light and dark themes."""
        return self.app.current_theme.error or "red"

    def _cells(self, row: DeckRow) -> tuple[Text, ...]:
        deck = row.entry.deck
        if deck is None:
            name = Text(row.entry.path.name, style="bold")
            name.append("  failed to load", style=self._error_style)
            return (name, *(Text("-") for _ in COLUMNS[1:]))
        if row.progress is None:
            pending = Text("…", style="dim")
            return (
                Text(deck.title, style="bold"),
                pending,
                pending,
                pending,
                Text(str(deck.item_count)),
            )
        counts = row.progress.counts
        total = sum(p.total for p in row.progress.parts)
        return (
            Text(deck.title, style="bold"),
            Text(str(counts.due), style="bold" if counts.due else "dim"),
            Text(str(counts.new), style="dim" if not counts.new else ""),
            Text(str(counts.learned)),
            Text(str(total)),
        )

    # ------------------------------------------------------------------ the highlighted deck

    @property
    def highlighted(self) -> DeckRow | None:
        """The row under the cursor, if any."""
        table = self.query_one("#decks", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#decks")
    def _row_highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#decks")
    def _row_selected(self) -> None:
        self.action_open_deck()

    def _show_detail(self) -> None:
        detail = self.query_one("#deck-detail-text", Static)
        row = self.highlighted
        if row is None:
            detail.update("")
            return
        if row.entry.deck is None:
            first = row.entry.problems[0] if row.entry.problems else None
            detail.update(
                Text.assemble(
                    ("This deck could not be loaded.\n", f"bold {self._error_style}"),
                    (f"{first}\n" if first else f"{row.entry.path}\n"),
                    ("\nRun ", "dim"),
                    (f"quiztui validate {row.entry.path}", "bold"),
                    (" to see every problem.", "dim"),
                )
            )
            return
        lines = Text()
        deck = row.entry.deck
        lines.append(f"{deck.title}", style="bold")
        lines.append(f"  v{deck.version}\n", style="dim")
        if row.progress is None:
            lines.append("  Counting what is due…", style="dim")
            detail.update(lines)
            return
        for part in row.progress.parts:
            lines.append(f"  {part.part.title}", style="")
            lines.append(
                f"   pre {percent(part.pre_score)} · post {percent(part.post_score)}"
                f" · learned {part.learned}/{part.total}\n",
                style="dim",
            )
        detail.update(lines)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Open only a deck that loaded; review and statistics once the decks are read (they
        count for themselves: the list's counts need not be in)."""
        if action == "open_deck":
            row = self.highlighted
            return row is not None and row.entry.deck is not None
        if action in ("review", "progress"):
            return self.app.entries is not None
        return True

    def action_open_deck(self) -> None:
        """Open the highlighted deck."""
        row = self.highlighted
        if row is None or row.entry.deck is None:
            if row is not None:
                self.notify(
                    f"Run quiztui validate {row.entry.path} to see every problem.",
                    title="This deck could not be loaded",
                    severity="error",
                )
            return
        from quiztui.tui.screens.deck import DeckScreen

        self.app.push_screen(DeckScreen(row.entry.deck))

    def action_review(self) -> None:
        """The day's reviews across every deck."""
        self.app.action_review_all()

    def action_progress(self) -> None:
        """Statistics across every deck."""
        self.app.action_progress()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed count is shown, never left as a screen that waits forever."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#home-status", Static).update(
                f"Could not load your progress: {message}"
            )
