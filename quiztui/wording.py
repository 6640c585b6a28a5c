"""Small pieces of English every front end and command shares, so a count reads the same
everywhere ("1 part", "2 parts")."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`1 question`, `2 questions`: a count with its noun (a regular plural)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
