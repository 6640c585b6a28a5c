"""The grade keys' preview is what answering schedules: the same function, any state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from deckfactory import make_context, make_deck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiztui.study import open_key_points, open_review
from quiztui.study.preview import next_intervals


def test_a_new_card_shows_one_day_for_a_pass_and_today_for_a_fail(tmp_path: Path) -> None:
    """SM-2's first interval is one day; below 4 the card also comes back later today, which
    is what the key says (0, shown as "today")."""
    ctx, _ = make_context(tmp_path)
    deck = make_deck(parts=1, key_points=1, questions=0)
    expected = {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert next_intervals(ctx, deck, deck.item("p1-k1")) == expected


@given(st.lists(st.integers(0, 5), min_size=1, max_size=6), st.integers(0, 5))
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_preview_is_what_the_review_then_schedules(
    tmp_path_factory: object, history: list[int], grade: int
) -> None:
    """After any history of daily grades, pressing a grade schedules the previewed interval."""
    folder = tmp_path_factory.mktemp("preview")  # type: ignore[attr-defined]
    ctx, clock = make_context(Path(folder))
    deck = make_deck(parts=1, key_points=1, questions=0)
    key_points = open_key_points(ctx, deck, "p1")
    key_points.grade(history[0], 1.0)
    item = deck.item("p1-k1")

    def until_due() -> None:
        stored = ctx.store.state(deck.id, item.id)
        assert stored is not None
        clock.advance(timedelta(days=max(1, (stored.state.due - ctx.today()).days)))

    for earlier in history[1:]:
        until_due()
        session = open_review(ctx, [deck])
        assert session.current is not None and not session.current.is_redrill
        session.grade_flashcard(earlier, 1.0)
    until_due()
    preview = next_intervals(ctx, deck, item)
    session = open_review(ctx, [deck])
    assert session.current is not None and not session.current.is_redrill
    session.grade_flashcard(grade, 1.0)
    state = ctx.store.state(deck.id, item.id)
    assert state is not None
    again = open_review(ctx, [deck]).current
    if preview[grade] == 0:
        assert again is not None and again.item.id == item.id and again.is_redrill
    else:
        assert again is None
        assert (state.state.due - ctx.today()).days == preview[grade]
