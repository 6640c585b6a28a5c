"""The `quiztui` command: exit codes, output formats, and no traceback for a user's mistake."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from deck_texts import BASE, VALID_DECK_PATH

from quiztui import __version__, locations
from quiztui.cli import COMMANDS, main
from quiztui.deck.export import deck_to_data
from quiztui.deck.loader import load_deck

PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: .+$")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"quiztui {__version__}"


def test_help_lists_every_command_without_importing_them() -> None:
    """`--help` names each command with its help line, and imports none of their modules."""
    code = (
        "import sys\nfrom quiztui.cli import main\nmain(['--help'])\n"
        "print([m for m in sys.modules if m.startswith('quiztui.commands.')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    for name, (_module, help_) in COMMANDS.items():
        assert re.search(rf"^  {name}\s+{re.escape(help_)}$", out, re.MULTILINE), name
    assert out.strip().splitlines()[-1] == "[]"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["valdate", "x.yaml"]) == 2
    assert "unknown command 'valdate' (did you mean 'validate'?)" in capsys.readouterr().err


def test_validate_clean_deck_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID_DECK_PATH)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{VALID_DECK_PATH}: ok (test-deck: 2 parts, 2 key points, 3 questions)",
        "checked 1 deck file: all valid",
    ]


def test_validate_reports_every_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problems print as file:line:col lines, then a summary; a folder is searched recursively."""
    (tmp_path / "nested").mkdir()
    shutil.copy(VALID_DECK_PATH, tmp_path / "good.yaml")
    bad = tmp_path / "nested" / "bad.yml"
    bad.write_text(
        BASE.replace("correct: true", "correct: yes").replace("title: Demo", "titel: Demo")
    )
    assert main(["validate", "--quiet", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in out[:-1]), out
    assert out[0].startswith(f"{bad}:1:1: the deck is missing `title`")
    assert out[1].startswith(f"{bad}:2:1: unknown key `titel`")
    assert out[2].startswith(f"{bad}:18:22: `correct` must be true or false")
    assert out[-1] == "checked 2 deck files: 1 with problems (3 problems)"


@pytest.mark.parametrize(
    "argv", [["validate"], ["validate", "does-not-exist.yaml"], ["validate", "--nope", "x"]]
)
def test_validate_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_validate_empty_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    assert "no deck files" in capsys.readouterr().out


def test_export_json_is_the_normalized_deck(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(VALID_DECK_PATH), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == deck_to_data(load_deck(VALID_DECK_PATH))


def test_export_markdown_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "handout.md"
    argv = ["export", str(VALID_DECK_PATH), "--format", "markdown", "--answers", "-o", str(target)]
    assert main(argv) == 0
    assert "## Answer key" in target.read_text(encoding="utf-8")
    assert capsys.readouterr().out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["handout.md"]


def test_export_by_bundled_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """DECK may be a bundled deck's id."""
    shutil.copy(VALID_DECK_PATH, tmp_path / "test-deck.yaml")
    monkeypatch.setattr(locations, "bundled_decks_dir", lambda: tmp_path)
    assert main(["export", "test-deck"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "test-deck"


def test_export_of_a_broken_deck_prints_problems_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.replace("correct: true", "correct: yes"))
    target = tmp_path / "out.json"
    assert main(["export", str(bad), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:18:22: `correct` must be true or false")
    assert "Traceback" not in err
    assert not target.exists()


def test_export_unknown_deck_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "no-such-deck"]) == 1
    assert capsys.readouterr().err.startswith("quiztui: no deck file or deck id 'no-such-deck'")


def test_data_dir_option_finds_the_users_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--data-dir (before or after the command) moves the learner's deck folder."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "mine.yaml").write_text(BASE)
    assert main(["--data-dir", str(tmp_path), "export", "demo"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "demo"
    assert main(["export", "mine", "--data-dir", str(tmp_path), "-f", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Demo")


def test_schema_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert out == locations.schema_path().read_text(encoding="utf-8")


def test_no_command_opens_the_app_with_the_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`quiztui DECK...` hands the paths to the app; missing ones are a usage error first."""
    received: list[object] = []
    fake = types.ModuleType("quiztui.commands.open_app")
    fake.run = lambda args: received.append(args.paths) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "quiztui.commands.open_app", fake)
    assert main([str(VALID_DECK_PATH), str(tmp_path)]) == 0
    assert received == [[VALID_DECK_PATH, tmp_path]]
    assert main([]) == 0
    assert received[-1] == []
    assert main([str(tmp_path / "missing.yaml")]) == 2
    assert len(received) == 2


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiztui", "validate", str(VALID_DECK_PATH)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("checked 1 deck file: all valid\n")


def test_bundled_deck_is_found_from_another_directory(tmp_path: Path) -> None:
    """The installed package finds its bundled deck wherever it runs (CI installs a wheel)."""
    env = {**os.environ, "QUIZTUI_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "quiztui", "export", "airflow-mwaa", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported["id"] == "airflow-mwaa"
    assert len(exported["parts"]) == 3


def test_validate_agrees_with_the_app_and_shows_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clone's copy of a bundled deck validates (the app opens it in its place) with a
    warning saying so; two copies given together are the error the app would refuse; a
    value cut by ' #' is a warning that does not fail."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "demo.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.setattr(locations, "bundled_decks_dir", lambda: bundled)
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "demo.yaml").write_text(
        BASE.replace("title: Demo", "title: Demo # the demo"), encoding="utf-8"
    )
    assert main(["validate", str(clone)]) == 0
    out = capsys.readouterr().out
    assert f"is also the id of {bundled / 'demo.yaml'}: the app opens this file" in out
    assert "warning: `title` stops before ' #'" in out
    assert "all valid, 2 warnings" in out
    (clone / "again.yaml").write_text(BASE, encoding="utf-8")
    assert main(["validate", str(clone)]) == 1
    out = capsys.readouterr().out
    assert "deck id 'demo' is already used by" in out


def test_validate_warns_about_progress_an_edit_left_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the learner's data dir, a renamed item without `renamed_from` is pointed out."""
    from deckfactory import make_context

    from quiztui.deck.loader import load_deck_text
    from quiztui.study import open_key_points

    deck_file = tmp_path / "demo.yaml"
    deck_file.write_text(BASE, encoding="utf-8")
    deck = load_deck_text(BASE, deck_file)
    ctx, _ = make_context(locations.database_path().parent)
    session = open_key_points(ctx, deck, deck.parts[0].id)
    session.grade(5, 1.0)
    ctx.store.close()
    graded = deck.parts[0].key_points[0].id
    deck_file.write_text(BASE.replace(f"id: {graded}", "id: renamed-card"), encoding="utf-8")
    assert main(["validate", str(deck_file)]) == 0
    out = capsys.readouterr().out
    assert f"1 item with progress in your data is no longer in this deck: {graded}" in out
    assert "renamed_from" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["progress", "export", "~no-such-user-q7/x.json"],
        ["--data-dir", "~no-such-user-q7/data", "stats"],
        ["export", "~no-such-user-q7/deck.yaml"],
    ],
)
def test_a_home_folder_of_nobody_is_a_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`~user` for a user the system lacks (quoted, so the shell left it): one line, no
    traceback."""
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "cannot tell whose home folder ~no-such-user-q7 is" in err
    assert "Traceback" not in err
