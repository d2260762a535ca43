"""What the report for the doctor says: a pure content model, built from the person's data.

:func:`build_report` turns the profile facts, the latest assessment (answers and result), the
diary entries of a period, the insights (when available), the changes and the experiments into
a :class:`ReportContent`. Rendering it to PDF is the shell ``report/render.py``'s job; nothing
here imports the PDF engine or a chart library.

Page 1 is for the clinician: who, triage and concerns with the answers that raised them, the pain
pattern in the words doctors ask for, the warning signs asked and answered (the "no"s too),
history and medicines, what was tried and what the diary says about it, and the chart data.
Page 2 (optional) is for the person: the plan and the questions to ask.

Everything page 1 says about the assessment is the assessment's for-your-doctor facts
(:func:`nightspine.assessment.doctor.doctor_facts`), the same words the terminal and the web
show; this module adds only what the diary, the insights and the experiments say.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nightspine.assessment.answers import Answers
from nightspine.assessment.doctor import DoctorFacts, Fact, answer_fact, doctor_facts
from nightspine.assessment.result import DISCLAIMER, Assessment, TriageLevel
from nightspine.diary.entry import DiaryEntry
from nightspine.insights.result import Insights
from nightspine.insights.text import basis_text, interval_name, interval_text, signed_points
from nightspine.knowledge.loader import KnowledgeBase
from nightspine.knowledge.pictures import load_pictures
from nightspine.report.words import join_words, key_words, value_words

POSITIONS: tuple[str, ...] = ("back", "side", "stomach", "mixed")
CHANGE_WINDOW_NIGHTS = 28
MAX_FACTOR_ROWS = 6
TEXT_KEYS = ("message", "text", "sentence", "summary")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- inputs


class PersonFacts(_Frozen):
    """What the report may say about who the person is (no name unless they add one)."""

    age: int | None = None
    sex: str | None = None
    name: str | None = None
    birth_year: int | None = None  # for the exports (a FHIR birthDate may be a year)


class ExperimentInfo(_Frozen):
    """An experiment (a one-change trial) as the report shows it."""

    title: str
    start: dt.date
    end: dt.date | None = None
    status: str = ""
    verdict: str = Field("", description="the plain verdict, when the experiment has ended")


class FactorEffectIn(BaseModel):
    """One factor effect of the insights (the JSON contract of ``nightspine insights``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    factor: str
    level: str | None = None
    kind: str | None = None
    unit: str | None = None
    effect: float | None = None
    ci95: tuple[float, float] | None = None
    ci_adjusted: tuple[float, float] | None = Field(
        None, description="the interval widened for the number of comparisons"
    )
    credible: bool = False
    n_with: int | None = None
    n_without: int | None = None
    time_confounded: bool = False
    message: str | None = None


class InsightsIn(BaseModel):
    """The parts of the insights the report uses, read from their JSON form."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    nights: int = 0
    trend: dict[str, Any] = Field(default_factory=dict)
    factors: list[FactorEffectIn] = Field(default_factory=list)
    changes: list[dict[str, Any]] = Field(default_factory=list)
    tests: int | None = None
    multiplicity: str = ""


def read_insights(insights: BaseModel | Mapping[str, Any] | None) -> InsightsIn | None:
    """Accept the insights as their model (anything with ``model_dump``) or their JSON dict."""
    if insights is None:
        return None
    if isinstance(insights, BaseModel):
        data: Any = insights.model_dump(mode="json")
    else:
        data = dict(insights)
    return InsightsIn.model_validate(data)


def _basis(insights: BaseModel | Mapping[str, Any] | None) -> str:
    """The insights' own sentence on the nights they analysed when older ones were left out
    (``nightspine.insights.text.basis_text``, as on the web and in the terminal)."""
    if isinstance(insights, Insights):
        return basis_text(insights)
    if insights is None:
        return ""
    data = insights.model_dump(mode="json") if isinstance(insights, BaseModel) else dict(insights)
    try:
        return basis_text(Insights.model_validate(data))
    except ValueError:  # a partial JSON form (pydantic's ValidationError is a ValueError)
        return ""


# --------------------------------------------------------------------------- the content


FactLine = Fact
"""A labelled fact: ``label`` in a narrow column, ``text`` beside it (the assessment's own)."""


class ConcernLine(_Frozen):
    title: str
    level: TriageLevel
    raised_by: list[FactLine] = Field(description="the answers that raised it, in words")
    reasons: list[str] = Field(default_factory=list)


class TriageSection(_Frozen):
    level: TriageLevel
    label: str = Field(description="the level in words, e.g. 'Soon'")
    meaning: str = Field(description="what the level means (the vocabulary's words)")
    reasons: list[str] = Field(default_factory=list)
    likely_contributors: FactLine | None = None


class WarningSigns(_Frozen):
    """The warning signs as the for-your-doctor summary lists them."""

    reported: list[str] = Field(default_factory=list)
    denied: list[str] = Field(default_factory=list, description="asked and answered no")
    not_asked: list[str] = Field(default_factory=list)


class FactorRow(_Frozen):
    """A factor effect with its interval: "with" minus "without", in morning-pain points.

    The interval is the one widened for multiple comparisons when the insights give it, so
    ``credible`` is exactly "the interval shown excludes 0".
    """

    label: str
    effect: float
    low: float | None
    high: float | None
    effect_text: str = Field("", description="the effect as every shell prints it ('+2.8')")
    interval_text: str = Field("", description="the interval as every shell prints it")
    credible: bool
    n_with: int | None
    n_without: int | None
    follows_trend: bool = Field(False, description="the factor changed along with the trend")


class PainPoint(_Frozen):
    date: dt.date
    pain: int
    smooth: float = Field(description="mean of the nights around it (7-night window)")


class ChangeMark(_Frozen):
    date: dt.date
    kind: Literal["mattress", "pillow", "experiment"]
    label: str
    end: dt.date | None = None  # the last morning of an experiment


class WeekPositions(_Frozen):
    """Share (0 to 1) of the recorded nights of one week spent mostly in each position."""

    week_start: dt.date
    nights: int
    back: float = 0.0
    side: float = 0.0
    stomach: float = 0.0
    mixed: float = 0.0


class ChartData(_Frozen):
    pain: list[PainPoint] = Field(default_factory=list)
    marks: list[ChangeMark] = Field(default_factory=list)
    positions: list[WeekPositions] = Field(default_factory=list)


class ClinicianPage(_Frozen):
    who: str
    assessed_on: dt.date | None
    triage: TriageSection | None
    concerns: list[ConcernLine] = Field(default_factory=list)
    pattern: list[FactLine] = Field(default_factory=list)
    warning_signs: WarningSigns | None = Field(None, description="None: no assessment")
    history: list[FactLine] = Field(default_factory=list)
    tried: list[str] = Field(default_factory=list)
    diary: list[str] = Field(default_factory=list, description="what the diary says, sentences")
    factors: list[FactorRow] = Field(default_factory=list)
    factors_left_out: int = Field(0, description="effects not shown (none of them clear)")
    factors_note: str = ""
    interval_name: str = Field("95% interval", description="the name of the intervals shown")


class PlanLine(_Frozen):
    when: str
    title: str
    text: str
    why: str = ""
    sources: str = ""
    pictures: list[str] = Field(
        default_factory=list, description="ids of the drawings shown with it (pictures.yaml)"
    )


class PersonPage(_Frozen):
    plan: list[PlanLine] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)


class ReportContent(_Frozen):
    """Everything the report shows; a renderer only lays it out."""

    title: str = "Night-time back pain: clinical summary"
    knowledge_version: str
    knowledge_reviewed: str
    made_on: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    nights: int
    notes: list[str] = Field(default_factory=list, description="caveats shown under the title")
    clinician: ClinicianPage
    charts: ChartData
    person: PersonPage | None = None
    disclaimer: str = DISCLAIMER

    @property
    def stamp(self) -> str:
        """The line printed on every page: knowledge base version and the date made."""
        return (
            f"knowledge base {self.knowledge_version} (reviewed {self.knowledge_reviewed})"
            f" · made {self.made_on.isoformat()}"
        )


# --------------------------------------------------------------------------- building


def build_report(
    *,
    knowledge: KnowledgeBase,
    made_on: dt.date,
    person: PersonFacts | None = None,
    answers: Answers | None = None,
    assessment: Assessment | None = None,
    assessed_on: dt.date | None = None,
    entries: Sequence[DiaryEntry] = (),
    insights: BaseModel | Mapping[str, Any] | None = None,
    experiments: Sequence[ExperimentInfo] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    person_page: bool = True,
) -> ReportContent:
    """Build the report's content. Entries outside ``start``..``end`` (inclusive) are left out.

    ``answers`` and ``assessment`` are the latest assessment's; either may be missing (a
    diary-only report says so). ``insights`` is the value of ``nightspine.insights.analyze``
    or its JSON form; without it the report shows raw averages and says they are untested.
    """
    chosen = sorted(
        (
            e
            for e in entries
            if (start is None or e.date >= start) and (end is None or e.date <= end)
        ),
        key=lambda e: e.date,
    )
    period_start = start or (chosen[0].date if chosen else None)
    period_end = end or (chosen[-1].date if chosen else None)
    facts = person or PersonFacts()
    read = read_insights(insights)
    given = answers if answers is not None else Answers({})
    notes: list[str] = []
    if assessment is None:
        notes.append("No assessment on record: the pattern below comes from the diary only.")
    elif assessment.knowledge_version != knowledge.version:
        notes.append(
            f"The assessment was made with knowledge base {assessment.knowledge_version}; "
            f"this report uses {knowledge.version}."
        )
    basis = _basis(insights)
    if basis:
        notes.append(basis)
    marks = _change_marks(chosen, experiments, period_start, period_end)
    rows = _factor_rows(read)
    said = (
        None
        if assessment is None
        else doctor_facts(
            knowledge, given, assessment.triage, assessment.concerns, assessment.contributors
        )
    )
    clinician = ClinicianPage(
        who=_who(facts, given),
        assessed_on=assessed_on,
        triage=_triage(knowledge, assessment, said),
        concerns=_concerns(knowledge, assessment, given),
        pattern=[*said.pain, *said.sleep_and_day] if said is not None else [],
        warning_signs=_warning_signs(said) if answers is not None else None,
        history=_history(said, chosen),
        tried=_tried(said, chosen, experiments, read),
        diary=_diary_findings(chosen, marks, read),
        factors=rows[:MAX_FACTOR_ROWS],
        factors_left_out=max(0, len(rows) - MAX_FACTOR_ROWS),
        factors_note=_factors_note(read, len(chosen)),
        interval_name=interval_name(_tests(read)),
    )
    return ReportContent(
        knowledge_version=knowledge.version,
        knowledge_reviewed=knowledge.meta.reviewed,
        made_on=made_on,
        period_start=period_start,
        period_end=period_end,
        nights=len(chosen),
        notes=notes,
        clinician=clinician,
        charts=ChartData(pain=_pain_points(chosen), marks=marks, positions=_week_positions(chosen)),
        person=_person_page(knowledge, assessment) if person_page else None,
        disclaimer=assessment.disclaimer if assessment is not None else DISCLAIMER,
    )


def _who(facts: PersonFacts, answers: Answers) -> str:
    age = facts.age if facts.age is not None else answers.number("age")
    sex = facts.sex or answers.choice("sex")
    parts: list[str] = []
    if facts.name:
        parts.append(facts.name)
    parts.append(f"age {int(age)}" if age is not None else "age not given")
    parts.append(sex if sex else "sex not given")
    if answers.flag("pregnant"):
        parts.append("pregnant")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _triage(
    knowledge: KnowledgeBase, assessment: Assessment | None, said: DoctorFacts | None
) -> TriageSection | None:
    """The level, what it means (the vocabulary's words, not the advice addressed to the
    person), the reasons and the likely contributors, as the summary names them."""
    if assessment is None:
        return None
    level = assessment.triage.level
    meaning = knowledge.vocabulary.triage_levels.get(level.value, "")
    return TriageSection(
        level=level,
        label=value_words(level.value).capitalize(),
        meaning=_cap(meaning) + "." if meaning else "",
        reasons=list(assessment.triage.reasons),
        likely_contributors=said.likely_contributors if said is not None else None,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _concerns(
    knowledge: KnowledgeBase, assessment: Assessment | None, answers: Answers
) -> list[ConcernLine]:
    if assessment is None:
        return []
    ordered = sorted(assessment.concerns, key=lambda c: -c.level.rank)
    return [
        ConcernLine(
            title=c.title,
            level=c.level,
            raised_by=[answer_fact(knowledge, answers, k) for k in c.because],
            reasons=list(c.reasons),
        )
        for c in ordered
    ]


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _diary_pattern(entries: Sequence[DiaryEntry]) -> list[str]:
    """What the mornings recorded say about the pain: where; how bad, waking and stiffness.
    ``entries`` is not empty."""
    out: list[str] = []
    counted = Counter(loc for e in entries for loc in e.pain_locations or ())
    if counted:
        where = [f"{value_words(loc)} ({n})" for loc, n in counted.most_common()]
        out.append("Pain recorded in (mornings): " + join_words(where) + ".")
    mornings = [float(e.pain_on_waking) for e in entries]
    parts = [
        f"typical morning pain {_num(_median(mornings) or 0)}/10"
        f" (range {_num(min(mornings))}-{_num(max(mornings))})"
    ]
    worst = [float(e.pain_worst_night) for e in entries if e.pain_worst_night is not None]
    if worst:
        parts.append(f"worst night recorded {_num(max(worst))}/10")
    woken = [e.woke_from_pain for e in entries if e.woke_from_pain is not None]
    if woken:
        some = sum(1 for w in woken if w > 0)
        parts.append(f"woken by pain on {some} of {_nights(len(woken))}")
    stiff = [float(e.stiffness_minutes) for e in entries if e.stiffness_minutes is not None]
    if stiff:
        parts.append(f"morning stiffness median {_num(_median(stiff) or 0)} minutes")
    out.append(_cap("; ".join(parts)) + ".")
    return out


def _nights(n: int) -> str:
    return f"{n} night" if n == 1 else f"{n} nights"


def _warning_signs(said: DoctorFacts | None) -> WarningSigns:
    """The summary's warning signs: reported, asked and denied, and not asked (a follow-up
    question that was not shown is "not asked", never "no")."""
    if said is None:
        return WarningSigns()
    return WarningSigns(
        reported=said.warning_signs_reported,
        denied=said.warning_signs_denied,
        not_asked=said.warning_signs_not_asked,
    )


def _history(said: DoctorFacts | None, entries: Sequence[DiaryEntry]) -> list[FactLine]:
    """The summary's history and medicines, then the medicines the diary records."""
    lines = list(said.history) if said is not None else []
    medicines = _diary_medicines(entries)
    if medicines:
        lines.append(FactLine(label="Diary medicines", text=medicines))
    return lines


def _diary_medicines(entries: Sequence[DiaryEntry]) -> str:
    """What the diary says about medicines, counted over the nights it was recorded: a night
    answered "none" counts as a night without; a night not recorded does not count at all."""
    recorded = [e.medications for e in entries if e.medications is not None]
    if not recorded:
        return ""
    taken = Counter(m for meds in recorded for m in meds)
    said = [f"{value_words(m)} on {_nights(n)}" for m, n in taken.most_common()]
    without = sum(1 for meds in recorded if not meds)
    if without:
        said.append(f"none on {_nights(without)}")
    return ", ".join(said) + f" ({_nights(len(recorded))} recorded)"


TRIED_IN_DIARY = (
    ("knee_pillow", "a knee pillow"),
    ("stretching", "stretching before bed"),
    ("heat_or_ice", "heat or ice"),
)


def _tried(
    said: DoctorFacts | None,
    entries: Sequence[DiaryEntry],
    experiments: Sequence[ExperimentInfo],
    insights: InsightsIn | None,
) -> list[str]:
    """What was tried (the summary's list first), each diary measure with what the diary says
    about it when the insights know, and the experiments with their verdicts."""
    tried: list[str] = [f.line for f in said.tried] if said is not None else []
    effects = {f.factor: f for f in (insights.factors if insights else []) if f.level is None}
    for field, name in TRIED_IN_DIARY:
        nights = sum(1 for e in entries if getattr(e, field) is True)
        if not nights:
            continue
        text = f"In the diary: {name} on {_nights(nights)}"
        factor = effects.get(field)
        if factor is not None and factor.effect is not None:
            text += "; " + _effect_words(factor)
        tried.append(text + ".")
    for exp in experiments:
        span = exp.start.isoformat() + (f" to {exp.end.isoformat()}" if exp.end else " (ongoing)")
        verdict = f": {exp.verdict}" if exp.verdict else ""
        tried.append(f"Experiment, {exp.title} ({span}){verdict}")
    return tried


def _effect_words(factor: FactorEffectIn) -> str:
    """``mornings after were 0.5 points better (0.1 to 0.9), a clear difference`` and the like.

    The interval is written on the same scale as the words ("better" or "worse"), and as
    "from 0.4 better to 0.6 worse" when it spans no difference.
    """
    effect = factor.effect or 0.0
    interval = factor.ci_adjusted or factor.ci95
    verdict = "a clear difference" if factor.credible else "no clear difference"
    if effect < 0:
        words = f"{abs(effect):.1f} points better"
        if interval is not None:
            low, high = -interval[1], -interval[0]  # on the "better" scale
            words += (
                f" ({low:.1f} to {high:.1f})"
                if low >= 0
                else f" (from {-low:.1f} worse to {high:.1f} better)"
            )
    else:
        words = f"{effect:.1f} points worse"
        if interval is not None:
            low, high = interval
            words += (
                f" ({low:.1f} to {high:.1f})"
                if low >= 0
                else f" (from {-low:.1f} better to {high:.1f} worse)"
            )
    return f"mornings after were {words}, {verdict}"


def _change_marks(
    entries: Sequence[DiaryEntry],
    experiments: Sequence[ExperimentInfo],
    start: dt.date | None,
    end: dt.date | None,
) -> list[ChangeMark]:
    marks: list[ChangeMark] = []
    for kind in ("mattress", "pillow"):
        previous: str | None = None
        for entry in entries:
            label = entry.mattress if kind == "mattress" else entry.pillow
            if label is None:
                continue
            if previous is not None and label != previous:
                marks.append(
                    ChangeMark(
                        date=entry.date,
                        kind="mattress" if kind == "mattress" else "pillow",
                        label=f"{kind}: {label}",
                    )
                )
            previous = label
    for exp in experiments:
        inside = (start is None or exp.start >= start) and (end is None or exp.start <= end)
        if inside:
            marks.append(
                ChangeMark(
                    date=exp.start,
                    kind="experiment",
                    label=f"experiment: {exp.title}",
                    end=exp.end,
                )
            )
    return sorted(marks, key=lambda m: (m.date, m.kind))


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _diary_findings(
    entries: Sequence[DiaryEntry], marks: Sequence[ChangeMark], insights: InsightsIn | None
) -> list[str]:
    if not entries:
        return ["No diary entries in this period."]
    out: list[str] = []
    first, last = entries[0].date, entries[-1].date
    span = (last - first).days + 1
    out.append(
        f"{len(entries)} mornings recorded from {first.isoformat()} to {last.isoformat()}"
        f" ({100 * len(entries) / span:.0f}% of the days)."
    )
    out += _diary_pattern(entries)
    pains = [float(e.pain_on_waking) for e in entries]
    if len(entries) >= 2 * CHANGE_WINDOW_NIGHTS:
        head = pains[:CHANGE_WINDOW_NIGHTS]
        tail = pains[-CHANGE_WINDOW_NIGHTS:]
        out.append(
            f"Morning pain averaged {_mean(head):.1f}/10 over the first {CHANGE_WINDOW_NIGHTS}"
            f" mornings and {_mean(tail):.1f}/10 over the last {CHANGE_WINDOW_NIGHTS}."
        )
    trend = _trend_text(insights)
    if trend:
        out.append(trend)
    positions = Counter(e.sleep_position for e in entries if e.sleep_position)
    if positions:
        total = sum(positions.values())
        out.append(
            "Mostly slept on: "
            + ", ".join(f"{p} {100 * n / total:.0f}%" for p, n in positions.most_common())
            + f" of {total} nights recorded."
        )
    hours = [e.hours_slept for e in entries if e.hours_slept is not None]
    if hours:
        out.append(f"Slept a median of {_num(round(_median(hours) or 0, 1))} hours.")
    if insights is not None and insights.changes:
        out.extend(_change_texts(insights.changes))
    else:
        for mark in marks:
            if mark.kind == "experiment":
                continue
            text = _raw_before_after(entries, mark)
            if text:
                out.append(text)
    return out


def _trend_text(insights: InsightsIn | None) -> str:
    if insights is None:
        return ""
    for key in TEXT_KEYS:
        value = insights.trend.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _change_texts(changes: Sequence[Mapping[str, Any]]) -> list[str]:
    out: list[str] = []
    for change in changes:
        for key in TEXT_KEYS:
            value = change.get(key)
            if isinstance(value, str) and value:
                out.append(value)
                break
        else:
            effect, ci = change.get("effect"), change.get("ci95")
            what = change.get("label") or change.get("field") or change.get("factor") or "change"
            when = change.get("date") or change.get("from") or change.get("since") or ""
            if isinstance(effect, int | float) and isinstance(ci, list | tuple) and len(ci) == 2:
                out.append(
                    f"After the change of {value_words(what)} {('on ' + str(when)) if when else ''}"
                    f": morning pain {_signed(float(effect))} points"
                    f" ({float(ci[0]):.1f} to {float(ci[1]):.1f})."
                )
    return out


def _signed(value: float) -> str:
    return f"{value:+.1f}"


def _raw_before_after(entries: Sequence[DiaryEntry], mark: ChangeMark) -> str:
    before = [float(e.pain_on_waking) for e in entries if e.date < mark.date]
    after = [float(e.pain_on_waking) for e in entries if e.date >= mark.date]
    before, after = before[-CHANGE_WINDOW_NIGHTS:], after[:CHANGE_WINDOW_NIGHTS]
    if len(before) < 7 or len(after) < 7:
        return ""
    return (
        f"From {mark.date.isoformat()} ({mark.label}): mornings averaged {_mean(before):.1f}"
        f" over the {len(before)} nights before and {_mean(after):.1f} over the {len(after)}"
        " after (raw averages, not tested for chance)."
    )


def _factor_label(factor: FactorEffectIn) -> str:
    name = key_words(factor.factor)
    if factor.level is not None:
        name = f"{name}: {value_words(factor.level)}"
    elif factor.kind == "number":
        name = f"{name} (per {factor.unit or 'unit'})"
    return name


def _factor_rows(insights: InsightsIn | None) -> list[FactorRow]:
    if insights is None:
        return []
    rows = []
    for factor in insights.factors:
        if factor.effect is None:
            continue
        interval = factor.ci_adjusted or factor.ci95
        low, high = interval if interval is not None else (None, None)
        rows.append(
            FactorRow(
                label=_factor_label(factor),
                effect=factor.effect,
                low=low,
                high=high,
                effect_text=signed_points(factor.effect),
                interval_text="–" if low is None or high is None else interval_text(low, high),
                credible=factor.credible,
                n_with=factor.n_with,
                n_without=factor.n_without,
                follows_trend=factor.time_confounded,
            )
        )
    rows.sort(key=lambda r: (not r.credible, -abs(r.effect)))
    return rows


def _tests(insights: InsightsIn | None) -> int:
    """How many factor comparisons the intervals are adjusted for (1: plain intervals)."""
    if insights is None:
        return 1
    if insights.tests is not None:
        return insights.tests
    if any(f.ci_adjusted is not None for f in insights.factors):
        return sum(1 for f in insights.factors if f.effect is not None)
    return 1


def _factors_note(insights: InsightsIn | None, nights: int) -> str:
    if insights is None:
        return (
            "Factor effects were not computed for this report"
            f" ({nights} nights); see `nightspine insights`."
        )
    if not any(f.effect is not None for f in insights.factors):
        return "Not enough nights yet for any factor effect."
    return (
        "Effect = difference in morning pain (0-10), nights with minus nights without (per unit"
        f" for numbers). Intervals: {interval_name(_tests(insights))}. * = the interval excludes 0."
        " † = changed along with the overall trend, so time may explain part of it."
        " Nights = with / without."
    )


def _pain_points(entries: Sequence[DiaryEntry]) -> list[PainPoint]:
    pains = [e.pain_on_waking for e in entries]
    points: list[PainPoint] = []
    window = 3
    for index, entry in enumerate(entries):
        near = pains[max(0, index - window) : index + window + 1]
        points.append(PainPoint(date=entry.date, pain=entry.pain_on_waking, smooth=_mean(near)))
    return points


def _week_positions(entries: Sequence[DiaryEntry]) -> list[WeekPositions]:
    weeks: dict[dt.date, Counter[str]] = {}
    for entry in entries:
        if entry.sleep_position is None:
            continue
        monday = entry.date - dt.timedelta(days=entry.date.weekday())
        weeks.setdefault(monday, Counter())[entry.sleep_position] += 1
    out: list[WeekPositions] = []
    for monday in sorted(weeks):
        counts = weeks[monday]
        total = sum(counts.values())
        out.append(
            WeekPositions(
                week_start=monday,
                nights=total,
                back=counts["back"] / total,
                side=counts["side"] / total,
                stomach=counts["stomach"] / total,
                mixed=counts["mixed"] / total,
            )
        )
    return out


WHEN_WORDS = {"tonight": "Tonight", "next_two_weeks": "Next two weeks", "ongoing": "Ongoing"}


def _person_page(knowledge: KnowledgeBase, assessment: Assessment | None) -> PersonPage:
    plan: list[PlanLine] = []
    questions: list[str] = list(knowledge.doctor.questions_to_ask)
    pictures = load_pictures()
    if assessment is not None:
        order = ("tonight", "next_two_weeks", "ongoing")
        for item in sorted(assessment.plan, key=lambda p: order.index(p.when)):
            plan.append(
                PlanLine(
                    when=WHEN_WORDS[item.when],
                    title=item.title,
                    text=item.text,
                    why=item.why,
                    sources="; ".join(s.label for s in item.sources),
                    pictures=[p.id for p in pictures.for_advice(item.id)],
                )
            )
        doctor = assessment.for_your_doctor
        if doctor.questions_to_ask:
            questions = list(doctor.questions_to_ask)
    return PersonPage(plan=plan, questions=questions)
