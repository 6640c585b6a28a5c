"""`quiztui validate PATH...`: check deck files and report every problem as file:line:col.

For instructors and CI: exit status 0 when every deck loads (warnings are printed but do not
fail), 1 when any has an error, 2 when the command was called wrongly (a path that does not
exist). It reads the same library the app does (bundled decks, the learner's deck folder,
then the files given), so it reports exactly what the app would refuse or replace. With a
progress database in the data folder, it also warns about items, parts or a deck whose
progress an edit left behind, and suggests `renamed_from`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiztui import locations
from quiztui.deck.library import LoadedDeck, deck_files_in, id_line, load_library
from quiztui.deck.loader import DECK_SUFFIXES, validate_file
from quiztui.deck.model import Deck
from quiztui.deck.problems import Problem
from quiztui.store.peek import ProgressIds, progress_ids
from quiztui.wording import plural

MAX_LISTED = 5
"""How many left-behind ids a warning names before saying "and N more"."""


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


def _described(deck: Deck, path: Path) -> str:
    key_points = sum(len(part.key_point_ids) for part in deck.parts)
    questions = sum(len(part.question_ids) for part in deck.parts)
    return (
        f"{path}: ok ({deck.id}: {plural(len(deck.parts), 'part')},"
        f" {plural(key_points, 'key point')}, {plural(questions, 'question')})"
    )


def _listed(ids: set[str]) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def _warning(path: Path, message: str, hint: str) -> Problem:
    return Problem(path, id_line(path), 1, message, hint, severity="warning")


def progress_warnings(
    deck: Deck, path: Path, progress: dict[str, ProgressIds], known_deck_ids: set[str]
) -> list[Problem]:
    """What the learner's progress says an edit of `deck` left behind."""
    own_ids = {deck.id, *deck.renamed_from}
    items = set().union(*(progress[d].items for d in own_ids if d in progress))
    parts = set().union(*(progress[d].parts for d in own_ids if d in progress))
    known_items = {item.id for item in deck.items()} | {
        old for item in deck.items() for old in item.renamed_from
    }
    known_parts = {p.id for p in deck.parts} | {old for p in deck.parts for old in p.renamed_from}
    warnings: list[Problem] = []
    if left := items - known_items:
        noun = "item" if len(left) == 1 else "items"
        warnings.append(
            _warning(
                path,
                f"{len(left)} {noun} with progress in your data {'is' if len(left) == 1 else 'are'}"
                f" no longer in this deck: {_listed(left)}",
                "if you renamed one, list its old id in the new item's `renamed_from`",
            )
        )
    if left := parts - known_parts:
        noun = "part" if len(left) == 1 else "parts"
        warnings.append(
            _warning(
                path,
                f"{len(left)} {noun} with check scores or steps in your data"
                f" {'is' if len(left) == 1 else 'are'} no longer in this deck: {_listed(left)}",
                "if you renamed one, list its old id in the new part's `renamed_from`",
            )
        )
    if not items and not parts:
        unknown = set(progress) - known_deck_ids
        if unknown:
            warnings.append(
                _warning(
                    path,
                    f"your data has no progress under this deck's id, but has some for deck ids"
                    f" no deck uses: {_listed(unknown)}",
                    "if this deck was renamed from one of them, add `renamed_from: [old-id]`",
                )
            )
    return warnings


def _files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The deck files the paths name (folders searched), and a problem per empty folder."""
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
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), empty_folders


def _check(
    path: Path,
    entry: LoadedDeck | None,
    progress: dict[str, ProgressIds] | None,
    known_deck_ids: set[str],
) -> tuple[Deck | None, list[Problem]]:
    """Every error and warning of one file: its own, and what the library makes of it."""
    problems = validate_file(path)
    if any(p.severity == "error" for p in problems):
        return None, problems
    if entry is None or entry.deck is None:
        return None, sorted([*problems, *(entry.problems if entry else ())], key=_order)
    deck = entry.deck
    if entry.replaces is not None and entry.path.resolve() == path.resolve():
        problems.append(
            _warning(
                path,
                f"deck id {deck.id!r} is also the id of {entry.replaces}: the app opens this"
                " file in its place",
                "fine while you preview an edit of that deck; give a deck of your own its own id",
            )
        )
    if progress is not None:
        problems.extend(progress_warnings(deck, path, progress, known_deck_ids))
    return deck, sorted(problems, key=_order)


def _order(problem: Problem) -> tuple[str, int, int]:
    return problem.sort_key


def run(args: argparse.Namespace) -> int:
    """Validate every deck found in the given paths; print problems, then a summary line."""
    paths: list[Path] = args.paths
    missing = [path for path in paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"quiztui validate: no such file or folder: {path}", file=sys.stderr)
        return 2
    files, empty_folders = _files(paths)
    library = load_library(files)
    by_file = {entry.path.resolve(): entry for entry in library}
    known_deck_ids = {
        deck_id
        for entry in library
        if entry.deck is not None
        for deck_id in (entry.deck.id, *entry.deck.renamed_from)
    }
    progress = progress_ids(locations.database_path())
    for problem in empty_folders:
        print(problem)
    errors = warnings = broken = 0
    for path in files:
        deck, problems = _check(path, by_file.get(path.resolve()), progress, known_deck_ids)
        if deck is not None and not args.quiet:
            print(_described(deck, path))
        for problem in problems:
            print(problem)
        file_errors = sum(1 for p in problems if p.severity == "error")
        errors += file_errors
        broken += bool(file_errors)
        warnings += len(problems) - file_errors
    print(_summary(len(files), broken, errors + len(empty_folders), warnings))
    return 0 if not errors and not empty_folders else 1


def _summary(files: int, broken: int, errors: int, warnings: int) -> str:
    counted = f"{files} deck file{'' if files == 1 else 's'}"
    warned = f", {warnings} warning{'' if warnings == 1 else 's'}" if warnings else ""
    if not errors:
        return f"checked {counted}: all valid{warned}"
    problems = f"{errors} problem{'' if errors == 1 else 's'}"
    return f"checked {counted}: {broken} with problems ({problems}{warned})"
