"""The JSON export is lossless: export then read gives back exactly the same document."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, get_args

import pytest
import report_simulation as sim
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.diary.entry import DiaryEntry, Location, Medication, Origin, Position
from nightspine.errors import InvalidInputError
from nightspine.report.exchange import (
    AssessmentRecord,
    ExperimentRecord,
    ExportDocument,
    ProfileRecord,
    read_export,
)

scores = st.integers(0, 10)
maybe = st.none() | st.booleans()
hours = st.none() | st.floats(0, 24, allow_nan=False)
text = st.none() | st.text(max_size=30)
json_scalars = st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True).map(tuple)


@st.composite
def entries(draw: st.DrawFn) -> DiaryEntry:
    return DiaryEntry(
        date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
        pain_on_waking=draw(scores),
        pain_worst_night=draw(st.none() | scores),
        stiffness_minutes=draw(st.none() | st.integers(0, 600)),
        woke_from_pain=draw(st.none() | st.integers(0, 20)),
        pain_locations=draw(st.none() | _subset(get_args(Location))),
        sleep_position=draw(st.none() | st.sampled_from(get_args(Position))),
        knee_pillow=draw(maybe),
        pillow=draw(text),
        mattress=draw(text),
        hours_slept=draw(hours),
        tosses_and_turns=draw(maybe),
        exercise_minutes=draw(st.none() | st.integers(0, 600)),
        sitting_hours=draw(hours),
        stress=draw(st.none() | scores),
        alcohol_evening=draw(maybe),
        caffeine_evening=draw(maybe),
        screens_in_bed=draw(maybe),
        stretching=draw(maybe),
        heat_or_ice=draw(maybe),
        medications=draw(st.none() | _subset(get_args(Medication))),
        notes=draw(text),
        origin=draw(st.sampled_from(get_args(Origin))),
        measured_fields=draw(_subset(("sleep_position", "hours_slept", "tosses_and_turns"))),
    )


moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
records = st.builds(AssessmentRecord.of, moments, st.just(sim.answers()), st.just(sim.assessment()))
json_objects = st.dictionaries(st.text(max_size=10), json_values, max_size=4)
experiments = st.builds(
    ExperimentRecord,
    change=st.text(min_size=1, max_size=20),
    start_date=st.dates(),
    schedule=json_objects,
    status=st.sampled_from(["planned", "running", "finished", "abandoned"]),
    result=st.none() | json_objects,
    created_at=moments,
    updated_at=moments,
)
profiles = st.builds(
    ProfileRecord,
    display_name=st.text(max_size=20),
    birth_year=st.none() | st.integers(1900, 2026),
    sex=st.sampled_from(["", "female", "male", "other"]),
)
documents = st.builds(
    ExportDocument,
    exported_at=moments,
    profile=profiles,
    entries=st.lists(entries(), max_size=8, unique_by=lambda e: e.date),
    assessments=st.lists(records, max_size=2),
    experiments=st.lists(experiments, max_size=2),
)


@settings(max_examples=40, deadline=None)
@given(documents)
def test_export_then_read_is_lossless(document: ExportDocument) -> None:
    text = document.to_json_text()
    again = read_export(text)
    assert again == document
    assert again.to_json_text() == text


def test_a_year_round_trips() -> None:
    document = ExportDocument(
        exported_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC), entries=sim.entries()
    )
    assert read_export(document.to_json_text().encode()) == document


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"entries": []}', "not a nightspine export"),
        ('{"format": "nightspine-export", "version": 99}', "version 99"),
    ],
)
def test_a_wrong_file_is_refused_with_a_reason(data: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        read_export(data, where="backup.json")
    assert message in str(info.value.problems[0])
    assert info.value.problems[0].location == "backup.json"


def test_every_bad_field_is_named() -> None:
    bad: dict[str, Any] = {
        "format": "nightspine-export",
        "version": 2,
        "exported_at": "2026-11-21T00:00:00Z",
        "entries": [{"date": "2026-01-01", "pain_on_waking": 11}, {"date": "x"}],
    }
    with pytest.raises(InvalidInputError) as info:
        read_export(bad, where="f.json")
    locations = [p.location for p in info.value.problems]
    assert "f.json, entries.0.pain_on_waking" in locations
    assert "f.json, entries.1.date" in locations


def test_lists_keep_none_apart_from_not_recorded_and_version_1_lists_are_not_recorded() -> None:
    """Version 2 writes "none" as [] and not recorded as null; version 1 wrote [] for both, so
    its empty lists are read as not recorded (never as a "none" the person did not say)."""
    document = ExportDocument(
        exported_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
        entries=[
            DiaryEntry(date=dt.date(2026, 1, 1), pain_on_waking=2, medications=()),
            DiaryEntry(date=dt.date(2026, 1, 2), pain_on_waking=3),
        ],
    )
    written = json.loads(document.to_json_text())
    assert [e["medications"] for e in written["entries"]] == [[], None]
    assert read_export(document.to_json_text()) == document
    old = {**written, "version": 1}
    old["entries"][1]["pain_locations"] = ["neck"]
    again = read_export(old)
    assert [e.medications for e in again.entries] == [None, None]
    assert again.entries[1].pain_locations == ("neck",)
