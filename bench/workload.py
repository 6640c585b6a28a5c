"""The benchmark's inputs: the generated deck file and the store holding a year of its history.

Both are written once into a work folder and reused while the parameters stay the same (a
`manifest.json` records them), since writing 100,000 answers one transaction at a time takes
about half a minute.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.deckgen import write_deck
from bench.history import plan_history, write_history

WORKLOAD_FORMAT = 1
"""Bumped when the generators change what they write."""


@dataclass(frozen=True, slots=True)
class Workload:
    """Where the generated deck and history are, and how they were made."""

    folder: Path
    items: int
    reviews: int
    days: int
    seed: int

    @property
    def deck_path(self) -> Path:
        """The generated deck file."""
        return self.folder / f"bench-{self.items}.yaml"

    @property
    def history_path(self) -> Path:
        """The progress database holding the generated history (never written by a benchmark)."""
        return self.folder / "history.sqlite3"

    def copy_history(self, target: Path) -> Path:
        """A private copy of the history database, for a benchmark that answers cards."""
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(self.history_path, target)
        return target


def prepare(folder: Path, items: int, reviews: int, days: int, seed: int) -> Workload:
    """The workload in `folder`, generated unless a matching one is already there."""
    from quiztui.deck.loader import load_deck
    from quiztui.store import Store

    workload = Workload(folder, items, reviews, days, seed)
    manifest = folder / "manifest.json"
    wanted = {"format": WORKLOAD_FORMAT, **asdict(workload), "folder": str(folder)}
    try:
        if json.loads(manifest.read_text()) == wanted and workload.history_path.is_file():
            return workload
    except (OSError, ValueError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)
    write_deck(workload.deck_path, items, seed=seed)
    deck = load_deck(workload.deck_path, use_cache=False)
    for path in folder.glob("history.sqlite3*"):
        path.unlink()
    answers = plan_history(deck, reviews, days=days, seed=seed)
    with Store.open(workload.history_path, backups_dir=folder / "backups") as store:
        write_history(store, deck, answers)
    manifest.write_text(json.dumps(wanted))
    return workload
