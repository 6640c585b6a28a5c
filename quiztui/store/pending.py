"""Writes waiting for the database: in order, in memory and in the journal, and what to say.

The store puts a write here when the database cannot take it (locked longer than the busy
timeout, disk full, file read-only), and every later write after it, so order is kept; it
applies them all, in one transaction, as soon as it can. The learner sees a `WriteStatus` line
("3 answers waiting to be saved: disk full") while any wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiztui.store.journal import Journal
from quiztui.store.records import ReviewRecord
from quiztui.store.writes import Write
from quiztui.wording import plural


@dataclass(frozen=True, slots=True)
class WriteStatus:
    """Whether everything the learner did is saved, and if not, why and where it is kept."""

    waiting_answers: int = 0
    """Answers not yet in the database."""
    waiting_changes: int = 0
    """Every write not yet in the database (answers, undos, confidence, attempts, steps)."""
    reason: str | None = None
    """Why the database cannot take them ("disk full"), while any wait."""
    memory_only: int = 0
    """Waiting writes no journal file could hold: quitting now would lose them."""
    kept_in: Path | None = None
    """The journal file holding the waiting writes, when one could be written."""
    read_only: str | None = None
    """Why this store writes nothing at all (the learner chose to open read-only)."""
    refused_answers: int = 0
    """Answers given while read-only, which were not saved."""

    @property
    def saved(self) -> bool:
        """True when nothing waits and nothing was refused."""
        return not (self.waiting_changes or self.read_only)

    @property
    def would_lose(self) -> bool:
        """True when quitting now would lose writes (held in memory only)."""
        return self.memory_only > 0

    @property
    def line(self) -> str | None:
        """The status line to show, or None when everything is saved."""
        if self.read_only is not None:
            refused = (
                f"{plural(self.refused_answers, 'answer')} not saved"
                if self.refused_answers
                else "nothing you answer is saved"
            )
            return f"Read-only ({self.read_only}): {refused}"
        if not self.waiting_changes:
            return None
        counted = (
            plural(self.waiting_answers, "answer")
            if self.waiting_answers
            else plural(self.waiting_changes, "change")
        )
        line = f"{counted} waiting to be saved: {self.reason or 'retrying'}"
        if self.memory_only:
            line += " · held in memory only: don't quit yet"
        return line


class PendingWrites:
    """The writes waiting for the database, in order, each kept in the journal when possible."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        """Where waiting writes are kept on disk."""
        self._writes: list[tuple[int, Write]] = []
        self._memory_only: list[tuple[int, Write]] = []
        self._next_sequence = 1
        self.reason: str | None = None
        """Why the database could not take them, last time it was tried."""
        self.kept_in: Path | None = None
        self.view: dict[str, ReviewRecord] = {}
        """Answers as the waiting writes leave them, by uid (what undo and confidence read)."""

    def __bool__(self) -> bool:
        """True while any write waits."""
        return bool(self._writes)

    @property
    def writes(self) -> list[Write]:
        """The waiting writes, oldest first."""
        return [write for _, write in self._writes]

    def load(self) -> int:
        """Take in what the journal kept from an earlier run; returns how many writes."""
        loaded = self.journal.load()
        known = {write.id for _, write in self._writes}
        for sequence, write in loaded:
            if write.id not in known:
                self._writes.append((sequence, write))
        self._writes.sort(key=lambda pair: pair[0])
        if self._writes:
            self._next_sequence = self._writes[-1][0] + 1
            existing = self.journal.existing()
            self.kept_in = existing[0] if existing else None
        return len(loaded)

    def add(self, write: Write, reason: str) -> None:
        """Queue a write (after every other) and keep it, with any held in memory, on disk."""
        entry = (self._next_sequence, write)
        self._next_sequence += 1
        self._writes.append(entry)
        self.reason = reason
        self._memory_only.append(entry)
        kept = self.journal.append(self._memory_only)
        if kept is not None:
            self.kept_in = kept
            self._memory_only.clear()

    def saved(self) -> None:
        """Everything waiting is in the database now: forget it and remove the journal."""
        self._writes.clear()
        self._memory_only.clear()
        self.view.clear()
        self.journal.clear()
        self.reason = None
        self.kept_in = None

    def status(self) -> WriteStatus:
        """What to tell the learner about the writes waiting."""
        return WriteStatus(
            waiting_answers=sum(1 for _, write in self._writes if write.is_answer),
            waiting_changes=len(self._writes),
            reason=self.reason,
            memory_only=len(self._memory_only),
            kept_in=self.kept_in if not self._memory_only else None,
        )
