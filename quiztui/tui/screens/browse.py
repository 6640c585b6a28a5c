"""The card browser: every item of every deck in one table, to search, sort and put aside.

`/` searches as you type (words, and filters such as `tag:x`, `is:leech`, `deck:id`); `t` and
`v` (or a click on a column) sort. The pane beside or under the table shows the highlighted
item as the learner sees it and its history. Space selects a row and moves to the next (as in
mutt or Anki: Space, Space, Space selects three rows in a run); the actions apply to the
selected rows (or the highlighted one): suspend, bury until tomorrow, flag, reset, each logged
and undone with `u`; `o` opens the deck file in $EDITOR at the item's line. Rows are built in
a worker and filtered in memory, so typing never waits on the store.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker

from quiztui.deck.model import Deck
from quiztui.editor import editor_command
from quiztui.study.browse import (
    COLUMNS,
    BrowseRow,
    Column,
    browse_rows,
    deck_rows,
    filter_rows,
    item_history,
    parse_query,
    sort_rows,
)
from quiztui.study.marks import Action, apply, undo_last
from quiztui.tui.formatting import first_line, interval_text, plural
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.item_detail import ItemDetail
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.worker_errors import report_worker_error

HEADINGS: dict[Column, tuple[str, int | None]] = {
    "text": ("Text", 34),
    "state": ("State", 9),
    "due": ("Due", 10),
    "interval": ("Ivl", 4),
    "easiness": ("EF", 4),
    "lapses": ("Lap", 3),
    "kind": ("Kind", 4),
    "deck": ("Deck", 18),
    "part": ("Part", 18),
    "tags": ("Tags", 20),
}
"""Each column's heading and width."""

WIDE = 130
"""From this many columns on, the detail pane sits beside the table instead of under it."""

FILTER_DELAY = 0.12
"""Seconds of quiet typing before the table is filtered again."""


def _cells(row: BrowseRow, selected: bool) -> list[str | Text]:
    """A row's cells in column order, after the selection mark."""
    values: dict[Column, str | Text] = {
        "text": first_line(row.text)[:200],
        "state": Text(row.state, style="bold" if row.state in ("due", "leech") else ""),
        "due": row.due.isoformat() if row.due else "",
        "interval": interval_text(row.interval) if row.interval is not None else "",
        "easiness": f"{row.easiness:.2f}" if row.easiness is not None else "",
        "lapses": str(row.lapses) if row.lapses else "",
        "kind": "Q" if row.item.kind == "question" else "KP",
        "deck": row.deck.title,
        "part": row.part.title,
        "tags": ", ".join(row.tags),
    }
    mark = "●" if selected else ("⚑" if row.marks.flagged else " ")
    return [mark, *(values[column] for column in COLUMNS)]


