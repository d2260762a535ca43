"""How long the report takes for a year of diary entries: insights, content, PDF.

Run: PYTHONPATH=src python benchmarks/bench_report.py
Uses the real assessment engine and insights on a simulated year (tests/report). Prints the
median of a few runs of each step, the total, and the page count; the target is under 2 seconds
for a year. Import time (matplotlib, typst, ...) is reported apart: a command pays it once.
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

from nightspine.assessment.engine import assess  # noqa: E402
from nightspine.insights import analyze  # noqa: E402
from nightspine.knowledge.loader import load_knowledge  # noqa: E402
from nightspine.report.content import build_report  # noqa: E402
from nightspine.report.render import render_pdf  # noqa: E402

IMPORTS = time.perf_counter() - started
RUNS = 5


def main() -> None:
    knowledge = load_knowledge()
    entries = sim.entries(365)
    answers = sim.answers()
    assessment = assess(answers, knowledge)
    experiments = sim.experiments()
    insight_times, build_times, render_times, cpu_times = [], [], [], []
    pdf = b""
    for _ in range(RUNS):
        ti = time.perf_counter()
        insights = analyze(entries)
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
        t1, c1 = time.perf_counter(), time.process_time()
        pdf = render_pdf(content)
        t2, c2 = time.perf_counter(), time.process_time()
        cpu_times.append(c2 - c1)
        insight_times.append(t0 - ti)
        build_times.append(t1 - t0)
        render_times.append(t2 - t1)
    insight = statistics.median(insight_times)
    build, render = statistics.median(build_times), statistics.median(render_times)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"entries: {len(entries)} (a year)")
    print(f"imports (once per process): {IMPORTS:.3f} s")
    print(f"insights: {insight:.3f} s (median of {RUNS})")
    print(f"build content: {build:.3f} s (median of {RUNS})")
    print(
        f"render PDF (charts + typst): {render:.3f} s (median of {RUNS});"
        f" CPU {statistics.median(cpu_times):.3f} s (steadier on a busy machine)"
    )
    total = insight + build + render
    print(f"total: {total:.3f} s; {pages} pages, {len(pdf) / 1024:.0f} KiB")
    short = sim.entries(10)
    small = build_report(
        knowledge=knowledge,
        made_on=dt.date(2026, 11, 21),
        answers=answers,
        assessment=assessment,
        entries=short,
        insights=analyze(short),
    )
    short_times, short_cpu = [], []
    for _ in range(RUNS):
        t1, c1 = time.perf_counter(), time.process_time()
        render_pdf(small)
        short_times.append(time.perf_counter() - t1)
        short_cpu.append(time.process_time() - c1)
    print(
        f"render PDF, {len(short)} nights: {statistics.median(short_times):.3f} s;"
        f" CPU {statistics.median(short_cpu):.3f} s (median of {RUNS})"
    )


if __name__ == "__main__":
    main()
