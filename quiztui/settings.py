"""The learner's settings, read from and written to `<data dir>/config.toml`.

```toml
[study]
rollover_hour = 4          # a review before 04:00 counts for the day before
new_items_per_day = 20     # per deck, per learning day

scheduler = "sm2"          # or "fsrs" (docs/scheduling.md)
desired_retention = 0.9    # FSRS only: the chance of recall each review is planned at

[ui]
theme = "nord"

[keys]
"review.next" = "j"        # a binding's id = the keys it takes
```

`Settings` is the table of settings: one field per setting, its default, its range and its
help, so adding a setting is one entry. A missing file means the defaults. A bad setting is
one problem naming the file and line (`Settings.problems`), and that setting keeps its default:
the app opens and says so, rather than refusing to start over one typo. `save_settings`
rewrites only the lines of the settings that changed, keeping the learner's comments, and
replaces the file atomically.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from quiztui import locations
from quiztui.errors import QuiztuiError

CONFIG_FILE_NAME = "config.toml"

KEYS_TABLE = "keys"
"""The table that remaps bindings: `"binding.id" = "key"`."""


class SettingsError(QuiztuiError):
    """The settings file cannot be written; the message names the file and the fix."""


def setting(
    default: Any,
    *,
    table: str = "study",
    low: float = 0,
    high: float = 0,
    choices: tuple[str, ...] = (),
    help: str,
) -> Any:
    """A setting: its default, the `[table]` it lives in, its range (numbers) or its choices
    (texts), and its help.

    Returns a dataclass field, so `Settings` lists each setting once, in one line of code.
    """
    metadata = {"table": table, "low": low, "high": high, "choices": choices, "help": help}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True)
class Settings:
    """How studying is paced and how the app looks: every setting, with its default."""

    rollover_hour: int = setting(4, low=0, high=23, help="the local hour a new learning day begins")
    new_items_per_day: int = setting(
        20, low=0, high=10_000, help="new items a deck's daily queue introduces at most"
    )
    reviews_per_day: int = setting(
        0, low=0, high=100_000, help="due items a deck's daily queue asks at most (0: all)"
    )
    leech_threshold: int = setting(
        8, low=0, high=1_000, help="lapses that make an item a leech, suspended (0: never)"
    )
    shuffle_choices: bool = setting(
        True, help="shuffle the answer choices (a question may keep its written order)"
    )
    scheduler: str = setting(
        "sm2", choices=("sm2", "fsrs"), help="which scheduler plans reviews: SM-2 or FSRS"
    )
    desired_retention: float = setting(
        0.9, low=0.7, high=0.99, help="FSRS only: the chance of recall each review is planned at"
    )
    theme: str = setting("textual-dark", table="ui", help="the colour theme")
    keys: tuple[tuple[str, str], ...] = field(default=(), metadata={"table": KEYS_TABLE})
    """Bindings remapped: (binding id, keys), from the `[keys]` table."""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """What was wrong in the file, one message per setting (`file:line: ...`)."""
    path: Path | None = field(default=None, compare=False)
    """The file they were read from (None: not from a file)."""

    @property
    def keymap(self) -> dict[str, str]:
        """The `[keys]` table: binding id -> keys (what Textual's `set_keymap` takes)."""
        return dict(self.keys)


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """One setting as the settings screen and the README describe it."""

    name: str
    table: str
    default: Any
    low: float
    high: float
    help: str
    choices: tuple[str, ...] = ()
    """The texts it may be (empty: any text, for a text setting)."""

    @property
    def kind(self) -> type:
        """bool, int, float or str."""
        return type(self.default)


SETTINGS: tuple[SettingInfo, ...] = tuple(
    SettingInfo(
        f.name,
        f.metadata["table"],
        f.default,
        f.metadata["low"],
        f.metadata["high"],
        f.metadata["help"],
        f.metadata["choices"],
    )
    for f in fields(Settings)
    if "help" in f.metadata
)
"""Every scalar setting, in the order they are listed (the `[keys]` table aside)."""

_CHOICES: dict[str, tuple[str, ...]] = {"scheduler": ("sm2", "fsrs")}
"""Settings that take one of a few words."""

_FRACTIONS: dict[str, tuple[float, float]] = {"desired_retention": (0.7, 0.99)}
"""Settings that take a number with decimals, within these bounds."""


def config_path() -> Path:
    """Where the settings file lives: beside the progress database."""
    return locations.data_dir() / CONFIG_FILE_NAME


# ---------------------------------------------------------------------- reading

_HEADER = re.compile(r"^[ \t]*\[[ \t]*([^\[\]]+?)[ \t]*\][ \t]*(#.*)?$")


def _sections(lines: list[str]) -> dict[str | None, tuple[int, int]]:
    """Each table's lines: name -> (first line after its header, end); None is the top."""
    found: dict[str | None, tuple[int, int]] = {}
    name: str | None = None
    start = 0
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            found.setdefault(name, (start, index))
            name, start = match.group(1).strip().strip('"'), index + 1
    found.setdefault(name, (start, len(lines)))
    return found


def _key_pattern(key: str) -> re.Pattern[str]:
    """A line that sets `key`, bare or quoted (`review.next = ` or `"review.next" = `)."""
    quoted = re.escape(json.dumps(key))
    return re.compile(rf"^[ \t]*(?:{re.escape(key)}|{quoted}|'{re.escape(key)}')[ \t]*=")


def line_of(text: str, table: str | None, key: str | None = None) -> int | None:
    """The 1-based line that sets `key` in `[table]` (or that starts the table), if any."""
    lines = text.splitlines()
    if key is None:
        for index, line in enumerate(lines):
            match = _HEADER.match(line)
            if match and match.group(1).strip() == table:
                return index + 1
            if re.match(rf"^[ \t]*{re.escape(table or '')}[ \t]*=", line):
                return index + 1
        return None
    span = _sections(lines).get(table)
    ranges = [span] if span is not None else []
    ranges.append((0, len(lines)))
    pattern = _key_pattern(key)
    for start, end in ranges:
        for index in range(start, end):
            if pattern.match(lines[index]):
                return index + 1
    return None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"review": {"next": "j"}}` (what `review.next = "j"` gives) as `{"review.next": "j"}`."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _check(info: SettingInfo, value: Any) -> str | None:
    """Why `value` cannot be the setting, or None when it can."""
    if info.kind is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if info.kind is int:
        good = not isinstance(value, bool) and isinstance(value, int)
        if good and info.low <= value <= info.high:
            return None
        return f"must be a whole number from {info.low:g} to {info.high:g}"
    if info.kind is float:
        good = not isinstance(value, bool) and isinstance(value, int | float)
        if good and info.low <= value <= info.high:
            return None
        return f"must be a number from {info.low:g} to {info.high:g}"
    if info.choices:
        words = " or ".join(f'"{word}"' for word in info.choices)
        return None if value in info.choices else f"must be {words}"
    return None if isinstance(value, str) and value.strip() else "must be a non-empty text"


def _toml_problem(path: Path, error: tomllib.TOMLDecodeError) -> str:
    """`file:line: not valid TOML: <why>`, from tomllib's "<why> (at line N, column M)"."""
    match = re.search(r"\(at line (\d+), column \d+\)", str(error))
    line = int(match.group(1)) if match else None
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
    return f"{_where(path, line)}: not valid TOML: {reason}"


def parse_settings(text: str, path: Path) -> Settings:
    """The settings a config file's text gives; each bad setting is a problem, and keeps its
    default."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(
            problems=(
                f"{_toml_problem(path, error)}; every setting has its default until the file"
                " is fixed",
            ),
            path=path,
        )
    problems: list[str] = []
    values: dict[str, Any] = {}
    by_table: dict[str, dict[str, SettingInfo]] = {}
    for info in SETTINGS:
        by_table.setdefault(info.table, {})[info.name] = info
    for table, known in by_table.items():
        found = data.get(table, {})
        if not isinstance(found, dict):
            where = _where(path, line_of(text, table))
            problems.append(f"{where}: '{table}' must be a table ([{table}]); it was ignored")
            continue
        for key, value in found.items():
            where = _where(path, line_of(text, table, key))
            entry = known.get(key)
            if entry is None:
                names = ", ".join(known)
                problems.append(f"{where}: unknown setting [{table}] {key} (known: {names})")
                continue
            why = _check(entry, value)
            if why is not None:
                problems.append(
                    f"{where}: [{table}] {key} {why}, not {value!r}; using the default,"
                    f" {_literal(entry.default)}"
                )
                continue
            values[key] = value
    keys = data.get(KEYS_TABLE, {})
    if not isinstance(keys, dict):
        where = _where(path, line_of(text, KEYS_TABLE))
        problems.append(f"{where}: 'keys' must be a table ([keys]); it was ignored")
        keys = {}
    remapped: list[tuple[str, str]] = []
    for binding_id, value in _flatten(keys).items():
        if not isinstance(value, str) or not value.strip():
            where = _where(path, line_of(text, KEYS_TABLE, binding_id))
            problems.append(
                f'{where}: [keys] {binding_id} must be the key names, e.g. "j" or'
                f' "ctrl+n,j", not {value!r}; it was ignored'
            )
            continue
        remapped.append((binding_id, value.replace(" ", "")))
    return Settings(**values, keys=tuple(remapped), problems=tuple(problems), path=path)


def load_settings(path: Path | None = None) -> Settings:
    """The settings in `path` (default `<data dir>/config.toml`); defaults when it is missing,
    and for every setting it gets wrong (see `Settings.problems`)."""
    path = config_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(path=path)
    except UnicodeDecodeError:
        problem = f"{path}: not UTF-8 text; save it as UTF-8 (every setting has its default)"
        return Settings(problems=(problem,), path=path)
    except OSError as error:
        problem = f"{path}: cannot be read ({error.strerror}); check its permissions"
        return Settings(problems=(problem,), path=path)
    return parse_settings(text, path)


def problem_line(settings: Settings, table: str, key: str) -> str:
    """`file:line` of a setting as the file has it (the file alone when it is not there), for a
    problem only the app can see (a theme it does not have, a binding id no screen uses)."""
    path = settings.path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return str(path)
    return _where(path, line_of(text, table, key))


# ---------------------------------------------------------------------- writing


def _literal(value: Any) -> str:
    """A value as TOML writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _set_line(line: str, value: str) -> str:
    """`key = old  # comment` with the new value, the key and the comment kept."""
    key, _, rest = line.partition("=")
    comment = ""
    match = re.search(r"""\s+#[^"']*$""", rest)
    if match:
        comment = match.group(0)
    return f"{key.rstrip()} = {value}{comment}"


