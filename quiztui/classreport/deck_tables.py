"""The deck as tables the SQL joins: parts, items, choices, and the ids items and parts had before.

`deck_items.text` is a question's prompt or a key point's front, for the report's tables; every
id an item or part has or had (`renamed_from`) maps to it, so a learner's history under an old
id counts as the item's own, as it does in the app. Answers refer to items by `item_no`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiztui.deck.model import Deck, Question

if TYPE_CHECKING:
    import duckdb

_TABLES = (
    "CREATE OR REPLACE TABLE deck_ids (deck_id VARCHAR)",
    "CREATE OR REPLACE TABLE deck_parts (part_id VARCHAR, part_no INTEGER, title VARCHAR)",
    "CREATE OR REPLACE TABLE deck_items (item_id VARCHAR, part_id VARCHAR, item_no INTEGER,"
    " kind VARCHAR, answer_key VARCHAR, in_pre BOOLEAN, in_post BOOLEAN, multiple BOOLEAN,"
    " text VARCHAR)",
    "CREATE OR REPLACE TABLE deck_choices (item_id VARCHAR, choice_id VARCHAR, choice_no INTEGER,"
    " correct BOOLEAN, text VARCHAR)",
    "CREATE OR REPLACE TABLE item_aliases (alias VARCHAR, item_no INTEGER, answer_key VARCHAR)",
    "CREATE OR REPLACE TABLE part_aliases (alias VARCHAR, part_id VARCHAR)",
)


def _insert(connection: duckdb.DuckDBPyConnection, table: str, columns: list[list[Any]]) -> None:
    """Insert rows given column by column, in one statement (DuckDB's executemany is slow)."""
    if not columns or not columns[0]:
        return
    unnests = ", ".join(f"unnest($c{n})" for n in range(len(columns)))
    connection.execute(
        f"INSERT INTO {table} SELECT {unnests}",
        {f"c{n}": column for n, column in enumerate(columns)},
    )


def load_deck_tables(connection: duckdb.DuckDBPyConnection, deck: Deck) -> None:
    """Create and fill the deck's tables."""
    for statement in _TABLES:
        connection.execute(statement)
    _insert(connection, "deck_ids", [[deck.id, *deck.renamed_from]])
    parts: list[list[Any]] = [[], [], []]
    items: list[list[Any]] = [[] for _ in range(9)]
    choices: list[list[Any]] = [[] for _ in range(5)]
    item_aliases: list[list[Any]] = [[], [], []]
    part_aliases: list[list[Any]] = [[], []]
    item_no = 0
    for part_no, part in enumerate(deck.parts, start=1):
        for column, value in zip(parts, (part.id, part_no, part.title), strict=True):
            column.append(value)
        for alias in (part.id, *part.renamed_from):
            part_aliases[0].append(alias)
            part_aliases[1].append(part.id)
        for item in part.items():
            item_no += 1
            question = item if isinstance(item, Question) else None
            row = (
                item.id,
                part.id,
                item_no,
                item.kind,
                item.answer_key,
                question is not None and "pre" in question.checks,
                question is not None and "post" in question.checks,
                question is not None and question.multiple,
                question.prompt if question is not None else getattr(item, "front", ""),
            )
            for column, value in zip(items, row, strict=True):
                column.append(value)
            for alias in (item.id, *item.renamed_from):
                item_aliases[0].append(alias)
                item_aliases[1].append(item_no)
                item_aliases[2].append(item.answer_key)
            if question is not None:
                for choice_no, choice in enumerate(question.choices, start=1):
                    values = (question.id, choice.id, choice_no, choice.correct, choice.text)
                    for column, value in zip(choices, values, strict=True):
                        column.append(value)
    _insert(connection, "deck_parts", parts)
    _insert(connection, "deck_items", items)
    _insert(connection, "deck_choices", choices)
    _insert(connection, "item_aliases", item_aliases)
    _insert(connection, "part_aliases", part_aliases)
