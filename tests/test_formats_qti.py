"""QTI 1.2 for Canvas: a well-formed package with every question and its correct choices."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from formats_helpers import FORMATS_DIR

from quiztui.deck.loader import load_deck
from quiztui.formats.qti import QTI_NAMESPACE, deck_to_qti, ident
from quiztui.locations import bundled_decks_dir

NS = {"q": QTI_NAMESPACE}


def test_every_question_and_its_correct_choices_are_there() -> None:
    for path in [FORMATS_DIR.parent / "valid-deck.yaml", bundled_decks_dir() / "airflow-mwaa.yaml"]:
        deck = load_deck(path)
        data, notes = deck_to_qti(deck)
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = archive.read("imsmanifest.xml").decode()
        href = f"{ident(deck.id)}/{ident(deck.id)}.xml"
        assert f'href="{href}"' in manifest and 'type="imsqti_xmlv1p2"' in manifest
        root = ET.fromstring(archive.read(href))  # well-formed, or this raises
        items = {item.get("title"): item for item in root.iterfind(".//q:item", NS)}
        questions = [q for part in deck.parts for q in part.questions]
        assert list(items) == [q.id for q in questions]
        for question in questions:
            item = items[question.id]
            kind = item.find(".//q:qtimetadatafield[q:fieldlabel='question_type']/q:fieldentry", NS)
            assert kind is not None
            expected = (
                "multiple_answers_question" if question.multiple else "multiple_choice_question"
            )
            assert kind.text == expected
            scoring = [
                c for c in item.iterfind(".//q:respcondition", NS) if c.get("continue") == "No"
            ]
            assert len(scoring) == 1
            right = {
                v.text
                for v in scoring[0].iterfind(".//q:varequal", NS)
                if v not in set(scoring[0].iterfind(".//q:not/q:varequal", NS))
            }
            assert right == {ident(question.id, c) for c in question.correct_choice_ids}
            labels = [label.get("ident") for label in item.iterfind(".//q:response_label", NS)]
            assert labels == [ident(question.id, c.id) for c in question.choices]
            feedback = {fb.get("ident") for fb in item.iterfind("q:itemfeedback", NS)}
            for choice in question.choices:
                assert (f"{ident(question.id, choice.id)}_fb" in feedback) == bool(
                    choice.explanation
                )
            assert ("general_fb" in feedback) == bool(question.explanation)
        key_points = sum(len(part.key_points) for part in deck.parts)
        assert notes == [f"{key_points} key points left out: QTI has no flashcards"]


def test_same_deck_same_bytes() -> None:
    deck = load_deck(FORMATS_DIR.parent / "valid-deck.yaml")
    assert deck_to_qti(deck)[0] == deck_to_qti(deck)[0]


def test_text_is_html_and_escaped() -> None:
    deck = load_deck(FORMATS_DIR.parent / "valid-deck.yaml")
    data, _ = deck_to_qti(deck)
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read(f"{ident(deck.id)}/{ident(deck.id)}.xml").decode()
    assert "&lt;p&gt;Is &lt;code&gt;No&lt;/code&gt; a boolean in a deck?&lt;/p&gt;" in xml
    assert 'rcardinality="Multiple"' in xml and 'shuffle="No"' in xml
