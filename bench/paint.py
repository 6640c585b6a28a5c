"""Rows a (first paint in a real terminal) and e (memory at the home screen): one pty run each.

`quiztui --data-dir D` starts in a fresh pty of 80x24 (`bench.terminal`); the clock runs from
just before the fork until the screen shows the deck list: the "Deck" header, every deck's
title, and no "Loading decks" left. A second clock runs on until the counts are in too (the
status no longer says it is counting), shown for information. The peer (`bench.peer_app`, a
one-row DataTable) starts the same way, its clock stopped when its row is visible; the two
alternate run by run. Once the counts are up the terminal keeps reading for a second, then the
program's peak resident memory (VmHWM in /proc) is read for row e, and the program is quit
with Ctrl+Q.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from bench.context import Bench, alternate, quiztui_command
from bench.figures import Row, Series, median_at_most, ratio_at_most
from bench.library import Library
from bench.peer_app import PEER_ROW
from bench.terminal import Predicate, Terminal

SETTLE_SECONDS = 1.0
"""How long the home screen stays up before its memory is read."""


def bundled_titles() -> list[str]:
    """The titles of the decks that ship with quiztui (always on the home screen)."""
    from quiztui.deck.library import bundled_deck_paths
    from quiztui.deck.loader import load_deck

    return [load_deck(path, use_cache=False).title for path in bundled_deck_paths()]


def deck_list_state(lines: list[str], titles: list[str]) -> str | None:
    """ "full" when the deck list is on the screen with every title, None while it is not.

    "collapsed" when every deck's row is there but the Deck column is cut to a few cells (a
    layout flake of the home screen, reported to the lead): the list is on the screen all
    the same, so the clock stops, and the run counts it.
    """
    screen = "\n".join(lines)
    if "Loading decks" in screen:
        return None
    cells = [line.strip() for line in lines]
    if not any(cell.startswith("Deck ") for cell in cells):
        return None
    if all(title in screen for title in titles):
        return "full"
    heads = [cell.split("  ", 1)[0] for cell in cells]
    if all(any(len(h) >= 3 and title.startswith(h) for h in heads) for title in titles):
        return "collapsed"
    return None


def deck_list_shown(titles: list[str]) -> Predicate:
    """The home screen's deck list is on the screen: header row and every deck, loaded."""
    return lambda lines: deck_list_state(lines, titles) is not None


def counts_shown(titles: list[str]) -> Predicate:
    """The deck list is on the screen and its counts are in (the status says no more that it
    is counting): what a learner waits for to know what is due."""
    listed = deck_list_shown(titles)
    return lambda lines: listed(lines) and COUNTING not in "\n".join(lines)


COUNTING = "Counting what is due"
"""The home screen's status while the decks are listed but not yet counted."""


def peer_shown(lines: list[str]) -> bool:
    """The peer's one row is on the screen."""
    return any(PEER_ROW in line for line in lines)


def _one_start(
    argv: list[str], env: dict[str, str], shown: Predicate, counted: Predicate
) -> tuple[float, float, float, list[str]]:
    """(seconds to the screen, seconds until `counted` holds too, peak MB after settling, the
    first screen) of one start in a pty."""
    with Terminal(argv, env) as terminal:
        at = terminal.wait_for(shown, timeout=300, what="the first screen")
        screen = terminal.lines
        counted_at = terminal.wait_for(counted, timeout=300, what="the counts")
        terminal.pump(SETTLE_SECONDS)
        memory = terminal.peak_rss_mb()
    return at - terminal.started_at, counted_at - terminal.started_at, memory, screen


@dataclass(slots=True)
class PaintRuns:
    """What the starts of one size measured, run by run."""

    ours: Series = field(default_factory=lambda: Series("ms"))
    peer: Series = field(default_factory=lambda: Series("ms"))
    ours_counted: Series = field(default_factory=lambda: Series("ms"))
    """Until the counts were in too (the peer has none: its row is its whole screen)."""
    ours_mb: Series = field(default_factory=lambda: Series("MB"))
    peer_mb: Series = field(default_factory=lambda: Series("MB"))
    collapsed: int = 0
    """Counted runs whose deck list came up with the Deck column collapsed."""


