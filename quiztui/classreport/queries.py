"""The SQL the report runs, kept in `sql/*.sql` so it can be read, and run elsewhere, as SQL.

Each file holds one or more statements separated by a semicolon at the end of a line; `$name`
stands for a parameter. Most files build one table from the tables before them (see
docs/class-report.md); the `stage_*` files are DuckDB's own (they read JSON), the rest are plain
SQL over the Parquet tables.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

REPORT_QUERIES: tuple[str, ...] = (
    "chosen_attempts",
    "check_answers",
    "question_stats",
    "responses",
    "learner_scores",
    "question_gain",
    "part_stats",
    "schedule_changes",
    "lapses",
    "retention",
    "learner_parts",
    "learner_activity",
)
"""The figures' queries, in the order they run (each may read the tables of those before)."""


@cache
def sql_text(name: str) -> str:
    """The text of `sql/<name>.sql`."""
    return resources.files("quiztui.classreport").joinpath("sql", f"{name}.sql").read_text("utf-8")


def statements(name: str) -> list[str]:
    """The statements of `sql/<name>.sql`, comments kept, in order."""
    parts = sql_text(name).split(";\n")
    return [part.strip() for part in parts if _has_code(part)]


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


def run(connection: duckdb.DuckDBPyConnection, name: str, **parameters: Any) -> None:
    """Run every statement of `sql/<name>.sql`, with the `$name` parameters it uses."""
    for statement in statements(name):
        used = {key: value for key, value in parameters.items() if f"${key}" in statement}
        connection.execute(statement, used)
