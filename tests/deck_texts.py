"""Deck texts shared by the deck tests: a minimal valid deck whose line numbers tests rely on."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
VALID_DECK_PATH = DATA_DIR / "valid-deck.yaml"

BASE = """\
id: demo
title: Demo
version: "1"
parts:
  - id: p1
    title: Part one
    key_points:
      - id: kp1
        front: Front
        back: Back
    questions:
      - id: q1
        prompt: Prompt
        explanation: Because.
        choices:
          - id: a
            text: Right
            correct: true
          - id: b
            text: Wrong
"""
"""Line 8 is the key point, 12 the question, 15 `choices:`, 16 and 19 its choices."""


def edited(old: str, new: str) -> str:
    """BASE with one exact piece of text replaced (which must be there)."""
    assert old in BASE, old
    return BASE.replace(old, new, 1)
