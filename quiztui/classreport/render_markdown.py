"""The class report as Markdown: the same sections and figures as the HTML, without the plots."""

from __future__ import annotations

from typing import Any

from quiztui.classreport.render_text import (
    MISSING,
    check_facility,
    check_figure,
    index,
    learners,
    one_line,
    part_summary,
    percent,
    question_flags,
)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return one_line(text).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _summary(document: dict[str, Any]) -> list[str]:
    deck, counts, options = document["deck"], document["class"], document["options"]
    lines = [
        f"# Class report: {deck['title']}",
        "",
        f"{learners(counts['learners'])} · deck `{deck['id']}` version {deck['version']} ·"
        f" {options['attempts']} finished attempt{'s' if options['attempts'] == 'all' else ''}"
        f" of each check · generated {document['generated_at']}",
    ]
    if counts["skipped"]:
        lines += ["", f"## Files left out ({counts['skipped']} of {counts['files']})", ""]
        if document["skipped"]:
            lines += [f"- `{s['file']}`: {s['reason']}" for s in document["skipped"]]
        else:
            lines.append("- (not listed in an anonymized report)")
    return lines


def _part(number: int, part: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Part {number}: {part['title']}",
        "",
        part_summary(part),
        "",
    ]
    rows = []
    for q in part["questions"]:
        rows.append(
            [
                f"`{q['id']}` {_cell(q['prompt'])}",
                percent(check_facility(q, "pre")),
                percent(check_facility(q, "post")),
                index(q["normalized_gain"]),
                index(check_figure(q, "pre", "discrimination")),
                index(check_figure(q, "post", "discrimination")),
                _cell("; ".join(question_flags(q))) or MISSING,
            ]
        )
    lines += _table(["Question", "Pre", "Post", "Gain", "Discr. pre", "Discr. post", "Flags"], rows)
    lines += ["", "Responses (share of answers picking each choice; ✓ marks a right one):", ""]
    rows = []
    for q in part["questions"]:
        by_choice: dict[str, dict[str, Any]] = {}
        for check in ("pre", "post"):
            for r in check_figure(q, check, "responses") or []:
                by_choice.setdefault(r["choice"], {"text": r["text"], "correct": r["correct"]})
                by_choice[r["choice"]][check] = r
        for n, (choice, seen) in enumerate(by_choice.items()):
            notes = []
            for check in ("pre", "post"):
                r = seen.get(check)
                if r is not None and r["misleading"]:
                    notes.append(f"misleading ({check})")
                if r is not None and r["never_picked"]:
                    notes.append(f"never picked ({check})")
            rows.append(
                [
                    f"`{q['id']}`" if n == 0 else "",
                    f"{'✓ ' if seen['correct'] else ''}{choice}: {_cell(seen['text'])}",
                    percent(seen["pre"]["share"]) if "pre" in seen else MISSING,
                    percent(seen["post"]["share"]) if "post" in seen else MISSING,
                    ", ".join(notes),
                ]
            )
    lines += _table(["Question", "Choice", "Pre", "Post", "Note"], rows)
    if part["retention"]:
        lines += ["", "Retention in the weeks after the post-check (daily reviews recalled):", ""]
        lines += _table(
            ["Week", "Reviews", "Learners", "Recalled"],
            [
                [str(w["week"]), str(w["reviews"]), str(w["learners"]), percent(w["recalled"])]
                for w in part["retention"]
            ],
        )
    return lines


def _lapses(document: dict[str, Any]) -> list[str]:
    if not document["lapses"]:
        return []
    lines = ["", "## Most lapsed items (recalled once, then forgotten)", ""]
    return lines + _table(
        ["Item", "Part", "Lapses", "Learners"],
        [
            [
                f"`{i['item_id']}` {_cell(i['text'])}",
                i["part_id"],
                str(i["lapses"]),
                str(i["learners"]),
            ]
            for i in document["lapses"]
        ],
    )


def _learners(document: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## Learners",
        "",
        "Pre → post score per part, items learned, last active day.",
        "",
    ]
    header = ["Learner", *(f"Part {n}" for n in range(1, len(document["parts"]) + 1))]
    header += ["Learned", "Last active"]
    rows = []
    for learner in document["learners"]:
        cells = [_cell(learner["name"])]
        cells += [f"{percent(p['pre'])} → {percent(p['post'])}" for p in learner["parts"]]
        cells += [str(learner["items_learned"]), learner["last_active_day"] or MISSING]
        rows.append(cells)
    return lines + _table(header, rows)


def render_markdown(document: dict[str, Any]) -> str:
    """The whole report as one Markdown document."""
    lines = _summary(document)
    for number, part in enumerate(document["parts"], start=1):
        lines += _part(number, part)
    lines += _lapses(document)
    lines += _learners(document)
    return "\n".join(lines) + "\n"
