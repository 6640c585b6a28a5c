"""The schedulers quiztui can use, behind one protocol: SM-2 (the default) and FSRS.

`make_scheduler` builds the one the settings name; `scheduler_from_basis` rebuilds the one a
database's states were computed under. py-fsrs is imported only when FSRS is built.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from quiztui.scheduling.base import SCHEDULER_NAMES, Scheduler, ScheduleState
from quiztui.scheduling.fsrs_state import FsrsState
from quiztui.scheduling.sm2_scheduler import SM2, Sm2Scheduler


def make_scheduler(
    name: str, desired_retention: float = 0.9, parameters: Sequence[float] | None = None
) -> Scheduler:
    """The scheduler called `name` ("sm2" or "fsrs"); ValueError for another name."""
    if name == "sm2":
        return SM2
    if name == "fsrs":
        from quiztui.scheduling.fsrs_scheduler import FsrsScheduler

        return FsrsScheduler(desired_retention, parameters)
    raise ValueError(f"unknown scheduler {name!r} (known: {', '.join(SCHEDULER_NAMES)})")


def scheduler_from_basis(basis: str | None) -> Scheduler:
    """The scheduler a stored basis describes (SM-2 for None: every store began with it)."""
    if basis is None:
        return SM2
    data = json.loads(basis)
    if data.get("scheduler") == "fsrs":
        return make_scheduler("fsrs", data["desired_retention"], data["parameters"])
    return SM2


__all__ = [
    "SCHEDULER_NAMES",
    "SM2",
    "FsrsState",
    "ScheduleState",
    "Scheduler",
    "Sm2Scheduler",
    "make_scheduler",
    "scheduler_from_basis",
]
