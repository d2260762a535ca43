"""Plain sentences about the insights, worded as a careful clinician would.

Pure functions of the result models: the shells print them, the report reuses them. Numbers are
given with their interval in the direction of the effect ("2.1 points worse (1.2 to 3.0)");
when the interval crosses zero it says so in words ("from 0.3 better to 1.1 worse").

ONE interval convention for the web, the terminal and the PDF: a factor's (or a change's) effect
is shown with its 95% interval *adjusted for the number of comparisons made* (``ci_adjusted``,
Bonferroni), so that "credible" is exactly "the interval shown excludes no difference". The
interval is always called by :func:`interval_name` ("95% interval, adjusted for the 12 factors
compared"), and :func:`shown_interval` picks it; the plain ``ci95`` stays in the JSON for
analysts but is not what people are shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from nightspine.diary.dates import day_text, span_text
from nightspine.insights.result import Change, FactorEffect, Insights, Trend

_POSITIONS = {
    "back": "nights on the back",
    "side": "nights on the side",
    "stomach": "nights on the stomach",
    "mixed": "nights in mixed positions",
}
_BOOLEANS = {
    "knee_pillow": "nights with a pillow between the knees",
    "tosses_and_turns": "nights of tossing and turning",
    "alcohol_evening": "evenings with alcohol",
    "caffeine_evening": "evenings with caffeine",
    "screens_in_bed": "nights with screens in bed",
    "stretching": "nights with stretching before bed",
    "heat_or_ice": "nights with heat or ice",
}
# number factors: (phrase for one step, how many units make that step)
_NUMBERS: dict[str, tuple[str, float]] = {
    "hours_slept": ("each extra hour of sleep", 1.0),
    "exercise_minutes": ("every 30 more minutes of exercise the day before", 30.0),
    "sitting_hours": ("each extra hour of sitting the day before", 1.0),
    "stress": ("each extra point of stress the day before", 1.0),
}
_NAMES = {
    "sleep_position": "sleeping position",
    "knee_pillow": "knee pillow",
    "pillow": "pillow",
    "mattress": "mattress",
    "tosses_and_turns": "tossing and turning",
    "hours_slept": "hours slept",
    "exercise_minutes": "exercise",
    "sitting_hours": "sitting",
    "stress": "stress",
    "alcohol_evening": "evening alcohol",
    "caffeine_evening": "evening caffeine",
    "screens_in_bed": "screens in bed",
    "stretching": "stretching before bed",
    "heat_or_ice": "heat or ice",
}


def factor_name(factor: str, level: str | None = None) -> str:
    """A short human name: ``"sleeping position: stomach"``, ``"pillow 'cervical'"``."""
    name = _NAMES.get(factor, factor.replace("_", " "))
    if level is None:
        return name
    if factor in ("pillow", "mattress"):
        return f"{name} '{level}'"
    return f"{name}: {level}"


def nights_phrase(factor: str, level: str | None) -> str:
    """The nights a category, label or boolean factor describes, e.g. "nights on the side"."""
    if factor == "sleep_position" and level in _POSITIONS:
        return _POSITIONS[level]
    if factor in ("pillow", "mattress") and level is not None:
        return f"nights on the '{level}' {factor}"
    if factor in _BOOLEANS:
        return _BOOLEANS[factor]
    return f"nights with {factor_name(factor, level)}"


def nights_text(count: int, more: str = "") -> str:
    """``"1 night"``, ``"3 nights"``, ``"1 more night"``: the count and the word agree."""
    word = "night" if count == 1 else "nights"
    return f"{count} {more} {word}" if more else f"{count} {word}"


def basis_text(insights: Insights) -> str:
    """What the insights are based on when older nights were left out (``""`` when the whole
    diary was analysed): the one sentence web, terminal and PDF print about it."""
    left_out = insights.nights_recorded - insights.nights
    if left_out <= 0 or insights.first_date is None or insights.last_date is None:
        return ""
    return (
        f"Based on your last {nights_text(insights.nights)}, "
        f"{span_text(insights.first_date, insights.last_date)}: the {nights_text(left_out)} "
        "recorded before them are left out, so that these findings describe your nights now."
    )


def _fmt(x: float) -> str:
    return f"{abs(x):.1f}"


def points(x: float) -> str:
    """A number of pain points as every shell prints it: one decimal (``-0.25`` -> ``-0.2``)."""
    return f"{x:.1f}"


_STEP_WORDS = {
    "hours_slept": "per hour",
    "exercise_minutes": "per 30 minutes",
    "sitting_hours": "per hour",
    "stress": "per point",
}


def signed_points(x: float) -> str:
    """An effect with its sign, as tables and charts print it: ``+2.1``, ``-0.5``."""
    return ("+" if x > 0 else "") + points(x)


def interval_text(low: float, high: float) -> str:
    """An interval on the signed scale, as tables and charts print it: ``-0.9 to -0.1``."""
    return f"{points(low)} to {points(high)}"


def effect_step(f: FactorEffect) -> tuple[str, float]:
    """How a number factor's effect is shown: ("per 30 minutes", 30.0); ("", 1.0) otherwise."""
    if f.kind != "number":
        return "", 1.0
    _, step = _NUMBERS.get(f.factor, ("", 1.0))
    return _STEP_WORDS.get(f.factor, f"per {f.unit or 'unit'}"), step


