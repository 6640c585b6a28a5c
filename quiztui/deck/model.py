"""The deck as the rest of quiztui sees it: immutable, validated, keyed on stable ids.

A deck is a chapter: ordered parts, each with key points (flashcards) and questions (multiple
choice). Progress is stored against `(deck.id, item.id)`, so ids, not wording or position,
are what identify an item; choices carry ids too, so a recorded pick survives rewording and
shuffling. An author who renames an id lists the old one in `renamed_from`, and the store
reads the old id's history as the new one's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal

CheckName = Literal["pre", "post"]
"""The two checks a question can belong to: before reading a part, and after it."""

CHECK_NAMES: tuple[CheckName, ...] = ("pre", "post")

ItemKind = Literal["question", "key_point"]
"""The two kinds of item that get scheduled."""


def _constructor_call(self: Any) -> tuple[type[Any], tuple[Any, ...]]:
    """Pickle a model object as a call of its class on its fields, as the deck cache stores
    it: read back about twice as fast as dataclasses' own pickling of slotted classes, which
    looks the fields up again for every object (a 10,000-item deck is some 35,000 objects)."""
    return type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init)


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a learner can pick."""

    __reduce__ = _constructor_call

    id: str
    """Stable within its question; what the review log records as picked."""
    text: str
    """Markdown."""
    correct: bool
    explanation: str | None = None
    """Why this choice is right or wrong (Markdown)."""


@dataclass(frozen=True, slots=True)
class Question:
    """A multiple-choice question, single- or multiple-answer."""

    __reduce__ = _constructor_call

    kind: ClassVar[ItemKind] = "question"

    id: str
    prompt: str
    """Markdown."""
    choices: tuple[Choice, ...]
    checks: frozenset[CheckName] = frozenset(CHECK_NAMES)
    """Which checks ask it: pre-reading, post-reading, or both."""
    explanation: str | None = None
    """Why the answer is what it is, for the question as a whole (Markdown)."""
    tags: tuple[str, ...] = ()
    section: str | None = None
    """Where in the chapter the answer comes from, e.g. "2.4"."""
    shuffle: bool = True
    """False keeps the written order (needed for "All of the above")."""
    multiple: bool = False
    """Declared "choose all that apply": the learner ticks choices, then submits."""
    renamed_from: tuple[str, ...] = ()
    """Ids this question had before; their history counts as its own."""
    line: int | None = field(default=None, compare=False)
    """The line of the deck file where it starts, for messages."""

    @property
    def correct_choice_ids(self) -> frozenset[str]:
        """The ids of every correct choice."""
        return frozenset(choice.id for choice in self.choices if choice.correct)

    @property
    def is_multiple_answer(self) -> bool:
        """True for a "choose all that apply" question (the learner ticks, then submits)."""
        return self.multiple

    @property
    def answer_key(self) -> str:
        """A short fingerprint of the correct answer; when it changes, progress starts over."""
        return answer_key_of(self.correct_choice_ids)

    def choice(self, choice_id: str) -> Choice:
        """The choice with this id (KeyError when there is none)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


@lru_cache(maxsize=4096)
def answer_key_of(correct_choice_ids: frozenset[str]) -> str:
    """The answer key of a question with these correct choices (a deck has few distinct sets)."""
    joined = "\x1f".join(sorted(correct_choice_ids))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A flashcard: a cue on the front, what to remember on the back."""

    __reduce__ = _constructor_call

    kind: ClassVar[ItemKind] = "key_point"

    id: str
    front: str
    """Markdown."""
    back: str
    """Markdown."""
    explanation: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()
    """Ids this key point had before; their history counts as its own."""
    line: int | None = field(default=None, compare=False)

    @property
    def answer_key(self) -> str:
        """Flashcards have no marked answer; their key never changes."""
        return ""


Item = Question | KeyPoint
"""Anything that is scheduled and reviewed."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a chapter, studied as pre-check, key points, post-check, results."""

    __reduce__ = _constructor_call

    id: str
    title: str
    key_points: tuple[KeyPoint, ...] = ()
    """Its key points (flashcards), in deck order."""
    questions: tuple[Question, ...] = ()
    """Its questions, in deck order."""
    description: str | None = None
    renamed_from: tuple[str, ...] = ()
    """Ids this part had before; their check attempts and step marks count as its own."""
    line: int | None = field(default=None, compare=False)
    """The line of the deck file where it starts, for messages (not compared)."""

    @property
    def key_point_ids(self) -> tuple[str, ...]:
        """Its key points' ids, in deck order."""
        return tuple(key_point.id for key_point in self.key_points)

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Its questions' ids, in deck order."""
        return tuple(question.id for question in self.questions)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every item's id, key points first, then questions (the order of `items`)."""
        return self.key_point_ids + self.question_ids

    def items(self) -> Iterator[Item]:
        """Every scheduled item of the part: key points first, then questions."""
        yield from self.key_points
        yield from self.questions

    def check_questions(self, check: CheckName) -> tuple[Question, ...]:
        """The questions a check asks, in deck order."""
        return tuple(question for question in self.questions if check in question.checks)

    def check_question_ids(self, check: CheckName) -> tuple[str, ...]:
        """The ids of the questions a check asks, in deck order."""
        return tuple(question.id for question in self.check_questions(check))


@dataclass(frozen=True, slots=True)
class Source:
    """Where a deck's material comes from, for attribution."""

    __reduce__ = _constructor_call

    title: str
    author: str | None = None
    url: str | None = None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Deck:
    """A whole validated deck, with its items indexed by id once, when it is made."""

    __reduce__ = _constructor_call

    id: str
    title: str
    version: str
    parts: tuple[Part, ...]
    source: Source | None = None
    description: str | None = None
    renamed_from: tuple[str, ...] = ()
    """Ids this deck had before; their progress counts as its own."""
    path: Path | None = field(default=None, compare=False)
    """The file it was loaded from, when it came from a file."""
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)
    _part_of: dict[str, Part] = field(init=False, repr=False, compare=False)
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index every item by id: the queue and the sessions look items up by id."""
        items: dict[str, Item] = {}
        part_of: dict[str, Part] = {}
        for part in self.parts:
            for item in part.items():
                items[item.id] = item
                part_of[item.id] = part
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_part_of", part_of)
        object.__setattr__(self, "_position", {item_id: i for i, item_id in enumerate(items)})

    def items(self) -> Iterator[Item]:
        """Every scheduled item of the deck, part by part."""
        for part in self.parts:
            yield from part.items()

    @property
    def item_count(self) -> int:
        """How many items (key points and questions) the deck has."""
        return len(self._items)

    def has_item(self, item_id: str) -> bool:
        """Whether an item with this id is in the deck."""
        return item_id in self._items

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when there is none)."""
        return self._items[item_id]

    def position(self, item_id: str) -> int:
        """Where an item stands in deck order, 0 first (KeyError when it is not in the deck)."""
        return self._position[item_id]

    def part(self, part_id: str) -> Part:
        """The part with this id (KeyError when there is none)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def part_of(self, item_id: str) -> Part:
        """The part that holds an item (KeyError when none does)."""
        return self._part_of[item_id]
