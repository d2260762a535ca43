"""CPU time per vignette of the for-your-doctor summary and of the engine's glue around the rules.

Run: ``PYTHONPATH=src python benchmarks/bench_engine_glue.py [--rounds 15]``. Over the public and
extra vignettes, each stage is timed ``--rounds`` times (each round builds every vignette
``--repeat`` times) and the best round is printed with the median (the machine may be shared:
the best round is the one least disturbed). Each stage gets the inputs the engine itself would
give it (validated answers, findings, fired rules, the engine's triage, concerns and
contributors), made once before timing.

To compare two versions, run both in one process where possible: host noise on a shared machine
moves these figures by up to 1.5x between runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from vignettes import vignette_answers

from nightspine.assessment import engine
from nightspine.assessment.answers import validate_answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.findings import derive_findings
from nightspine.assessment.rules import fired_rules
from nightspine.knowledge.loader import load_knowledge


def _rounds(run: Callable[[], object], count: int, rounds: int, repeat: int) -> list[float]:
    """CPU time of each round, in µs per item."""
    out: list[float] = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            run()
        out.append((time.process_time() - start) / (count * repeat) * 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds of each stage")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the vignettes a round")
    args = parser.parse_args()
    kb = load_knowledge()
    prep = engine._prepare(kb)
    docs = vignette_answers()
    valid = [validate_answers(doc, kb.vocabulary) for doc in docs]
    findings = [derive_findings(v) for v in valid]
    fired = [fired_rules(f) for f in findings]
    triages = [engine._triage(r) for r in fired]
    concerns = [
        engine._concerns(kb, prep, r, f, v) for r, f, v in zip(fired, findings, valid, strict=True)
    ]
    contributors = [engine._contributors(kb, prep, v) for v in valid]
    doctor_inputs = list(zip(valid, triages, concerns, contributors, strict=True))
    concern_inputs = list(zip(fired, findings, valid, strict=True))
    stages: dict[str, Callable[[], object]] = {
        "build_for_your_doctor": lambda: [build_for_your_doctor(kb, *i) for i in doctor_inputs],
        "_concerns": lambda: [engine._concerns(kb, prep, *i) for i in concern_inputs],
        "_triage": lambda: [engine._triage(r) for r in fired],
        "_contributors": lambda: [engine._contributors(kb, prep, v) for v in valid],
    }
    count = len(docs)
    print(f"{count} vignettes, {args.rounds} rounds of {args.repeat} passes; µs per vignette")
    for name, run in stages.items():
        times = _rounds(run, count, args.rounds, args.repeat)
        print(f"{name:24s} best {min(times):6.2f}   median {statistics.median(times):6.2f}")


if __name__ == "__main__":
    main()