def chart_label(f: FactorEffect) -> str:
    """A short label for a chart row: "sleeping position: stomach", "exercise (per 30 minutes)"."""
    per, _ = effect_step(f)
    name = factor_name(f.factor, f.level)
    return f"{name} ({per})" if per else name


def interval_name(tests: int, compared: str = "factors") -> str:
    """The one name of the interval shown with effects, the same on web, terminal and PDF."""
    if tests <= 1:
        return "95% interval"
    return f"95% interval, adjusted for the {tests} {compared} compared"


def shown_interval(effect: FactorEffect | Change) -> tuple[float, float] | None:
    """The interval people are shown: adjusted for the comparisons made (see module doc)."""
    return effect.ci_adjusted if effect.ci_adjusted is not None else effect.ci95


def change_tests(insights: Insights) -> int:
    """How many dated changes entered their own multiplicity control."""
    return sum(1 for c in insights.changes if c.enough_data)


def interval_note(tests: int) -> str:
    """The sentence with every list, table or chart of effects, naming the interval shown."""
    if tests <= 1:
        return f"Intervals are the {interval_name(tests)}."
    return (
        f"Intervals are the {interval_name(tests)}: the range the true difference most likely "
        "lies in, widened because looking at many factors at once makes some look important "
        "by chance."
    )


def factor_groups(
    insights: Insights,
) -> tuple[list[FactorEffect], list[FactorEffect], list[FactorEffect]]:
    """(stands out, looked at but not clear, not enough data yet), largest effects first."""

    def size(f: FactorEffect) -> float:
        return -abs(f.effect or 0.0)

    credible = sorted((f for f in insights.factors if f.credible), key=size)
    analysed = sorted((f for f in insights.factors if f.enough_data and not f.credible), key=size)
    waiting = [f for f in insights.factors if not f.enough_data]
    return credible, analysed, waiting


def waiting_names(waiting: Sequence[FactorEffect]) -> str:
    """``"Not yet enough nights to tell for: hours slept, exercise and stress"``."""
    names = list(dict.fromkeys(factor_name(f.factor) for f in waiting))
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Not yet enough nights to tell for: {listed}"


TOP_FINDINGS = 3


def top_findings(insights: Insights) -> list[str]:
    """The two or three things that matter, in plain words, most important first."""
    if not insights.enough_data:
        return [insights.message]
    credible, _, _ = factor_groups(insights)
    found = [f.message for f in credible[:TOP_FINDINGS]]
    if insights.trend.clear and len(found) < TOP_FINDINGS:
        found.insert(0, insights.trend.message)
    clear_changes = [c.message for c in insights.changes if c.credible]
    found += clear_changes[: max(0, TOP_FINDINGS - len(found))]
    if not credible:
        found.append("No factor stands out clearly yet: keep logging, or test one change.")
    return found[:TOP_FINDINGS]


def signed_interval(effect: float, ci: tuple[float, float], *, step: float = 1.0) -> str:
    """``"2.1 points worse (1.2 to 3.0)"``; ``"0.4 points worse (from 0.3 better to 1.1 worse)"``.

    Positive numbers are more pain (worse). ``step`` scales a per-unit effect.
    """
    e, lo, hi = effect * step, ci[0] * step, ci[1] * step
    word = "worse" if e > 0 else "better"
    points = "point" if f"{abs(e):.1f}" == "1.0" else "points"
    if lo > 0 or hi < 0:
        a, b = sorted((abs(lo), abs(hi)))
        return f"{_fmt(e)} {points} {word} ({a:.1f} to {b:.1f})"
    return f"{_fmt(e)} {points} {word} (from {_fmt(lo)} better to {_fmt(hi)} worse)"


SMALL = 0.5
"""An interval inside ±0.5 points shows little or no difference either way."""


