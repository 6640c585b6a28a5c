"""Markdown: the answer key and the student sheet letter choices alike; the hint comes once."""

from __future__ import annotations

import dataclasses

from formats_helpers import FORMATS_DIR

from quiztui.deck.loader import load_deck
from quiztui.deck.model import Question
from quiztui.formats.markdown import ALL_THAT_APPLY, handout, hint

DECK = load_deck(FORMATS_DIR.parent / "valid-deck.yaml")


def test_student_sheet_has_no_answers_and_no_backs() -> None:
    sheet = handout(DECK, answers=False)
    assert "## Answer key" not in sheet
    assert "The text **No**, exactly as written." not in sheet  # a key point's back
    assert "- **What does `No` mean in a deck?** (section 1.10)" in sheet
    assert "It stays the text" not in sheet  # a choice's explanation
    assert "correct" not in sheet.lower()


def test_both_documents_letter_the_choices_the_same() -> None:
    sheet, key = handout(DECK, answers=False), handout(DECK, answers=True)
    questions = key.split("## Answer key")[0]
    for line in sheet.splitlines():
        if "- **A.**" in line or "- **B.**" in line or "- **C.**" in line:
            assert line in questions
    assert "3. **C**" in key


def test_hint_is_printed_once() -> None:
    multi = DECK.item("q-multi")
    assert isinstance(multi, Question)
    assert handout(DECK, answers=True).count(ALL_THAT_APPLY) == 1
    worded = dataclasses.replace(multi, prompt="Which stay text? *(choose all that apply)*")
    assert hint(worded) == ""
    single = DECK.item("q-single")
    assert isinstance(single, Question) and hint(single) == ""


def test_hint_follows_the_flag_not_the_count() -> None:
    multi = DECK.item("q-multi")
    assert isinstance(multi, Question)
    one_correct = dataclasses.replace(
        multi, choices=tuple(dataclasses.replace(c, correct=c.id == "a") for c in multi.choices)
    )
    assert hint(one_correct) == f" {ALL_THAT_APPLY}"
