"""Settings that stay, driven with Pilot at 80x24: the settings screen writes config.toml (the
learner's comments kept), a theme chosen anywhere is kept, a [keys] entry remaps a binding,
and a bad setting is one message naming its line while the app opens with the default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from quiztui.settings import config_path, load_settings, parse_settings
from quiztui.study import StudyContext
from quiztui.tui.app import QuiztuiApp
from quiztui.tui.screens.home import HomeScreen
from quiztui.tui.screens.key_capture import KeyCaptureScreen
from quiztui.tui.screens.review import ReviewScreen
from quiztui.tui.screens.settings import SettingsScreen
from tests.tui.conftest import AppFactory, settle

ScreenText = Callable[[App[object]], str]


async def test_the_settings_screen_saves_with_comments_kept_and_applies_at_once(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, screen_text: ScreenText
) -> None:
    """s, new items 5, Ctrl+S: that line changes, the comment stays, the app paces with 5; a
    value out of range is refused with a message and nothing is written."""
    config_path().write_text("# mine\n[study]\nnew_items_per_day = 20  # per deck\n")
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert "Rollover hour" in screen_text(app)
        rollover = screen.query_one("#setting-rollover_hour", Input)
        rollover.value = "99"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "rollover_hour must be from 0 to 23" in screen_text(app)
        assert "99" not in config_path().read_text()
        rollover.value = "4"
        screen.query_one("#setting-new_items_per_day", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert config_path().read_text() == "# mine\n[study]\nnew_items_per_day = 5  # per deck\n"
        assert app.ctx.settings.new_items_per_day == 5
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_saving_into_a_config_that_is_not_valid_toml_is_refused(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """A line written into a file that does not parse would never apply: Ctrl+S leaves the
    file as it is and says which line to fix; the app keeps the settings it has."""
    broken = "[study]\nnew_items_per_day = 20\nrollover_hour = = 4\n"
    config_path().write_text(broken)
    app = make_app(ctx, [study_deck_path])
    told: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: told.append((str(message), kw.get("title", "")))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#setting-new_items_per_day", Input).value = "5"
        told.clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert config_path().read_text() == broken
        assert told == [
            (
                f"{config_path()}:3: not valid TOML: Invalid value; fix that line first (or"
                " delete the file to start afresh); nothing was saved.",
                "Not saved",
            )
        ]
        assert app.ctx.settings.new_items_per_day == 20
        assert isinstance(app.screen, SettingsScreen)


async def test_the_keys_table_writes_keys_as_the_key_bar_does(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Default and learner's keys read /, ?, esc, ⏎, ^s (the key bar's way), not Textual's
    names; the rows keep their binding ids."""
    config_path().write_text('[keys]\n"browse.search" = "ctrl+f,left_square_bracket"\n')
    ctx = replace(ctx, settings=load_settings())
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        table = screen.query_one("#settings-keys", DataTable)

        def cells(binding_id: str) -> list[str]:
            return [str(cell) for cell in table.get_row(binding_id)]

        assert cells("browse.search")[0::2] == ["browse.search", "/"]
        assert cells("browse.search")[3] == "^f, ["
        assert cells("app.help")[2] == "?"
        assert cells("help.close")[2] == "esc, ?, q"
        assert cells("check.next")[2] == "⏎, n, space"
        assert cells("settings.save")[2] == "^s"


async def ask_for_a_key(app: QuiztuiApp, pilot: Pilot[None], binding_id: str) -> SettingsScreen:
    """From the home screen: `s`, then Enter on the binding's row of the keys table, so the
    next key pressed is its new key; returns the settings screen underneath."""
    await settle(app, pilot)
    await pilot.press("s")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    table = screen.query_one("#settings-keys", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(binding_id))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, KeyCaptureScreen)
    return screen


