"""Where quiztui keeps things on disk: every path comes from here, each overridable.

`QUIZTUI_DATA_DIR` (or the `--data-dir` option, which sets it) moves everything a learner owns,
so tests and scripts never touch the real progress database.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

APP_NAME = "quiztui"
DATA_DIR_ENV = "QUIZTUI_DATA_DIR"
CACHE_DIR_ENV = "QUIZTUI_CACHE_DIR"


def user_path(text: str | Path) -> Path:
    """`text` as a path, a leading `~` or `~user` expanded; a user the system does not know is
    a message to show (QuiztuiError), not a traceback."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        from quiztui.errors import QuiztuiError

        raise QuiztuiError(
            f"{text}: cannot tell whose home folder {str(text).split('/', 1)[0]} is; write the"
            " path out in full"
        ) from None


def data_dir() -> Path:
    """The folder holding the learner's progress database and own decks."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return user_path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_path() -> Path:
    """The SQLite progress database."""
    return data_dir() / "progress.sqlite3"


def cache_dir() -> Path:
    """The folder of things quiztui can rebuild at will (parsed decks); safe to delete.

    `QUIZTUI_CACHE_DIR` moves it; when only `QUIZTUI_DATA_DIR` is set, it lives inside that
    folder, so tests and scripts that move the data never touch the learner's real cache.
    """
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return user_path(override)
    if os.environ.get(DATA_DIR_ENV):
        return data_dir() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def backups_dir() -> Path:
    """Timestamped copies of the database made before any migration."""
    return data_dir() / "backups"


def pending_journal_paths(database: Path) -> list[Path]:
    """Where answers the database cannot take yet are kept, best first (see store.journal).

    Beside the database (`progress.pending.jsonl`); then in the cache folder; then in a
    private folder in the system's temporary folder, for when the data folder's disk is full.
    The last two are named after the database's path, so two data folders never share one.
    """
    name = str(Path(database).resolve()).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(name, digest_size=12).hexdigest()
    user = os.getuid() if hasattr(os, "getuid") else "user"
    return [
        Path(database).with_name(f"{Path(database).stem}.pending.jsonl"),
        cache_dir() / "pending" / f"{digest}.jsonl",
        Path(tempfile.gettempdir()) / f"quiztui-{user}" / f"{digest}.jsonl",
    ]


def user_decks_dir() -> Path:
    """The learner's own decks, found and opened beside the bundled ones."""
    return data_dir() / "decks"


def bundled_decks_dir() -> Path:
    """The decks that ship with quiztui.

    An installed wheel carries them inside the package (`quiztui/bundled_decks`); a source
    checkout or editable install reads the repository's `decks/` folder.
    """
    package_dir = Path(__file__).resolve().parent
    inside_wheel = package_dir / "bundled_decks"
    if inside_wheel.is_dir():
        return inside_wheel
    return package_dir.parent / "decks"


def schema_path() -> Path:
    """The deck format's JSON Schema, shipped in the package."""
    return Path(__file__).resolve().parent / "deck" / "deck.schema.json"
