"""Aiken: Moodle's documented examples import; every malformed question is reported by line."""

from __future__ import annotations

from formats_helpers import FORMATS_DIR, imported, note_lines, questions_by_id

from quiztui.formats.aiken import read_aiken

QUESTIONS = FORMATS_DIR / "aiken-questions.txt"


def test_good_questions_import_with_their_answers() -> None:
    deck, _, _ = imported(read_aiken, QUESTIONS)
    questions = list(questions_by_id(deck).values())
    assert [q.prompt for q in questions] == [
        "What is the correct answer to this question?",
        "Which protocol resolves host names?",
        "Which of these is a private address?",
    ]
    first = questions[0]
    assert [c.id for c in first.choices] == ["a", "b", "c", "d"]
    assert [c.correct for c in first.choices] == [False, False, False, True]
    assert questions[1].choices[1].text == "DNS" and questions[1].choices[1].correct


def test_every_malformed_question_is_reported_with_its_line() -> None:
    _, draft, _ = imported(read_aiken, QUESTIONS)
    lines = note_lines(draft)
    assert "not followed by an ANSWER line" in lines[14]
    assert "capitals" in lines[18]
    assert "names no choice" in lines[23]
    assert "at least two choices" in lines[28]
    assert "no question before it" in lines[32]
    assert "ANSWER line with no question" in lines[33]
    assert len(draft.notes) == 6


def test_questions_get_marked_placeholder_explanations() -> None:
    _, draft, text = imported(read_aiken, QUESTIONS)
    assert draft.unexplained == 3
    assert text.count("TODO") == 3
