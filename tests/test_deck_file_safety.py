"""A deck folder never leaks what it points at, never blocks, and never echoes a huge value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deck_texts import BASE

from quiztui.cli import main
from quiztui.deck.library import load_library
from quiztui.deck.loader import DeckError, load_deck

SECRET = "root:$6$VERYSECRETHASH$abcdefgh:19000:0:99999:7:::"


def test_a_link_to_a_file_outside_the_folder_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "etc" / "shadow"
    outside.parent.mkdir()
    outside.write_text(SECRET + "\n")
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "evil.yaml").symlink_to(outside)
    (decks / "good.yaml").write_text(BASE)
    assert main(["validate", str(decks)]) == 1
    out = capsys.readouterr().out
    assert "evil.yaml: is a link to a file outside its folder" in out
    assert "VERYSECRET" not in out and "root:" not in out
    with pytest.raises(DeckError) as raised:
        load_deck(decks / "evil.yaml")
    assert "VERYSECRET" not in str(raised.value)


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "real").mkdir(parents=True)
    (decks / "real" / "deck.yaml").write_text(BASE)
    (decks / "alias.yaml").symlink_to(decks / "real" / "deck.yaml")
    assert load_deck(decks / "alias.yaml").id == "demo"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_named_like_a_deck_is_refused_without_blocking(tmp_path: Path) -> None:
    """Run in a child with a timeout: a regression would hang, not fail."""
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "quiztui", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QUIZTUI_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 1
    assert "is not a regular file (a FIFO, socket or device)" in result.stdout
    scanned = [e for e in load_library([tmp_path]) if e.origin == "argument"]
    assert scanned == [], "a folder scan skips it"


def test_no_message_repeats_a_huge_value(tmp_path: Path) -> None:
    """A 2 MB id, key or list value is cut to a few dozen characters in every message."""
    huge = "x" * 2_000_000
    texts = [
        BASE.replace("id: demo", f"id: 'A{huge}'", 1),
        BASE.replace("title: Demo", f"title: Demo\n{huge}: 1", 1),
        BASE.replace("id: demo", f"id: demo\nrenamed_from: {huge}", 1),
        BASE.replace("id: demo", f"id: demo\ndescription: *{huge}", 1),
    ]
    for index, text in enumerate(texts):
        path = tmp_path / f"d{index}.yaml"
        path.write_text(text)
        with pytest.raises(DeckError) as raised:
            load_deck(path, use_cache=False)
        for problem in raised.value.problems:
            assert len(problem.message) < 300 and len(problem.hint or "") < 300, problem
