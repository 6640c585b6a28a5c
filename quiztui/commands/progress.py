"""`quiztui progress export|import|backup`: move or copy a learner's whole history.

`export FILE` writes every answer, check attempt and step as JSON (atomically: a crash never
leaves half a file; `--learner NAME` names the learner for an instructor's class report);
`import FILE` merges such a file into this store, adding only what is missing, so importing
twice adds nothing twice; `backup` makes a timestamped copy of the
database in the backups folder. Nothing here deletes or resets progress.
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
    from quiztui.errors import QuiztuiError
    from quiztui.store import Store, read_progress_file, write_json_atomically
    from quiztui.store.exchange import with_learner

    try:
        with Store.open() as store:
            if args.action == "export":
                data = store.export_data()
                learner = getattr(args, "learner", None)
                if learner:
                    data = with_learner(data, learner)
                if args.file == "-":
                    json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
                    sys.stdout.write("\n")
                else:
                    path = Path(args.file).expanduser()
                    try:
                        write_json_atomically(data, path)
                    except OSError as error:
                        print(
                            f"quiztui: {path}: cannot be written ({error.strerror})",
                            file=sys.stderr,
                        )
                        return 1
                    print(f"exported {len(data['reviews'])} answers to {path}", file=sys.stderr)
            elif args.action == "import":
                result = store.import_data(read_progress_file(args.file), str(args.file))
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
    return 0
