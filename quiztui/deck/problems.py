"""Problems found in a deck file, and the error that carries all of them.

Validation reports every problem in one run, so a `DeckError` holds a tuple of them, each
pointing at the file, line and column where the instructor has to look.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from quiztui.errors import QuiztuiError

QUOTED_AT_MOST = 60
"""The most characters of a deck's own text a message or hint repeats (a 2 MB value, or a
file that is not a deck at all, is never echoed back)."""


def clip(text: str, limit: int = QUOTED_AT_MOST) -> str:
    """`text` as a message may repeat it: at most `limit` characters, cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


Severity = Literal["error", "warning"]
"""An error stops a deck from loading; a warning is reported and the deck still loads."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deck, where it is, and (when one helps) how to fix it."""

    path: Path
    line: int
    """1-based; 0 when the problem is about the whole file (it could not be read at all)."""
    column: int
    """1-based; 0 together with `line`."""
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        """`file:line:col: message (hint: ...)`, the form editors and terminals link to."""
        where = f"{self.path}:{self.line}:{self.column}" if self.line else str(self.path)
        label = "warning: " if self.severity == "warning" else ""
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    @property
    def sort_key(self) -> tuple[str, int, int]:
        """Orders problems as they appear in their file."""
        return (str(self.path), self.line, self.column)


class DeckError(QuiztuiError):
    """A deck could not be loaded; `problems` lists everything wrong with it, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=lambda p: p.sort_key))
        if not self.problems:
            raise ValueError("a DeckError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in self.problems))
