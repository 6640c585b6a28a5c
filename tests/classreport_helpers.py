"""Small classes for the class report's tests: a two-part deck, and exports written as JSON.

`Learner` writes what `quiztui progress export` writes (format version 1), entry by entry, so a
test states each answer and can compute the figures it expects by hand.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck, answer_key_of

DECK_YAML = """\
format: 1
id: demo
title: "Demo deck"
version: "1.0"
parts:
  - id: p1
    title: "Part one"
    key_points:
      - id: k1
        front: "Front of k1"
        back: "Back of k1"
    questions:
      - id: q1
        renamed_from: [q1-old]
        prompt: "Everyone knows this one?"
        explanation: "Because."
        choices:
          - {id: a, text: "right", correct: true}
          - {id: b, text: "wrong b"}
          - {id: c, text: "wrong c"}
          - {id: d, text: "wrong d"}
      - id: q2
        prompt: "The strong miss this one?"
        explanation: "Because."
        choices:
          - {id: a, text: "right", correct: true}
          - {id: b, text: "wrong b"}
          - {id: c, text: "wrong c"}
          - {id: d, text: "wrong d"}
      - id: q3
        prompt: "A lure most pick?"
        explanation: "Because."
        choices:
          - {id: a, text: "right", correct: true}
          - {id: b, text: "the lure"}
          - {id: c, text: "wrong c"}
          - {id: d, text: "wrong d"}
  - id: p2
    title: "Part two"
    questions:
      - id: q4
        prompt: "Asked after reading only"
        checks: [post]
        explanation: "Because."
        choices:
          - {id: a, text: "right", correct: true}
          - {id: b, text: "wrong"}
      - id: q5
        prompt: "Asked in reviews only"
        checks: []
        explanation: "Because."
        choices:
          - {id: a, text: "right", correct: true}
          - {id: b, text: "wrong"}
"""

D0 = datetime(2024, 3, 1, tzinfo=UTC)
"""The day the class takes part one's checks (pre at 9:00, post at 10:00, UTC)."""

KEY_A = answer_key_of(frozenset({"a"}))
"""The answer key of every demo question (choice a is right)."""


def write_deck(folder: Path) -> Path:
    """The demo deck's file in `folder`."""
    path = folder / "demo.yaml"
    path.write_text(DECK_YAML, encoding="utf-8")
    return path


def demo_deck(folder: Path) -> Deck:
    """The demo deck, loaded from its file (no cache)."""
    return load_deck(write_deck(folder), use_cache=False)


def _text(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass
class Learner:
    """One learner's export, built answer by answer."""

    name: str | None
    deck_id: str = "demo"
    reviews: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def review(
        self,
        item_id: str,
        mode: str,
        grade: int,
        at: datetime,
        *,
        picked: list[str] | None = None,
        attempt: str | None = None,
        undone: bool = False,
        kind: str | None = None,
        answer_key: str | None = None,
    ) -> dict[str, Any]:
        """Log one answer (a question when `picked` is given, else a key point)."""
        is_question = picked is not None
        entry = {
            "uid": uuid.uuid4().hex,
            "deck_id": self.deck_id,
            "item_id": item_id,
            "kind": kind or ("question" if is_question else "key_point"),
            "mode": mode,
            "grade": grade,
            "answered_grade": grade,
            "picked": sorted(picked or []),
            "correct": (picked == ["a"]) if is_question else None,
            "seconds": 5.0,
            "reviewed_at": _text(at),
            "learning_day": at.date().isoformat(),
            "answer_key": answer_key if answer_key is not None else (KEY_A if is_question else ""),
            "attempt_uid": attempt,
            "amended_at": None,
            "undone_at": _text(at + timedelta(seconds=1)) if undone else None,
        }
        self.reviews.append(entry)
        return entry

    def check(
        self,
        check: str,
        at: datetime,
        picks: dict[str, str],
        *,
        part_id: str = "p1",
        finished: bool = True,
    ) -> str:
        """One attempt of a check: question id -> the choice picked; returns the attempt's uid."""
        uid = uuid.uuid4().hex
        for n, (question_id, choice) in enumerate(picks.items()):
            self.review(
                question_id,
                check,
                4 if choice == "a" else 1,
                at + timedelta(seconds=10 * (n + 1)),
                picked=[choice],
                attempt=uid,
            )
        self.attempts.append(
            {
                "uid": uid,
                "deck_id": self.deck_id,
                "part_id": part_id,
                "check": check,
                "question_ids": list(picks),
                "choice_orders": {q: ["a", "b", "c", "d"] for q in picks},
                "started_at": _text(at),
                "finished_at": _text(at + timedelta(minutes=5)) if finished else None,
                "abandoned_at": None,
            }
        )
        return uid

    def export(self) -> dict[str, Any]:
        """The file's content."""
        data: dict[str, Any] = {
            "format": "quiztui-progress",
            "format_version": 1,
            "exported_at": _text(D0 + timedelta(days=60)),
            "quiztui_version": "0.1.0",
        }
        if self.name is not None:
            data["learner"] = self.name
        data.update(reviews=self.reviews, attempts=self.attempts, steps=[])
        data.update(self.extra)
        return data

    def write(self, path: Path) -> Path:
        """Write the export to `path`."""
        path.write_text(json.dumps(self.export(), indent=1), encoding="utf-8")
        return path


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson's r, by the textbook formula."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    return cov / math.sqrt(vx * vy)
