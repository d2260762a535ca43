"""CPU time of ``build_plan`` per vignette, optionally against another version of plan.py.

Run: ``PYTHONPATH=src python benchmarks/bench_plan.py [--rounds 15] [--against OLD_PLAN.py]``.
Over the public and extra vignettes (the engine's results computed once beforehand), the plan
is built ``--repeats`` times per round; the best round is kept (the machine may be shared: the
best round is the one least disturbed). With ``--against``, that file is imported as a separate
module and timed in the same rounds, interleaved, so host noise affects both alike; the script
also checks that both give the same output.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from vignettes import vignette_answers

from nightspine.assessment import engine
from nightspine.assessment import plan as current
from nightspine.assessment.answers import validate_answers
from nightspine.knowledge.loader import load_knowledge


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_under_comparison", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _timed(run: Callable[[], object], count: int, repeats: int) -> float:
    """The CPU time of ``repeats`` runs, in µs per vignette."""
    start = time.process_time()
    for _ in range(repeats):
        run()
    return (time.process_time() - start) / repeats / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds")
    parser.add_argument("--repeats", type=int, default=40, help="passes over the vignettes")
    parser.add_argument("--against", type=Path, help="another plan.py to compare with")
    args = parser.parse_args()
    kb = load_knowledge()
    docs = vignette_answers()
    inputs = []
    for doc in docs:
        answers = validate_answers(doc, kb.vocabulary)
        result = engine.assess(answers, kb)
        inputs.append((answers, result.triage, result.concerns, result.contributors))

    modules = {"current": current}
    if args.against is not None:
        modules["against"] = _load(args.against)
    runs: dict[str, Callable[[], list[list[Any]]]] = {}
    outputs: dict[str, list[list[Any]]] = {}
    for name, module in modules.items():

        def run(build: Any = module.build_plan) -> list[list[Any]]:
            return [build(kb, a, t, c, r) for a, t, c, r in inputs]

        runs[name] = run
        outputs[name] = [[item.model_dump() for item in plan] for plan in run()]
    if len(outputs) == 2 and outputs["current"] != outputs["against"]:
        raise SystemExit("the two versions disagree on the vignettes")

    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):  # interleaved, so a burst of load spoils no version alone
        for name, timed in runs.items():
            best[name] = min(best[name], _timed(timed, len(docs), args.repeats))
    for name, us in best.items():
        print(f"build_plan ({name}): {us:6.1f} us per vignette (best of {args.rounds} rounds)")
    if len(best) == 2:
        print(f"current / against: {best['current'] / best['against']:.2f}")


if __name__ == "__main__":
    main()
