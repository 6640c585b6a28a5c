"""The local progress store: SQLite, an append-only review log, item states, check attempts.

`from quiztui.store import Store, StoreError` is the public entry. Behind it: the records
(`records`), the schema and its migrations (`schema`), opening and checking the file
(`connection`), how records map to rows (`rows`), the replay rule (`replay`), the cache of
repeated reads (`read_cache`), the `Store` API (`store`), JSON export and import
(`exchange`) and what an import may contain (`import_check`): those two are imported from their
modules, so opening the app does not load them.
"""

from __future__ import annotations

from quiztui.store.connection import BUSY_TIMEOUT_SECONDS, backup_database
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
from quiztui.store.renames import Adopted, Renames
from quiztui.store.replay import advance, replay
from quiztui.store.schema import SCHEMA_VERSION
from quiztui.store.store import Store

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "MODES",
    "SCHEDULING_MODES",
    "SCHEMA_VERSION",
    "STEPS",
    "Adopted",
    "Attempt",
    "ImportResult",
    "Kind",
    "Mode",
    "Renames",
    "ReviewRecord",
    "Step",
    "Store",
    "StoreError",
    "StoredState",
    "advance",
    "backup_database",
    "replay",
]
