"""Diary CSV and JSON files: every bad cell reported in file terms, and lossless round trips."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.diary.entry import CONTRACT_FIELDS, DiaryEntry, entry_from_values
from nightspine.diary.fileio import COLUMNS, read_csv, read_json, to_csv, to_json
from nightspine.errors import InvalidInputError
from nightspine.knowledge.vocabulary import diary_vocabulary

HEADER = "date,pain_on_waking,sleep_position,knee_pillow,pain_locations,hours_slept,pillow"


def test_reads_the_contract_format() -> None:
    text = (
        f"{HEADER}\n2026-03-01,3,side,true,neck;lower_back,7.5,cervical\n2026-03-02,5,,FALSE,,,\n"
    )
    result = read_csv(text)
    assert result.ok
    first, second = result.entries
    assert first == DiaryEntry(
        date=dt.date(2026, 3, 1),
        pain_on_waking=3,
        sleep_position="side",
        knee_pillow=True,
        pain_locations=("neck", "lower_back"),
        hours_slept=7.5,
        pillow="cervical",
        origin="imported",
    )
    assert second.knee_pillow is False and second.sleep_position is None
    assert second.pain_locations is None and second.pillow is None  # empty: not recorded


def test_every_bad_cell_is_reported_with_row_column_and_what_is_allowed() -> None:
    text = (
        f"{HEADER}\n"
        "2026-03-01,3,side,true,neck,7.5,a\n"
        "2026-02-30,11,sofa,maybe,knee,25,b\n"
        ",,,,,,\n"
        "2026-03-03,,back,true,,1_0,c\n"
        "2026-03-01,2,back,true,,,d\n"
    )
    result = read_csv(text)
    lines = [str(p) for p in result.problems]
    assert lines == [
        "row 3, column date: got '2026-02-30'; expected a date written YYYY-MM-DD",
        "row 3, column pain_on_waking: got 11; expected a whole number from 0 to 10",
        "row 3, column sleep_position: got 'sofa'; expected one of: back, side, stomach, mixed",
        "row 3, column knee_pillow: got 'maybe'; expected true or false (or an empty cell)",
        "row 3, column pain_locations: 'knee' not allowed; expected a list of any of: neck, "
        "upper_back, mid_back, lower_back, shoulder_blade",
        "row 3, column hours_slept: got 25.0; expected a number from 0 to 24",
        "row 5, column pain_on_waking: is required; expected a whole number from 0 to 10",
        "row 5, column hours_slept: got '1_0'; expected a number from 0 to 24",
        "row 6, column date: 2026-03-01 is also on row 2; keep one entry per date",
    ]
    assert result.rejected == (3, 5, 6)
    assert [e.date for e in result.entries] == [dt.date(2026, 3, 1)]
    with pytest.raises(InvalidInputError):
        result.raise_if_invalid()


def test_a_missing_required_cell_says_what_is_expected() -> None:
    result = read_csv("date,pain_on_waking\n2026-03-01,\n")
    assert [str(p) for p in result.problems] == [
        "row 2, column pain_on_waking: is required; expected a whole number from 0 to 10"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("date,pain_on_waking,colour\n", "row 1, column 3: unknown column 'colour'"),
        ("date,date,pain_on_waking\n", "row 1, column 2: the column 'date' appears twice"),
        ("date,stress\n", "row 1: the required column 'pain_on_waking' is missing"),
    ],
)
def test_header_problems_refuse_the_file(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        read_csv(text)
    assert message in str(info.value.problems[0])


def test_byte_order_mark_blank_lines_and_column_order_are_tolerated() -> None:
    text = "\ufeffpain_on_waking,date\r\n4,2026-01-01\r\n\r\n5,2026-01-02\r\n\r\n"
    result = read_csv(text)
    assert [e.pain_on_waking for e in result.raise_if_invalid()] == [4, 5]


def test_json_problems_name_the_entry_and_field() -> None:
    text = '[{"date": "2026-03-01", "pain_on_waking": 3}, {"date": "x", "stress": "high"}, 7]'
    result = read_json(text)
    assert [str(p) for p in result.problems] == [
        "entry 2, date: got 'x'; expected a date written YYYY-MM-DD",
        "entry 2, stress: got 'high'; expected a whole number from 0 to 10",
        "entry 2, pain_on_waking: is required; expected a whole number from 0 to 10",
        "entry 3: expected an object of diary fields",
    ]
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        read_json("[{")


def test_written_csv_has_the_contract_columns_first() -> None:
    header = to_csv([]).splitlines()[0].split(",")
    assert tuple(header[: len(CONTRACT_FIELDS)]) == CONTRACT_FIELDS
    assert tuple(header) == COLUMNS


# --- round trips --------------------------------------------------------------------------

_FIELDS = diary_vocabulary().fields
_label = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1
).filter(lambda s: s.strip() != "")


def _value(name: str) -> st.SearchStrategy[Any]:
    spec = _FIELDS[name]
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "0-10":
        return st.integers(0, 10)
    if spec.type == "int":
        return st.integers(0, 100_000)
    if spec.type == "number":
        return st.floats(0, 24, allow_nan=False)
    if spec.type == "one-of":
        return st.sampled_from(spec.values)
    if spec.type == "many-of":
        return st.lists(st.sampled_from(spec.values), unique=True).map(tuple)
    return _label


@st.composite
def entries(draw: st.DrawFn) -> list[DiaryEntry]:
    dates = draw(
        st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), unique=True, max_size=6)
    )
    made = []
    for date in dates:
        values: dict[str, Any] = {"date": date, "pain_on_waking": draw(st.integers(0, 10))}
        for name in CONTRACT_FIELDS[2:]:
            if draw(st.booleans()):
                values[name] = draw(_value(name))
        values["origin"] = draw(st.sampled_from(["typed", "measured", "imported"]))
        values["measured_fields"] = tuple(
            draw(st.lists(st.sampled_from(CONTRACT_FIELDS), unique=True, max_size=3))
        )
        made.append(entry_from_values(values))
    return made


@settings(max_examples=60, deadline=None)
@given(entries())
def test_csv_round_trip(batch: list[DiaryEntry]) -> None:
    assert list(read_csv(to_csv(batch)).raise_if_invalid()) == batch


@settings(max_examples=60, deadline=None)
@given(entries())
def test_json_round_trip(batch: list[DiaryEntry]) -> None:
    assert list(read_json(to_json(batch)).raise_if_invalid()) == batch


def test_awkward_text_survives_csv() -> None:
    texts = ["a\rb", "a\r\nb", 'say "no", twice', "x;y", "  padded  ", "ünï 😴"]
    batch = [
        DiaryEntry(date=dt.date(2026, 1, i + 1), pain_on_waking=1, notes=t, pillow=t)
        for i, t in enumerate(texts)
    ]
    assert list(read_csv(to_csv(batch)).raise_if_invalid()) == batch


@pytest.mark.parametrize(("write", "read"), [(to_csv, read_csv), (to_json, read_json)])
def test_yes_no_and_not_recorded_survive_export_and_import(write: Any, read: Any) -> None:
    entry = DiaryEntry(
        date=dt.date(2026, 3, 1), pain_on_waking=3, stretching=True, alcohol_evening=False
    )
    back = read(write([entry])).entries[0]
    assert (back.stretching, back.alcohol_evening, back.caffeine_evening) == (True, False, None)


@pytest.mark.parametrize(("write", "read"), [(to_csv, read_csv), (to_json, read_json)])
def test_a_list_answered_none_stays_apart_from_a_list_not_recorded(write: Any, read: Any) -> None:
    entry = DiaryEntry(
        date=dt.date(2026, 3, 1), pain_on_waking=3, medications=(), pain_locations=("neck",)
    )
    text = write([entry])
    back = read(text).entries[0]
    assert (back.medications, back.pain_locations) == ((), ("neck",))
    unrecorded = read(write([DiaryEntry(date=dt.date(2026, 3, 2), pain_on_waking=1)])).entries[0]
    assert (unrecorded.medications, unrecorded.pain_locations) == (None, None)


def test_csv_writes_none_for_an_empty_list_and_reads_an_empty_cell_as_not_recorded() -> None:
    text = f"{HEADER},medications\n2026-03-01,3,,,none,,,None\n2026-03-02,3,,,,,,\n"
    first, second = read_csv(text).raise_if_invalid()
    assert (first.pain_locations, first.medications) == ((), ())
    assert (second.pain_locations, second.medications) == (None, None)
    row = to_csv([first]).splitlines()[1].split(",")
    assert row[COLUMNS.index("medications")] == "none"
    assert row[COLUMNS.index("measured_fields")] == ""  # not a contract list: no "none"


# --- formula-safe CSV (OWASP CSV injection) ----------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=already"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_a_spreadsheet_would_run_is_written_with_a_leading_quote(text: str) -> None:
    entry = entry_from_values(
        {"date": "2026-03-01", "pain_on_waking": 2, "notes": text, "pillow": text}
    )
    import csv
    import io

    rows = list(csv.reader(io.StringIO(to_csv([entry]), newline="")))
    row = dict(zip(rows[0], rows[1], strict=True))
    for column in ("notes", "pillow"):
        assert row[column] == "'" + text
        assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r"))
    # and the import gives back exactly what was written
    assert read_csv(to_csv([entry])).entries[0].notes == text
    assert read_csv(to_csv([entry])).entries[0].pillow == text


def test_plain_text_and_numbers_are_written_as_they_are() -> None:
    entry = entry_from_values(
        {"date": "2026-03-01", "pain_on_waking": 0, "notes": "'tis better", "hours_slept": 7.5}
    )
    text = to_csv([entry])
    assert ",'tis better," in text and ",7.5," in text and "'0" not in text
    assert read_csv(text).entries[0] == entry


@settings(max_examples=200)
@given(st.text(alphabet="'=+-@\t\rab ", min_size=1, max_size=6))
def test_any_note_round_trips_through_the_guard(note: str) -> None:
    from nightspine.diary.fileio import formula_safe, formula_unsafe

    assert formula_unsafe(formula_safe(note)) == note
    assert not formula_safe(note).startswith(("=", "+", "-", "@", "\t", "\r"))
