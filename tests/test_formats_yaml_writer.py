"""The YAML writer: whatever the text, quiztui reads back exactly the deck that was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_strategies import decks
from hypothesis import given, settings
from hypothesis import strategies as st

from quiztui.deck.loader import load_deck, load_deck_text
from quiztui.deck.model import Deck
from quiztui.formats.yaml_writer import MODELINE, deck_to_yaml, scalar
from quiztui.locations import bundled_decks_dir


@settings(max_examples=100, deadline=None)
@given(decks())
def test_any_deck_reads_back_equal(deck: Deck) -> None:
    text = deck_to_yaml(deck, comments={deck.parts[0].key_points[0].id: ["a\nnote"]})
    assert text.startswith(MODELINE + "\n")
    assert load_deck_text(text, Path("d.yaml"), use_libyaml=False) == deck
    assert load_deck_text(text, Path("d.yaml")) == deck


@pytest.mark.parametrize("path", sorted(bundled_decks_dir().glob("*.yaml")))
def test_bundled_deck_reads_back_equal(path: Path) -> None:
    deck = load_deck(path)
    assert load_deck_text(deck_to_yaml(deck), Path("d.yaml")) == deck


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_any_text_reads_back(text: str) -> None:
    deck_text = f"id: d\ntitle: t\nversion: '1'\nparts:\n  - id: p\n    title: {scalar(text, 6)}\n"
    deck_text += "    key_points:\n      - {id: k, front: f, back: b}\n"
    assert load_deck_text(deck_text, Path("d.yaml")).parts[0].title == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Plain words, and (brackets).", "Plain words, and (brackets)."),
        ("null", '"null"'),
        ("*emphasis*", '"*emphasis*"'),
        ("Why: because", '"Why: because"'),
        ("two\nlines", "|-\n  two\n  lines"),
    ],
)
def test_spelling(text: str, written: str) -> None:
    assert scalar(text, 2) == written
