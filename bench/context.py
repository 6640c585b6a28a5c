"""What every section of the suite shares: where things are, how many runs, how to start processes.

Every process the suite starts gets its own `QUIZTUI_DATA_DIR` (through `--data-dir` or the
environment) and `QUIZTUI_CACHE_DIR` under the scratch folder, so nothing touches a learner's
files, and the generated libraries under `bench/out/data/` are only ever copied, never opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.library import Library

REPO = Path(__file__).resolve().parent.parent
"""The repository (the peers run from here with `python -m bench.NAME`)."""


def quiztui_command() -> str:
    """The venv's `quiztui` console script, as a user starts it."""
    beside = Path(sys.executable).parent / "quiztui"
    if beside.is_file():
        return str(beside)
    found = shutil.which("quiztui")
    if found is None:
        raise RuntimeError("no quiztui console script: pip install -e '.[bench]'")
    return found


@dataclass(slots=True)
class Bench:
    """The run's settings and its scratch folder."""

    out: Path
    """Where results and the generated libraries (`out/data/`) are kept (bench/out)."""
    scratch: Path
    """Copies of the libraries, and the children's caches: emptied at the start of a run."""
    runs: int
    """Counted runs per figure (alternating with the peer)."""
    warmups: int
    """Uncounted runs before them (they fill the deck cache, the page cache)."""
    answers: int
    """Answers per run in row c."""
    libraries: dict[str, Library] = field(default_factory=dict)
    """The generated libraries by size name ("10k", "100k")."""
    smoke: bool = False
    """Tiny sizes: the figures mean nothing, only that every row comes out."""

    def environment(self, name: str) -> dict[str, str]:
        """The environment of a child process, with its own cache (kept across its runs)."""
        environment = dict(os.environ)
        environment["QUIZTUI_CACHE_DIR"] = str(self.scratch / "cache" / name)
        environment["QUIZTUI_DATA_DIR"] = str(self.scratch / "data-unused")
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
        )
        environment.pop("TEXTUAL", None)  # no devtools
        # A user's Python keeps compiled modules (pip writes them; an editable install writes
        # them on the first start): a machine that forbids it would compile every start.
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        return environment

    def data_copy(self, name: str, library: Library | None, *, fresh: bool = False) -> Path:
        """The data directory a child uses: a copy of `library`, or an empty one (None)."""
        target = self.scratch / "data" / name
        if target.exists() and not fresh:
            return target
        if library is None:
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            return target
        return library.copy_to(target)


def run_process(argv: list[str], env: dict[str, str], timeout: float = 600) -> tuple[float, str]:
    """Run a command to its end; (seconds from just before the start to its exit, stdout)."""
    start = time.perf_counter()
    completed = subprocess.run(
        argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited {completed.returncode}:\n{completed.stderr[-3000:]}"
        )
    return elapsed, completed.stdout


def alternate(runs: int, warmups: int) -> list[tuple[int, bool]]:
    """(run index or -1 for a warm-up, peer first?) in order: the sides swap who goes first."""
    order = [(-1, index % 2 == 1) for index in range(warmups)]
    order += [(index, index % 2 == 1) for index in range(runs)]
    return order
