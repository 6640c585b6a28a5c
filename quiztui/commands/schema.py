"""`quiztui schema`: print the deck format's JSON Schema, for an instructor's editor.

Save it beside your decks (`quiztui schema > deck.schema.json`) and start each deck with
`# yaml-language-server: $schema=deck.schema.json` to get validation and completion while typing.
"""

from __future__ import annotations

import argparse
import sys

from quiztui import locations


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command takes no options."""


def run(args: argparse.Namespace) -> int:
    """Write the schema shipped in the package to standard output."""
    sys.stdout.write(locations.schema_path().read_text(encoding="utf-8"))
    return 0
