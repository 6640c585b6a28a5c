"""The settings file: defaults, values, one clear problem per bad setting (which keeps its
default), and writing it back with the learner's comments kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from quiztui.settings import (
    SETTINGS,
    Settings,
    config_path,
    load_settings,
    problem_line,
    save_settings,
    update_toml,
    with_values,
)


def test_missing_file_means_defaults(isolated_data_dir: Path) -> None:
    """No config.toml: the documented defaults, and no problem."""
    assert not config_path().exists()
    settings = load_settings()
    assert settings == Settings(rollover_hour=4, new_items_per_day=20)
    assert settings.problems == ()
    assert (settings.reviews_per_day, settings.leech_threshold) == (0, 8)
    assert settings.shuffle_choices and settings.theme == "textual-dark"


def test_values_are_read(isolated_data_dir: Path) -> None:
    """Every table sets its values; the [keys] table, bare or quoted ids, remaps bindings."""
    config_path().write_text(
        "[ui]\ntheme = 'nord'\n\n[study]\nrollover_hour = 0\nnew_items_per_day = 5\n"
        "leech_threshold = 3\nshuffle_choices = false\n\n"
        '[keys]\n"review.next" = "j"\nflashcard.reveal = "space,r"\n'
    )
    settings = load_settings()
    assert settings == Settings(
        rollover_hour=0,
        new_items_per_day=5,
        leech_threshold=3,
        shuffle_choices=False,
        theme="nord",
        keys=(("review.next", "j"), ("flashcard.reveal", "space,r")),
    )
    assert settings.problems == ()
    assert settings.keymap == {"review.next": "j", "flashcard.reveal": "space,r"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[study]\nrollover_hour = 4\nnew_items_per_day = = 3\n", ":3: not valid TOML"),
        ("[study]\n\nrollover_hour = 24\n", ":3: [study] rollover_hour must be a whole number"),
        ("[study]\nnew_items_per_day = 'ten'\n", ":2: [study] new_items_per_day must be"),
        ("[study]\nrolover_hour = 3\n", ":2: unknown setting [study] rolover_hour"),
        ("study = 3\n", ":1: 'study' must be a table"),
        ("[study]\nshuffle_choices = 1\n", ":2: [study] shuffle_choices must be true or false"),
        ("[ui]\ntheme = ''\n", ":2: [ui] theme must be a non-empty text"),
        ("[keys]\n\n'review.next' = 3\n", ":3: [keys] review.next must be the key names"),
    ],
)
def test_a_bad_setting_is_one_problem_naming_the_line(
    isolated_data_dir: Path, text: str, fragment: str
) -> None:
    """A broken setting is one message naming the file and the line; the app still opens."""
    config_path().write_text(text)
    settings = load_settings()
    assert len(settings.problems) == 1
    message = settings.problems[0]
    assert message.startswith(str(config_path()))
    assert fragment in message


def test_a_bad_setting_keeps_its_default_and_the_good_ones_count(isolated_data_dir: Path) -> None:
    """Only the bad setting falls back; the message says to what."""
    config_path().write_text("[study]\nrollover_hour = 99\nnew_items_per_day = 7\n")
    settings = load_settings()
    assert (settings.rollover_hour, settings.new_items_per_day) == (4, 7)
    assert "using the default, 4" in settings.problems[0]


def test_every_setting_is_one_entry_with_its_help() -> None:
    """The table lists each scalar setting once, with a default in its own range."""
    names = [info.name for info in SETTINGS]
    assert len(names) == len(set(names))
    assert {"rollover_hour", "new_items_per_day", "leech_threshold", "theme"} <= set(names)
    for info in SETTINGS:
        assert info.help
        if info.kind is int:
            assert info.low <= info.default <= info.high


def test_saving_keeps_comments_and_changes_only_what_changed(isolated_data_dir: Path) -> None:
    """A value's line is rewritten in place with its comment; new tables are added; a removed
    key binding goes; everything else is byte for byte what the learner wrote."""
    original = (
        "# my settings\n"
        "[study]\n"
        "rollover_hour = 4   # I study late\n"
        "new_items_per_day = 20\n"
        "\n"
        "[keys]\n"
        '"review.next" = "j"  # vim-ish\n'
        'review.undo = "z"\n'
    )
    config_path().write_text(original)
    settings = load_settings()
    changed = with_values(
        settings,
        rollover_hour=2,
        theme="nord",
        keys=(("review.next", "k"), ("flashcard.reveal", "r")),
    )
    save_settings(changed)
    text = config_path().read_text()
    assert text.startswith("# my settings\n[study]\nrollover_hour = 2   # I study late\n")
    assert "new_items_per_day = 20\n" in text
    assert '"review.next" = "k"  # vim-ish' in text and "review.undo" not in text
    assert '"flashcard.reveal" = "r"' in text
    assert '[ui]\ntheme = "nord"' in text
    assert load_settings() == changed
    assert not list(isolated_data_dir.glob(".config.toml.*")), "no temporary file left"


def test_saving_a_new_file_writes_only_what_differs(isolated_data_dir: Path) -> None:
    """No file yet: a short one with a header and the non-default values."""
    save_settings(Settings(leech_threshold=5))
    data = tomllib.loads(config_path().read_text())
    assert data == {"study": {"leech_threshold": 5}}


def test_saving_fixes_a_bad_line(isolated_data_dir: Path) -> None:
    """A bad value is replaced by the value saved."""
    config_path().write_text("[study]\nrollover_hour = 'late'\n")
    save_settings(with_values(load_settings(), rollover_hour=3))
    assert load_settings().problems == ()
    assert load_settings().rollover_hour == 3


def test_update_toml_adds_a_key_inside_its_table() -> None:
    """A missing key goes at the end of its table, before the next one."""
    text = "[study]\nrollover_hour = 4\n\n[ui]\ntheme = 'x'\n"
    result = update_toml(text, {("study", "leech_threshold"): "3"})
    assert result == "[study]\nrollover_hour = 4\nleech_threshold = 3\n\n[ui]\ntheme = 'x'\n"


def test_problem_line_finds_a_setting_the_app_checks(isolated_data_dir: Path) -> None:
    """The app checks the theme and the binding ids; it names their line too."""
    config_path().write_text('[ui]\n\ntheme = "nope"\n[keys]\n"review.nxt" = "j"\n')
    settings = load_settings()
    assert problem_line(settings, "ui", "theme") == f"{config_path()}:3"
    assert problem_line(settings, "keys", "review.nxt") == f"{config_path()}:5"
