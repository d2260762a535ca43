"""The report's content model: the facts a clinician needs, computed from the person's data."""

from __future__ import annotations

import datetime as dt

import pytest
import report_simulation as sim
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.questionnaire import question
from nightspine.assessment.result import TriageLevel
from nightspine.diary.entry import DiaryEntry
from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import (
    PersonFacts,
    ReportContent,
    build_report,
    read_insights,
)

MADE_ON = dt.date(2026, 11, 21)


def test_page_one_carries_the_clinical_facts(year_report: ReportContent) -> None:
    doc = year_report.clinician
    assert doc.who == "Age 47, female"
    assert doc.triage is not None and doc.triage.level is TriageLevel.SOON
    concern = doc.concerns[0]
    assert concern.title == "Inflammatory back pain"
    raised = {line.label: line.text for line in concern.raised_by}
    assert raised["morning stiffness"] == "45 minutes"
    assert raised["conditions"] == "psoriasis"
    pattern = {line.label: line.text for line in doc.pattern}
    assert pattern["Night pattern"] == "worse after some hours lying, on waking; wakes from sleep"
    assert pattern["Morning stiffness"] == "45 minutes"
    assert "getting up" in pattern["Relieved by"]
    assert pattern["Severity"] == "4/10 now; 7/10 at worst at night"
    assert "Typical morning pain" in " ".join(doc.diary)  # the diary's numbers stay apart


def test_every_warning_sign_is_listed_with_its_answer(year_report: ReportContent) -> None:
    signs = year_report.clinician.warning_signs
    assert signs is not None and signs.reported == []
    for key in ("fever", "night_sweats", "weight_loss_unexplained"):
        assert question(key).short in signs.denied
    assert question("weakness_worsening").short in signs.not_asked  # a follow-up not shown
    assert len(signs.denied) + len(signs.not_asked) >= 20


def test_an_absent_answer_is_not_reported_as_denied() -> None:
    answers = {k: v for k, v in sim.ANSWERS.items() if k != "fever"}
    content = build_report(
        knowledge=load_knowledge(),
        made_on=MADE_ON,
        answers=validate_answers(answers),
        assessment=sim.assessment(),
    )
    signs = content.clinician.warning_signs
    assert signs is not None
    assert question("fever").short in signs.not_asked
    assert question("fever").short not in signs.denied


def test_a_reported_warning_sign_says_what_was_reported() -> None:
    answers = dict(sim.ANSWERS, fever=True, weakness=["both_legs"])
    content = build_report(
        knowledge=load_knowledge(),
        made_on=MADE_ON,
        answers=validate_answers(answers),
        assessment=sim.assessment(),
    )
    signs = content.clinician.warning_signs
    assert signs is not None
    assert signs.reported == [question("weakness").short + ": both legs", question("fever").short]


def test_changes_are_found_in_the_diary_labels(year_report: ReportContent) -> None:
    marks = [(m.date, m.kind) for m in year_report.charts.marks]
    assert marks == [
        (sim.MATTRESS_CHANGE, "mattress"),
        (sim.PILLOW_CHANGE, "pillow"),
        (sim.experiments()[0].start, "experiment"),
    ]


def test_factor_table_puts_credible_effects_first(year_report: ReportContent) -> None:
    rows = year_report.clinician.factors
    assert [r.label for r in rows][:2] == ["Sleeping position: stomach", "Knee pillow"]
    assert (rows[0].low, rows[0].high) == (1.6, 2.6)  # the interval widened for multiplicity
    assert rows[-1].credible is False
    name = "95% interval, adjusted for the 17 factors compared"  # one name on web, terminal, PDF
    assert f"Intervals: {name}." in year_report.clinician.factors_note
    assert year_report.clinician.interval_name == name


def test_the_insights_words_are_used_for_trend_and_changes(year_report: ReportContent) -> None:
    diary = year_report.clinician.diary
    assert "Morning pain fell from about 5.8 to 4.2 over the year." in diary
    assert any(line.startswith("Since the change of mattress") for line in diary)
    assert not any("raw averages" in line for line in diary)


def test_period_filters_entries_and_charts() -> None:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    content = build_report(
        knowledge=load_knowledge(), made_on=MADE_ON, entries=sim.entries(), start=start, end=end
    )
    assert content.period_start == start and content.period_end == end
    assert 0 < content.nights <= 31
    assert all(start <= p.date <= end for p in content.charts.pain)


