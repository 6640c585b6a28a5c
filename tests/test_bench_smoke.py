"""The benchmark suite still runs end to end: a tiny workload, every row printed, no timings judged.

The full run (`python -m bench`, minutes) stays out of CI; this keeps it from rotting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

EXPECTED_ROWS = (
    "a.bundled",
    "a.big",
    "a.big-cold",
    "b.queue",
    "b.counts",
    "b.first",
    "c.screens",
    "c.answers",
    "c.gc",
    "c.rushed",
    "c.drift",
    "c.core",
    "d.cold",
    "d.warm",
    "d.warm-memory",
    "e.memory-first",
    "e.memory",
)


def test_the_bench_prints_every_row_with_a_tiny_workload(tmp_path: Path) -> None:
    """`python -m bench` with 50 items and 200 reviews: exit 0, the table complete."""
    out = tmp_path / "rows.json"
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--items",
            "50",
            "--reviews",
            "200",
            "--runs",
            "1",
            "--answers",
            "5",
            "--skip-anki-if-missing",
            "--workdir",
            str(tmp_path / "workload"),
            "--json",
            str(out),
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    rows = json.loads(out.read_text())
    assert [row["key"] for row in rows] == list(EXPECTED_ROWS)
    for row in rows:
        assert row["quiztui"], row
        assert row["what"] in completed.stdout
    header = next(line for line in completed.stdout.splitlines() if line.startswith("|"))
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == [
        "quiztui",
        "peer",
        "ratio",
        "target",
        "met",
    ]
