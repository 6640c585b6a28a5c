"""What the format tests share: the fixtures' folder, and importing a file into a checked deck."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quiztui.deck.loader import load_deck_text
from quiztui.deck.model import Deck, Question
from quiztui.formats.common import DeckDraft
from quiztui.formats.yaml_writer import deck_to_yaml

FORMATS_DIR = Path(__file__).parent / "data" / "formats"


def imported(read: Callable[[Path, DeckDraft], None], *paths: Path) -> tuple[Deck, DeckDraft, str]:
    """Read the files into a draft, write it as YAML, and load that YAML back as a valid deck."""
    draft = DeckDraft()
    for path in paths:
        read(path, draft)
    deck = draft.to_deck("imported", draft.suggested_title() or "Imported")
    text = deck_to_yaml(deck, comments=draft.comments)
    return load_deck_text(text, Path("imported.yaml")), draft, text


def questions_by_id(deck: Deck) -> dict[str, Question]:
    """Every question of the deck by id."""
    return {q.id: q for part in deck.parts for q in part.questions}


def note_lines(draft: DeckDraft) -> dict[int, str]:
    """The import report as {line: message}."""
    return {note.line: note.message for note in draft.notes}
