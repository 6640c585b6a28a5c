"""Shared test set-up: no test ever touches the learner's real data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiztui.locations import DATA_DIR_ENV


@pytest.fixture(autouse=True)
def isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point QUIZTUI_DATA_DIR at a fresh temporary folder for every test."""
    data_dir = tmp_path_factory.mktemp("quiztui-data")
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    return data_dir