def first_paint(bench: Bench, name: str, library: Library | None) -> PaintRuns:
    """quiztui and the peer started alternately, each run in a fresh pty."""
    data_dir = bench.data_copy(f"paint-{name}", library)
    titles = bundled_titles() + (list(library.deck_titles) if library else [])
    ours_argv = [quiztui_command(), "--data-dir", str(data_dir)]
    peer_argv = [sys.executable, "-m", "bench.peer_app"]
    ours_env = bench.environment(f"paint-{name}")
    peer_env = bench.environment("peer")
    runs = PaintRuns()
    for index, peer_first in alternate(bench.runs, bench.warmups):
        sides = [("peer", peer_argv, peer_env), ("ours", ours_argv, ours_env)]
        for side, argv, env in sides if peer_first else sides[::-1]:
            shown = peer_shown if side == "peer" else deck_list_shown(titles)
            counted = peer_shown if side == "peer" else counts_shown(titles)
            seconds, counted_seconds, memory, screen = _one_start(argv, env, shown, counted)
            collapsed = side == "ours" and deck_list_state(screen, titles) == "collapsed"
            print(
                f"  a.{name} {'warm-up' if index < 0 else f'run {index + 1}'}"
                f" {side}: {seconds * 1000:.0f} ms"
                + (f" (counts {counted_seconds * 1000:.0f} ms)" if side == "ours" else "")
                + f", {memory:.0f} MB"
                + (" (Deck column collapsed)" if collapsed else ""),
                file=sys.stderr,
            )
            if index < 0:
                continue
            runs.collapsed += collapsed
            if side == "ours":
                runs.ours_counted.runs.append(counted_seconds * 1000)
            (runs.peer if side == "peer" else runs.ours).runs.append(seconds * 1000)
            (runs.peer_mb if side == "peer" else runs.ours_mb).runs.append(memory)
    return runs


PAINT_TARGETS = {"bundled": 1.15, "10k": 1.3, "100k": 2.0}
"""The issue's first-paint targets, as ratios to the peer."""

MEMORY_TARGETS = {"10k": 150.0, "100k": 250.0}
"""The issue's memory targets at the home screen, in MB."""


def paint_rows(bench: Bench, sizes: list[str], with_memory: bool) -> list[Row]:
    """Rows a (and e when asked) for the bundled deck and each library size."""
    rows: list[Row] = []
    count_rows: list[Row] = []
    memory_rows: list[Row] = []
    peer_name = "peer (one-row DataTable)"
    for name in ["bundled", *sizes]:
        library = bench.libraries.get(name)
        runs = first_paint(bench, name, library)
        label = "bundled deck" if library is None else library.spec.label
        rows.append(
            Row(
                f"a.{name}",
                f"a. first paint, {label}",
                runs.ours,
                runs.peer,
                peer_name,
                f"<= {PAINT_TARGETS[name]}x",
                ratio_at_most(PAINT_TARGETS[name]),
                {"deck_column_collapsed_runs": runs.collapsed},
            )
        )
        count_rows.append(
            Row(
                f"a.{name}-counts",
                f"a. ... and its counts on screen, {label}",
                runs.ours_counted,
                runs.peer,
                peer_name,
                "(info)",
            )
        )
        if with_memory and name in MEMORY_TARGETS:
            memory_rows.append(
                Row(
                    f"e.{name}",
                    f"e. peak memory at the home screen, {label}",
                    runs.ours_mb,
                    runs.peer_mb,
                    peer_name,
                    f"<= {MEMORY_TARGETS[name]:.0f} MB",
                    median_at_most(MEMORY_TARGETS[name]),
                )
            )
    return rows + count_rows + memory_rows
