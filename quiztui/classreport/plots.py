"""The HTML report's plots, drawn with matplotlib as SVG text to embed inline.

Figures are made with `matplotlib.figure.Figure` (no pyplot, no global backend), text stays
text (`svg.fonttype: none`), and every id is prefixed per plot so plots can share a page. The
XML prologue, the DTD and the namespace attributes are dropped: an inline SVG in HTML needs none,
and the page then names no URL at all.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import TYPE_CHECKING, Any, Literal

from quiztui.classreport.render_text import one_line

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PRE_COLOUR = "#9db4cf"
POST_COLOUR = "#1f4e8c"
RIGHT_COLOUR = "#2e8540"
WRONG_COLOUR = "#b8b8b8"
MISLEADING_COLOUR = "#c0392b"
PART_COLOURS = ("#1f4e8c", "#e07b00", "#2e8540", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")

_STYLE: dict[Any, Any] = {  # matplotlib types its keys as literals
    "svg.fonttype": "none",
    "svg.hashsalt": "quiztui",
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_counter = itertools.count(1)

WIDTH = 10.5
"""Inches: the page's width at 100% (the plots shrink with a narrower window)."""


def _figure(width: float, height: float, *, left: float, bottom: float = 0.5) -> Figure:
    """A figure with fixed margins in inches (a layout engine costs more than the drawing)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(
        left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - 0.35 / height
    )
    return figure


def to_svg(figure: Figure) -> str:
    """The figure as an inline `<svg>` element: no prologue, no URLs, ids unique to it."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_STYLE):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)
    text = re.sub(r'\s+version="1\.1"', "", text, count=1)
    text = re.sub(
        r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
        r'<svg style="width: 100%; max-width: \1pt; height: auto"',
        text,
        count=1,
    )
    prefix = f"p{next(_counter)}-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    return text


def _percent_axis(axes: Axes, axis: Literal["x", "y"] = "x") -> None:
    from matplotlib.ticker import PercentFormatter

    target = axes.xaxis if axis == "x" else axes.yaxis
    target.set_major_formatter(PercentFormatter(1.0, decimals=0))
    (axes.set_xlim if axis == "x" else axes.set_ylim)(0, 1)
    axes.grid(axis=axis, color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)


def facility_plot(part: dict[str, Any]) -> str:
    """Pre vs post facility per question: a dumbbell from the pre dot to the post dot."""
    import matplotlib

    questions = part["questions"]
    with matplotlib.rc_context(_STYLE):
        figure = _figure(WIDTH, 0.95 + 0.3 * max(len(questions), 1), left=2.6)
        axes = figure.subplots()
        for y, q in enumerate(questions):
            pre = q["pre"]["facility"] if q["pre"] else None
            post = q["post"]["facility"] if q["post"] else None
            if pre is not None and post is not None:
                axes.plot([pre, post], [y, y], color="#c8c8c8", linewidth=2.5, zorder=1)
            if pre is not None:
                axes.scatter([pre], [y], s=46, color=PRE_COLOUR, zorder=2, label="pre-check")
            if post is not None:
                axes.scatter([post], [y], s=46, color=POST_COLOUR, zorder=3, label="post-check")
        axes.set_yticks(range(len(questions)), [one_line(q["id"], 40) for q in questions])
        axes.set_ylim(len(questions) - 0.5, -0.5)
        _percent_axis(axes)
        axes.set_xlabel("facility (share of learners right)")
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=False))
        if unique:
            axes.legend(
                unique.values(),
                unique.keys(),
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                frameon=False,
                ncols=2,
                borderaxespad=0.1,
            )
        return to_svg(figure)


def responses_plot(part: dict[str, Any]) -> str:
    """The share of answers picking each choice, question by question, pre (light) and post
    (dark): right choices green, a misleading one red, the other wrong ones grey."""
    import matplotlib

    questions = [q for q in part["questions"] if q["pre"] or q["post"]]
    rows: list[tuple[str, str, str, bool]] = []  # (question, choice, text, correct)
    for q in questions:
        rows += [(q["id"], c, t, right) for c, t, right in choices_of(q)]
    gap = 0.9  # the space between two questions, in rows
    positions: list[float] = []
    y = 0.0
    for n, row in enumerate(rows):
        if n and row[0] != rows[n - 1][0]:
            y += gap
        positions.append(y)
        y += 1
    with matplotlib.rc_context(_STYLE):
        figure = _figure(WIDTH, 0.9 + 0.24 * (y + 1), left=3.6)
        axes = figure.subplots()
        by_id = {q["id"]: q for q in questions}
        for position, (question_id, choice_id, _text, correct) in zip(positions, rows, strict=True):
            for offset, check, alpha in ((-0.2, "pre", 0.45), (0.2, "post", 1.0)):
                response = response_of(by_id[question_id], check, choice_id)
                if response is None:
                    continue
                colour = (
                    RIGHT_COLOUR
                    if correct
                    else MISLEADING_COLOUR
                    if response["misleading"]
                    else WRONG_COLOUR
                )
                axes.barh(
                    position + offset, response["share"], height=0.38, color=colour, alpha=alpha
                )
        for n, (position, row) in enumerate(zip(positions, rows, strict=True)):
            if n == 0 or row[0] != rows[n - 1][0]:
                axes.text(
                    1.0, position - 0.55, one_line(row[0], 60), ha="right", va="bottom",
                    fontsize=8, color="#555555",
                )  # fmt: skip
                if n:
                    axes.axhline(position - gap / 2 - 0.5, color="#d0d0d0", linewidth=0.8)
        axes.set_yticks(positions, [f"{c}: {one_line(t, 56)}" for _, c, t, _ in rows], fontsize=8)
        axes.set_ylim(y - 0.4, -0.9)
        _percent_axis(axes)
        axes.set_xlabel("share of answers (light: pre-check, dark: post-check)")
        return to_svg(figure)


def choices_of(question: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(id, text, correct) of each choice with a response in either check, in deck order."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for check in ("pre", "post"):
        for r in question[check]["responses"] if question[check] else []:
            seen.setdefault(r["choice"], (r["choice"], r["text"], r["correct"]))
    return list(seen.values())


def response_of(question: dict[str, Any], check: str, choice_id: str) -> dict[str, Any] | None:
    """A choice's response figures in a check (None when the check has no answer)."""
    figures = question[check]
    if figures is None:
        return None
    return next((dict(r) for r in figures["responses"] if r["choice"] == choice_id), None)


def retention_plot(parts: list[dict[str, Any]]) -> str | None:
    """Each part's share of reviews recalled, week by week after its post-check (None without
    any review)."""
    import matplotlib

    if not any(part["retention"] for part in parts):
        return None
    with matplotlib.rc_context(_STYLE):
        figure = _figure(WIDTH, 3.4, left=0.8)
        axes = figure.subplots()
        for n, part in enumerate(parts):
            weeks = part["retention"]
            if not weeks:
                continue
            axes.plot(
                [w["week"] for w in weeks],
                [w["recalled"] for w in weeks],
                marker="o",
                markersize=3.5,
                linewidth=1.6,
                color=PART_COLOURS[n % len(PART_COLOURS)],
                label=one_line(f"{n + 1}. {part['title']}", 40),
            )
        _percent_axis(axes, "y")
        axes.set_xlabel("week after the post-check")
        axes.set_ylabel("reviews recalled")
        axes.legend(frameon=False, fontsize=8, loc="lower left", ncols=2)
        return to_svg(figure)
