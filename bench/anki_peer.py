"""Anki's scheduler on the same items and due dates as a library, for the day's-queue row (b).

One Anki collection per library: a parent deck holding one child deck per quiztui deck, one note
(Basic note type) per item, in deck order. Items with a quiztui state become review cards with
the same interval, ease and repetitions, due the same number of days from today; the rest stay
new, in deck order. Every child deck asks for each due review (no daily cap, as in quiztui) and
the same new-card limit as quiztui's; the parent's limits are the children's summed, so they cap
nothing. `first_queue` is what the probe in a fresh process times.

Anki (`pip install anki`, the `bench` extra) is imported only here, and only when asked for.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

PARENT_DECK = "Bench library"
"""The parent deck whose queue is built (it holds the library's decks)."""

NO_REVIEW_CAP = 9_999
"""The highest daily review limit Anki keeps (a higher one is silently left at 200)."""


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


def build_collection(
    path: Path, deck_paths: list[Path], database: Path, today: date, new_per_day: int
) -> tuple[int, int]:
    """Write the collection for the library at `path`; Anki's (due, new) for today."""
    from anki.collection import AddNoteRequest, Collection

    from quiztui.deck.loader import load_deck
    from quiztui.deck.model import Question
    from quiztui.store import Store

    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    col: Any = Collection(str(path))
    try:
        parent_id = col.decks.id(PARENT_DECK)
        parent_config = col.decks.add_config_returning_id("bench parent")
        child_config = col.decks.add_config_returning_id("bench child")
        notetype = col.models.by_name("Basic")
        cards: list[tuple[str, str]] = []
        states: dict[tuple[str, str], Any] = {}
        with Store.open(database, backups_dir=database.parent / "backups") as store:
            for number, deck_path in enumerate(deck_paths, start=1):
                deck = load_deck(deck_path, use_cache=False)
                child_id = col.decks.id(f"{PARENT_DECK}::{number} {deck.title}")
                requests = []
                for item in deck.items():
                    note = col.new_note(notetype)
                    if isinstance(item, Question):
                        note["Front"] = item.prompt
                        note["Back"] = " / ".join(c.text for c in item.choices if c.correct)
                    else:
                        note["Front"] = item.front
                        note["Back"] = item.back
                    requests.append(AddNoteRequest(note=note, deck_id=child_id))
                    cards.append((deck.id, item.id))
                col.add_notes(requests)
                child = col.decks.get(child_id)
                child["conf"] = child_config
                col.decks.save(child)
                for item_id, stored in store.deck_states(deck.id).items():
                    states[(deck.id, item_id)] = stored.state
        parent = col.decks.get(parent_id)
        parent["conf"] = parent_config
        col.decks.save(parent)
        for config_id, factor in ((child_config, 1), (parent_config, len(deck_paths))):
            config = col.decks.get_config(config_id)
            config["new"]["perDay"] = new_per_day * factor
            config["rev"]["perDay"] = NO_REVIEW_CAP
            col.decks.update_config(config)
        card_ids = col.db.list("select id from cards order by nid, ord")
        anki_today = col.sched.today
        updates = []
        for position, (card_id, key) in enumerate(zip(card_ids, cards, strict=True)):
            state = states.get(key)
            if state is None:
                updates.append((0, 0, position, 0, 0, 0, card_id))
                continue
            due = anki_today + (state.due - today).days
            factor = state.easiness_hundredths * 10
            updates.append((2, 2, due, state.interval, factor, state.repetitions, card_id))
        col.db.executemany(
            "update cards set type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?"
            " where id = ?",
            updates,
        )
        col.decks.select(parent_id)
        queued = col.sched.get_queued_cards(fetch_limit=1)
        return queued.review_count, queued.new_count
    finally:
        col.close()


def first_queue(path: Path, deck_name: str, repeats: int) -> dict[str, Any]:
    """Open the collection and build the deck's queue (timed), then rebuild it `repeats` times.

    Anki keeps a built queue until the current deck changes: selecting another deck and back
    drops it, so each warm figure is a real rebuild.
    """
    from anki.collection import Collection

    start = time.perf_counter()
    col: Any = Collection(str(path))
    deck_id = col.decks.id_for_name(deck_name)
    col.decks.select(deck_id)
    queued = col.sched.get_queued_cards(fetch_limit=1)
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeats):
        col.decks.select(1)  # the Default deck
        col.decks.select(deck_id)
        start = time.perf_counter()
        queued = col.sched.get_queued_cards(fetch_limit=1)
        warm.append(time.perf_counter() - start)
    col.close()
    return {
        "first": first,
        "warm": warm,
        "due": queued.review_count + queued.learning_count,
        "new": queued.new_count,
    }
