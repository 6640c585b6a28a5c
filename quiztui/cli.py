"""The `quiztui` command: open the app, or run a subcommand (validate, export, schema, ...).

Subcommands live in `quiztui/commands/`, listed here by module path so that `quiztui --help`
shows them without importing any, and a command imports only what it uses: `quiztui validate`
never loads Textual. Errors a user can cause (a bad deck, a missing file) are printed as one
message, never as a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

from quiztui import __version__
from quiztui.deck.loader import DECK_SUFFIXES
from quiztui.errors import QuiztuiError
from quiztui.locations import DATA_DIR_ENV, user_path

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "quiztui.commands.validate",
        "check deck files and report every problem as file:line:col",
    ),
    "export": (
        "quiztui.commands.export",
        "write a deck as JSON, a Markdown sheet or answer key, GIFT, an Anki package or QTI",
    ),
    "import": (
        "quiztui.commands.import_",
        "make a deck from GIFT, Aiken, Anki text or .apkg files, reporting what was not carried",
    ),
    "new": ("quiztui.commands.new", "write a starter deck to fill in, with every field explained"),
    "schema": ("quiztui.commands.schema", "print the deck format's JSON Schema, for editors"),
    "exam": (
        "quiztui.commands.exam",
        "take a mock exam of a deck: N questions, a time limit, chosen parts and tags",
    ),
    "stats": ("quiztui.commands.stats", "show what you have studied and what is due"),
    "progress": ("quiztui.commands.progress", "back up, export or import your stored progress"),
    "fsrs-optimize": (
        "quiztui.commands.fsrs_optimize",
        "fit the FSRS scheduler's parameters to your own reviews",
    ),
    "class": (
        "quiztui.commands.class_report",
        "instructors: merge learners' progress exports into a class report",
    ),
}
"""Every subcommand: its module (with `add_arguments` and `run`) and its one-line help."""

APP_MODULE = "quiztui.commands.open_app"
"""What runs when no subcommand is given: the Textual app."""


def _top_parser() -> argparse.ArgumentParser:
    width = max(len(name) for name in COMMANDS) + 2
    listing = "\n".join(f"  {name:<{width}}{help_}" for name, (_, help_) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="quiztui",
        usage=(
            "quiztui [-h] [--version] [--data-dir DIR] [DECK ...]\n"
            "       quiztui [--data-dir DIR] COMMAND [ARGS ...]"
        ),
        description=(
            "A terminal flashcard and quiz trainer with spaced repetition.\n\n"
            "With no command, quiztui opens the app on the bundled decks, your own decks\n"
            "(<data dir>/decks) and any DECK files or folders given."
        ),
        epilog=f"commands:\n{listing}\n\nRun 'quiztui COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"quiztui {__version__}")
    _add_data_dir(parser, default=None)
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="DECK", help="deck files or folders to open as well"
    )
    return parser


def _add_data_dir(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help=f"keep progress and your decks in DIR (also: the {DATA_DIR_ENV} environment variable)",
    )


def _command_index(argv: list[str]) -> int | None:
    """Where the subcommand's name is in argv, or None when there is none (the app opens)."""
    skip_next = False
    for index, token in enumerate(argv):
        if skip_next:
            skip_next = False
            continue
        if token == "--":
            return None
        if token == "--data-dir":
            skip_next = True
            continue
        if token.startswith("-"):
            continue
        return index if token in COMMANDS else None
    return None


def _check_app_paths(parser: argparse.ArgumentParser, paths: list[Path]) -> None:
    """Refuse, as a usage error, an unknown command or a deck path that does not exist."""
    for path in paths:
        if path.exists():
            continue
        text = str(path)
        looks_like_command = (
            path.suffix.lower() not in DECK_SUFFIXES and os.sep not in text and "/" not in text
        )
        if looks_like_command:
            close = difflib.get_close_matches(text, list(COMMANDS), n=1)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            parser.error(
                f"unknown command '{text}'{guess}; the commands are: {', '.join(COMMANDS)}"
            )
        parser.error(f"no such deck file or folder: {text}")


def _import(module_path: str) -> ModuleType | None:
    """The command's module, or None when this installation does not have it."""
    try:
        return importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        if error.name == module_path:
            return None
        raise


def _run(module: ModuleType, args: argparse.Namespace) -> int:
    """Run a command, turning the user's own errors into one message and an exit status."""
    from quiztui.deck.problems import DeckError
    from quiztui.errors import QuiztuiError

    try:
        return int(module.run(args))
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except QuiztuiError as error:
        print(f"quiztui: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _set_data_dir(args: argparse.Namespace) -> None:
    data_dir = getattr(args, "data_dir", None)
    if data_dir is not None:
        os.environ[DATA_DIR_ENV] = str(user_path(data_dir))


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run what it asks for; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except SystemExit as exit_:  # argparse: --help, --version (0) and usage errors (2)
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except QuiztuiError as error:  # one the commands' own handler has not seen (--data-dir)
        print(f"quiztui: {error}", file=sys.stderr)
        return 1


def _main(argv: list[str]) -> int:
    parser = _top_parser()
    index = _command_index(argv)
    if index is None:
        args = parser.parse_args(argv)
        _set_data_dir(args)
        _check_app_paths(parser, args.paths)
        app = _import(APP_MODULE)
        if app is None:
            print("quiztui: the app is not part of this installation", file=sys.stderr)
            return 1
        return _run(app, args)

    global_args = parser.parse_args(argv[:index])
    _set_data_dir(global_args)
    name = argv[index]
    module_path, help_ = COMMANDS[name]
    module = _import(module_path)
    if module is None:
        print(f"quiztui: the '{name}' command is not part of this installation", file=sys.stderr)
        return 1
    command_parser = argparse.ArgumentParser(prog=f"quiztui {name}", description=help_)
    _add_data_dir(command_parser, default=argparse.SUPPRESS)
    module.add_arguments(command_parser)
    args = command_parser.parse_args(argv[index + 1 :])
    if not hasattr(args, "data_dir"):
        args.data_dir = global_args.data_dir
    _set_data_dir(args)
    args.command = name
    return _run(module, args)
