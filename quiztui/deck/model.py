"""The deck as the rest of quiztui sees it: immutable, validated, keyed on stable ids.

A deck is a chapter: ordered parts, each with key points (flashcards) and questions (multiple
choice). Progress is stored against `(deck.id, item.id)`, so ids, not wording or position,
are what identify an item; choices carry ids too, so a recorded pick survives rewording and
shuffling.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
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


class Part:
    """One part of a chapter, studied as pre-check, key points, post-check, results.

    A part knows its items' ids, checks and answer keys at once, but its items themselves may
    be decoded only when first asked for: a deck served from the cache opens with every part in
    outline (`Part.outline`), so counting and scheduling 10,000 items never builds them, and a
    part's cards are built when one of them is shown. Either way a part is immutable and
    compares equal to the same part built eagerly.
    """

    __slots__ = (
        "_answer_keys",
        "_by_id",
        "_checks",
        "_content",
        "_id_set",
        "_key_points",
        "_questions",
        "description",
        "id",
        "key_point_ids",
        "line",
        "question_ids",
        "title",
    )

    id: str
    title: str
    description: str | None
    line: int | None
    """The line of the deck file where it starts, for messages (not compared)."""
    key_point_ids: tuple[str, ...]
    """Its key points' ids, in deck order."""
    question_ids: tuple[str, ...]
    """Its questions' ids, in deck order."""

    def __init__(
        self,
        id: str,
        title: str,
        key_points: tuple[KeyPoint, ...] = (),
        questions: tuple[Question, ...] = (),
        description: str | None = None,
        line: int | None = None,
    ) -> None:
        key_points, questions = tuple(key_points), tuple(questions)
        self._set(
            id=id,
            title=title,
            description=description,
            line=line,
            key_point_ids=tuple(kp.id for kp in key_points),
            question_ids=tuple(q.id for q in questions),
            _checks=tuple(q.checks for q in questions),
            _answer_keys=None,
            _key_points=key_points,
            _questions=questions,
            _content=None,
            _id_set=None,
            _by_id=None,
        )

    @classmethod
    def outline(
        cls,
        id: str,
        title: str,
        description: str | None,
        line: int | None,
        key_point_ids: tuple[str, ...],
        question_ids: tuple[str, ...],
        question_checks: tuple[frozenset[CheckName], ...],
        answer_keys: tuple[str, ...],
        content: Callable[[], tuple[tuple[KeyPoint, ...], tuple[Question, ...]]],
    ) -> Part:
        """A part whose items `content()` builds on first use (once, even across threads).

        The caller vouches that the outline (ids, each question's checks and answer key, in
        order) is what `content()` returns; the deck cache writes both from the same part.
        """
        part = cls.__new__(cls)
        part._set(
            id=id,
            title=title,
            description=description,
            line=line,
            key_point_ids=key_point_ids,
            question_ids=question_ids,
            _checks=question_checks,
            _answer_keys=answer_keys,
            _key_points=None,
            _questions=None,
            _content=content,
            _id_set=None,
            _by_id=None,
        )
        return part

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Part is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Part is immutable: cannot delete {name!r}")

    def _build(self) -> None:
        """Build the items of a part in outline (at most once; other threads wait for it)."""
        with _build_lock:
            if self._key_points is not None:
                return
            key_points, questions = self._content()
            self._set(_questions=questions)
            self._set(_key_points=key_points, _content=None)

    @property
    def key_points(self) -> tuple[KeyPoint, ...]:
        """Its key points (flashcards), in deck order."""
        if self._key_points is None:
            self._build()
        return self._key_points

    @property
    def questions(self) -> tuple[Question, ...]:
        """Its questions, in deck order."""
        if self._key_points is None:
            self._build()
        return self._questions

    @property
    def is_built(self) -> bool:
        """Whether its items exist yet (always, unless it came from the cache in outline)."""
        return self._key_points is not None

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every item's id, key points first, then questions (the order of `items`)."""
        return self.key_point_ids + self.question_ids

    def has_item(self, item_id: str) -> bool:
        """Whether an item with this id is in the part (without building its items)."""
        if self._id_set is None:
            self._set(_id_set=frozenset(self.item_ids))
        return item_id in self._id_set

    def check_question_ids(self, check: CheckName) -> tuple[str, ...]:
        """The ids of the questions a check asks, in deck order (without building them)."""
        return tuple(
            qid
            for qid, checks in zip(self.question_ids, self._checks, strict=True)
            if check in checks
        )

    def check_questions(self, check: CheckName) -> tuple[Question, ...]:
        """The questions a check asks, in deck order."""
        return tuple(q for q in self.questions if check in q.checks)

    @property
    def answer_keys(self) -> tuple[str, ...]:
        """Each question's `answer_key`, in the order of `question_ids`."""
        if self._answer_keys is None:
            self._set(_answer_keys=tuple(q.answer_key for q in self._questions))
        return self._answer_keys

    def items(self) -> Iterator[Item]:
        """Every scheduled item of the part: key points first, then questions."""
        yield from self.key_points
        yield from self.questions

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when there is none)."""
        if self._by_id is None:
            self._set(_by_id={item.id: item for item in self.items()})
        return self._by_id[item_id]

    def replace(self, **changes: object) -> Part:
        """A new part like this one with some fields changed (as `dataclasses.replace`)."""
        fields: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "key_points": self.key_points,
            "questions": self.questions,
            "description": self.description,
            "line": self.line,
        }
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"Part has no field {sorted(unknown)[0]!r}")
        fields.update(changes)
        return Part(**fields)  # type: ignore[arg-type]

    __replace__ = replace  # copy.replace (Python 3.13)

    def __reduce__(self) -> tuple[type[Part], tuple[object, ...]]:
        """Copy and pickle as a part built eagerly (an outline's loader cannot travel)."""
        return (
            Part,
            (self.id, self.title, self.key_points, self.questions, self.description, self.line),
        )

    def _compared(self) -> tuple[object, ...]:
        return (self.id, self.title, self.key_points, self.questions, self.description)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Part)
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        return (
            f"Part(id={self.id!r}, title={self.title!r}, "
            f"key_points={len(self.key_point_ids)}, questions={len(self.question_ids)})"
        )


_build_lock = threading.RLock()
"""Parts in outline are built under this lock (decks load in worker threads)."""


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
        """The item with this id (KeyError when there is none); builds only its part."""
        return self.part_of(item_id).item(item_id)

    def build(self) -> None:
        """Build every part's items now, rather than when each part is first used.

        A deck from the cache opens in outline; a front end that keeps its decks for the
        whole session can build them at a quiet moment, so that they are all in place (and,
        in the TUI, frozen with everything else that lives as long as the app).
        """
        for part in self.parts:
            part.key_points  # noqa: B018 (the access builds the part)

    def part(self, part_id: str) -> Part:
        """The part with this id (KeyError when there is none)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def part_of(self, item_id: str) -> Part:
        """The part that holds an item (KeyError when none does)."""
        for part in self.parts:
            if part.has_item(item_id):
                return part
        raise KeyError(item_id)
