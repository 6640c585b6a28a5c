"""Every kind of deck error is reported, on the right line and column, with a useful hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_texts import BASE, edited

from quiztui.deck import yaml_reader
from quiztui.deck.loader import DeckError, load_deck, load_deck_bytes, load_deck_text

DEEP = "[" * 100 + "]" * 100

CASES: list[tuple[str, str, int, int, str, str | None]] = [
    # (name, deck text, line, column, in the message, in the hint)
    (
        "unknown key",
        edited("        prompt:", "        promt:"),
        13,
        9,
        "unknown key `promt`",
        "did you mean `prompt`",
    ),
    (
        "usual mistake",
        edited("        choices:", "        answers:"),
        15,
        9,
        "unknown key `answers`",
        "did you mean `choices`",
    ),
    ("missing key", edited("        prompt: Prompt\n", ""), 12, 9, "missing `prompt`", None),
    (
        "duplicate id",
        edited("      - id: q1", "      - id: kp1"),
        12,
        13,
        "duplicate id 'kp1': line 8",
        "own id",
    ),
    (
        "duplicate part id",
        edited(
            "parts:\n",
            "parts:\n  - id: p1\n    title: Again\n    key_points: [{id: k9, front: f, back: b}]\n",
        ),
        8,
        9,
        "duplicate part id 'p1': line 5",
        None,
    ),
    (
        "duplicate choice id",
        edited("          - id: b", "          - id: a"),
        19,
        17,
        "duplicate choice id 'a': line 16",
        None,
    ),
    (
        "no correct choice",
        edited("correct: true", "correct: false"),
        15,
        9,
        "has no correct choice",
        "correct: true",
    ),
    (
        "fewer than two choices",
        edited("          - id: b\n            text: Wrong\n", ""),
        15,
        9,
        "has 1 choice; it needs at least 2",
        None,
    ),
    (
        "wrong type",
        edited("prompt: Prompt", "prompt: [a, b]"),
        13,
        17,
        "`prompt` must be text, found a list",
        None,
    ),
    (
        "mapping expected",
        edited("  - id: p1\n", "  - just text\n  - id: p1\n"),
        5,
        5,
        "a part must be a mapping",
        None,
    ),
    ("empty text", edited("text: Right", 'text: "  "'), 17, 19, "`text` is empty", None),
    (
        "null text",
        edited("explanation: Because.", "explanation:"),
        14,
        21,
        "`explanation` is empty",
        None,
    ),
    (
        "unknown check",
        edited(
            "        explanation: Because.\n",
            "        explanation: Because.\n        checks: [pre, later]\n",
        ),
        15,
        23,
        "unknown check 'later'",
        "`pre` and `post`",
    ),
    (
        "repeated check",
        edited(
            "        explanation: Because.\n",
            "        explanation: Because.\n        checks: [post, post]\n",
        ),
        15,
        24,
        "listed twice",
        None,
    ),
    (
        "check not a list",
        edited(
            "        explanation: Because.\n",
            "        explanation: Because.\n        checks: pre\n",
        ),
        15,
        17,
        "`checks` must be a list",
        "checks: [pre]",
    ),
    (
        "yes for a bool",
        edited("correct: true", "correct: yes"),
        18,
        22,
        "`correct` must be true or false, found 'yes'",
        "YAML 1.2",
    ),
    (
        "quoted bool",
        edited("correct: true", 'correct: "true"'),
        18,
        22,
        "must be true or false",
        "remove the quotes",
    ),
    (
        "invalid id",
        edited("      - id: q1", "      - id: Q One"),
        12,
        13,
        "question id 'Q One' is not a valid id",
        "'q-one'",
    ),
    ("format", "format: 2\n" + BASE, 1, 9, "this deck is format 2", "format: 1"),
    (
        "no explanation",
        edited("        explanation: Because.\n", ""),
        14,
        9,
        "has no explanation",
        "every choice",
    ),
    (
        "choice without explanation",
        edited("        explanation: Because.\n", "").replace(
            "            correct: true\n",
            "            correct: true\n            explanation: Yes.\n",
        ),
        19,
        13,
        "choice 'b' has no explanation",
        None,
    ),
    (
        "empty part",
        BASE.split("    key_points:")[0],
        5,
        5,
        "has no key points and no questions",
        None,
    ),
    ("no parts", BASE.split("parts:")[0] + "parts: []\n", 4, 8, "at least one part", None),
    ("top level not a mapping", "- id: demo\n", 1, 1, "the deck must be a mapping", None),
    (
        "YAML syntax error",
        edited("prompt: Prompt", "prompt: Why: because"),
        13,
        20,
        "YAML syntax error",
        "double quotes",
    ),
    ("unclosed quote", edited("prompt: Prompt", 'prompt: "Prompt'), 13, 17, "never closed", None),
    ("tab indentation", edited("        back: Back", "\tback: Back"), 10, 1, "tab", "spaces"),
    (
        "duplicate key",
        edited(
            "        explanation: Because.\n",
            "        explanation: Because.\n        prompt: Again\n",
        ),
        15,
        9,
        "duplicate key 'prompt': it is already on line 13",
        None,
    ),
    (
        "alias",
        edited("        back: Back", "        back: *front"),
        10,
        15,
        "aliases (*front) are not allowed",
        "double quotes",
    ),
    (
        "anchor",
        edited("        front: Front", "        front: &f Front"),
        9,
        16,
        "anchors (&f) are not allowed",
        None,
    ),
    (
        "python tag",
        edited("prompt: Prompt", "prompt: !!python/object:os.system x"),
        13,
        17,
        "Python tags (!!python/object:os.system)",
        None,
    ),
    (
        "other tag",
        edited("prompt: Prompt", "prompt: !include other.yaml"),
        13,
        17,
        "tag !include is not supported",
        None,
    ),
    ("two documents", BASE + "---\nid: other\n", 21, 1, "second one starts here", None),
    (
        "deep nesting",
        edited("prompt: Prompt", "prompt: " + DEEP),
        13,
        76,
        "nest more than 64 levels",
        None,
    ),
    (
        "deep block nesting",
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70)),
        65,
        129,
        "nest more than 64 levels",
        None,
    ),
    (
        "control character",
        edited("Right", "Ri\x07ght"),
        17,
        21,
        "U+0007 is not allowed",
        "remove it",
    ),
    ("binary text", edited("Right", "Ri\x00ght"), 17, 21, "binary", None),
    ("empty", "", 1, 1, "the file is empty", None),
    ("only comments", "# nothing yet\n\n", 1, 1, "the file is empty", None),
]


@pytest.mark.parametrize("use_libyaml", [True, False], ids=["libyaml", "pure"])
@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_error_is_reported_at_its_place(
    text: str, line: int, column: int, message: str, hint: str | None, use_libyaml: bool
) -> None:
    """The problem names the line and column to look at, and says what to do."""
    with pytest.raises(DeckError) as caught:
        load_deck_text(text, Path("deck.yaml"), use_libyaml=use_libyaml)
    found = [p for p in caught.value.problems if message in p.message]
    assert found, "\n".join(map(str, caught.value.problems))
    assert (found[0].line, found[0].column) == (line, column), str(found[0])
    if hint is not None:
        assert found[0].hint is not None and hint in found[0].hint, str(found[0])


def test_every_problem_is_reported_in_one_run() -> None:
    """Several mistakes in one deck are all listed, in file order."""
    text = edited("        prompt:", "        promt:").replace("correct: true", "correct: on")
    text = text.replace("text: Wrong", "text: ''").replace("      - id: q1", "      - id: kp1")
    with pytest.raises(DeckError) as caught:
        load_deck_text(text, Path("deck.yaml"))
    places = [(p.line, p.column) for p in caught.value.problems]
    assert places == sorted(places)
    messages = " | ".join(p.message for p in caught.value.problems)
    for expected in (
        "duplicate id",
        "unknown key `promt`",
        "missing `prompt`",
        "true or false",
        "is empty",
    ):
        assert expected in messages


def test_a_choice_s_own_problem_never_hides_that_no_choice_is_correct() -> None:
    """Two choices with id a, neither correct: both mistakes in the first run (the second
    was only reported once the first was fixed)."""
    text = edited("            correct: true\n", "").replace(
        "          - id: b", "          - id: a"
    )
    with pytest.raises(DeckError) as caught:
        load_deck_text(text, Path("deck.yaml"))
    messages = [p.message for p in caught.value.problems]
    assert any("duplicate choice id 'a'" in m for m in messages), messages
    assert any("has no correct choice" in m for m in messages), messages
    two = edited(
        "          - id: b\n            text: Wrong",
        "          - id: a\n            text: Wrong\n            correct: true",
    )
    with pytest.raises(DeckError) as caught:
        load_deck_text(two, Path("deck.yaml"))
    messages = [p.message for p in caught.value.problems]
    assert any("2 correct choices but is not marked `multiple: true`" in m for m in messages)


def test_problem_text_is_file_line_column_message_hint() -> None:
    """`file:line:col: message (hint: ...)`, the form terminals and editors link to."""
    with pytest.raises(DeckError) as caught:
        load_deck_text(edited("correct: true", "correct: yes"), Path("decks/demo.yaml"))
    (problem,) = caught.value.problems
    assert str(problem) == (
        "decks/demo.yaml:18:22: `correct` must be true or false, found 'yes' "
        "(hint: write true or false (yes/no/on/off are not booleans in YAML 1.2))"
    )
    assert str(caught.value) == str(problem)


def test_binary_file_names_the_nul_byte(tmp_path: Path) -> None:
    """A binary file is refused before parsing, pointing at its first NUL byte."""
    path = tmp_path / "image.yaml"
    path.write_bytes(b"id: x\nti\x00tle\xff\xfe")
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 3)
    assert "binary" in problem.message


def test_non_utf8_file_names_the_byte() -> None:
    """Latin-1 text is refused with the line and column of the first bad byte."""
    with pytest.raises(DeckError) as caught:
        load_deck_bytes("id: demo\ntitle: Caf\u00e9\n".encode("latin-1"), Path("d.yaml"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.hint) == (2, 11, "save it as UTF-8")


def test_utf16_file_is_refused() -> None:
    """A UTF-16 file (Windows editors) gets a clear message, not a binary-file one."""
    with pytest.raises(DeckError) as caught:
        load_deck_bytes(BASE.encode("utf-16"), Path("d.yaml"))
    assert "UTF-16" in caught.value.problems[0].message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A file over the cap is refused from its size alone (a sparse file: nothing is read)."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(yaml_reader.MAX_FILE_BYTES + 1)
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 1)
    assert "decks may be at most 32 MiB" in problem.message


def test_oversized_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text entry point applies the same cap."""
    monkeypatch.setattr(yaml_reader, "MAX_FILE_BYTES", 100)
    with pytest.raises(DeckError, match="decks may be at most"):
        load_deck_text(BASE, Path("d.yaml"))


