"""A simulator of sleep-and-pain diaries with known truth, for the statistical tests.

Morning pain = baseline + effects + AR(1) noise in calendar time (so missing nights keep the
right correlation), rounded to the 0-10 scale. Factors follow everyday patterns: sleeping
position in runs (a sticky Markov chain), alcohol mostly at weekends, stress drifting from day
to day, a pillow changed part-way through, some nights not logged at all and some fields left
blank.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from nightspine.diary.entry import DiaryEntry

POSITIONS = ("back", "side", "stomach", "mixed")
POSITION_SHARE = np.array([0.25, 0.35, 0.30, 0.10])
START = dt.date(2026, 1, 5)


def _ar1(rng: np.random.Generator, n: int, phi: float, sigma: float) -> np.ndarray:
    e = np.empty(n)
    e[0] = rng.normal(0.0, sigma)
    innovation = sigma * np.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal(0.0, innovation)
    return e


def _maybe(rng: np.random.Generator, value: object, blank: float) -> object:
    return None if rng.random() < blank else value


def simulate_diary(
    rng: np.random.Generator,
    *,
    nights: int = 60,
    phi: float = 0.4,
    sigma: float = 1.2,
    baseline: float = 4.0,
    stomach_effect: float = 0.0,
    knee_pillow_effect: float = 0.0,
    stress_effect: float = 0.0,
    trend_per_30_days: float = 0.0,
    missing_nights: float = 0.1,
    blank_fields: float = 0.05,
    pillow_change: bool = True,
    knee_pillow_from: int | None = None,
    start: dt.date = START,
) -> list[DiaryEntry]:
    """``nights`` logged mornings drawn from a known model; effects are in pain points."""
    days = int(nights / (1.0 - missing_nights)) + 20
    noise = _ar1(rng, days, phi, sigma)
    kept = np.nonzero(rng.random(days) >= missing_nights)[0][:nights]
    position = int(rng.choice(4, p=POSITION_SHARE))
    stress = 4.0
    change_day = int(rng.integers(days // 4, days // 2)) if pillow_change else days + 1
    entries: list[DiaryEntry] = []
    keep = set(kept.tolist())
    for day in range(int(kept[-1]) + 1):
        if rng.random() > 0.5:
            position = int(rng.choice(4, p=POSITION_SHARE))
        stress = float(np.clip(0.7 * stress + 0.3 * 4.0 + rng.normal(0.0, 1.2), 0, 10))
        date = start + dt.timedelta(days=day)
        weekend = date.weekday() in (5, 6)  # mornings after Friday and Saturday evenings
        knee = bool(rng.random() < 0.35) if knee_pillow_from is None else day >= knee_pillow_from
        stomach = POSITIONS[position] == "stomach"
        stress_level = round(stress)
        pain = (
            baseline
            + stomach_effect * stomach
            + knee_pillow_effect * knee
            + stress_effect * (stress_level - 4)
            + trend_per_30_days * day / 30.0
            + noise[day]
        )
        if day not in keep:
            continue
        entries.append(
            DiaryEntry(
                date=date,
                pain_on_waking=int(np.clip(round(pain), 0, 10)),
                sleep_position=_maybe(rng, POSITIONS[position], blank_fields),  # type: ignore[arg-type]
                knee_pillow=_maybe(rng, knee, blank_fields),  # type: ignore[arg-type]
                pillow="cervical" if day >= change_day else "old foam",
                mattress="old spring",
                hours_slept=_maybe(
                    rng, float(np.clip(round(rng.normal(7, 0.8) * 2) / 2, 3, 10)), blank_fields
                ),  # type: ignore[arg-type]
                tosses_and_turns=_maybe(rng, bool(rng.random() < 0.3), blank_fields),  # type: ignore[arg-type]
                exercise_minutes=_maybe(
                    rng, 0 if rng.random() < 0.5 else int(rng.integers(1, 7)) * 10, blank_fields
                ),  # type: ignore[arg-type]
                sitting_hours=_maybe(
                    rng, float(np.clip(round(rng.normal(7, 2) * 2) / 2, 0, 16)), blank_fields
                ),  # type: ignore[arg-type]
                stress=_maybe(rng, stress_level, blank_fields),  # type: ignore[arg-type]
                alcohol_evening=_maybe(
                    rng, bool(rng.random() < (0.6 if weekend else 0.1)), blank_fields
                ),  # type: ignore[arg-type]
                caffeine_evening=_maybe(rng, bool(rng.random() < 0.2), blank_fields),  # type: ignore[arg-type]
                screens_in_bed=_maybe(rng, bool(rng.random() < 0.5), blank_fields),  # type: ignore[arg-type]
                stretching=_maybe(rng, bool(rng.random() < 0.4), blank_fields),  # type: ignore[arg-type]
                heat_or_ice=_maybe(rng, bool(rng.random() < 0.15), blank_fields),  # type: ignore[arg-type]
            )
        )
    return entries
