"""Mock exams: questions drawn across parts and tags, answered with no feedback, then scored.

An exam draws N questions (all, or 20 when there are more) from the chosen parts and tags,
spread evenly over the parts and, within a part, over the tags; choices are shuffled as usual.
Until it is submitted the learner may move about, change answers and flag questions, and
nothing is said about right or wrong; answers, flags and the time used are kept in the store
as they change, so a left exam resumes with the same questions and the time it had left. When
it is submitted (or time runs out) every answer is logged at once as mode "exam", an SM-2
review (wrong 1, right 4), never a check. A question left unanswered counts as wrong in the
score but is no review: it says nothing of what the learner recalls, so it changes no
schedule (and a question never studied is not put in the day's repeats for it). The result
(`quiztui.study.exam_results`) scores it by part and by tag and names the weakest areas.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from quiztui.deck.model import Deck, Question
from quiztui.errors import QuiztuiError
from quiztui.store.records import Exam, ExamAnswer
from quiztui.study.context import Presented, StudyContext, choice_order, grade_question
from quiztui.study.exam_results import ExamResult, presented_questions, score_exam
from quiztui.study.marks import check_leech

DEFAULT_QUESTIONS = 20
"""How many questions an exam asks when not told, if the deck has more."""

SAVE_EVERY_SECONDS = 5.0
"""How often the time used is saved while the learner thinks (answers are saved at once)."""


class ExamError(QuiztuiError):
    """An exam cannot be drawn as asked: the message says why and what there is."""


@dataclass(frozen=True, slots=True)
class ExamSpec:
    """What an exam asks: how many questions, how long, from which parts and tags."""

    questions: int | None = None
    """How many questions (None: all, or `DEFAULT_QUESTIONS` when there are more)."""
    minutes: float | None = None
    """The time allowed (None: untimed)."""
    part_ids: tuple[str, ...] = ()
    """The parts to draw from (() for every part)."""
    tags: tuple[str, ...] = ()
    """The tags to draw from: a question with any of them (() for any question)."""


# ---------------------------------------------------------------------- drawing


def deck_tags(deck: Deck) -> list[str]:
    """Every tag the deck's questions carry, sorted."""
    return sorted({tag for part in deck.parts for q in part.questions for tag in q.tags})


def exam_pool(deck: Deck, spec: ExamSpec) -> dict[str, list[Question]]:
    """The questions an exam may ask, by part id (in deck order); ExamError for a part or tag
    the deck does not have, or when nothing is left to ask."""
    known_parts = [part.id for part in deck.parts]
    for part_id in spec.part_ids:
        if part_id not in known_parts:
            raise ExamError(
                f"deck {deck.id!r} has no part {part_id!r} (its parts: {', '.join(known_parts)})"
            )
    tags = deck_tags(deck)
    for tag in spec.tags:
        if tag not in tags:
            listed = ", ".join(tags) if tags else "none"
            raise ExamError(f"no question of deck {deck.id!r} has tag {tag!r} (its tags: {listed})")
    wanted = set(spec.tags)
    pool = {
        part.id: [q for q in part.questions if not wanted or wanted & set(q.tags)]
        for part in deck.parts
        if not spec.part_ids or part.id in spec.part_ids
    }
    pool = {part_id: questions for part_id, questions in pool.items() if questions}
    if not pool:
        raise ExamError(f"deck {deck.id!r} has no questions for that exam: nothing to ask")
    return pool


def allocate(sizes: Sequence[int], total: int) -> list[int]:
    """How many to take from each group, as even as the sizes allow, `total` in all (or every
    one when there are fewer): a group too small gives all it has, the rest share the rest."""
    counts = [0] * len(sizes)
    left = min(total, sum(sizes))
    while left > 0:
        # Level up the groups that have given least; the roomiest first, so a group that
        # cannot give more never holds the others back.
        open_groups = [i for i, size in enumerate(sizes) if counts[i] < size]
        lowest = min(counts[i] for i in open_groups)
        level = [i for i in open_groups if counts[i] == lowest]
        for i in sorted(level, key=lambda i: (counts[i] - sizes[i], i))[:left]:
            counts[i] += 1
            left -= 1
    return counts


def _spread(
    questions: list[Question], count: int, tags: Sequence[str], rng: random.Random
) -> list[Question]:
    """`count` of a part's questions, spread over its tags (the chosen ones, else each
    question's first tag), in a random order."""
    groups: dict[str, list[Question]] = {}
    for question in questions:
        chosen = [tag for tag in question.tags if not tags or tag in tags]
        groups.setdefault(chosen[0] if chosen else "", []).append(question)
    members = [list(group) for group in groups.values()]
    for group in members:
        rng.shuffle(group)
    taken = allocate([len(group) for group in members], count)
    return [q for group, n in zip(members, taken, strict=True) for q in group[:n]]


