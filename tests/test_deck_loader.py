"""Loading valid decks: the model is complete, text stays as written, both YAML parsers agree."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

import pytest
from deck_texts import BASE, VALID_DECK_PATH, edited

from quiztui.deck.loader import DeckError, load_deck, load_deck_text, validate_file
from quiztui.deck.model import Deck


@pytest.fixture
def deck() -> Deck:
    """The valid test deck."""
    return load_deck(VALID_DECK_PATH)


def test_valid_deck_loads_completely(deck: Deck) -> None:
    """Every part, key point, question and choice arrives, in the written order."""
    assert deck.id == "test-deck"
    assert deck.title == "Testing Decks: A Small Chapter"
    assert deck.path == VALID_DECK_PATH
    assert deck.source is not None and deck.source.license == "CC-BY-4.0"
    assert deck.description is not None and deck.description.startswith(
        "A deck used by the **tests**."
    )
    assert [part.id for part in deck.parts] == ["basics", "advanced"]
    assert [item.id for item in deck.items()] == [
        "kp-yaml-12",
        "kp-time",
        "q-single",
        "q-multi",
        "q-fixed-order",
    ]
    multi = deck.item("q-multi")
    assert multi.kind == "question"
    assert multi.correct_choice_ids == {"a", "b"}  # type: ignore[union-attr]
    assert multi.is_multiple_answer  # type: ignore[union-attr]


def test_yaml_12_text_stays_as_written(deck: Deck) -> None:
    """`No`, `12:30`, `012`, `1.10` are the text the instructor wrote, not False, 750, 10, 1.1."""
    assert deck.version == "1.10"
    key_point = deck.parts[0].key_points[0]
    assert key_point.section == "1.10"
    assert deck.parts[0].key_points[1].back == "12:30"
    single = deck.parts[0].questions[0]
    assert single.choice("a").text == "No"
    assert [choice.text for choice in deck.parts[0].questions[1].choices] == [
        "012",
        "12:30",
        "nothing else",
    ]


def test_defaults_apply(deck: Deck) -> None:
    """Unwritten checks, shuffle and correct take their documented defaults."""
    kp = deck.parts[0].key_points[1]
    assert (kp.explanation, kp.section, kp.tags) == (None, None, ())
    single = deck.parts[0].questions[0]
    assert single.checks == {"pre", "post"}
    assert single.shuffle is True
    assert single.choice("b").correct is False
    fixed = deck.parts[1].questions[0]
    assert fixed.shuffle is False
    assert fixed.checks == {"pre"}
    assert deck.parts[1].key_points == ()


def test_items_remember_their_lines(deck: Deck) -> None:
    """Lines are kept for messages (the question mapping starts after `- `)."""
    text = VALID_DECK_PATH.read_text(encoding="utf-8").splitlines()
    question = deck.parts[0].questions[0]
    assert question.line is not None
    assert text[question.line - 1].strip() == "- id: q-single"
    assert deck.parts[1].line is not None
    assert text[deck.parts[1].line - 1].strip() == "- id: advanced"


@pytest.mark.parametrize(
    "text",
    [
        BASE,
        BASE.replace("\n", "\r\n"),
        "\ufeff" + BASE,
        '{"id": "demo", "title": "Demo", "version": "1", "parts": [{"id": "p1", "title": "P",'
        ' "key_points": [{"id": "k", "front": "f", "back": "b"}]}]}',
        edited("title: Demo", "title: !!str Demo"),
    ],
    ids=["plain", "crlf", "bom", "json", "explicit-str-tag"],
)
def test_variants_load(text: str) -> None:
    """Windows line ends, a byte-order mark, JSON and a harmless !!str tag all load."""
    deck = load_deck_text(text, Path("d.yaml"))
    assert deck.id == "demo"


@pytest.mark.parametrize(
    "text",
    [
        BASE,
        VALID_DECK_PATH.read_text(encoding="utf-8"),
        edited("correct: true", "correct: yes").replace("promt", "prompt"),
        edited("prompt: Prompt", "prompt: *x"),
        edited("        prompt: Prompt\n", "        prompt: Prompt\n        prompt: Two\n"),
    ],
    ids=["base", "valid-deck", "bad-bool", "alias", "duplicate-key"],
)
def test_libyaml_and_pure_parser_agree(text: str) -> None:
    """libyaml and the pure-Python parser give the same deck, or the same problems."""
    outcomes = []
    for use_libyaml in (True, False):
        try:
            outcomes.append(load_deck_text(text, Path("d.yaml"), use_libyaml=use_libyaml))
        except DeckError as error:
            outcomes.append(error.problems)
    assert outcomes[0] == outcomes[1]


def test_a_deck_with_any_error_is_not_loaded() -> None:
    """One bad choice anywhere means no Deck at all, never a deck without that question."""
    with pytest.raises(DeckError) as caught:
        load_deck_text(edited("text: Wrong", "text: ''"), Path("d.yaml"))
    assert len(caught.value.problems) == 1


def test_validate_file_lists_problems(tmp_path: Path) -> None:
    """validate_file: [] for a valid deck, every problem otherwise."""
    assert validate_file(VALID_DECK_PATH) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited("correct: true", "correct: no").replace("title: Demo", "titel: Demo"))
    problems = validate_file(bad)
    assert [(p.line, p.column) for p in problems] == [(1, 1), (2, 1), (18, 22)]
    assert all(p.path == bad for p in problems)


@pytest.mark.parametrize("text", [BASE, "id: [", "- x"])
def test_garbage_collector_is_restored(text: str) -> None:
    """The load switches the cyclic collector off for speed, and always back on."""
    assert gc.isenabled()
    with contextlib.suppress(DeckError):
        load_deck_text(text, Path("d.yaml"))
    assert gc.isenabled()


def test_json_file_loads(tmp_path: Path) -> None:
    """A .json deck is read like YAML (JSON is YAML)."""
    path = tmp_path / "deck.json"
    path.write_text(
        '{"id": "j", "title": "J", "version": "2", "parts": [{"id": "p", "title": "P",'
        ' "key_points": [{"id": "k", "front": "No", "back": "012"}]}]}'
    )
    deck = load_deck(path)
    assert deck.parts[0].key_points[0].front == "No"
    assert deck.parts[0].key_points[0].back == "012"


def test_the_documented_example_is_a_valid_deck() -> None:
    """The complete example in docs/deck-format.md loads, so the docs cannot drift from the code."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "deck-format.md").read_text("utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    deck = load_deck_text(example, Path("example.yaml"))
    assert deck.id == "airflow-basics"
    multiple = deck.item("q-what-runs-pre")
    assert multiple.is_multiple_answer and not multiple.shuffle  # type: ignore[union-attr]