def test_a_diary_only_report_says_there_is_no_assessment() -> None:
    content = build_report(
        knowledge=load_knowledge(),
        made_on=MADE_ON,
        person=PersonFacts(age=60, sex="male", name="J. Doe"),
        entries=sim.entries(60),
        person_page=False,
    )
    assert content.clinician.triage is None
    assert content.clinician.warning_signs is None
    assert content.clinician.pattern == []
    assert content.person is None
    assert content.notes and "No assessment" in content.notes[0]
    assert content.clinician.who == "J. Doe, age 60, male"
    assert "not computed" in content.clinician.factors_note
    assert not any("raw averages" in line for line in content.clinician.diary)


def test_stamp_names_the_knowledge_version(year_report: ReportContent) -> None:
    kb = load_knowledge()
    assert kb.version in year_report.stamp and kb.meta.reviewed in year_report.stamp


def test_insights_are_read_from_a_model_or_json() -> None:
    read = read_insights(sim.insights_json())
    assert read is not None and read.factors[0].ci_adjusted == (1.6, 2.6)
    assert read_insights(read) == read
    assert read_insights(None) is None


positions = st.sampled_from(["back", "side", "stomach", "mixed", None])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), positions), min_size=1, max_size=40))
def test_weekly_position_shares_sum_to_one(nights: list[tuple[int, str | None]]) -> None:
    start = dt.date(2026, 1, 1)
    entries = [
        DiaryEntry(date=start + dt.timedelta(days=i), pain_on_waking=p, sleep_position=pos)  # type: ignore[arg-type]
        for i, (p, pos) in enumerate(nights)
    ]
    content = build_report(knowledge=load_knowledge(), made_on=MADE_ON, entries=entries)
    assert len(content.charts.pain) == len(entries)
    recorded = sum(1 for _, pos in nights if pos is not None)
    assert sum(w.nights for w in content.charts.positions) == recorded
    for week in content.charts.positions:
        assert abs(week.back + week.side + week.stomach + week.mixed - 1.0) < 1e-9
    for point in content.charts.pain:
        assert 0 <= point.smooth <= 10


def test_tried_says_what_the_diary_says_about_it(year_report: ReportContent) -> None:
    knee = next(line for line in year_report.clinician.tried if "knee pillow" in line)
    assert "0.5 points better (0.1 to 0.9), a clear difference" in knee


def test_an_unclear_effect_is_worded_across_zero() -> None:
    insights = sim.insights_json()
    insights["factors"][2]["factor"] = "stretching"  # +0.1 (-0.4 to 0.6), not credible
    content = build_report(
        knowledge=load_knowledge(), made_on=MADE_ON, entries=sim.entries(), insights=insights
    )
    line = next(line for line in content.clinician.tried if "stretching" in line)
    assert "0.1 points worse (from 0.4 better to 0.6 worse), no clear difference" in line


def test_the_report_says_when_the_insights_left_older_nights_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nightspine.insights import analysis, analyze
    from nightspine.insights.text import basis_text

    monkeypatch.setattr(analysis, "WINDOW_NIGHTS", 60)
    entries = sim.entries(90)
    insights = analyze(entries)
    assert basis_text(insights)
    for form in (insights, insights.to_json()):
        content = build_report(
            knowledge=load_knowledge(), made_on=MADE_ON, entries=entries, insights=form
        )
        assert basis_text(insights) in content.notes
    whole = build_report(
        knowledge=load_knowledge(),
        made_on=MADE_ON,
        entries=entries[:50],
        insights=analyze(entries[:50]),
    )
    assert not any("left out" in note for note in whole.notes)


def test_diary_medicines_count_only_the_nights_recorded() -> None:
    """A night answered "none" is a night without; a night not recorded is not counted."""
    day = dt.date(2026, 3, 1)
    entries = [
        DiaryEntry(date=day, pain_on_waking=3, medications=("paracetamol",)),
        DiaryEntry(date=day + dt.timedelta(days=1), pain_on_waking=3, medications=()),
        DiaryEntry(date=day + dt.timedelta(days=2), pain_on_waking=3, medications=()),
        DiaryEntry(date=day + dt.timedelta(days=3), pain_on_waking=3),
    ]
    content = build_report(knowledge=load_knowledge(), made_on=MADE_ON, entries=entries)
    history = {line.label: line.text for line in content.clinician.history}
    assert history["Diary medicines"] == (
        "paracetamol on 1 night, none on 2 nights (3 nights recorded)"
    )
