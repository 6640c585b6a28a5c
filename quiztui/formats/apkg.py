"""Anki packages: read `.apkg`/`.colpkg` files into key points, and write a deck as an `.apkg`.

Reading: a package is a zip holding the collection as SQLite: `collection.anki21b` (zstd-compressed,
Anki 2.1.50 and later; needs the zstandard package), else `collection.anki21` or `collection.anki2`.
Both schemas are read: the older keeps note types and decks as JSON in the `col` table, the newer in
`notetypes` and `decks` tables (a note type's kind is the first field of its protobuf config: 1 for
cloze). Each note becomes key points (see `anki_notes`) in the part named by its first card's deck;
media are counted and reported as not carried.

Writing (needs genanki, the `anki` extra): key points as notes of a Basic-style type of our own,
questions as notes of a multiple-choice type (front: the prompt and lettered choices; back: the
answer and the explanations). The note types' ids are fixed, the deck ids derive from the deck's
and parts' ids, and each note's guid is `genanki.guid_for(deck id, item id)`: re-importing a newer
export updates the learner's notes (and keeps their reviews) instead of adding copies.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quiztui.deck.model import Deck, KeyPoint, Question
from quiztui.formats.anki_notes import AnkiNote, add_note
from quiztui.formats.common import DeckDraft, MissingExtraError, SourceError
from quiztui.formats.html_text import markdown_to_html as _html

ANKI_EXTRA = "anki"
"""The optional dependencies for Anki packages: `pip install 'quiztui[anki]'`."""

KEY_POINT_MODEL_ID = 1_716_203_001
"""The fixed id of our key-point note type: Anki matches note types by id across imports."""
QUESTION_MODEL_ID = 1_716_203_002
"""The fixed id of our multiple-choice note type."""

MAX_COLLECTION_BYTES = 1 << 30
"""The largest collection we decompress (1 GiB), against a zip bomb."""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# -- reading ---------------------------------------------------------------------------------


_DAMAGE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    sqlite3.DatabaseError,
)
"""What a damaged package raises while it is unzipped and read (a bad CRC, truncated data)."""


def _damaged(path: Path, reason: object) -> SourceError:
    return SourceError(
        f"{path} is damaged or not an Anki package ({reason}); export it again from Anki"
    )


@contextmanager
def _collection(path: Path) -> Iterator[sqlite3.Connection]:
    """The package's collection, opened read-only from a temporary copy."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise _damaged(path, error) from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="quiztui-apkg-") as folder:
        target = Path(folder) / "collection.sqlite"
        try:
            _extract(path, archive, target)
        except _DAMAGE as error:
            raise _damaged(path, error) from None
        connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            yield connection
        except sqlite3.DatabaseError as error:
            raise _damaged(path, error) from None
        finally:
            connection.close()


def _extract(path: Path, archive: zipfile.ZipFile, target: Path) -> None:
    """Write the package's collection, decompressed, to `target`."""
    names = set(archive.namelist())
    if "collection.anki21b" in names:
        try:
            import zstandard
        except ImportError:
            raise MissingExtraError(
                "zstandard", ANKI_EXTRA, f"reading {path.name} (an Anki 2.1.50+ package)"
            ) from None
        try:
            with archive.open("collection.anki21b") as source, target.open("wb") as out:
                reader = zstandard.ZstdDecompressor().stream_reader(source)
                total = 0
                while chunk := reader.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_COLLECTION_BYTES:
                        raise SourceError(f"{path}: the collection is over 1 GiB; not read")
                    out.write(chunk)
        except zstandard.ZstdError as error:
            raise _damaged(path, error) from None
        return
    inner = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
    if inner is None:
        raise SourceError(f"{path}: no collection inside; is it an Anki package?")
    with archive.open(inner) as source, target.open("wb") as out:
        while chunk := source.read(1 << 20):
            out.write(chunk)


def _media_count(path: Path) -> int:
    """How many media files the package carries (its numbered members)."""
    with zipfile.ZipFile(path) as archive:
        return sum(1 for name in archive.namelist() if name.isdigit())


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("select name from sqlite_master where type='table'")}


def _is_cloze_config(config: bytes) -> bool:
    """Whether a note type's protobuf config says cloze (field 1, `kind`, is 1)."""
    return len(config) >= 2 and config[0] == 0x08 and config[1] == 0x01


def _note_types(db: sqlite3.Connection) -> dict[int, tuple[str, bool]]:
    """Each note type's name and whether it is a cloze type."""
    if "notetypes" in _tables(db):
        return {
            int(row[0]): (str(row[1]), _is_cloze_config(bytes(row[2] or b"")))
            for row in db.execute("select id, name, config from notetypes")
        }
    models: dict[str, Any] = json.loads(db.execute("select models from col").fetchone()[0])
    return {int(key): (str(m["name"]), m.get("type") == 1) for key, m in models.items()}


def _deck_names(db: sqlite3.Connection) -> dict[int, str]:
    """Each deck's full name, with `::` between the levels."""
    if "decks" in _tables(db):
        return {
            int(row[0]): str(row[1]).replace("\x1f", "::")
            for row in db.execute("select id, name from decks")
        }
    decks: dict[str, Any] = json.loads(db.execute("select decks from col").fetchone()[0])
    return {int(key): str(deck["name"]) for key, deck in decks.items()}


