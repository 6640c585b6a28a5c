"""When another quiztui has the data folder open: say so before the app starts, and let the
learner choose.

Two apps writing one data folder would mix their answers (both resume the same check attempt).
So the app takes the data folder's lock (`quiztui.store.instance_lock`); when another app holds
it, the learner is told who (pid and since when) and chooses: open read-only (browse and
practise; nothing is written and the app says so on every screen), wait until the other one
closes, or quit. Without a terminal to ask in, quiztui says so and quits.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quiztui import locations
from quiztui.store.instance_lock import InstanceLock, LockOwner, wait_for

Ask = Callable[[str], str]
Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Opening:
    """How the app opens the data folder: holding its lock, or read-only (and why)."""

    lock: InstanceLock
    """Held unless `read_only`; release it when the app closes."""
    read_only: str | None = None
    """Why nothing may be written ("quiztui pid 4242 has it open")."""


def prompt(owner: LockOwner, data_dir: Path, *, read_only: bool = True) -> str:
    """The question put to the learner when `owner` has `data_dir` open (without the
    read-only choice for what must save, such as an exam)."""
    return (
        f"quiztui is already open on {data_dir} ({owner.describe()}).\n"
        "Two apps writing the same progress would mix up your answers.\n"
        + (
            "  r  open read-only: browse and practise; nothing you answer is saved\n"
            if read_only
            else "  (an exam saves every answer, so it cannot run read-only beside it)\n"
        )
        + "  w  wait until the other quiztui closes, then open as usual\n"
        "  q  quit (the default)\n" + ("Choose r, w or q: " if read_only else "Choose w or q: ")
    )


def _terminal_ask(question: str) -> str:
    if not sys.stdin.isatty():
        raise EOFError
    return input(question)


def _stderr_say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_data_folder(
    data_dir: Path | None = None,
    *,
    ask: Ask = _terminal_ask,
    say: Say = _stderr_say,
    sleep: Callable[[float], None] | None = None,
    read_only: bool = True,
) -> Opening | None:
    """Take the data folder's lock for the app, or ask what to do when another app has it
    (`read_only`: whether opening read-only is one of the choices).

    None: the learner chose to quit (or could not be asked); it has been said why.
    """
    data_dir = locations.data_dir() if data_dir is None else data_dir
    lock = InstanceLock(data_dir)
    owner = lock.acquire()
    if owner is None:
        return Opening(lock)
    try:
        answer = ask(prompt(owner, data_dir, read_only=read_only)).strip().lower()
    except (EOFError, KeyboardInterrupt):
        say(
            f"quiztui: {data_dir}: is open in another quiztui ({owner.describe()}); close it"
            " first, or start quiztui in a terminal to open read-only or wait."
        )
        return None
    if answer.startswith("r") and read_only:
        return Opening(lock, read_only=f"quiztui pid {owner.pid} has it open")
    if answer.startswith("w"):
        say(f"Waiting for the other quiztui ({owner.describe()}) to close; Ctrl+C to stop.")
        try:
            if sleep is None:
                wait_for(lock)
            else:
                wait_for(lock, sleep=sleep)
        except KeyboardInterrupt:
            say("quiztui: stopped waiting; nothing was opened.")
            return None
        return Opening(lock)
    say("quiztui: not opened.")
    return None
