"""A deck written as YAML for people: plain text where safe, blocks for paragraphs, comments.

`quiztui import` writes its result with this: the schema modeline, the deck in the format's own key
order with defaults left out, and a comment above each item the importer had something to say
about. Every text is written so that quiztui reads back exactly that text: plain when it is made of
words and harmless punctuation, a `|` block when it spans lines, else double-quoted with escapes
(the spelling the JSON export uses too). Tests load what it writes and compare.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from quiztui.deck.model import CHECK_NAMES, Choice, Deck, KeyPoint, Part, Question

SCHEMA_FILE_NAME = ".deck.schema.json"
"""The schema file written beside a deck (hidden, so quiztui never takes it for a deck)."""

MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"
"""The first line of a deck we write: editors find the schema beside the deck."""

_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ,.;!?()'/+_\-]*")
"""Texts YAML reads as exactly themselves when written unquoted (no `: `, ` #`, indicators)."""
_NULL_WORDS = frozenset({"null", "Null", "NULL"})
_FLOW_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .;!()'/+_\-]*")
"""Plain texts that may also stand inside a flow list `[a, b]` (no commas or brackets)."""
_NOT_RAW = re.compile(
    "[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Characters a block scalar cannot hold as they are (controls, tabs, odd line breaks)."""
_ESCAPE_IN_QUOTES = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _quoted(text: str) -> str:
    dumped = json.dumps(text, ensure_ascii=False)
    return _ESCAPE_IN_QUOTES.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def _block_safe(text: str) -> bool:
    if "\n" not in text.rstrip("\n") or _NOT_RAW.search(text):
        return False
    lines = text.split("\n")
    first = next((line for line in lines if line), "")
    if first[:1] == " ":
        return False
    return all(line == "" or line.strip() for line in lines)


def scalar(text: str, indent: int) -> str:
    """`text` as a YAML value after `key: `, indented for continuation lines at `indent` spaces."""
    if _PLAIN.fullmatch(text) and text[-1] != " " and text not in _NULL_WORDS:
        return text
    if _block_safe(text):
        body = text.rstrip("\n")
        trailing = len(text) - len(body)
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        lines = text.split("\n") if chomp == "+" else body.split("\n")
        if chomp == "+":
            lines = lines[:-1]
        pad = " " * indent
        return f"|{chomp}\n" + "\n".join(pad + line if line else "" for line in lines)
    return _quoted(text)


def _text_list(texts: Sequence[str]) -> str:
    if all(_FLOW_SAFE.fullmatch(t) and t[-1] != " " and t not in _NULL_WORDS for t in texts):
        return "[" + ", ".join(texts) + "]"
    return "[" + ", ".join(_quoted(t) for t in texts) + "]"


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def key(self, indent: int, name: str, value: str | None) -> None:
        if value is not None:
            self.lines.append(f"{' ' * indent}{name}: {scalar(value, indent + 2)}")

    def raw(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def comments(self, indent: int, comments: Sequence[str]) -> None:
        for comment in comments:
            for line in comment.splitlines() or [""]:
                self.raw(indent, f"# {line}".rstrip())


def deck_to_yaml(
    deck: Deck,
    *,
    comments: Mapping[str, Sequence[str]] | None = None,
    header: Sequence[str] = (),
) -> str:
    """The deck as a YAML file: modeline, `header` comment lines, then the deck itself."""
    comments = comments or {}
    out = _Out()
    out.raw(0, MODELINE)
    out.comments(0, header)
    out.raw(0, "format: 1")
    out.key(0, "id", deck.id)
    if deck.renamed_from:
        out.raw(0, f"renamed_from: {_text_list(deck.renamed_from)}")
    out.raw(0, f"title: {_quoted(deck.title)}")
    out.raw(0, f"version: {_quoted(deck.version)}")
    out.key(0, "description", deck.description)
    if deck.source is not None:
        out.raw(0, "source:")
        out.key(2, "title", deck.source.title)
        out.key(2, "author", deck.source.author)
        out.key(2, "url", deck.source.url)
        out.key(2, "license", deck.source.license)
    out.raw(0, "")
    out.raw(0, "parts:")
    for part in deck.parts:
        _part(out, part, comments)
    return "\n".join(out.lines) + "\n"


def _part(out: _Out, part: Part, comments: Mapping[str, Sequence[str]]) -> None:
    out.comments(2, comments.get(part.id, ()))
    out.raw(2, f"- id: {scalar(part.id, 6)}")
    if part.renamed_from:
        out.raw(4, f"renamed_from: {_text_list(part.renamed_from)}")
    out.key(4, "title", part.title)
    out.key(4, "description", part.description)
    if part.key_points:
        out.raw(0, "")
        out.raw(4, "key_points:")
        for key_point in part.key_points:
            _key_point(out, key_point, comments.get(key_point.id, ()))
    if part.questions:
        out.raw(0, "")
        out.raw(4, "questions:")
        for question in part.questions:
            _question(out, question, comments.get(question.id, ()))
    out.raw(0, "")


def _key_point(out: _Out, key_point: KeyPoint, comments: Sequence[str]) -> None:
    out.comments(6, comments)
    out.raw(6, f"- id: {scalar(key_point.id, 10)}")
    if key_point.renamed_from:
        out.raw(8, f"renamed_from: {_text_list(key_point.renamed_from)}")
    out.key(8, "front", key_point.front)
    out.key(8, "back", key_point.back)
    out.key(8, "explanation", key_point.explanation)
    out.key(8, "section", key_point.section)
    if key_point.tags:
        out.raw(8, f"tags: {_text_list(key_point.tags)}")


def _question(out: _Out, question: Question, comments: Sequence[str]) -> None:
    out.comments(6, comments)
    out.raw(6, f"- id: {scalar(question.id, 10)}")
    if question.renamed_from:
        out.raw(8, f"renamed_from: {_text_list(question.renamed_from)}")
    out.key(8, "prompt", question.prompt)
    if question.checks != frozenset(CHECK_NAMES):
        out.raw(8, f"checks: [{', '.join(n for n in CHECK_NAMES if n in question.checks)}]")
    if not question.shuffle:
        out.raw(8, "shuffle: false")
    if question.multiple:
        out.raw(8, "multiple: true")
    out.key(8, "section", question.section)
    if question.tags:
        out.raw(8, f"tags: {_text_list(question.tags)}")
    out.key(8, "explanation", question.explanation)
    out.raw(8, "choices:")
    for choice in question.choices:
        _choice(out, choice)


def _choice(out: _Out, choice: Choice) -> None:
    out.raw(10, f"- id: {scalar(choice.id, 14)}")
    out.key(12, "text", choice.text)
    if choice.correct:
        out.raw(12, "correct: true")
    out.key(12, "explanation", choice.explanation)
