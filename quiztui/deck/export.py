"""Exporting a deck: normalized data and JSON for tools and scripts (Markdown: quiztui.formats).

The data form uses the deck format's own keys with every default written out (checks, shuffle,
correct, tags, empty lists), so a script never has to know the defaults, and the JSON loads back
into an equal Deck. Optional texts that are absent are left out rather than written as null,
because a deck file may not hold an empty text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from quiztui.deck.model import CHECK_NAMES, Choice, Deck, KeyPoint, Part, Question
from quiztui.deck.validate import FORMAT_VERSION


def _put(data: dict[str, Any], key: str, value: str | None) -> None:
    if value is not None:
        data[key] = value


def _choice_data(choice: Choice) -> dict[str, Any]:
    data: dict[str, Any] = {"id": choice.id, "text": choice.text, "correct": choice.correct}
    _put(data, "explanation", choice.explanation)
    return data


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "renamed_from": list(question.renamed_from),
        "prompt": question.prompt,
        "checks": [name for name in CHECK_NAMES if name in question.checks],
        "shuffle": question.shuffle,
        "multiple": question.multiple,
    }
    _put(data, "section", question.section)
    data["tags"] = list(question.tags)
    _put(data, "explanation", question.explanation)
    data["choices"] = [_choice_data(choice) for choice in question.choices]
    return data


def _key_point_data(key_point: KeyPoint) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": key_point.id,
        "renamed_from": list(key_point.renamed_from),
        "front": key_point.front,
        "back": key_point.back,
    }
    _put(data, "explanation", key_point.explanation)
    _put(data, "section", key_point.section)
    data["tags"] = list(key_point.tags)
    return data


def _part_data(part: Part) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": part.id,
        "renamed_from": list(part.renamed_from),
        "title": part.title,
    }
    _put(data, "description", part.description)
    data["key_points"] = [_key_point_data(key_point) for key_point in part.key_points]
    data["questions"] = [_question_data(question) for question in part.questions]
    return data


def deck_to_data(deck: Deck) -> dict[str, Any]:
    """The deck as plain dicts and lists in the deck format's keys, every default explicit."""
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "id": deck.id,
        "renamed_from": list(deck.renamed_from),
        "title": deck.title,
        "version": deck.version,
    }
    _put(data, "description", deck.description)
    if deck.source is not None:
        source: dict[str, Any] = {"title": deck.source.title}
        _put(source, "author", deck.source.author)
        _put(source, "url", deck.source.url)
        _put(source, "license", deck.source.license)
        data["source"] = source
    data["parts"] = [_part_data(part) for part in deck.parts]
    return data


_ESCAPE_IN_JSON = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Characters a YAML reader refuses raw or reads as a line break (U+0085, U+2028, U+2029)."""


def deck_to_json(deck: Deck) -> str:
    """The normalized deck as indented JSON, ending in a newline.

    Text stays readable (no ASCII escapes), except the few characters that YAML, which reads the
    JSON back, forbids raw or takes for line breaks: those are written as \\u escapes.
    """
    text = json.dumps(deck_to_data(deck), indent=2, ensure_ascii=False)
    return _ESCAPE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def deck_to_markdown(deck: Deck) -> str:
    """The printable handout with its answer key (see `quiztui.formats.markdown`)."""
    from quiztui.formats.markdown import handout

    return handout(deck, answers=True)
