"""The Aiken format (Moodle's simplest): a question line, lettered choices, then `ANSWER: X`.

As Moodle documents it: the question is on one line; each choice starts with a single capital
letter followed by `.` or `)` and a space; the line right after the choices is `ANSWER: ` and the
letter of the one right choice. We also accept a question written over several lines before its
choices. Every question that breaks these rules is reported with its line and skipped: a choice
before any question, a question without choices or without its ANSWER line, a lowercase `answer:`,
an answer letter that names no choice, fewer than two choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quiztui.deck.model import Choice, Question
from quiztui.formats.common import DeckDraft, read_text

_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")
_ANSWER_ANY_CASE = re.compile(r"^\s*answer\s*:", re.IGNORECASE)


@dataclass(slots=True)
class _Pending:
    line: int
    prompt: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    """(letter, text) in the order written."""


def read_aiken(path: Path, draft: DeckDraft) -> None:
    """Add every well-formed Aiken question of a file to the draft; report each malformed one."""
    part_title = path.stem
    pending: _Pending | None = None

    def abandon(reason: str) -> None:
        nonlocal pending
        if pending is not None:
            draft.note(path, pending.line, f"{reason}; question skipped")
        pending = None

    for number, raw in enumerate(read_text(path).split("\n"), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            continue
        answer = _ANSWER.match(stripped)
        choice = _CHOICE.match(stripped)
        if answer:
            if pending is None or not pending.choices:
                draft.note(path, number, "an ANSWER line with no question and choices before it")
                pending = None
                continue
            letters = [letter for letter, _ in pending.choices]
            wanted = answer.group(1)
            if wanted not in letters:
                abandon(f"ANSWER: {wanted} (line {number}) names no choice")
            elif len(pending.choices) < 2:
                abandon("a question needs at least two choices")
            elif len(set(letters)) != len(letters):
                abandon("two choices have the same letter")
            else:
                _add(draft, path, part_title, pending, wanted)
                pending = None
        elif _ANSWER_ANY_CASE.match(stripped):
            if pending is not None:
                abandon(f"line {number} must read 'ANSWER: X' (capitals, one letter)")
            else:
                draft.note(path, number, "'ANSWER:' must be in capitals, with one letter")
        elif choice and pending is not None and pending.prompt:
            pending.choices.append((choice.group(1), choice.group(2)))
        elif choice:
            draft.note(path, number, "a choice with no question before it; skipped")
        else:
            if pending is not None and pending.choices:
                abandon("the choices are not followed by an ANSWER line")
            if pending is None:
                pending = _Pending(number)
            pending.prompt.append(stripped)
    if pending is not None:
        abandon("the file ends before this question's ANSWER line")


def _add(draft: DeckDraft, path: Path, part_title: str, pending: _Pending, answer: str) -> None:
    prompt = "\n".join(pending.prompt)
    question_id = draft.new_id("", "q", prompt)
    choices = tuple(
        Choice(letter.lower(), text, letter == answer) for letter, text in pending.choices
    )
    question = Question(id=question_id, prompt=prompt, choices=choices, line=pending.line)
    draft.add_question(part_title, question)
