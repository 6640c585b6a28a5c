"""One measurement in a fresh interpreter: `python -m bench.probe WHAT ARGS` prints one JSON line.

Each probe imports what it needs first, then times only the work itself with
`time.perf_counter()`, so the figure is what a new process pays for that work with a cold
interpreter (nothing of it cached in memory) and a warm disk. The parent runs a probe several
times, alternating with its peer's probe.

    queue-quiztui DATA_DIR    Store.open + open_context + day_queue of every deck in DATA_DIR/decks
    queue-anki COLLECTION     Collection(path) + get_queued_cards on the library's parent deck
    parse-quiztui PATH [off]  load_deck(path, use_cache=False)         ("off": GC disabled first)
    parse-yaml PATH [off]     yaml.load(file text, Loader=CSafeLoader) ("off": GC disabled first)
    cached-quiztui PATH       load_deck(path) from a warm cache entry, every item touched
    cached-pickle PATH        pickle.loads of the file (the plain data of the same deck)

The quiztui probes use only the public API (quiztui.study, quiztui.store, quiztui.deck.loader).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

WARM_REPEATS = 20
"""How many more queues the queue probes time in the same process, for the warm figure."""


def _gc(argument: str | None) -> bool:
    """Disable the collector when asked ("off"); whether it is enabled now."""
    if argument == "off":
        gc.disable()
    return gc.isenabled()


def queue_quiztui(data_dir: Path) -> dict[str, Any]:
    """The first day's queue after opening the store, then the same again (warm)."""
    from quiztui.deck.loader import load_deck
    from quiztui.store import Store
    from quiztui.study import day_queue, open_context

    decks = [load_deck(path) for path in sorted((data_dir / "decks").glob("*.yaml"))]
    database = data_dir / "progress.sqlite3"
    start = time.perf_counter()
    store = Store.open(database, backups_dir=data_dir / "backups")
    ctx = open_context(store=store)
    queues = [day_queue(ctx, deck) for deck in decks]
    first = time.perf_counter() - start
    warm = []
    for _ in range(WARM_REPEATS):
        start = time.perf_counter()
        queues = [day_queue(ctx, deck) for deck in decks]
        warm.append(time.perf_counter() - start)
    store.close()
    return {
        "first": first,
        "warm": warm,
        "due": sum(len(q.due) for q in queues),
        "new": sum(len(q.new) for q in queues),
    }


def queue_anki(collection: Path) -> dict[str, Any]:
    """Anki's first queue after opening the collection, then rebuilt again (warm)."""
    from bench.anki_peer import PARENT_DECK, first_queue

    return first_queue(collection, PARENT_DECK, WARM_REPEATS)


def parse_quiztui(path: Path, collector: str | None) -> dict[str, Any]:
    """A cold parse and validation of the deck file, no cache."""
    from quiztui.deck.loader import load_deck

    enabled = _gc(collector)
    start = time.perf_counter()
    deck = load_deck(path, use_cache=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "gc": enabled, "items": sum(1 for _ in deck.items())}


def parse_yaml(path: Path, collector: str | None) -> dict[str, Any]:
    """PyYAML's C loader on the same file, read and decoded as quiztui does."""
    import yaml

    enabled = _gc(collector)
    start = time.perf_counter()
    data = yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "gc": enabled, "parts": len(data["parts"])}


def cached_quiztui(path: Path) -> dict[str, Any]:
    """The deck from its cache entry, whole: every item's fields read once."""
    from quiztui.deck.loader import load_deck

    start = time.perf_counter()
    deck = load_deck(path)
    touched = 0
    for item in deck.items():
        touched += len(item.id) + len(item.answer_key)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "items": deck.item_count, "touched": touched}


def cached_pickle(path: Path) -> dict[str, Any]:
    """The least a cached open can cost: unpickling the deck's plain parsed data."""
    import pickle

    start = time.perf_counter()
    data = pickle.loads(path.read_bytes())
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "parts": len(data["parts"])}


def main(argv: list[str]) -> int:
    """Run the probe named by argv[0]; print its JSON line."""
    what, *rest = argv
    argument = rest[1] if len(rest) > 1 else None
    target = Path(rest[0])
    probes = {
        "queue-quiztui": lambda: queue_quiztui(target),
        "queue-anki": lambda: queue_anki(target),
        "parse-quiztui": lambda: parse_quiztui(target, argument),
        "parse-yaml": lambda: parse_yaml(target, argument),
        "cached-quiztui": lambda: cached_quiztui(target),
        "cached-pickle": lambda: cached_pickle(target),
    }
    print(json.dumps(probes[what]()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
