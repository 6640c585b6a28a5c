"""Export: the JSON loads back to an equal deck; the Markdown handout has an answer key."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from deck_strategies import decks
from deck_texts import VALID_DECK_PATH
from hypothesis import given, settings

from quiztui.deck.export import deck_to_data, deck_to_json, deck_to_markdown
from quiztui.deck.loader import load_deck, load_deck_text
from quiztui.deck.model import Deck

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.deckgen import deck_yaml


def test_json_round_trip_gives_an_equal_deck() -> None:
    """Exported JSON, loaded again, is the same deck."""
    deck = load_deck(VALID_DECK_PATH)
    again = load_deck_text(deck_to_json(deck), Path("export.json"))
    assert again == deck


def test_generated_deck_round_trips() -> None:
    """A generated deck (multiple-answer and fixed-order questions) survives the round trip."""
    deck = load_deck_text(deck_yaml(300, parts=3, seed=7), Path("bench.yaml"))
    assert load_deck_text(deck_to_json(deck), Path("export.json")) == deck


def test_data_spells_out_every_default() -> None:
    """Scripts never need to know the defaults: checks, shuffle, correct, tags, lists."""
    data = deck_to_data(load_deck(VALID_DECK_PATH))
    assert data["format"] == 1
    assert data["version"] == "1.10"
    fixed = data["parts"][1]
    assert fixed["key_points"] == []
    question = fixed["questions"][0]
    assert question["checks"] == ["pre"]
    assert question["shuffle"] is False
    assert question["tags"] == []
    assert [c["correct"] for c in question["choices"]] == [False, False, True]
    single = data["parts"][0]["questions"][0]
    assert single["checks"] == ["pre", "post"]
    assert "explanation" not in data["parts"][0]["key_points"][1]
    json.loads(deck_to_json(load_deck(VALID_DECK_PATH)))


def test_markdown_has_questions_and_answer_key() -> None:
    """The handout letters the choices and ends with the answers and their explanations."""
    text = deck_to_markdown(load_deck(VALID_DECK_PATH))
    assert text.startswith("# Testing Decks: A Small Chapter\n")
    assert "## Part 1: Basics" in text and "## Part 2: Advanced" in text
    assert "- **What does `No` mean in a deck?** (section 1.10)" in text
    questions, key = text.split("## Answer key")
    assert "1. Is `No` a boolean in a deck?" in questions
    assert "   - **A.** No\n   - **B.** Yes, it is false" in questions
    assert "*(choose all that apply)*" in questions
    assert "1. **A** (section 1.2)" in key
    assert "2. **A, B**" in key
    assert "3. **C**" in key
    assert "- C (right): Both exist, so the fixed last choice is right." in key
    assert "- A (wrong): Asked before reading the part." in key


@settings(max_examples=60, deadline=None)
@given(decks())
def test_any_deck_round_trips_through_json(deck: Deck) -> None:
    """Whatever the text (quotes, control characters, YAML-looking words), JSON loads back equal."""
    assert load_deck_text(deck_to_json(deck), Path("export.json")) == deck
