"""Row c: key to screen in a real terminal, through the day's review, GC on, nothing arranged.

quiztui starts in a fresh pty on a fresh copy of the 10,000-item library; once the deck list is
up, `r` opens the day's review ("Review · N left"). Then, item after item, the driver reads the
screen and types what a learner would: a question is answered with a digit (a multiple-answer
question: a digit ticks a choice, Enter submits), then Enter goes on; a flashcard is Space to
reveal, then a digit 0-5 grades it. Each key is timed from its write to the pty until the
terminal has received the screen it leads to: the feedback, the revealed back, the next item
(told by the status line's phase text), or for a tick any change of the screen. The driver sends
the next key at once, or after a pause of `pause` seconds in which it keeps reading the screen;
it never waits for the app to be idle, and the app runs with its garbage collector as it is.

The peer (`bench.peer_app`) gets the same number of keys with the same pause, each timed until
its header line shows the new count; the two alternate run by run.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Literal

from bench.context import Bench, quiztui_command
from bench.figures import Row, Series, percentile
from bench.library import Library
from bench.paint import bundled_titles, deck_list_shown, peer_shown
from bench.terminal import Predicate, Terminal

Phase = Literal["single", "multiple", "front", "back", "feedback", "end", "unknown"]

_STATUS_PHASES: tuple[tuple[str, Phase], ...] = (
    ("Pick an answer", "single"),
    ("Tick every right choice", "multiple"),
    ("Recall the back", "front"),
    ("How well did you recall it?", "back"),
    ("Right", "feedback"),
    ("Not quite", "feedback"),
)
"""What the review screen's status line (just above the key bar) says in each phase."""

_END_TEXTS = ("Review · finished", "Review · nothing due")

START_PHASES: frozenset[Phase] = frozenset({"single", "multiple", "front", "end"})
"""The phases an item starts in (or the session's end)."""

TARGET_P99_MS = 16.0


def phase_of(lines: list[str]) -> Phase:
    """The review screen's phase, from its status line and header."""
    if any(text in line for line in lines[:3] for text in _END_TEXTS):
        return "end"
    status = " ".join(lines[-4:-1])
    for text, phase in _STATUS_PHASES:
        if text in status:
            return phase
    return "unknown"


def in_phase(*phases: Phase) -> Predicate:
    """The screen is in one of `phases`."""
    wanted = frozenset(phases)
    return lambda lines: phase_of(lines) in wanted


def changed_from(before: list[str]) -> Predicate:
    """The screen is no longer `before`."""
    return lambda lines: lines != before


@dataclass(slots=True)
class KeyRun:
    """One run's keys: each key's latency (ms) and what it was."""

    latencies: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    answers: int = 0
    questions: int = 0
    cards: int = 0

    @property
    def p99(self) -> float:
        """The run's 99th percentile key latency, ms."""
        return percentile(self.latencies, 0.99)


def _press(
    terminal: Terminal, run: KeyRun, key: bytes, kind: str, until: Predicate | None, pause: float
) -> None:
    """Wait `pause` (reading the screen), type `key`, time it until `until` holds.

    `until` None waits for any change of the screen from what it is when the key goes out.
    """
    if pause:
        terminal.pump(pause)
    terminal.drain()  # what has already arrived is drawn before the key goes out
    predicate = changed_from(terminal.lines) if until is None else until
    sent = terminal.send(key)
    shown = terminal.wait_for(predicate, timeout=30, what=f"the screen after {kind}")
    run.latencies.append(max(0.0, shown - sent) * 1000)
    run.kinds.append(kind)