async def test_a_key_remapped_in_the_settings_screen_works_at_once_and_is_kept(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, screen_text: ScreenText
) -> None:
    """The keys table: Enter on home.review, press v: config.toml gets "home.review" = "v",
    the home screen's key bar says v, v starts the reviews and r no longer does."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_for_a_key(app, pilot, "home.review")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert '"home.review" = "v"' in config_path().read_text()
        await pilot.press("escape")
        await settle(app, pilot)
        assert " v Review due" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_the_settings_screen_refuses_a_key_the_screen_already_uses(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path, screen_text: ScreenText
) -> None:
    """home.review given p (the home screen's Statistics key): refused with a notice naming
    that binding; r still reviews, nothing is saved."""
    app = make_app(ctx, [study_deck_path])
    told: list[str] = []
    app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ask_for_a_key(app, pilot, "home.review")
        await pilot.press("p")
        await pilot.pause()
        assert screen.keys == {}
        assert any("p is already the key of 'Statistics' (home.progress)" in m for m in told)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "home.review" not in (config_path().read_text() if config_path().exists() else "")


async def test_a_remap_onto_a_key_the_screen_uses_is_told_and_ignored(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """[keys] "home.review" = "p" clashes with Statistics: one message naming its line and the
    other binding, and both keep their keys; a swap of two keys is no clash."""
    text = '[keys]\n"home.review" = "p"\n'
    path = config_path()
    path.write_text(text)
    app = make_app(replace(ctx, settings=parse_settings(text, path)), [study_deck_path])
    told: list[str] = []
    app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "r still reviews"
    assert [m for m in told if str(path) in m] == [
        f"{path}:2: [keys] home.review = 'p' is already the key of 'Statistics' (home.progress)"
        " on HomeScreen; it was ignored (choose another key, or remap that one too)"
    ]
    swap = '[keys]\n"home.review" = "p"\n"home.progress" = "r"\n'
    app = make_app(replace(ctx, settings=parse_settings(swap, path)), [study_deck_path])
    told.clear()
    app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "p reviews once the keys are swapped"
    assert not [m for m in told if str(path) in m]


async def test_a_keys_table_in_config_remaps_at_start(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """[keys] "app.browse" = "B": B browses, b does not."""
    path = config_path()
    path.write_text('[keys]\n"app.browse" = "B"\n')
    ctx = replace(ctx, settings=load_settings())
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("B")
        await pilot.pause()
        assert type(app.screen).__name__ == "BrowseScreen"


async def test_a_bad_setting_is_one_message_and_the_app_opens_with_its_default(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Three bad settings: three messages, each naming its line; the good one counts."""
    text = (
        "[study]\nrollover_hour = 99\nnew_items_per_day = 3\n"
        '[ui]\ntheme = "no-such-theme"\n[keys]\n"review.nxt" = "j"\n'
    )
    path = config_path()
    path.write_text(text)
    settings = parse_settings(text, path)
    app = make_app(replace(ctx, settings=settings), [study_deck_path])
    told: list[str] = []
    app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.ctx.settings.rollover_hour == 4 and app.ctx.settings.new_items_per_day == 3
        assert app.theme == "textual-dark"
    problems = [m for m in told if str(path) in m]
    assert len(problems) == 3
    assert problems[0].startswith(f"{path}:2: [study] rollover_hour must be")
    assert problems[1].startswith(f"{path}:5: [ui] theme 'no-such-theme'")
    assert problems[2].startswith(f"{path}:7: [keys] review.nxt is not a binding's id")


async def test_a_theme_chosen_from_the_palette_is_kept(
    ctx: StudyContext, make_app: AppFactory, study_deck_path: Path
) -> None:
    """Changing the theme (as the palette's theme picker does) writes it to config.toml."""
    app = make_app(ctx, [study_deck_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
    assert load_settings().theme == "nord"


def test_a_clash_is_found_on_every_screen_a_key_applies_to() -> None:
    """A shared answer key given Flag's key clashes on the exam screen; a screen's key given
    q clashes with Quit, which every screen has; the app's Browse given r clashes with the
    screens' r; a free key, or a swap of two keys, is no clash."""
    from quiztui.tui.keymap import key_clashes

    assert key_clashes({"question.answer-1": "f"})["question.answer-1"].id == "exam.flag"
    assert key_clashes({"deck.review": "q"})["deck.review"].id == "app.quit"
    assert key_clashes({"deck.review": "q"})["deck.review"].where == "every screen"
    assert "app.browse" in key_clashes({"app.browse": "r"})
    assert key_clashes({"browse.suspend": "x"}) == {}
    assert key_clashes({"home.review": "p", "home.progress": "r"}) == {}
