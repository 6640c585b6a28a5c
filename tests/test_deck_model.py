"""The deck model's own promises: immutable values, indexed by id, that copy and pickle."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from deckfactory import key_point, make_deck, question

from quiztui.deck.model import Part


def test_a_part_cannot_be_changed() -> None:
    part = make_deck().parts[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.title = "Other"  # type: ignore[misc]


def test_equal_parts_hash_alike_and_lines_do_not_count() -> None:
    a = Part("p", "P", (key_point("k"),), (question("q"),), line=3)
    b = Part("p", "P", (key_point("k"),), (question("q"),), line=9)
    assert a == b and hash(a) == hash(b)
    assert a != Part("p", "P", (key_point("k"),), ())


def test_ids_and_checks_come_from_the_items() -> None:
    asked_after = question("q2", checks=("post",))
    part = Part("p", "P", (key_point("k"),), (question("q1"), asked_after))
    assert part.item_ids == ("k", "q1", "q2")
    assert part.check_question_ids("pre") == ("q1",)
    assert part.check_question_ids("post") == ("q1", "q2")
    assert part.check_questions("post")[1] is asked_after


def test_a_deck_finds_items_parts_and_positions_by_id() -> None:
    deck = make_deck(parts=2, key_points=1, questions=2)
    assert [item.id for item in deck.items()] == [
        "p1-k1",
        "p1-q1",
        "p1-q2",
        "p2-k1",
        "p2-q1",
        "p2-q2",
    ]
    assert deck.item("p2-q1").id == "p2-q1"
    assert deck.part_of("p2-q1").id == "p2"
    assert deck.position("p2-k1") == 3
    assert deck.has_item("p1-k1") and not deck.has_item("nope")
    assert deck.item_count == 6
    with pytest.raises(KeyError):
        deck.item("nope")


def test_a_deck_copies_and_pickles_as_an_equal_deck() -> None:
    deck = make_deck()
    for again in (copy.copy(deck), copy.deepcopy(deck), pickle.loads(pickle.dumps(deck))):
        assert again == deck
        assert again.item("p2-q1") == deck.item("p2-q1")
        assert [part.line for part in again.parts] == [part.line for part in deck.parts]
        assert again.path == deck.path and again.position("p2-q1") == deck.position("p2-q1")
        assert [item.line for item in again.items()] == [item.line for item in deck.items()]


def test_a_replaced_deck_is_indexed_afresh() -> None:
    deck = make_deck(parts=2)
    shorter = dataclasses.replace(deck, parts=deck.parts[:1])
    assert not shorter.has_item("p2-q1") and deck.has_item("p2-q1")
