"""The deck screen: the parts in study order, each with its steps and where the learner stands.

Every step of every part is a row to pick (pre-reading check, key points, post-reading check,
results), with the natural next step marked and selected; below them the deck-wide actions:
the day's reviews, practising wrong answers, practising a part. The pre-check may be skipped.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import Worker

from quiztui.deck.library import LoadedDeck
from quiztui.deck.model import CheckName, Deck
from quiztui.study import (
    DeckProgress,
    PartProgress,
    QueueCounts,
    check_history,
    deck_progress,
    unfinished_check,
    wrong_question_count,
)
from quiztui.tui.formatting import percent, plural
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.widgets.key_bar import KeyBar
from quiztui.tui.widgets.step_list import StepList
from quiztui.tui.worker_errors import report_worker_error

STEP_TITLES = {
    "pre": "Pre-reading check",
    "key_points": "Key points",
    "post": "Post-reading check",
    "results": "Results",
}
"""Each step's name as shown, in study order."""


def _as_check(step: str) -> CheckName | None:
    """The check a step names ("pre" or "post"), or None for the other steps."""
    return "pre" if step == "pre" else "post" if step == "post" else None


def _step_status(progress: PartProgress, step: str) -> str:
    """What the learner has done of one step, in a few words."""
    part = progress.part
    check = _as_check(step)
    if check is not None:
        count = len(part.check_question_ids(check))
        if not count:
            return "no questions"
        history = progress.pre if check == "pre" else progress.post
        first, latest = history.first, history.latest
        if first is None or latest is None:
            return plural(count, "question")
        if check == "pre":  # the first is the baseline; retakes are shown beside it
            again = f" · {latest.label}: {percent(latest.score)}" if latest.number > 1 else ""
            return f"done · {percent(first.score)}{again}"
        again = f" · first {percent(first.score)}" if latest.number > 1 else ""
        return f"done · {percent(latest.score)}{again}"
    if step == "key_points":
        count = len(part.key_point_ids)
        if not count:
            return "none"
        return "done" if progress.key_points_done else plural(count, "card")
    gain = progress.gain
    if gain is not None:  # over the questions both checks asked
        return f"pre {percent(gain.pre)} → post {percent(gain.post)}"
    if progress.pre_done or progress.post_done:
        return f"pre {percent(progress.pre_score)} → post {percent(progress.post_score)}"
    return "after a check"


def _queue_summary(counts: QueueCounts, separator: str = ", ") -> str:
    """Today's queue in a few words: "12 due, 3 to repeat, 5 new"."""
    bits = [f"{counts.due} due"]
    if counts.redrill:
        bits.append(f"{counts.redrill} to repeat")
    bits.append(f"{counts.new} new")
    return separator.join(bits)


