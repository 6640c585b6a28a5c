"""Rows b (the day's queue), d (deck load) and f (`quiztui stats`): fresh processes, no terminal.

b and d run `bench.probe` in a fresh interpreter per run, quiztui's probe and its peer's
alternately; the probe times only the work (see its docstring). f times the whole `quiztui
--data-dir D stats` process, from just before it starts to its exit, against `bench.stats_peer`
started the same way.
"""

from __future__ import annotations

import json
import pickle
import sys
from typing import Any

from bench.context import Bench, alternate, quiztui_command, run_process
from bench.deckgen import write_deck
from bench.figures import Row, Series, median_at_most, ratio_at_most
from bench.library import GENERATOR_VERSION, Library


def probe(bench: Bench, cache: str, *args: str) -> dict[str, Any]:
    """Run `python -m bench.probe ARGS` in a fresh interpreter; its JSON line."""
    _, out = run_process([sys.executable, "-m", "bench.probe", *args], bench.environment(cache))
    return dict(json.loads(out.strip().splitlines()[-1]))


def paired(
    bench: Bench,
    label: str,
    ours: tuple[str, list[str]],
    peer: tuple[str, list[str]],
    figure: str = "seconds",
) -> tuple[Series, Series, list[dict[str, Any]], list[dict[str, Any]]]:
    """Both probes alternately: (ours ms, peer ms, our raw results, the peer's)."""
    mine, theirs = Series("ms"), Series("ms")
    raw_mine: list[dict[str, Any]] = []
    raw_theirs: list[dict[str, Any]] = []
    for index, peer_first in alternate(bench.runs, bench.warmups):
        sides = [("peer", peer), ("ours", ours)]
        for side, (cache, args) in sides if peer_first else sides[::-1]:
            result = probe(bench, cache, *args)
            print(
                f"  {label} {'warm-up' if index < 0 else f'run {index + 1}'} {side}:"
                f" {result[figure] * 1000:.1f} ms",
                file=sys.stderr,
            )
            if index < 0:
                continue
            (theirs if side == "peer" else mine).runs.append(result[figure] * 1000)
            (raw_theirs if side == "peer" else raw_mine).append(result)
    return mine, theirs, raw_mine, raw_theirs


# ---------------------------------------------------------------------- b. the day's queue


def queue_rows(bench: Bench) -> list[Row]:
    """The first queue in a fresh process against Anki's, and the warm figures beside them."""
    from bench.anki_peer import anki_available, anki_version, build_collection
    from quiztui.settings import Settings

    library = bench.libraries["10k"]
    data_dir = bench.data_copy("paint-10k", library)
    label = f"{library.spec.items:,} items in {library.spec.decks} decks"
    ours_args = ("queue", ["queue-quiztui", str(data_dir)])
    if not anki_available():
        results = [probe(bench, "queue", *ours_args[1]) for _ in range(bench.runs)]
        first = Series("ms", [r["first"] * 1000 for r in results])
        warm = Series("ms", [_median(r["warm"]) * 1000 for r in results])
        missing = "n/a (anki not installed)"
        return [
            Row(
                "b.first",
                f"b. first queue in a fresh process, {label}",
                first,
                None,
                missing,
                "<= 1.0x",
            ),
            Row(
                "b.warm",
                "b. the same queue again, warm (median per run)",
                warm,
                None,
                missing,
                "(info)",
            ),
        ]
    collection = library.data_dir.parent / f"{library.data_dir.name}.anki" / "bench.anki2"
    if not collection.is_file():
        print("  building the Anki collection ...", file=sys.stderr)
        counts = build_collection(
            collection,
            list(library.deck_paths),
            library.database,
            library.today,
            Settings().new_items_per_day,
        )
        print(f"  Anki counts {counts[0]} due + {counts[1]} new", file=sys.stderr)
    anki_args = ("anki", ["queue-anki", str(collection)])
    ours, peer, raw_ours, raw_peer = paired(bench, "b", ours_args, anki_args, "first")
    for mine, theirs in zip(raw_ours, raw_peer, strict=True):
        if (mine["due"], mine["new"]) != (theirs["due"], theirs["new"]):
            raise RuntimeError(
                f"not the same queue: quiztui {mine['due']} due + {mine['new']} new,"
                f" Anki {theirs['due']} due + {theirs['new']} new"
            )
    counts = f"{raw_ours[0]['due']} due + {raw_ours[0]['new']} new" if raw_ours else ""
    warm_ours = Series("ms", [_median(r["warm"]) * 1000 for r in raw_ours])
    warm_peer = Series("ms", [_median(r["warm"]) * 1000 for r in raw_peer])
    name = f"Anki {anki_version()}"
    return [
        Row(
            "b.first",
            f"b. first queue in a fresh process, {label} ({counts})",
            ours,
            peer,
            name,
            "<= 1.0x",
            ratio_at_most(1.0),
            {"quiztui": raw_ours, "peer": raw_peer},
        ),
        Row(
            "b.warm",
            "b. the same queue again, warm (median of 20 per run)",
            warm_ours,
            warm_peer,
            name,
            "(info)",
        ),
    ]


