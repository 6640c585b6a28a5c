"""Decks built in Python for the study and store tests (no dependence on the YAML loader)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from quiztui.days import FixedClock
from quiztui.deck.model import Choice, Deck, KeyPoint, Part, Question
from quiztui.settings import Settings
from quiztui.store import Store
from quiztui.study import StudyContext

BERLIN = ZoneInfo("Europe/Berlin")


def question(
    qid: str,
    correct: tuple[str, ...] = ("a",),
    choices: tuple[str, ...] = ("a", "b", "c", "d"),
    *,
    checks: tuple[str, ...] = ("pre", "post"),
    shuffle: bool = True,
) -> Question:
    """A question whose choices are ids `choices`, the ones in `correct` right."""
    return Question(
        id=qid,
        prompt=f"Prompt of {qid}?",
        choices=tuple(
            Choice(cid, f"choice {cid}", cid in correct, f"why {cid}") for cid in choices
        ),
        checks=frozenset(checks),  # type: ignore[arg-type]
        shuffle=shuffle,
        multiple=len(correct) > 1,
    )


def key_point(kid: str) -> KeyPoint:
    """A flashcard."""
    return KeyPoint(id=kid, front=f"Front of {kid}", back=f"Back of {kid}")


def make_deck(
    deck_id: str = "demo", parts: int = 2, key_points: int = 3, questions: int = 4
) -> Deck:
    """A deck of `parts` parts, each with key points `<p>-kN` and questions `<p>-qN`."""
    built = []
    for p in range(1, parts + 1):
        pid = f"p{p}"
        built.append(
            Part(
                id=pid,
                title=f"Part {p}",
                key_points=tuple(key_point(f"{pid}-k{n}") for n in range(1, key_points + 1)),
                questions=tuple(question(f"{pid}-q{n}") for n in range(1, questions + 1)),
            )
        )
    return Deck(id=deck_id, title=f"Deck {deck_id}", version="1", parts=tuple(built))


def with_question(deck: Deck, new: Question) -> Deck:
    """The deck with the question of the same id replaced by `new`."""
    parts = tuple(
        replace(part, questions=tuple(new if q.id == new.id else q for q in part.questions))
        for part in deck.parts
    )
    return replace(deck, parts=parts)


def without_item(deck: Deck, item_id: str) -> Deck:
    """The deck with one item removed."""
    parts = tuple(
        replace(
            part,
            questions=tuple(q for q in part.questions if q.id != item_id),
            key_points=tuple(k for k in part.key_points if k.id != item_id),
        )
        for part in deck.parts
    )
    return replace(deck, parts=parts)


def make_context(
    folder: Path,
    *,
    start: datetime | None = None,
    new_per_day: int = 20,
    rollover_hour: int = 4,
    scheduler: str = "sm2",
) -> tuple[StudyContext, FixedClock]:
    """A context on a fresh store in `folder`, with a clock standing at noon in Berlin."""
    clock = FixedClock(start or datetime(2024, 3, 4, 12, 0, tzinfo=BERLIN))
    store = Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    settings = Settings(
        rollover_hour=rollover_hour, new_items_per_day=new_per_day, scheduler=scheduler
    )
    return StudyContext(store, clock, settings), clock
