"""Mock exams in the core: the draw, answering without feedback, resuming with the time left,
submitting as SM-2 reviews, the result by part and by tag, the history."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from deckfactory import make_context, make_deck, question
from hypothesis import given
from hypothesis import strategies as st

from quiztui.deck.model import Deck, Part, Question
from quiztui.study import day_queue, queue_counts, wrong_question_count
from quiztui.study.exam import (
    ExamError,
    ExamSpec,
    allocate,
    draw,
    left_exam,
    open_exam,
    resume_exam,
)
from quiztui.study.exam_results import exam_history, exam_result, open_weak_practice


def tagged_deck() -> Deck:
    """Three parts of 2, 6 and 12 questions; tags "x" and "y" alternate, the first part "z"."""
    parts = []
    for number, size in ((1, 2), (2, 6), (3, 12)):
        questions = tuple(
            replace(
                question(f"p{number}-q{n}"),
                tags=("z",) if number == 1 else (("x",) if n % 2 else ("y",)),
            )
            for n in range(1, size + 1)
        )
        parts.append(Part(id=f"p{number}", title=f"Part {number}", questions=questions))
    return Deck(id="tagged", title="Tagged", version="1", parts=tuple(parts))


@given(st.lists(st.integers(0, 30), min_size=1, max_size=6), st.integers(0, 100))
def test_allocate_is_as_even_as_the_sizes_allow(sizes: list[int], total: int) -> None:
    """The counts add up, never exceed a group, and differ by at most one among groups that
    could still give more."""
    counts = allocate(sizes, total)
    assert sum(counts) == min(total, sum(sizes))
    assert all(0 <= c <= s for c, s in zip(counts, sizes, strict=True))
    open_counts = [c for c, s in zip(counts, sizes, strict=True) if c < s]
    if open_counts:
        assert max(counts) - min(open_counts) <= 1


def test_the_draw_is_balanced_across_parts_then_tags() -> None:
    """12 of 20 questions: the small part gives its 2, the others 5 each, tags x and y evenly
    within a part; by default an exam asks 20 of more, or all."""
    deck = tagged_deck()
    drawn = draw(deck, ExamSpec(questions=12), random.Random(1))
    by_part = [sum(1 for q in drawn if q.id.startswith(f"p{n}-")) for n in (1, 2, 3)]
    assert by_part == [2, 5, 5]
    part3 = [q for q in drawn if q.id.startswith("p3-")]
    assert abs(sum("x" in q.tags for q in part3) - sum("y" in q.tags for q in part3)) <= 1
    assert len(draw(deck, ExamSpec(), random.Random(1))) == 20
    assert len(draw(deck, ExamSpec(part_ids=("p2",)), random.Random(1))) == 6
    only_x = draw(deck, ExamSpec(tags=("x",)), random.Random(1))
    assert len(only_x) == 9 and all(q.tags == ("x",) for q in only_x)


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        (ExamSpec(part_ids=("p9",)), "has no part 'p9' (its parts: p1, p2, p3)"),
        (ExamSpec(tags=("w",)), "has tag 'w' (its tags: x, y, z)"),
        (ExamSpec(questions=0), "at least 1 question"),
        (ExamSpec(part_ids=("p1",), tags=("x",)), "no questions for that exam"),
    ],
)
def test_an_exam_that_cannot_be_drawn_says_why(spec: ExamSpec, fragment: str) -> None:
    """A part or tag the deck lacks, or nothing left to ask: one message naming what there is."""
    with pytest.raises(ExamError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        draw(tagged_deck(), spec, random.Random(1))


def right_ids(q: Question) -> frozenset[str]:
    """The right answer."""
    return q.correct_choice_ids


def test_an_exam_resumes_with_its_answers_flags_and_the_time_left(tmp_path: Path) -> None:
    """Pick, change, flag, let time pass, leave: reopening finds the same questions, choice
    orders, answers, flags and place, with the time that was left; nothing is logged yet."""
    ctx, _ = make_context(tmp_path)
    deck = tagged_deck()
    session = open_exam(ctx, deck, ExamSpec(questions=4, minutes=10), seed=3)
    first = session.current.item
    assert isinstance(first, Question)
    session.pick({"b"})
    session.pick(right_ids(first))  # changed
    session.go(2)
    session.toggle_flag()
    session.add_time(61.5)
    session.save()
    assert ctx.store.reviews(deck.id) == []
    left = left_exam(ctx, deck)
    assert left is not None and (left.answered, left.total) == (1, 4)
    assert left.time_left == pytest.approx(600 - 61.5)
    again = resume_exam(ctx, deck, seed=99)
    assert again is not None
    assert [p.item.id for p in again.questions] == [p.item.id for p in session.questions]
    assert [p.choice_order for p in again.questions] == [p.choice_order for p in session.questions]
    assert again.position == 2 and again.flagged() == [2] and again.unanswered() == [1, 2, 3]
    assert again.answer_of(0) == right_ids(first)


def test_submitting_logs_exam_reviews_that_schedule_and_re_drill(tmp_path: Path) -> None:
    """One right, one wrong, two unanswered: 25%; the two answers are mode "exam" rows graded
    4 and 1 that schedule their questions; the wrong one comes back in today's reviews and
    counts as a wrong answer to practise; the unanswered two are wrong in the score only (no
    review: nothing was recalled or missed, so no schedule changes); no check is touched."""
    ctx, _ = make_context(tmp_path)
    deck = tagged_deck()
    session = open_exam(ctx, deck, ExamSpec(questions=4), seed=3)
    q0 = session.current.item
    assert isinstance(q0, Question)
    session.pick(right_ids(q0))
    session.go(1)
    session.pick({"b"})
    result = session.submit()
    assert (result.right, result.total, result.unanswered) == (1, 4, 2)
    assert result.score == 0.25
    rows = ctx.store.reviews(deck.id)
    assert sorted((r.mode, r.grade) for r in rows) == [("exam", 1), ("exam", 4)]
    assert all(r.attempt_uid == session.exam.uid for r in rows)
    assert all(ctx.store.state(deck.id, r.item_id) is not None for r in rows)
    unanswered = {p.item.id for p in session.questions} - {r.item_id for r in rows}
    assert len(unanswered) == 2
    assert all(ctx.store.state(deck.id, item_id) is None for item_id in unanswered)
    assert queue_counts(ctx, deck).redrill == 1
    assert wrong_question_count(ctx, deck) == 1
    again = exam_result(ctx, deck, session.exam)
    assert (again.right, again.total, again.unanswered) == (1, 4, 2), "read back the same"
    assert ctx.store.attempts(deck.id) == []
    assert session.submit() is result
    assert left_exam(ctx, deck) is None


def test_the_result_scores_parts_and_tags_and_names_the_weakest(tmp_path: Path) -> None:
    """Every part-2 question right, every part-3 one wrong: part 3 and its tags are the weakest
    areas; practising them asks just those questions and changes no schedule."""
    ctx, clock = make_context(tmp_path)
    deck = tagged_deck()
    session = open_exam(ctx, deck, ExamSpec(part_ids=("p2", "p3"), questions=8), seed=5)
    for index, presented in enumerate(session.questions):
        session.go(index)
        item = presented.item
        assert isinstance(item, Question)
        session.pick(right_ids(item) if item.id.startswith("p2-") else {"b"})
    result = session.submit()
    parts = {area.id: (area.right, area.total) for area in result.by_part}
    assert parts == {"p2": (4, 4), "p3": (0, 4)}
    assert {area.id: area.total for area in result.by_tag} == {"x": 4, "y": 4}
    assert result.weakest[0].label == "Part 3"
    again = exam_result(ctx, deck, session.exam)
    assert again.by_part == result.by_part and again.weakest == result.weakest
    practice = open_weak_practice(ctx, result, seed=1)
    asked = set()
    before = ctx.store.live_states()
    while practice.current is not None:
        item = practice.current.item
        assert isinstance(item, Question)
        asked.add(item.id)
        practice.answer_question(right_ids(item), 1.0)
    assert asked == {q.question.id for q in result.questions if q.question.id.startswith("p3-")}
    assert ctx.store.live_states() == before
    clock.advance(timedelta(days=1))
    history = exam_history(ctx, [deck])
    assert [(p.right, p.total) for p in history] == [(4, 8)]


def test_time_is_counted_up_to_the_limit_only(tmp_path: Path) -> None:
    """A timed exam counts no more than its limit; out of time, the submit says so."""
    ctx, _ = make_context(tmp_path)
    session = open_exam(ctx, tagged_deck(), ExamSpec(questions=2, minutes=1), seed=1)
    session.add_time(45)
    assert not session.out_of_time and session.time_left == 15
    session.add_time(100)
    assert session.out_of_time and session.elapsed == 60
    result = session.submit(timed_out=True)
    assert result.exam.timed_out and result.unanswered == 2 and result.seconds == 60


def test_an_exam_question_new_to_the_queue_is_scheduled_not_new(tmp_path: Path) -> None:
    """A question first met in an exam has a state: it is not a new item any more."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=0, questions=2)
    session = open_exam(ctx, deck, ExamSpec(), seed=1)
    for index, presented in enumerate(session.questions):
        session.go(index)
        item = presented.item
        assert isinstance(item, Question)
        session.pick(right_ids(item))
    session.submit()
    states = ctx.store.deck_states(deck.id)
    assert {s.introduced_by for s in states.values()} == {"exam"}
    assert day_queue(ctx, deck).new == ()


