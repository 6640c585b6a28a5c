"""Generate a large, realistic deck in format v1 from a fixed seed.

The benchmarks need a deck far bigger than any chapter (10,000 items by default) whose text lengths
look like real study material, with some multiple-answer and some no-shuffle questions, so that
loading, validating, queueing and rendering are measured on what a real big deck would cost.
10,000 items make about 10 MB of YAML.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "scheduler",
    "executor",
    "worker",
    "metadata",
    "database",
    "task",
    "instance",
    "operator",
    "sensor",
    "retry",
    "backfill",
    "catchup",
    "partition",
    "idempotent",
    "upstream",
    "downstream",
    "lineage",
    "asset",
    "flow",
    "state",
    "machine",
    "transition",
    "queue",
    "broker",
    "cluster",
    "pod",
    "latency",
    "throughput",
    "bucket",
    "prefix",
    "deploy",
    "rollback",
    "environment",
    "autoscaling",
    "minimum",
    "maximum",
    "capacity",
    "template",
    "variable",
    "connection",
    "payload",
    "reference",
    "serialize",
]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def deck_yaml(
    items: int = 10_000,
    *,
    parts: int = 20,
    seed: int = 1,
    deck_id: str | None = None,
    title: str | None = None,
) -> str:
    """The text of a deck with `items` questions and key points spread over `parts` parts.

    About 40% of items are key points and 60% questions; one question in ten is multiple-answer
    and one in twenty keeps its written order. The id and title default to ones naming the size.
    """
    rng = random.Random(seed)
    lines = [
        "format: 1",
        f"id: {deck_id or f'bench-{items}'}",
        f"title: {_quoted(title or f'Benchmark deck ({items} items)')}",
        'version: "1.0"',
        "parts:",
    ]
    per_part = [items // parts + (1 if p < items % parts else 0) for p in range(parts)]
    serial = 0
    for p, count in enumerate(per_part):
        n_kp = count * 2 // 5
        lines += [f"  - id: part-{p:03d}", f"    title: {_quoted('Part ' + str(p + 1))}"]
        lines.append("    key_points:" if n_kp else "    key_points: []")
        for _ in range(n_kp):
            serial += 1
            lines += [
                f"      - id: kp-{serial:06d}",
                f"        front: {_quoted(_sentence(rng, 6, 14))}",
                f"        back: {_quoted(_sentence(rng, 10, 30))}",
                f'        section: "{p + 1}.{rng.randint(1, 6)}"',
            ]
        lines.append("    questions:" if count - n_kp else "    questions: []")
        for _ in range(count - n_kp):
            serial += 1
            multiple = rng.random() < 0.1
            correct = set(rng.sample(range(4), 2 if multiple else 1))
            lines += [
                f"      - id: q-{serial:06d}",
                f"        prompt: {_quoted(_sentence(rng, 10, 25))}",
                f'        section: "{p + 1}.{rng.randint(1, 6)}"',
                f"        explanation: {_quoted(_sentence(rng, 12, 30))}",
            ]
            if rng.random() < 0.05:
                lines.append("        shuffle: false")
            if multiple:
                lines.append("        multiple: true")
            lines.append("        choices:")
            for c in range(4):
                lines += [
                    f"          - id: {'abcd'[c]}",
                    f"            text: {_quoted(_sentence(rng, 4, 12))}",
                ]
                if c in correct:
                    lines.append("            correct: true")
                lines.append(f"            explanation: {_quoted(_sentence(rng, 8, 20))}")
    return "\n".join(lines) + "\n"


def write_deck(
    path: Path,
    items: int = 10_000,
    *,
    seed: int = 1,
    deck_id: str | None = None,
    title: str | None = None,
) -> Path:
    """Write the generated deck to `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = deck_yaml(items, seed=seed, deck_id=deck_id, title=title)
    path.write_text(text, encoding="utf-8")
    return path
