"""The settings screen: every setting of config.toml, and the keys, changed and saved.

The form lists `quiztui.settings.SETTINGS` (so a new setting appears here by itself): a number
field, a switch, or the theme's list. Below it, every binding by id with its default and the
learner's key, written as the key bar writes keys (`/`, `esc`, `^s`); Enter asks for a new key.
Saving (Ctrl+S) rewrites only the lines of config.toml that changed, keeps the learner's
comments, replaces the file atomically, and the app uses the new settings at once. A file that
is not valid TOML is left alone: the learner fixes it (or deletes it) first.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Select, Static, Switch

from quiztui.settings import (
    SETTINGS,
    SettingInfo,
    Settings,
    SettingsError,
    config_path,
    save_settings,
    with_values,
)
from quiztui.tui.keymap import key_clashes, known_bindings
from quiztui.tui.screens.base import QuiztuiScreen
from quiztui.tui.screens.help import key_label
from quiztui.tui.widgets.key_bar import KeyBar


class SettingsScreen(QuiztuiScreen[None]):
    """Change the settings and the keys; Ctrl+S saves them to config.toml."""

    DETOUR = "settings"

    DEFAULT_CSS = """
    SettingsScreen {
        #settings-form { padding: 0 1; }
        .setting-row { height: auto; margin: 0 0 1 0; }
        .setting-label { width: 1fr; padding: 0 1 0 0; }
        .setting-field { width: 24; }
        .setting-field.-bad { background: $error 30%; }
        Switch.setting-field { width: auto; height: 1; border: none; padding: 0 1; }
        .settings-heading { height: auto; margin: 1 0 0 0; text-style: bold; color: $accent; }
        #settings-note { height: auto; color: $text-muted; }
        #settings-problem { height: auto; color: $error; }
        #settings-keys { height: auto; max-height: 20; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "save", "Save", tooltip="Keep the settings in config.toml", id="settings.save"
        ),
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Back (asks first when something changed)",
            id="settings.back",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, str] = {}
        """The keymap being edited: binding id -> keys."""

    @property
    def saved(self) -> Settings:
        """The settings in use now."""
        return self.ctx.settings

    def compose(self) -> ComposeResult:
        """A row per setting, then the keys table, then where the file is."""
        settings = self.saved
        self.keys = settings.keymap
        yield Header()
        with VerticalScroll(id="settings-form"):
            yield Static(
                f"Kept in [b]{settings.path or config_path()}[/b]. Saving changes only the lines"
                " it must: your comments stay.",
                id="settings-note",
            )
            yield Static(id="settings-problem")
            for info in SETTINGS:
                with Horizontal(classes="setting-row"):
                    name = info.name.replace("_", " ").capitalize()
                    yield Label(f"[b]{name}[/b]\n[dim]{info.help}[/dim]", classes="setting-label")
                    yield self._field(info, getattr(settings, info.name))
            yield Static("Keys", classes="settings-heading")
            yield Static(
                "[dim]Enter on a row asks for its new key (the \\[keys] table of"
                " config.toml).[/dim]"
            )
            yield DataTable[str | Text](id="settings-keys", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _field(self, info: SettingInfo, value: Any) -> Input | Switch | Select[str]:
        field_id = f"setting-{info.name}"
        if info.kind is bool:
            return Switch(value=bool(value), id=field_id, classes="setting-field")
        if info.choices:
            return Select(
                [(choice, choice) for choice in info.choices],
                value=value if value in info.choices else info.default,
                allow_blank=False,
                compact=True,
                id=field_id,
                classes="setting-field",
            )
        if info.name == "theme":
            themes = sorted(self.app.available_themes)
            return Select(
                [(name, name) for name in themes],
                value=value if value in themes else self.app.theme,
                allow_blank=False,
                compact=True,
                id=field_id,
                classes="setting-field",
            )
        return Input(
            str(value),
            type="integer" if info.kind is int else "number" if info.kind is float else "text",
            compact=True,
            id=field_id,
            classes="setting-field",
        )

    def on_mount(self) -> None:
        """Fill the keys table."""
        self.sub_title = "Settings"
        if not self.query("#settings-keys"):
            return  # the app is closing: the form was never built
        table: DataTable[str | Text] = self.query_one("#settings-keys", DataTable)
        table.add_columns("Binding", "What", "Default", "Yours")
        self._fill_keys()
        first = self.query(".setting-field").first()
        first.focus()

    def _fill_keys(self) -> None:
        table: DataTable[str | Text] = self.query_one("#settings-keys", DataTable)
        row = table.cursor_row
        table.clear()
        for binding in known_bindings().values():
            yours = self.keys.get(binding.id, "")
            table.add_row(
                binding.id,
                binding.description,
                key_label(self.app, binding.keys),
                Text(key_label(self.app, yours), style="bold") if yours else "",
                key=binding.id,
            )
        if row >= 0:
            table.move_cursor(row=row, animate=False)

    # ------------------------------------------------------------------ the values

    def values(self) -> tuple[dict[str, Any], list[str]]:
        """The form's values by setting name, and what is wrong with them."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for info in SETTINGS:
            widget = self.query_one(f"#setting-{info.name}")
            bad = False
            if isinstance(widget, Switch):
                values[info.name] = widget.value
            elif isinstance(widget, Select):
                values[info.name] = str(widget.value)
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if info.kind is int or info.kind is float:
                    try:
                        number: float = int(text) if info.kind is int else float(text)
                    except ValueError:
                        number = info.low - 1
                    if not info.low <= number <= info.high:
                        problems.append(f"{info.name} must be from {info.low:g} to {info.high:g}")
                        bad = True
                    values[info.name] = number
                else:
                    values[info.name] = text
            widget.set_class(bad, "-bad")
        return values, problems

    def edited(self) -> Settings | None:
        """The settings as the form has them, or None while a value is wrong."""
        values, problems = self.values()
        self.query_one("#settings-problem", Static).update(
            "Not saved: " + "; ".join(problems) + "." if problems else ""
        )
        if problems:
            return None
        names = {f.name for f in fields(Settings)}
        keys = tuple(sorted(self.keys.items()))
        return with_values(self.saved, **{k: v for k, v in values.items() if k in names}, keys=keys)

    @property
    def changed(self) -> bool:
        """Whether the form differs from the settings in use."""
        values, _ = self.values()
        differs = any(values[info.name] != getattr(self.saved, info.name) for info in SETTINGS)
        return differs or self.keys != self.saved.keymap

    @on(Input.Changed)
    def _input_changed(self) -> None:
        self.edited()

    @on(DataTable.RowSelected, "#settings-keys")
    def _ask_key(self, event: DataTable.RowSelected) -> None:
        """Ask for the highlighted binding's new key."""
        from quiztui.tui.screens.key_capture import KeyCaptureScreen

        binding_id = str(event.row_key.value)
        binding = known_bindings()[binding_id]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key == "":
                self.keys.pop(binding_id, None)
            else:
                clash = key_clashes({**self.keys, binding_id: key}).get(binding_id)
                if clash is not None:
                    self.notify(
                        f"{key} is already the key of {clash.description!r} ({clash.id}) here."
                        " Choose another, or give that one a new key first.",
                        title="That key is taken",
                        severity="warning",
                    )
                    return
                self.keys[binding_id] = key
            self._fill_keys()

        current = self.keys.get(binding_id, binding.keys)
        self.app.push_screen(KeyCaptureScreen(binding, current), chosen)

    # ------------------------------------------------------------------ saving

    def action_save(self) -> bool:
        """Write config.toml and use the settings at once; False when nothing was saved."""
        settings = self.edited()
        if settings is None:
            return False
        try:
            path = save_settings(settings)
        except SettingsError as error:
            self.notify(str(error), title="Not saved", severity="error")
            return False
        self.app.use_settings(settings)
        self.notify(f"Saved to {path}.", timeout=4)
        return True

    def action_back(self) -> None:
        """Back; with unsaved changes, ask whether to save them."""
        from quiztui.tui.screens.confirm import ChoiceDialog

        if not self.changed:
            self.dismiss()
            return

        def chosen(save: bool | None) -> None:
            if save is None:
                return
            if not save or self.action_save():
                self.dismiss()

        self.app.push_screen(
            ChoiceDialog("Save your changes to config.toml?", yes="Save", no="Discard"), chosen
        )
