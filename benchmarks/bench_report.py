"""How long the report takes for a year of diary entries (build the content, render the PDF).

Run: PYTHONPATH=src python benchmarks/bench_report.py
Prints the median of a few runs of each step, the total, and the page count; the target is
under 2 seconds for a year. Import time (matplotlib, typst) is reported apart: a CLI pays it once.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))

started = time.perf_counter()
import report_simulation as sim  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from nightspine.knowledge.loader import load_knowledge  # noqa: E402
from nightspine.report.content import build_report  # noqa: E402
from nightspine.report.render import render_pdf  # noqa: E402

IMPORTS = time.perf_counter() - started
RUNS = 5


def main() -> None:
    knowledge = load_knowledge()
    entries = sim.entries(365)
    answers, assessment = sim.answers(), sim.assessment()
    insights, experiments = sim.insights_json(), sim.experiments()
    build_times, render_times = [], []
    pdf = b""
    for _ in range(RUNS):
        t0 = time.perf_counter()
        content = build_report(
            knowledge=knowledge,
            made_on=dt.date(2026, 11, 21),
            answers=answers,
            assessment=assessment,
            entries=entries,
            insights=insights,
            experiments=experiments,
        )
        t1 = time.perf_counter()
        pdf = render_pdf(content)
        t2 = time.perf_counter()
        build_times.append(t1 - t0)
        render_times.append(t2 - t1)
    build, render = statistics.median(build_times), statistics.median(render_times)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"entries: {len(entries)} (a year)")
    print(f"imports (once per process): {IMPORTS:.3f} s")
    print(f"build content: {build:.3f} s (median of {RUNS})")
    print(f"render PDF (charts + typst): {render:.3f} s (median of {RUNS})")
    print(f"total: {build + render:.3f} s; {pages} pages, {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
