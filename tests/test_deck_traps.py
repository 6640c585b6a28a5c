"""The validator catches the YAML traps the docs warn about; the schema takes what quiztui does."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_texts import edited
from test_deck_schema import SCHEMA, editor_view, schema_errors

from quiztui.deck.loader import DeckError, Problem, load_deck_text


def _problems(text: str, use_libyaml: bool) -> list[Problem]:
    warnings: list[Problem] = []
    try:
        load_deck_text(text, Path("d.yaml"), use_libyaml=use_libyaml, warnings=warnings)
    except DeckError as error:
        return [*error.problems, *warnings]
    return warnings


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize(
    "value", ["*Only* this one", "**Bold** start", "*emphasis*", "*unclosed star"]
)
def test_text_starting_with_a_star_gets_a_quote_hint(value: str, libyaml: bool) -> None:
    (problem,) = _problems(edited("text: Right", f"text: {value}"), libyaml)
    assert (problem.line, problem.column) == (17, 19)
    assert "read as a YAML alias" in problem.message
    assert problem.hint == f'put the whole text in double quotes: text: "{value}"'


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_value_cut_by_space_hash_is_a_warning(libyaml: bool) -> None:
    (warning,) = _problems(edited("prompt: Prompt", "prompt: What is C # for?"), libyaml)
    assert warning.severity == "warning" and warning.line == 13
    assert "stops before ' #'" in warning.message


@pytest.mark.parametrize("libyaml", [True, False])
def test_two_spaces_before_a_hash_is_a_comment(libyaml: bool) -> None:
    assert _problems(edited("prompt: Prompt", "prompt: Prompt  # a comment"), libyaml) == []


def test_two_choices_with_the_same_text_are_a_warning() -> None:
    text = edited("            text: Wrong", "            text: '  right'")
    (warning,) = _problems(text, True)
    assert warning.severity == "warning" and warning.line == 19
    assert "same text" in warning.message


@pytest.mark.parametrize("spelling", ["1.5", "15", "true", "1e5", "0x1f"])
def test_schema_accepts_ids_the_loader_accepts(spelling: str) -> None:
    text = edited("      - id: q1", f"      - id: {spelling}")
    deck = load_deck_text(text, Path("d.yaml"))
    assert deck.parts[0].questions[0].id == spelling
    assert schema_errors(editor_view(text), SCHEMA) == []
