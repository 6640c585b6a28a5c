"""The deck schema written beside a deck, so the deck's modeline works wherever the deck is.

`quiztui import` and `quiztui new` start every deck with `# yaml-language-server:
$schema=.deck.schema.json` and write that file next to it: a relative path works in any folder, and
the leading dot keeps quiztui from taking the schema for a deck (deck folders skip hidden files).
"""

from __future__ import annotations

from pathlib import Path

from quiztui import locations
from quiztui.formats.yaml_writer import SCHEMA_FILE_NAME


def write_schema_beside(deck_path: Path) -> Path | None:
    """Write (or refresh) the schema beside `deck_path`; returns its path, None when unchanged."""
    from quiztui.commands.export import write_atomically

    target = deck_path.parent / SCHEMA_FILE_NAME
    schema = locations.schema_path().read_text(encoding="utf-8")
    try:
        if target.read_text(encoding="utf-8") == schema:
            return None
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(target, schema)
    return target
