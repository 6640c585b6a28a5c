"""Exporting a deck: normalized data and JSON for tools and scripts, Markdown for a printed handout.

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

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


def _indent(text: str, prefix: str) -> str:
    """Text with every line after the first indented, so Markdown stays inside its list item."""
    lines = text.strip().splitlines() or [""]
    return "\n".join([lines[0], *(prefix + line if line.strip() else "" for line in lines[1:])])


def _letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def deck_to_markdown(deck: Deck) -> str:
    """A printable handout: each part's key points and questions, then an answer key.

    Questions are numbered through the whole deck and choices lettered in their written order (a
    list, so Markdown renderers keep one choice per line), so the answer key ("3. B") matches.
    """
    out: list[str] = [f"# {deck.title}", ""]
    meta = [f"Deck `{deck.id}`, version {deck.version}."]
    if deck.source is not None:
        source = deck.source
        credit = f"Source: {source.title}"
        if source.author:
            credit += f", by {source.author}"
        if source.url:
            credit += f" <{source.url}>"
        if source.license:
            credit += f" ({source.license})"
        meta.append(credit + ".")
    out += [" ".join(meta), ""]
    if deck.description:
        out += [deck.description.strip(), ""]

    numbered: list[tuple[int, Question]] = []
    number = 0
    for part_index, part in enumerate(deck.parts, start=1):
        out += [f"## Part {part_index}: {part.title}", ""]
        if part.description:
            out += [part.description.strip(), ""]
        if part.key_points:
            out += ["### Key points", ""]
            for key_point in part.key_points:
                section = f" (section {key_point.section})" if key_point.section else ""
                out.append(f"- **{_indent(key_point.front, '  ')}**{section}")
                out += ["", f"  {_indent(key_point.back, '  ')}", ""]
                if key_point.explanation:
                    out += [f"  *Why:* {_indent(key_point.explanation, '  ')}", ""]
        if part.questions:
            out += ["### Questions", ""]
            for question in part.questions:
                number += 1
                numbered.append((number, question))
                pad = " " * (len(str(number)) + 2)
                note = " *(choose all that apply)*" if question.is_multiple_answer else ""
                out += [f"{number}. {_indent(question.prompt, pad)}{note}", ""]
                for index, choice in enumerate(question.choices):
                    text = _indent(choice.text, pad + "  ")
                    out.append(f"{pad}- **{_letter(index)}.** {text}")
                out.append("")

    if numbered:
        out += ["## Answer key", ""]
        for number, question in numbered:
            pad = " " * (len(str(number)) + 2)
            letters = [_letter(i) for i, choice in enumerate(question.choices) if choice.correct]
            section = f" (section {question.section})" if question.section else ""
            out.append(f"{number}. **{', '.join(letters)}**{section}")
            if question.explanation:
                out += ["", f"{pad}{_indent(question.explanation, pad)}"]
            explained = [(i, c) for i, c in enumerate(question.choices) if c.explanation]
            if explained:
                out.append("")
                for index, choice in explained:
                    mark = "right" if choice.correct else "wrong"
                    text = _indent(choice.explanation or "", pad + "  ")
                    out.append(f"{pad}- {_letter(index)} ({mark}): {text}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
