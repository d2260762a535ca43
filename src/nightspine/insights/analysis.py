"""``analyze``: what a person's own nights say about their morning pain.

The outcome is ``pain_on_waking``. Every comparison is a regression with AR(1) errors in
calendar time (:mod:`nightspine.insights.ar1`), so runs of similar mornings and missing nights
are allowed for. Factors are looked at one at a time (a level against the other levels, a
boolean against its opposite, a number per unit). All factor comparisons form one family:
``credible`` needs the Bonferroni-widened interval to exclude 0, so a diary without real effects
rarely shows any. Too little data gives "not enough data yet" with how many nights are missing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from nightspine.diary.dates import day_text
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, Problem
from nightspine.insights.ar1 import Fit, fit_ar1, t_quantile
from nightspine.insights.result import (
    Change,
    Curve,
    FactorEffect,
    FactorKind,
    Insights,
    Trend,
    Window,
)
from nightspine.insights.text import (
    change_sentence,
    factor_name,
    factor_sentence,
    nights_phrase,
    nights_text,
    signed_interval,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MIN_NIGHTS = 14
"""Nights needed before any factor is looked at."""
MIN_PER_GROUP = 7
"""Nights needed both with and without a level, a boolean or a label."""
MIN_NUMBER = 14
"""Nights with a value needed for a number (hours slept, stress...)."""
MIN_TREND_DAYS = 28
"""Days the diary must span to compare its last weeks with its first."""
CHANGE_WINDOW_DAYS = 56
"""At most this many days either side of a change are compared (keeps drift out)."""
REGIME_SHARE = 0.7
"""A label counts as changed when it holds on this share of the nights either side."""
ALPHA = 0.05
CORRELATION_FLAG = 0.5
MEANINGFUL = 1.0
"""Changes in pain smaller than a point are treated as too small to matter."""

WINDOW_NIGHTS = 365
"""Insights analyse the most recent this-many nights recorded (about a year) and leave older
ones out. A product decision: the findings describe how the person's nights go now rather than
averaging over years in which pillow, mattress and back may all have changed, and a ten-year
diary costs what a one-year diary does to analyse. Every shell states it with
:func:`nightspine.insights.text.basis_text`."""

METHOD = (
    "linear regression with AR(1) errors in calendar time (REML); "
    "95% t interval; Bonferroni across all factors for 'credible'"
)
CHANGE_METHOD = (
    "before/after regression with AR(1) errors (REML) on up to 8 weeks each side; "
    "also with a linear time trend; Bonferroni across changes for 'credible'"
)
MULTIPLICITY = (
    "ci95 is the plain 95% interval; credible means the interval widened for the number of "
    "comparisons (Bonferroni, ci_adjusted) excludes 0, i.e. p_adjusted < 0.05"
)


@dataclass(frozen=True, slots=True)
class _FactorSpec:
    name: str
    kind: FactorKind
    unit: str | None = None


FACTORS: tuple[_FactorSpec, ...] = (
    _FactorSpec("sleep_position", "category"),
    _FactorSpec("knee_pillow", "boolean"),
    _FactorSpec("pillow", "label"),
    _FactorSpec("mattress", "label"),
    _FactorSpec("tosses_and_turns", "boolean"),
    _FactorSpec("hours_slept", "number", "hour"),
    _FactorSpec("exercise_minutes", "number", "minute"),
    _FactorSpec("sitting_hours", "number", "hour"),
    _FactorSpec("stress", "number", "point"),
    _FactorSpec("alcohol_evening", "boolean"),
    _FactorSpec("caffeine_evening", "boolean"),
    _FactorSpec("screens_in_bed", "boolean"),
    _FactorSpec("stretching", "boolean"),
    _FactorSpec("heat_or_ice", "boolean"),
)
"""The factors looked at, in the order they are reported."""

_REVERSE_CAUSE = {
    "tosses_and_turns": "Pain can cause restless nights as well as follow them.",
    "hours_slept": "Pain can shorten sleep as well as follow short sleep.",
    "heat_or_ice": "People reach for heat or ice on bad nights, so it may mark pain, not cause it.",
}


@dataclass(slots=True)
class _Candidate:
    spec: _FactorSpec
    level: str | None
    x: FloatArray  # per night, nan when not recorded
    fit: Fit | None = None
    n_with: int = 0
    n_without: int | None = None
    nights_needed: int = 0
    note: str = ""


def _normalise(label: str | None) -> str | None:
    if label is None:
        return None
    clean = " ".join(label.split())
    return clean or None


def _r(x: float, places: int = 3) -> float:
    return round(float(x), places)


def _p(x: float) -> float:
    return float(f"{x:.3g}")


def _ci(lo_hi: tuple[float, float], places: int = 3) -> tuple[float, float]:
    return (_r(lo_hi[0], places), _r(lo_hi[1], places))


class _Diary:
    """The entries as arrays: one row per recorded morning, sorted by date; the latest
    ``window`` of them when there are more."""

    def __init__(self, entries: Sequence[DiaryEntry], window: int) -> None:
        ordered = sorted(entries, key=lambda e: e.date)
        seen: set[dt.date] = set()
        problems = []
        for e in ordered:
            if e.date in seen:
                problems.append(Problem(e.date.isoformat(), "two diary entries for one date"))
            seen.add(e.date)
        if problems:
            raise InvalidInputError(problems, what="diary")
        ordered = ordered[-window:]
        self.entries = ordered
        self.dates = [e.date for e in ordered]
        origin = ordered[0].date.toordinal() if ordered else 0
        self.days: IntArray = np.array([d.toordinal() - origin for d in self.dates], dtype=np.int64)
        self.y: FloatArray = np.array([e.pain_on_waking for e in ordered], dtype=np.float64)

        self._rows = [e.__dict__ for e in ordered]
        self._columns: dict[str, list[object]] = {}
        self._labels: dict[str, list[str | None]] = {}
        self._folded: dict[str, list[str | None]] = {}

    def column(self, name: str) -> list[object]:
        if name not in self._columns:
            self._columns[name] = [row[name] for row in self._rows]
        return self._columns[name]

    def numbers(self, name: str) -> FloatArray:
        return np.array([np.nan if v is None else v for v in self.column(name)], dtype=np.float64)

    def labels(self, name: str) -> list[str | None]:
        """A text column with whitespace tidied (``None`` for blank or not recorded)."""
        if name not in self._labels:
            memo: dict[object, str | None] = {None: None}
            out: list[str | None] = []
            for v in self.column(name):
                if v not in memo:
                    memo[v] = _normalise(v) if isinstance(v, str) else None
                out.append(memo[v])
            self._labels[name] = out
        return self._labels[name]

    def folded(self, name: str) -> list[str | None]:
        """:meth:`labels` casefolded, for comparing labels however they were typed."""
        if name not in self._folded:
            memo: dict[str | None, str | None] = {None: None}
            out: list[str | None] = []
            for v in self.labels(name):
                if v not in memo:
                    memo[v] = None if v is None else v.casefold()
                out.append(memo[v])
            self._folded[name] = out
        return self._folded[name]


# ---------------------------------------------------------------- the trend


def _smooth(days: IntArray, y: FloatArray, half_width: int) -> FloatArray:
    """Tricube-weighted local linear smoothing (LOESS without robustness steps) on the days."""
    span = int(days[-1]) + 1
    observed = np.zeros(span)
    values = np.zeros(span)
    observed[days] = 1.0
    values[days] = y
    k = np.arange(-half_width, half_width + 1, dtype=np.float64)
    w = (1.0 - np.abs(k / (half_width + 1)) ** 3) ** 3
    pad = np.zeros(half_width)

    def corr(signal: FloatArray, kernel: FloatArray) -> FloatArray:
        return np.correlate(np.concatenate([pad, signal, pad]), kernel, mode="valid")

    s0, s1, s2 = corr(observed, w), corr(observed, w * k), corr(observed, w * k * k)
    t0, t1 = corr(values, w), corr(values, w * k)
    det = s0 * s2 - s1 * s1
    with np.errstate(divide="ignore", invalid="ignore"):
        local_linear = (s2 * t0 - s1 * t1) / det
        local_mean = t0 / s0
    ok = det > 1e-6 * np.maximum(s0 * s2, 1e-12)
    smoothed = np.where(ok, local_linear, local_mean)
    return np.clip(smoothed[days], 0.0, 10.0)


def _window(diary: _Diary, mask: NDArray[np.bool_], start: dt.date, end: dt.date) -> Window:
    n = int(mask.sum())
    mean = _r(float(diary.y[mask].mean()), 2) if n else None
    return Window(start=start, end=end, nights=n, mean_pain=mean)


def _trend(diary: _Diary) -> Trend:
    n = diary.y.size
    span = int(diary.days[-1]) + 1 if n else 0
    half_width = int(np.clip(span // 4, 7, 21))
    method = (
        f"tricube local linear smoothing over ±{half_width} days; last weeks against first "
        "by regression with AR(1) errors (REML)"
    )
    curve = Curve()
    if n >= 3:
        smoothed = np.round(_smooth(diary.days, diary.y, half_width), 2)
        curve = Curve(
            dates=tuple(diary.dates),
            pain=tuple(diary.y.tolist()),
            smoothed=tuple(smoothed.tolist()),
        )
    if span < MIN_TREND_DAYS:
        needed = MIN_TREND_DAYS - span
        return Trend(
            enough_data=False,
            method=method,
            curve=curve,
            nights_needed=needed,
            message=(
                f"Not enough data yet for a trend: it needs at least {MIN_TREND_DAYS} days of "
                f"diary, about {nights_text(needed, 'more')}."
            ),
        )
    width = 28 if span >= 84 else 14
    first_mask = diary.days < width
    last_mask = diary.days > span - 1 - width
    start, end = diary.dates[0], diary.dates[-1]
    first = _window(diary, first_mask, start, start + dt.timedelta(days=width - 1))
    last = _window(diary, last_mask, end - dt.timedelta(days=width - 1), end)
    missing = max(0, MIN_PER_GROUP - first.nights) + max(0, MIN_PER_GROUP - last.nights)
    if missing:
        return Trend(
            enough_data=False,
            method=method,
            curve=curve,
            first=first,
            last=last,
            nights_needed=max(0, MIN_PER_GROUP - last.nights),
            message=(
                "Not enough data yet for a trend: it needs at least "
                f"{nights_text(MIN_PER_GROUP)} in both the first and the last {width // 7} weeks "
                f"(there are {first.nights} and {last.nights})."
            ),
        )
    both = first_mask | last_mask
    x = np.column_stack([np.ones(int(both.sum())), last_mask[both].astype(np.float64)])
    fit = fit_ar1(diary.days[both], diary.y[both], x)
    diff = float(fit.beta[1])
    ci = fit.interval(1)
    clear = ci[0] > 0 or ci[1] < 0
    if clear:
        direction: Literal["better", "worse", "unchanged", "unclear"] = (
            "worse" if diff > 0 else "better"
        )
    elif ci[0] > -MEANINGFUL and ci[1] < MEANINGFUL:
        direction = "unchanged"
    else:
        direction = "unclear"
    weeks = width // 7
    said = signed_interval(diff, ci)
    text = {
        "better": f"Mornings have improved: in the last {weeks} weeks they were {said} "
        f"than in the first {weeks} weeks (average {last.mean_pain} against {first.mean_pain}).",
        "worse": f"Mornings have got worse: in the last {weeks} weeks they were {said} "
        f"than in the first {weeks} weeks (average {last.mean_pain} against {first.mean_pain}).",
        "unchanged": f"Mornings have stayed about the same: the last {weeks} weeks were "
        f"{said} than the first {weeks}; any change is under a point.",
        "unclear": f"No clear change yet: the last {weeks} weeks were {said} than the first "
        f"{weeks}; the ups and downs are too large to tell.",
    }[direction]
    return Trend(
        enough_data=True,
        method=method,
        curve=curve,
        first=first,
        last=last,
        difference=_r(diff),
        ci95=_ci(ci),
        p_value=_p(fit.p_value(1)),
        clear=clear,
        direction=direction,
        phi=fit.phi,
        message=text + " This allows for day-to-day runs of good and bad mornings.",
    )


# ---------------------------------------------------------------- factors


def _candidates(diary: _Diary) -> list[_Candidate]:
    out: list[_Candidate] = []
    for spec in FACTORS:
        if spec.kind == "number":
            out.append(_Candidate(spec, None, diary.numbers(spec.name)))
            continue
        if spec.kind == "boolean":
            out.append(_Candidate(spec, None, diary.numbers(spec.name)))
            continue
        values = diary.labels(spec.name)
        recorded = [v for v in values if v is not None]
        if not recorded:
            continue
        keys: dict[str, str] = {}  # casefolded label -> label as first written
        order: list[str] = []
        for v in recorded:
            key = v.casefold()
            if key not in keys:
                keys[key] = v
                order.append(key)
        folded = diary.folded(spec.name)
        tally = Counter(folded)
        counts = {k: tally[k] for k in order}
        levels = order
        if len(order) == 2:
            # the two comparisons would mirror each other: keep the newer label, the rarer level
            levels = [order[1]] if spec.kind == "label" else [min(order, key=lambda k: counts[k])]
        for key in levels:
            x = np.array([np.nan if f is None else f == key for f in folded], dtype=np.float64)
            out.append(_Candidate(spec, keys[key], x))
    return out


def _examine(c: _Candidate, diary: _Diary) -> None:
    """Fit one candidate when it has enough data; otherwise say what is missing."""
    mask = ~np.isnan(c.x)
    x = c.x[mask]
    name = factor_name(c.spec.name, c.level)
    if c.spec.kind == "number":
        c.n_with, c.n_without = int(mask.sum()), None
        distinct = np.unique(x).size
        if c.n_with < MIN_NUMBER:
            c.nights_needed = MIN_NUMBER - c.n_with
            c.note = (
                f"{name[0].upper()}{name[1:]}: not enough data yet ({nights_text(c.n_with)} "
                f"recorded; record it on {nights_text(c.nights_needed, 'more')})."
            )
            return
        if distinct < 3:
            c.nights_needed = 0
            c.note = (
                f"{name[0].upper()}{name[1:]}: not enough variety yet (only {distinct} different "
                "values recorded), so its effect cannot be told apart."
            )
            return
        centred = x - x.mean()
    else:
        c.n_with, c.n_without = int((x == 1.0).sum()), int((x == 0.0).sum())
        short = max(0, MIN_PER_GROUP - c.n_with) + max(0, MIN_PER_GROUP - c.n_without)
        if short:
            c.nights_needed = short
            phrase = nights_phrase(c.spec.name, c.level)
            if c.n_without == 0 and c.spec.kind != "boolean":
                c.note = (
                    f"{name[0].upper()}{name[1:]}: every recorded night was the same, so there "
                    f"is nothing to compare with yet (needs {MIN_PER_GROUP} nights of another)."
                )
            else:
                c.note = (
                    f"{name[0].upper()}{name[1:]}: not enough data yet ({c.n_with} {phrase} "
                    f"and {c.n_without} others; at least {MIN_PER_GROUP} of each are needed)."
                )
            return
        centred = x
    design = np.column_stack([np.ones(x.size), centred])
    c.fit = fit_ar1(diary.days[mask], diary.y[mask], design)


def _pearson(u: FloatArray, v: FloatArray) -> float:
    du, dv = u - u.mean(), v - v.mean()
    denominator = float(np.sqrt((du @ du) * (dv @ dv)))
    return float(du @ dv) / denominator if denominator > 0 else 0.0


def _time_correlation(days: IntArray, x: FloatArray) -> float:
    mask = ~np.isnan(x)
    if mask.sum() < 3:
        return 0.0
    return _pearson(days[mask].astype(np.float64), x[mask])


def _correlation(a: FloatArray, b: FloatArray) -> tuple[float, int]:
    mask = ~np.isnan(a) & ~np.isnan(b)
    n = int(mask.sum())
    if n < 10:
        return 0.0, n
    return _pearson(a[mask], b[mask]), n


def _credible_alone(fit: Fit, tests: int) -> bool:
    q = t_quantile(fit.df, 1.0 - ALPHA / tests)
    b, se = float(fit.beta[1]), float(fit.se[1])
    return b - q * se > 0 or b + q * se < 0


def _factor_effect(
    c: _Candidate, diary: _Diary, tests: int, others: list[_Candidate]
) -> FactorEffect:
    places = 4 if c.spec.kind == "number" else 3
    base: dict[str, Any] = {
        "factor": c.spec.name,
        "level": c.level,
        "kind": c.spec.kind,
        "unit": c.spec.unit,
        "n_with": c.n_with,
        "n_without": c.n_without,
        "method": METHOD,
    }
    if c.fit is None:
        return FactorEffect(
            enough_data=False, nights_needed=c.nights_needed, message=c.note, **base
        )
    fit = c.fit
    effect = float(fit.beta[1])
    ci95 = fit.interval(1)
    q = t_quantile(fit.df, 1.0 - ALPHA / tests)
    se = float(fit.se[1])
    ci_adj = (effect - q * se, effect + q * se)
    credible = _credible_alone(fit, tests)
    p = fit.p_value(1)
    mask = ~np.isnan(c.x)
    mean_with = mean_without = None
    if c.spec.kind != "number":
        on = mask & (c.x == 1.0)
        off = mask & (c.x == 0.0)
        mean_with, mean_without = _r(diary.y[on].mean(), 2), _r(diary.y[off].mean(), 2)
    time_confounded = abs(_time_correlation(diary.days, c.x)) >= CORRELATION_FLAG
    correlated: list[str] = []
    caveats: list[str] = []
    if credible:
        for o in others:
            if o is c or o.fit is None or o.spec.name == c.spec.name:
                continue
            r, _ = _correlation(c.x, o.x)
            if abs(r) >= CORRELATION_FLAG:
                correlated.append(factor_name(o.spec.name, o.level))
        if correlated:
            caveats.append(
                "These nights often went with "
                + ", ".join(correlated)
                + "; from the diary alone, either could be the reason (or neither)."
            )
        if time_confounded:
            caveats.append(
                "These nights fall mostly in one part of the diary, so a change over time "
                "could explain this too (see Changes)."
            )
        if c.spec.kind in ("category", "label"):
            opposite = [
                o
                for o in others
                if o is not c
                and o.spec.name == c.spec.name
                and o.fit is not None
                and _credible_alone(o.fit, tests)
                and np.sign(o.fit.beta[1]) != np.sign(fit.beta[1])
                and abs(float(o.fit.beta[1])) > abs(float(fit.beta[1]))
            ]
            if opposite:
                caveats.append(
                    "Each is compared with all the other nights, so this may mostly reflect "
                    + " and ".join(nights_phrase(o.spec.name, o.level) for o in opposite)
                    + " being different."
                )
        if c.spec.name in _REVERSE_CAUSE:
            caveats.append(_REVERSE_CAUSE[c.spec.name])
    effect_model = FactorEffect(
        enough_data=True,
        effect=_r(effect, places),
        ci95=_ci(ci95, places),
        ci_adjusted=_ci(ci_adj, places),
        credible=credible,
        p_value=_p(p),
        p_adjusted=_p(min(1.0, p * tests)),
        mean_with=mean_with,
        mean_without=mean_without,
        phi=fit.phi,
        correlated_with=tuple(correlated),
        time_confounded=time_confounded,
        caveats=tuple(caveats),
        message="",
        **base,
    )
    return effect_model.model_copy(update={"message": factor_sentence(effect_model, tests=tests)})


# ---------------------------------------------------------------- changes


def _change_values(diary: _Diary, field: str) -> list[str | None]:
    if field == "knee_pillow":
        return [None if v is None else ("with" if v else "without") for v in diary.column(field)]
    return diary.labels(field)


def _dominant(folded: Sequence[str | None]) -> tuple[str | None, float]:
    tally = Counter(v for v in folded if v is not None)
    if not tally:
        return None, 0.0
    key, count = tally.most_common(1)[0]
    return key, count / sum(tally.values())


def _detect_changes(diary: _Diary, field: str) -> list[tuple[int, str, str]]:
    """(row, before, after) where ``field`` switched to a new value that then held."""
    values = _change_values(diary, field)
    folded = values if field == "knee_pillow" else diary.folded(field)
    first_seen: list[int] = []
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v is not None and v.casefold() not in seen:
            seen.add(v.casefold())
            first_seen.append(i)
    changes: list[tuple[int, str, str]] = []
    previous = 0
    for j, i in enumerate(first_seen[1:], start=1):
        nxt = first_seen[j + 1] if j + 1 < len(first_seen) else len(values)
        new = values[i]
        before, share_before = _dominant(folded[previous:i])
        after, share_after = _dominant(folded[i:nxt])
        if (
            new is not None
            and before is not None
            and after == new.casefold()
            and before != after
            and share_before >= REGIME_SHARE
            and share_after >= REGIME_SHARE
        ):
            old = next(v for v in values[previous:i] if v is not None and v.casefold() == before)
            changes.append((i, old, new))
            previous = i
    return changes


def _change(
    diary: _Diary, field: str, row: int, before: str, after: str
) -> tuple[Change, Fit | None]:
    day = int(diary.days[row])
    date = diary.dates[row]
    lo = day - CHANGE_WINDOW_DAYS
    hi = day + CHANGE_WINDOW_DAYS
    pre = (diary.days >= lo) & (diary.days < day)
    post = (diary.days >= day) & (diary.days < hi)
    before_window = _window(diary, pre, date - dt.timedelta(days=CHANGE_WINDOW_DAYS), date)
    after_window = _window(diary, post, date, date + dt.timedelta(days=CHANGE_WINDOW_DAYS - 1))
    before_window = before_window.model_copy(
        update={"start": diary.dates[int(np.argmax(pre))] if pre.any() else date}
    )
    last_post = int(np.nonzero(post)[0][-1])
    after_window = after_window.model_copy(update={"end": diary.dates[last_post]})
    base: dict[str, Any] = {
        "factor": field,
        "date": date,
        "before": before,
        "after": after,
        "before_window": before_window,
        "after_window": after_window,
        "method": CHANGE_METHOD,
    }
    short = max(0, MIN_PER_GROUP - before_window.nights) + max(
        0, MIN_PER_GROUP - after_window.nights
    )
    if short:
        what = factor_name(field)
        return (
            Change(
                enough_data=False,
                nights_needed=short,
                message=(
                    f"Change of {what} on {day_text(date)} ('{before}' to '{after}'): not enough "
                    f"data yet ({nights_text(before_window.nights)} before, {after_window.nights} "
                    "after; "
                    f"at least {MIN_PER_GROUP} each)."
                ),
                **base,
            ),
            None,
        )
    both = pre | post
    days = diary.days[both]
    y = diary.y[both]
    after_x = post[both].astype(np.float64)
    fit = fit_ar1(days, y, np.column_stack([np.ones(days.size), after_x]))
    t = (days - day).astype(np.float64) / 30.0
    adjusted = fit_ar1(days, y, np.column_stack([np.ones(days.size), t, after_x]))
    before_days = diary.days[pre]
    pre_fit = fit_ar1(
        before_days,
        diary.y[pre],
        np.column_stack([np.ones(before_days.size), (before_days - day) / 30.0]),
    )
    ci95 = fit.interval(1)
    adj_ci = adjusted.interval(2)
    pre_ci = pre_fit.interval(1)
    excludes = ci95[0] > 0 or ci95[1] < 0
    time_confounded = (pre_ci[0] > 0 or pre_ci[1] < 0) or (excludes and adj_ci[0] <= 0 <= adj_ci[1])
    change = Change(
        enough_data=True,
        effect=_r(float(fit.beta[1])),
        ci95=_ci(ci95),
        p_value=_p(fit.p_value(1)),
        trend_adjusted_effect=_r(float(adjusted.beta[2])),
        trend_adjusted_ci95=_ci(adj_ci),
        time_confounded=time_confounded,
        phi=fit.phi,
        message="",
        **base,
    )
    return change, fit


def _finish_changes(changes: list[tuple[Change, Fit | None]]) -> list[Change]:
    """Apply the Bonferroni control across changes and write the sentences."""
    tests = sum(1 for _, fit in changes if fit is not None)
    out: list[Change] = []
    for c, fit in changes:
        if fit is None or c.p_value is None:
            out.append(c)
            continue
        effect, se = float(fit.beta[1]), float(fit.se[1])
        q = t_quantile(fit.df, 1.0 - ALPHA / tests)
        ci_adj = (effect - q * se, effect + q * se)
        credible = ci_adj[0] > 0 or ci_adj[1] < 0
        updated = c.model_copy(
            update={
                "ci_adjusted": _ci(ci_adj),
                "credible": credible,
                "p_adjusted": _p(min(1.0, c.p_value * tests)),
            }
        )
        out.append(updated.model_copy(update={"message": change_sentence(updated, tests=tests)}))
    return out


# ---------------------------------------------------------------- the whole


GENERAL_CAVEATS = (
    "These are associations in your own diary, not proof of cause; a planned experiment "
    "(nightspine experiment) can test one change properly.",
    "Each factor is looked at on its own; factors that tend to come together cannot be told "
    "apart from the diary alone.",
    "Intervals allow for runs of good and bad mornings and for missing nights.",
    "This supports your decisions and your talks with a clinician; it does not diagnose.",
)


def analyze(
    entries: Sequence[DiaryEntry], *, today: dt.date | None = None, recorded: int | None = None
) -> Insights:
    """What the diary ``entries`` say about morning pain: trend, factors and changes, over the
    latest :data:`WINDOW_NIGHTS` of them.

    ``today`` (default: the last entry's date) is used to note a diary that has gone quiet.
    ``recorded`` is how many nights the whole diary holds when ``entries`` are only its latest
    (a caller that reads just the window); it defaults to ``len(entries)``.
    Raises :class:`InvalidInputError` if two entries share a date.
    """
    diary = _Diary(entries, WINDOW_NIGHTS)
    n = len(diary.entries)
    nights_recorded = max(len(entries), recorded or 0)
    first = diary.dates[0] if n else None
    last = diary.dates[-1] if n else None
    multiplicity = MULTIPLICITY
    if n < MIN_NIGHTS:
        needed = MIN_NIGHTS - n
        message = (
            f"Not enough data yet: {n} night{'s' if n != 1 else ''} logged. Keep the diary for "
            f"at least {needed} more night{'s' if needed != 1 else ''} before looking for "
            "patterns; most factors need a few weeks, with at least "
            f"{MIN_PER_GROUP} nights with and without each."
        )
        trend = (
            _trend(diary)
            if n
            else Trend(
                enough_data=False,
                method="",
                curve=Curve(),
                nights_needed=MIN_TREND_DAYS,
                message="No nights logged yet.",
            )
        )
        return Insights(
            nights=n,
            nights_recorded=nights_recorded,
            first_date=first,
            last_date=last,
            enough_data=False,
            nights_needed=needed,
            trend=trend,
            factors=(),
            changes=(),
            tests=0,
            multiplicity=multiplicity,
            caveats=GENERAL_CAVEATS,
            message=message,
        )
    trend = _trend(diary)
    candidates = _candidates(diary)
    for c in candidates:
        _examine(c, diary)
    tests = sum(1 for c in candidates if c.fit is not None)
    factors = tuple(_factor_effect(c, diary, max(tests, 1), candidates) for c in candidates)
    changes = [
        _change(diary, field, row, before, after)
        for field in ("mattress", "pillow", "knee_pillow")
        for row, before, after in _detect_changes(diary, field)
    ]
    finished = _finish_changes(changes)
    caveats = list(GENERAL_CAVEATS)
    if today is not None and last is not None and (today - last).days > 14:
        caveats.append(
            f"Your last entry was {(today - last).days} days ago; these insights describe the "
            "past, not how you are now."
        )
    credible = sum(1 for f in factors if f.credible)
    if tests:
        verb = "stands" if credible == 1 else "stand"
        message = f"{credible} of {tests} comparisons {verb} out beyond chance."
    else:
        message = "No factor has enough data yet to be compared."
    return Insights(
        nights=n,
        nights_recorded=nights_recorded,
        first_date=first,
        last_date=last,
        enough_data=True,
        nights_needed=0,
        trend=trend,
        factors=factors,
        changes=tuple(finished),
        tests=tests,
        multiplicity=multiplicity,
        caveats=tuple(caveats),
        message=message,
    )
