"""Renames an author made, followed by the learner's progress; and what an edit retired.

Opening a deck adopts its `renamed_from` lists (see `quiztui.store.renames`): the history kept
under an old id becomes the new id's. Items with progress that a deck no longer has (and
that no rename claims) are retired: kept in the log, counted nowhere; the learner is told
once per such change, with the fix an author would want (`renamed_from`).
"""

from __future__ import annotations

import hashlib

from quiztui.deck.model import Deck
from quiztui.store import Adopted, Renames
from quiztui.study.context import StudyContext


def renames_of(deck: Deck) -> Renames:
    """The old ids a deck, its parts and its items list."""
    return Renames(
        deck_id=deck.id,
        deck=deck.renamed_from,
        parts={part.id: part.renamed_from for part in deck.parts if part.renamed_from},
        items={item.id: item.renamed_from for item in deck.items() if item.renamed_from},
    )


def adopt_renames(ctx: StudyContext, deck: Deck) -> Adopted:
    """Move the progress kept under the deck's old ids to the ids it has now."""
    return ctx.store.adopt_renames(renames_of(deck))


def retired_item_ids(ctx: StudyContext, deck: Deck) -> tuple[str, ...]:
    """Items the log has answers for that the deck no longer has, sorted."""
    return tuple(sorted(i for i in ctx.store.logged_item_ids(deck.id) if not deck.has_item(i)))


def retired_notice(ctx: StudyContext, deck: Deck) -> str | None:
    """What to tell the learner, once, when an edit of the deck retired items with progress."""
    retired = retired_item_ids(ctx, deck)
    if not retired:
        return None
    digest = hashlib.blake2b("\x1f".join(retired).encode(), digest_size=8).hexdigest()
    key = f"retired:{deck.id}:{digest}"
    if ctx.store.notice_shown(key):
        return None
    ctx.store.mark_notice_shown(key)
    shown = ", ".join(retired[:3]) + (f" and {len(retired) - 3} more" if len(retired) > 3 else "")
    count = len(retired)
    noun = "item" if count == 1 else "items"
    return (
        f"{deck.title}: {count} {noun} you had studied {'is' if count == 1 else 'are'} no"
        f" longer in the deck ({shown}). Their history is kept. If the author renamed them,"
        " listing the old ids in `renamed_from` brings their progress back."
    )
