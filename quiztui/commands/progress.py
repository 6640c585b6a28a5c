"""`quiztui progress export|import|backup`: move or copy a learner's whole history.

`export FILE` writes every answer, check attempt and step as JSON (atomically: a crash never
leaves half a file; `--learner NAME` names the learner for an instructor's class report);
`import FILE` merges such a file into this store, adding only what is missing, so importing
twice adds nothing twice, and only while no quiztui app has the data open (it takes the app's
lock); `backup` makes a timestamped copy of the database in the backups folder. Nothing here
deletes or resets progress.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The actions: export FILE, import FILE, backup."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write your whole history to FILE as JSON")
    export.add_argument("file", metavar="FILE", help="where to write ('-' for standard output)")
    export.add_argument(
        "--learner",
        type=_learner_name,
        metavar="NAME",
        help="your name as your instructor's class report should show it",
    )
    import_ = actions.add_parser(
        "import", help="merge a history exported before (importing twice adds nothing twice)"
    )
    import_.add_argument("file", type=Path, metavar="FILE", help="a file `progress export` wrote")
    actions.add_parser("backup", help="copy the progress database to the backups folder")


def _learner_name(text: str) -> str:
    """A learner's name for the export: trimmed, not empty."""
    name = " ".join(text.split())
    if not name:
        raise argparse.ArgumentTypeError("the learner's name is empty")
    return name


def run(args: argparse.Namespace) -> int:
    """Run the action; 1 with a message when the store or the file cannot be used."""
    from quiztui import locations
    from quiztui.errors import QuiztuiError
    from quiztui.locations import user_path
    from quiztui.store import Store
    from quiztui.store.exchange import read_progress_file, with_learner, write_json_atomically
    from quiztui.store.import_check import check_import
    from quiztui.store.instance_lock import InstanceLock

    lock = InstanceLock(locations.data_dir(), command="quiztui progress import")
    try:
        # A file to import is read and checked before the store is even opened: a bad one
        # touches nothing, and the write transaction holds the lock for the merge alone.
        checked = (
            check_import(read_progress_file(args.file), str(args.file))
            if args.action == "import"
            else None
        )
        if checked is not None and (owner := lock.acquire()) is not None:
            print(
                f"quiztui: {locations.data_dir()}: is open in quiztui ({owner.describe()});"
                f" close it, then import {args.file} again. Nothing was imported.",
                file=sys.stderr,
            )
            return 1
        # Reading commands leave an open app's pending journal to that app.
        app_open = not lock.held and lock.owner_alive() is not None
        with Store.open(take_pending=not app_open) as store:
            for notice in store.notices:
                print(f"quiztui: {notice}", file=sys.stderr)
            if (advice := store.waiting_advice()) is not None:
                print(f"quiztui: {advice}", file=sys.stderr)
            if args.action == "export":
                data = store.export_data()
                learner = getattr(args, "learner", None)
                if learner:
                    data = with_learner(data, learner)
                if args.file == "-":
                    json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
                    sys.stdout.write("\n")
                else:
                    path = user_path(args.file)
                    try:
                        write_json_atomically(data, path)
                    except OSError as error:
                        print(
                            f"quiztui: {path}: cannot be written ({error.strerror})",
                            file=sys.stderr,
                        )
                        return 1
                    print(f"exported {len(data['reviews'])} answers to {path}", file=sys.stderr)
            elif checked is not None:
                result = store.import_data(checked)
                print(
                    f"imported from {args.file}: {result.reviews_added} new answers,"
                    f" {result.reviews_updated} updated, {result.attempts_added} check attempts,"
                    f" {result.steps_added} steps, {result.marks_added} item marks,"
                    f" {result.exams_added} exams",
                    file=sys.stderr,
                )
            else:
                print(f"backed up to {store.backup()}", file=sys.stderr)
    except QuiztuiError as error:
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    return 0
