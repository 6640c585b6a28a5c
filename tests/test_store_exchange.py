"""Export and import of a whole history: round trips, idempotence, merging, bad files."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiztui.commands import progress as progress_command
from quiztui.store import Store
from quiztui.store.exchange import read_progress_file
from quiztui.store.import_check import ProgressFileError

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


def fill(store: Store, item_prefix: str, days: list[int], hour: int = 0) -> list[str]:
    """Answer one review per day for three items; returns the uids."""
    uids = []
    for day in days:
        for n in range(3):
            row = store.record_review(
                deck_id="d",
                item_id=f"{item_prefix}{n}",
                kind="question",
                mode="review",
                grade=(day + n) % 6,
                answer_key="k",
                learning_day=date(2024, 1, 1) + timedelta(days=day),
                at=T0 + timedelta(days=day, hours=hour, minutes=n),
                picked=["a"],
                correct=True,
            )
            uids.append(row.uid)
    return uids


def open_store(folder: Path, name: str) -> Store:
    """A fresh store named `name` in `folder`."""
    return Store.open(folder / f"{name}.sqlite3", backups_dir=folder / "backups")


def test_round_trip_into_a_fresh_store(tmp_path: Path) -> None:
    """Everything exported comes back: log rows, undos, amendments, attempts, steps, states."""
    source = open_store(tmp_path, "source")
    uids = fill(source, "q", [0, 1, 2, 5])
    source.undo_review(uids[-1])
    source.amend_grade(uids[3], 5)
    source.start_attempt(
        deck_id="d", part_id="p", check="pre", question_ids=["q0"], choice_orders={}, at=T0
    )
    source.mark_step("d", "p", "key_points_opened", T0)
    data = source.export_data()
    target = open_store(tmp_path, "target")
    result = target.import_data(json.loads(json.dumps(data)))
    assert (result.reviews_added, result.attempts_added, result.steps_added) == (12, 1, 1)
    assert target.reviews(include_undone=True) == source.reviews(include_undone=True)
    assert target.live_states() == source.live_states()
    assert target.steps("d") == source.steps("d")
    assert [a.uid for a in target.attempts("d")] == [a.uid for a in source.attempts("d")]


def test_importing_twice_adds_nothing_twice(tmp_path: Path) -> None:
    """The second import of the same file changes nothing."""
    source = open_store(tmp_path, "source")
    fill(source, "q", [0, 1])
    data = source.export_data()
    target = open_store(tmp_path, "target")
    assert target.import_data(data).changed
    again = target.import_data(data)
    assert not again.changed
    assert target.review_count() == source.review_count()


def test_merge_interleaves_histories_in_time_order(tmp_path: Path) -> None:
    """Two machines' histories merge in time order; states are the replay of the merged log."""
    laptop = open_store(tmp_path, "laptop")
    desktop = open_store(tmp_path, "desktop")
    laptop_uids = fill(laptop, "q", [0, 2, 4], hour=0)
    desktop_uids = fill(desktop, "q", [1, 3, 5], hour=1)
    result = laptop.import_data(desktop.export_data())
    assert result.reviews_added == len(desktop_uids)
    merged = laptop.reviews()
    assert sorted(r.uid for r in merged) == sorted(laptop_uids + desktop_uids)
    assert [r.reviewed_at for r in merged] == sorted(r.reviewed_at for r in merged)
    assert laptop.rebuild_states() == laptop.live_states()
    assert laptop.state("d", "q0").state.last_review == date(2024, 1, 6)  # type: ignore[union-attr]


def test_an_undo_made_elsewhere_is_merged(tmp_path: Path) -> None:
    """Re-importing after undoing on the other machine brings the undo, once."""
    source = open_store(tmp_path, "source")
    uids = fill(source, "q", [0, 1])
    target = open_store(tmp_path, "target")
    target.import_data(source.export_data())
    source.undo_review(uids[-1])
    result = target.import_data(source.export_data())
    assert result.reviews_updated == 1 and result.reviews_added == 0
    assert target.live_states() == source.live_states()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"format": "quiztui-progress",\n "format_version": 1,\n "reviews": [}', ":3:"),
        ('{"format": "other"}', "is not a quiztui progress file"),
        ('{"format": "quiztui-progress", "format_version": 99}', "Upgrade quiztui"),
        (
            '{"format": "quiztui-progress", "format_version": 1, "reviews": [{"uid": "x"}]}',
            "review #1 (uid 'x') has no valid 'seconds'",
        ),
    ],
)
def test_bad_files_are_refused_whole(tmp_path: Path, text: str, fragment: str) -> None:
    """A broken file imports nothing and says which file and which entry."""
    path = tmp_path / "history.json"
    path.write_text(text)
    store = open_store(tmp_path, "target")
    with pytest.raises(ProgressFileError) as caught:
        store.import_data(read_progress_file(path), str(path))
    assert str(path) in str(caught.value) and fragment in str(caught.value)
    assert store.review_count() == 0


def test_progress_command_export_then_import(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quiztui progress export FILE` then `import FILE` (twice) through the command module."""
    store = Store.open()
    fill(store, "q", [0, 1])
    store.close()
    out = tmp_path / "history.json"
    assert progress_command.run(argparse.Namespace(action="export", file=str(out))) == 0
    assert json.loads(out.read_text())["format"] == "quiztui-progress"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    for added in (0, 0):
        assert progress_command.run(argparse.Namespace(action="import", file=out)) == 0
        assert f"{added} new answers" in capsys.readouterr().err
    assert progress_command.run(argparse.Namespace(action="backup")) == 0
    assert (isolated_data_dir / "backups").is_dir()


def test_progress_command_reports_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing a file that is not there: exit 1 and one line naming it."""
    missing = tmp_path / "nope.json"
    assert progress_command.run(argparse.Namespace(action="import", file=missing)) == 1
    assert f"{missing}: no such file" in capsys.readouterr().err
