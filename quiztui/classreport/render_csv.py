"""The class report as one CSV table in long form: a row per figure, ready for a pivot table.

Columns: section, part, question, check, choice, week, item, learner, figure, value. A row fills
the columns that say what its figure is about and leaves the others empty; shares stay fractions
from 0 to 1, an undefined figure is an empty value. docs/class-report.md lists every figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

COLUMNS = (
    "section",
    "part",
    "question",
    "check",
    "choice",
    "week",
    "item",
    "learner",
    "figure",
    "value",
)
"""The CSV's header."""

Row = dict[str, Any]


def _figures(base: Row, figures: dict[str, Any], names: tuple[str, ...]) -> Iterator[Row]:
    for name in names:
        yield {**base, "figure": name, "value": figures[name]}


def _question_rows(part_id: str, question: dict[str, Any]) -> Iterator[Row]:
    base: Row = {"section": "question", "part": part_id, "question": question["id"]}
    yield from _figures(base, question, ("normalized_gain", "mean_learner_gain", "learner_gains"))
    for check in ("pre", "post"):
        figures = question[check]
        if figures is None:
            continue
        yield from _figures(
            {**base, "check": check},
            figures,
            ("answers", "learners", "facility", "discrimination", "misleading"),
        )
        for response in figures["responses"]:
            yield from _figures(
                {**base, "section": "response", "check": check, "choice": response["choice"]},
                response,
                ("correct", "picked", "share", "never_picked", "misleading"),
            )


def rows(document: dict[str, Any]) -> Iterator[Row]:
    """Every figure of the document as a row."""
    yield from _figures({"section": "class"}, document["class"], ("files", "learners", "skipped"))
    for part in document["parts"]:
        base: Row = {"section": "part", "part": part["id"]}
        for check in ("pre", "post"):
            yield from _figures({**base, "check": check}, part[check], ("learners", "facility"))
        yield from _figures(base, part, ("normalized_gain", "mean_learner_gain", "learner_gains"))
        for question in part["questions"]:
            yield from _question_rows(part["id"], question)
        for week in part["retention"]:
            yield from _figures(
                {"section": "retention", "part": part["id"], "week": week["week"]},
                week,
                ("reviews", "learners", "recalled"),
            )
    for item in document["lapses"]:
        yield from _figures(
            {"section": "lapses", "part": item["part_id"], "item": item["item_id"]},
            item,
            ("lapses", "learners"),
        )
    for learner in document["learners"]:
        base = {"section": "learner", "learner": learner["name"]}
        yield from _figures(base, learner, ("answers", "items_learned", "last_active_day"))
        for part in learner["parts"]:
            yield from _figures({**base, "part": part["part_id"]}, part, ("pre", "post", "learned"))


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def render_csv(document: dict[str, Any]) -> str:
    """The whole report as CSV text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(document):
        writer.writerow({key: _value(row.get(key)) for key in COLUMNS})
    return buffer.getvalue()
