"""A part's results: the check just taken, pre and post side by side, the gain, what to revisit.

The learning gain is shown two ways, because each misleads alone: Hake's normalized gain
(post - pre) / (100% - pre) says how much of what there was to learn was learned, and the plain
change in points says how far the score moved. With a handful of questions a score moves in
large steps, and the screen says so.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from quiztui.deck.model import CheckName, Deck, Question
from quiztui.study import PartResults, QuestionComparison, mark_results_seen, part_results
from quiztui.tui.formatting import first_line, gain_ratio, percent, score_step, signed_points
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar

CHECK_NAMES: dict[CheckName, str] = {"pre": "Pre-reading check", "post": "Post-reading check"}


class ComparisonTable(Static):
    """Each question of the part, with ✓ / ✗ / – before and after reading."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "comparison--right",
        "comparison--wrong",
        "comparison--none",
        "comparison--header",
    }

    DEFAULT_CSS = """
    ComparisonTable {
        height: auto;
    }
    ComparisonTable > .comparison--right {
        color: $success;
        text-style: bold;
    }
    ComparisonTable > .comparison--wrong {
        color: $error;
        text-style: bold;
    }
    ComparisonTable > .comparison--none {
        color: $text-muted;
    }
    ComparisonTable > .comparison--header {
        color: $text-muted;
        text-style: bold;
    }
    """

    def __init__(self, comparisons: tuple[QuestionComparison, ...], *, id: str | None = None):
        super().__init__(id=id)
        self.comparisons = comparisons
        """One row per question, in deck order."""

    def _mark(self, correct: bool | None) -> Text:
        if correct is None:
            return Text("–", style=self.get_component_rich_style("comparison--none"))
        if correct:
            return Text("✓", style=self.get_component_rich_style("comparison--right"))
        return Text("✗", style=self.get_component_rich_style("comparison--wrong"))

    def render(self) -> Table:
        """The table, styled from the component classes (so from the theme)."""
        table = Table(
            box=None,
            padding=(0, 1),
            expand=True,
            header_style=self.get_component_rich_style("comparison--header"),
        )
        table.add_column("#", justify="right", width=2, no_wrap=True)
        table.add_column("Question", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Pre", justify="center", width=4, no_wrap=True)
        table.add_column("Post", justify="center", width=4, no_wrap=True)
        for number, row in enumerate(self.comparisons, start=1):
            table.add_row(
                str(number),
                Text(first_line(row.question.prompt)),  # Text: a prompt's [brackets] stay
                self._mark(row.pre_correct),
                self._mark(row.post_correct),
            )
        return table


class ResultsScreen(QuiztuiScreen[None]):
    """The scores of a part's checks, the learning gain, and the questions to revisit."""

    DEFAULT_CSS = """
    ResultsScreen #results {
        padding: 0 1;
    }
    ResultsScreen .results-block {
        height: auto;
        margin: 1 0 0 0;
    }
    ResultsScreen #results-score {
        text-style: bold;
    }
    ResultsScreen .results-note {
        height: auto;
        color: $text-muted;
        text-style: italic;
    }
    ResultsScreen .results-heading {
        height: auto;
        margin: 1 0 0 0;
        text-style: bold;
    }
    ResultsScreen #results-table {
        margin: 1 0 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the deck", id="results.back"),
        Binding("enter", "back", "Done", show=False, id="results.done"),
    ]

    def __init__(self, deck: Deck, part_id: str, *, just_finished: CheckName | None = None) -> None:
        """The results of part `part_id`; `just_finished` names the check just taken, if any."""
        super().__init__()
        self.deck = deck
        self.part_id = part_id
        self.just_finished: CheckName | None = just_finished
        self.results: PartResults | None = None
        """What the screen shows, read on mount."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(id="results-score", classes="results-block")
            yield Static(id="results-gain", classes="results-block")
            yield Static(id="results-steps", classes="results-note")
        yield KeyBar()

    async def on_mount(self) -> None:
        ctx = self.ctx
        part = self.deck.part(self.part_id)
        self.title = self.deck.title
        self.sub_title = f"{part.title} · results"
        results = part_results(ctx, self.deck, self.part_id)
        self.results = results
        if results.post.done:
            mark_results_seen(ctx, self.deck, self.part_id)
        self.query_one("#results-score", Static).update(self._score_text(results))
        self.query_one("#results-gain", Static).update(self._gain_text(results))
        self.query_one("#results-steps", Static).update(self._steps_text(results))
        scroll = self.query_one("#results", VerticalScroll)
        if results.post.done:
            await scroll.mount(
                Static("To revisit", classes="results-heading"),
                Static(self._revisit_text(results.to_revisit), id="results-revisit"),
            )
        await scroll.mount(
            Static("Question by question", classes="results-heading"),
            ComparisonTable(results.questions, id="results-table"),
        )
        scroll.focus()

    # ------------------------------------------------------------------ text

    def _score_text(self, results: PartResults) -> Content:
        """The check just taken (or both checks), each attempt named: first or retake N."""
        checks: tuple[CheckName, ...] = (
            (self.just_finished,) if self.just_finished is not None else ("pre", "post")
        )
        lines: list[Content] = []
        for check in checks:
            history = results.pre if check == "pre" else results.post
            latest = history.latest
            if latest is None or not latest.answered:
                lines.append(Content(f"{CHECK_NAMES[check]}: not taken yet."))
                continue
            which = "" if latest.number == 1 else f", {latest.label}"
            lines.append(
                Content(
                    f"{CHECK_NAMES[check]}{which}: {latest.correct} of {latest.answered} right"
                    f" ({percent(latest.score)})."
                )
            )
        return Content("\n").join(lines)

    @staticmethod
    def _gain_text(results: PartResults) -> Content:
        pre, post = results.pre.first, results.post.latest
        if pre is None and post is None:
            return Content("Neither check has been taken yet.")
        if post is None:
            return Content(
                "Study the part's key points, then take the post-reading check"
                " to see what you gained."
            )
        if pre is None:
            return Content(
                "No pre-reading check was taken, so there is no gain to measure"
                f" (post {percent(post.score)})."
            )
        gain = results.gain
        if gain is None:
            return Content(
                "The two checks asked no question in common (the deck changed in between),"
                " so there is no gain to measure."
            )
        pre_note = "your first attempt"
        if results.pre.retakes:
            retakes = ", ".join(f"{a.label}: {percent(a.score)}" for a in results.pre.retakes[-2:])
            pre_note += f" (later, {retakes})"
        post_note = "latest" if post.number > 1 else "your first attempt"
        if post.number > 1 and results.post.first is not None:
            post_note = f"{post.label} (first: {percent(results.post.first.score)})"
        lines = [
            Content.from_markup(
                "Pre-reading      [b]$score[/b]  $note", score=percent(gain.pre), note=pre_note
            ),
            Content.from_markup(
                "Post-reading     [b]$score[/b]  $note", score=percent(gain.post), note=post_note
            ),
            Content.from_markup(
                "Plain change     [b]$change[/b]", change=signed_points(gain.plain_change)
            ),
        ]
        normalized = gain.normalized
        if normalized is None:
            lines.append(Content("Normalized gain  undefined: you scored 100% before reading"))
        else:
            meaning = (
                f"you learned {percent(normalized)} of what you did not know"
                if normalized >= 0
                else "you got more wrong than before reading"
            )
            lines.append(
                Content.from_markup(
                    "Normalized gain  [b]$gain[/b]  $meaning",
                    gain=gain_ratio(normalized),
                    meaning=meaning,
                )
            )
        return Content("\n").join(lines)

    @staticmethod
    def _steps_text(results: PartResults) -> str:
        gain = results.gain
        if gain is None:
            return ""
        asked = len(gain.question_ids)
        noun = "question" if asked == 1 else "questions"
        return (
            "Measured from your first pre-reading check (retakes never move it) to\n"
            f"your latest post-reading check, over the {asked} {noun} both asked.\n"
            "Hake's normalized gain is (post − pre) ÷ (100% − pre).\n"
            f"With {asked} {noun} a score moves in {score_step(asked)}."
        )

    @staticmethod
    def _revisit_text(questions: tuple[Question, ...]) -> Content:
        if not questions:
            return Content("Nothing: every post-reading answer was right.")
        lines = []
        for question in questions:
            section = f" (section {question.section})" if question.section else ""
            answer = "; ".join(first_line(c.text) for c in question.choices if c.correct)
            lines.append(
                Content.from_markup(
                    "• $prompt$section\n  [dim]Answer: $answer[/dim]",
                    prompt=first_line(question.prompt),
                    section=section,
                    answer=answer,
                )
            )
        return Content("\n").join(lines)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to where the results were opened from."""
        self.dismiss()
