"""`quiztui validate PATH...`: check deck files and report every problem as file:line:col.

For instructors and CI: exit status 0 when every deck is valid, 1 when any has a problem, 2 when
the command was called wrongly (a path that does not exist).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiztui.deck.library import LoadedDeck, deck_files_in, load_decks
from quiztui.deck.loader import DECK_SUFFIXES
from quiztui.deck.problems import Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The paths to check, and --quiet."""
    suffixes = ", ".join(f"*{suffix}" for suffix in DECK_SUFFIXES)
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help=f"a deck file, or a folder to search (recursively) for {suffixes}",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only the problems and the summary"
    )


def _summary(entries: list[LoadedDeck], extra_problems: int) -> str:
    broken = [entry for entry in entries if not entry.ok]
    problem_count = sum(len(entry.problems) for entry in broken) + extra_problems
    files = f"{len(entries)} deck file{'' if len(entries) == 1 else 's'}"
    if not problem_count:
        return f"checked {files}: all valid"
    problems = f"{problem_count} problem{'' if problem_count == 1 else 's'}"
    return f"checked {files}: {len(broken)} with problems ({problems})"


def _described(entry: LoadedDeck) -> str:
    deck = entry.deck
    assert deck is not None
    key_points = sum(len(part.key_point_ids) for part in deck.parts)
    questions = sum(len(part.question_ids) for part in deck.parts)
    return (
        f"{entry.path}: ok ({deck.id}: {len(deck.parts)} parts, {key_points} key points, "
        f"{questions} questions)"
    )


def run(args: argparse.Namespace) -> int:
    """Validate every deck found in the given paths; print problems, then a summary line."""
    paths: list[Path] = args.paths
    missing = [path for path in paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"quiztui validate: no such file or folder: {path}", file=sys.stderr)
        return 2
    files: list[Path] = []
    empty_folders: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = deck_files_in(path)
            if not found:
                empty_folders.append(
                    Problem(path, 0, 0, "no deck files (*.yaml, *.yml, *.json) in this folder")
                )
            files.extend(found)
        else:
            files.append(path)
    entries = load_decks((path, "argument") for path in files)
    for problem in empty_folders:
        print(problem)
    for entry in entries:
        if entry.ok:
            if not args.quiet:
                print(_described(entry))
        else:
            for problem in entry.problems:
                print(problem)
    print(_summary(entries, len(empty_folders)))
    return 0 if all(entry.ok for entry in entries) and not empty_folders else 1
