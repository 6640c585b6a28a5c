"""QTI 1.2 packages for Canvas: a deck's questions as a quiz an instructor can import.

The package is a zip with `imsmanifest.xml` (one resource of type `imsqti_xmlv1p2`) and the
assessment: one section per part, one item per question. Each item carries Canvas's metadata
(`question_type` is `multiple_choice_question` or `multiple_answers_question`, one point), the
prompt and choices as HTML (`response_lid`, single or multiple cardinality, shuffled unless the
question says not), the scoring (a single-answer item is right when its correct choice is picked; a
multiple-answer item when exactly its correct choices are), the question's explanation as general
feedback and each choice's explanation as that choice's feedback. Key points are left out: QTI
has no flashcards.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from quiztui.deck.model import Deck, Question
from quiztui.formats.html_text import markdown_to_html

QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
"""Every member's timestamp, so the same deck always makes the same bytes."""


def ident(*parts: str) -> str:
    """An XML-safe identifier made from quiztui ids (which may start with a digit)."""
    return "quiztui_" + "_".join(re.sub(r"[^A-Za-z0-9_.-]", "_", part) for part in parts)


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    metadata = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(metadata, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, markdown: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", texttype="text/html").text = markdown_to_html(markdown)


def _item(section: ET.Element, deck: Deck, question: Question) -> None:
    choice_idents = {choice.id: ident(question.id, choice.id) for choice in question.choices}
    item = ET.SubElement(section, "item", ident=ident(deck.id, question.id), title=question.id)
    metadata = ET.SubElement(item, "itemmetadata")
    kind = "multiple_answers_question" if question.multiple else "multiple_choice_question"
    _metadata(
        metadata,
        {
            "question_type": kind,
            "points_possible": "1.0",
            "original_answer_ids": ",".join(choice_idents.values()),
        },
    )
    presentation = ET.SubElement(item, "presentation")
    _material(presentation, question.prompt)
    response = ET.SubElement(
        presentation,
        "response_lid",
        ident="response1",
        rcardinality="Multiple" if question.multiple else "Single",
    )
    render = ET.SubElement(response, "render_choice", shuffle="Yes" if question.shuffle else "No")
    for choice in question.choices:
        label = ET.SubElement(render, "response_label", ident=choice_idents[choice.id])
        _material(label, choice.text)

    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(
        outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal"
    )
    if question.explanation:
        condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(condition, "conditionvar"), "other")
        ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    for choice in question.choices:
        if choice.explanation:
            condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
            test = ET.SubElement(condition, "conditionvar")
            ET.SubElement(test, "varequal", respident="response1").text = choice_idents[choice.id]
            ET.SubElement(
                condition,
                "displayfeedback",
                feedbacktype="Response",
                linkrefid=f"{choice_idents[choice.id]}_fb",
            )
    correct = ET.SubElement(processing, "respcondition", {"continue": "No"})
    test = ET.SubElement(correct, "conditionvar")
    if question.multiple:
        test = ET.SubElement(test, "and")
    for choice in question.choices:
        if choice.correct:
            ET.SubElement(test, "varequal", respident="response1").text = choice_idents[choice.id]
        elif question.multiple:
            wrong = ET.SubElement(test, "not")
            ET.SubElement(wrong, "varequal", respident="response1").text = choice_idents[choice.id]
    ET.SubElement(correct, "setvar", action="Set", varname="SCORE").text = "100"

    feedback_texts = [("general_fb", question.explanation)] + [
        (f"{choice_idents[choice.id]}_fb", choice.explanation) for choice in question.choices
    ]
    for feedback_ident, text in feedback_texts:
        if text:
            feedback = ET.SubElement(item, "itemfeedback", ident=feedback_ident)
            _material(ET.SubElement(feedback, "flow_mat"), text)


def assessment_xml(deck: Deck) -> str:
    """The QTI 1.2 assessment: a section per part, an item per question."""
    root = ET.Element("questestinterop", xmlns=QTI_NAMESPACE)
    assessment = ET.SubElement(root, "assessment", ident=ident(deck.id), title=deck.title)
    _metadata(assessment, {"cc_maxattempts": "1"})
    top = ET.SubElement(assessment, "section", ident="root_section")
    for part in deck.parts:
        if not part.questions:
            continue
        section = ET.SubElement(top, "section", ident=ident(deck.id, part.id), title=part.title)
        for question in part.questions:
            _item(section, deck, question)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def manifest_xml(deck: Deck, assessment_path: str) -> str:
    """The package's manifest, naming the assessment as a QTI 1.2 resource."""
    root = ET.Element("manifest", identifier=ident(deck.id, "manifest"), xmlns=MANIFEST_NAMESPACE)
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    resource = ET.SubElement(
        resources, "resource", identifier=ident(deck.id), type="imsqti_xmlv1p2"
    )
    ET.SubElement(resource, "file", href=assessment_path)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def deck_to_qti(deck: Deck) -> tuple[bytes, list[str]]:
    """The deck's questions as a QTI 1.2 zip package, and notes on what was left out."""
    assessment_path = f"{ident(deck.id)}/{ident(deck.id)}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("imsmanifest.xml", manifest_xml(deck, assessment_path)),
            (assessment_path, assessment_xml(deck)),
        ):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    key_points = sum(len(part.key_points) for part in deck.parts)
    notes = [f"{key_points} key points left out: QTI has no flashcards"] if key_points else []
    return buffer.getvalue(), notes
