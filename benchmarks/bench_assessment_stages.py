"""CPU time per assessment of the whole pipeline and of the plan and for-your-doctor builders.

Run: ``PYTHONPATH=src python benchmarks/bench_assessment_stages.py [--rounds 5]``. Over the public
and extra vignettes, each stage is timed several times and the best round is kept (the machine
may be shared: the best round is the one least disturbed). The plan and the summary are built
from the engine's own triage, concerns and contributors, taken from a finished assessment.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from vignettes import vignette_answers

from nightspine.assessment import assess
from nightspine.assessment.answers import validate_answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.plan import build_plan
from nightspine.knowledge.loader import load_knowledge


def _best(run: Callable[[], object], count: int, rounds: int) -> float:
    """The best CPU time of ``rounds`` runs, in µs per item."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each stage")
    args = parser.parse_args()
    kb = load_knowledge()
    docs = vignette_answers()
    inputs = []
    for doc in docs:
        result = assess(doc, kb)
        valid = validate_answers(doc, kb.vocabulary)
        inputs.append((valid, result.triage, result.concerns, result.contributors))
    stages: dict[str, Callable[[], object]] = {
        "whole assess()": lambda: [assess(doc, kb) for doc in docs],
        "build_plan": lambda: [build_plan(kb, *i) for i in inputs],
        "build_for_your_doctor": lambda: [build_for_your_doctor(kb, *i) for i in inputs],
    }
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(args.rounds):  # interleaved, so a burst of load spoils no stage alone
        for name, run in stages.items():
            best[name] = min(best[name], _best(run, len(docs), 3))
    for name, micros in best.items():
        print(f"{name:24s} {micros:7.1f} µs of CPU time per assessment ({len(docs)} vignettes)")


if __name__ == "__main__":
    main()
