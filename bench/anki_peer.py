"""Anki's scheduler on the same cards and due dates, for the day's-queue comparison.

One note (Basic note type) per deck item, in deck order, in a collection in a temporary folder.
Cards with a quiztui state become review cards with the same interval, ease and repetitions,
due the same number of days from today; the rest stay new, in deck order. The deck's options
ask for every due review (no daily review cap, as in quiztui) and the same new-card limit.

Anki (`pip install anki`, the `bench` extra) is imported only here, and only when asked for.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from quiztui.deck.model import Deck, Question
from quiztui.store import StoredState

DEFAULT_DECK_ID = 1
"""Anki's "Default" deck, always present."""


def anki_available() -> bool:
    """True when the `anki` package can be imported."""
    try:
        import anki.collection  # noqa: F401
    except Exception:
        return False
    return True


def anki_version() -> str:
    """The installed anki package's version."""
    from anki.buildinfo import version

    return str(version)


class AnkiPeer:
    """A collection holding the deck's cards, scheduled like the quiztui store says."""

    def __init__(
        self,
        folder: Path,
        deck: Deck,
        states: dict[str, StoredState],
        today: date,
        new_per_day: int,
    ) -> None:
        """Build the collection in `folder` (a few seconds for 10,000 cards)."""
        from anki.collection import AddNoteRequest, Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.col: Any = Collection(str(folder / "bench.anki2"))
        col = self.col
        self.deck_id = col.decks.id("Benchmark")
        config = col.decks.config_dict_for_deck_id(self.deck_id)
        config["new"]["perDay"] = new_per_day
        config["rev"]["perDay"] = 9_999  # the most Anki accepts: no cap for this deck
        col.decks.update_config(config)
        col.decks.select(self.deck_id)
        notetype = col.models.by_name("Basic")
        requests = []
        item_ids = []
        for item in deck.items():
            note = col.new_note(notetype)
            if isinstance(item, Question):
                note["Front"] = item.prompt
                note["Back"] = " / ".join(c.text for c in item.choices if c.correct)
            else:
                note["Front"] = item.front
                note["Back"] = item.back
            requests.append(AddNoteRequest(note=note, deck_id=self.deck_id))
            item_ids.append(item.id)
        col.add_notes(requests)
        card_ids = col.db.list("select id from cards order by nid, ord")
        anki_today = col.sched.today
        updates = []
        for position, (card_id, item_id) in enumerate(zip(card_ids, item_ids, strict=True)):
            stored = states.get(item_id)
            if stored is None:
                updates.append((0, 0, position, 0, 0, 0, card_id))
                continue
            state = stored.state
            due = anki_today + (state.due - today).days
            factor = state.easiness_hundredths * 10
            updates.append((2, 2, due, state.interval, factor, state.repetitions, card_id))
        col.db.executemany(
            "update cards set type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?"
            " where id = ?",
            updates,
        )

    def invalidate(self) -> None:
        """Make the next queue request build the queues afresh, as opening the deck does.

        Anki's backend keeps the built queues until the current deck changes (or a card, or the
        day): selecting another deck and back drops them. `check_rebuilds` proves it.
        """
        self.col.decks.select(DEFAULT_DECK_ID)
        self.col.decks.select(self.deck_id)

    def build_queue(self) -> tuple[int, int, int]:
        """Anki's v3 queue for the deck (call `invalidate` first): (new, learning, review)."""
        queued = self.col.sched.get_queued_cards(fetch_limit=1)
        return (queued.new_count, queued.learning_count, queued.review_count)

    def check_rebuilds(self) -> bool:
        """True when `invalidate` really makes Anki rebuild: a card moved behind its back shows."""
        self.invalidate()
        before = self.build_queue()
        card_id = self.col.db.scalar("select id from cards where queue = 2 order by due limit 1")
        if card_id is None:
            return True
        due = self.col.db.scalar("select due from cards where id = ?", card_id)
        self.col.db.execute("update cards set due = ? where id = ?", due + 100_000, card_id)
        try:
            self.invalidate()
            return self.build_queue() != before
        finally:
            self.col.db.execute("update cards set due = ? where id = ?", due, card_id)
            self.invalidate()

    def first_queue_after_reopen(self) -> float:
        """Seconds for the first queue after closing and reopening the collection."""
        from anki.collection import Collection

        path = self.col.path
        self.col.close()
        self.col = Collection(path)
        self.col.decks.select(self.deck_id)
        start = time.perf_counter()
        self.build_queue()
        return time.perf_counter() - start

    def deck_counts(self) -> tuple[int, int]:
        """The deck list's counts (Anki's home screen): (new, review) of the deck."""
        tree = self.col.sched.deck_due_tree(self.deck_id)
        return (tree.new_count, tree.review_count)

    def close(self) -> None:
        """Close the collection."""
        self.col.close()
