"""`python -m bench.killtest`: kill the real app with SIGKILL in the middle of a review, again and
again, and check that no answer the screen acknowledged was lost.

Each round starts `quiztui` in a fresh pty (`bench.terminal`) on a copy of the 10,000-item
library, opens the day's review with `r` and answers as a learner would (a digit for a
question, Space then a grade for a flashcard), each key sent the moment the screen allows it.
An answer counts as acknowledged when the screen shows its outcome: a question's feedback, or
the next item after a flashcard's grade. After a random number of answers, the next key goes
out and, a random 0-`--max-delay-ms` later (40 ms by default; a few ms cuts most answers
mid-write), the process gets SIGKILL.
Then a fresh `Store.open` (which also saves what its pending journal holds) must find every
acknowledged answer of the round in the log, at most one more (the one in flight), and every
stored item state equal to the replay of the whole log. A stale instance lock left by the kill
must not stop the next round.

This is a reliability check, not a timing: it prints counts, and exits 1 on any loss.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.context import Bench, quiztui_command
from bench.keys import START_PHASES, in_phase, phase_of
from bench.library import OUT, LibrarySpec, prepare
from bench.paint import bundled_titles, deck_list_shown
from bench.terminal import Terminal

LIBRARY = LibrarySpec(10_000, 100_000, 4)
"""The 10,000-item library of `python -m bench` (made once, kept in bench/out/data)."""


@dataclass(slots=True)
class Tally:
    """What the rounds saw."""

    rounds: int = 0
    acknowledged: int = 0
    """Answers whose outcome was on the screen before the kill."""
    stored: int = 0
    """Log rows the rounds added, as found after the kills."""
    in_flight_saved: int = 0
    """Rounds where the answer being given at the kill was saved as well."""
    lost: int = 0
    """Acknowledged answers missing from the log (must stay 0)."""
    state_mismatches: int = 0
    """Rounds after which a stored state differed from the log's replay (must stay 0)."""
    journal_rounds: int = 0
    """Rounds whose answers were (partly) recovered from the pending journal on reopening."""


def _log_size(folder: Path) -> tuple[int, bool]:
    """(live log rows, whether states equal the replay) after reopening the store."""
    from quiztui.store import Store

    store = Store.open(folder / "progress.sqlite3", backups_dir=folder / "backups")
    try:
        rows = len(store.reviews())
        same = store.live_states() == store.rebuild_states()
    finally:
        store.close()
    return rows, same


def one_round(
    folder: Path, env: dict[str, str], titles: list[str], rng: random.Random, max_delay: float
) -> int:
    """Answer a few items, kill the app with the next answer in flight; the answers it
    acknowledged on screen."""
    argv = [quiztui_command(), "--data-dir", str(folder)]
    target = rng.randint(0, 6)
    acknowledged = 0
    with Terminal(argv, env) as terminal:
        terminal.wait_for(deck_list_shown(titles), timeout=300, what="the deck list")
        terminal.send(b"r")
        terminal.wait_for(in_phase(*START_PHASES), timeout=60, what="the review")
        while True:
            phase = phase_of(terminal.lines)
            if phase == "end":
                raise RuntimeError("the review ran out of items: use a fresh copy")
            last = acknowledged == target
            if phase in ("single", "multiple"):
                digit = str(rng.randint(1, 4)).encode()
                if phase == "multiple":
                    terminal.send(digit)
                    terminal.pump(0.05)
                    key = b"\r"
                else:
                    key = digit
                terminal.send(key)
                if last:
                    break
                terminal.wait_for(in_phase("feedback"), timeout=30, what="the feedback")
                acknowledged += 1
                terminal.send(b"\r")
                terminal.wait_for(in_phase(*START_PHASES), timeout=30, what="the next item")
            elif phase == "front":
                terminal.send(b" ")
                terminal.wait_for(in_phase("back"), timeout=30, what="the back")
                terminal.send(rng.choice("543210").encode())
                if last:
                    break
                terminal.wait_for(in_phase(*START_PHASES), timeout=30, what="the next item")
                acknowledged += 1
            else:
                raise RuntimeError(f"unknown phase:\n{terminal.text()}")
        time.sleep(rng.uniform(0, max_delay))
        os.kill(terminal.pid, signal.SIGKILL)
        terminal.close(timeout=5)
    return acknowledged


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the tally."""
    parser = argparse.ArgumentParser(prog="python -m bench.killtest", description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-copy", type=int, default=60, help="rounds on one copy of the data")
    parser.add_argument(
        "--max-delay-ms", type=float, default=40.0, help="longest wait, last key to kill"
    )
    args = parser.parse_args(argv)
    out = OUT.resolve()
    scratch = out / "scratch-killtest"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    os.environ["QUIZTUI_DATA_DIR"] = str(scratch / "data-unused")
    bench = Bench(out=out, scratch=scratch, runs=1, warmups=0, answers=0)
    library = prepare(LIBRARY, out / "data")
    titles = bundled_titles() + list(library.deck_titles)
    env = bench.environment("killtest")
    rng = random.Random(args.seed)
    tally = Tally()
    folder = scratch
    before = 0
    for index in range(args.rounds):
        if index % args.per_copy == 0:
            folder = bench.data_copy("killtest", library, fresh=True)
            before, _ = _log_size(folder)
        acknowledged = one_round(folder, env, titles, rng, args.max_delay_ms / 1000)
        journal = folder / "progress.pending.jsonl"
        had_journal = journal.exists() and journal.stat().st_size > 0
        after, same = _log_size(folder)
        added = after - before
        before = after
        tally.rounds += 1
        tally.acknowledged += acknowledged
        tally.stored += added
        tally.in_flight_saved += added > acknowledged
        tally.lost += max(0, acknowledged - added)
        tally.state_mismatches += not same
        tally.journal_rounds += had_journal
        if added < acknowledged or added > acknowledged + 1 or not same:
            print(
                f"round {index + 1}: acknowledged {acknowledged}, log gained {added},"
                f" states {'equal' if same else 'DIFFERENT'} to the replay",
                file=sys.stderr,
            )
    print(
        f"{tally.rounds} SIGKILLs of the app mid-review: {tally.acknowledged} answers"
        f" acknowledged on screen, {tally.stored} in the log afterwards"
        f" ({tally.in_flight_saved} rounds also kept the answer in flight), {tally.lost} lost;"
        f" stored states equal to the log's replay after {tally.rounds - tally.state_mismatches}"
        f" of {tally.rounds} kills; {tally.journal_rounds} rounds left a pending journal."
    )
    return 1 if tally.lost or tally.state_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
