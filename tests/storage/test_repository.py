"""The repository API, run on SQLite and on PostgreSQL (the ``profile`` fixture's backends)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.result import Assessment, Triage, TriageLevel
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import ConflictError, InvalidInputError, NotFoundError
from nightspine.storage import repository as repo

D1, D2, D3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def full_entry(date: dt.date = D1, **changes: Any) -> DiaryEntry:
    values: dict[str, Any] = {
        "date": date,
        "pain_on_waking": 4,
        "pain_worst_night": 6,
        "stiffness_minutes": 20,
        "woke_from_pain": 2,
        "pain_locations": ("neck", "lower_back"),
        "sleep_position": "side",
        "knee_pillow": True,
        "pillow": "cervical",
        "mattress": "old spring",
        "hours_slept": 6.75,
        "tosses_and_turns": False,
        "exercise_minutes": 30,
        "sitting_hours": 8.5,
        "stress": 5,
        "alcohol_evening": False,
        "caffeine_evening": True,
        "screens_in_bed": True,
        "stretching": False,
        "heat_or_ice": None,
        "medications": ("paracetamol",),
        "notes": "woke at 4, ünïcode ok",
        "origin": "typed",
        "measured_fields": (),
    }
    values.update(changes)
    return DiaryEntry(**values)


def test_default_profile_is_created_once(profile: Any) -> None:
    again = repo.get_or_create_default_profile()
    assert again.pk == profile.pk
    assert repo.get_profile(profile.pk).pk == profile.pk
    with pytest.raises(NotFoundError):
        repo.get_profile(profile.pk + 1000)


def test_every_field_round_trips(profile: Any) -> None:
    entry = full_entry(origin="measured", measured_fields=("sleep_position",))
    repo.save_entry(profile, entry)
    assert repo.get_entry(profile, D1) == entry
    minimal = DiaryEntry(date=D2, pain_on_waking=0)
    repo.save_entry(profile, minimal)
    assert repo.get_entry(profile, D2) == minimal


def test_list_filters_and_orders_by_date(profile: Any) -> None:
    for date in (D3, D1, D2):
        repo.save_entry(profile, full_entry(date))
    assert [e.date for e in repo.list_entries(profile)] == [D1, D2, D3]
    assert [e.date for e in repo.list_entries(profile, start=D2)] == [D2, D3]
    assert [e.date for e in repo.list_entries(profile, end=D2)] == [D1, D2]
    assert [e.date for e in repo.list_entries(profile, D2, D2)] == [D2]
    assert repo.count_entries(profile) == 3
    latest = repo.latest_entry(profile)
    assert latest is not None and latest.date == D3
    before = repo.latest_entry(profile, before=D3)
    assert before is not None and before.date == D2
    assert repo.latest_entry(profile, before=D1) is None


def test_saving_an_existing_date_conflicts_unless_replace(profile: Any) -> None:
    repo.save_entry(profile, full_entry(pain_on_waking=2))
    with pytest.raises(ConflictError, match="already a diary entry for 2026-03-01"):
        repo.save_entry(profile, full_entry(pain_on_waking=7))
    assert repo.get_entry(profile, D1).pain_on_waking == 2
    replacement = DiaryEntry(date=D1, pain_on_waking=7)
    repo.save_entry(profile, replacement, replace=True)
    assert repo.get_entry(profile, D1) == replacement
    assert repo.count_entries(profile) == 1


def test_delete_and_not_found(profile: Any) -> None:
    repo.save_entry(profile, full_entry())
    repo.delete_entry(profile, D1)
    assert repo.find_entry(profile, D1) is None
    with pytest.raises(NotFoundError, match="no diary entry for 2026-03-01"):
        repo.delete_entry(profile, D1)
    with pytest.raises(NotFoundError, match="nightspine diary add --date 2026-03-01"):
        repo.get_entry(profile, D1)


def test_profiles_do_not_see_each_other(profile: Any) -> None:
    other = repo.create_profile(display_name="someone else", birth_year=1970, sex="female")
    repo.save_entry(other, full_entry(pain_on_waking=9))
    assert repo.list_entries(profile) == []
    repo.save_entry(profile, full_entry(pain_on_waking=1))
    assert repo.get_entry(other, D1).pain_on_waking == 9
    repo.delete_entry(profile, D1)
    assert repo.get_entry(other, D1).pain_on_waking == 9


def test_create_profile_validates(storage: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        repo.create_profile(sex="x", birth_year=1800)
    assert {p.location for p in info.value.problems} == {"sex", "birth_year"}
    made = repo.create_profile(local_key="k", birth_year=1980)
    with pytest.raises(ConflictError):
        repo.create_profile(local_key="k")
    repo.update_profile(made, display_name="Ann", sex="female")
    again = repo.get_profile(made.pk)
    assert (again.display_name, again.sex, again.birth_year) == ("Ann", "female", 1980)
    repo.update_profile(made, birth_year=None)
    assert repo.get_profile(made.pk).birth_year is None
    with pytest.raises(InvalidInputError, match="birth_year"):
        repo.update_profile(made, birth_year=3000)


def test_import_is_all_or_nothing(profile: Any) -> None:
    repo.save_entry(profile, full_entry(D2, pain_on_waking=1))
    batch = [full_entry(D1), full_entry(D2, pain_on_waking=8), full_entry(D3)]
    with pytest.raises(ConflictError, match="1 date\\(s\\) already have a diary entry: 2026-03-02"):
        repo.import_entries(profile, batch)
    assert [e.date for e in repo.list_entries(profile)] == [D2]
    summary = repo.import_entries(profile, batch, replace=True)
    assert summary.created == (D1, D3) and summary.replaced == (D2,) and summary.total == 3
    assert repo.list_entries(profile) == batch


def test_import_refuses_duplicate_dates_and_unstorable_values(profile: Any) -> None:
    batch = [full_entry(D1), full_entry(D1), full_entry(D2, stiffness_minutes=2**40)]
    with pytest.raises(InvalidInputError) as info:
        repo.import_entries(profile, batch)
    text = [str(p) for p in info.value.problems]
    assert text[0].startswith("2026-03-01: the same date appears twice")
    assert text[1].startswith("2026-03-02, stiffness_minutes: got 1099511627776")
    assert repo.count_entries(profile) == 0
    with pytest.raises(InvalidInputError, match="NUL"):
        repo.save_entry(profile, full_entry(notes="a\x00b"))


def test_many_entries_import_quickly(profile: Any) -> None:
    start = dt.date(2016, 1, 1)
    batch = [full_entry(start + dt.timedelta(days=i)) for i in range(600)]
    assert repo.import_entries(profile, batch).total == 600
    assert repo.list_entries(profile) == batch


def test_database_enforces_the_contract(profile: Any) -> None:
    from django.db import IntegrityError, transaction

    from nightspine.storage.models import DiaryEntry as Row

    # Scores are encrypted at rest, so their 0-10 range is the core's to check before every
    # write (tests/knowledge); the database still keeps one entry per morning.
    Row.objects.create(profile=profile, date=D1, health_values={"pain_on_waking": 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Row.objects.create(profile=profile, date=D1, health_values={"pain_on_waking": 2})


def _assessment(level: TriageLevel = TriageLevel.SOON) -> Assessment:
    return Assessment(
        knowledge_version="2026.1",
        knowledge_checksum="sha256:abc",
        triage=Triage(level=level, reasons=["pain at night"]),
    )


def test_assessments_are_kept_over_time(profile: Any) -> None:
    answers = validate_answers({"age": 52})
    first = repo.save_assessment(
        profile, answers, _assessment(), created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    second = repo.save_assessment(profile, {"age": 53}, _assessment(TriageLevel.SELF_CARE))
    assert [a.id for a in repo.list_assessments(profile)] == [first.id, second.id]
    got = repo.get_assessment(profile, first.id)
    assert got.answers == {"age": 52}
    assert got.triage_level == "soon"
    assert got.knowledge_version == "2026.1" and got.knowledge_checksum == "sha256:abc"
    assert got.assessment() == _assessment()
    latest = repo.latest_assessment(profile)
    assert latest is not None and latest.id == second.id
    other = repo.create_profile()
    with pytest.raises(NotFoundError):
        repo.get_assessment(other, first.id)
    repo.delete_assessment(profile, first.id)
    with pytest.raises(NotFoundError):
        repo.delete_assessment(profile, first.id)
    assert repo.latest_assessment(other) is None


def test_experiments_one_at_a_time(profile: Any) -> None:
    schedule = {"blocks": [{"arm": "A", "nights": 3}, {"arm": "B", "nights": 3}]}
    exp = repo.create_experiment(profile, "knee_pillow", D1, schedule)
    assert exp.status == "planned" and exp.schedule == schedule and exp.result is None
    with pytest.raises(ConflictError, match="knee_pillow"):
        repo.create_experiment(profile, "back_not_stomach", D2, {})
    running = repo.update_experiment(profile, exp.id, status="running")
    assert running.status == "running"
    active = repo.active_experiment(profile)
    assert active is not None and active.id == exp.id
    done = repo.update_experiment(profile, exp.id, status="finished", result={"effect": -1.5})
    assert done.result == {"effect": -1.5}
    assert repo.active_experiment(profile) is None
    second = repo.create_experiment(profile, "stretching", D3, {}, status="running")
    assert [e.id for e in repo.list_experiments(profile)] == [exp.id, second.id]
    assert [e.id for e in repo.list_experiments(profile, status="finished")] == [exp.id]
    with pytest.raises(ConflictError):
        repo.update_experiment(profile, exp.id, status="planned")
    with pytest.raises(InvalidInputError, match="status"):
        repo.update_experiment(profile, exp.id, status="paused")
    cleared = repo.update_experiment(profile, exp.id, result=None)
    assert cleared.result is None
    repo.delete_experiment(profile, exp.id)
    with pytest.raises(NotFoundError):
        repo.get_experiment(profile, exp.id)
    with pytest.raises(NotFoundError):
        repo.get_experiment(repo.create_profile(), second.id)


def test_deleting_a_profile_deletes_its_data(profile: Any) -> None:
    repo.save_entry(profile, full_entry())
    repo.save_assessment(profile, {}, _assessment())
    repo.create_experiment(profile, "knee_pillow", D1, {})
    keep = repo.create_profile()
    repo.save_entry(keep, full_entry())
    repo.delete_profile(profile)
    from nightspine.storage.models import AssessmentRecord, DiaryEntry, Experiment

    assert DiaryEntry.objects.count() == 1
    assert AssessmentRecord.objects.count() == 0 and Experiment.objects.count() == 0


def test_a_real_engine_result_round_trips(profile: Any) -> None:
    from pathlib import Path

    import yaml

    from nightspine.assessment.engine import assess

    path = Path(__file__).resolve().parents[1] / "assessment" / "data" / "vignettes-public.yaml"
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))[0]["answers"]
    result = assess(answers)
    stored = repo.save_assessment(profile, validate_answers(answers), result)
    again = repo.get_assessment(profile, stored.id)
    assert again.assessment() == result
    assert validate_answers(again.answers) == validate_answers(answers)
    assert again.triage_level == result.triage.level.value


def test_insights_read_only_the_latest_nights_and_the_count(
    profile: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nightspine.insights import analysis

    monkeypatch.setattr(analysis, "WINDOW_NIGHTS", 3)
    assert repo.insights_entries(profile) == ([], 0)
    for day in range(5):
        repo.save_entry(profile, full_entry(D1 + dt.timedelta(days=day), pain_on_waking=day))
    entries, recorded = repo.insights_entries(profile)
    assert [e.date for e in entries] == [D1 + dt.timedelta(days=d) for d in (2, 3, 4)]
    assert recorded == 5
    repo.delete_entry(profile, D1)
    repo.delete_entry(profile, D2)
    entries, recorded = repo.insights_entries(profile)
    assert (len(entries), recorded) == (3, 3)
