"""Anki's and Moodle's HTML reduced to the Markdown a deck holds.

Fields exported by Anki (and GIFT's `[html]` texts) are HTML: bold and italics, line breaks, lists,
code, entities. quiztui texts are Markdown, so the common tags become their Markdown spelling, line
breaks become paragraph breaks (a single newline inside a Markdown paragraph reads as a space),
other tags are dropped keeping their text, and media references are collected so the importer can
report them as not carried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`", "kbd": "`"}
_BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


def looks_like_html(text: str) -> bool:
    """True when the text has a tag or an entity, so it should be read as HTML."""
    return bool(_TAG.search(text) or _ENTITY.search(text))


@dataclass(slots=True)
class Reduced:
    """Markdown made from HTML, and the media files it referred to (not carried)."""

    text: str
    media: list[str] = field(default_factory=list)


class _Reducer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.media: list[str] = []
        self.lists: list[list[int]] = []
        """For each open list: [the next item number], or [] for a bulleted list."""
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "br":
            self.out.append("\n\n" if not self.lists else " ")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in ("ul", "ol"):
            self.lists.append([1] if tag == "ol" else [])
            self.out.append("\n\n")
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1]:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            self.out.append("\n" + "  " * max(len(self.lists) - 1, 0) + marker)
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag in ("img", "audio", "video", "source"):
            src = dict(attrs).get("src")
            if src:
                self.media.append(src)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            self.out.append("\n```\n\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.out.append(data)
        else:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> Reduced:
    """The Markdown for an HTML fragment, with the media it referenced listed apart."""
    media = _SOUND.findall(html)
    html = _SOUND.sub("", html)
    reducer = _Reducer()
    reducer.feed(html)
    reducer.close()
    text = "".join(reducer.out)
    text = re.sub(r"\*\*(\s*)\*\*", r"\1", text)  # <b></b> and adjacent bold runs
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+(?![-0-9])", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return Reduced(text.strip(), [*reducer.media, *media])


def escape_markdown(text: str) -> str:
    """Plain text made safe to read as Markdown: the characters that would format are escaped."""
    return re.sub(r"([\\`*_\[\]<])", r"\\\1", text)


def markdown_to_html(markdown: str) -> str:
    """A deck text (Markdown) as HTML, for the formats whose texts are HTML (Anki, QTI)."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark").render(markdown)).strip()
