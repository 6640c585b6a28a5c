"""GIFT: a bank written from Moodle's documentation imports as Moodle reads it; exports return."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_strategies import decks
from formats_helpers import FORMATS_DIR, imported, note_lines, questions_by_id
from hypothesis import given, settings

from quiztui.deck.loader import load_deck
from quiztui.deck.model import Deck, Question
from quiztui.formats.common import NO_EXPLANATION, DeckDraft
from quiztui.formats.gift import deck_to_gift, escape, read_gift
from quiztui.locations import bundled_decks_dir

BANK = FORMATS_DIR / "moodle-bank.gift"


@pytest.fixture(scope="module")
def bank() -> tuple[Deck, DeckDraft, str]:
    return imported(read_gift, BANK)


def test_categories_become_parts(bank: tuple[Deck, DeckDraft, str]) -> None:
    """`$CATEGORY:` paths lose their context, `top` and Moodle's "Default for" segment."""
    deck, _, _ = bank
    assert [part.title for part in deck.parts] == ["Addressing", "Transport"]


def test_every_kind_quiztui_lacks_is_reported_with_its_line(
    bank: tuple[Deck, DeckDraft, str],
) -> None:
    lines = note_lines(bank[1])
    assert "short-answer" in lines[50]
    assert "numerical" in lines[52]
    assert "matching" in lines[54]
    assert "essay" in lines[60]
    assert "description" in lines[62]
    assert "partial credit not carried" in lines[30] and "50%" in lines[30]
    assert len(lines) == 6


def test_single_answer_with_feedback_tags_and_id(bank: tuple[Deck, DeckDraft, str]) -> None:
    deck, _, text = bank
    question = questions_by_id(deck)["ipv4-bits"]
    assert question.prompt == "How many bits does an IPv4 address have?"
    assert question.tags == ("ipv4", "basics")
    assert not question.multiple
    assert [(c.text, c.correct) for c in question.choices] == [
        ("32", True),
        ("64", False),
        ("128", False),
    ]
    assert question.choices[0].explanation == "Four bytes of eight bits each."
    assert question.explanation == "An IPv4 address is written as four decimal bytes."
    assert "# GIFT name: How many bits" in text


def test_weights_make_a_multiple_answer_question(bank: tuple[Deck, DeckDraft, str]) -> None:
    question = questions_by_id(bank[0])["private-ranges"]
    assert question.multiple
    assert [c.correct for c in question.choices] == [True, True, False]


def test_escapes_and_markdown(bank: tuple[Deck, DeckDraft, str]) -> None:
    question = questions_by_id(bank[0])["escapes"]
    assert question.prompt == (
        "In the URL `http://host:8080/a=b#frag`, what is the port?\n"
        "(the part after the **second** : )"
    )
    assert question.choices[2].text == "a=b"
    assert question.explanation == "The port follows the host, after :."


def test_true_false_feedback_goes_to_the_choice_it_answers(
    bank: tuple[Deck, DeckDraft, str],
) -> None:
    question = questions_by_id(bank[0])["loopback"]
    true, false = question.choices
    assert (true.text, true.correct, false.text, false.correct) == ("True", False, "False", True)
    assert true.explanation == "Yes it is... no: think again."
    assert false.explanation == "Right: it never leaves the host."
    assert not question.shuffle


def test_html_plain_missing_word_and_zero_weight(bank: tuple[Deck, DeckDraft, str]) -> None:
    questions = questions_by_id(bank[0])
    assert questions["subnet-partial"].prompt == "Which mask gives a **/24** network?"
    assert [c.correct for c in questions["subnet-partial"].choices] == [True, False, False]
    assert questions["plain"].choices[0].text == "\\*"
    assert questions["missing-word"].prompt == "TCP is _____ while UDP is not."
    assert [c.correct for c in questions["dns-port"].choices] == [True, False]


