"""The core is a library: nothing outside quiztui/tui/ may import Textual (STYLE.md, habit 1).

Each check runs in a fresh interpreter so that one test's imports cannot hide another's.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import quiztui

PACKAGE_DIR = Path(quiztui.__file__).resolve().parent


def core_modules() -> list[str]:
    """Every quiztui module that is not part of the TUI (or the app launcher)."""
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="quiztui."):
        if info.name.startswith("quiztui.tui") or info.name in {
            "quiztui.__main__",
            "quiztui.commands.open_app",
        }:
            continue
        names.append(info.name)
    return sorted(names)


def test_there_are_core_modules_to_check() -> None:
    """Guard against the walk silently finding nothing."""
    names = core_modules()
    assert "quiztui.deck.model" in names
    assert "quiztui.locations" in names
    assert "quiztui.classreport.report" in names
    assert "quiztui.commands.class_report" in names
    assert "quiztui.study.statistics" in names
    assert "quiztui.store.review_facts" in names
    assert "quiztui.commands.stats" in names
    for exam_prep in ("exam", "exam_results", "marks", "preview", "browse"):
        assert f"quiztui.study.{exam_prep}" in names
    assert {"quiztui.store.marks", "quiztui.commands.exam", "quiztui.editor"} <= set(names)

    assert "quiztui.scheduling.fsrs_scheduler" in names
    assert "quiztui.study.optimize" in names
    assert "quiztui.commands.fsrs_optimize" in names


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str) -> None:
    """Importing a core module leaves Textual unloaded."""
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False", f"{module} imports Textual"


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["validate", "--help"],
        ["schema"],
        ["import", "--help"],
        ["new", "--help"],
        ["export", "--help"],
        ["class", "report", "--help"],
        ["stats", "--help"],
    ],
)
def test_cli_commands_without_the_app_do_not_import_textual(argv: list[str]) -> None:
    """`quiztui validate`, `schema`, `import`, `new`, `export` and `--version` skip Textual."""
    code = (
        "import sys\n"
        "from quiztui.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "loaded = 'textual' in sys.modules\n"
        "print('TEXTUAL_LOADED' if loaded else 'TEXTUAL_ABSENT', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "TEXTUAL_ABSENT" in result.stderr, result.stderr


HEAVY_EXTRAS = ("duckdb", "matplotlib")
"""The class report's packages: imported only when a report is made."""


@pytest.mark.parametrize(
    "code",
    [
        "from quiztui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
        "from quiztui.cli import main\ntry:\n    main(['class', 'report', '--help'])\n"
        "except SystemExit:\n    pass",
        "\n".join(
            f"import {name}" for name in core_modules() if name.startswith("quiztui.classreport")
        ),
    ],
    ids=["help", "class-report-help", "classreport-modules"],
)
def test_the_class_reports_packages_load_late(code: str) -> None:
    """DuckDB and matplotlib cost a second to import: no help or import pays for them."""
    probe = f"{code}\nimport sys\nprint([m for m in {HEAVY_EXTRAS!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_plotext_loads_with_the_statistics_screen_only() -> None:
    """The charts' library is imported by the statistics screen, not by the app's start."""
    code = (
        "import sys\n"
        "import quiztui.tui.app, quiztui.tui.screens.home, quiztui.tui.screens.deck\n"
        "print('plotext' in sys.modules, 'textual_plotext' in sys.modules)\n"
        "import quiztui.tui.screens.statistics\n"
        "print('plotext' in sys.modules, 'textual_plotext' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False", "True", "True"], result.stderr


@pytest.mark.parametrize(
    "code",
    [
        "import quiztui.study, quiztui.store, quiztui.scheduling, quiztui.study.optimize",
        "import quiztui.commands.fsrs_optimize, quiztui.scheduling.fsrs_scheduler",
        "from quiztui.cli import main\ntry:\n    main(['fsrs-optimize', '--help'])\n"
        "except SystemExit:\n    pass",
    ],
    ids=["core", "fsrs-modules", "fsrs-optimize-help"],
)
def test_fsrs_and_its_optimizer_load_late(code: str) -> None:
    """py-fsrs loads only when FSRS is chosen, PyTorch only when a fit runs."""
    probe = f"{code}\nimport sys\nprint([m for m in ('fsrs', 'torch') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