def draw(deck: Deck, spec: ExamSpec, rng: random.Random) -> list[Question]:
    """The exam's questions: balanced across the parts (then the tags), in a random order."""
    pool = exam_pool(deck, spec)
    available = sum(len(questions) for questions in pool.values())
    wanted = spec.questions
    if wanted is None:
        wanted = available if available <= DEFAULT_QUESTIONS else DEFAULT_QUESTIONS
    if wanted < 1:
        raise ExamError("an exam asks at least 1 question")
    counts = allocate([len(questions) for questions in pool.values()], wanted)
    drawn = [
        question
        for questions, count in zip(pool.values(), counts, strict=True)
        for question in _spread(questions, count, spec.tags, rng)
    ]
    rng.shuffle(drawn)
    return drawn


# ---------------------------------------------------------------------- taking it


class ExamSession:
    """One exam being taken: move about, pick and change answers, flag; nothing is marked.

    Every change is saved as it is made (the time used every few seconds), so leaving and
    coming back resumes it; `submit` scores it and logs every answer.
    """

    def __init__(
        self, ctx: StudyContext, deck: Deck, exam: Exam, questions: tuple[Presented, ...]
    ) -> None:
        """Use `open_exam` or `resume_exam`."""
        self._ctx = ctx
        self.deck = deck
        self.exam = exam
        self.questions = questions
        self.position = min(exam.position, max(len(questions) - 1, 0))
        self._answers = {qid: frozenset(ids) for qid, ids in exam.answers.items()}
        self._flags = set(exam.flags)
        self._seconds = dict(exam.seconds)
        self.elapsed = exam.elapsed
        """Seconds used so far."""
        self._saved_elapsed = exam.elapsed
        self.result: ExamResult | None = None
        """Set once submitted."""

    # -------------------------------------------------------------- where we are

    @property
    def total(self) -> int:
        """How many questions the exam asks."""
        return len(self.questions)

    @property
    def current(self) -> Presented:
        """The question shown now."""
        return self.questions[self.position]

    def question_id(self, index: int) -> str:
        """The id of question `index` (0-based)."""
        return self.questions[index].item.id

    def answer_of(self, index: int | None = None) -> frozenset[str]:
        """The choices picked for question `index` (default the current one); empty if none."""
        index = self.position if index is None else index
        return self._answers.get(self.question_id(index), frozenset())

    def is_answered(self, index: int) -> bool:
        """Whether question `index` has an answer."""
        return bool(self.answer_of(index))

    def is_flagged(self, index: int | None = None) -> bool:
        """Whether question `index` (default the current one) is flagged."""
        index = self.position if index is None else index
        return self.question_id(index) in self._flags

    @property
    def answered_count(self) -> int:
        """How many questions have an answer."""
        return sum(1 for index in range(self.total) if self.is_answered(index))

    def unanswered(self) -> list[int]:
        """The questions with no answer yet (0-based)."""
        return [index for index in range(self.total) if not self.is_answered(index)]

    def flagged(self) -> list[int]:
        """The flagged questions (0-based)."""
        return [index for index in range(self.total) if self.is_flagged(index)]

    @property
    def time_limit(self) -> float | None:
        """Seconds allowed (None: untimed)."""
        return self.exam.time_limit

    @property
    def time_left(self) -> float | None:
        """Seconds left (None: untimed)."""
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.elapsed)

    @property
    def out_of_time(self) -> bool:
        """True when a timed exam has no time left."""
        left = self.time_left
        return left is not None and left <= 0

    @property
    def finished(self) -> bool:
        """True once it was submitted."""
        return self.result is not None

    # -------------------------------------------------------------- moving and answering

    def go(self, index: int) -> None:
        """Show question `index` (clamped to the exam)."""
        self.position = max(0, min(index, self.total - 1))
        self.save()

    def pick(self, picked: Iterable[str]) -> None:
        """Set the current question's answer (an empty pick clears it); saved at once.

        ValueError for a choice the question does not have.
        """
        chosen = frozenset(picked)
        question = self.current.item
        assert isinstance(question, Question)
        grade_question(question, chosen)  # refuses an unknown choice
        if chosen:
            self._answers[question.id] = chosen
        else:
            self._answers.pop(question.id, None)
        self.save()

    def toggle_flag(self) -> bool:
        """Flag the current question to come back to, or unflag it; returns the new flag."""
        question_id = self.current.item.id
        if question_id in self._flags:
            self._flags.discard(question_id)
        else:
            self._flags.add(question_id)
        self.save()
        return question_id in self._flags

    def add_time(self, seconds: float) -> None:
        """Count `seconds` of the learner's time, on the question shown (saved every few
        seconds); the screen calls this as its clock ticks."""
        if self.finished or seconds <= 0:
            return
        if self.time_limit is not None:
            seconds = min(seconds, max(0.0, self.time_limit - self.elapsed))
        self.elapsed += seconds
        question_id = self.current.item.id
        self._seconds[question_id] = self._seconds.get(question_id, 0.0) + seconds
        if self.elapsed - self._saved_elapsed >= SAVE_EVERY_SECONDS:
            self.save()

    def _snapshot(self) -> Exam:
        return replace(
            self.exam,
            answers={qid: tuple(sorted(ids)) for qid, ids in self._answers.items()},
            flags=tuple(sorted(self._flags)),
            seconds=dict(self._seconds),
            elapsed=self.elapsed,
            position=self.position,
        )

    def save(self) -> None:
        """Keep the answers, flags, time used and place in the store (committed)."""
        if self.finished:
            return
        self.exam = self._snapshot()
        self._ctx.store.save_exam(self.exam)
        self._saved_elapsed = self.elapsed

    # -------------------------------------------------------------- the end

    def submit(self, *, timed_out: bool = False) -> ExamResult:
        """Score the exam and log every answer given as an SM-2 review, in one transaction
        (unanswered questions count wrong in the score and are not logged); returns the result
        (the same one if already submitted)."""
        if self.result is not None:
            return self.result
        ctx = self._ctx
        exam = self._snapshot()
        answers: list[ExamAnswer] = []
        for presented in self.questions:
            question = presented.item
            assert isinstance(question, Question)
            picked = self._answers.get(question.id, frozenset())
            if not picked:
                continue
            correct, grade = grade_question(question, picked)
            answers.append(
                ExamAnswer(
                    question.id,
                    grade,
                    question.answer_key,
                    tuple(sorted(picked)),
                    correct,
                    self._seconds.get(question.id, 0.0),
                )
            )
        now = ctx.now()
        rows = ctx.store.finish_exam(
            exam, answers, learning_day=ctx.today(), at=now, timed_out=timed_out
        )
        for answer in answers:
            if not answer.correct:
                check_leech(
                    ctx.store,
                    ctx.settings.leech_threshold,
                    self.deck.id,
                    answer.item_id,
                    "exam",
                    answer.grade,
                    now,
                )
        finished = ctx.store.exam(exam.uid) or replace(exam, finished_at=now, timed_out=timed_out)
        self.exam = finished
        logged = rows or ctx.store.reviews(self.deck.id, attempt_uid=exam.uid)
        self.result = score_exam(self.deck, finished, logged)
        return self.result


