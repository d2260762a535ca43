"""The PDF, the web page and the terminal show the same numbers for the same diary, under the
same interval name (issue 11: one interval convention, named the same everywhere).

The expected numbers are worked out here from the analysis's JSON (``ci_adjusted``, rounded to
one decimal) and looked for in each shell's own output: the web page through Django, the terminal
and the PDF through ``nightspine insights`` and ``nightspine report`` run as a person would."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from nightspine.diary.entry import DiaryEntry
from nightspine.diary.fileio import to_csv
from nightspine.insights import analyze
from nightspine.web import services

pytestmark = pytest.mark.usefixtures("web_db")
ROOT = Path(__file__).resolve().parents[2]
START = dt.date(2026, 3, 2)


def _diary(nights: int = 70, seed: int = 11) -> list[DiaryEntry]:
    """Stomach nights clearly worse, knee-pillow nights a little better, caffeine no effect."""
    rng = random.Random(seed)
    entries = []
    for day in range(nights):
        stomach = rng.random() < 0.3
        knee = rng.random() < 0.5
        pain = 3 + 3 * stomach - 0.6 * knee + rng.gauss(0, 0.8)
        entries.append(
            DiaryEntry(
                date=START + dt.timedelta(days=day),
                pain_on_waking=max(0, min(10, round(pain))),
                sleep_position="stomach" if stomach else "side",
                knee_pillow=knee,
                caffeine_evening=rng.random() < 0.4,
            )
        )
    return entries


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nightspine", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _plain(text: str) -> str:
    return " ".join(text.split())


def _scaled(low: float, high: float) -> str:
    """How the sentences write an interval: magnitudes, smaller first, or 'from .. to ..'."""
    if low > 0 or high < 0:
        a, b = sorted((abs(low), abs(high)))
        return f"({a:.1f} to {b:.1f})"
    return f"(from {abs(low):.1f} better to {abs(high):.1f} worse)"


def test_web_terminal_and_pdf_show_the_same_intervals_under_one_name(
    alice: Client, tmp_path: Path
) -> None:
    entries = _diary()
    insights = analyze(entries)
    shown = [f for f in insights.factors if f.enough_data and f.kind != "number"]
    assert any(f.credible for f in shown) and any(not f.credible for f in shown)
    name = f"95% interval, adjusted for the {insights.tests} factors compared"

    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    for entry in entries:
        services.save_entry(profile, entry.model_dump(mode="json", exclude_defaults=True))
    web = _plain(alice.get("/diary/insights").content.decode())

    csv_file = tmp_path / "diary.csv"
    csv_file.write_text(to_csv(entries), encoding="utf-8")
    env = {
        **os.environ,
        "NIGHTSPINE_DATA_DIR": str(tmp_path / "data"),
        "NIGHTSPINE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _cli(env, "diary", "import", str(csv_file))
    terminal = _plain(_cli(env, "insights"))
    pdf_file = tmp_path / "report.pdf"
    _cli(env, "report", "--out", str(pdf_file), "--no-person-page")
    pdf = _plain(PdfReader(io.BytesIO(pdf_file.read_bytes())).pages[0].extract_text())

    assert name in web and name in terminal and name in pdf
    for f in shown:
        assert f.ci_adjusted is not None and f.effect is not None
        low, high = f.ci_adjusted
        signed = f"{low:.1f} to {high:.1f}"
        effect = f"{'+' if f.effect > 0 else ''}{f.effect:.1f}"
        assert f"{effect} ({signed})" in web, (f.factor, f.level)  # the forest chart
        assert _scaled(low, high) in terminal, (f.factor, f.level)
        assert _scaled(low, high) in web, (f.factor, f.level)  # the sentence under the chart
        if f.ci95 is not None and _scaled(*f.ci95) != _scaled(low, high):
            assert _scaled(*f.ci95) not in terminal  # the plain interval is not what is shown
        label = f"Sleeping position: {f.level}" if f.factor == "sleep_position" else None
        if label is not None:
            assert f"{effect} {signed}" in pdf, (label, pdf)


def test_the_plain_interval_is_named_plainly_when_one_factor_is_compared() -> None:
    from nightspine.insights.text import interval_name

    assert interval_name(1) == "95% interval"
    assert interval_name(12) == "95% interval, adjusted for the 12 factors compared"
    assert interval_name(2, "changes") == "95% interval, adjusted for the 2 changes compared"


def test_insights_page_puts_the_findings_first_then_one_chart_then_what_is_waiting(
    alice: Client,
) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    entries = _diary(nights=40)
    for entry in entries:
        services.save_entry(profile, entry.model_dump(mode="json", exclude_defaults=True))
    page = alice.get("/diary/insights").content.decode()
    order = [
        page.index("What matters most"),
        page.index('class="chart forest"'),
        page.index("Not enough data yet"),
    ]
    assert order == sorted(order)
    assert page.count('class="chart forest"') == 1
    findings = page.split("What matters most", 1)[1].split("</ul>", 1)[0]
    assert 1 <= findings.count("<li>") <= 3
    assert "nights on the stomach" in findings  # the clear effect is said in words first
    waiting = page.split('id="waiting-h"', 1)[1].split("</section>", 1)[0]
    assert "need" in waiting.lower() or "nights" in waiting.lower()
