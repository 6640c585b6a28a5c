"""Fitting FSRS's parameters to the learner's own log, with py-fsrs's optimizer.

The log rows FSRS replays become py-fsrs review logs, one card per (deck, item, answer key), at
the same instants the scheduler uses (noon UTC of each learning day). py-fsrs fits only on
reviews given on a later day than the card's previous one, among each card's first 64, and
returns its defaults below 512 of them: quiztui counts them first and says how many are missing.

The optimizer needs PyTorch (the `optimizer` extra); it is imported only when a fit runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from quiztui.scheduling.fsrs_scheduler import fsrs_instant, rating_for
from quiztui.store import ReviewRecord
from quiztui.store.replay import schedules

MIN_REVIEWS = 512
"""py-fsrs's mini-batch: with fewer counted reviews its optimizer returns the defaults."""

MAX_PER_CARD = 64
"""py-fsrs fits on each card's first 64 reviews."""

OPTIMIZER_PACKAGES = ("torch", "numpy", "pandas", "tqdm")
"""What py-fsrs's optimizer imports (its `optimizer` extra)."""

INSTALL_HINT = (
    "pip install 'quiztui[optimizer]' (it brings PyTorch; without a GPU, install PyTorch's CPU"
    " build first)"
)


@dataclass(frozen=True, slots=True)
class TrainingReview:
    """One answer as the optimizer sees it."""

    card: int
    """The card: one per (deck, item, answer key), numbered in order of first answer."""
    rating: int
    day: date
    seconds: float


def training_reviews(rows: Iterable[ReviewRecord]) -> list[TrainingReview]:
    """The answers FSRS replays (live, in modes it counts), in log order, one card per item
    and answer key; a re-drill before any counted answer of its card is left out, as in replay."""
    from quiztui.scheduling.fsrs_scheduler import FsrsScheduler

    fsrs = FsrsScheduler()
    cards: dict[tuple[str, str, str], int] = {}
    found: list[TrainingReview] = []
    for row in rows:
        if row.undone:
            continue
        key = (row.deck_id, row.item_id, row.answer_key)
        if not schedules(fsrs, row.mode) or (row.mode == "redrill" and key not in cards):
            continue
        card = cards.setdefault(key, len(cards))
        found.append(TrainingReview(card, rating_for(row.grade), row.learning_day, row.seconds))
    return found


def counted_reviews(reviews: Sequence[TrainingReview]) -> int:
    """How many of the reviews py-fsrs's optimizer fits on: among each card's first 64, those
    on a later learning day than the card's previous review."""
    seen: dict[int, tuple[int, date]] = {}
    counted = 0
    for review in reviews:
        number, last_day = seen.get(review.card, (0, review.day))
        if number >= MAX_PER_CARD:
            continue
        if number > 0 and review.day > last_day:
            counted += 1
        seen[review.card] = (number + 1, review.day)
    return counted


def missing_optimizer_package() -> str | None:
    """The first package py-fsrs's optimizer needs that cannot be imported, or None."""
    import importlib

    for name in OPTIMIZER_PACKAGES:
        try:
            importlib.import_module(name)
        except ImportError:
            return name
    return None


def fit_parameters(reviews: Sequence[TrainingReview]) -> list[float]:
    """FSRS's 21 parameters fitted to the reviews by py-fsrs's optimizer (needs PyTorch; some
    seconds to minutes)."""
    from fsrs import Optimizer, Rating, ReviewLog

    logs: list[Any] = [
        ReviewLog(
            card_id=review.card,
            rating=Rating(review.rating),
            review_datetime=fsrs_instant(review.day),
            review_duration=int(review.seconds * 1000),
        )
        for review in reviews
    ]
    return [float(p) for p in Optimizer(logs).compute_optimal_parameters()]