def test_missing_file_is_a_deck_error(tmp_path: Path) -> None:
    """A file that is not there is a DeckError about the whole file (line 0), not an OSError."""
    with pytest.raises(DeckError) as caught:
        load_deck(tmp_path / "nowhere.yaml")
    (problem,) = caught.value.problems
    assert problem.line == 0
    assert str(problem).startswith(f"{tmp_path / 'nowhere.yaml'}: cannot read the file")


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 200_000,
        "a: " + "{" * 200_000,
        "- " * 200_000 + "x\n",
        "a: " + "[" * 60_000 + "]" * 60_000,
    ],
    ids=["unclosed [", "unclosed {", "nested -", "closed ["],
)
@pytest.mark.parametrize("use_libyaml", [True, False], ids=["libyaml", "pure"])
def test_hostile_nesting_is_an_error_not_a_crash(text: str, use_libyaml: bool) -> None:
    """Nesting that would crash libyaml (or hang it) stops at the depth cap with a clear error."""
    with pytest.raises(DeckError, match="nest more than 64 levels"):
        load_deck_text(text, Path("d.yaml"), use_libyaml=use_libyaml)


def test_alias_bomb_is_refused_without_expanding() -> None:
    """The billion-laughs chain is reported at its first alias; nothing is expanded."""
    lines = ['a0: &a0 "lol"']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(DeckError) as caught:
        load_deck_text("\n".join(lines) + "\n", Path("bomb.yaml"))
    first_alias = next(p for p in caught.value.problems if "aliases" in p.message)
    assert (first_alias.line, first_alias.column) == (2, 10)


def test_empty_checks_keep_a_question_out_of_both_checks() -> None:
    text = edited(
        "        explanation: Because.\n", "        explanation: Because.\n        checks: []\n"
    )
    deck = load_deck_text(text, Path("decks/demo.yaml"))
    question = deck.item("q1")
    assert question.kind == "question" and question.checks == frozenset()
    part = deck.part_of("q1")
    assert "q1" not in part.check_question_ids("pre") + part.check_question_ids("post")
