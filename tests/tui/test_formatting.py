"""The one-line summaries the lists show (browser, results, exam overview, palette): Markdown
read as a learner sees it drawn."""

from __future__ import annotations

import pytest

from quiztui.tui.formatting import first_line


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("Mars is the _____ planet.", "Mars is the _____ planet."),
        ("the **least** one, *often*", "the least one, often"),
        ("Use `__init__.py` here", "Use __init__.py here"),
        ("the `__main__` module and `*args`", "the __main__ module and *args"),
        ("see [the docs](https://example.org) first", "see the docs first"),
        ("\n\n## A heading\nmore", "A heading"),
        ("a ***** b", "a ***** b"),
    ],
)
def test_first_line_is_the_text_as_drawn(markdown: str, shown: str) -> None:
    assert first_line(markdown) == shown
