"""A list of steps where a click selects and a second click on the same step opens it.

Textual's OptionList opens an option on the first click. A learner who clicks to see what a
row says (or misses the row they meant) would start a check: here a click on another row
only moves the highlight, and a click on the highlighted row (or Enter) opens it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList


class StepList(OptionList):
    """An OptionList that needs a second click (or Enter) to open an option."""

    def on_click(self, event: events.Click) -> None:
        """A click on a row that is not highlighted only highlights it."""
        clicked = event.style.meta.get("option")
        if isinstance(clicked, int) and clicked != self.highlighted:
            if not self.get_option_at_index(clicked).disabled:
                self.highlighted = clicked
            event.prevent_default()  # OptionList's own handler would open it at once
