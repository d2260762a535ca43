"""CPU time per assessment of answer validation and contributor ranking.

Run: ``PYTHONPATH=src python benchmarks/bench_answers_contributors.py [--rounds 7]``. Over the
public and extra vignettes, and over fresh seeded random documents (whose many values the
per-key memos have not seen before), ``validate_answers`` and ``rank_contributors`` are timed
alone and together; the best round is kept (the machine may be shared: the best round is the
one least disturbed).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vignettes import vignette_answers

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.contributors import rank_contributors
from nightspine.knowledge.loader import load_knowledge
from nightspine.knowledge.vocabulary import AssessmentVocabulary

TESTS = Path(__file__).resolve().parents[1] / "tests" / "assessment"


def _random_documents(count: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(TESTS))
    from snapshot import random_documents  # the tests' seeded generator of valid documents

    docs: list[dict[str, Any]] = random_documents(count, seed=7)
    return docs


def _best(run: Callable[[], object], count: int, repeats: int) -> float:
    """The CPU time of ``repeats`` runs, in µs per document."""
    start = time.process_time()
    for _ in range(repeats):
        run()
    return (time.process_time() - start) / repeats / count * 1e6


def _stages(
    docs: list[dict[str, Any]], vocab: AssessmentVocabulary, order: dict[str, int]
) -> dict[str, Callable[[], object]]:
    valid = [validate_answers(doc, vocab) for doc in docs]
    return {
        "validate_answers": lambda: [validate_answers(doc, vocab) for doc in docs],
        "rank_contributors": lambda: [rank_contributors(answers, order) for answers in valid],
        "both": lambda: [rank_contributors(validate_answers(doc, vocab), order) for doc in docs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds of each stage")
    parser.add_argument("--random", type=int, default=1000, help="random documents")
    args = parser.parse_args()
    kb = load_knowledge()
    vocab = kb.vocabulary
    order = {k: i for i, k in enumerate(vocab.answers)}
    for label, docs, repeats in (
        ("vignettes", vignette_answers(), 30),
        ("random documents", _random_documents(args.random), 3),
    ):
        stages = _stages(docs, vocab, order)
        best = dict.fromkeys(stages, float("inf"))
        for _ in range(args.rounds):  # interleaved, so a burst of load spoils no stage alone
            for name, run in stages.items():
                best[name] = min(best[name], _best(run, len(docs), repeats))
        for name, micros in best.items():
            print(f"{label:17s} {name:18s} {micros:6.2f} µs of CPU time each ({len(docs)})")


if __name__ == "__main__":
    main()
