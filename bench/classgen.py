"""A class of learners' progress exports on one deck, from a fixed seed, written as JSON files.

Each learner has an ability; each question a difficulty and one tempting distractor. A learner
studies one part a week: the pre-check (skipped now and then), the key points, the post-check
(retaken now and then), then comes back most days for the rest of the term and reviews what SM-2
says is due, re-drilling anything graded below 4. A few answers are undone. The files are what
`quiztui progress export --learner NAME` writes (format version 1), built as JSON directly:
going through the store would take hours for 10,000 learners.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from quiztui.deck.model import Deck, KeyPoint, Part, Question
from quiztui.sm2 import ItemState, review

TERM_START = date(2026, 1, 5)
"""The Monday the class starts."""

TERM_DAYS = 84
"""Twelve weeks of reviews."""


@dataclass(frozen=True, slots=True)
class _ItemTraits:
    """What makes an item easy or hard, the same for the whole class."""

    difficulty: float
    """Added to a learner's ability before the logistic: higher is easier."""
    lure: str | None
    """The distractor most wrong answers pick (None for a key point)."""


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _stamp(day: date, seconds: int) -> str:
    return (
        datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(seconds=seconds)
    ).isoformat(timespec="microseconds")


def item_traits(deck: Deck, seed: int) -> dict[str, _ItemTraits]:
    """Each item's difficulty and lure, from the class seed."""
    rng = random.Random(seed)
    traits: dict[str, _ItemTraits] = {}
    for item in deck.items():
        lure = None
        if isinstance(item, Question):
            wrong = [c.id for c in item.choices if not c.correct]
            lure = rng.choice(wrong) if wrong else None
        traits[item.id] = _ItemTraits(rng.gauss(0.0, 1.0), lure)
    return traits


