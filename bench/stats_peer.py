"""The peer of row f: `python -m bench.stats_peer DATA_DIR` prints what `quiztui stats` counts.

The same numbers a stats command needs, each from one SQL aggregate on the same progress file,
in a fresh interpreter with nothing but `sqlite3`: per deck the items due today, learned and
logged, and the learning days studied (a streak's input). This is about the least a
`stats` command could cost on that file, start-up included.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime, timedelta


def main(data_dir: str) -> int:
    """Print one line per deck: due, learned, logged; then the days studied."""
    now = datetime.now().astimezone()
    today = (now - timedelta(hours=4)).date().isoformat()  # quiztui's default rollover: 04:00
    connection = sqlite3.connect(f"file:{data_dir}/progress.sqlite3?mode=ro", uri=True)
    try:
        states = connection.execute(
            "SELECT deck_id, SUM(due <= ?), SUM(repetitions >= 1) FROM item_states"
            " GROUP BY deck_id",
            (today,),
        ).fetchall()
        logged = dict(
            connection.execute(
                "SELECT deck_id, COUNT(DISTINCT item_id) FROM reviews GROUP BY deck_id"
            )
        )
        (days,) = connection.execute(
            "SELECT COUNT(DISTINCT learning_day) FROM reviews WHERE undone_at IS NULL"
        ).fetchone()
    finally:
        connection.close()
    for deck_id, due, learned in states:
        print(f"deck {deck_id} due={due} learned={learned} logged={logged.get(deck_id, 0)}")
    print(f"days={days}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
