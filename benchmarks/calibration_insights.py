"""How honest are the insights? Coverage and false-positive rates on simulated diaries.

Run: ``PYTHONPATH=src python benchmarks/calibration_insights.py [RUNS]`` (default 500 per
scenario; about a minute). Uses the test suite's simulator (``tests/insights/diary_sim.py``):
60 nights, AR(1) noise in calendar time, missing nights and blank fields. Prints, per scenario,

- ``analysed``: the stomach factor had enough nights (7 with, 7 without) to be estimated;
- ``cover``: the stomach factor's plain 95% interval holds the true effect (over all runs; a run
  without enough stomach nights counts as a miss), and among the analysed runs;
- ``cover+excl0``: it holds the truth and excludes 0 (the done-when criterion, >= 90%);
- ``credible``: the stomach factor is flagged credible after the Bonferroni step (power);
- ``any other credible``: some factor with no true effect is flagged (family-wise error, <= 10%);
- ``change credible``: the pillow change (no true effect) is flagged.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "insights"))

from diary_sim import simulate_diary

from nightspine.insights import analyze


def scenario(runs: int, seed: int, **kw: float) -> None:
    rng = np.random.default_rng(seed)
    truth = float(kw.get("stomach_effect", 0.0))
    cover = both = credible = other = change = analysed = 0
    t0 = time.perf_counter()
    for _ in range(runs):
        result = analyze(simulate_diary(rng, **kw))  # type: ignore[arg-type]
        for f in result.factors:
            is_stomach = f.factor == "sleep_position" and f.level == "stomach"
            if is_stomach and f.enough_data and f.ci95 is not None:
                analysed += 1
                held = f.ci95[0] <= truth <= f.ci95[1]
                cover += held
                both += held and (f.ci95[0] > 0 or f.ci95[1] < 0)
                credible += f.credible
        other += any(
            f.credible
            for f in result.factors
            if not (truth and f.factor == "sleep_position")  # positions share the stomach effect
        )
        change += any(c.credible for c in result.changes)
    ms = (time.perf_counter() - t0) / runs * 1000
    print(
        f"{kw!s:40} analysed {analysed / runs:.3f}  cover {cover / runs:.3f} "
        f"(of analysed {cover / max(analysed, 1):.3f})  cover+excl0 {both / runs:.3f}  "
        f"credible {credible / runs:.3f}  any other credible {other / runs:.3f}  "
        f"change credible {change / runs:.3f}  ({ms:.0f} ms/run)"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(f"{runs} simulated 60-night diaries per scenario")
    scenario(runs, 1, stomach_effect=2.0, phi=0.3)
    scenario(runs, 2, stomach_effect=2.0, phi=0.5)
    scenario(runs, 3, phi=0.3)
    scenario(runs, 4, phi=0.5)
    scenario(runs, 5, phi=0.5, missing_nights=0.25)


if __name__ == "__main__":
    main()
