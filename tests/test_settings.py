"""The settings file: defaults, values, and clear errors for a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiztui.settings import Settings, SettingsError, config_path, load_settings


def test_missing_file_means_defaults(isolated_data_dir: Path) -> None:
    """No config.toml: the documented defaults."""
    assert not config_path().exists()
    assert load_settings() == Settings(rollover_hour=4, new_items_per_day=20)


def test_values_are_read(isolated_data_dir: Path) -> None:
    """The [study] table sets both values; other tables are left alone."""
    config_path().write_text(
        "[ui]\ntheme = 'dark'\n\n[study]\nrollover_hour = 0\nnew_items_per_day = 5\n"
    )
    assert load_settings() == Settings(rollover_hour=0, new_items_per_day=5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[study]\nrollover_hour = 4\nnew_items_per_day = = 3\n", ":3: not valid TOML"),
        ("[study]\n\nrollover_hour = 24\n", ":3: [study] rollover_hour must be a whole number"),
        ("[study]\nnew_items_per_day = 'ten'\n", ":2: [study] new_items_per_day must be"),
        ("[study]\nrolover_hour = 3\n", ":2: unknown setting [study] rolover_hour"),
        ("study = 3\n", ":1: 'study' must be a table"),
    ],
)
def test_bad_file_names_file_and_line(isolated_data_dir: Path, text: str, fragment: str) -> None:
    """A broken file is an error naming the file and the line, never ignored."""
    config_path().write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(str(config_path()))
    assert fragment in message
