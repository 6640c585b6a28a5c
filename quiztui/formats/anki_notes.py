"""Anki notes made into key points, shared by the text-file and the package importers.

Basic-style notes (Basic, "Basic (and reversed card)", "Basic (optional reversed card)", "Basic
(type in the answer)") become a key point with the first field as the front and the second as the
back; a reversed card becomes a second key point, back to front, as Anki shows it. A Cloze note
becomes one key point per deletion number: the text with that deletion hidden on the front, shown
in bold on the back, and its "Back Extra" as the explanation. Other note types with two fields are
read the same way as Basic, and reported; image occlusion notes are skipped. Fields are HTML: they
are reduced to Markdown, and the media they refer to are reported as not carried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quiztui.deck.model import KeyPoint
from quiztui.formats.common import DeckDraft, hashed_id
from quiztui.formats.html_text import html_to_markdown

BASIC_NAMES = frozenset(
    {
        "Basic",
        "Basic (and reversed card)",
        "Basic (optional reversed card)",
        "Basic (type in the answer)",
        "quiztui key point",
    }
)
"""Note types read as front and back without a word in the report."""

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One note as the importers find it: its type, fields (HTML), tags and where it is."""

    line: int
    """The line in a text file, or the note's position in a package."""
    notetype: str
    cloze: bool
    fields: Sequence[str]
    tags: Sequence[str] = ()
    guid: str | None = None
    html: bool = True
    in_package: bool = False
    """True when `line` is the note's position in a package, not a line of a text file."""


class _Converter:
    def __init__(self, draft: DeckDraft, path: Path, note: AnkiNote) -> None:
        self.draft, self.path, self.note = draft, path, note
        self.media: list[str] = []

    def text(self, field: str) -> str:
        if not self.note.html:  # a line break in plain text is meant to show
            return re.sub(r"\s*\n\s*", "\n\n", field.strip())
        reduced = html_to_markdown(field)
        self.media.extend(reduced.media)
        return reduced.text

    def report(self, message: str) -> None:
        if self.note.in_package:
            self.draft.note(self.path, 0, f"note {self.note.line}: {message}")
        else:
            self.draft.note(self.path, self.note.line, message)


def add_note(draft: DeckDraft, path: Path, part_title: str, note: AnkiNote) -> None:
    """Add the key points an Anki note makes, reporting what could not be carried."""
    converter = _Converter(draft, path, note)
    if note.notetype == "quiztui multiple choice":
        converter.report("a quiztui multiple-choice note: import the deck's YAML instead; skipped")
        return
    if note.notetype.startswith("Image Occlusion"):
        converter.report("an image occlusion note: quiztui cannot show images; skipped")
        return
    made = _cloze(converter) if note.cloze else _basic(converter)
    for key_point in made:
        draft.add_key_point(part_title, key_point)
    if converter.media:
        names = ", ".join(dict.fromkeys(converter.media))
        converter.report(f"media not carried: {names}")


def _base_id(converter: _Converter, front: str) -> str:
    note = converter.note
    wanted = hashed_id("kp", note.guid) if note.guid else ""
    return converter.draft.new_id(wanted, "kp", front)


def _basic(converter: _Converter) -> list[KeyPoint]:
    note = converter.note
    fields = list(note.fields)
    if len(fields) < 2:
        converter.report(f"a {note.notetype!r} note with one field has no back; skipped")
        return []
    front, back = converter.text(fields[0]), converter.text(fields[1])
    if not front or not back:
        converter.report("the front or the back is empty (once media are left out); skipped")
        return []
    rest = fields[2:]
    reverse = note.notetype == "Basic (and reversed card)"
    if note.notetype == "Basic (optional reversed card)" and rest:
        reverse = bool(rest[0].strip())
        rest = rest[1:]
    if note.notetype not in BASIC_NAMES:
        converter.report(
            f"note type {note.notetype!r} is not Basic: its first field became the front,"
            " its second the back"
        )
    extra = [text for text in (converter.text(field) for field in rest) if text]
    explanation = "\n\n".join(extra) or None
    base = _base_id(converter, front)
    made = [KeyPoint(base, front, back, explanation, tags=tuple(note.tags), line=note.line)]
    if reverse:
        reverse_id = converter.draft.new_id(f"{base}-reverse", "kp")
        made.append(
            KeyPoint(reverse_id, back, front, explanation, tags=tuple(note.tags), line=note.line)
        )
    return made


def _cloze(converter: _Converter) -> list[KeyPoint]:
    note = converter.note
    text = note.fields[0] if note.fields else ""
    numbers = sorted({int(match.group(1)) for match in _CLOZE.finditer(text)})
    if not numbers:
        converter.report("a cloze note without any {{c1::...}} deletion; skipped")
        return []
    extra = converter.text(note.fields[1]) if len(note.fields) > 1 else ""
    made: list[KeyPoint] = []
    base = ""
    for number in numbers:

        def hide(match: re.Match[str], number: int = number) -> str:
            if int(match.group(1)) != number:
                return match.group(2)
            return f"[{match.group(3) or '...'}]"

        def show(match: re.Match[str], number: int = number) -> str:
            if int(match.group(1)) != number:
                return match.group(2)
            bold = "<b>{}</b>" if note.html else "**{}**"
            return bold.format(match.group(2))

        front = converter.text(_CLOZE.sub(hide, text))
        back = converter.text(_CLOZE.sub(show, text))
        if not base:
            base = _base_id(converter, front)
        item_id = converter.draft.new_id(f"{base}-c{number}", "kp")
        made.append(
            KeyPoint(item_id, front, back, extra or None, tags=tuple(note.tags), line=note.line)
        )
    return made
