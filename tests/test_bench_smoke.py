"""The benchmark suite still runs end to end: `python -m bench --smoke` prints every row.

Tiny libraries, one run, no verdicts: this checks that each row comes out, never how fast (the
targets live in the benchmark's table, docs/benchmarks.md). The full run stays out of CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return environment


def test_the_smoke_run_prints_every_row(tmp_path: Path) -> None:
    """Exit 0, every row of the table printed and written with its raw numbers."""
    pytest.importorskip("pyte", reason="the bench extra (pip install -e '.[bench]') is missing")
    sys.path.insert(0, str(REPO))
    from bench.__main__ import ROW_KEYS

    out = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path), "--json", str(out)],
        cwd=REPO,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    results = json.loads(out.read_text())
    assert results["smoke"] is True
    assert [row["key"] for row in results["rows"]] == list(ROW_KEYS)
    for row in results["rows"]:
        assert row["quiztui"]["runs"], row["key"]
        assert row["what"] in completed.stdout
        assert row["met"] == ""  # the smoke run judges nothing
    header = next(line for line in completed.stdout.splitlines() if line.startswith("|"))
    cells = [cell.strip() for cell in header.strip("|").split("|")]
    assert cells[2:] == ["peer", "ratio", "target", "met"]


def test_a_generated_library_replays_to_its_stored_states(tmp_path: Path) -> None:
    """The generator's item states are exactly what replaying its log gives, over several decks."""
    sys.path.insert(0, str(REPO))
    from bench.library import LibrarySpec, prepare
    from quiztui.store import Store

    library = prepare(LibrarySpec(90, 500, 3), tmp_path / "data")
    with Store.open(library.database, backups_dir=tmp_path / "backups") as store:
        assert store.review_count() == 500
        live = store.live_states()
        assert live == store.rebuild_states()
    assert len({deck_id for deck_id, _ in live}) == 3
    assert library.due_today > 0
