"""A subprocess that answers reviews in a loop, printing each uid once it is committed.

Run as `python tests/store_worker.py DB NAME COUNT [full]` (COUNT 0: until killed). The crash
and two-writer tests start it; its output lines are the answers it promises are saved. With
`full`, the database may not grow once open (a full disk), so most answers wait in the pending
journal: a printed uid then promises it is there, for the next start to save.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quiztui.store import Store


def main(argv: list[str]) -> int:
    """Answer COUNT reviews (forever when 0) against the database at DB."""
    path, name, count = Path(argv[0]), argv[1], int(argv[2])
    store = Store.open(path, backups_dir=path.parent / "backups")
    if argv[3:] == ["full"]:
        from store_conditions import fill_disk

        fill_disk(store._connection)
    index = 0
    while count == 0 or index < count:
        grade = (index * 7 + len(name)) % 6
        row = store.record_review(
            deck_id="d",
            item_id=f"shared-{index % 5}",
            kind="question",
            mode="review",
            grade=grade,
            answer_key="k",
            learning_day=date(2024, 1, 1) + timedelta(days=index // 4),
            at=datetime.now(UTC),
            picked=["a"] if grade >= 3 else ["b"],
            correct=grade >= 3,
            seconds=1.0,
        )
        print(row.uid, flush=True)
        index += 1
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