def read_apkg(path: Path, draft: DeckDraft) -> None:
    """Add the key points of every note in an Anki package, reporting what cannot be carried."""
    with _collection(path) as db:
        note_types = _note_types(db)
        deck_names = _deck_names(db)
        first_deck = {
            int(nid): int(did)
            for nid, did in db.execute("select nid, did from cards order by nid, ord desc")
        }
        notes = db.execute("select id, guid, mid, tags, flds from notes order by id").fetchall()
    names = [deck_names.get(first_deck.get(int(row[0]), 0), path.stem) for row in notes]
    for position, (row, part_title) in enumerate(zip(notes, names, strict=True), start=1):
        _note_id, guid, model_id, tags, fields = row
        notetype, cloze = note_types.get(int(model_id), ("(unknown note type)", False))
        note = AnkiNote(
            line=position,
            notetype=notetype,
            cloze=cloze,
            fields=str(fields).split("\x1f"),
            tags=str(tags).split(),
            guid=str(guid),
            in_package=True,
        )
        add_note(draft, path, part_title, note)
    media = _media_count(path)
    if media:
        draft.note(path, 0, f"{media} media file{'s' if media != 1 else ''} not carried")


# -- writing ---------------------------------------------------------------------------------

CSS = """\
.card { font-family: sans-serif; font-size: 20px; line-height: 1.5; text-align: left; }
.choices { list-style-type: upper-alpha; }
.hint { font-style: italic; opacity: 0.7; }
.answer { font-weight: bold; }
.explanation { margin-top: 1em; }
"""


def anki_id(*parts: str) -> int:
    """A fixed Anki id (a positive 47-bit number) for a deck or part, from its quiztui ids."""
    digest = hashlib.sha256("\x1f".join(("quiztui", *parts)).encode()).digest()
    return int.from_bytes(digest[:6], "big") >> 1 or 1


def _models() -> tuple[Any, Any]:
    import genanki  # type: ignore[import-untyped]

    key_point = genanki.Model(
        KEY_POINT_MODEL_ID,
        "quiztui key point",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"
                "{{#Explanation}}<div class=explanation>{{Explanation}}</div>{{/Explanation}}",
            }
        ],
        css=CSS,
    )
    question = genanki.Model(
        QUESTION_MODEL_ID,
        "quiztui multiple choice",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Explanation"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
                "{{#Explanation}}<div class=explanation>{{Explanation}}</div>{{/Explanation}}",
            }
        ],
        css=CSS,
    )
    return key_point, question


def _tags(tags: tuple[str, ...]) -> list[str]:
    return ["_".join(tag.split()) for tag in tags if tag.strip()]


def key_point_fields(key_point: KeyPoint) -> list[str]:
    """A key point's note fields: front, back and explanation, as HTML."""
    explanation = _html(key_point.explanation) if key_point.explanation else ""
    return [_html(key_point.front), _html(key_point.back), explanation]


def question_fields(question: Question) -> list[str]:
    """A question's note fields: the prompt with lettered choices, the answer, the explanations.

    Choices are lettered in the written order (Anki shows the same card every time), and the
    "choose all that apply" hint comes from the question's `multiple` flag.
    """
    hint = "<p class=hint>Choose all that apply.</p>" if question.multiple else ""
    items = "".join(f"<li>{_html(choice.text)}</li>" for choice in question.choices)
    front = f"{_html(question.prompt)}{hint}<ol class=choices>{items}</ol>"
    answer = "<br>".join(
        f"{_letter(index)}. {_html(choice.text)}"
        for index, choice in enumerate(question.choices)
        if choice.correct
    )
    explained = "".join(
        f"<li>{_letter(index)} ({'right' if choice.correct else 'wrong'}): "
        f"{_html(choice.explanation)}</li>"
        for index, choice in enumerate(question.choices)
        if choice.explanation
    )
    explanation = _html(question.explanation) if question.explanation else ""
    if explained:
        explanation += f"<ul>{explained}</ul>"
    return [front, answer, explanation]


def _letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def write_apkg(deck: Deck, path: Path, *, timestamp: float | None = None) -> None:
    """Write the deck as an Anki package at `path` (atomically), one subdeck per part."""
    try:
        import genanki
    except ImportError:
        raise MissingExtraError("genanki", ANKI_EXTRA, "exporting an Anki package") from None
    key_point_model, question_model = _models()
    decks = []
    width = len(str(len(deck.parts)))
    for number, part in enumerate(deck.parts, start=1):
        title = " ".join(part.title.replace("::", ":").split())
        anki_deck = genanki.Deck(
            anki_id(deck.id, part.id),
            f"{' '.join(deck.title.replace('::', ':').split())}::{number:0{width}} {title}",
        )
        for key_point in part.key_points:
            anki_deck.add_note(
                genanki.Note(
                    model=key_point_model,
                    fields=key_point_fields(key_point),
                    tags=_tags(key_point.tags),
                    guid=genanki.guid_for(deck.id, key_point.id),
                )
            )
        for question in part.questions:
            anki_deck.add_note(
                genanki.Note(
                    model=question_model,
                    fields=question_fields(question),
                    tags=_tags(question.tags),
                    guid=genanki.guid_for(deck.id, question.id),
                )
            )
        decks.append(anki_deck)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        genanki.Package(decks).write_to_file(temporary, timestamp=timestamp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