def update_toml(text: str, changes: dict[tuple[str, str], str | None]) -> str:
    """The file's text with each (table, key) set to a TOML literal (None: the line removed);
    every other line, comments included, as it was. Missing tables are added at the end."""
    lines = text.splitlines()
    for (table, key), value in changes.items():
        sections = _sections(lines)
        span = sections.get(table)
        pattern = _key_pattern(key)
        index = None
        if span is not None:
            index = next((i for i in range(*span) if pattern.match(lines[i])), None)
        if value is None:
            if index is not None:
                del lines[index]
            continue
        if index is not None:
            lines[index] = _set_line(lines[index], value)
        elif span is not None:
            end = span[1]
            while end > span[0] and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, f"{_toml_key(key)} = {value}")
        else:
            if lines and lines[-1].strip():
                lines.append("")
            lines += [f"[{table}]", f"{_toml_key(key)} = {value}"]
    return "\n".join(lines) + "\n"


_MISSING = object()

NEW_FILE_HEADER = (
    "# quiztui settings: see the README (Settings) for every one.\n"
    "# The settings screen (s) changes only the lines it must; your comments stay.\n"
)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings that differ from the file (and from the defaults) into `path`,
    atomically (a temporary file, then `os.replace`); returns the path.

    Lines for settings that did not change, and comments, are kept as they were. SettingsError
    when the file cannot be written, or is not valid TOML: a line written into a file that does
    not parse would never apply (the app reads none of it), so nothing is written then.
    """
    path = path or settings.path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = NEW_FILE_HEADER
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read to update it ({error})") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(
            f"{_toml_problem(path, error)}; fix that line first (or delete the file to start"
            " afresh); nothing was saved."
        ) from None
    changes: dict[tuple[str, str], str | None] = {}
    for info in SETTINGS:
        value = getattr(settings, info.name)
        table = data.get(info.table)
        written = table.get(info.name, _MISSING) if isinstance(table, dict) else _MISSING
        if written is _MISSING:
            if value != info.default:
                changes[(info.table, info.name)] = _literal(value)
        elif written != value or type(written) is not type(value):
            changes[(info.table, info.name)] = _literal(value)
    keys = data.get(KEYS_TABLE)
    old_keys = _flatten(keys) if isinstance(keys, dict) else {}
    new_keys = settings.keymap
    for binding_id in old_keys.keys() - new_keys.keys():
        changes[(KEYS_TABLE, binding_id)] = None
    for binding_id, keys_text in new_keys.items():
        if old_keys.get(binding_id) != keys_text:
            changes[(KEYS_TABLE, binding_id)] = _literal(keys_text)
    if changes or not path.exists():
        _write_atomically(path, update_toml(text, changes))
    return path


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise SettingsError(f"{path}: cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SettingsError(f"{path}: cannot be written ({error.strerror})") from None


def with_values(settings: Settings, **values: Any) -> Settings:
    """The settings with some values changed (problems cleared: the values are known good)."""
    return replace(settings, **values, problems=())