def test_questions_without_feedback_get_a_marked_placeholder(
    bank: tuple[Deck, DeckDraft, str],
) -> None:
    deck, draft, text = bank
    assert questions_by_id(deck)["dns-port"].explanation == NO_EXPLANATION
    assert draft.unexplained == 5
    assert text.count("# TODO:") == 5


def test_id_comment_inside_the_block_names_the_question(
    bank: tuple[Deck, DeckDraft, str],
) -> None:
    assert "tcp-handshake" in questions_by_id(bank[0])


def test_unclosed_answers_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.gift"
    path.write_text("Who? {=me ~you\n\n::ok:: Fine? {=yes ~no}\n", encoding="utf-8")
    deck, draft, _ = imported(read_gift, path)
    assert note_lines(draft) == {1: "the answers' { is never closed by }; skipped"}
    assert list(questions_by_id(deck)) == ["ok"]


def _gift(tmp_path: Path, text: str) -> tuple[Deck, DeckDraft, str]:
    path = tmp_path / "bank.gift"
    path.write_text(text, encoding="utf-8")
    return imported(read_gift, path)


def test_a_missing_blank_line_starts_a_new_question(tmp_path: Path) -> None:
    """Moodle would read one question; the second is kept, and the missing line reported."""
    deck, draft, _ = _gift(tmp_path, "What is 1+1? {=2 ~3}\nWhat is 2+2? {=4 ~5}\n")
    prompts = [q.prompt for q in questions_by_id(deck).values()]
    assert prompts == ["What is 1+1?", "What is 2+2?"]
    assert [q.line for part in draft.parts.values() for q in part.questions] == [1, 2]
    assert list(note_lines(draft)) == [2]
    assert "no blank line" in note_lines(draft)[2]


def test_the_next_question_takes_the_comments_and_lines_after_the_answers(
    tmp_path: Path,
) -> None:
    text = (
        "// [id:first]\n::First::Which? {\n=a\n~b\n}\n"
        "// [id:second] [tag:t]\n::Second::Which\nnumber? {=1 ~2}\n"
        "$CATEGORY: $course$/top/Later\n::Third::Why? {=c ~d}\n"
    )
    deck, draft, _ = _gift(tmp_path, text)
    questions = questions_by_id(deck)
    assert list(questions) == ["first", "second", "third"]
    assert questions["second"].prompt == "Which\n\nnumber?"
    assert questions["second"].tags == ("t",)
    assert [part.title for part in deck.parts] == ["bank", "Later"]
    assert sorted(note_lines(draft)) == [6, 9]


def test_text_after_the_answers_stays_with_its_question_when_the_next_has_a_title(
    tmp_path: Path,
) -> None:
    """A missing-word question whose text goes on below its answers, then a titled question
    with no blank line before it (its comment line above): the cut is at the comment and the
    title, so neither question loses a line or its name, and the note names where it starts."""
    text = "::Q2:: The {=cat ~dog} sat\non the mat.\n// [id:third]\n::Q3:: Third {=x ~y}\n"
    deck, draft, _ = _gift(tmp_path, text)
    questions = questions_by_id(deck)
    assert list(questions) == ["q2", "third"]
    assert questions["q2"].prompt.replace("\n\n", " ") == "The _____ sat on the mat."
    assert questions["third"].prompt == "Third"
    assert list(note_lines(draft)) == [3]


def test_a_missing_word_question_is_not_split(tmp_path: Path) -> None:
    text = "TCP is {=reliable ~lossy} while UDP is not.\nAnd? {=a ~b}\n"
    deck, draft, _ = _gift(tmp_path, text)
    prompts = [q.prompt for q in questions_by_id(deck).values()]
    assert prompts == ["TCP is _____ while UDP is not.", "And?"]
    assert list(note_lines(draft)) == [2]


def test_two_answer_blocks_on_one_line_are_reported(tmp_path: Path) -> None:
    deck, draft, _ = _gift(tmp_path, "One? {=a ~b} Two? {=c ~d}\n\nThree? {=e ~f}\n")
    assert [q.prompt for q in questions_by_id(deck).values()] == ["Three?"]
    assert "second {...}" in note_lines(draft)[1] and "skipped" in note_lines(draft)[1]


