"""A calendar heatmap of answers per day: weeks as columns, Monday to Sunday as rows.

Drawn as text with theme colours (`$success` at growing strength over `$background`), so it
reads in light and dark themes alike and needs no plotting library: a calendar is a grid of
cells, which a terminal draws exactly, where a plot would blur 371 days into a few dozen pixels.
Each cell is one or two columns wide, whichever fits; today is marked.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

SHADES: tuple[str, ...] = ("$panel", "$success 30%", "$success 55%", "$success 80%", "$success")
"""No answer, then four strengths, one per quartile of the days studied (as GitHub's calendar:
a few very busy days would leave every other day in the palest shade)."""

DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def quartiles(counts: list[int]) -> tuple[int, int, int]:
    """The counts below which a studied day gets the first, second and third strength."""
    studied = sorted(count for count in counts if count > 0)
    if not studied:
        return (1, 1, 1)
    last = len(studied) - 1
    return (
        studied[last // 4],
        studied[last // 2],
        studied[(3 * last) // 4],
    )


def shade_index(count: int, cuts: tuple[int, int, int]) -> int:
    """Which shade a day with `count` answers gets: 0 for none, then 1-4 by quartile."""
    if count <= 0:
        return 0
    return 1 + sum(1 for cut in cuts if count > cut)


def heatmap_lines(
    counts: dict[date, int], today: date, width: int, days: int = 365
) -> list[Content]:
    """The heatmap's rows: month names, then one row per weekday (as markup-free Content)."""
    start = today - timedelta(days=days - 1)
    first_monday = start - timedelta(days=start.weekday())
    weeks = (today - first_monday).days // 7 + 1
    label_width = 4
    cell = 2 if label_width + weeks * 2 <= width else 1
    cuts = quartiles([n for d, n in counts.items() if start <= d <= today])
    months = [" "] * (weeks * cell)
    for week in range(weeks):
        monday = first_monday + timedelta(days=7 * week)
        sunday = monday + timedelta(days=6)
        if monday.day <= 7 or (week == 0 and sunday.month == monday.month):
            name = f"{sunday:%b}" if sunday.day <= 7 else f"{monday:%b}"
            at = week * cell
            if at + 3 <= len(months) and all(c == " " for c in months[max(0, at - 1) : at + 3]):
                months[at : at + 3] = list(name)
    lines = [Content(" " * label_width + "".join(months))]
    block = "█" * cell
    for weekday in range(7):
        parts: list[Content] = [Content(f"{DAY_LABELS[weekday]:<{label_width}}")]
        for week in range(weeks):
            day = first_monday + timedelta(days=7 * week + weekday)
            if day < start or day > today:
                parts.append(Content(" " * cell))
                continue
            shade = SHADES[shade_index(counts.get(day, 0), cuts)]
            if day == today:
                mark = "◆" * cell if cell == 1 else "◆ "
                parts.append(Content.styled(mark, "bold $accent"))
            else:
                parts.append(Content.styled(block, shade))
        lines.append(Content("").join(parts))
    return lines


def legend() -> Content:
    """What the shades mean."""
    parts = [Content("less ")]
    parts += [Content.styled("█", shade) for shade in SHADES]
    parts.append(Content(" more   "))
    parts.append(Content.styled("◆", "bold $accent"))
    parts.append(Content(" today"))
    return Content("").join(parts)


class Heatmap(Widget):
    """The last year's answers per day, drawn to the widget's width."""

    DEFAULT_CSS = """
    Heatmap {
        height: 8;
        width: 1fr;
    }
    """

    counts: reactive[dict[date, int]] = reactive(dict, always_update=True)
    """Answers per learning day."""
    today: reactive[date | None] = reactive(None)
    """The last day drawn (marked)."""

    def render(self) -> Content:
        """The grid, or nothing until there is a day to draw up to."""
        if self.today is None:
            return Content("")
        lines = heatmap_lines(self.counts, self.today, self.size.width)
        return Content("\n").join(lines)
