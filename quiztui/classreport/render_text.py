"""How figures read in every renderer: shares as whole percentages, indices to two decimals.

A missing figure reads as an en dash, the same everywhere, so that a blank never looks like 0%.
"""

from __future__ import annotations

from typing import Any

from quiztui.wording import plural

MISSING = "–"
"""What an undefined figure shows."""


def percent(value: float | None) -> str:
    """A share 0-1 as a whole percentage ("85%"), or the dash."""
    return MISSING if value is None else f"{round(value * 100)}%"


def index(value: float | None) -> str:
    """A gain or a correlation to two decimals ("0.42", "-0.10"), or the dash."""
    return MISSING if value is None else f"{value:.2f}"


def learners(count: int) -> str:
    """ "1 learner", "2 learners"."""
    return plural(count, "learner")


def part_summary(part: dict[str, Any]) -> str:
    """A part's line under its heading: facility before and after, the gains, who counts."""
    return (
        f"Pre-check {percent(part['pre']['facility'])} ({learners(part['pre']['learners'])}) →"
        f" post-check {percent(part['post']['facility'])}"
        f" ({learners(part['post']['learners'])})"
        f" · normalized gain {index(part['normalized_gain'])}"
        f" · mean of learners' gains {index(part['mean_learner_gain'])}"
        f" ({learners(part['learner_gains'])})"
    )


def check_facility(question: dict[str, Any], check: str) -> float | None:
    """A question's facility in a check, None when the check has no answer to it."""
    figures = question.get(check)
    return None if figures is None else figures["facility"]


def check_figure(question: dict[str, Any], check: str, key: str) -> Any:
    """One figure of a question's check (None when the check has no answer to it)."""
    figures = question.get(check)
    return None if figures is None else figures[key]


def question_flags(question: dict[str, Any]) -> list[str]:
    """Short warnings about a question: a misleading distractor, distractors nobody picked,
    a negative discrimination (the stronger learners did worse on it)."""
    flags: list[str] = []
    for check in ("pre", "post"):
        figures = question.get(check)
        if figures is None:
            continue
        misleading = [r["choice"] for r in figures["responses"] if r["misleading"]]
        if misleading:
            verb = "beats" if len(misleading) == 1 else "beat"
            flags.append(f"{check}: {', '.join(misleading)} {verb} the answer")
        unused = [r["choice"] for r in figures["responses"] if r["never_picked"]]
        if unused:
            flags.append(f"{check}: nobody picked {', '.join(unused)}")
        discrimination = figures["discrimination"]
        if discrimination is not None and discrimination < 0:
            flags.append(f"{check}: negative discrimination")
    return flags


def one_line(text: str, limit: int = 90) -> str:
    """Text on one line, cut with an ellipsis past `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
