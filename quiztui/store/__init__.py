"""The local progress store: SQLite, an append-only review log, item states, check attempts.

`from quiztui.store import Store, StoreError` is the public entry; the modules behind it keep
the schema and migrations (`schema`), the replay rule (`replay`), the records (`records`) and
the JSON export and import (`exchange`) apart.
"""

from __future__ import annotations

from quiztui.store.database import BUSY_TIMEOUT_SECONDS, Store, backup_database
from quiztui.store.exchange import (
    ProgressFileError,
    read_progress_file,
    write_json_atomically,
)
from quiztui.store.records import (
    MODES,
    SCHEDULING_MODES,
    STEPS,
    Attempt,
    ImportResult,
    Kind,
    Mode,
    ReviewRecord,
    Step,
    StoredState,
    StoreError,
)
from quiztui.store.replay import advance, replay
from quiztui.store.schema import SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "MODES",
    "SCHEDULING_MODES",
    "SCHEMA_VERSION",
    "STEPS",
    "Attempt",
    "ImportResult",
    "Kind",
    "Mode",
    "ProgressFileError",
    "ReviewRecord",
    "Step",
    "Store",
    "StoreError",
    "StoredState",
    "advance",
    "backup_database",
    "read_progress_file",
    "replay",
    "write_json_atomically",
]
