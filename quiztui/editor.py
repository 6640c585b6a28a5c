"""Opening a deck file in the learner's editor at an item's line.

`$VISUAL` or `$EDITOR` names the editor (with any arguments, e.g. `code -w`). Most terminal
editors (vi, vim, nvim, nano, emacs, micro, kak, helix) take `+LINE FILE`; a few GUI editors
take `FILE:LINE` instead, and are told so.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

COLON_LINE_EDITORS: dict[str, tuple[str, ...]] = {
    "code": ("-g",),
    "code-insiders": ("-g",),
    "codium": ("-g",),
    "subl": (),
    "zed": (),
}
"""Editors that open `FILE:LINE` (with these options before it), not `+LINE FILE`."""


def editor_command(path: Path, line: int | None, environ: Mapping[str, str]) -> list[str] | None:
    """The command that opens `path` at `line` in the learner's editor, or None when neither
    VISUAL nor EDITOR is set."""
    editor = (environ.get("VISUAL") or environ.get("EDITOR") or "").strip()
    if not editor:
        return None
    try:
        argv = shlex.split(editor)
    except ValueError:
        argv = editor.split()
    name = Path(argv[0]).name
    if line is None:
        return [*argv, str(path)]
    if name in COLON_LINE_EDITORS:
        return [*argv, *COLON_LINE_EDITORS[name], f"{path}:{line}"]
    return [*argv, f"+{line}", str(path)]