def test_checks_and_section_labels_are_read_and_others_ignored(tmp_path: Path) -> None:
    text = (
        "// [id:a] [checks:none] [section:2.4] [difficulty:hard]\nA? {=x ~y}\n\n"
        "// [id:b] [checks:pre]\nB? {=x ~y}\n\n"
        "// [id:c] [checks:sometimes]\nC? {=x ~y}\n"
    )
    deck, draft, _ = _gift(tmp_path, text)
    questions = questions_by_id(deck)
    assert (questions["a"].checks, questions["a"].section) == (frozenset(), "2.4")
    assert (questions["b"].checks, questions["b"].section) == (frozenset({"pre"}), None)
    assert questions["c"].checks == frozenset({"pre", "post"})
    assert list(note_lines(draft)) == [7]
    assert "unknown [checks:sometimes]" in note_lines(draft)[7]


def test_bundled_deck_keeps_checks_and_sections(tmp_path: Path) -> None:
    """Review-only questions (`checks: []`) stay review-only, and sections come back."""
    deck = load_deck(bundled_decks_dir() / "airflow-mwaa.yaml")
    text, _ = deck_to_gift(deck)
    back, _, _ = _gift(tmp_path, text)
    originals = [(q.id, q.checks, q.section) for part in deck.parts for q in part.questions]
    again = [(q.id, q.checks, q.section) for part in back.parts for q in part.questions]
    assert again == originals
    assert any(not checks for _, checks, _ in originals)


def _tag_ok(text: str) -> bool:
    """Whether a tag or section fits in GIFT's `// [tag:...]` comment line."""
    return "]" not in text and "\n" not in text and text.strip() == text


def _same(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _carried(question: Question) -> tuple[object, ...]:
    """What GIFT carries: prompt, multiple flag, explanation; choices' text, mark, feedback."""
    return (
        _same(question.prompt),
        question.multiple,
        _same(question.explanation),
        tuple((_same(c.text), c.correct, _same(c.explanation)) for c in question.choices),
    )


def _round_trip(deck: Deck, tmp_path: Path) -> None:
    text, _ = deck_to_gift(deck)
    path = tmp_path / "export.gift"
    path.write_text(text, encoding="utf-8")
    draft = DeckDraft()
    read_gift(path, draft)
    back = [q for part in draft.parts.values() for q in part.questions]
    originals = [q for part in deck.parts for q in part.questions]
    assert [q.id for q in back] == [q.id for q in originals]
    for original, again in zip(originals, back, strict=True):
        assert _carried(again) == _carried(original)
        writable = [t for t in original.tags if _tag_ok(t)]
        assert again.tags == tuple(writable)
        assert again.checks == original.checks
        section = _same(original.section)
        assert again.section == (section if section and _tag_ok(section) else None)


def test_bundled_deck_round_trips(tmp_path: Path) -> None:
    """Export to GIFT, import: the same questions, choices, marks and explanations."""
    for path in sorted(bundled_decks_dir().glob("*.yaml")):
        _round_trip(load_deck(path), tmp_path)


@settings(max_examples=40, deadline=None)
@given(decks())
def test_random_decks_round_trip(tmp_path_factory: pytest.TempPathFactory, deck: Deck) -> None:
    _round_trip(deck, tmp_path_factory.mktemp("gift"))


def test_escape_writes_one_line() -> None:
    assert escape("a: {b} = ~c #d \\ e\nf") == "a\\: \\{b\\} \\= \\~c \\#d \\\\ e\\nf"


def test_export_reports_key_points_left_out() -> None:
    deck = load_deck(FORMATS_DIR.parent / "valid-deck.yaml")
    text, notes = deck_to_gift(deck)
    assert notes == ["2 key points left out: GIFT has no flashcards"]
    assert text.count("$CATEGORY: $course$/top/") == 2
    assert "// [id:q-single] [tag:yaml]" in text
