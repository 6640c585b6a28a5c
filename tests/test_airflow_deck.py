"""The bundled deck for "Workflow Orchestration with Airflow and MWAA" (decks/airflow-mwaa.yaml).

These tests pin what a learner must see, not the deck's wording: the chapter's fifteen check
questions with their prompts and marked answers, an explanation for every choice, key points for
every section of the chapter, questions beyond the chapter kept out of the checks and marked as
such, no text about how the deck was made, and the facts the expert review corrected. The
chapter itself is not in the repository, so its prompts and answers are pinned here.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiztui.commands import validate as validate_command
from quiztui.deck.export import deck_to_markdown
from quiztui.deck.library import deck_files_in, load_decks
from quiztui.deck.loader import load_deck, validate_file
from quiztui.deck.model import Deck, Item, KeyPoint, Question

DECKS_DIR = Path(__file__).parent.parent / "decks"
DECK_PATH = DECKS_DIR / "airflow-mwaa.yaml"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<schema>\S+)$")

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

# The chapter's check questions, in chapter order, each with its prompt and marked choice.
CHAPTER_QUESTIONS: tuple[dict[str, tuple[str, str]], ...] = (
    {
        "q-dag-acyclic-finish": (
            'What does the "acyclic" requirement of a DAG actually buy you?',
            "a",
        ),
        "q-sensor-reschedule-mode": (
            "A team wants a sensor that does NOT tie up a worker slot while waiting hours for an"
            " upstream file. Which mode should they pick?",
            "b",
        ),
        "q-executor-pod-isolation": (
            "Which executor offers per-task resource isolation at the cost of ~30–60s startup?",
            "c",
        ),
        "q-top-level-code-parse": (
            "Why is calling a slow API at the top of a DAG file an anti-pattern?",
            "b",
        ),
        "q-xcom-size-limit": (
            "Where is the practical size limit for an XCom payload, and why?",
            "a",
        ),
    },
    {
        "q-mwaa-deploy-s3-sync": ("How are DAGs deployed to an MWAA environment?", "c"),
        "q-requirements-txt-restart": (
            "Modifying requirements.txt in the MWAA bucket triggers what?",
            "c",
        ),
        "q-idempotent-ds-key": (
            "Which template variable is the safest key for an idempotent partitioned write?",
            "b",
        ),
        "q-catchup-historical-runs": (
            "You ship a new DAG on March 15 with start_date Jan 1 and the default catchup"
            " setting in older Airflow. What happens?",
            "b",
        ),
        "q-sla-miss-recorded": (
            "A task succeeds at 11 PM but its SLA was 9 AM. What does Airflow do if SLA is set?",
            "b",
        ),
    },
    {
        "q-step-functions-model": ("Step Functions models a workflow primarily as:", "b"),
        "q-dagster-primary-abstraction": ("Dagster's primary abstraction is:", "b"),
        "q-prefect-runtime-dynamic": (
            "Why might a Python-first team pick Prefect over Airflow?",
            "b",
        ),
        "q-aws-state-machine-fit": (
            "A team needs to orchestrate Lambdas, ECS tasks, and SageMaker jobs as a branching"
            " state machine on AWS only. Best fit?",
            "b",
        ),
        "q-combining-orchestrators": (
            "Which statement about combining orchestrators in mature organizations is most"
            " accurate?",
            "b",
        ),
    },
)
CHAPTER_QUESTION_IDS = frozenset(qid for part in CHAPTER_QUESTIONS for qid in part)

# Every key point of version 1.0. Each must still be live, or be named in a `renamed_from`,
# so that a learner's history with it is never dropped.
KEY_POINT_IDS_1_0 = (
    "kp-dag-directed-acyclic",
    "kp-operator-task-instance",
    "kp-scheduler-parse-interval",
    "kp-top-level-code-execute",
    "kp-dag-args-schedule-catchup",
    "kp-sensor-poke-vs-reschedule",
    "kp-task-groups",
    "kp-four-pillars",
    "kp-celery-vs-k8s-startup",
    "kp-connections-variables-xcoms",
    "kp-xcom-small-payloads",
    "kp-mwaa-environment-classes",
    "kp-mwaa-monthly-cost-example",
    "kp-mwaa-worker-autoscaling",
    "kp-mwaa-sizing-strategies",
    "kp-mwaa-s3-deploy",
    "kp-requirements-txt-restart",
    "kp-mwaa-vpc-networking",
    "kp-mwaa-execution-role",
    "kp-idempotent-ds-delete-insert",
    "kp-backfill-two-ways",
    "kp-catchup-false",
    "kp-retries-timeout",
    "kp-sla-parameter",
    "kp-alerting-tiers",
    "kp-step-functions-asl",
    "kp-step-functions-strengths-price",
    "kp-step-functions-weaknesses",
    "kp-dagster-assets",
    "kp-prefect-dynamic-flows",
    "kp-matrix-model-best-for",
    "kp-matrix-dynamic-lineage",
    "kp-matrix-aws-pricing",
    "kp-choose-compute-workload",
    "kp-choose-team-observability",
    "kp-combine-orchestrators",
)

BEYOND_TAG = "beyond-chapter"
BEYOND_MARK = "beyond the chapter"
BEYOND_PROMPT = "(Beyond the chapter)"
SECTIONS_WITH_BEYOND_QUESTIONS = ("2.1", "2.3", "3.4")

MAKING_OF = (
    r"surviving",
    r"\blost\b",
    r"this copy",
    r"copy of the chapter",
    r"reconstruct",
    r"author'?s? note",
)
"""Words that speak of how the deck was made; notes for authors belong in YAML comments."""

POSITIONAL_ID = re.compile(r"^(?:q|kp|p|part|question|key-?point|card|item)?[-_.]?\d+$")
MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{4}\b"
)


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(DECK_PATH)


def _questions(deck: Deck) -> list[Question]:
    return [question for part in deck.parts for question in part.questions]


def _key_points(deck: Deck) -> list[KeyPoint]:
    return [key_point for part in deck.parts for key_point in part.key_points]


def _learner_texts(deck: Deck) -> Iterator[tuple[str, str]]:
    """Every text the app shows a learner, each with where it comes from."""
    yield "deck.title", deck.title
    yield "deck.description", deck.description or ""
    for part in deck.parts:
        yield part.id, f"{part.title}\n{part.description or ''}"
    for item in deck.items():
        yield item.id, _item_text(item)


def _item_text(item: Item) -> str:
    """All the learner-visible text of one key point or question."""
    if isinstance(item, KeyPoint):
        return "\n".join((item.front, item.back, item.explanation or ""))
    choices = (f"{choice.text}\n{choice.explanation or ''}" for choice in item.choices)
    return "\n".join((item.prompt, item.explanation or "", *choices))


def test_file_starts_with_a_schema_modeline() -> None:
    """Editors find the schema from line 1; the path it names must exist."""
    first_line = DECK_PATH.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first_line)
    assert match is not None, first_line
    assert (DECK_PATH.parent / match["schema"]).resolve().is_file()


def test_deck_identity(deck: Deck) -> None:
    assert deck.id == "airflow-mwaa"
    assert deck.version == "1.1"
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
    for part, expected in zip(deck.parts, CHAPTER_QUESTIONS, strict=True):
        for check in ("pre", "post"):
            assert list(part.check_question_ids(check)) == list(expected), (part.id, check)


@pytest.mark.parametrize(
    ("question_id", "prompt", "correct"),
    [
        (qid, prompt, correct)
        for part in CHAPTER_QUESTIONS
        for qid, (prompt, correct) in part.items()
    ],
)
def test_the_chapters_questions_keep_their_prompts_and_answers(
    deck: Deck, question_id: str, prompt: str, correct: str
) -> None:
    question = deck.item(question_id)
    assert isinstance(question, Question)
    assert question.prompt == prompt
    assert question.correct_choice_ids == frozenset({correct})
    assert [choice.id for choice in question.choices] == ["a", "b", "c", "d"]
    assert not question.multiple
    assert BEYOND_TAG not in question.tags


def test_every_choice_is_explained(deck: Deck) -> None:
    for question in _questions(deck):
        for choice in question.choices:
            assert choice.explanation and choice.explanation.strip(), (question.id, choice.id)


def test_the_chapters_questions_say_where_each_explanation_comes_from(deck: Deck) -> None:
    for question in _questions(deck):
        if question.id in CHAPTER_QUESTION_IDS:
            for choice in question.choices:
                text = (choice.explanation or "").lower()
                assert re.search(r"sections? \d\.\d", text), (question.id, choice.id)


def test_questions_name_a_section_of_their_own_part(deck: Deck) -> None:
    for part, sections in zip(deck.parts, PART_SECTIONS, strict=True):
        for question in part.questions:
            assert question.section in sections, question.id


def test_every_section_is_covered_by_key_points(deck: Deck) -> None:
    for part, sections in zip(deck.parts, PART_SECTIONS, strict=True):
        named = {key_point.section for key_point in part.key_points} - {None}
        assert named == set(sections), part.id


def test_beyond_chapter_questions_are_tagged_marked_and_in_no_check(deck: Deck) -> None:
    for question in _questions(deck):
        beyond = BEYOND_TAG in question.tags
        assert beyond is (question.id not in CHAPTER_QUESTION_IDS), question.id
        if beyond:
            assert question.checks == frozenset(), question.id
            assert question.prompt.startswith(BEYOND_PROMPT), question.id
            assert BEYOND_MARK in (question.explanation or "").lower(), question.id
        else:
            assert not question.prompt.startswith(BEYOND_PROMPT), question.id


@pytest.mark.parametrize("section", SECTIONS_WITH_BEYOND_QUESTIONS)
def test_sections_without_chapter_questions_have_beyond_chapter_ones(
    deck: Deck, section: str
) -> None:
    asked = [q.id for q in _questions(deck) if q.section == section and BEYOND_TAG in q.tags]
    assert asked, section


def test_beyond_chapter_key_points_say_so_and_no_others_do(deck: Deck) -> None:
    for key_point in _key_points(deck):
        says_so = BEYOND_MARK in (key_point.explanation or "").lower()
        assert says_so is (BEYOND_TAG in key_point.tags), key_point.id


@pytest.mark.parametrize("pattern", MAKING_OF)
def test_no_learner_text_speaks_of_how_the_deck_was_made(deck: Deck, pattern: str) -> None:
    for where, text in _learner_texts(deck):
        assert re.search(pattern, text, re.IGNORECASE) is None, (where, pattern)


@pytest.mark.parametrize(
    ("item_id", "needles"),
    [
        ("kp-four-pillars", ("Airflow 3", "API server", "DAG processor", "Task Execution API")),
        ("kp-scheduler-parse-interval", ("Airflow 3", "DAG processor")),
        ("q-top-level-code-parse", ("Airflow 3", "DAG processor")),
        ("kp-dag-schedule-daily", ("Airflow 3", "`schedule`")),
        ("kp-catchup-default", ("Airflow 3", "False")),
        ("q-catchup-historical-runs", ("Airflow", "3.0", "False")),
        ("kp-sla-parameter", ("Airflow 3", "Deadline Alerts")),
        ("q-sla-miss-recorded", ("Airflow 3", "Deadline Alerts")),
        ("kp-subdags-removed", ("Airflow 3",)),
        ("q-executor-pod-isolation", ("Airflow 3",)),
        ("kp-operator-task-instance", ("SQLExecuteQueryOperator",)),
        ("kp-idempotent-ds-delete-insert", ("SQLExecuteQueryOperator",)),
        ("kp-backfill-command", ("Airflow 3", "backfill create")),
        ("kp-deferrable-sensors", ("triggerer",)),
    ],
)
def test_airflow_3_is_named_where_the_chapter_describes_airflow_2(
    deck: Deck, item_id: str, needles: tuple[str, ...]
) -> None:
    text = _item_text(deck.item(item_id))
    for needle in needles:
        assert needle in text, (item_id, needle)


@pytest.mark.parametrize(
    ("item_id", "needles"),
    [
        ("kp-mwaa-environment-classes", ("mw1.micro", "mw1.xlarge", "mw1.2xlarge")),
        ("kp-mwaa-worker-memory", ("2 GB", "4 GB", "8 GB")),
        ("kp-mwaa-tasks-per-worker", ("**5**", "**10**", "**20**")),
        ("kp-mwaa-bucket-versioning", ("requires",)),
        ("kp-mwaa-object-version", ("object version",)),
        ("kp-mwaa-execution-role", ("service-role/AmazonMWAA-",)),
        ("kp-mwaa-monthly-cost-example", ("9 workers", "$720")),
        ("kp-mwaa-vpc-endpoints", ("monitoring", "ecr.api", "ecr.dkr")),
        ("kp-matrix-aws-integration", ("integrations",)),
    ],
)
def test_the_reviews_corrections_are_taught(
    deck: Deck, item_id: str, needles: tuple[str, ...]
) -> None:
    text = _item_text(deck.item(item_id))
    for needle in needles:
        assert needle in text, (item_id, needle)


@pytest.mark.parametrize("figure", ["16 GB", "10+", "$0.98", "$1.96", "AWSMWAA-"])
def test_the_chapters_wrong_figures_appear_only_as_the_chapters(deck: Deck, figure: str) -> None:
    for item in deck.items():
        text = _item_text(item)
        if figure in text:
            assert "chapter" in text.lower() or "Figure 9" in text, (item.id, figure)


def test_prices_are_hedged_and_dated_or_the_chapters(deck: Deck) -> None:
    priced = [kp for kp in _key_points(deck) if "cost" in kp.tags and "$" in kp.back]
    assert len(priced) >= 5
    for key_point in priced:
        text = _item_text(key_point)
        assert re.search(r"\bvary\b|\bchange", text), key_point.id
        assert MONTH_YEAR.search(key_point.back) or "chapter" in key_point.back, key_point.id


@pytest.mark.parametrize(
    "item_id",
    ["kp-task-instance-lifecycle", "kp-dag-import-test-ci", "kp-orchestrator-not-data-mover"],
)
def test_the_reviews_missing_cards_are_added(deck: Deck, item_id: str) -> None:
    assert isinstance(deck.item(item_id), KeyPoint)


def test_every_key_point_of_version_1_0_keeps_its_history(deck: Deck) -> None:
    live = {key_point.id for key_point in _key_points(deck)}
    renamed = {old for key_point in _key_points(deck) for old in key_point.renamed_from}
    for old_id in KEY_POINT_IDS_1_0:
        assert (old_id in live) is not (old_id in renamed), old_id


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


def test_no_question_needs_a_fixed_order(deck: Deck) -> None:
    """No choice says "all of the above" or "both", so every question may shuffle."""
    for question in _questions(deck):
        texts = " ".join(choice.text.lower() for choice in question.choices)
        needs_order = "of the above" in texts or re.search(r"\bboth\b", texts) is not None
        assert question.shuffle is not needs_order, question.id


def test_no_explanation_points_at_a_choice_by_its_letter(deck: Deck) -> None:
    """Choices are shuffled, so "choice d" or "(b)" would name the wrong one."""
    for question in _questions(deck):
        texts = [question.explanation or ""] + [c.explanation or "" for c in question.choices]
        for text in texts:
            assert re.search(r"\bchoice [a-e]\b|\([a-e]\)", text) is None, question.id


def test_exported_handout_has_the_answer_key(deck: Deck) -> None:
    handout = deck_to_markdown(deck)
    assert "## Answer key" in handout
    correct = sum(len(question.correct_choice_ids) for question in _questions(deck))
    assert handout.count(" (right): ") == correct


def test_validates_like_quiztui_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_file(DECK_PATH) == []
    entries = {
        entry.path.resolve(): entry
        for entry in load_decks((path, "bundled") for path in deck_files_in(DECKS_DIR))
    }
    entry = entries[DECK_PATH.resolve()]
    assert entry.ok and entry.problems == ()
    status = validate_command.run(argparse.Namespace(paths=[DECKS_DIR], quiet=False))
    out = capsys.readouterr().out
    assert status == 0, out
    assert re.search(r"airflow-mwaa: 3 parts, \d+ key points, \d+ questions", out), out
    assert out.strip().endswith("all valid")