def open_exam(
    ctx: StudyContext, deck: Deck, spec: ExamSpec, *, seed: int | None = None
) -> ExamSession:
    """Draw and start a new exam (an unfinished one of the deck is set aside)."""
    rng = random.Random(seed)
    questions = draw(deck, spec, rng)
    shuffle = ctx.settings.shuffle_choices
    orders = {q.id: choice_order(q, rng, shuffle=shuffle) for q in questions}
    exam = ctx.store.start_exam(
        deck_id=deck.id,
        question_ids=[q.id for q in questions],
        choice_orders=orders,
        part_ids=spec.part_ids,
        tags=spec.tags,
        time_limit=None if spec.minutes is None else spec.minutes * 60.0,
        at=ctx.now(),
    )
    return ExamSession(ctx, deck, exam, presented_questions(deck, exam, rng, shuffle))


def resume_exam(ctx: StudyContext, deck: Deck, *, seed: int | None = None) -> ExamSession | None:
    """The deck's exam left half-way, where it was left, or None when there is none (or when
    none of its questions is in the deck any more)."""
    exam = ctx.store.unfinished_exam(deck.id)
    if exam is None:
        return None
    questions = presented_questions(deck, exam, random.Random(seed), ctx.settings.shuffle_choices)
    if not questions:
        return None
    return ExamSession(ctx, deck, exam, questions)


@dataclass(frozen=True, slots=True)
class LeftExam:
    """An exam left half-way, as the offer to resume it describes it."""

    answered: int
    total: int
    time_left: float | None


def left_exam(ctx: StudyContext, deck: Deck) -> LeftExam | None:
    """The deck's exam left half-way, in numbers, or None."""
    exam = ctx.store.unfinished_exam(deck.id)
    if exam is None:
        return None
    asked = [qid for qid in exam.question_ids if deck.has_item(qid)]
    if not asked:
        return None
    answered = sum(1 for qid in asked if exam.answers.get(qid))
    return LeftExam(answered, len(asked), exam.time_left)


def abandon_left_exam(ctx: StudyContext, deck: Deck) -> None:
    """Set the deck's left exam aside (the learner chose to start over)."""
    exam = ctx.store.unfinished_exam(deck.id)
    if exam is not None:
        ctx.store.abandon_exam(exam.uid, at=ctx.now())
