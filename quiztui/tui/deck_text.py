"""A deck's Markdown text as something rich can draw, made once per text.

Deck texts are Markdown. Building rich's `Markdown` costs a fresh markdown-it parser, about a
quarter of a millisecond, and a card has up to a dozen texts, so a card took a few milliseconds
to load before it drew anything. Texts are therefore converted once and remembered, and a text
with no Markdown syntax at all (most prompts and choices) becomes plain rich `Text`, which also
draws faster. Links are shown, never followed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.console import RenderableType
from rich.markdown import Markdown
from rich.text import Text

_MARKDOWN_SYNTAX = re.compile(
    r"""[\\`*_\[\]<>#|~&!\t\r]      # inline syntax, html, entities, tables, headings; tabs
    | ^[ \t]*([-+]|\d+[.)])([ \t]|$) # list items
    | ^[ \t]{4}                      # indented code
    | ^[ \t]*[=-]+[ \t]*$            # setext headings and rules
    | [ ]{2}$                        # a hard line break
    """,
    re.MULTILINE | re.VERBOSE,
)
"""Anything that makes Markdown render differently from the plain words."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def is_plain(text: str) -> bool:
    """True when `text` has no Markdown syntax: it reads the same as plain paragraphs."""
    return _MARKDOWN_SYNTAX.search(text) is None


@lru_cache(maxsize=4096)
def deck_text(text: str) -> RenderableType:
    """`text` (deck Markdown) ready to draw: plain `Text` when it has no syntax, else Markdown.

    Plain paragraphs render as Markdown would: line breaks inside a paragraph are spaces, and
    paragraphs are one blank line apart.
    """
    stripped = text.strip()
    if is_plain(stripped):
        paragraphs = (_SOFT_BREAK.sub(" ", p.strip()) for p in _PARAGRAPH_BREAK.split(stripped))
        return Text("\n\n".join(paragraphs), end="")
    return Markdown(stripped, hyperlinks=False)


def deck_block(text: str) -> RenderableType:
    """`deck_text` that ends its own line, to stack in a rich `Group` (plain `Text` is made
    with no line end, for the pages that lay texts out themselves)."""
    shown = deck_text(text)
    if isinstance(shown, Text):
        shown = shown.copy()
        shown.end = "\n"
    return shown
