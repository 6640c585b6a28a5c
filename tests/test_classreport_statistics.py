"""Every figure of the JSON report on a class of six whose statistics are worked out by hand.

Part one asks q1, q2 and q3 before and after reading. q1: everyone right after reading (no
discrimination). q2: the three strongest learners miss it and the three weakest get it, so its
discrimination is negative. q3: a lure (b) that most pick. eve skips the pre-check; ann retakes
the post-check three days later, all right; ben's pre-check holds an undone answer; cat left a
post-check attempt half-way before the one she finished; fay's q1 is logged under its old id.
Part two's q4 is asked only after reading, and nobody has reached it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from classreport_helpers import D0, Learner, demo_deck, pearson

pytest.importorskip("duckdb")

from quiztui.classreport.report import build_report

PRE = {
    "ann": {"q1": "b", "q2": "b", "q3": "b"},
    "ben": {"q1": "a", "q2": "c", "q3": "b"},
    "cat": {"q1": "c", "q2": "a", "q3": "a"},
    "dan": {"q1": "a", "q2": "b", "q3": "b"},
    "fay": {"q1": "a", "q2": "a", "q3": "c"},
}
POST = {
    "ann": {"q1": "a", "q2": "b", "q3": "a"},
    "ben": {"q1": "a", "q2": "c", "q3": "a"},
    "cat": {"q1": "a", "q2": "d", "q3": "b"},
    "dan": {"q1": "a", "q2": "a", "q3": "b"},
    "eve": {"q1": "a", "q2": "a", "q3": "b"},
    "fay": {"q1": "a", "q2": "a", "q3": "b"},
}
NAMES = ("ann", "ben", "cat", "dan", "eve", "fay")


def write_class(folder: Path) -> Path:
    """The six exports, in `folder`/class."""
    target = folder / "class"
    target.mkdir()
    for name in NAMES:
        learner = Learner(None if name == "eve" else name)
        if name in PRE:
            uid = learner.check("pre", D0 + timedelta(hours=9), PRE[name])
            if name == "ben":
                learner.review("q1", "pre", 1, D0 + timedelta(hours=9, minutes=1), picked=["c"],
                               attempt=uid, undone=True)  # fmt: skip
        if name in ("ann", "ben"):
            learner.review("k1", "learn", 4, D0 + timedelta(hours=9, minutes=30))
        if name == "cat":
            learner.check("post", D0 + timedelta(hours=9, minutes=30), {"q1": "b"}, finished=False)
        picks = dict(POST[name])
        learner.check("post", D0 + timedelta(hours=10), picks)
        if name == "fay":
            next(r for r in learner.reviews if r["item_id"] == "q1" and r["mode"] == "post")[
                "item_id"
            ] = "q1-old"
        if name == "ann":
            learner.check(
                "post", D0 + timedelta(days=3, hours=10), {"q1": "a", "q2": "a", "q3": "a"}
            )
            for days, minutes, mode, grade in (
                (1, 0, "review", 5),
                (7, 0, "review", 2),
                (7, 5, "redrill", 4),
                (8, 0, "review", 4),
            ):
                learner.review(
                    "k1", mode, grade, D0 + timedelta(days=days, hours=12, minutes=minutes)
                )
        if name == "ben":
            learner.review("k1", "review", 1, D0 + timedelta(days=1, hours=12))
            learner.review("k1", "review", 4, D0 + timedelta(days=2, hours=12))
        if name == "cat":
            learner.review("k1", "review", 1, D0 + timedelta(days=20, hours=12), undone=True)
        learner.write(target / f"{name}.json")
    return target


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON document of the class, first finished attempts."""
    folder = tmp_path_factory.mktemp("class")
    deck = demo_deck(folder)
    built = build_report([write_class(folder)], deck=deck, find_deck=lambda _: deck)
    assert built.skipped == ()
    return built.document


def part(report: dict[str, Any], part_id: str) -> dict[str, Any]:
    """A part of the document."""
    return next(p for p in report["parts"] if p["id"] == part_id)


