"""The class report as one self-contained HTML file: embedded CSS, inline SVG plots, no URLs.

It opens offline in any browser and makes no request: no fonts, scripts or images from
anywhere. Deck text is Markdown; the report shows it as text, with `code` and **bold** kept.
"""

from __future__ import annotations

import html
import re
from typing import Any

from quiztui.classreport import plots
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

CSS = """
:root { --ink: #1d2733; --muted: #5b6673; --line: #dde2e8; --soft: #f4f6f9;
  --pre: #9db4cf; --post: #1f4e8c; --good: #2e8540; --bad: #c0392b; --warn: #b36b00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 6px; padding-top: 14px; border-top: 2px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
p { margin: 6px 0; }
.meta, .note { color: var(--muted); font-size: 13px; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; background: var(--soft);
  padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13.5px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; background: var(--soft); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.pct { text-align: right; white-space: nowrap; min-width: 60px;
  font-variant-numeric: tabular-nums;
  background: linear-gradient(to right, rgba(31, 78, 140, .16) calc(var(--v) * 100%),
    transparent 0) no-repeat 0 4px / 100% 1.35em; }
td.pct.pre { background-image: linear-gradient(to right, rgba(157, 180, 207, .38)
    calc(var(--v) * 100%), transparent 0); }
.qid { display: block; font: 11.5px ui-monospace, "DejaVu Sans Mono", monospace;
  color: var(--muted); }
.flag { display: inline-block; margin: 1px 4px 1px 0; padding: 0 6px; border-radius: 9px;
  font-size: 11.5px; white-space: nowrap; background: #fdecea; color: var(--bad); }
.flag.minor { background: #fff4e0; color: var(--warn); }
.right { color: var(--good); font-weight: 600; }
td[data-misleading] { color: var(--bad); font-weight: 600; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
  gap: 12px; margin: 18px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .title { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
.card .big { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .big .arrow { color: var(--muted); font-weight: 400; padding: 0 4px; }
.plot { margin: 10px 0; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--post); font-size: 13.5px; }
ul.skipped { font-size: 13.5px; padding-left: 20px; }
dl.defs dt { font-weight: 600; margin-top: 8px; }
dl.defs dd { margin: 2px 0 0 0; color: var(--muted); font-size: 13.5px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { main { max-width: none; } details { display: block; } }
"""


def _text(markdown: str, limit: int | None = None) -> str:
    """Deck Markdown as HTML text: escaped, with `code` and **bold** kept."""
    flat = one_line(markdown, limit) if limit else " ".join(markdown.split())
    escaped = html.escape(flat)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escaped)


def _pct(value: float | None, css: str = "") -> str:
    if value is None:
        return f'<td class="pct {css}">{MISSING}</td>'
    return f'<td class="pct {css}" style="--v: {value:.4f}">{percent(value)}</td>'


def _num(text: str) -> str:
    return f'<td class="num">{html.escape(text)}</td>'


def _flags(question: dict[str, Any]) -> str:
    badges = []
    for flag in question_flags(question):
        minor = "nobody picked" in flag or flag.startswith("pre:")
        badges.append(f'<span class="flag{" minor" if minor else ""}">{html.escape(flag)}</span>')
    return "".join(badges) or MISSING


def _header(document: dict[str, Any]) -> str:
    deck, counts, options = document["deck"], document["class"], document["options"]
    attempts = {
        "first": "each learner's first finished attempt of each check",
        "last": "each learner's last finished attempt of each check",
        "all": "every finished attempt of each check",
    }[options["attempts"]]
    anonymized = " · names anonymized" if options["anonymized"] else ""
    return (
        f"<header><h1>Class report: {html.escape(deck['title'])}</h1>"
        f'<p class="meta">{learners(counts["learners"])} · deck <code>{html.escape(deck["id"])}'
        f"</code> version {html.escape(deck['version'])} · {attempts}{anonymized} · generated"
        f" {html.escape(document['generated_at'])}</p></header>"
    )


