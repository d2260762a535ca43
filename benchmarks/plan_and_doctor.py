"""How long the plan and the for-your-doctor summary take, per assessment, on the public
vignettes (the engine calls both for every assessment).

Usage: ``PYTHONPATH=src python benchmarks/plan_and_doctor.py``. Prints microseconds per call
for the engine without them, the plan, the summary, and whole assessments per second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import yaml

from nightspine.assessment import engine
from nightspine.assessment.answers import Answers, validate_answers
from nightspine.assessment.doctor import build_for_your_doctor
from nightspine.assessment.plan import build_plan
from nightspine.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 2.0


def _per_call(work: Callable[[Answers], object], answers: list[Answers]) -> float:
    for a in answers:
        work(a)
    best = float("inf")
    for _ in range(3):
        calls = 0
        start = time.perf_counter()
        while time.perf_counter() - start < SECONDS / 3:
            for a in answers:
                work(a)
            calls += len(answers)
        best = min(best, (time.perf_counter() - start) / calls)
    return best * 1e6


def main() -> None:
    kb = load_knowledge()
    raw = yaml.safe_load((ROOT / "tests/assessment/data/vignettes-public.yaml").read_text())
    answers = [validate_answers(v["answers"]) for v in raw]
    results = {id(a): engine.assess(a, kb) for a in answers}

    def plan(a: Answers) -> object:
        r = results[id(a)]
        return build_plan(kb, a, r.triage, r.concerns, r.contributors)

    def doctor(a: Answers) -> object:
        r = results[id(a)]
        return build_for_your_doctor(kb, a, r.triage, r.concerns, r.contributors)

    whole = _per_call(lambda a: engine.assess(a, kb), answers)
    plan_us = _per_call(plan, answers)
    doctor_us = _per_call(doctor, answers)
    print(f"whole assessment:       {whole:8.1f} us  ({1e6 / whole:,.0f} assessments/s)")
    print(f"  build_plan:           {plan_us:8.1f} us")
    print(f"  build_for_your_doctor:{doctor_us:8.1f} us")
    print(f"  the rest of the engine:{whole - plan_us - doctor_us:7.1f} us")


if __name__ == "__main__":
    main()
