"""The table's rows: each run's raw numbers, min/median/max, the ratio to the peer, the verdict.

A row holds the raw figure of each run for quiztui and for its peer, measured alternately in the
same run of the suite; the ratio is taken run by run (quiztui's run i over the peer's run i), and
the verdict judges the median of the runs. Nothing here measures anything.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Series:
    """One figure measured once per run, in `unit` ("ms", "MB", "x")."""

    unit: str
    runs: list[float] = field(default_factory=list)
    """Each run's raw figure, in the order measured."""

    @property
    def median(self) -> float:
        """The median over the runs."""
        return statistics.median(self.runs)

    def spread(self) -> str:
        """ "min / median / max unit" (one figure when there is a single run)."""
        if not self.runs:
            return "n/a"
        unit = self.unit if self.unit == "x" else f" {self.unit}"
        if len(self.runs) == 1:
            return f"{_number(self.runs[0])}{unit}"
        low, mid, high = min(self.runs), self.median, max(self.runs)
        return f"{_number(low)} / {_number(mid)} / {_number(high)}{unit}"


def _number(value: float) -> str:
    """A figure with as many digits as it deserves."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratios(ours: Series, peer: Series) -> Series:
    """quiztui's run i over the peer's run i, for every run."""
    return Series("x", [a / b for a, b in zip(ours.runs, peer.runs, strict=True) if b])


@dataclass(slots=True)
class Row:
    """One line of the table, and the raw numbers behind it."""

    key: str
    """A stable id ("a.bundled"): the smoke test checks that every one comes out."""
    what: str
    ours: Series
    peer: Series | None
    peer_name: str
    target: str
    """What must hold, as written in the issue ("<= 1.15x"), or "(info)"."""
    judge: Callable[[Row], bool] | None = None
    """Whether the target is met, from the medians; None for a row shown for information."""
    details: dict[str, Any] = field(default_factory=dict)
    """Anything else worth keeping from the runs (per-key latencies, counts)."""

    @property
    def ratio(self) -> Series | None:
        """The run-by-run ratios to the peer (None without a peer)."""
        if self.peer is None or not self.peer.runs:
            return None
        return ratios(self.ours, self.peer)

    @property
    def met(self) -> str:
        """ "yes", "NO", or "" (no target, or nothing to judge)."""
        if self.judge is None or not self.ours.runs:
            return ""
        return "yes" if self.judge(self) else "NO"

    def cells(self) -> tuple[str, ...]:
        """The row as table cells."""
        ratio = self.ratio
        peer = f"{self.peer.spread()} {self.peer_name}" if self.peer else self.peer_name
        return (
            self.what,
            self.ours.spread(),
            peer.strip(),
            ratio.spread() if ratio else "",
            self.target,
            self.met,
        )

    def record(self) -> dict[str, Any]:
        """The row as JSON-ready data, raw runs included."""
        ratio = self.ratio
        return {
            "key": self.key,
            "what": self.what,
            "quiztui": {"unit": self.ours.unit, "runs": self.ours.runs},
            "peer": None
            if self.peer is None
            else {"name": self.peer_name, "unit": self.peer.unit, "runs": self.peer.runs},
            "ratio": None if ratio is None else ratio.runs,
            "target": self.target,
            "met": self.met,
            "details": self.details,
        }


def ratio_at_most(limit: float) -> Callable[[Row], bool]:
    """The median run-by-run ratio is at most `limit`."""

    def judge(row: Row) -> bool:
        ratio = row.ratio
        return ratio is not None and bool(ratio.runs) and ratio.median <= limit

    return judge


def median_at_most(limit: float) -> Callable[[Row], bool]:
    """quiztui's median figure is at most `limit` (in its unit)."""
    return lambda row: row.ours.median <= limit


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `samples`."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def render(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    header = ("", "quiztui (min / median / max)", "peer", "ratio", "target", "met")
    lines = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(cells) for cells in lines[1:]]
    )


def raw_lines(rows: list[Row]) -> str:
    """Every run's raw numbers, one line per row and side."""
    out = []
    for row in rows:
        out.append(f"{row.key}: quiztui {row.ours.unit} {_runs(row.ours.runs)}")
        if row.peer is not None:
            out.append(f"{row.key}: peer    {row.peer.unit} {_runs(row.peer.runs)}")
    return "\n".join(out)


def _runs(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"