def question(report: dict[str, Any], question_id: str) -> dict[str, Any]:
    """A question of the document."""
    return next(q for p in report["parts"] for q in p["questions"] if q["id"] == question_id)


def shares(figures: dict[str, Any]) -> dict[str, tuple[int, float, bool, bool]]:
    """choice -> (picked, share, never_picked, misleading)."""
    return {
        r["choice"]: (r["picked"], r["share"], r["never_picked"], r["misleading"])
        for r in figures["responses"]
    }


def approx(value: float) -> Any:
    """A figure as the document rounds it."""
    return pytest.approx(value, abs=1e-6)


def test_the_header_and_the_class(report: dict[str, Any]) -> None:
    assert report["format"] == "quiztui-class-report"
    assert report["format_version"] == 1
    assert report["deck"] == {"id": "demo", "title": "Demo deck", "version": "1.0"}
    assert report["options"] == {"attempts": "first", "anonymized": False}
    assert report["class"] == {"files": 6, "learners": 6, "skipped": 0}
    assert report["skipped"] == []


def test_facility_per_check(report: dict[str, Any]) -> None:
    """Right answers over answers: the pre-check has 5 learners (eve skipped it), the post 6."""
    expected = {"q1": (3 / 5, 1.0), "q2": (2 / 5, 3 / 6), "q3": (1 / 5, 2 / 6)}
    for qid, (pre, post) in expected.items():
        q = question(report, qid)
        assert (q["pre"]["answers"], q["pre"]["learners"]) == (5, 5)
        assert (q["post"]["answers"], q["post"]["learners"]) == (6, 6)
        assert q["pre"]["facility"] == approx(pre)
        assert q["post"]["facility"] == approx(post)


def test_discrimination_against_the_rest_of_the_attempt(report: dict[str, Any]) -> None:
    """r(score, share right on the other two questions), by the textbook formula."""
    # post, learners ann..fay: scores on (q1, q2, q3)
    post = [(1, 0, 1), (1, 0, 1), (1, 0, 0), (1, 1, 0), (1, 1, 0), (1, 1, 0)]
    pre = [(0, 0, 0), (1, 0, 0), (0, 1, 1), (1, 0, 0), (1, 1, 0)]  # eve has none
    for check, rows in (("pre", pre), ("post", post)):
        for n, qid in enumerate(("q1", "q2", "q3")):
            xs = [row[n] for row in rows]
            rest = [(sum(row) - row[n]) / 2 for row in rows]
            got = question(report, qid)[check]["discrimination"]
            if len(set(xs)) == 1:
                assert got is None, (check, qid)
            else:
                assert got == approx(pearson(xs, rest)), (check, qid)
    assert question(report, "q1")["post"]["discrimination"] is None  # everyone right
    assert question(report, "q2")["post"]["discrimination"] == approx(-(2**-0.5))
    assert question(report, "q2")["post"]["discrimination"] < 0


def test_response_shares_and_flags(report: dict[str, Any]) -> None:
    """Shares of answers per choice; never picked: a wrong choice nobody chose; misleading: a
    wrong choice chosen more often than the right one."""
    assert shares(question(report, "q1")["post"]) == {
        "a": (6, 1.0, False, False),
        "b": (0, 0.0, True, False),
        "c": (0, 0.0, True, False),
        "d": (0, 0.0, True, False),
    }
    assert shares(question(report, "q2")["post"]) == {
        "a": (3, 0.5, False, False),
        "b": (1, approx(1 / 6), False, False),
        "c": (1, approx(1 / 6), False, False),
        "d": (1, approx(1 / 6), False, False),
    }
    assert shares(question(report, "q3")["post"]) == {
        "a": (2, approx(1 / 3), False, False),
        "b": (4, approx(2 / 3), False, True),
        "c": (0, 0.0, True, False),
        "d": (0, 0.0, True, False),
    }
    # ben's undone "c" never counts: q1's pre answers are b, a, c, a, a
    assert shares(question(report, "q1")["pre"]) == {
        "a": (3, 0.6, False, False),
        "b": (1, 0.2, False, False),
        "c": (1, 0.2, False, False),
        "d": (0, 0.0, True, False),
    }
    assert shares(question(report, "q2")["pre"])["b"] == (2, 0.4, False, False)  # a tie: no flag
    assert shares(question(report, "q3")["pre"])["b"] == (3, 0.6, False, True)
    assert [question(report, q)["post"]["misleading"] for q in ("q1", "q2", "q3")] == [
        False,
        False,
        True,
    ]
    texts = {r["choice"]: r["text"] for r in question(report, "q3")["post"]["responses"]}
    assert (texts["b"], [r["correct"] for r in question(report, "q3")["post"]["responses"]]) == (
        "the lure",
        [True, False, False, False],
    )