class DeckScreen(QuiztuiScreen[None]):
    """One deck: pick a part's step, or review, or practise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the decks", id="deck.back"),
        Binding(
            "n",
            "next_step",
            "Next",
            tooltip="The suggested next step (marked ← next)",
            id="deck.next",
        ),
        Binding("r", "review", "Review", tooltip="This deck's reviews for today", id="deck.review"),
        Binding(
            "w",
            "practice_wrong",
            "Wrong ones",
            tooltip="Questions last answered wrong; never changes the schedule",
            id="deck.practice-wrong",
        ),
        Binding(
            "x",
            "practice_part",
            "Practise",
            tooltip="Cram the highlighted part; never changes the schedule",
            id="deck.practice-part",
        ),
        Binding(
            "e",
            "exam",
            "Exam",
            tooltip="A timed exam across the parts and tags you choose; marked at the end",
            id="deck.exam",
        ),
    ]

    class Refreshed(Message):
        """The deck's progress was recomputed."""

        def __init__(self, progress: DeckProgress, wrong: int) -> None:
            super().__init__()
            self.progress = progress
            self.wrong = wrong

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck
        """The deck shown."""
        self.progress: DeckProgress | None = None
        """Where the learner stands; None until first computed."""
        self.wrong_count = 0
        """Questions whose latest answer was wrong."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="deck-intro", classes="screen-intro")
        yield StepList(id="steps")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.deck.title
        self.watch(self.app, "entries", self._entries_changed, init=False)
        self.refresh_progress()

    def _entries_changed(self, entries: tuple[LoadedDeck, ...] | None) -> None:
        """A saved edit of this deck (live reload): show the new version."""
        for entry in entries or ():
            deck = entry.deck
            if deck is not None and deck.id == self.deck.id and deck is not self.deck:
                self.deck = deck
                self.sub_title = deck.title
                self.refresh_progress()
                self.notify(f"{deck.title} was reloaded from {entry.path.name}.", timeout=3)
                return

    def on_screen_resume(self) -> None:
        """Coming back from a step: the marks and counts changed."""
        if self.progress is not None:
            self.refresh_progress()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def refresh_progress(self) -> None:
        """Recompute the deck's progress off the UI thread."""
        ctx = self.ctx
        progress = deck_progress(ctx, self.deck)
        self.post_message(self.Refreshed(progress, wrong_question_count(ctx, self.deck)))

    @on(Refreshed)
    def _show(self, message: Refreshed) -> None:
        self.progress = message.progress
        self.wrong_count = message.wrong
        options = self.query_one("#steps", OptionList)
        options.clear_options()
        suggested = self._suggested()
        for index, part in enumerate(message.progress.parts, start=1):
            header = Text(f"{index}. {part.part.title}", style="bold")
            header.append(f"   learned {part.learned}/{part.total}", style="dim")
            options.add_option(Option(header, id=f"part:{part.part.id}", disabled=True))
            for step in STEP_TITLES:
                option_id = f"{step}:{part.part.id}"
                label = Text(f"   {STEP_TITLES[step]:<20}")
                label.append(_step_status(part, step), style="dim")
                if option_id == suggested:
                    label.append("   ← next", style="bold")
                options.add_option(Option(label, id=option_id))
            options.add_option(None)
        counts = message.progress.counts
        options.add_option(Option(Text(f"Review due ({_queue_summary(counts)})"), id="review"))
        options.add_option(
            Option(Text(f"Practise wrong answers ({self.wrong_count})"), id="practice-wrong")
        )
        # Coming back from a step, the cursor moves on to the step that now comes next.
        try:
            options.highlighted = options.get_option_index(suggested or "review")
        except OptionDoesNotExist:
            options.highlighted = 0
        intro = self.query_one("#deck-intro", Static)
        intro.update(
            f"{_queue_summary(counts, ' · ')} · {counts.learned} learned."
            "  Enter opens a step; the pre-reading check may be skipped."
        )
        options.focus()
        self.refresh_bindings()

    def _suggested(self) -> str | None:
        """The option id of the natural next step: the first part not done."""
        if self.progress is None:
            return None
        for part in self.progress.parts:
            step = part.next_step
            if step != "done":
                return f"{step}:{part.part.id}"
        return "review"

    def _highlighted_part_id(self) -> str | None:
        options = self.query_one("#steps", OptionList)
        option = options.highlighted_option
        if option is None or option.id is None or ":" not in option.id:
            return None
        return option.id.split(":", 1)[1]

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Practising wrong answers only when there are some; a part only when one is picked."""
        if action == "practice_wrong":
            return self.wrong_count > 0
        if action == "practice_part":
            return self.progress is not None and self._highlighted_part_id() is not None
        if action == "next_step":
            return self.progress is not None
        if action == "exam":
            return any(part.questions for part in self.deck.parts)
        return True

    @on(OptionList.OptionHighlighted, "#steps")
    def _highlight_moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#steps")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open(event.option.id)

    def action_next_step(self) -> None:
        """Open the suggested next step."""
        suggested = self._suggested()
        if suggested is not None:
            self.open(suggested)

    def action_exam(self) -> None:
        """A mock exam of this deck (or the one left half-way)."""
        from quiztui.tui.screens.exam import begin_exam

        begin_exam(self.app, self.deck)

    def action_review(self) -> None:
        """This deck's reviews for today."""
        self.open("review")

    def action_practice_wrong(self) -> None:
        """Practise the questions last answered wrong."""
        self.open("practice-wrong")

    def action_practice_part(self) -> None:
        """Practise the highlighted part's questions and key points."""
        part_id = self._highlighted_part_id()
        if part_id is not None:
            self.open(f"practice:{part_id}")

    def open(self, option_id: str) -> None:
        """Open what an option id names: `pre:PART`, `key_points:PART`, `review`, ..."""
        step, _, part_id = option_id.partition(":")
        app = self.app
        check = _as_check(step)
        if check is not None:
            self._open_check(part_id, check)
        elif step == "key_points":
            from quiztui.tui.screens.key_points import KeyPointsScreen

            app.push_screen(KeyPointsScreen(self.deck, part_id))
        elif step == "results":
            from quiztui.tui.screens.results import ResultsScreen

            app.push_screen(ResultsScreen(self.deck, part_id))
        elif step == "review":
            from quiztui.tui.screens.review import ReviewScreen

            app.push_screen(ReviewScreen([self.deck], title=f"Review · {self.deck.title}"))
        elif step in ("practice-wrong", "practice"):
            from quiztui.tui.screens.review import PracticeSpec, ReviewScreen

            spec = PracticeSpec(self.deck, part_id or None, wrong_only=step == "practice-wrong")
            app.push_screen(ReviewScreen([self.deck], title="Practice", practice=spec))

    def _open_check(self, part_id: str, check: CheckName) -> None:
        """Open a check, offering to resume one left half-way."""
        from quiztui.tui.screens.confirm import ChoiceDialog

        part = self.deck.part(part_id)
        if not part.check_question_ids(check):
            self.notify(f"{part.title} has no {STEP_TITLES[check].lower()} questions.")
            return
        ctx = self.ctx
        answered = unfinished_check(ctx, self.deck, part_id, check)
        if answered is None:
            self._offer_retake(part_id, check)
            return

        def chosen(resume: bool | None) -> None:
            if resume is not None:
                self._push_check(part_id, check, resume=resume)

        self.app.push_screen(
            ChoiceDialog(
                f"You left this {STEP_TITLES[check].lower()} after {answered} of"
                f" {len(part.check_question_ids(check))} questions."
                " Your answers are saved.",
                yes="Resume",
                no="Start over",
            ),
            chosen,
        )

    def _offer_retake(self, part_id: str, check: CheckName) -> None:
        """Start a check; once it was taken, ask first, saying the first score stays."""
        from quiztui.tui.screens.confirm import ChoiceDialog

        history = check_history(self.ctx, self.deck, part_id, check)
        first = history.first
        if first is None:
            self._push_check(part_id, check, resume=True)
            return
        name = STEP_TITLES[check].lower()
        times = "once" if len(history.attempts) == 1 else f"{len(history.attempts)} times"
        if check == "pre":
            kept = (
                f"Your first score, {percent(first.score)}, stays the baseline your gain is"
                " measured from; a retake is kept beside it, never in its place."
            )
        else:
            kept = (
                "Your gain will be measured to the retake's score; your first post-reading"
                f" score, {percent(first.score)}, stays on record beside it."
            )

        def chosen(retake: bool | None) -> None:
            if retake:
                self._push_check(part_id, check, resume=False)

        self.app.push_screen(
            ChoiceDialog(
                f"You have taken this {name} {times}. {kept}\n\n"
                f"Take it again, as retake {len(history.attempts)}?",
                yes="Retake",
                no="Cancel",
            ),
            chosen,
        )

    def _push_check(self, part_id: str, check: CheckName, *, resume: bool) -> None:
        from quiztui.tui.screens.check import CheckScreen

        self.app.push_screen(CheckScreen(self.deck, part_id, check, resume=resume))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load is shown, never left as a screen that waits forever."""
        message = report_worker_error(self, event.worker)
        if message is not None:
            self.query_one("#deck-intro", Static).update(f"Could not load: {message}")
