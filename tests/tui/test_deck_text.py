"""Deck text drawn through the plain-text fast path looks exactly as rich's Markdown draws it."""

from __future__ import annotations

import io

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.text import Text

from quiztui.tui.deck_text import deck_text, is_plain


def drawn(renderable: RenderableType, width: int) -> list[str]:
    """The lines `renderable` takes at `width`, trailing blanks cut (as a page pads them)."""
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable, end="")
    return [line.rstrip() for line in console.export_text().rstrip("\n").split("\n")]


WORDS = st.text(
    alphabet=st.sampled_from(list("abcXYZ019.,;:?'\"()%/+=-@$^ \n")), min_size=0, max_size=120
)


@settings(max_examples=300, deadline=None)
@given(text=WORDS, width=st.integers(min_value=8, max_value=60))
def test_plain_text_draws_as_markdown_would(text: str, width: int) -> None:
    assume(is_plain(text.strip()))
    fast = deck_text(text)
    assert isinstance(fast, Text)
    assert drawn(fast, width) == drawn(Markdown(text.strip(), hyperlinks=False), width)


def test_markdown_syntax_takes_the_markdown_path() -> None:
    syntax = ["Use `code`", "- a\n- b", "1. one", "**bold**", "a\n\n\tcode", "Title\n===", "x  \ny"]
    for text in syntax:
        assert isinstance(deck_text(text), Markdown), text


def test_a_text_is_converted_once() -> None:
    assert deck_text("The same words, twice.") is deck_text("The same words, twice.")
