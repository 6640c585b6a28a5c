"""`quiztui class report FILE_OR_FOLDER...`: an instructor's report on a class's progress exports.

Each learner sends the file `quiztui progress export --learner NAME FILE` wrote; the report
merges them (DuckDB), and says per question how many got it right before and after reading,
whether it tells strong learners from weak ones, which wrong choices lure, what the class gained
and kept. Files that cannot be used are listed with the reason and left out; the report is still
made from the others. Needs the optional extra: `pip install 'quiztui[class]'`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from quiztui.errors import QuiztuiError
from quiztui.locations import user_path

if TYPE_CHECKING:
    from quiztui.deck.model import Deck

FORMATS = ("html", "markdown", "json", "csv")
"""The output formats, each with its own renderer."""

SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".json": "json", ".csv": "csv"}
"""The format an output file's suffix implies when --format is not given."""

DEFAULT_HTML = Path("class-report.html")
"""Where an HTML report goes without -o (text formats go to standard output)."""


class MissingExtraError(QuiztuiError):
    """The class report's packages are not installed."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The one action, `report`, and its options."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    report = actions.add_parser(
        "report",
        help="merge learners' progress exports into one report (HTML, Markdown, JSON, CSV)",
        description=(
            "Merge learners' progress exports (`quiztui progress export --learner NAME FILE`)"
            " into a class report: facility, discrimination and response shares per question,"
            " pre/post gain per question and part, retention and lapses over time, and each"
            " learner's scores. Needs: pip install 'quiztui[class]'."
        ),
    )
    report.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILE_OR_FOLDER",
        help="export files, or folders holding them (*.json, recursively)",
    )
    report.add_argument(
        "--deck",
        metavar="ID",
        help="the deck: a file or the id of a known deck (default: the deck most exports hold)",
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"where to write ('-' for standard output; default: {DEFAULT_HTML} for HTML,"
        " standard output for the other formats)",
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        help="the output format (default: from the output file's suffix, else html)",
    )
    report.add_argument(
        "--attempts",
        choices=("first", "last", "all"),
        default="first",
        help="which finished attempts of each check count (default: each learner's first)",
    )
    report.add_argument(
        "--anonymize",
        action="store_true",
        help='show learners as "learner 1".."learner n" (in a random order), without files',
    )
    report.add_argument(
        "--parquet",
        type=Path,
        metavar="DIR",
        help="also write the merged tables as Parquet files into DIR (see docs/class-report.md)",
    )


def output_format(args: argparse.Namespace) -> str:
    """The format asked for, or the one the output's suffix implies, else html."""
    if args.format:
        return str(args.format)
    if args.output and args.output != "-":
        return SUFFIXES.get(Path(args.output).suffix.lower(), "html")
    return "html"


def require_extra(fmt: str) -> None:
    """Raise MissingExtraError, saying how to install them, unless the packages are there."""
    needed = ["duckdb"] + (["matplotlib"] if fmt == "html" else [])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        from quiztui.classreport import EXTRA_HINT

        raise MissingExtraError(
            f"the class report needs {' and '.join(missing)}, which this installation lacks;"
            f" install them with: {EXTRA_HINT}"
        )


def find_known_deck(deck_id: str) -> Deck:
    """The known deck (bundled or the user's) with this id or a former one."""
    from quiztui.deck.library import DeckNotFoundError, load_library

    known: list[str] = []
    for entry in load_library():
        if entry.deck is None:
            continue
        if deck_id == entry.deck.id or deck_id in entry.deck.renamed_from:
            return entry.deck
        known.append(entry.deck.id)
    raise DeckNotFoundError(
        f"the exports are of deck {deck_id!r}, which is not among the known decks"
        f" ({', '.join(sorted(known)) or 'none'}); give its file with --deck PATH"
    )


def _render(fmt: str, document: dict[str, object]) -> str:
    if fmt == "html":
        from quiztui.classreport.render_html import render_html

        return render_html(document)
    if fmt == "markdown":
        from quiztui.classreport.render_markdown import render_markdown

        return render_markdown(document)
    if fmt == "csv":
        from quiztui.classreport.render_csv import render_csv

        return render_csv(document)
    from quiztui.classreport.render_json import render_json

    return render_json(document)


def write_text_atomically(text: str, path: Path) -> None:
    """Write text to `path` through a temporary file and `os.replace`: all or nothing."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        # A report is made to be shared: the usual permissions, not mkstemp's owner-only ones.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Make the report; 1 with a message when none can be made (the files left out are listed)."""
    fmt = output_format(args)
    require_extra(fmt)
    from quiztui.classreport.report import ClassReportError, build_report

    deck = None
    if args.deck:
        from quiztui.deck.library import resolve_deck_argument
        from quiztui.deck.loader import load_deck

        deck = load_deck(resolve_deck_argument(args.deck))
    try:
        report = build_report(
            args.paths,
            deck=deck,
            find_deck=find_known_deck,
            attempts=args.attempts,
            anonymize=args.anonymize,
            parquet_dir=args.parquet,
        )
    except ClassReportError as error:
        for skipped in error.skipped:
            print(f"quiztui: left out {skipped.file}: {skipped.reason}", file=sys.stderr)
        raise
    for skipped in report.skipped:
        print(f"quiztui: left out {skipped.file}: {skipped.reason}", file=sys.stderr)
    text = _render(fmt, report.document)
    target = args.output or (str(DEFAULT_HTML) if fmt == "html" else "-")
    from quiztui.classreport.render_text import learners

    summary = f"class report of {learners(report.document['class']['learners'])} on deck"
    summary += f" {report.deck.id!r}"
    if target == "-":
        sys.stdout.write(text)
    else:
        path = user_path(target)
        try:
            write_text_atomically(text, path)
        except OSError as error:
            print(f"quiztui: {path}: cannot be written ({error.strerror})", file=sys.stderr)
            return 1
        print(f"{summary} written to {path}", file=sys.stderr)
    if args.parquet is not None:
        print(f"merged tables written as Parquet to {args.parquet}", file=sys.stderr)
    return 0
