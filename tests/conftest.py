"""Shared test set-up: no test ever touches the learner's real data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiztui.locations import CACHE_DIR_ENV, DATA_DIR_ENV


@pytest.fixture(autouse=True)
def isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point QUIZTUI_DATA_DIR at a fresh temporary folder for every test (the deck cache too)."""
    data_dir = tmp_path_factory.mktemp("quiztui-data")
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    return data_dir
