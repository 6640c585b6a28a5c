"""The deck model's own promises: parts are immutable values, whether built or in outline."""

from __future__ import annotations

import copy
import pickle

import pytest
from deckfactory import key_point, make_deck, question

from quiztui.deck.model import Part


def test_a_part_cannot_be_changed() -> None:
    part = make_deck().parts[0]
    with pytest.raises(AttributeError):
        part.title = "Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del part.id


def test_replace_gives_a_new_part_and_rejects_unknown_fields() -> None:
    part = make_deck().parts[0]
    shorter = part.replace(questions=part.questions[:1], title="Short")
    assert (shorter.title, shorter.question_ids, shorter.key_point_ids) == (
        "Short",
        part.question_ids[:1],
        part.key_point_ids,
    )
    assert part.title == "Part 1"
    with pytest.raises(TypeError):
        part.replace(colour="blue")


def test_equal_parts_hash_alike_and_lines_do_not_count() -> None:
    a = Part("p", "P", (key_point("k"),), (question("q"),), line=3)
    b = Part("p", "P", (key_point("k"),), (question("q"),), line=9)
    assert a == b and hash(a) == hash(b)
    assert a != Part("p", "P", (key_point("k"),), ())
    assert "questions=1" in repr(a)


def test_ids_answer_keys_and_checks_come_from_the_items() -> None:
    asked_after = question("q2", checks=("post",))
    part = Part("p", "P", (key_point("k"),), (question("q1"), asked_after))
    assert part.item_ids == ("k", "q1", "q2")
    assert part.check_question_ids("pre") == ("q1",)
    assert part.check_question_ids("post") == ("q1", "q2")
    assert part.answer_keys == (part.questions[0].answer_key, asked_after.answer_key)
    assert part.has_item("k") and not part.has_item("nope")
    assert part.item("q2") is asked_after
    with pytest.raises(KeyError):
        part.item("nope")


def test_a_part_copies_and_pickles_as_an_equal_part() -> None:
    deck = make_deck()
    part = deck.parts[0]
    for again in (copy.copy(part), copy.deepcopy(part), pickle.loads(pickle.dumps(part))):
        assert again == part and again.line == part.line
        assert again.item_ids == part.item_ids
    assert pickle.loads(pickle.dumps(deck)) == deck
