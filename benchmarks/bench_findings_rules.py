"""CPU time per assessment of the findings and rules stages of the engine.

Run: ``PYTHONPATH=src python benchmarks/bench_findings_rules.py [--rounds 7] [--reps 30]``. Over
the public and extra vignettes, ``derive_findings`` and ``fired_rules`` are timed in several
rounds and the best round is kept (the machine may be shared: the best round is the one least
disturbed). The plain derivation (every finding function in order) is timed as a reference.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from vignettes import vignette_answers

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.findings import derive_findings
from nightspine.assessment.rules import fired_rules
from nightspine.knowledge.loader import load_knowledge


def _best(run: Callable[[], object], count: int, rounds: int, reps: int) -> float:
    """The best CPU time of ``rounds`` rounds of ``reps`` runs, in µs per item."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(reps):
            run()
        best = min(best, (time.process_time() - start) / reps)
    return best / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds of each stage")
    parser.add_argument("--reps", type=int, default=30, help="runs over the vignettes per round")
    args = parser.parse_args()
    kb = load_knowledge()
    valid = [validate_answers(doc, kb.vocabulary) for doc in vignette_answers()]
    findings = [derive_findings(v) for v in valid]
    stages: dict[str, Callable[[], object]] = {
        "derive_findings": lambda: [derive_findings(v) for v in valid],
        "fired_rules": lambda: [fired_rules(f) for f in findings],
        "both": lambda: [fired_rules(derive_findings(v)) for v in valid],
        "plain derive_findings (reference)": lambda: [
            derive_findings(v, skip_unneeded=False) for v in valid
        ],
    }
    print(f"{len(valid)} vignettes, best of {args.rounds} rounds x {args.reps} runs, CPU time")
    for name, run in stages.items():
        print(f"{name:>36}: {_best(run, len(valid), args.rounds, args.reps):7.1f} µs per vignette")


if __name__ == "__main__":
    main()
