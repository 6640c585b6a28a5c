"""Which files make the class: damaged, other-deck and duplicate files are left out, with the
file and the reason, and never stop the report; later format versions are read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from classreport_helpers import D0, Learner, demo_deck

pytest.importorskip("duckdb")

from quiztui.classreport.loading import export_files
from quiztui.classreport.report import ClassReport, ClassReportError, build_report
from quiztui.deck.model import Deck
from quiztui.store import Store


def good(name: str | None, folder: Path, file_name: str | None = None) -> Path:
    """A learner who took part one's post-check (all right)."""
    learner = Learner(name)
    learner.check("post", D0 + timedelta(hours=10), {"q1": "a", "q2": "a", "q3": "a"})
    return learner.write(folder / f"{file_name or name}.json")


def run(folder: Path, deck: Deck, *paths: Path) -> ClassReport:
    """The report on `paths` (default: the folder)."""
    return build_report(list(paths) or [folder], deck=deck, find_deck=lambda _: deck)


def reasons(report: ClassReport) -> dict[str, str]:
    """file name -> reason, for every file left out."""
    return {s.file.name: s.reason for s in report.skipped}


def test_damaged_files_are_reported_and_left_out(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    folder = tmp_path / "class"
    folder.mkdir()
    good("ann", folder)
    (folder / "cut.json").write_text('{"format": "quiztui-progress", "reviews": [', "utf-8")
    (folder / "empty.json").write_text("", "utf-8")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00{not text")
    (folder / "list.json").write_text("[1, 2]", "utf-8")
    (folder / "other.json").write_text('{"format": "something-else"}', "utf-8")
    (folder / "noversion.json").write_text('{"format": "quiztui-progress"}', "utf-8")
    bad_grade = Learner("bea")
    bad_grade.check("post", D0, {"q1": "a"})
    bad_grade.reviews[0]["grade"] = 9
    bad_grade.write(folder / "bad-grade.json")
    bad_undo = Learner("bob")
    bad_undo.check("post", D0, {"q1": "a"})
    bad_undo.reviews[0]["undone_at"] = "yesterday"
    bad_undo.write(folder / "bad-undo.json")
    bad_attempt = Learner("bim")
    bad_attempt.check("post", D0, {"q1": "a"})
    del bad_attempt.attempts[0]["part_id"]
    bad_attempt.write(folder / "bad-attempt.json")

    report = run(folder, deck)

    assert [learner["name"] for learner in report.document["learners"]] == ["ann"]
    why = reasons(report)
    assert set(why) == {
        "cut.json",
        "empty.json",
        "binary.json",
        "list.json",
        "other.json",
        "noversion.json",
        "bad-grade.json",
        "bad-undo.json",
        "bad-attempt.json",
    }
    assert why["cut.json"].startswith("is not valid JSON at line 1, column")
    assert why["empty.json"] == "is empty"
    assert why["binary.json"].startswith("is not UTF-8 text")
    assert "is not a quiztui progress file" in why["list.json"]
    assert "is not a quiztui progress file" in why["other.json"]
    assert why["noversion.json"].startswith("has no valid format_version")
    assert why["bad-grade.json"].startswith("review #1 is damaged")
    assert why["bad-undo.json"].startswith("review #1 is damaged")
    assert why["bad-attempt.json"].startswith("attempt #1 is damaged")
    assert report.document["class"] == {"files": 10, "learners": 1, "skipped": 9}
    assert len(report.document["skipped"]) == 9


def test_a_bad_file_in_any_chunk_is_found(tmp_path: Path) -> None:
    """DuckDB reads files in chunks; the chunk holding an unreadable file is halved until it is
    found, and the other files of that chunk still count."""
    from quiztui.classreport import loading
    from quiztui.classreport.deck_tables import load_deck_tables

    deck = demo_deck(tmp_path)
    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(9):
        good(f"l{n}", folder)
    (folder / "l4x.json").write_bytes(b"\xff\xff")
    files, _ = export_files([folder])
    import duckdb

    connection = duckdb.connect()
    load_deck_tables(connection, deck)
    staged, unread = loading.stage(connection, files, chunk_files=4, workers=2)
    assert [s.file.name for s in unread] == ["l4x.json"]
    assert len(staged) == 9


def test_files_of_another_deck_are_left_out(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    good("ann", tmp_path)
    other = Learner("zed", deck_id="airflow-mwaa")
    other.check("post", D0, {"q-x": "a"})
    other.write(tmp_path / "zed.json")
    Learner("nil").write(tmp_path / "nil.json")
    report = run(
        tmp_path, deck, tmp_path / "ann.json", tmp_path / "zed.json", tmp_path / "nil.json"
    )
    assert reasons(report) == {
        "zed.json": "holds nothing of deck 'demo' (it holds: airflow-mwaa)",
        "nil.json": "holds no answers at all",
    }


def test_a_file_with_two_decks_counts_for_the_report_deck_only(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    learner = Learner("ann")
    learner.check("post", D0, {"q1": "a", "q2": "b"})
    other = Learner("ann", deck_id="elsewhere")
    other.check("post", D0, {"q1": "b", "q2": "b"}, part_id="p1")
    learner.reviews += other.reviews
    learner.attempts += other.attempts
    learner.write(tmp_path / "ann.json")
    report = run(tmp_path, deck, tmp_path / "ann.json")
    q1 = report.document["parts"][0]["questions"][0]["post"]
    assert (q1["answers"], q1["facility"]) == (1, 1.0)


def test_one_export_per_learner_the_newest_wins(tmp_path: Path) -> None:
    """Two files naming the same learner, or holding the same checks (one history sent twice
    under two names), are one learner: the newest export is used, the other reported."""
    deck = demo_deck(tmp_path)
    older = Learner("ann")
    older.check("post", D0, {"q1": "b"})
    data = older.export()
    data["exported_at"] = (D0 + timedelta(days=1)).isoformat()
    (tmp_path / "ann-monday.json").write_text(json.dumps(data), "utf-8")
    newer = Learner("Ann")
    newer.check("post", D0, {"q1": "a"})
    newer.write(tmp_path / "ann-friday.json")
    copy = Learner(None)
    copy.reviews, copy.attempts = newer.reviews, newer.attempts
    copy.write(tmp_path / "copy-of-ann.json")
    good("ben", tmp_path)

    report = run(tmp_path, deck)

    assert [learner["name"] for learner in report.document["learners"]] == ["Ann", "ben"]
    why = reasons(report)
    assert why["ann-monday.json"].startswith("is another export of learner 'Ann'; the newest")
    assert "ann-friday.json" in why["ann-monday.json"]
    assert why["copy-of-ann.json"].startswith("holds the same checks as 'Ann'")
    q1 = report.document["parts"][0]["questions"][0]["post"]
    assert q1["facility"] == 1.0


def test_a_name_comes_from_the_file_without_a_learner_field(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    good(None, tmp_path, "Zoë Smith")
    report = run(tmp_path, deck)
    assert report.document["learners"][0]["name"] == "Zoë Smith"


def test_later_format_versions_with_new_fields_and_modes_are_read(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    learner = Learner("ann")
    learner.check("post", D0, {"q1": "a", "q2": "b"})
    exam = learner.review("q1", "exam", 1, D0 + timedelta(days=3), picked=["b"])
    exam["confidence"] = 0.4
    learner.attempts[0]["proctored"] = True
    learner.extra = {"format_version": 3, "exams": [{"id": "x"}], "learner_email": "a@b.c"}
    learner.write(tmp_path / "ann.json")
    report = run(tmp_path, deck)
    assert report.skipped == ()
    q1 = report.document["parts"][0]["questions"][0]
    assert q1["post"]["facility"] == 1.0
    assert report.document["learners"][0]["answers"] == 3


def test_renamed_deck_id_counts_as_the_deck(tmp_path: Path) -> None:
    """An export made before the deck was renamed still belongs to it."""
    from dataclasses import replace

    deck = replace(demo_deck(tmp_path), id="demo-2", renamed_from=("demo",))
    good("ann", tmp_path)
    report = run(tmp_path, deck)
    assert report.document["class"]["learners"] == 1


def test_no_usable_file_is_an_error_naming_what_was_left_out(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    (tmp_path / "cut.json").write_text("{", "utf-8")
    with pytest.raises(ClassReportError) as caught:
        run(tmp_path, deck)
    assert "none of the 1 files" in str(caught.value)
    assert [s.file.name for s in caught.value.skipped] == ["cut.json"]


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    good("ann", tmp_path)
    report = run(tmp_path, deck, tmp_path / "ann.json", tmp_path / "gone.json")
    assert reasons(report) == {"gone.json": "no such file or folder"}


def test_the_deck_is_found_by_the_exports_deck_id(tmp_path: Path) -> None:
    deck = demo_deck(tmp_path)
    good("ann", tmp_path)
    asked: list[str] = []

    def find(deck_id: str) -> Deck:
        asked.append(deck_id)
        return deck

    build_report([tmp_path], find_deck=find)
    assert asked == ["demo"]


def test_exports_made_by_the_store(tmp_path: Path) -> None:
    """Real exports, through Store: record_review, start/finish_attempt, export_data."""
    from quiztui.store.exchange import with_learner

    deck = demo_deck(tmp_path)
    at = datetime(2024, 3, 1, 10, tzinfo=UTC)
    for name, picks in (("ann", ("a", "a")), ("ben", ("a", "b"))):
        with Store.open(tmp_path / f"{name}.sqlite3", backups_dir=tmp_path / "b") as store:
            attempt = store.start_attempt(
                deck_id="demo",
                part_id="p1",
                check="post",
                question_ids=["q1", "q2"],
                choice_orders={"q1": ("a", "b"), "q2": ("a", "b")},
                at=at,
            )
            for n, (qid, pick) in enumerate(zip(("q1", "q2"), picks, strict=True)):
                store.record_review(
                    deck_id="demo",
                    item_id=qid,
                    kind="question",
                    mode="post",
                    grade=4 if pick == "a" else 1,
                    answer_key=deck.item(qid).answer_key,
                    learning_day=at.date(),
                    at=at + timedelta(seconds=n + 1),
                    picked=[pick],
                    correct=pick == "a",
                    attempt_uid=attempt.uid,
                )
            store.finish_attempt(attempt.uid, at + timedelta(minutes=1))
            data = with_learner(store.export_data(), name.title())
        (tmp_path / "exports").mkdir(exist_ok=True)
        (tmp_path / "exports" / f"{name}.json").write_text(json.dumps(data), "utf-8")
    report = run(tmp_path, deck, tmp_path / "exports")
    assert [learner["name"] for learner in report.document["learners"]] == ["Ann", "Ben"]
    q2 = report.document["parts"][0]["questions"][1]["post"]
    assert (q2["facility"], q2["answers"]) == (0.5, 2)
    assert report.document["learners"][0]["items_learned"] == 2


def test_two_decks_as_often_ask_for_one(tmp_path: Path) -> None:
    good("ann", tmp_path)
    other = Learner("zed", deck_id="elsewhere")
    other.check("post", D0, {"q1": "a"})
    other.write(tmp_path / "zed.json")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe")

    def find(deck_id: str) -> Deck:
        raise AssertionError("no deck should be looked up")

    with pytest.raises(ClassReportError, match=r"several decks as often \(demo, elsewhere\)"):
        build_report([tmp_path], find_deck=find)