def test_gain_per_question(report: dict[str, Any]) -> None:
    """(post - pre) / (1 - pre) of the class's facilities, and the mean of the learners' own
    gains, defined where a learner was wrong before (then the own gain is the post score)."""
    expected = {
        "q1": ((1.0 - 0.6) / (1 - 0.6), 1.0, 2),  # ann and cat were wrong before
        "q2": ((0.5 - 0.4) / (1 - 0.4), 1 / 3, 3),  # ann, ben, dan
        "q3": ((1 / 3 - 0.2) / (1 - 0.2), 0.5, 4),  # ann, ben, dan, fay
    }
    for qid, (gain, own, count) in expected.items():
        q = question(report, qid)
        assert q["normalized_gain"] == approx(gain)
        assert q["mean_learner_gain"] == approx(own)
        assert q["learner_gains"] == count


def test_gain_per_part(report: dict[str, Any]) -> None:
    """A part's facility is the mean of the learners' scores on it."""
    pre = {"ann": 0, "ben": 1 / 3, "cat": 2 / 3, "dan": 1 / 3, "fay": 2 / 3}
    post = {"ann": 2 / 3, "ben": 2 / 3, "cat": 1 / 3, "dan": 2 / 3, "eve": 2 / 3, "fay": 2 / 3}
    class_pre, class_post = sum(pre.values()) / 5, sum(post.values()) / 6
    own = [(post[n] - pre[n]) / (1 - pre[n]) for n in pre]
    p1 = part(report, "p1")
    assert p1["title"] == "Part one"
    assert p1["pre"] == {"learners": 5, "facility": approx(class_pre)}
    assert p1["post"] == {"learners": 6, "facility": approx(class_post)}
    assert p1["normalized_gain"] == approx((class_post - class_pre) / (1 - class_pre))
    assert p1["mean_learner_gain"] == approx(sum(own) / len(own))
    assert p1["learner_gains"] == 5


def test_a_part_nobody_reached(report: dict[str, Any]) -> None:
    p2 = part(report, "p2")
    assert p2["pre"] == {"learners": 0, "facility": None}
    assert p2["post"] == {"learners": 0, "facility": None}
    assert (p2["normalized_gain"], p2["mean_learner_gain"], p2["learner_gains"]) == (None, None, 0)
    assert p2["retention"] == []
    q4 = question(report, "q4")
    assert (q4["checks"], q4["pre"], q4["post"], q4["normalized_gain"]) == (
        ["post"],
        None,
        None,
        None,
    )
    assert question(report, "q1")["checks"] == ["pre", "post"]
    assert question(report, "q1")["prompt"] == "Everyone knows this one?"


def test_retention_in_the_weeks_after_the_post_check(report: dict[str, Any]) -> None:
    """Daily reviews only (no re-drill, no undone answer), by week of learning days from the
    post-check's (day 7 after it starts week 2)."""
    assert part(report, "p1")["retention"] == [
        {"week": 1, "reviews": 3, "learners": 2, "recalled": approx(2 / 3)},
        {"week": 2, "reviews": 2, "learners": 1, "recalled": 0.5},
    ]