def review_run(library: Library, bench: Bench, pause: float, seed: int) -> KeyRun:
    """Answer up to `bench.answers` items of the day's review in a fresh quiztui."""
    data_dir = bench.data_copy("keys", library, fresh=True)
    rng = random.Random(seed)
    run = KeyRun()
    argv = [quiztui_command(), "--data-dir", str(data_dir)]
    titles = bundled_titles() + list(library.deck_titles)
    with Terminal(argv, bench.environment("keys")) as terminal:
        terminal.wait_for(deck_list_shown(titles), timeout=300, what="the deck list")
        terminal.send(b"r")
        terminal.wait_for(in_phase(*START_PHASES), timeout=60, what="the review")
        while run.answers < bench.answers:
            phase = phase_of(terminal.lines)
            if phase == "end":
                break
            if phase in ("single", "multiple"):
                digit = str(rng.randint(1, 4)).encode()
                if phase == "multiple":
                    _press(terminal, run, digit, "tick", None, pause)
                    _press(terminal, run, b"\r", "submit", in_phase("feedback"), pause)
                else:
                    _press(terminal, run, digit, "pick", in_phase("feedback"), pause)
                _press(terminal, run, b"\r", "next", in_phase(*START_PHASES), pause)
                run.questions += 1
            elif phase == "front":
                _press(terminal, run, b" ", "reveal", in_phase("back"), pause)
                grade = rng.choices("543210", weights=(30, 40, 15, 8, 5, 2))[0].encode()
                _press(terminal, run, grade, "grade", in_phase(*START_PHASES), pause)
                run.cards += 1
            else:
                raise RuntimeError(f"the review screen is in no known phase:\n{terminal.text()}")
            run.answers += 1
    return run


def peer_run(bench: Bench, keys: int, pause: float) -> KeyRun:
    """`keys` keys to the peer app, each timed until its header shows the new count."""
    run = KeyRun()
    argv = [sys.executable, "-m", "bench.peer_app"]
    with Terminal(argv, bench.environment("peer")) as terminal:
        terminal.wait_for(peer_shown, timeout=120, what="the peer's row")
        left = 10_000
        for _ in range(keys):
            left -= 1
            header = f"Peer · {left} left"
            _press(terminal, run, b"x", "key", lambda lines, h=header: h in lines[0], pause)
    return run


def key_rows(bench: Bench) -> list[Row]:
    """Row c with and without the pause: per run p99 for quiztui and the peer."""
    library = bench.libraries["10k"]
    rows = []
    # One uncounted start fills the deck cache and checks the copy of the store.
    for _ in range(bench.warmups):
        warm = bench.data_copy("keys", library, fresh=True)
        with Terminal([quiztui_command(), "--data-dir", str(warm)], bench.environment("keys")) as t:
            t.wait_for(deck_list_shown(bundled_titles() + list(library.deck_titles)), 300)
    for pause, key in ((0.0, "c.no-pause"), (0.05, "c.pause-50ms")):
        ours, peer = Series("ms"), Series("ms")
        details: dict[str, list[object]] = {"quiztui": [], "peer": []}
        for index in range(bench.runs):
            pair: list[tuple[str, KeyRun]] = []
            quiztui = review_run(library, bench, pause, seed=index + 1)
            other = peer_run(bench, len(quiztui.latencies), pause)
            pair = [("quiztui", quiztui), ("peer", other)]
            for side, run in pair:
                (ours if side == "quiztui" else peer).runs.append(run.p99)
                details[side].append(
                    {
                        "answers": run.answers,
                        "questions": run.questions,
                        "cards": run.cards,
                        "keys": len(run.latencies),
                        "p50": percentile(run.latencies, 0.5) if run.latencies else None,
                        "p99": run.p99 if run.latencies else None,
                        "max": max(run.latencies, default=None),
                        "latencies_ms": [round(v, 3) for v in run.latencies],
                        "kinds": run.kinds,
                    }
                )
            print(
                f"  {key} run {index + 1}: quiztui {quiztui.answers} answers"
                f" ({quiztui.questions} questions, {quiztui.cards} cards), p99"
                f" {quiztui.p99:.1f} ms; peer p99 {other.p99:.1f} ms",
                file=sys.stderr,
            )
        answers = sum(d["answers"] for d in details["quiztui"])  # type: ignore[index]
        rows.append(
            Row(
                key,
                f"c. key to screen, p99 per run ({'no pause' if not pause else '50 ms pause'}"
                f" between keys; {answers:,} answers in all)",
                ours,
                peer,
                "peer (one-row DataTable)",
                f"p99 <= {TARGET_P99_MS:.0f} ms",
                lambda row: row.ours.median <= TARGET_P99_MS,
                {"runs": details},
            )
        )
    return rows