class BrowseScreen(QuiztuiScreen[None]):
    """Every item of every deck: search, sort, look, and put aside."""

    DETOUR = "browse"

    DEFAULT_CSS = """
    BrowseScreen {
        #browse-top { height: 1; padding: 0 1; }
        #browse-search {
            width: 1fr;
            height: 1;
            border: none;
            padding: 0 1;
            background: $boost;
        }
        #browse-search:focus { background: $accent 20%; }
        #browse-count { width: auto; padding: 0 0 0 1; color: $text-muted; }
        #browse-main { height: 1fr; layout: vertical; }
        #browse-table { height: 1fr; }
        #browse-detail {
            height: 9;
            border-top: solid $panel;
        }
        &.-wide #browse-main { layout: horizontal; }
        &.-wide #browse-table { width: 3fr; height: 1fr; }
        &.-wide #browse-detail {
            width: 2fr;
            height: 1fr;
            border-top: none;
            border-left: solid $panel;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "search", "Search", tooltip="Type to filter the items", id="browse.search"
        ),
        Binding(
            "space",
            "select",
            "Select",
            tooltip="Select the row (or unselect it) and move to the next",
            id="browse.select",
        ),
        Binding(
            "s",
            "suspend",
            "Suspend",
            tooltip="Never schedule it (again: unsuspend)",
            id="browse.suspend",
        ),
        Binding(
            "z",
            "bury",
            "Bury",
            tooltip="Leave it out of today's queue (again: unbury)",
            id="browse.bury",
        ),
        Binding("f", "flag", "Flag", tooltip="Flag it (again: unflag)", id="browse.flag"),
        Binding(
            "r",
            "reset",
            "Reset",
            tooltip="Forget its schedule (it is new again); the history stays",
            id="browse.reset",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Take back the last suspend, bury, flag, reset or leech",
            id="browse.undo",
        ),
        Binding(
            "o",
            "edit",
            "Edit",
            tooltip="Open the deck file in $EDITOR at this item",
            id="browse.edit",
        ),
        Binding("t", "sort", "Sort", tooltip="Sort by the next column", id="browse.sort"),
        Binding("v", "reverse", "Reverse", tooltip="Reverse the order", id="browse.reverse"),
        Binding(
            "A",
            "select_all",
            "Select all",
            tooltip="Select every row shown (again: none)",
            id="browse.select-all",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Back (from the search: to the table)",
            id="browse.back",
        ),
    ]

    loaded: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """True once the rows are built."""

    can_undo: reactive[bool] = reactive(False, bindings=True, repaint=False)
    """Whether the store has a mark action to take back."""

    @dataclass
    class RowsBuilt(Message):
        """Rows for every deck (or the named ones, after an action) are ready."""

        rows: list[BrowseRow]
        deck_ids: frozenset[str] | None
        """The decks rebuilt (None: all)."""

    def __init__(self, query: str = "") -> None:
        """Open on the search `query` (e.g. "is:leech")."""
        super().__init__()
        self.initial_query = query
        self.rows: list[BrowseRow] = []
        """Every item, in deck order."""
        self.shown: list[BrowseRow] = []
        """The rows the table shows, in its order."""
        self.selected: set[str] = set()
        """The row keys selected with Space."""
        self.sort_column: Column | None = None
        """The column sorted by (None: deck order)."""
        self.descending = False
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """The search line, the table and the detail pane, the keys."""
        yield Header()
        with Horizontal(id="browse-top"):
            yield Input(
                value=self.initial_query,
                placeholder="/ to search: words, tag:x deck:x part:x kind:question is:leech …",
                id="browse-search",
            )
            yield Static(id="browse-count")
        with Horizontal(id="browse-main"):
            yield DataTable[str | Text](id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-detail"):
                yield ItemDetail(id="browse-item")
        yield KeyBar()

    def on_mount(self) -> None:
        """Columns now; rows once the decks are there."""
        self.sub_title = "Browse every item"
        table: DataTable[str | Text] = self.query_one("#browse-table", DataTable)
        table.add_column(" ", key="mark", width=1)
        for column in COLUMNS:
            label, width = HEADINGS[column]
            table.add_column(label, key=column, width=width)
        self.query_one("#browse-count", Static).update("Reading…")
        self.watch(self.app, "entries", self._entries_changed, init=True)
        table.focus()
        self._set_wide(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """The detail pane beside the table on a wide terminal, under it on a narrow one."""
        self._set_wide(event.size.width)

    def _set_wide(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    def _entries_changed(self, entries: object) -> None:
        if entries is not None:
            self.build(None)

    # ------------------------------------------------------------------ rows

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-rows")
    def build(self, deck_ids: frozenset[str] | None) -> None:
        """Build the rows of every deck (or of `deck_ids`) off the UI thread."""
        decks: list[Deck] = self.app.decks
        if deck_ids is None:
            rows = browse_rows(self.ctx, decks)
        else:
            rows = [
                row for deck in decks if deck.id in deck_ids for row in deck_rows(self.ctx, deck)
            ]
        self.post_message(self.RowsBuilt(rows, deck_ids))

    @on(RowsBuilt)
    def _rows_built(self, message: RowsBuilt) -> None:
        if message.deck_ids is None:
            self.rows = message.rows
        else:
            fresh = {row.row_key: row for row in message.rows}
            self.rows = [fresh.get(row.row_key, row) for row in self.rows]
        self.can_undo = self.ctx.store.last_mark_batch() is not None
        self.loaded = True
        self.refill()

    def refill(self) -> None:
        """Filter and sort the rows and show them, keeping the highlighted row where it can."""
        table: DataTable[str | Text] = self.query_one("#browse-table", DataTable)
        highlighted = self.highlighted
        text = self.query_one("#browse-search", Input).value
        shown = filter_rows(self.rows, text)
        if self.sort_column is not None:
            shown = sort_rows(shown, self.sort_column, descending=self.descending)
        self.shown = shown
        table.clear()
        for row in shown:
            table.add_row(*_cells(row, row.row_key in self.selected), key=row.row_key)
        if highlighted is not None:
            index = next((i for i, r in enumerate(shown) if r.row_key == highlighted.row_key), 0)
            table.move_cursor(row=index, animate=False)
        self._show_count(text)
        self._show_detail()
        self.refresh_bindings()

    def _show_count(self, text: str) -> None:
        query = parse_query(text)
        bits = [f"{len(self.shown)} of {len(self.rows)}"]
        if self.selected:
            bits.append(f"{len(self.selected)} selected")
        if self.sort_column is not None:
            bits.append(f"by {HEADINGS[self.sort_column][0]} {'▼' if self.descending else '▲'}")
        if query.problems:
            bits.append(query.problems[0])
        self.query_one("#browse-count", Static).update(" · ".join(bits))

    @property
    def highlighted(self) -> BrowseRow | None:
        """The row under the cursor."""
        table = self.query_one("#browse-table", DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _show_detail(self) -> None:
        row = self.highlighted
        detail = self.query_one(ItemDetail)
        if row is None:
            detail.show(None)
            return
        detail.show(row, item_history(self.ctx, row.deck, row.item))
        self.query_one("#browse-detail", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowHighlighted, "#browse-table")
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.HeaderSelected, "#browse-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column sorts by it (again: the other way)."""
        key = str(event.column_key.value)
        if key not in HEADINGS:
            return
        column: Column = key
        if self.sort_column == column:
            self.descending = not self.descending
        else:
            self.sort_column, self.descending = column, False
        self.refill()

    # ------------------------------------------------------------------ searching

    @on(Input.Changed, "#browse-search")
    def _typed(self) -> None:
        """Filter again once the typing pauses."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.refill)

    @on(Input.Submitted, "#browse-search")
    def _search_done(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.refill()
        self.query_one("#browse-table", DataTable).focus()

    def action_search(self) -> None:
        """Type to filter."""
        self.query_one("#browse-search", Input).focus()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions only with a row; undo only with something to undo; editing only an item
        from a file."""
        if action in (
            "select",
            "suspend",
            "bury",
            "flag",
            "reset",
            "select_all",
            "sort",
            "reverse",
        ):
            return self.loaded and bool(self.shown)
        if action == "undo":
            return self.can_undo
        if action == "edit":
            row = self.highlighted
            return row is not None and row.deck.path is not None
        return True

    def targets(self) -> list[BrowseRow]:
        """The selected rows, or the highlighted one when none is selected."""
        if self.selected:
            return [row for row in self.rows if row.row_key in self.selected]
        row = self.highlighted
        return [] if row is None else [row]

    def action_select(self) -> None:
        """Select the highlighted row (or unselect it) and move down."""
        row = self.highlighted
        if row is None:
            return
        self.selected ^= {row.row_key}
        table = self.query_one("#browse-table", DataTable)
        table.update_cell(row.row_key, "mark", _cells(row, row.row_key in self.selected)[0])
        table.action_cursor_down()
        self._show_count(self.query_one("#browse-search", Input).value)

    def action_select_all(self) -> None:
        """Select every row shown, or none when they all are."""
        keys = {row.row_key for row in self.shown}
        self.selected = set() if keys <= self.selected else self.selected | keys
        self.refill()

    def _act(self, action: Action, done: str) -> None:
        rows = self.targets()
        if not rows:
            return
        ctx = self.ctx
        apply(ctx.store, [row.key for row in rows], action, day=ctx.today(), at=ctx.now())
        self.selected.clear()
        self.can_undo = True
        self.notify(f"{done} {plural(len(rows), 'item')} · u undoes it", timeout=4)
        self.build(frozenset(row.deck.id for row in rows))

    def action_suspend(self) -> None:
        """Suspend the items, or unsuspend them when they all are suspended."""
        rows = self.targets()
        if rows and all(row.marks.suspended for row in rows):
            self._act("unsuspend", "Unsuspended")
        else:
            self._act("suspend", "Suspended")

    def action_bury(self) -> None:
        """Bury the items until tomorrow, or unbury them when they all are buried."""
        rows = self.targets()
        today = self.ctx.today()
        if rows and all(row.marks.buried(today) for row in rows):
            self._act("unbury", "Unburied")
        else:
            self._act("bury", "Buried until tomorrow:")

    def action_flag(self) -> None:
        """Flag the items, or unflag them when they all are flagged."""
        rows = self.targets()
        if rows and all(row.marks.flagged for row in rows):
            self._act("unflag", "Unflagged")
        else:
            self._act("flag", "Flagged")

    def action_reset(self) -> None:
        """Forget the items' schedules (asked first)."""
        from quiztui.tui.screens.confirm import ChoiceDialog

        rows = self.targets()
        if not rows:
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self._act("reset", "Reset")

        self.app.push_screen(
            ChoiceDialog(
                f"Reset {plural(len(rows), 'item')}? Each becomes new: its schedule is"
                " forgotten, its answers stay in its history, and u undoes the reset.",
                yes="Reset",
                no="Cancel",
            ),
            chosen,
        )

    def action_undo(self) -> None:
        """Take back the last action on items."""
        ctx = self.ctx
        undone = undo_last(ctx.store, at=ctx.now())
        self.can_undo = ctx.store.last_mark_batch() is not None
        if undone is None:
            return
        self.notify(f"Undone: {undone.description}.", timeout=4)
        self.build(frozenset(event.deck_id for event in undone.events))

    def action_sort(self) -> None:
        """Sort by the next column (deck order after the last)."""
        index = -1 if self.sort_column is None else COLUMNS.index(self.sort_column)
        self.sort_column = COLUMNS[index + 1] if index + 1 < len(COLUMNS) else None
        self.descending = False
        self.refill()

    def action_reverse(self) -> None:
        """Reverse the order."""
        if self.sort_column is None:
            self.sort_column = "text"
        self.descending = not self.descending
        self.refill()

    def action_edit(self) -> None:
        """Open the deck file in $EDITOR at the item's line; the file is read again after (a
        save with problems keeps the last good version, as live reload does)."""
        row = self.highlighted
        if row is None or row.deck.path is None:
            return
        command = editor_command(row.deck.path, row.item.line, os.environ)
        if command is None:
            self.notify(
                "Set VISUAL or EDITOR (e.g. export EDITOR=nano) to open deck files.",
                title="No editor",
                severity="warning",
            )
            return
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        except OSError as error:
            self.notify(
                f"{command[0]}: {error.strerror}",
                title="The editor did not start",
                severity="error",
            )
            return
        self.app.reload_decks(frozenset({row.deck.path}))

    def action_back(self) -> None:
        """From the search, back to the table; from the table, back."""
        search = self.query_one("#browse-search", Input)
        if search.has_focus:
            self.query_one("#browse-table", DataTable).focus()
            return
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed build is said."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#browse-count", Static).update(f"Could not read: {message}")
