"""The peer of rows a and c: a minimal Textual app showing a one-row DataTable.

`python -m bench.peer_app` shows a header line and a table with one row ("Peer deck"); every
key then changes both ("Peer · N left" counts down), which is the least a key can lead to in
Textual: one reactive update and one frame. Ctrl+Q quits, as in any Textual app.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

PEER_ROW = "Peer deck"
"""The row's text: row a stops its clock when it is on the screen."""


class PeerApp(App[None]):
    """A header line and a one-row table; each key changes both."""

    def __init__(self) -> None:
        super().__init__()
        self.left = 10_000
        """The count shown in the header line, down by one a key."""

    def compose(self) -> ComposeResult:
        """The header line and the table."""
        yield Static(f"Peer · {self.left} left", id="peer-header")
        yield DataTable(id="peer-table", cursor_type="row")

    def on_mount(self) -> None:
        """Fill the table's one row."""
        table: DataTable[str] = self.query_one(DataTable)
        table.add_columns("Deck", "Due", "New", "Learned", "Items")
        table.add_row(PEER_ROW, "0", "0", "0", "1", key="peer")

    def on_key(self, event: events.Key) -> None:
        """Count the key down in the header and in the row."""
        if event.key == "ctrl+q":
            return
        self.left -= 1
        self.query_one("#peer-header", Static).update(f"Peer · {self.left} left")
        table: DataTable[str] = self.query_one(DataTable)
        table.update_cell("peer", table.ordered_columns[1].key, str(self.left))


if __name__ == "__main__":
    PeerApp().run()
