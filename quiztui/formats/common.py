"""What every importer shares: the report of what could not be carried, the draft deck, the ids.

An importer reads its file into a `DeckDraft`: parts by title, items with ids that are unique and
stable (made from the source's own ids or names when it has them, else from the text), YAML
comments per item, and `ImportNote`s saying, with file and line, what was skipped or changed.
The draft becomes a `Deck` only at the end, so several files can feed one deck.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from quiztui.deck.model import Deck, KeyPoint, Part, Question
from quiztui.deck.validate import ID_PATTERN, PLACEHOLDER_EXPLANATION
from quiztui.errors import QuiztuiError

NO_EXPLANATION = PLACEHOLDER_EXPLANATION
"""The explanation written for a question whose source had none (the format requires one);
`quiztui validate` warns about each one left."""

MAX_ID_WORDS = 6
"""How many words of a text make an id when the source gives none."""


class SourceError(QuiztuiError):
    """A file that cannot be imported at all (unreadable, or not in the format it claims)."""


class MissingExtraError(QuiztuiError):
    """An optional dependency is not installed; the message names the extra that brings it."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(f"{purpose} needs the {package} package: pip install 'quiztui[{extra}]'")


@dataclass(frozen=True, slots=True)
class ImportNote:
    """One thing the import could not carry (or changed), and where it is in the source file."""

    path: Path
    line: int
    """1-based; 0 when it concerns the whole file."""
    message: str

    def __str__(self) -> str:
        """`file:line: message`, the form terminals and editors link to."""
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def slug(text: str, *, max_words: int = MAX_ID_WORDS) -> str:
    """A valid id made of the first words of `text` ('' when it has no letters or digits)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])[:60].strip("-")


def hashed_id(prefix: str, key: str) -> str:
    """A short stable id derived from a source's opaque key (an Anki guid)."""
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


@dataclass(slots=True)
class DraftPart:
    """A part being filled: its title, and its items in the order the source gave them."""

    title: str
    key_points: list[KeyPoint] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    line: int = 0


class DeckDraft:
    """A deck under construction from one or more source files, with its import report."""

    def __init__(self) -> None:
        self.parts: dict[str, DraftPart] = {}
        """Parts by title, in the order first seen."""
        self.notes: list[ImportNote] = []
        """What could not be carried, in the order found."""
        self.comments: dict[str, list[str]] = {}
        """YAML comments to write above an item, by item id."""
        self.title: str | None = None
        """The deck's title when a source names it (an Anki deck, say)."""
        self.unexplained = 0
        """How many questions got the placeholder explanation."""
        self._ids: set[str] = set()

    def note(self, path: Path, line: int, message: str) -> None:
        """Report something that could not be carried."""
        self.notes.append(ImportNote(path, line, message))

    def part(self, title: str, line: int = 0) -> DraftPart:
        """The part with this title, made when first asked for."""
        part = self.parts.get(title)
        if part is None:
            part = self.parts[title] = DraftPart(title, line=line)
        return part

    def new_id(self, wanted: str, prefix: str, fallback_text: str = "") -> str:
        """A deck-wide unique id: `wanted` (slugged) when given, else one made from the text."""
        if ID_PATTERN.fullmatch(wanted):
            base = wanted
        else:
            base = slug(wanted, max_words=12) if wanted else ""
        if not base:
            words = slug(fallback_text)
            base = f"{prefix}-{words}" if words else prefix
        candidate, number = base, 1
        while candidate in self._ids:
            number += 1
            candidate = f"{base}-{number}"
        self._ids.add(candidate)
        return candidate

    def comment(self, item_id: str, text: str) -> None:
        """Attach a comment line to an item in the written YAML."""
        self.comments.setdefault(item_id, []).append(text)

    def add_question(self, part_title: str, question: Question) -> None:
        """Add a question, giving it the placeholder explanation when it has none at all."""
        if question.explanation is None and not all(c.explanation for c in question.choices):
            question = _with_placeholder(question)
            self.unexplained += 1
            self.comment(question.id, "TODO: the source had no explanation; write one.")
        self.part(part_title, question.line or 0).questions.append(question)

    def add_key_point(self, part_title: str, key_point: KeyPoint) -> None:
        """Add a key point (flashcard)."""
        self.part(part_title, key_point.line or 0).key_points.append(key_point)

    @property
    def item_count(self) -> int:
        """How many items the draft holds."""
        return sum(len(p.key_points) + len(p.questions) for p in self.parts.values())

    def _root(self) -> str:
        """The Anki top deck every part sits under ("Biology" for "Biology::Cells"), or ''."""
        titles = [title for title, part in self.parts.items() if part.key_points or part.questions]
        tops = {title.split("::")[0] for title in titles}
        if len(tops) != 1 or not all("::" in title for title in titles):
            return ""
        return tops.pop()

    def suggested_title(self) -> str | None:
        """The deck's title when the sources name one (a package's top deck), else None."""
        return self.title or self._root() or None

    def to_deck(self, deck_id: str, title: str, version: str = "1.0") -> Deck:
        """The draft as a deck model (not yet validated: the YAML written from it is).

        Parts under one Anki top deck lose its name ("Biology::Cells" becomes "Cells").
        """
        root = self._root()
        part_ids: set[str] = set()
        parts: list[Part] = []
        for draft in self.parts.values():
            if not draft.key_points and not draft.questions:
                continue
            part_title = draft.title.removeprefix(f"{root}::") if root else draft.title
            base = slug(part_title) or "part"
            part_id, number = base, 1
            while part_id in part_ids:
                number += 1
                part_id = f"{base}-{number}"
            part_ids.add(part_id)
            parts.append(
                Part(
                    id=part_id,
                    title=part_title,
                    key_points=tuple(draft.key_points),
                    questions=tuple(draft.questions),
                )
            )
        return Deck(id=deck_id, title=title, version=version, parts=tuple(parts))


def _with_placeholder(question: Question) -> Question:
    return Question(
        id=question.id,
        prompt=question.prompt,
        choices=question.choices,
        checks=question.checks,
        explanation=NO_EXPLANATION,
        tags=question.tags,
        section=question.section,
        shuffle=question.shuffle,
        multiple=question.multiple,
        renamed_from=question.renamed_from,
        line=question.line,
    )


def choice_id(index: int) -> str:
    """The id of a question's choice by position: a, b, c, ... then c27, c28."""
    return "abcdefghijklmnopqrstuvwxyz"[index] if index < 26 else f"c{index + 1}"


def read_text(path: Path) -> str:
    """A source file's text (UTF-8, a byte-order mark allowed), or an SourceError saying why not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(f"{path}:{line}: the file is not UTF-8; save it as UTF-8") from None
