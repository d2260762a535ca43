"""Assessments per second in one process, over the public and extra vignettes.

Run: ``PYTHONPATH=src python benchmarks/bench_assessment.py [--seconds 3]``. The knowledge base
is loaded once (and cached by the loader); every call validates the raw answers and runs the
whole engine, as the command line and the web app do. Goal: at least 5,000 a second.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import yaml

from nightspine.assessment import assess
from nightspine.knowledge.loader import load_knowledge

DATA = Path(__file__).resolve().parents[1] / "tests" / "assessment" / "data"
GOAL = 5000


def _answers() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in ("vignettes-public.yaml", "vignettes-extra.yaml"):
        out += [v["answers"] for v in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure")
    args = parser.parse_args()
    kb = load_knowledge()
    answers = _answers()
    for doc in answers:  # warm up (prepared tables, imports)
        assess(doc, kb)
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    deadline = start + args.seconds
    while time.perf_counter() < deadline:
        for doc in answers:
            assess(doc, kb)
        count += len(answers)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rate, cpu_rate = count / elapsed, count / cpu
    # On a shared machine the wall-clock rate falls with the load; the CPU-time rate is what
    # one free core achieves.
    print(
        f"{count} assessments of {len(answers)} vignettes in {elapsed:.2f} s: "
        f"{rate:,.0f} assessments/s wall clock, {cpu_rate:,.0f}/s of CPU time "
        f"({1e6 / cpu_rate:.0f} µs each; goal {GOAL:,}/s: "
        f"{'met' if max(rate, cpu_rate) >= GOAL else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
