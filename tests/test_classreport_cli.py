"""`quiztui class report` end to end: every format, Parquet, anonymizing, the deck found by id,
clear messages, and `quiztui progress export --learner`."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from classreport_helpers import D0, Learner, write_deck

from quiztui.cli import main

pytest.importorskip("duckdb")


def make_class(folder: Path, count: int = 6) -> Path:
    """`count` learners: the first half miss q2 after reading, all get q1; k1 reviewed."""
    target = folder / "class"
    target.mkdir()
    for n in range(count):
        learner = Learner(f"learner {chr(ord('a') + n)}")
        learner.check("pre", D0 + timedelta(hours=9), {"q1": "b", "q2": "a" if n % 2 else "b"})
        learner.review("k1", "learn", 4, D0 + timedelta(hours=9, minutes=30))
        learner.check(
            "post", D0 + timedelta(hours=10), {"q1": "a", "q2": "b" if n < count // 2 else "a"}
        )
        learner.review("k1", "review", 4 if n % 3 else 1, D0 + timedelta(days=2, hours=12))
        learner.write(target / f"l{n}.json")
    return target


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    """The demo deck's file."""
    return write_deck(tmp_path)


def report(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `quiztui class report ARGV`: status, stdout, stderr."""
    status = main(["class", "report", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_html_is_self_contained(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    status, _, err = report(
        [str(make_class(tmp_path)), "--deck", str(deck_file), "-o", str(out)], capsys
    )
    assert status == 0, err
    assert f"class report of 6 learners on deck 'demo' written to {out}" in err
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", page), "the page names a URL"
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "src=" not in page and "@import" not in page
    # part one's facility and responses, the retention; none for part two, which nobody took
    assert page.count("<svg") == 3
    assert "No learner has taken this part's checks yet." in page
    assert "Part one" in page and "learner a" in page and "Everyone knows this one?" in page


def test_markdown_json_and_csv_show_the_same_figures(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(make_class(tmp_path))
    status, markdown, _ = report([folder, "--deck", str(deck_file), "--format", "markdown"], capsys)
    assert status == 0
    assert markdown.startswith("# Class report: Demo deck\n")
    assert "## Part 1: Part one" in markdown and "## Learners" in markdown
    assert "| `q2` The strong miss this one? | 50% | 50% | 0.00 |" in markdown

    status, text, _ = report(
        [folder, "--deck", str(deck_file), "-o", "-", "--format", "json"], capsys
    )
    document = json.loads(text)
    q2 = document["parts"][0]["questions"][1]
    assert (q2["pre"]["facility"], q2["post"]["facility"]) == (0.5, 0.5)

    out = tmp_path / "figures.csv"
    status, _, _ = report([folder, "--deck", str(deck_file), "-o", str(out)], capsys)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0].keys() == {
        "section", "part", "question", "check", "choice", "week", "item", "learner", "figure",
        "value",
    }  # fmt: skip
    wanted = ("question", "q2", "post", "facility")
    facility = [r for r in rows if (r["section"], r["question"], r["check"], r["figure"]) == wanted]
    assert [r["value"] for r in facility] == ["0.5"]
    assert any(r["section"] == "learner" and r["learner"] == "learner a" for r in rows)


def test_parquet_holds_what_the_sql_needs(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same SQL files, run by a fresh DuckDB over the Parquet files, give the same figures."""
    import duckdb

    from quiztui.classreport.queries import REPORT_QUERIES, run

    parquet = tmp_path / "parquet"
    argv = [str(make_class(tmp_path)), "--deck", str(deck_file), "--format", "json"]
    status, text, _ = report([*argv, "--parquet", str(parquet)], capsys)
    assert status == 0
    from quiztui.classreport.report import PARQUET_TABLES

    assert sorted(p.name for p in parquet.iterdir()) == sorted(
        f"{t}.parquet" for t in PARQUET_TABLES
    )
    assert set(PARQUET_TABLES) >= {"learners", "reviews", "attempts", "deck_items"}
    connection = duckdb.connect()
    for path in parquet.iterdir():
        connection.execute(f"CREATE TABLE {path.stem} AS SELECT * FROM read_parquet('{path}')")
    for name in REPORT_QUERIES:
        run(connection, name)
    facility = connection.execute(
        "SELECT facility FROM question_stats WHERE question_id = 'q2' AND \"check\" = 'post'"
    ).fetchone()
    assert facility == (json.loads(text)["parts"][0]["questions"][1]["post"]["facility"],)
    columns = [c[0] for c in connection.execute("SELECT * FROM reviews LIMIT 0").description]
    assert columns == [
        "learner_id", "seq", "item_no", "item_id", "mode", "grade", "picked", "correct",
        "learning_day", "current_key", "attempt_uid",
    ]  # fmt: skip


def test_anonymize(tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_class(tmp_path)
    (folder / "broken.json").write_text("{", "utf-8")
    status, text, err = report(
        [str(folder), "--deck", str(deck_file), "--format", "json", "--anonymize"], capsys
    )
    assert status == 0
    document = json.loads(text)
    assert sorted(learner["name"] for learner in document["learners"]) == sorted(
        f"learner {n}" for n in range(1, 7)
    )
    assert all(learner["file"] is None for learner in document["learners"])
    assert "l0.json" not in text and "broken" not in text
    assert (document["class"]["skipped"], document["skipped"]) == (1, [])
    assert "left out" in err and "broken.json" in err  # the instructor still sees which


def test_the_deck_is_found_among_known_decks(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_class(tmp_path)
    status, _, err = report([str(folder), "--format", "json"], capsys)
    assert status == 1
    assert "the exports are of deck 'demo', which is not among the known decks" in err
    assert "Traceback" not in err
    decks = isolated_data_dir / "decks"
    decks.mkdir()
    write_deck(decks)
    status, text, err = report([str(folder), "--format", "json"], capsys)
    assert status == 0, err
    assert json.loads(text)["deck"]["id"] == "demo"
    status, _, err = report([str(folder), "--deck", "demo", "--format", "json"], capsys)
    assert status == 0, err


def test_user_errors_are_one_message(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(make_class(tmp_path))
    status, _, err = report([folder, "--deck", "no-such-deck"], capsys)
    assert (status, "Traceback" in err) == (1, False)
    assert "no deck file or deck id 'no-such-deck'" in err
    status, _, err = report([str(tmp_path / "empty-folder")], capsys)
    assert status == 1 and "left out" in err and "no export files found" in err
    out = tmp_path / "missing" / "report.html"
    status, _, err = report([folder, "--deck", str(deck_file), "-o", str(out)], capsys)
    assert status == 1 and f"{out}: cannot be written" in err


def test_without_the_extra_it_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("duckdb", "matplotlib") else real(name, *a),
    )
    status, _, err = report([str(tmp_path)], capsys)
    assert status == 1
    assert err.strip() == (
        "quiztui: the class report needs duckdb and matplotlib, which this installation lacks;"
        " install them with: pip install 'quiztui[class]'"
    )
    status, _, err = report([str(tmp_path), "--format", "json"], capsys)
    assert "needs duckdb," in err


def test_progress_export_names_the_learner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.json"
    assert main(["progress", "export", "--learner", "  Ann   Lee ", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert list(data)[:3] == ["format", "format_version", "learner"]
    assert data["learner"] == "Ann Lee"
    assert main(["progress", "import", str(out)]) == 0
    assert main(["progress", "export", str(tmp_path / "plain.json")]) == 0
    assert "learner" not in json.loads((tmp_path / "plain.json").read_text("utf-8"))
    capsys.readouterr()
    assert main(["progress", "export", "--learner", " ", str(out)]) == 2
    assert "the learner's name is empty" in capsys.readouterr().err


def test_a_class_of_one_is_one_learner_everywhere(
    tmp_path: Path, deck_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One export: "1 learner" in the summary line and the Markdown and HTML headers."""
    folder = make_class(tmp_path, count=1)
    for name in ("one.md", "one.html"):
        status, _, err = report(
            [str(folder), "--deck", str(deck_file), "-o", str(tmp_path / name)], capsys
        )
        assert status == 0, err
        assert "class report of 1 learner on deck 'demo'" in err
    markdown = (tmp_path / "one.md").read_text("utf-8")
    assert "\n1 learner · deck `demo`" in markdown and "1 learners" not in markdown
    assert '<p class="meta">1 learner · deck' in (tmp_path / "one.html").read_text("utf-8")
