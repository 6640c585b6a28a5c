"""FSRS as the scheduler: the same log replayed through py-fsrs, switching back and forth, and
its learning steps coming back within the learning day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from deckfactory import make_context, make_deck
from fsrs import Card, Rating, Scheduler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.deck.model import Question
from quiztui.scheduling import SM2, FsrsState, make_scheduler
from quiztui.scheduling.fsrs_scheduler import GRADE_TO_RATING, FsrsScheduler, fsrs_instant
from quiztui.sm2 import ItemState
from quiztui.store import ReviewRecord, Store, replay
from quiztui.study import (
    StudyContext,
    next_intervals,
    open_check,
    open_key_points,
    open_review,
    queue_counts,
)

DAY0 = date(2024, 1, 1)
T0 = datetime(2024, 1, 1, 9, tzinfo=UTC)


def answer(store: Store, item: str, grade: int, day: int, mode: str = "review") -> ReviewRecord:
    """Log one answer to key point `item` of deck "d" on day `day` after 2024-01-01."""
    return store.record_review(
        deck_id="d",
        item_id=item,
        kind="key_point",
        mode=mode,  # type: ignore[arg-type]
        grade=grade,
        answer_key="",
        learning_day=DAY0 + timedelta(days=day),
        at=T0 + timedelta(days=day, seconds=len(store.reviews(include_undone=True))),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh store in `tmp_path`."""
    opened = Store.open(tmp_path / "progress.sqlite3", backups_dir=tmp_path / "backups")
    yield opened  # type: ignore[misc]
    opened.close()


def test_the_grade_to_rating_table_is_the_documented_one() -> None:
    """0-2 Again, 3 Hard, 4 Good, 5 Easy: a wrong question (1) is Again, a right one (4) Good,
    "guessed" (3) Hard and "knew it" (5) Easy."""
    ratings = {grade: Rating(rating) for grade, rating in GRADE_TO_RATING.items()}
    assert ratings == {
        0: Rating.Again,
        1: Rating.Again,
        2: Rating.Again,
        3: Rating.Hard,
        4: Rating.Good,
        5: Rating.Easy,
    }
    table = (Path(__file__).parents[1] / "docs" / "scheduling.md").read_text()
    assert "| 0, 1, 2 | Again |" in table and "| 5 | Easy |" in table


ANSWERS = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 5), st.sampled_from(["review", "redrill"])),
    min_size=1,
    max_size=25,
)
"""Answers to one item: days after the previous answer (0: the same day), grade, mode."""


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=ANSWERS, retention=st.sampled_from([0.85, 0.9, 0.95]))
def test_states_match_py_fsrs_fed_the_same_ratings_and_times(
    tmp_path_factory: pytest.TempPathFactory, answers: list[tuple[int, int, str]], retention: float
) -> None:
    """Every stored FSRS state is py-fsrs's own card after the same ratings at the same times
    (noon UTC of each answer's learning day), fuzz off."""
    folder = tmp_path_factory.mktemp("fsrs")
    store = Store.open(
        folder / "p.sqlite3", backups_dir=folder / "b", scheduler=make_scheduler("fsrs", retention)
    )
    reference = Scheduler(desired_retention=retention, enable_fuzzing=False)
    card = Card(card_id=1, due=fsrs_instant(DAY0))
    day = 0
    started = False
    for gap, grade, mode in answers:
        day += gap
        if mode == "redrill" and not started:
            mode = "review"  # a re-drill always follows a first answer
        started = True
        answer(store, "a", grade, day, mode)
        at = fsrs_instant(DAY0 + timedelta(days=day))
        card, _ = reference.review_card(card, Rating(GRADE_TO_RATING[grade]), at)
        stored = store.state("d", "a")
        assert stored is not None and isinstance(stored.state, FsrsState)
        state = stored.state
        assert (state.stability, state.difficulty) == (card.stability, card.difficulty)
        assert (state.phase, state.step) == (int(card.state), card.step)
        assert fsrs_instant(state.due) == card.due or (
            state.due == DAY0 + timedelta(days=day) and card.due - at < timedelta(days=1)
        ), "a learning step is due the same learning day"
    store.close()


def test_switching_the_scheduler_replays_the_log_and_back_gives_sm2_exactly(store: Store) -> None:
    """SM-2 states, then FSRS's replay of the same log, then SM-2's again, identical."""
    for item, grade, day in [("a", 4, 0), ("b", 1, 0), ("a", 5, 1), ("b", 3, 1), ("c", 2, 3)]:
        answer(store, item, grade, day)
    answer(store, "b", 4, 1, "redrill")
    sm2_states = store.live_states()
    assert all(isinstance(s.state, ItemState) for s in sm2_states.values())
    fsrs = make_scheduler("fsrs")
    assert store.use_scheduler(fsrs) is True
    switched = store.live_states()
    assert switched == replay(store.reviews(), fsrs)
    assert all(isinstance(s.state, FsrsState) for s in switched.values())
    assert store.use_scheduler(make_scheduler("fsrs")) is False, "same basis: nothing to redo"
    assert store.use_scheduler(SM2) is True
    assert store.live_states() == sm2_states
    assert len(store.reviews()) == 6, "the log is untouched"


