"""The learner's study settings, read from `<data dir>/config.toml`.

```toml
[study]
rollover_hour = 4          # a review before 04:00 counts for the day before
new_items_per_day = 20     # per deck, per learning day
scheduler = "sm2"          # or "fsrs" (docs/scheduling.md)
desired_retention = 0.9    # FSRS only: the chance of recall each review is planned at
```

A missing file means the defaults. A broken one is an error naming the file and line, never
silently ignored: a learner who set a limit expects it to hold. Tables other than `[study]` are
left for other parts of quiztui to read.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiztui import locations
from quiztui.errors import QuiztuiError

CONFIG_FILE_NAME = "config.toml"


class SettingsError(QuiztuiError):
    """The settings file cannot be used; the message names the file, the line and the fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    """How studying is paced."""

    rollover_hour: int = 4
    """The local hour a new learning day begins (0-23)."""
    new_items_per_day: int = 20
    """How many new items a deck's daily queue introduces at most."""
    scheduler: str = "sm2"
    """Which scheduler plans reviews: "sm2" (SuperMemo 2, the default) or "fsrs"."""
    desired_retention: float = 0.9
    """FSRS only: the chance of recall it plans each review at (higher: more reviews)."""


_LIMITS: dict[str, tuple[int, int]] = {
    "rollover_hour": (0, 23),
    "new_items_per_day": (0, 10_000),
}

_CHOICES: dict[str, tuple[str, ...]] = {"scheduler": ("sm2", "fsrs")}
"""Settings that take one of a few words."""

_FRACTIONS: dict[str, tuple[float, float]] = {"desired_retention": (0.7, 0.99)}
"""Settings that take a number with decimals, within these bounds."""


def config_path() -> Path:
    """Where the settings file lives: beside the progress database."""
    return locations.data_dir() / CONFIG_FILE_NAME


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def parse_settings(text: str, path: Path) -> Settings:
    """The settings a config file's text gives (SettingsError naming `path` and line if wrong)."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise SettingsError(
            f"{_where(path, line)}: not valid TOML: {reason}; fix the file or move it aside"
        ) from None
    study = data.get("study", {})
    if not isinstance(study, dict):
        raise SettingsError(
            f"{_where(path, _line_of(text, 'study'))}: 'study' must be a table ([study])"
        )
    values: dict[str, Any] = {}
    for key, value in study.items():
        line = _line_of(text, key)
        if key in _CHOICES:
            if value not in _CHOICES[key]:
                words = " or ".join(f'"{word}"' for word in _CHOICES[key])
                raise SettingsError(f"{_where(path, line)}: [study] {key} must be {words}")
            values[key] = value
            continue
        if key in _FRACTIONS:
            low_f, high_f = _FRACTIONS[key]
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not low_f <= value <= high_f:
                raise SettingsError(
                    f"{_where(path, line)}: [study] {key} must be a number from {low_f} to"
                    f" {high_f}, not {value!r}"
                )
            values[key] = float(value)
            continue
        if key not in _LIMITS:
            known = ", ".join([*_LIMITS, *_CHOICES, *_FRACTIONS])
            raise SettingsError(
                f"{_where(path, line)}: unknown setting [study] {key} (known: {known})"
            )
        low, high = _LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingsError(
                f"{_where(path, line)}: [study] {key} must be a whole number from {low} to {high},"
                f" not {value!r}"
            )
        values[key] = value
    return Settings(**values)


def load_settings(path: Path | None = None) -> Settings:
    """The settings in `path` (default `<data dir>/config.toml`); defaults when it is missing."""
    path = config_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text; save it as UTF-8 or move it aside") from None
    except OSError as error:
        raise SettingsError(
            f"{path}: cannot be read ({error.strerror}); check its permissions"
        ) from None
    return parse_settings(text, path)
