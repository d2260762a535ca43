"""Measured nights into the diary: the merge rules (core) and the import command (storage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nightspine.diary.entry import DiaryEntry
from nightspine.sensors import analyze
from nightspine.sensors.diary import measured_values, merge
from nightspine.sensors.nights import NightSummary

D = dt.date(2026, 3, 3)


def _night(**kw: Any) -> NightSummary:
    values: dict[str, Any] = {
        "date": D,
        "in_bed_start": dt.datetime(2026, 3, 2, 23, 0),
        "in_bed_end": dt.datetime(2026, 3, 3, 7, 0),
        "minutes": {"supine": 300.0, "prone": 0.0, "left": 90.0, "right": 80.0, "upright": 10.0},
        "position_changes": 12,
        "longest_still_min": 60.0,
        "main_position": "back",
        "restlessness": 0.05,
        "nonwear_min": 0.0,
    }
    values.update(kw)
    return NightSummary(**values)


def test_measured_values() -> None:
    v = measured_values(_night())
    assert v == {"hours_slept": 8.0, "tosses_and_turns": False, "sleep_position": "back"}
    assert measured_values(_night(restlessness=0.2))["tosses_and_turns"] is True
    assert measured_values(_night(position_changes=30))["tosses_and_turns"] is True
    # brief turns that came back are tossing and turning too: 12 changes + 12 turns in 8 h
    assert measured_values(_night(brief_turns=12))["tosses_and_turns"] is True
    assert measured_values(_night(brief_turns=11))["tosses_and_turns"] is False
    wrist = measured_values(_night(minutes=None, position_changes=None, main_position="unknown"))
    assert "sleep_position" not in wrist


def test_merge_keeps_typed_values_unless_replace() -> None:
    typed = DiaryEntry(date=D, pain_on_waking=5, sleep_position="side")
    m = merge(typed, measured_values(_night()))
    assert m.entry.sleep_position == "side" and m.kept == ("sleep_position",)
    assert m.entry.hours_slept == 8.0
    assert set(m.entry.measured_fields) == {"hours_slept", "tosses_and_turns"}
    assert m.entry.pain_on_waking == 5 and m.entry.origin == "typed"
    r = merge(typed, measured_values(_night()), replace=True)
    assert r.entry.sleep_position == "back" and "sleep_position" in r.entry.measured_fields
    # a value measured before is updated by a new measurement without --replace
    again = merge(m.entry, measured_values(_night(in_bed_end=dt.datetime(2026, 3, 3, 6, 0))))
    assert again.entry.hours_slept == 7.0 and again.entry.sleep_position == "side"


def test_import_fills_typed_entries_only(profile: Any, night_cwa: Path) -> None:
    from nightspine.storage import repository as repo
    from nightspine.storage.recordings import fill_diary

    result = analyze(night_cwa)
    (night,) = result.nights
    first = fill_diary(profile, result)
    assert first.waiting == [night.date.isoformat()] and first.filled == []
    assert repo.find_entry(profile, night.date) is None
    repo.save_entry(
        profile, DiaryEntry(date=night.date, pain_on_waking=3, sleep_position="stomach")
    )
    second = fill_diary(profile, result)
    stored = repo.get_entry(profile, night.date)
    assert stored.sleep_position == "stomach"  # typed: kept
    assert stored.hours_slept == pytest.approx(night.in_bed_hours, abs=0.01)
    assert set(stored.measured_fields) == {"hours_slept", "tosses_and_turns"}
    assert second.filled[0][2] == ("sleep_position",)
    fill_diary(profile, result, replace=True)
    stored = repo.get_entry(profile, night.date)
    assert stored.sleep_position == night.main_position
    assert "sleep_position" in stored.measured_fields
    assert stored.pain_on_waking == 3


def test_import_command(storage: str, night_cwa: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from nightspine.cli.main import app
    from nightspine.storage import repository as repo

    profile = repo.get_or_create_default_profile()
    repo.save_entry(profile, DiaryEntry(date=D, pain_on_waking=2))
    out = CliRunner().invoke(app, ["sensors", "import", str(night_cwa), "--db", storage])
    assert out.exit_code == 0, out.output
    assert "2026-03-03: measured" in out.output
    assert repo.get_entry(profile, D).sleep_position is not None
