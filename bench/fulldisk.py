"""`python -m bench.fulldisk FOLDER`: fill the disk under the real app mid-study, then free it, and
check that every answer the screen acknowledged ends up in the log.

FOLDER must be on a small file system of its own, which this fills: for example, as root,
`mount -t tmpfs -o size=1m tmpfs /mnt/small`, then `python -m bench.fulldisk /mnt/small`.

The data folder is made in FOLDER by a first start of `quiztui`; then a filler file takes all
the free space but `--leave` KB. `quiztui` starts again in a fresh pty (`bench.terminal`), opens
the bundled deck's first key-point step and grades card after card (Space, then a grade),
each acknowledged when the next card is on screen, until the status line says answers are
waiting to be saved, then `--while-full` more. The filler is then deleted; the app must save
what waits by itself (it retries every few seconds) and clear the line, and quit with `q`
without asking. A fresh `Store.open` must then find every acknowledged answer in the log, and
the stored states equal to its replay.

A reliability check, not a timing: it prints counts, and exits 1 on any loss.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sys
import time
from pathlib import Path

from bench.context import REPO, quiztui_command
from bench.paint import bundled_titles, deck_list_shown
from bench.terminal import Terminal

WAITING = "waiting to be saved"
"""What the status line says while answers wait for the database."""


def environment(folder: Path) -> dict[str, str]:
    """The child's environment: its data and cache folders, the repository importable."""
    env = dict(os.environ)
    env["QUIZTUI_DATA_DIR"] = str(folder / "data")
    env["QUIZTUI_CACHE_DIR"] = str(folder / "cache")
    env["PYTHONPATH"] = str(REPO)
    env.pop("TEXTUAL", None)
    return env


def fill(folder: Path, leave_kb: int) -> Path:
    """A filler file that takes all free space under `folder` but `leave_kb` KB."""
    filler = folder / "filler"
    chunk = b"\0" * 4096
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(chunk)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    os.truncate(filler, max(0, filler.stat().st_size - leave_kb * 1024))
    return filler


def main(argv: list[str] | None = None) -> int:
    """Fill, study, free, check; print the counts."""
    parser = argparse.ArgumentParser(prog="python -m bench.fulldisk", description=__doc__)
    parser.add_argument("folder", type=Path, help="a folder on a small file system of its own")
    parser.add_argument("--leave", type=int, default=40, help="KB left free after filling")
    parser.add_argument("--while-full", type=int, default=6, help="answers given once full")
    args = parser.parse_args(argv)
    folder: Path = args.folder.resolve()
    for leftover in ("data", "cache", "filler"):
        target = folder / leftover
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    env = environment(folder)
    argv_app = [quiztui_command()]
    titles = bundled_titles()
    with Terminal(argv_app, env) as first:  # makes the data folder and the database
        first.wait_for(deck_list_shown(titles), timeout=120, what="the deck list")
    filler = fill(folder, args.leave)
    free_kb = shutil.disk_usage(folder).free // 1024
    acknowledged = 0
    full_at = None
    saved_after = None
    with Terminal(argv_app, env) as terminal:
        terminal.wait_for(deck_list_shown(titles), timeout=120, what="the deck list")
        terminal.send(b"\r")  # the deck
        terminal.wait_for(lambda lines: any("Key points" in line for line in lines), 30)
        terminal.send(b"\x1b[B")  # from the suggested pre-check down to the key points
        terminal.pump(0.3)
        terminal.send(b"\r")
        terminal.wait_for(lambda lines: any("Card 1 of" in line for line in lines), 30)
        while_full = 0
        while while_full < args.while_full:
            card = next(line for line in terminal.lines if "Card " in line).split()[1]
            terminal.send(b" ")
            terminal.wait_for(lambda lines: any("How well" in line for line in lines), 30)
            terminal.send(b"5")
            terminal.wait_for(
                lambda lines, c=card: any(
                    ("Card " in line and line.split()[1] != c) or "step done" in line.lower()
                    for line in lines
                ),
                30,
                what="the next card",
            )
            acknowledged += 1
            if full_at is None and WAITING in terminal.text():
                full_at = acknowledged
            if full_at is not None:
                while_full += 1
            if acknowledged > 28:
                usage = shutil.disk_usage(folder)
                sizes = {p.name: p.stat().st_size for p in (folder / "data").iterdir()}
                raise RuntimeError(
                    f"the disk never filled ({usage.free // 1024} KB free, {sizes}):"
                    f" use a smaller --leave\n{terminal.text()}"
                )
        terminal.pump(4.0)  # a retry, still full: the line counts everything that waits
        waiting_line = next(line.strip() for line in terminal.lines if WAITING in line)
        filler.unlink()
        start = time.perf_counter()
        terminal.wait_for(lambda lines: WAITING not in "\n".join(lines), 30, "the save")
        saved_after = time.perf_counter() - start
        terminal.send(b"q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and terminal.exit_status is None:
            terminal.pump(0.1)
            pid, status = os.waitpid(terminal.pid, os.WNOHANG)
            if pid:
                terminal.exit_status = os.waitstatus_to_exitcode(status)
        quit_cleanly = terminal.exit_status == 0

    from quiztui.store import Store

    data = folder / "data"
    store = Store.open(data / "progress.sqlite3", backups_dir=data / "backups")
    try:
        learned = [r for r in store.reviews() if r.mode == "learn"]
        same = store.live_states() == store.rebuild_states()
    finally:
        store.close()
    lost = max(0, acknowledged - len(learned))
    print(
        f"{free_kb} KB free at the start: {(full_at or 1) - 1} answers saved before the disk"
        f' was full ("{waiting_line}"); {acknowledged} answers acknowledged on screen in all,'
        f" {acknowledged - (full_at or 0) + 1} of them while full; the space freed, the app"
        f" saved them by itself within {saved_after:.1f} s and quit at q without asking"
        f" ({'yes' if quit_cleanly else 'NO'}); in the log afterwards: {len(learned)}, lost:"
        f" {lost}; stored states equal to the log's replay: {'yes' if same else 'NO'}."
    )
    return 1 if lost or not same or not quit_cleanly else 0


if __name__ == "__main__":
    sys.exit(main())