def _setting(collector: str) -> str:
    """ "on" -> "enabled", "off" -> "disabled" (the probe's word for the GC setting)."""
    return "enabled" if collector == "on" else "disabled"


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# ---------------------------------------------------------------------- d. deck load


def deck_rows(bench: Bench, items: int) -> list[Row]:
    """A cold parse against PyYAML's C loader (GC on, then off, on both); a cached open."""
    import yaml

    folder = bench.out / "data"
    path = folder / f"deck-{items}-g{GENERATOR_VERSION}.yaml"
    if not path.is_file():
        write_deck(path, items, seed=1)
    plain = folder / f"deck-{items}-g{GENERATOR_VERSION}.pickle"
    if not plain.is_file():
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        plain.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    size = f"{path.stat().st_size / 1e6:.1f} MB, {items:,} items"
    rows = []
    for collector, key, target in (("on", "d.cold", "(info)"), ("off", "d.cold-gc-off", "(info)")):
        ours, peer, _, _ = paired(
            bench,
            key,
            ("deck", ["parse-quiztui", str(path), collector]),
            ("deck", ["parse-yaml", str(path), collector]),
        )
        rows.append(
            Row(
                key,
                f"d. cold parse ({size}), GC {_setting(collector)} on both sides",
                ours,
                peer,
                "yaml.load CSafeLoader",
                target,
            )
        )
    cache = "deck-cached"
    probe(bench, cache, "cached-quiztui", str(path))  # writes the cache entry
    ours, peer, raw, _ = paired(
        bench,
        "d.cached",
        (cache, ["cached-quiztui", str(path)]),
        (cache, ["cached-pickle", str(plain)]),
    )
    rows.append(
        Row(
            "d.cached",
            f"d. cached open in a new process, whole deck ({items:,} items)",
            ours,
            peer,
            "pickle.loads of the plain data",
            "<= 40 ms",
            median_at_most(40.0),
            {"quiztui": raw},
        )
    )
    return rows


# ---------------------------------------------------------------------- f. quiztui stats


def stats_rows(bench: Bench, sizes: list[str]) -> list[Row]:
    """`quiztui stats` on each library against the SQL-only peer, whole processes timed."""
    rows = []
    for name in sizes:
        library: Library = bench.libraries[name]
        data_dir = bench.data_copy(f"paint-{name}", library)
        env = bench.environment(f"paint-{name}")
        ours_argv = [quiztui_command(), "--data-dir", str(data_dir), "stats"]
        peer_argv = [sys.executable, "-m", "bench.stats_peer", str(data_dir)]
        ours, peer = Series("ms"), Series("ms")
        for index, peer_first in alternate(bench.runs, bench.warmups):
            sides = [("peer", peer_argv), ("ours", ours_argv)]
            for side, argv in sides if peer_first else sides[::-1]:
                seconds, _ = run_process(argv, env)
                print(
                    f"  f.{name} {'warm-up' if index < 0 else f'run {index + 1}'} {side}:"
                    f" {seconds * 1000:.0f} ms",
                    file=sys.stderr,
                )
                if index >= 0:
                    (peer if side == "peer" else ours).runs.append(seconds * 1000)
        judged = name == "100k"
        rows.append(
            Row(
                f"f.{name}",
                f"f. quiztui stats, whole process, {library.spec.label}",
                ours,
                peer,
                "SQL aggregates alone (bench.stats_peer)",
                "<= 300 ms" if judged else "(info)",
                median_at_most(300.0) if judged else None,
            )
        )
    return rows
