"""SM-2 behind the scheduler protocol: `quiztui.sm2` exactly, with its same-day re-drill."""

from __future__ import annotations

import json
from datetime import date

from quiztui import sm2
from quiztui.scheduling.base import ScheduleState


class Sm2Scheduler:
    """SuperMemo 2 as docs/scheduling.md pins it down; the default."""

    name = "sm2"
    basis = json.dumps({"scheduler": "sm2"}, sort_keys=True)
    counts_same_day_reviews = False

    def review(self, state: ScheduleState | None, grade: int, day: date) -> ScheduleState:
        """`sm2.review`: only the first graded review of a learning day changes anything."""
        if state is not None and not isinstance(state, sm2.ItemState):
            raise TypeError("an FSRS state cannot be reviewed by SM-2 (replay the log)")
        return sm2.review(state, grade, day)

    def back_today(self, state: ScheduleState | None, grade: int, day: date) -> bool:
        """SM-2's step 7: everything graded below 4 comes back the same day."""
        return sm2.needs_redrill(grade)

    def retrievability(self, state: ScheduleState, day: date) -> float | None:
        """SM-2 predicts no recall probability."""
        return None


SM2 = Sm2Scheduler()
"""The default scheduler (it holds no settings, so one instance serves all)."""
