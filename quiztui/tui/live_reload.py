"""Live reload: the deck files the app has open are watched, and a save shows at once.

Watching uses `watchfiles` (inotify on Linux, FSEvents on macOS, polling elsewhere). The folders
holding the decks are watched rather than the files, because editors often save by writing a
new file and renaming it over the old one, which a watch on the old file would miss. Changes
are gathered for `DEBOUNCE_MS` (an editor's save is several events), then the files that
changed are handed over, and the app reloads just those.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

DEBOUNCE_MS = 200
"""How long changes are gathered before a reload (a save is often several events)."""


def watch_deck_files(
    files: Iterable[Path], stop: threading.Event, changed: Callable[[set[Path]], None]
) -> None:
    """Call `changed` with the deck files among `files` that were written, until `stop` is set.

    Blocks: run it in a thread worker.
    """
    from watchfiles import watch

    watched = {path.resolve(): path for path in files}
    folders = sorted({path.parent for path in watched if path.parent.is_dir()})
    if not folders:
        return
    for changes in watch(
        *folders,
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=50,
        recursive=False,
        raise_interrupt=False,
    ):
        hit = {
            watched[resolved]
            for _change, name in changes
            if (resolved := Path(name).resolve()) in watched
        }
        if hit:
            changed(hit)
