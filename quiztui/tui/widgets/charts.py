"""Bar and line charts for the statistics screen, drawn by plotext through textual-plotext.

Only the statistics screen imports this module, so no other screen (and no command) pays for
plotext. Colours come from the app's theme variables, so a chart reads in light and dark themes;
textual-plotext matches the plot's background and text to the theme itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.color import Color
from textual.content import Content
from textual_plotext import PlotextPlot

RGB = tuple[int, int, int]


def legend(series: Sequence[tuple[str, str]]) -> Content:
    """A line naming each series beside a swatch of its colour (plotext's own legend sits on
    top of the bars)."""
    parts: list[Content] = []
    for name, variable in series:
        parts += [Content.styled("██", f"${variable}"), Content(f" {name}   ")]
    return Content("").join(parts)


def text_bars(rows: Sequence[tuple[str, int]], variable: str, width: int) -> Content:
    """A histogram as text, one labelled bar per row with its count: exact for a few bars
    with long labels, where plotext's horizontal bars would blur label and bar apart."""
    label_width = max((len(label) for label, _ in rows), default=0)
    most = max((count for _, count in rows), default=0) or 1
    room = max(4, width - label_width - 8)
    lines = []
    for label, count in rows:
        length = round(count / most * room)
        lines.append(
            Content("").join(
                [
                    Content(f"{label:>{label_width}} "),
                    Content.styled("█" * length or ("▏" if count else ""), f"${variable}"),
                    Content(f" {count}"),
                ]
            )
        )
    return Content("\n").join(lines)


def theme_rgb(plot: PlotextPlot, variable: str) -> RGB:
    """A theme variable's colour as plotext takes it."""
    value = plot.app.theme_variables.get(variable, "#888888")
    return Color.parse(value).rgb


def _ticks(labels: Sequence[str], room: int) -> tuple[list[float], list[str]]:
    """At most `room` evenly spaced tick labels (the first and the last kept)."""
    if not labels:
        return [], []
    step = max(1, -(-len(labels) // max(room, 1)))
    picked = list(range(0, len(labels), step))
    return [float(i + 1) for i in picked], [labels[i] for i in picked]


def _reset(plot: PlotextPlot, title: str) -> None:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    plt.title(title)


def stacked_bars(
    plot: PlotextPlot,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    width: int,
    tick_width: int = 8,
) -> None:
    """One bar per label, each split into the series (name, values, theme variable)."""
    _reset(plot, title)
    plt = plot.plt
    shown = [(name, list(values), var) for name, values, var in series if any(values)]
    xs = list(range(1, len(labels) + 1))
    if shown:
        plt.stacked_bar(
            xs,
            [values for _, values, _ in shown],
            color=[theme_rgb(plot, var) for _, _, var in shown],  # type: ignore[arg-type]
            width=0.8,
        )
    ticks, names = _ticks(labels, max(1, (width - 8) // tick_width))
    plt.xticks(ticks, names)
    plot.refresh()


def bars(
    plot: PlotextPlot,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    variable: str,
    width: int,
    tick_width: int = 8,
) -> None:
    """One bar per label, in one colour; horizontal bars keep long labels readable."""
    _reset(plot, title)
    plt = plot.plt
    xs = list(range(1, len(labels) + 1))
    plt.bar(xs, list(values), color=theme_rgb(plot, variable), width=0.8)
    ticks, names = _ticks(labels, max(1, (width - 8) // tick_width))
    plt.xticks(ticks, names)
    plot.refresh()


def lines(
    plot: PlotextPlot,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    width: int,
    *,
    upper: float | None = None,
    tick_width: int = 8,
) -> None:
    """One line per series over the labels; a None value leaves a gap (no point there)."""
    _reset(plot, title)
    plt = plot.plt
    for _name, values, variable in series:
        points = [(i + 1, v) for i, v in enumerate(values) if v is not None]
        if points:
            plt.plot(
                [x for x, _ in points],
                [y for _, y in points],
                color=theme_rgb(plot, variable),
                marker="braille",
            )
    if upper is not None:
        plt.ylim(0, upper)
    ticks, names = _ticks(labels, max(1, (width - 8) // tick_width))
    plt.xticks(ticks, names)
    plot.refresh()
