"""The bundled deck for "Workflow Orchestration with Airflow and MWAA" (decks/airflow-mwaa.yaml).

The expected values below were taken from the chapter by hand: its part titles, its fifteen
check questions with their choice counts and (worked out from the chapter's text) the correct
answers, and a few prompts word for word. The chapter itself is not in the repository, so the
tests pin what was read from it.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from quiztui.commands import validate as validate_command
from quiztui.deck.export import deck_to_markdown
from quiztui.deck.library import deck_files_in, load_decks
from quiztui.deck.loader import load_deck, validate_file
from quiztui.deck.model import Deck, KeyPoint, Question

DECKS_DIR = Path(__file__).parent.parent / "decks"
DECK_PATH = DECKS_DIR / "airflow-mwaa.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=.deck.schema.json"

PART_TITLES = (
    "Airflow Foundations",
    "Amazon MWAA and Production Patterns",
    "Alternative Orchestrators",
)
PART_SECTIONS = (
    ("1.1", "1.2", "1.3", "1.4"),
    ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6"),
    ("3.1", "3.2", "3.3", "3.4", "3.5"),
)

# question id -> (number of choices in the chapter, id of the correct choice), in chapter order.
EXPECTED_QUESTIONS: tuple[dict[str, tuple[int, str]], ...] = (
    {
        "q-dag-acyclic-finish": (4, "a"),
        "q-sensor-reschedule-mode": (4, "b"),
        "q-executor-pod-isolation": (4, "c"),
        "q-top-level-code-parse": (4, "b"),
        "q-xcom-size-limit": (4, "a"),
    },
    {
        "q-mwaa-deploy-s3-sync": (4, "c"),
        "q-requirements-txt-restart": (4, "c"),
        "q-idempotent-ds-key": (4, "b"),
        "q-catchup-historical-runs": (4, "b"),
        "q-sla-miss-recorded": (4, "b"),
    },
    {
        "q-step-functions-model": (4, "b"),
        "q-dagster-primary-abstraction": (4, "b"),
        "q-prefect-runtime-dynamic": (4, "b"),
        "q-aws-state-machine-fit": (4, "b"),
        "q-combining-orchestrators": (4, "b"),
    },
)

CHAPTER_PROMPTS = {
    "q-dag-acyclic-finish": 'What does the "acyclic" requirement of a DAG actually buy you?',
    "q-executor-pod-isolation": (
        "Which executor offers per-task resource isolation at the cost of ~30–60s startup?"
    ),
    "q-catchup-historical-runs": (
        "You ship a new DAG on March 15 with start_date Jan 1 and the default catchup setting"
        " in older Airflow. What happens?"
    ),
    "q-combining-orchestrators": (
        "Which statement about combining orchestrators in mature organizations is most accurate?"
    ),
}

CHAPTER_CHOICES = {
    "q-xcom-size-limit": (
        "~64 KB; XComs serialize to the metadata DB.",
        "No limit; XComs are stored in S3.",
        "~1 GB; XComs use Redis.",
        "~5 MB; XComs are gzipped to disk.",
    ),
    "q-idempotent-ds-key": (
        "datetime.now().date()",
        "{{ ds }} (execution date)",
        "uuid4()",
        "{{ random_seed }}",
    ),
}

BEYOND_TAG = "beyond-chapter"
BEYOND_NOTE = "Not in the surviving text of the chapter"
LOST_LIST_SECTIONS = ("1.2", "1.4", "2.1", "2.3", "2.5", "2.6")
"""Sections whose lists are missing from the copy of the chapter; each needs a marked card."""

POSITIONAL_ID = re.compile(r"^(?:q|kp|p|part|question|key-?point|card|item)?[-_.]?\d+$")


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(DECK_PATH)


def _questions(deck: Deck) -> list[Question]:
    return [question for part in deck.parts for question in part.questions]


def _key_points(deck: Deck) -> list[KeyPoint]:
    return [key_point for part in deck.parts for key_point in part.key_points]


def test_file_starts_with_the_schema_line() -> None:
    assert DECK_PATH.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    schema = (DECK_PATH.parent / SCHEMA_LINE.split("$schema=", 1)[1]).resolve()
    assert schema.is_file()


def test_deck_identity(deck: Deck) -> None:
    assert deck.id == "airflow-mwaa"
    assert deck.version == "1.0"
    assert deck.source is not None
    assert "Workflow Orchestration with Airflow and MWAA" in deck.source.title


def test_three_parts_with_the_chapter_titles_in_order(deck: Deck) -> None:
    assert tuple(part.title for part in deck.parts) == PART_TITLES
    assert [part.id for part in deck.parts] == [
        "airflow-foundations",
        "mwaa-production-patterns",
        "alternative-orchestrators",
    ]


def test_each_check_asks_the_chapters_five_questions_in_order(deck: Deck) -> None:
    for part, expected in zip(deck.parts, EXPECTED_QUESTIONS, strict=True):
        for check in ("pre", "post"):
            asked = [question.id for question in part.check_questions(check)]
            assert asked == list(expected), (part.id, check)
        assert [question.id for question in part.questions] == list(expected)


def test_choice_counts_and_the_one_correct_answer(deck: Deck) -> None:
    expected = {qid: value for part in EXPECTED_QUESTIONS for qid, value in part.items()}
    for question in _questions(deck):
        count, correct = expected[question.id]
        assert len(question.choices) == count, question.id
        assert question.correct_choice_ids == frozenset({correct}), question.id
        assert [choice.id for choice in question.choices] == list("abcd"[:count])


def test_every_choice_is_explained_and_names_a_section(deck: Deck) -> None:
    for question in _questions(deck):
        for choice in question.choices:
            assert choice.explanation and choice.explanation.strip(), (question.id, choice.id)
            text = choice.explanation.lower()
            assert re.search(r"sections? \d\.\d", text), (question.id, choice.id)


def test_questions_name_a_section_of_their_own_part(deck: Deck) -> None:
    for part, sections in zip(deck.parts, PART_SECTIONS, strict=True):
        for question in part.questions:
            assert question.section in sections, question.id


def test_no_question_needs_a_fixed_order(deck: Deck) -> None:
    """No choice says "all of the above" or "both", so every question may shuffle."""
    for question in _questions(deck):
        texts = " ".join(choice.text.lower() for choice in question.choices)
        needs_order = "of the above" in texts or re.search(r"\bboth\b", texts) is not None
        assert question.shuffle is not needs_order, question.id


def test_prompts_and_choices_match_the_chapter_word_for_word(deck: Deck) -> None:
    for question_id, prompt in CHAPTER_PROMPTS.items():
        question = deck.item(question_id)
        assert isinstance(question, Question)
        assert question.prompt == prompt
    for question_id, texts in CHAPTER_CHOICES.items():
        question = deck.item(question_id)
        assert isinstance(question, Question)
        assert tuple(choice.text for choice in question.choices) == texts


def test_key_points_cover_every_section(deck: Deck) -> None:
    for part, sections in zip(deck.parts, PART_SECTIONS, strict=True):
        assert 8 <= len(part.key_points) <= 15, part.id
        covered = {key_point.section for key_point in part.key_points}
        assert covered == set(sections), part.id


def test_ids_are_unique_meaningful_and_not_positional(deck: Deck) -> None:
    item_ids = [item.id for item in deck.items()]
    part_ids = [part.id for part in deck.parts]
    assert len(set(item_ids)) == len(item_ids)
    assert len(set(part_ids)) == len(part_ids)
    for item_id in [*item_ids, *part_ids]:
        assert POSITIONAL_ID.match(item_id) is None, item_id
    for question in _questions(deck):
        assert question.id.startswith("q-") and len(question.id) > 6, question.id
    for key_point in _key_points(deck):
        assert key_point.id.startswith("kp-") and len(key_point.id) > 7, key_point.id


def test_beyond_chapter_cards_say_so(deck: Deck) -> None:
    for item in deck.items():
        explanation = item.explanation or ""
        if BEYOND_TAG in item.tags:
            assert BEYOND_NOTE in explanation, item.id
        else:
            assert BEYOND_NOTE not in explanation, item.id


def test_every_lost_list_has_a_marked_key_point(deck: Deck) -> None:
    marked = {kp.section for kp in _key_points(deck) if BEYOND_TAG in kp.tags}
    assert marked == set(LOST_LIST_SECTIONS)


def test_nuances_are_stated(deck: Deck) -> None:
    xcom = deck.item("q-xcom-size-limit").explanation or ""
    assert "backend" in xcom
    sla = deck.item("q-sla-miss-recorded").explanation or ""
    assert "Airflow 3.0" in sla and "Deadline Alerts" in sla
    schedule = deck.item("kp-dag-args-schedule-catchup").explanation or ""
    assert "`schedule`" in schedule and "2.4" in schedule


@pytest.mark.parametrize(
    "needle",
    [
        "30 seconds",
        "5–10 s",
        "30–60 s",
        "64 KB",
        "mw1.small | 1 | 4 GB | 5 | ~$0.49",
        "mw1.medium | 2 | 8 GB | 10 | ~$0.98",
        "mw1.large | 4 | 16 GB | 10+ (configurable) | ~$1.96",
        "$720/month",
        "20–30 minute",
        "6 hours a day",
        "$0.000025 per transition",
        "{{ ds }}",
        "delete-then-insert",
        "catchup=False",
        "retry_delay",
        "execution_timeout",
        "73 historical runs",
        "Dynamic Task Mapping",
    ],
)
def test_key_point_backs_carry_the_key_figures(deck: Deck, needle: str) -> None:
    backs = "\n".join(key_point.back for key_point in _key_points(deck))
    assert needle in backs


def test_exported_handout_has_the_figures_and_answer_key(deck: Deck) -> None:
    handout = deck_to_markdown(deck)
    for needle in ("30 seconds", "$720", "20–30", "$0.000025", "`sla=timedelta(hours=2)`"):
        assert needle in handout, needle
    assert "## Answer key" in handout
    assert handout.count(" (right): ") == 15


def test_validates_like_quiztui_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_file(DECK_PATH) == []
    entries = {
        entry.path.resolve(): entry
        for entry in load_decks((path, "bundled") for path in deck_files_in(DECKS_DIR))
    }
    entry = entries[DECK_PATH.resolve()]
    assert entry.ok and entry.problems == ()
    status = validate_command.run(argparse.Namespace(paths=[DECK_PATH], quiet=False))
    out = capsys.readouterr().out
    assert status == 0, out
    assert re.search(r"airflow-mwaa: 3 parts, \d+ key points, 15 questions", out), out
    assert out.strip().endswith("all valid")