def test_an_exam_that_logged_its_blanks_still_reads_as_it_happened(tmp_path: Path) -> None:
    """Exams submitted before blanks stopped being reviews have a grade-1 row for each
    unanswered question: the result counts it unanswered and wrong, and among the wrong
    reviews that come back today; a blank of a new exam is no review."""
    from quiztui.store.records import ExamAnswer

    ctx, _ = make_context(tmp_path)
    deck = tagged_deck()
    session = open_exam(ctx, deck, ExamSpec(questions=3), seed=3)
    session.save()
    first, blank, new_blank = (p.item for p in session.questions)
    assert isinstance(first, Question) and isinstance(blank, Question)
    answers = [
        ExamAnswer(first.id, 4, first.answer_key, tuple(sorted(right_ids(first))), True),
        ExamAnswer(blank.id, 1, blank.answer_key, (), False),  # as the old submit logged it
    ]
    ctx.store.finish_exam(session.exam, answers, learning_day=ctx.today(), at=ctx.now())
    finished = ctx.store.exam(session.exam.uid)
    assert finished is not None
    result = exam_result(ctx, deck, finished)
    assert (result.right, result.total, result.unanswered) == (1, 3, 2)
    reviewed = {q.question.id: q.reviewed for q in result.questions}
    assert reviewed == {first.id: True, blank.id: True, new_blank.id: False}
    assert result.wrong_reviews == 1
