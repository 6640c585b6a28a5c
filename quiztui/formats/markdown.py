"""Printable Markdown for a class: an answer key for the instructor and a sheet for students.

Both documents number the questions through the whole deck and letter each question's choices in
the order they are written (a list, so Markdown renderers keep one choice per line), so "3. B" in
the key names the same choice the student saw. The answer key (`answers=True`) has each part's key
points with their backs, the questions, then the answers with their explanations; the student
sheet has the key points' fronts only and the questions, with no answers anywhere. A multiple-answer
question says "choose all that apply" once: from its `multiple` flag, unless its prompt says so.
"""

from __future__ import annotations

import re

from quiztui.deck.model import Deck, Question

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALL_THAT_APPLY = "*(choose all that apply)*"
_SAYS_ALL_THAT_APPLY = re.compile(r"all\s+that\s+apply", re.IGNORECASE)


def _indent(text: str, prefix: str) -> str:
    """Text with every line after the first indented, so Markdown stays inside its list item."""
    lines = text.strip().splitlines() or [""]
    return "\n".join([lines[0], *(prefix + line if line.strip() else "" for line in lines[1:])])


def letter(index: int) -> str:
    """A choice's letter by position: A, B, C, ... then 27, 28."""
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def hint(question: Question) -> str:
    """The "choose all that apply" note a question needs (empty when its prompt says it)."""
    if not question.multiple or _SAYS_ALL_THAT_APPLY.search(question.prompt):
        return ""
    return f" {ALL_THAT_APPLY}"


def _credit(deck: Deck) -> list[str]:
    meta = [f"Deck `{deck.id}`, version {deck.version}."]
    if deck.source is not None:
        source = deck.source
        credit = f"Source: {source.title}"
        if source.author:
            credit += f", by {source.author}"
        if source.url:
            credit += f" <{source.url}>"
        if source.license:
            credit += f" ({source.license})"
        meta.append(credit + ".")
    return [" ".join(meta), ""]


def handout(deck: Deck, *, answers: bool) -> str:
    """The deck as Markdown: the answer key when `answers`, else the student sheet."""
    out: list[str] = [f"# {deck.title}", ""]
    out += _credit(deck)
    if deck.description:
        out += [deck.description.strip(), ""]

    numbered: list[tuple[int, Question]] = []
    number = 0
    for part_index, part in enumerate(deck.parts, start=1):
        out += [f"## Part {part_index}: {part.title}", ""]
        if part.description:
            out += [part.description.strip(), ""]
        if part.key_points:
            out += ["### Key points", ""]
            for key_point in part.key_points:
                section = f" (section {key_point.section})" if key_point.section else ""
                out.append(f"- **{_indent(key_point.front, '  ')}**{section}")
                out.append("")
                if answers:
                    out += [f"  {_indent(key_point.back, '  ')}", ""]
                    if key_point.explanation:
                        out += [f"  *Why:* {_indent(key_point.explanation, '  ')}", ""]
        if part.questions:
            out += ["### Questions", ""]
            for question in part.questions:
                number += 1
                numbered.append((number, question))
                pad = " " * (len(str(number)) + 2)
                out += [f"{number}. {_indent(question.prompt, pad)}{hint(question)}", ""]
                for index, choice in enumerate(question.choices):
                    text = _indent(choice.text, pad + "  ")
                    out.append(f"{pad}- **{letter(index)}.** {text}")
                out.append("")

    if answers and numbered:
        out += ["## Answer key", ""]
        for number, question in numbered:
            out += _answer(number, question)
    return "\n".join(out).rstrip() + "\n"


def _answer(number: int, question: Question) -> list[str]:
    pad = " " * (len(str(number)) + 2)
    letters = [letter(i) for i, choice in enumerate(question.choices) if choice.correct]
    section = f" (section {question.section})" if question.section else ""
    out = [f"{number}. **{', '.join(letters)}**{section}"]
    if question.explanation:
        out += ["", f"{pad}{_indent(question.explanation, pad)}"]
    explained = [(i, c) for i, c in enumerate(question.choices) if c.explanation]
    if explained:
        out.append("")
        for index, choice in explained:
            mark = "right" if choice.correct else "wrong"
            text = _indent(choice.explanation or "", pad + "  ")
            out.append(f"{pad}- {letter(index)} ({mark}): {text}")
    out.append("")
    return out
