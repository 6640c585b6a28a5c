"""Every binding the app has, by id: what the `[keys]` table can remap, and what it defaults to.

The screens and widgets declare their keys in `BINDINGS` with ids (STYLE.md, habit 3); this
reads them from the classes, so the settings screen lists exactly the keys there are and a
`[keys]` entry naming no binding is reported instead of silently doing nothing. The screen
modules are imported only when asked (a keymap to check, the settings screen open).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode


@dataclass(frozen=True, slots=True)
class KnownBinding:
    """A binding as the keymap sees it."""

    id: str
    keys: str
    """Its default keys, as written ("enter,n,space")."""
    description: str
    """What it does, in a few words (the footer's label or its tooltip)."""
    where: str
    """The screen or widget that has it."""


def _modules() -> list[str]:
    import quiztui.tui.screens
    import quiztui.tui.widgets

    names = ["quiztui.tui.app"]
    for package in (quiztui.tui.screens, quiztui.tui.widgets):
        names += [
            f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)
        ]
    return names


@cache
def known_bindings() -> dict[str, KnownBinding]:
    """Every binding with an id, by id (the first declaration of an id wins)."""
    from textual.app import App

    found: dict[str, KnownBinding] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != name:
                continue
            for binding in cls.__dict__.get("BINDINGS", ()):
                if not isinstance(binding, Binding) or not binding.id or binding.id in found:
                    continue
                description = binding.description or binding.tooltip or binding.action
                where = "every screen" if issubclass(cls, App) else cls.__name__
                found[binding.id] = KnownBinding(binding.id, binding.key, description, where)
    return dict(sorted(found.items()))


def _keys(text: str) -> set[str]:
    return {key.strip() for key in text.split(",") if key.strip()}


@cache
def _places() -> dict[str, frozenset[str]]:
    """Every class whose keys include each binding id (its own or inherited BINDINGS); the
    app's class stands for every screen, since its keys apply on all of them."""
    from textual.app import App

    places: dict[str, set[str]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != name:
                continue
            place = EVERYWHERE if issubclass(cls, App) else cls.__name__
            for base in cls.__mro__:
                for binding in base.__dict__.get("BINDINGS", ()):
                    if isinstance(binding, Binding) and binding.id:
                        places.setdefault(binding.id, set()).add(place)
    return {binding_id: frozenset(where) for binding_id, where in places.items()}


EVERYWHERE = "*"
"""The place of the app's own keys (quit, help, browse, settings): every screen."""


def key_clashes(keymap: dict[str, str]) -> dict[str, KnownBinding]:
    """The remapped bindings given a key that another binding of the same screen already has
    (a screen's, a widget's on it, or the app's, which every screen has), each with that
    other binding: pressing the key would do one of the two, silently, and the key bar would
    show only one. Keys bindings share by design (Enter as both "Next" and "Results",
    whichever applies) are never a clash; only keys a remap adds are checked. Remaps of ids
    no binding has are left to the caller."""
    known = known_bindings()
    places = _places()
    effective = {i: _keys(keymap.get(i, binding.keys)) for i, binding in known.items()}
    clashes: dict[str, KnownBinding] = {}
    for binding_id in sorted(set(keymap) & set(known)):
        added = effective[binding_id] - _keys(known[binding_id].keys)
        if not added:
            continue
        mine = places.get(binding_id, frozenset())
        for other in known.values():
            theirs = places.get(other.id, frozenset())
            shared = bool(mine & theirs) or EVERYWHERE in mine or EVERYWHERE in theirs
            if other.id != binding_id and shared and added & effective[other.id]:
                clashes[binding_id] = other
                break
    return clashes