def _credibility(
    credible: bool,
    ci95: tuple[float, float],
    tests: int,
    *,
    step: float = 1.0,
    shown: tuple[float, float] | None = None,
) -> str:
    shown = shown or ci95
    if not credible and max(abs(shown[0]), abs(shown[1])) * step < SMALL:
        return "Any difference is small: under half a point either way."
    if credible:
        if tests > 1:
            return f"This stands out even after allowing for the {tests} comparisons made."
        return "This is unlikely to be chance alone."
    if ci95[0] > 0 or ci95[1] < 0:
        return (
            f"With {tests} comparisons made, a difference this size could still be chance; "
            "keep logging."
        )
    return "The difference could well be chance."


def factor_sentence(f: FactorEffect, *, tests: int) -> str:
    """The sentence for one factor (or the "not enough data yet" note)."""
    interval = shown_interval(f)
    if not f.enough_data or f.effect is None or f.ci95 is None or interval is None:
        return f.message
    step = 1.0
    if f.kind == "number":
        phrase, step = _NUMBERS.get(f.factor, (f"each extra {f.unit or 'unit'}", 1.0))
        head = (
            f"{phrase[0].upper()}{phrase[1:]} went with mornings "
            f"{signed_interval(f.effect, interval, step=step)}, over {nights_text(f.n_with)}."
        )
    else:
        head = (
            f"Mornings after {nights_phrase(f.factor, f.level)} were "
            f"{signed_interval(f.effect, interval)} over {nights_text(f.n_with, 'such')}."
        )
    return f"{head} {_credibility(f.credible, f.ci95, tests, step=step, shown=interval)}"


def change_sentence(c: Change, *, tests: int) -> str:
    """The sentence for one dated change of label."""
    interval = shown_interval(c)
    if not c.enough_data or c.effect is None or c.ci95 is None or interval is None:
        return c.message
    what = factor_name(c.factor)
    if c.factor == "knee_pillow":
        since = "starting" if c.after == "with" else "stopping"
        what_changed = f"{since} a knee pillow"
    else:
        what_changed = f"the change of {what} from '{c.before}' to '{c.after}'"
    head = (
        f"Since {what_changed} on {day_text(c.date)}, mornings were "
        f"{signed_interval(c.effect, interval)}, comparing {c.after_window.nights} nights after "
        f"with {c.before_window.nights} before."
    )
    parts = [head, _credibility(c.credible, c.ci95, tests, shown=interval)]
    if c.time_confounded:
        parts.append(
            "But the pain was already changing over time around then, so the change itself "
            "may not be the reason."
        )
        if c.trend_adjusted_effect is not None and c.trend_adjusted_ci95 is not None:
            parts.append(
                "Allowing for that trend, the difference was "
                f"{signed_interval(c.trend_adjusted_effect, c.trend_adjusted_ci95)}."
            )
    return " ".join(parts)


def trend_sentence(t: Trend) -> str:
    """The sentence about the trend (or why there is none yet)."""
    return t.message


def render_text(insights: Insights) -> str:
    """The whole insights as plain text, caveats included."""
    lines: list[str] = [f"Your diary: {nights_text(insights.nights)}", ""]
    if insights.first_date and insights.last_date:
        lines[0] += f" from {span_text(insights.first_date, insights.last_date)}."
    else:
        lines[0] += "."
    if basis_text(insights):
        lines[0] = f"Your diary: {nights_text(insights.nights_recorded)} recorded."
        lines.insert(1, basis_text(insights))
    if not insights.enough_data:
        lines.append(insights.message)
        return "\n".join(lines).rstrip() + "\n"
    lines.append("What matters most")
    lines += [f"  - {finding}" for finding in top_findings(insights)]
    lines += ["", "Trend", f"  {trend_sentence(insights.trend)}", ""]
    credible, analysed, waiting = factor_groups(insights)
    lines += [f"  {interval_note(insights.tests)}", ""]
    lines.append("What stands out")
    if not credible:
        lines.append("  Nothing stands out clearly yet: no factor's effect is beyond chance.")
    for f in credible:
        lines.append(f"  - {factor_sentence(f, tests=insights.tests)}")
        lines += [f"    ({c})" for c in f.caveats]
    if analysed:
        lines += ["", "Looked at, not clear"]
        lines += [f"  - {factor_sentence(f, tests=insights.tests)}" for f in analysed]
    if waiting:
        lines += ["", "Not enough data yet"]
        lines += [f"  - {f.message}" for f in waiting]
    if insights.changes:
        tests = change_tests(insights)
        lines += ["", "Changes", f"  Intervals: {interval_name(tests, 'changes')}."]
        lines += [f"  - {change_sentence(c, tests=tests)}" for c in insights.changes]
    lines += ["", "Keep in mind"]
    lines += [f"  - {c}" for c in insights.caveats]
    return "\n".join(lines).rstrip() + "\n"