class _Learner:
    """One learner's history as it is written, in log order."""

    def __init__(self, deck: Deck, traits: dict[str, _ItemTraits], rng: random.Random) -> None:
        self.deck, self.traits, self.rng = deck, traits, rng
        self.ability = rng.gauss(0.0, 1.0)
        self.reviews: list[dict[str, Any]] = []
        self.attempts: list[dict[str, Any]] = []
        self.steps: list[dict[str, Any]] = []
        self.states: dict[str, ItemState] = {}
        self.clock = 0

    def _at(self, day: date) -> str:
        self.clock += 7
        return _stamp(day, 9 * 3600 + self.clock)

    def _pick(self, question: Question, right: bool) -> list[str]:
        correct = sorted(question.correct_choice_ids)
        wrong = [c.id for c in question.choices if not c.correct]
        if right or not wrong:
            return correct
        lure = self.traits[question.id].lure
        choice = lure if lure and self.rng.random() < 0.6 else self.rng.choice(wrong)
        return sorted([*correct[1:], choice]) if question.multiple else [choice]

    def answer(
        self, day: date, item: Question | KeyPoint, mode: str, p_right: float, attempt: str | None
    ) -> int:
        """Log one answer; returns its grade."""
        right = self.rng.random() < p_right
        if isinstance(item, Question):
            picked = self._pick(item, right)
            grade = (
                self.rng.choice((3, 4, 4, 5)) if right and mode != "pre" else (4 if right else 1)
            )
            correct: bool | None = right
            kind = "question"
        else:
            picked, correct, kind = [], None, "key_point"
            grade = self.rng.choice((3, 4, 5)) if right else self.rng.choice((1, 2))
        self.reviews.append(
            {
                "uid": uuid.UUID(int=self.rng.getrandbits(128)).hex,
                "deck_id": self.deck.id,
                "item_id": item.id,
                "kind": kind,
                "mode": mode,
                "grade": grade,
                "answered_grade": grade,
                "picked": picked,
                "correct": correct,
                "seconds": round(self.rng.uniform(3.0, 30.0), 1),
                "reviewed_at": self._at(day),
                "learning_day": day.isoformat(),
                "answer_key": item.answer_key,
                "attempt_uid": attempt,
                "amended_at": None,
                "undone_at": None,
            }
        )
        if mode in ("post", "learn", "review"):
            self.states[item.id] = review(self.states.get(item.id), grade, day)
        return grade

    def check(self, day: date, part: Part, check: str, boost: float) -> None:
        """One finished attempt of a part's check."""
        questions = part.check_questions(check)  # type: ignore[arg-type]
        uid = uuid.UUID(int=self.rng.getrandbits(128)).hex
        started = self._at(day)
        for question in questions:
            p = _sigmoid(self.ability + self.traits[question.id].difficulty + boost)
            self.answer(day, question, check, p, uid)
        self.attempts.append(
            {
                "uid": uid,
                "deck_id": self.deck.id,
                "part_id": part.id,
                "check": check,
                "question_ids": [q.id for q in questions],
                "choice_orders": {q.id: [c.id for c in q.choices] for q in questions},
                "started_at": started,
                "finished_at": self._at(day),
                "abandoned_at": None,
            }
        )

    def recall(self, item_id: str) -> float:
        """The chance of recalling an item when it is due."""
        reps = self.states[item_id].repetitions
        return _sigmoid(2.0 + 0.7 * (self.ability + self.traits[item_id].difficulty) + 0.3 * reps)

    def study(self, start: date, term_days: int) -> None:
        """A term: one part a week, reviews on most days."""
        parts = {start + timedelta(days=7 * n): part for n, part in enumerate(self.deck.parts)}
        for offset in range(term_days):
            day = start + timedelta(days=offset)
            self.clock = 0
            part = parts.get(day)
            if part is not None:
                if self.rng.random() > 0.05:
                    self.check(day, part, "pre", -0.8)
                for key_point in part.key_points:
                    self.answer(day, key_point, "learn", 0.85, None)
                self.check(day, part, "post", 1.0)
                if self.rng.random() < 0.1:
                    self.check(day, part, "post", 1.6)
                continue
            if self.rng.random() < 0.15:
                continue
            due = [i for i, s in self.states.items() if s.due <= day]
            redrill: list[str] = []
            for item_id in due:
                item = self.deck.item(item_id)
                if self.answer(day, item, "review", self.recall(item_id), None) < 4:
                    redrill.append(item_id)
            for item_id in redrill:
                self.answer(day, self.deck.item(item_id), "redrill", 0.9, None)
        if self.reviews and self.rng.random() < 0.1:
            victim = self.rng.choice(self.reviews)
            victim["undone_at"] = victim["reviewed_at"]

    def export(self, name: str | None) -> dict[str, Any]:
        """The history as `quiztui progress export` writes it."""
        data: dict[str, Any] = {
            "format": "quiztui-progress",
            "format_version": 1,
            "exported_at": _stamp(TERM_START + timedelta(days=120), 0),
            "quiztui_version": "0.1.0",
        }
        if name is not None:
            data["learner"] = name
        data.update(reviews=self.reviews, attempts=self.attempts, steps=self.steps)
        return data


def learner_export(
    deck: Deck, traits: dict[str, _ItemTraits], seed: int, index: int
) -> dict[str, Any]:
    """The export of learner `index` of the class made from `seed`."""
    rng = random.Random(f"{seed}:{index}")
    learner = _Learner(deck, traits, rng)
    learner.study(TERM_START + timedelta(days=rng.randrange(3)), TERM_DAYS)
    return learner.export(f"learner-{index:05d}")


def write_class(deck: Deck, count: int, folder: Path, *, seed: int = 1) -> list[Path]:
    """Write `count` learners' exports into `folder` (as learner-NNNNN.json); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    traits = item_traits(deck, seed)
    paths: list[Path] = []
    for index in range(1, count + 1):
        path = folder / f"learner-{index:05d}.json"
        with path.open("w", encoding="utf-8") as stream:
            json.dump(learner_export(deck, traits, seed, index), stream, indent=1)
        paths.append(path)
    return paths
