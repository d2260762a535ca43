from __future__ import annotations

import datetime as dt

import pytest

from nightspine.diary.entry import CONTRACT_FIELDS, DiaryEntry, entry_from_values
from nightspine.errors import InvalidInputError


def test_entry_model_covers_the_contract() -> None:
    assert set(CONTRACT_FIELDS) <= set(DiaryEntry.model_fields)


def test_entry_from_values() -> None:
    entry = entry_from_values({"date": "2026-03-05", "pain_on_waking": 3, "knee_pillow": True})
    assert entry.date == dt.date(2026, 3, 5)
    assert entry.knee_pillow is True
    assert entry.sleep_position is None


def test_bad_values_name_row_and_field() -> None:
    with pytest.raises(InvalidInputError) as info:
        entry_from_values(
            {"date": "2026-02-30", "pain_on_waking": 11, "colour": "red"}, where="row 3"
        )
    text = [str(p) for p in info.value.problems]
    assert len(text) == 3
    assert all(t.startswith("row 3, ") for t in text)


def test_missing_required_fields() -> None:
    with pytest.raises(InvalidInputError, match="pain_on_waking: is required"):
        entry_from_values({"date": "2026-03-05"})