def test_the_scheduler_is_kept_with_the_states_and_a_new_basis_replays(tmp_path: Path) -> None:
    """Reopened, the store is on the scheduler its states were computed under; another
    desired retention or fitted parameters are another basis."""
    path = tmp_path / "p.sqlite3"
    with Store.open(path, backups_dir=tmp_path / "b", scheduler=make_scheduler("fsrs")) as store:
        for day in (0, 1, 4):
            answer(store, "a", 4, day)
    with Store.open(path, backups_dir=tmp_path / "b") as store:
        assert store.scheduler.name == "fsrs"
        before = store.live_states()
        assert store.use_scheduler(make_scheduler("fsrs", 0.95)) is True
        after = store.live_states()
        assert after[("d", "a")].state.interval < before[("d", "a")].state.interval
        parameters = list(FsrsScheduler().parameters)
        parameters[0] = 0.5
        store.save_fsrs_parameters(parameters, reviews=3)
        assert store.fsrs_parameters() == tuple(parameters)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    actions=st.lists(
        st.tuples(
            st.sampled_from(["answer", "undo", "amend"]), st.integers(0, 3), st.integers(0, 5)
        ),
        max_size=20,
    )
)
def test_undo_and_amend_under_fsrs_leave_the_log_s_replay(
    tmp_path_factory: pytest.TempPathFactory, actions: list[tuple[str, int, int]]
) -> None:
    """Whatever the answers, undos and confidence changes, the stored FSRS states are the
    replay of the log."""
    folder = tmp_path_factory.mktemp("undo")
    store = Store.open(
        folder / "p.sqlite3", backups_dir=folder / "b", scheduler=make_scheduler("fsrs")
    )
    uids: list[str] = []
    for number, (action, which, grade) in enumerate(actions):
        if action == "answer" or not uids:
            mode = "redrill" if which == 3 and uids else "review"
            uids.append(answer(store, "abc"[which % 3], grade, number // 3, mode).uid)
        elif action == "undo":
            store.undo_review(uids[which % len(uids)])
        else:
            live = store.review(uids[which % len(uids)])
            if live is not None and not live.undone:
                store.amend_grade(live.uid, grade)
    assert store.live_states() == store.rebuild_states()
    store.close()


def fsrs_context(tmp_path: Path) -> tuple[StudyContext, object]:
    """A context whose settings choose FSRS."""
    return make_context(tmp_path, scheduler="fsrs")


def test_a_learning_step_comes_back_in_the_same_session(tmp_path: Path) -> None:
    """Under FSRS a question answered right for the first time is on its 10-minute step: it
    comes back in the same session (as a re-drill, which FSRS counts), then is let go."""
    ctx, clock = make_context(tmp_path, scheduler="fsrs")
    assert ctx.store.scheduler.name == "fsrs"
    deck = make_deck(parts=1, key_points=0, questions=2)
    post = open_check(ctx, deck, "p1", "post", seed=0)
    while (current := post.current) is not None:
        assert isinstance(current.item, Question)
        post.answer(current.item.correct_choice_ids, 1.0)
    post.finish()
    assert queue_counts(ctx, deck).redrill == 2, "both on a learning step, due today"
    assert queue_counts(ctx, deck).due == 0, "counted once, as re-drills"
    session = open_review(ctx, [deck], seed=1)
    assert session.remaining == 2 and session.current is not None and session.current.is_redrill
    while (current := session.current) is not None:
        assert isinstance(current.item, Question)
        session.answer_question(current.item.correct_choice_ids, 1.0)
    states = [ctx.store.state(deck.id, q.id) for q in deck.part("p1").questions]
    assert all(s is not None and s.state.interval >= 1 for s in states), "graduated"
    assert [r.mode for r in ctx.store.reviews(deck.id)] == ["post", "post", "redrill", "redrill"]
    clock.advance(timedelta(days=1))
    assert queue_counts(ctx, deck).redrill == 0


def test_key_points_under_fsrs_come_back_until_they_leave_their_steps(tmp_path: Path) -> None:
    """A card graded 4 is on a learning step and comes back once; graded 5 it graduates."""
    ctx, _ = make_context(tmp_path, scheduler="fsrs")
    deck = make_deck(parts=1, key_points=2, questions=0)
    session = open_key_points(ctx, deck, "p1")
    session.grade(4, 1.0)
    session.grade(5, 1.0)
    assert session.redrills_waiting == 1
    session.grade(4, 1.0)
    assert session.finished


def test_sm2_sessions_are_unchanged_by_the_option(tmp_path: Path) -> None:
    """The same post-check under SM-2: right answers (4) do not come back."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=0, questions=2)
    post = open_check(ctx, deck, "p1", "post", seed=0)
    while (current := post.current) is not None:
        assert isinstance(current.item, Question)
        post.answer(current.item.correct_choice_ids, 1.0)
    post.finish()
    assert queue_counts(ctx, deck).redrill == 0
    assert ctx.store.scheduler is SM2


def test_next_intervals_follow_the_scheduler_in_force(tmp_path: Path) -> None:
    """The preview is what an answer would do: 0 for "later today", else days."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=1, questions=0)
    item = deck.part("p1").key_points[0]
    assert next_intervals(ctx, deck, item) == {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    fsrs_ctx = StudyContext(ctx.store, ctx.clock, ctx.settings.__class__(scheduler="fsrs"))
    preview = next_intervals(fsrs_ctx, deck, item)
    assert [preview[g] for g in range(5)] == [0, 0, 0, 0, 0], "learning steps: later today"
    assert preview[5] >= 1, "Easy graduates a new card at once"
    session = open_key_points(fsrs_ctx, deck, "p1")
    session.grade(4, 1.0)
    again = next_intervals(fsrs_ctx, deck, item, is_redrill=True)
    assert again[4] >= 1 and again[1] == 0
