"""The class report's benchmark still runs end to end on a tiny class; no timing is judged.

The full run (`python -m bench.classreport`: 30, 1,000 and 10,000 learners) stays out of CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

REPO = Path(__file__).resolve().parent.parent


def test_the_benchmark_prints_its_table(tmp_path: Path) -> None:
    argv = ["--sizes", "4", "--runs", "1", "--format", "json", "--workdir", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, "-m", "bench.classreport", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("load average before: ")
    assert lines[1].startswith("| learners |")
    assert lines[3].startswith("| 4 | ")
    assert (tmp_path / "report-4.json").is_file()
