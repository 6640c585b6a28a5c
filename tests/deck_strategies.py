"""Hypothesis strategies for decks: any text (quotes, control characters, YAML-looking words),
ids, single- and multiple-answer questions, with and without a source."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from quiztui.deck.model import Choice, Deck, KeyPoint, Part, Question, Source

_text = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}", fullmatch=True)
_optional = st.none() | _text


@st.composite
def questions(draw: st.DrawFn, item_id: str) -> Question:
    count = draw(st.integers(2, 5))
    choice_ids = string.ascii_lowercase[:count]
    correct = draw(st.sets(st.sampled_from(choice_ids), min_size=1))
    choices = tuple(
        Choice(choice_id, draw(_text), choice_id in correct, draw(_text))
        for choice_id in choice_ids
    )
    return Question(
        id=item_id,
        prompt=draw(_text),
        choices=choices,
        checks=draw(
            st.sampled_from([frozenset({"pre"}), frozenset({"post"}), frozenset({"pre", "post"})])
        ),
        explanation=draw(_optional),
        tags=tuple(draw(st.lists(_text, max_size=2))),
        section=draw(_optional),
        shuffle=draw(st.booleans()),
        multiple=len(correct) > 1 or draw(st.booleans()),
    )


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    item_ids = iter(draw(st.lists(_ids, min_size=4, max_size=4, unique=True)))
    parts = []
    for part_index in range(2):
        key_point = KeyPoint(
            next(item_ids), draw(_text), draw(_text), draw(_optional), draw(_optional)
        )
        question = draw(questions(next(item_ids)))
        parts.append(
            Part(f"p{part_index}", draw(_text), (key_point,), (question,), draw(_optional))
        )
    source = draw(st.none() | st.builds(Source, _text, _optional, _optional, _optional))
    return Deck(draw(_ids), draw(_text), draw(_text), tuple(parts), source, draw(_optional))


_lines = st.none() | st.integers(1, 10**6)


@st.composite
def any_shape_decks(draw: st.DrawFn) -> Deck:
    """Decks of any shape the model allows (not all of them valid): 0-3 parts of 0-2 key
    points and 0-2 questions, lines or none, for code that must keep every field."""
    counts = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=3))
    item_ids = iter(draw(st.lists(_ids, min_size=2 * sum(a + b for a, b in counts), unique=True)))
    parts = []
    for part_index, (key_points, question_count) in enumerate(counts):
        parts.append(
            Part(
                f"p{part_index}",
                draw(_text),
                tuple(
                    KeyPoint(
                        next(item_ids),
                        draw(_text),
                        draw(_text),
                        draw(_optional),
                        draw(_optional),
                        tuple(draw(st.lists(_text, max_size=2))),
                        draw(_lines),
                    )
                    for _ in range(key_points)
                ),
                tuple(draw(questions(next(item_ids))) for _ in range(question_count)),
                draw(_optional),
                draw(_lines),
            )
        )
    source = draw(st.none() | st.builds(Source, _text, _optional, _optional, _optional))
    return Deck(draw(_ids), draw(_text), draw(_text), tuple(parts), source, draw(_optional))
