"""The JSON Schema agrees with the validator: same keys, same required keys, same verdicts.

A tiny checker for the draft-07 keywords the schema uses stands in for a jsonschema dependency.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from deck_texts import BASE, VALID_DECK_PATH, edited

from quiztui import locations
from quiztui.deck import validate
from quiztui.deck.export import deck_to_data
from quiztui.deck.loader import DeckError, load_deck, load_deck_text
from quiztui.deck.yaml_reader import Mapping, Node, Scalar, Sequence, compose

SCHEMA: dict[str, Any] = json.loads(locations.schema_path().read_text(encoding="utf-8"))
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def schema_errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Where `value` breaks `schema` (draft-07: the keywords our schema uses, and $ref)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/definitions/")
        return schema_errors(value, SCHEMA["definitions"][name], where)
    errors: list[str] = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_is_type(value, name) for name in types):
            return [f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value < schema.get("minimum", value)
    ):
        errors.append(f"{where}: below minimum")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            errors.append(f"{where}: repeated items")
        for index, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), f"{where}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [
            f"{where}: missing {key}" for key in schema.get("required", []) if key not in value
        ]
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected key {key}")
    return errors


def as_json_data(node: Node) -> Any:
    """A read tree as an editor reading YAML 1.2 sees it (true/false, numbers, null typed)."""
    if isinstance(node, Mapping):
        return {key: as_json_data(value) for key, (_key, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [as_json_data(item) for item in node.items]
    assert isinstance(node, Scalar)
    if node.plain:
        if node.is_null:
            return None
        if node.text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return node.text.lower() == "true"
        if re.fullmatch(r"[-+]?[0-9]+", node.text):
            return int(node.text)
        if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", node.text):
            return float(node.text)
    return node.text


def editor_view(text: str) -> Any:
    root, problems = compose(text, Path("d.yaml"))
    assert not problems
    return as_json_data(root)


def _definition(kind: str) -> dict[str, Any]:
    return SCHEMA if kind == "deck" else SCHEMA["definitions"][kind]


@pytest.mark.parametrize("kind", list(validate.KNOWN_KEYS))
def test_schema_keys_match_the_validator(kind: str) -> None:
    """Each mapping's properties and required keys are exactly the validator's."""
    definition = _definition(kind)
    assert tuple(definition["properties"]) == validate.KNOWN_KEYS[kind]
    assert set(definition["required"]) == set(validate._REQUIRED[kind])
    assert definition["additionalProperties"] is False


def test_every_property_has_a_description() -> None:
    """Editors show descriptions on hover; each property has one (directly or via its $ref)."""
    for kind in validate.KNOWN_KEYS:
        for name, prop in _definition(kind)["properties"].items():
            target = _definition(prop["$ref"].split("/")[-1]) if "$ref" in prop else prop
            assert target.get("description"), f"{kind}.{name}"


def test_id_pattern_matches_the_validator() -> None:
    """Ids follow one pattern in both."""
    assert SCHEMA["properties"]["id"]["pattern"] == validate.ID_PATTERN_TEXT
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("text", [BASE, VALID_DECK_PATH.read_text(encoding="utf-8")])
def test_valid_decks_pass_the_schema(text: str) -> None:
    """Decks the validator accepts pass the schema as an editor reads them, and as exported."""
    load_deck_text(text, Path("d.yaml"))
    assert schema_errors(editor_view(text), SCHEMA) == []


def test_exported_data_passes_the_schema() -> None:
    assert schema_errors(deck_to_data(load_deck(VALID_DECK_PATH)), SCHEMA) == []


@pytest.mark.parametrize(
    "text",
    [
        edited("        prompt:", "        promt:"),
        edited("      - id: q1", "      - id: Q1"),
        edited("          - id: b\n            text: Wrong\n", ""),
        edited("correct: true", "correct: yes"),
        edited(
            "        explanation: Because.\n",
            "        explanation: B.\n        checks: [pre, pre]\n",
        ),
        edited(
            "        explanation: Because.\n", "        explanation: B.\n        checks: [later]\n"
        ),
        edited("text: Right", "text: '  '"),
        "format: 2\n" + BASE,
        BASE.split("parts:")[0] + "parts: []\n",
    ],
    ids=[
        "unknown-key",
        "bad-id",
        "one-choice",
        "yes",
        "repeat",
        "bad-check",
        "blank",
        "format",
        "no-parts",
    ],
)
def test_invalid_decks_fail_both(text: str) -> None:
    """What the validator refuses for its shape, the schema refuses too."""
    with pytest.raises(DeckError):
        load_deck_text(text, Path("d.yaml"))
    assert schema_errors(editor_view(text), SCHEMA)
