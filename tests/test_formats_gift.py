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
        writable = [t for t in original.tags if "]" not in t and "\n" not in t and t.strip() == t]
        assert again.tags == tuple(writable)


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