def test_most_lapsed_items(report: dict[str, Any]) -> None:
    """ann forgot k1 on day 7 after recalling it on day 1; ben on day 1 after learning it."""
    assert report["lapses"] == [
        {
            "item_id": "k1",
            "kind": "key_point",
            "part_id": "p1",
            "text": "Front of k1",
            "lapses": 2,
            "learners": 2,
        }
    ]


def test_per_learner(report: dict[str, Any]) -> None:
    """Scores per part, items learned (last schedule change graded 3+), last active day."""
    rows = {
        learner["name"]: (
            learner["parts"][0]["pre"],
            learner["parts"][0]["post"],
            learner["parts"][0]["learned"],
            learner["items_learned"],
            learner["last_active_day"],
            learner["answers"],
        )
        for learner in report["learners"]
    }
    third = approx(1 / 3)
    two_thirds = approx(2 / 3)
    assert rows == {
        "ann": (0.0, two_thirds, 4, 4, "2024-03-09", 14),
        "ben": (third, two_thirds, 3, 3, "2024-03-03", 9),
        # cat's half-way attempt answered q1 wrong first that day: SM-2 counts that answer
        "cat": (two_thirds, third, 0, 0, "2024-03-01", 7),
        "dan": (third, two_thirds, 2, 2, "2024-03-01", 6),
        "eve": (None, two_thirds, 2, 2, "2024-03-01", 3),
        "fay": (two_thirds, two_thirds, 2, 2, "2024-03-01", 6),
    }
    assert [learner["name"] for learner in report["learners"]] == list(NAMES)
    assert all(
        learner["parts"][1] == {"part_id": "p2", "pre": None, "post": None, "learned": 0}
        for learner in report["learners"]
    )
    assert report["learners"][0]["file"].endswith("ann.json")


@pytest.mark.parametrize(
    ("attempts", "q2_post", "q2_answers"),
    [("last", 4 / 6, 6), ("all", 4 / 7, 7)],
)
def test_attempts_option(tmp_path: Path, attempts: str, q2_post: float, q2_answers: int) -> None:
    """ann's retake counts instead of her first post-check (last), or beside it (all)."""
    deck = demo_deck(tmp_path)
    built = build_report(
        [write_class(tmp_path)],
        deck=deck,
        find_deck=lambda _: deck,
        attempts=attempts,  # type: ignore[arg-type]
    )
    q2 = question(built.document, "q2")["post"]
    assert (q2["facility"], q2["answers"], q2["learners"]) == (approx(q2_post), q2_answers, 6)
    assert built.document["options"]["attempts"] == attempts


def test_no_discrimination_below_five_learners(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    folder = write_class(tmp_path)
    files = [folder / f"{name}.json" for name in ("ann", "ben", "cat", "dan")]
    built = build_report(files, deck=deck, find_deck=lambda _: deck)
    for qid in ("q1", "q2", "q3"):
        for check in ("pre", "post"):
            assert question(built.document, qid)[check]["discrimination"] is None
    assert question(built.document, "q2")["post"]["facility"] == approx(1 / 4)


def test_a_part_s_summary_counts_one_learner_in_the_singular() -> None:
    """ "(1 learner)", never "(1 learners)", in every renderer's part line."""
    from quiztui.classreport.render_text import part_summary

    part = {
        "pre": {"facility": 0.2, "learners": 2},
        "post": {"facility": 1.0, "learners": 1},
        "normalized_gain": 1.0,
        "mean_learner_gain": 1.0,
        "learner_gains": 1,
    }
    assert part_summary(part) == (
        "Pre-check 20% (2 learners) → post-check 100% (1 learner) · normalized gain 1.00"
        " · mean of learners' gains 1.00 (1 learner)"
    )


def test_a_question_in_no_check_is_no_row_of_the_report(report: dict[str, Any]) -> None:
    """q5 is asked only in reviews (checks: []): it has no facility to show, so neither the
    JSON nor the tables and plots drawn from it list it."""
    listed = [q["id"] for part in report["parts"] for q in part["questions"]]
    assert listed == ["q1", "q2", "q3", "q4"]