def _glance(document: dict[str, Any]) -> str:
    cards = []
    for n, part in enumerate(document["parts"], start=1):
        cards.append(
            '<div class="card">'
            f'<div class="title">Part {n}: {_text(part["title"], 60)}</div>'
            f'<div class="big">{percent(part["pre"]["facility"])}<span class="arrow">→</span>'
            f"{percent(part['post']['facility'])}</div>"
            f'<div class="note">pre → post-check · normalized gain'
            f" {index(part['normalized_gain'])}</div></div>"
        )
    return f'<section class="glance">{"".join(cards)}</section>'


def _skipped(document: dict[str, Any]) -> str:
    counts = document["class"]
    if not counts["skipped"]:
        return ""
    items = (
        "".join(
            f"<li><code>{html.escape(s['file'])}</code>: {html.escape(s['reason'])}</li>"
            for s in document["skipped"]
        )
        or "<li>(not listed in an anonymized report)</li>"
    )
    return (
        f"<section><h2>Files left out ({counts['skipped']} of {counts['files']})</h2>"
        f'<ul class="skipped">{items}</ul></section>'
    )


def _question_table(part: dict[str, Any]) -> str:
    rows = []
    for q in part["questions"]:
        rows.append(
            "<tr>"
            f'<td><span class="qid">{html.escape(q["id"])}</span>{_text(q["prompt"])}</td>'
            f"{_pct(check_facility(q, 'pre'), 'pre')}{_pct(check_facility(q, 'post'))}"
            f"{_num(index(q['normalized_gain']))}{_num(index(q['mean_learner_gain']))}"
            f"{_num(index(check_figure(q, 'pre', 'discrimination')))}"
            f"{_num(index(check_figure(q, 'post', 'discrimination')))}"
            f"<td>{_flags(q)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Question</th><th class='num'>Pre</th><th class='num'>Post</th>"
        "<th class='num'>Gain</th><th class='num'>Learners' gain</th>"
        "<th class='num'>Discr. pre</th><th class='num'>Discr. post</th><th>Flags</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _responses_table(part: dict[str, Any]) -> str:
    rows = []
    for q in part["questions"]:
        choices = plots.choices_of(q)
        for n, (choice_id, text, correct) in enumerate(choices):
            cells = []
            for check in ("pre", "post"):
                figures = q[check]
                response = (
                    next((r for r in figures["responses"] if r["choice"] == choice_id), None)
                    if figures
                    else None
                )
                cells.append(_pct(None if response is None else response["share"], check))
                if response is not None and response["misleading"]:
                    cells[-1] = cells[-1].replace("<td ", '<td data-misleading="yes" ', 1)
            mark = '<span class="right">✓</span> ' if correct else ""
            rows.append(
                "<tr>"
                + (
                    f'<td rowspan="{len(choices)}"><span class="qid">{html.escape(q["id"])}'
                    f"</span>{_text(q['prompt'], 70)}</td>"
                    if n == 0
                    else ""
                )
                + f"<td>{mark}<code>{html.escape(choice_id)}</code> {_text(text)}</td>"
                + "".join(cells)
                + "</tr>"
            )
    return (
        "<details><summary>Response shares as a table</summary><table><thead><tr>"
        "<th>Question</th><th>Choice</th><th class='num'>Pre</th><th class='num'>Post</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _part(number: int, part: dict[str, Any]) -> str:
    summary = part_summary(part)
    body = [
        f"<section><h2>Part {number}: {_text(part['title'])}</h2><p>{html.escape(summary)}</p>",
        "<h3>Facility before and after reading</h3>",
    ]
    answered = any(q["pre"] or q["post"] for q in part["questions"])
    if answered:
        body.append(f'<div class="plot">{plots.facility_plot(part)}</div>')
        body.append(_question_table(part))
        body.append("<h3>Responses</h3>")
        body.append(f'<div class="plot">{plots.responses_plot(part)}</div>')
        body.append(_responses_table(part))
    elif part["questions"]:
        body.append('<p class="note">No learner has taken this part\'s checks yet.</p>')
        body.append(_question_table(part))
    else:
        body.append('<p class="note">This part has no questions.</p>')
    body.append("</section>")
    return "".join(body)


def _over_time(document: dict[str, Any]) -> str:
    body = ["<section><h2>Over time</h2>"]
    plot = plots.retention_plot(document["parts"])
    if plot is None:
        body.append('<p class="note">No daily reviews after a post-check yet.</p>')
    else:
        body.append(
            "<h3>Retention after the post-check</h3><p class='note'>The share of daily reviews"
            " of each part's items that the learners recalled (grade 3 or more), by week after"
            f' the learner\'s post-check of the part.</p><div class="plot">{plot}</div>'
        )
        for n, part in enumerate(document["parts"], start=1):
            if not part["retention"]:
                continue
            rows = "".join(
                f"<tr>{_num(str(w['week']))}{_num(str(w['reviews']))}{_num(str(w['learners']))}"
                f"{_pct(w['recalled'])}</tr>"
                for w in part["retention"]
            )
            body.append(
                f"<details><summary>Part {n}: {_text(part['title'])}, week by week</summary>"
                "<table><thead><tr><th class='num'>Week</th><th class='num'>Reviews</th>"
                "<th class='num'>Learners</th><th class='num'>Recalled</th></tr></thead>"
                f"<tbody>{rows}</tbody></table></details>"
            )
    if document["lapses"]:
        rows = "".join(
            f'<tr><td><span class="qid">{html.escape(i["item_id"])}</span>{_text(i["text"])}</td>'
            f"<td>{html.escape(i['part_id'])}</td>{_num(str(i['lapses']))}"
            f"{_num(str(i['learners']))}</tr>"
            for i in document["lapses"]
        )
        body.append(
            "<h3>Most lapsed items</h3><p class='note'>A lapse: an item recalled at one review"
            " and forgotten at the next that changed its schedule.</p><table><thead><tr>"
            "<th>Item</th><th>Part</th><th class='num'>Lapses</th><th class='num'>Learners</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    body.append("</section>")
    return "".join(body)


def _learners(document: dict[str, Any]) -> str:
    heads = "".join(
        f"<th class='num' colspan='2'>Part {n}</th>" for n in range(1, len(document["parts"]) + 1)
    )
    rows = []
    for learner in document["learners"]:
        cells = "".join(f"{_pct(p['pre'], 'pre')}{_pct(p['post'])}" for p in learner["parts"])
        rows.append(
            f"<tr><td>{html.escape(learner['name'])}</td>{cells}"
            f"{_num(str(learner['items_learned']))}"
            f"{_num(learner['last_active_day'] or MISSING)}</tr>"
        )
    return (
        "<section><h2>Learners</h2><p class='note'>Pre- and post-check score per part (light:"
        " pre, dark: post), items learned (recalled at their last review) and the last day with"
        " an answer.</p><table><thead><tr><th>Learner</th>"
        f"{heads}<th class='num'>Learned</th><th class='num'>Last active</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


_DEFINITIONS = (
    ("Facility", "The share of learners who answered the question right."),
    (
        "Discrimination",
        "The correlation (Pearson) between the question's score and the learner's score on the"
        " other questions of the same check. Good questions are above 0.2; a negative value"
        " means stronger learners did worse on it. Blank with fewer than 5 learners or when"
        " everyone answered alike.",
    ),
    (
        "Gain",
        "The normalized gain of the class averages, (post − pre) / (100% − pre): the share of"
        " what was not known before that was known after. Learners' gain is the mean of each"
        " learner's own gain, where it is defined.",
    ),
    (
        "Flags",
        "A wrong choice picked more often than the right one suggests a misleading question"
        " (expected before reading, a warning after it); a distractor nobody picks does no work.",
    ),
)


def render_html(document: dict[str, Any]) -> str:
    """The whole report as one HTML page."""
    from quiztui import __version__

    title = html.escape(f"Class report: {document['deck']['title']}")
    definitions = "".join(
        f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>" for term, text in _DEFINITIONS
    )
    parts = "".join(_part(n, part) for n, part in enumerate(document["parts"], start=1))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body><main>"
        f"{_header(document)}{_glance(document)}{_skipped(document)}{parts}"
        f"{_over_time(document)}{_learners(document)}"
        f'<section><h2>How to read this report</h2><dl class="defs">{definitions}</dl></section>'
        f"<footer>Made by quiztui {html.escape(__version__)} from {document['class']['learners']}"
        " learners' progress exports.</footer></main></body></html>\n"
    )
