"""The report document: the figures the SQL computed, gathered into one JSON-ready structure.

Every renderer (HTML, Markdown, CSV, JSON) reads this document and nothing else, so they all show
the same figures; docs/class-report.md documents each field. Shares are fractions from 0 to 1,
rounded to 6 decimals; a figure that is undefined is None (JSON null).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from quiztui.classreport.queries import REPORT_QUERIES, run

if TYPE_CHECKING:
    import duckdb

DOCUMENT_FORMAT = "quiztui-class-report"
"""The `format` of the JSON report."""

DOCUMENT_VERSION = 1
"""The `format_version` of the JSON report; fields are only ever added within a version."""

MOST_LAPSED = 10
"""How many items the list of the most lapsed shows."""


def share(value: Any) -> float | None:
    """A figure as the document keeps it: rounded to 6 decimals, None when undefined."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 6)


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def compute(connection: duckdb.DuckDBPyConnection) -> None:
    """Run every figure's query (the tables of the class and the deck must be loaded)."""
    for name in REPORT_QUERIES:
        run(connection, name)


def _check_figures(
    stats: dict[str, Any] | None, responses: list[dict[str, Any]]
) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {
        "answers": int(stats["answers"]),
        "learners": int(stats["learners"]),
        "facility": share(stats["facility"]),
        "discrimination": share(stats["discrimination"]),
        "misleading": any(r["misleading"] for r in responses),
        "responses": [
            {
                "choice": r["choice_id"],
                "text": r["text"],
                "correct": bool(r["correct"]),
                "picked": int(r["picked"]),
                "share": share(r["share"]),
                "never_picked": bool(r["never_picked"]),
                "misleading": bool(r["misleading"]),
            }
            for r in responses
        ],
    }


def _questions(connection: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """The question entries of each part, in deck order: the questions of its checks (one
    asked only in reviews, practice and exams has no check figures to show)."""
    stats = {
        (r["question_id"], r["check"]): r for r in _rows(connection, "SELECT * FROM question_stats")
    }
    responses: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(
        connection,
        "SELECT r.*, c.text FROM responses AS r JOIN deck_choices AS c"
        " ON c.item_id = r.question_id AND c.choice_id = r.choice_id"
        ' ORDER BY r.question_id, r."check", r.choice_no',
    ):
        responses[(r["question_id"], r["check"])].append(r)
    by_part: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in _rows(
        connection,
        "SELECT i.item_id, i.part_id, i.text, i.multiple, i.in_pre, i.in_post, g.*"
        " FROM deck_items AS i JOIN question_gain AS g ON g.question_id = i.item_id"
        " WHERE i.in_pre OR i.in_post ORDER BY i.item_no",
    ):
        qid = q["item_id"]
        by_part[q["part_id"]].append(
            {
                "id": qid,
                "prompt": q["text"],
                "multiple": bool(q["multiple"]),
                "checks": [
                    c for c, asked in (("pre", q["in_pre"]), ("post", q["in_post"])) if asked
                ],
                "pre": _check_figures(stats.get((qid, "pre")), responses[(qid, "pre")]),
                "post": _check_figures(stats.get((qid, "post")), responses[(qid, "post")]),
                "normalized_gain": share(q["normalized_gain"]),
                "mean_learner_gain": share(q["mean_learner_gain"]),
                "learner_gains": int(q["learner_gains"]),
            }
        )
    return by_part


def _parts(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    questions = _questions(connection)
    retention: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(connection, "SELECT * FROM retention ORDER BY part_id, week"):
        retention[r["part_id"]].append(
            {
                "week": int(r["week"]),
                "reviews": int(r["reviews"]),
                "learners": int(r["learners"]),
                "recalled": share(r["recalled"]),
            }
        )
    parts = []
    for p in _rows(
        connection,
        "SELECT d.title, s.* FROM deck_parts AS d JOIN part_stats AS s USING (part_id)"
        " ORDER BY d.part_no",
    ):
        parts.append(
            {
                "id": p["part_id"],
                "title": p["title"],
                "pre": {"learners": int(p["pre_learners"]), "facility": share(p["pre"])},
                "post": {"learners": int(p["post_learners"]), "facility": share(p["post"])},
                "normalized_gain": share(p["normalized_gain"]),
                "mean_learner_gain": share(p["mean_learner_gain"]),
                "learner_gains": int(p["learner_gains"]),
                "questions": questions.get(p["part_id"], []),
                "retention": retention.get(p["part_id"], []),
            }
        )
    return parts


def _lapses(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [
        {
            "item_id": r["item_id"],
            "kind": r["kind"],
            "part_id": r["part_id"],
            "text": r["text"],
            "lapses": int(r["lapses"]),
            "learners": int(r["learners"]),
        }
        for r in _rows(
            connection,
            "SELECT l.*, i.item_id, i.kind, i.part_id, i.text FROM lapses AS l JOIN deck_items AS i"
            f" USING (item_no) ORDER BY l.lapses DESC, i.item_no LIMIT {MOST_LAPSED}",
        )
    ]


def _learners(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    parts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(connection, "SELECT * FROM learner_parts ORDER BY learner_id, part_no"):
        parts[r["learner_id"]].append(
            {
                "part_id": r["part_id"],
                "pre": share(r["pre"]),
                "post": share(r["post"]),
                "learned": int(r["learned"]),
            }
        )
    learners = []
    for r in _rows(
        connection,
        "SELECT l.learner_id, l.learner, l.file, a.last_active_day, a.answers"
        " FROM learners AS l JOIN learner_activity AS a USING (learner_id) ORDER BY l.learner_no",
    ):
        own = parts.get(r["learner_id"], [])
        day = r["last_active_day"]
        learners.append(
            {
                "name": r["learner"],
                "file": r["file"],
                "last_active_day": None if day is None else day.isoformat(),
                "answers": int(r["answers"]),
                "items_learned": sum(p["learned"] for p in own),
                "parts": own,
            }
        )
    return learners


def gather(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The figures part of the document: parts (with questions and retention), lapses, learners."""
    return {
        "parts": _parts(connection),
        "lapses": _lapses(connection),
        "learners": _learners(connection),
    }
