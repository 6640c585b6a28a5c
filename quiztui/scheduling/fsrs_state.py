"""An item's FSRS state, as quiztui stores it (no py-fsrs needed to read or write one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LEARNING, REVIEW, RELEARNING = 1, 2, 3
"""FSRS's phases, numbered as py-fsrs numbers its `State`."""


@dataclass(frozen=True, slots=True)
class FsrsState:
    """An item's memory as FSRS models it, plus the fields every state has."""

    stability: float
    """S: days until the predicted recall falls to 90%."""
    difficulty: float
    """D: 1 (easiest) to 10 (hardest)."""
    phase: int
    """LEARNING, REVIEW or RELEARNING."""
    step: int | None
    """The learning or relearning step it is at (None in REVIEW)."""
    repetitions: int
    """Answers in a row not rated Again (0 after a lapse), as SM-2's n counts passes."""
    interval: int
    """Days from the last review to the next; 0 when it is due again the same learning day."""
    due: date
    """The learning day the item is next due."""
    last_review: date | None
    """The learning day of the last review."""

    @property
    def is_learned(self) -> bool:
        """True once the item has been recalled at least once in a row."""
        return self.repetitions >= 1
