"""The deck as the rest of quiztui sees it: immutable, validated, keyed on stable ids.

A deck is a chapter: ordered parts, each with key points (flashcards) and questions (multiple
choice). Progress is stored against `(deck.id, item.id)`, so ids, not wording or position,
are what identify an item; choices carry ids too, so a recorded pick survives rewording and
shuffling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

CheckName = Literal["pre", "post"]
"""The two checks a question can belong to: before reading a part, and after it."""

CHECK_NAMES: tuple[CheckName, ...] = ("pre", "post")

ItemKind = Literal["question", "key_point"]
"""The two kinds of item that get scheduled."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a learner can pick."""

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
    line: int | None = field(default=None, compare=False)
    """The line of the deck file where it starts, for messages."""

    kind: ItemKind = field(default="question", init=False, compare=False)

    @property
    def correct_choice_ids(self) -> frozenset[str]:
        """The ids of every correct choice."""
        return frozenset(choice.id for choice in self.choices if choice.correct)

    @property
    def is_multiple_answer(self) -> bool:
        """True when more than one choice is correct (the learner toggles, then submits)."""
        return len(self.correct_choice_ids) > 1

    @property
    def answer_key(self) -> str:
        """A short fingerprint of the correct answer; when it changes, progress starts over."""
        joined = "\x1f".join(sorted(self.correct_choice_ids))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def choice(self, choice_id: str) -> Choice:
        """The choice with this id (KeyError when there is none)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A flashcard: a cue on the front, what to remember on the back."""

    id: str
    front: str
    """Markdown."""
    back: str
    """Markdown."""
    explanation: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    kind: ItemKind = field(default="key_point", init=False, compare=False)

    @property
    def answer_key(self) -> str:
        """Flashcards have no marked answer; their key never changes."""
        return ""


Item = Question | KeyPoint
"""Anything that is scheduled and reviewed."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a chapter, studied as pre-check, key points, post-check, results."""

    id: str
    title: str
    key_points: tuple[KeyPoint, ...] = ()
    questions: tuple[Question, ...] = ()
    description: str | None = None
    line: int | None = field(default=None, compare=False)

    def check_questions(self, check: CheckName) -> tuple[Question, ...]:
        """The questions a check asks, in deck order."""
        return tuple(q for q in self.questions if check in q.checks)

    def items(self) -> Iterator[Item]:
        """Every scheduled item of the part: key points first, then questions."""
        yield from self.key_points
        yield from self.questions


@dataclass(frozen=True, slots=True)
class Source:
    """Where a deck's material comes from, for attribution."""

    title: str
    author: str | None = None
    url: str | None = None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Deck:
    """A whole validated deck."""

    id: str
    title: str
    version: str
    parts: tuple[Part, ...]
    source: Source | None = None
    description: str | None = None
    path: Path | None = field(default=None, compare=False)
    """The file it was loaded from, when it came from a file."""

    def items(self) -> Iterator[Item]:
        """Every scheduled item of the deck, part by part."""
        for part in self.parts:
            yield from part.items()

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when there is none)."""
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def part(self, part_id: str) -> Part:
        """The part with this id (KeyError when there is none)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def part_of(self, item_id: str) -> Part:
        """The part that holds an item (KeyError when none does)."""
        for part in self.parts:
            if any(item.id == item_id for item in part.items()):
                return part
        raise KeyError(item_id)
