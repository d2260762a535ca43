"""What the clinician's page about one person shows, in the order a clinician at a desk reads it:
who the person is, their warning signs and triage history, the for-your-doctor summary, the pain
trend, the diary's effects table, experiments and their verdicts, and the measured sleeping
position. Sentences come from the assessment's for-your-doctor summary
(``nightspine.assessment.doctor``) and numbers from ``nightspine.insights.text``, the same sources
the insights page, the terminal and the PDF use; nothing here words a clinical fact anew."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from nightspine.assessment.result import Assessment
from nightspine.diary.dates import day_text
from nightspine.diary.entry import DiaryEntry
from nightspine.insights.result import FactorEffect, Insights
from nightspine.insights.text import (
    basis_text,
    chart_label,
    effect_step,
    factor_groups,
    interval_name,
    interval_note,
    interval_text,
    shown_interval,
    signed_points,
)
from nightspine.storage.repository import StoredAssessment, StoredExperiment

MEASURED_POSITION_NIGHTS = 30
"""How many of the latest sensor-measured nights the position summary counts."""


@dataclass(frozen=True)
class TriageRow:
    """One saved assessment in the triage history, newest first."""

    at: dt.datetime
    level: str
    warning_signs: list[str]


@dataclass(frozen=True)
class EffectRow:
    """One factor of the effects table: the forest chart's label and numbers, as printed there."""

    label: str
    effect: str
    interval: str
    nights_with: int
    nights_without: int | None
    credible: bool


def age_text(birth_year: int | None, today: dt.date, latest: StoredAssessment | None = None) -> str:
    """``"born 1980 (45 or 46 years old)"`` (only the year of birth is ever asked), else the age
    the person gave at their latest assessment: ``"58 on 6 Dec 2026 (at assessment)"``."""
    if birth_year is not None:
        older = today.year - birth_year
        return f"born {birth_year} ({older - 1} or {older} years old)"
    age = latest.answers.get("age") if latest is not None else None
    if latest is None or not isinstance(age, int | float):
        return ""
    return (
        f"{int(age)} at the assessment of {day_text(timezone.localtime(latest.created_at).date())}"
    )


def triage_history(records: list[StoredAssessment], results: list[Assessment]) -> list[TriageRow]:
    """Each assessment's level and the warning signs it reported (records newest first)."""
    return [
        TriageRow(r.created_at, r.triage_level, list(a.for_your_doctor.warning_signs_reported))
        for r, a in zip(records, results, strict=True)
    ]


def effect_rows(insights: Insights) -> list[EffectRow]:
    """The factors with enough data, those that stand out first, with the numbers the insights
    page's forest chart prints (per-step effects scaled the same way)."""
    credible, analysed, _ = factor_groups(insights)
    rows: list[EffectRow] = []
    for f in [*credible, *analysed]:
        row = _effect_row(f)
        if row is not None:
            rows.append(row)
    return rows


def _effect_row(f: FactorEffect) -> EffectRow | None:
    interval = shown_interval(f)
    if interval is None or f.effect is None:
        return None
    _, step = effect_step(f)
    return EffectRow(
        chart_label(f),
        signed_points(f.effect * step),
        interval_text(interval[0] * step, interval[1] * step),
        f.n_with,
        f.n_without,
        f.credible,
    )


def measured_positions(entries: list[DiaryEntry]) -> list[tuple[str, int]]:
    """(position, nights) over the latest nights whose position a sensor measured (entries
    newest first), most frequent first; empty when no position was ever measured."""
    measured = [
        e.sleep_position
        for e in entries
        if "sleep_position" in e.measured_fields and e.sleep_position is not None
    ][:MEASURED_POSITION_NIGHTS]
    return Counter(str(p) for p in measured).most_common()


def experiment_rows(experiments: list[StoredExperiment]) -> list[dict[str, Any]]:
    """Each experiment with its status and, when it has one, the verdict's own sentence."""
    return [
        {
            "change": e.change,
            "start": e.start_date,
            "status": e.status,
            "verdict": (e.result or {}).get("verdict", ""),
            "message": (e.result or {}).get("message", ""),
        }
        for e in experiments
    ]


def insights_numbers(insights: Insights | None) -> dict[str, Any]:
    """The effects table and its interval naming (the insights page's words)."""
    if insights is None:
        return {"effects": [], "interval_name": "", "interval_note": "", "basis": ""}
    return {
        "basis": basis_text(insights),
        "effects": effect_rows(insights),
        "interval_name": interval_name(insights.tests),
        "interval_note": interval_note(insights.tests),
    }
