"""`quiztui fsrs-optimize`: fit FSRS's parameters to your own review log.

Counts the reviews py-fsrs's optimizer can learn from first, and says how many more it needs
when there are too few; fitting needs the `optimizer` extra (PyTorch), imported only here. The
fitted parameters are kept in the progress database; FSRS uses them from then on (at once, when
the settings choose FSRS: the states are replayed with them).
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--check: only count the reviews, fit nothing."""
    parser.add_argument(
        "--check",
        action="store_true",
        help="only say whether the log has enough reviews to fit on (needs no PyTorch)",
    )


def run(args: argparse.Namespace) -> int:
    """Fit and keep the parameters; 1 with a message when there are too few reviews or the
    optimizer is not installed."""
    from quiztui.store import Store
    from quiztui.study.optimize import (
        INSTALL_HINT,
        MIN_REVIEWS,
        counted_reviews,
        fit_parameters,
        missing_optimizer_package,
        training_reviews,
    )

    with Store.open() as store:
        reviews = training_reviews(store.reviews())
    counted = counted_reviews(reviews)
    enough = counted >= MIN_REVIEWS
    print(
        f"{counted:,} of your {len(reviews):,} reviews count for fitting FSRS"
        f" (answers on a later day than the item's previous one); it needs {MIN_REVIEWS:,}."
    )
    if not enough:
        print(
            f"quiztui: {MIN_REVIEWS - counted:,} more such reviews are needed before FSRS can be"
            " fitted to you; nothing was changed.",
            file=sys.stderr,
        )
    missing = missing_optimizer_package()
    if missing is not None and not args.check:
        print(
            f"quiztui: fitting needs py-fsrs's optimizer, which is not installed ({missing} is"
            f" missing): {INSTALL_HINT}",
            file=sys.stderr,
        )
    if not enough or args.check or missing is not None:
        return 0 if enough and args.check else 1
    print("fitting (a few seconds to a few minutes) ...", file=sys.stderr)
    parameters = fit_parameters(reviews)
    return _keep(parameters, counted)


def _keep(parameters: list[float], counted: int) -> int:
    """Store the parameters, and replay the states with them when FSRS is in force."""
    from quiztui.settings import load_settings
    from quiztui.store import Store
    from quiztui.study import scheduler_for

    settings = load_settings()
    with Store.open() as store:
        store.save_fsrs_parameters(parameters, counted)
        if settings.scheduler == "fsrs":
            store.use_scheduler(scheduler_for(settings, store))
            note = "FSRS now schedules with them (every state was replayed)."
        else:
            note = 'FSRS will use them once you choose it (scheduler = "fsrs" in config.toml).'
    print("parameters: " + ", ".join(f"{p:.4f}" for p in parameters))
    print(f"kept in your progress database. {note}")
    return 0
