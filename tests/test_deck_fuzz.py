"""Mutated decks never raise anything but DeckError, and both YAML parsers agree on them.

Starting from a valid deck, hypothesis drops keys, changes types, duplicates items (and so ids),
and inserts garbage text and bytes; the loader must answer with a Deck or a DeckError, nothing else.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import yaml
from deck_texts import VALID_DECK_PATH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.deck.export import deck_to_data
from quiztui.deck.loader import DeckError, load_deck, load_deck_bytes, load_deck_text
from quiztui.deck.model import Deck

VALID_DATA = deck_to_data(load_deck(VALID_DECK_PATH))
VALID_TEXT = VALID_DECK_PATH.read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_garbage_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=10),
    st.sampled_from(["No", "yes", "012", "12:30", "", "  ", "pre", "~", "null"]),
    st.lists(st.integers() | st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a dict or list inside `data`."""
    found = [path]
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, dict | list):
            found += _containers(value, (*path, key))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    """The valid deck's data after one to four random mutations."""
    data = copy.deepcopy(VALID_DATA)
    for _ in range(draw(st.integers(1, 4))):
        target = _at(data, draw(st.sampled_from(_containers(data))))
        if not target:
            continue
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["drop", "retype", "duplicate", "rename"]))
        if action == "drop":
            del target[key]
        elif action == "retype":
            target[key] = draw(_garbage_values)
        elif action == "duplicate" and isinstance(target, list):
            target.insert(key, copy.deepcopy(target[key]))
        elif action == "rename" and isinstance(target, dict):
            target[key + draw(st.sampled_from(["s", "_", "X"]))] = target.pop(key)
    return data


def _outcome(text: str, use_libyaml: bool) -> Deck | tuple[Any, ...]:
    try:
        return load_deck_text(text, Path("fuzz.yaml"), use_libyaml=use_libyaml)
    except DeckError as error:
        return error.problems


@FUZZ
@given(mutated_data(), st.sampled_from(["yaml", "json"]))
def test_mutated_structure_gives_deck_or_deck_error(data: Any, dump: str) -> None:
    """Dropped keys, wrong types, duplicate ids: at worst a DeckError, both parsers agree."""
    text = yaml.safe_dump(data, sort_keys=False) if dump == "yaml" else json.dumps(data)
    with_libyaml = _outcome(text, True)
    assert with_libyaml == _outcome(text, False)
    if isinstance(with_libyaml, tuple):
        assert with_libyaml, "a DeckError always lists at least one problem"
        assert all(problem.line >= 1 and problem.column >= 1 for problem in with_libyaml)


@FUZZ
@given(
    st.integers(0, len(VALID_TEXT)),
    st.integers(0, 40),
    st.text(alphabet=st.sampled_from([*":-[]{}&*!#|>'\"\t\n ?,%@`\\", "a", "0"]), max_size=12)
    | st.text(max_size=12),
)
def test_garbage_text_gives_deck_or_deck_error(position: int, cut: int, garbage: str) -> None:
    """Garbage cut into the YAML text never escapes as anything but DeckError."""
    text = VALID_TEXT[:position] + garbage + VALID_TEXT[position + cut :]
    for use_libyaml in (True, False):
        with contextlib.suppress(DeckError):
            load_deck_text(text, Path("fuzz.yaml"), use_libyaml=use_libyaml)


@FUZZ
@given(st.integers(0, len(VALID_TEXT)), st.binary(max_size=12))
def test_garbage_bytes_give_deck_or_deck_error(position: int, garbage: bytes) -> None:
    """Random bytes (NUL, invalid UTF-8, a BOM) are refused cleanly."""
    data = VALID_TEXT.encode("utf-8")
    with contextlib.suppress(DeckError):
        load_deck_bytes(data[:position] + garbage + data[position:], Path("fuzz.yaml"))
