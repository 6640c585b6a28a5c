"""Which staged files make the class: one learner each, of the report's deck, none damaged.

Pure functions over `StagedFile`s (and the pairs of files that share a check attempt), so every
rule is tested without DuckDB: a damaged file, a file of another deck and a second export of the
same learner are each left out with a reason; of two exports of one learner, the newer is used.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quiztui.classreport.loading import Skipped, StagedFile, json_problem

PROGRESS_FORMAT = "quiztui-progress"
"""The `format` of a file `quiztui progress export` writes."""


@dataclass(frozen=True, slots=True)
class Learner:
    """A learner of the class: the file their data comes from and the name the report shows."""

    learner_no: int
    """1..n, in the order the report lists learners."""
    file_id: int
    """The number of the learner's file among those given: the learner's id in the tables."""
    name: str
    file: Path | None
    """None when the report is anonymized."""


def damage(staged: StagedFile) -> str | None:
    """Why a file is not a usable progress export, or None when it is one."""
    if not staged.valid_json:
        return json_problem(staged.path)
    if staged.format != PROGRESS_FORMAT:
        return (
            f'is not a quiztui progress file (it has no "format": "{PROGRESS_FORMAT}");'
            " the learner makes one with `quiztui progress export FILE`"
        )
    if staged.format_version is None or staged.format_version < 1:
        return "has no valid format_version (a whole number, 1 or more); export it again"
    if staged.bad_review is not None:
        return (
            f"review #{staged.bad_review} is damaged (a field is missing or of the wrong"
            " type); export it again"
        )
    if staged.bad_attempt is not None:
        return (
            f"attempt #{staged.bad_attempt} is damaged (a field is missing or of the wrong"
            " type); export it again"
        )
    return None


def usable(files: Iterable[StagedFile]) -> tuple[list[StagedFile], list[Skipped]]:
    """The well-formed progress files, and the damaged ones with their reasons."""
    good: list[StagedFile] = []
    skipped: list[Skipped] = []
    for staged in files:
        reason = damage(staged)
        if reason is None:
            good.append(staged)
        else:
            skipped.append(Skipped(staged.path, reason))
    return good, skipped


def learner_name(staged: StagedFile) -> str:
    """The export's `learner` field, else the file's name without its suffix."""
    name = (staged.learner or "").strip()
    return name or staged.path.stem


def of_deck(
    files: Iterable[StagedFile], deck_ids: frozenset[str], deck_id: str
) -> tuple[list[StagedFile], list[Skipped]]:
    """The files holding anything of the deck (any of its ids), and the others with a reason."""
    kept: list[StagedFile] = []
    skipped: list[Skipped] = []
    for staged in files:
        if deck_ids.intersection(staged.deck_ids):
            kept.append(staged)
        elif staged.deck_ids:
            others = ", ".join(sorted(staged.deck_ids))
            skipped.append(
                Skipped(staged.path, f"holds nothing of deck {deck_id!r} (it holds: {others})")
            )
        else:
            skipped.append(Skipped(staged.path, "holds no answers at all"))
    return kept, skipped


def _newest_first(staged: StagedFile) -> tuple[float, int, int]:
    exported = staged.exported_at or datetime.min.replace(tzinfo=UTC)
    return (-exported.timestamp(), -staged.review_count, staged.file_id)


def one_per_learner(
    files: Sequence[StagedFile], shared_attempts: Iterable[tuple[int, int]]
) -> tuple[list[StagedFile], list[Skipped]]:
    """One file per learner: files with the same learner name, or sharing a check attempt (the
    same history exported twice), are one learner, whose newest export is used."""
    parent = {staged.file_id: staged.file_id for staged in files}

    def root(file_id: int) -> int:
        while parent[file_id] != file_id:
            parent[file_id] = parent[parent[file_id]]
            file_id = parent[file_id]
        return file_id

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    by_name: dict[str, int] = {}
    for staged in files:
        key = learner_name(staged).casefold()
        if key in by_name:
            join(staged.file_id, by_name[key])
        else:
            by_name[key] = staged.file_id
    for a, b in shared_attempts:
        if a in parent and b in parent:
            join(a, b)
    groups: dict[int, list[StagedFile]] = {}
    for staged in files:
        groups.setdefault(root(staged.file_id), []).append(staged)
    kept: list[StagedFile] = []
    skipped: list[Skipped] = []
    for group in groups.values():
        ordered = sorted(group, key=_newest_first)
        used = ordered[0]
        kept.append(used)
        for other in ordered[1:]:
            same_name = learner_name(other).casefold() == learner_name(used).casefold()
            why = "is another export of learner" if same_name else "holds the same checks as"
            skipped.append(
                Skipped(
                    other.path,
                    f"{why} {learner_name(used)!r}; the newest export, {used.path}, is used",
                )
            )
    kept.sort(key=lambda staged: staged.file_id)
    return kept, skipped


def number_learners(files: Sequence[StagedFile], *, anonymize: bool) -> list[Learner]:
    """Learner ids in the report's order: by name; or, anonymized, in a random order (a digest
    of the names could be recomputed from a class list), as "learner 1".."learner n", no files."""
    if not anonymize:
        ordered = sorted(files, key=lambda s: (learner_name(s).casefold(), s.file_id))
        return [
            Learner(n, s.file_id, learner_name(s), s.path) for n, s in enumerate(ordered, start=1)
        ]
    ordered = list(files)
    random.SystemRandom().shuffle(ordered)
    return [Learner(n, s.file_id, f"learner {n}", None) for n, s in enumerate(ordered, start=1)]
