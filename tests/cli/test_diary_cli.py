"""``nightspine diary``: every command through CliRunner on both databases, one real process."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nightspine.cli.main import app
from nightspine.diary.entry import DiaryEntry
from nightspine.storage import repository as repo

SRC = Path(__file__).resolve().parents[2] / "src"
runner = CliRunner()


def run(db: str, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["--db", db, "diary", *args], input=input)


def test_one_line_add_then_list(storage: str, profile: Any) -> None:
    result = run(
        storage,
        "add",
        "--date", "2026-03-01",
        "--pain", "3",
        "--position", "side",
        "--knee-pillow",
        "--pillow", "cervical",
        "--where", "neck;lower_back",
        "--medication", "paracetamol",
        "--hours", "7.5",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Saved the entry for 2026-03-01" in result.stdout
    assert repo.get_entry(profile, dt.date(2026, 3, 1)) == DiaryEntry(
        date=dt.date(2026, 3, 1),
        pain_on_waking=3,
        sleep_position="side",
        knee_pillow=True,
        pillow="cervical",
        pain_locations=("neck", "lower_back"),
        medications=("paracetamol",),
        hours_slept=7.5,
    )
    listed = run(storage, "list", "--format", "json")
    assert [e["date"] for e in json.loads(listed.stdout)] == ["2026-03-01"]
    text = run(storage, "list")
    assert "2026-03-01" in text.stdout and "side" in text.stdout


def test_add_defaults_to_today(storage: str, profile: Any) -> None:
    assert run(storage, "add", "--pain", "2").exit_code == 0
    assert repo.get_entry(profile, dt.date.today()).pain_on_waking == 2


def test_bad_flags_are_all_reported_and_nothing_is_stored(storage: str, profile: Any) -> None:
    result = run(storage, "add", "--date", "2026-02-30", "--pain", "11", "--position", "sofa")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: --date (date): got '2026-02-30'; expected a date written YYYY-MM-DD",
        "error: --pain (pain_on_waking): got 11; expected a whole number from 0 to 10",
        "error: --position (sleep_position): got 'sofa'; expected one of: back, side, stomach, "
        "mixed",
    ]
    assert repo.count_entries(profile) == 0


def test_interactive_add_offers_last_set_up_as_one_keypress(storage: str, profile: Any) -> None:
    first = run(
        storage, "add", "--date", "2026-03-01", "--pain", "4", "--position", "back",
        "--no-knee-pillow", "--pillow", "old foam", "--mattress", "firm",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    # pain 6, keep the set-up (Enter), worst 7, skip hours and wakings, no more details
    result = run(storage, "add", "--date", "2026-03-02", input="6\n\n7\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Same set-up as last time (on your back, no knee pillow" in result.stdout
    entry = repo.get_entry(profile, dt.date(2026, 3, 2))
    assert (entry.pain_on_waking, entry.pain_worst_night) == (6, 7)
    assert (entry.sleep_position, entry.knee_pillow, entry.pillow, entry.mattress) == (
        "back",
        False,
        "old foam",
        "firm",
    )
    assert entry.hours_slept is None


def test_same_copies_the_set_up_in_one_line(storage: str, profile: Any) -> None:
    run(
        storage, "add", "--date", "2026-03-01", "--pain", "4", "--position", "back", "--pillow", "a"
    )
    result = run(storage, "add", "--date", "2026-03-02", "--pain", "2", "--same", "--pillow", "b")
    assert result.exit_code == 0, result.output
    entry = repo.get_entry(profile, dt.date(2026, 3, 2))
    assert (entry.sleep_position, entry.pillow, entry.knee_pillow) == ("back", "b", None)


def test_interactive_add_re_asks_until_valid(storage: str, profile: Any) -> None:
    # no previous entry: pain (bad, then 3), position (sofa, then side), knee pillow (Enter),
    # pillow, mattress (Enter), worst, hours, woke, more details? yes, then Enter for the rest
    answers = ["12", "3", "sofa", "side", "", "cervical", "", "", "8", "", "y"] + [""] * 20
    result = run(storage, "add", "--date", "2026-03-05", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "expected a whole number from 0 to 10" in result.stderr
    assert "expected one of: back, side, stomach, mixed" in result.stderr
    entry = repo.get_entry(profile, dt.date(2026, 3, 5))
    assert (entry.pain_on_waking, entry.sleep_position, entry.pillow, entry.hours_slept) == (
        3,
        "side",
        "cervical",
        8.0,
    )


def test_add_on_an_existing_date_is_a_conflict(storage: str, profile: Any) -> None:
    assert run(storage, "add", "--date", "2026-03-01", "--pain", "3").exit_code == 0
    result = run(storage, "add", "--date", "2026-03-01", "--pain", "5")
    assert result.exit_code == 1
    assert "already an entry for 2026-03-01" in result.stderr
    assert run(storage, "add", "--date", "2026-03-01", "--pain", "5", "--replace").exit_code == 0
    assert repo.get_entry(profile, dt.date(2026, 3, 1)).pain_on_waking == 5


def test_edit_with_flags_and_clear(storage: str, profile: Any) -> None:
    run(storage, "add", "--date", "2026-03-01", "--pain", "3", "--pillow", "a", "--stress", "4")
    result = run(storage, "edit", "2026-03-01", "--pain", "6", "--clear", "stress")
    assert result.exit_code == 0, result.output
    entry = repo.get_entry(profile, dt.date(2026, 3, 1))
    assert (entry.pain_on_waking, entry.pillow, entry.stress) == (6, "a", None)
    missing = run(storage, "edit", "2026-04-01", "--pain", "1")
    assert missing.exit_code == 1 and "no diary entry for 2026-04-01" in missing.stderr
    bad = run(storage, "edit", "2026-03-01", "--clear", "pain_on_waking")
    assert bad.exit_code == 2


def test_edit_by_prompts_keeps_answers_on_enter(storage: str, profile: Any) -> None:
    run(storage, "add", "--date", "2026-03-01", "--pain", "3", "--pillow", "a")
    result = run(storage, "edit", "2026-03-01", input="5\n" + "\n" * 30)
    assert result.exit_code == 0, result.output
    entry = repo.get_entry(profile, dt.date(2026, 3, 1))
    assert (entry.pain_on_waking, entry.pillow) == (5, "a")


def test_delete_confirms_unless_yes(storage: str, profile: Any) -> None:
    run(storage, "add", "--date", "2026-03-01", "--pain", "3")
    assert run(storage, "delete", "2026-03-01", input="n\n").exit_code == 1
    assert repo.count_entries(profile) == 1
    assert run(storage, "delete", "2026-03-01", input="y\n").exit_code == 0
    run(storage, "add", "--date", "2026-03-01", "--pain", "3")
    assert run(storage, "delete", "2026-03-01", "--yes").exit_code == 0
    assert repo.count_entries(profile) == 0
    assert run(storage, "delete", "2026-03-01", "--yes").exit_code == 1


GOOD = "date,pain_on_waking,sleep_position\n2026-03-01,3,side\n2026-03-02,4,back\n"
BAD = (
    "date,pain_on_waking,sleep_position\n"
    "2026-03-01,3,side\n"
    "2026-03-02,eleven,back\n"
    "2026-03-03,4,sofa\n"
)


def test_import_refuses_a_bad_file_whole(storage: str, profile: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    result = run(storage, "import", str(path))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: row 3, column pain_on_waking: got 'eleven'; expected a whole number from 0 to 10",
        "error: row 4, column sleep_position: got 'sofa'; expected one of: back, side, stomach, "
        "mixed",
    ]
    assert "Nothing imported" in result.stderr
    assert repo.count_entries(profile) == 0


def test_import_explains_unreadable_files(storage: str, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,pain_on_waking,notes\n2026-03-01,3,caf\xe9\n".encode("latin-1"))
    result = run(storage, "import", str(latin))
    assert result.exit_code == 2 and "save it from your spreadsheet as CSV UTF-8" in result.stderr
    missing = run(storage, "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "cannot read the file" in missing.stderr


def test_import_skip_invalid_keeps_the_good_rows(
    storage: str, profile: Any, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    result = run(storage, "import", str(path), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Imported 1 entry (1 new, 0 replaced, 2 invalid row(s) skipped)" in result.stdout
    assert "skipped: row 3, column pain_on_waking" in result.stderr
    assert [e.date for e in repo.list_entries(profile)] == [dt.date(2026, 3, 1)]
    assert repo.list_entries(profile)[0].origin == "imported"


def test_import_conflicts_and_replace(storage: str, profile: Any, tmp_path: Path) -> None:
    run(storage, "add", "--date", "2026-03-02", "--pain", "9")
    path = tmp_path / "good.csv"
    path.write_text(GOOD)
    result = run(storage, "import", str(path))
    assert result.exit_code == 1
    assert "already have a diary entry: 2026-03-02" in result.stderr
    assert repo.count_entries(profile) == 1
    replaced = run(storage, "import", str(path), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "(1 new, 1 replaced)" in replaced.stdout
    assert repo.get_entry(profile, dt.date(2026, 3, 2)).pain_on_waking == 4


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_gives_back_the_same_entries(
    storage: str, profile: Any, tmp_path: Path, fmt: str
) -> None:
    run(
        storage, "add", "--date", "2026-03-01", "--pain", "3", "--where", "neck",
        "--notes", 'said "ouch", twice;\nthen slept', "--hours", "6.25", "--tossed",
    )  # fmt: skip
    run(storage, "add", "--date", "2026-03-02", "--pain", "0")
    before = repo.list_entries(profile)
    out = tmp_path / f"diary.{fmt}"
    assert run(storage, "export", "--format", fmt, "--out", str(out)).exit_code == 0
    stdout = run(storage, "export", "--format", fmt)
    assert stdout.stdout == out.read_text()
    for entry in before:
        repo.delete_entry(profile, entry.date)
    assert run(storage, "import", str(out)).exit_code == 0
    assert repo.list_entries(profile) == before


def test_list_range_and_csv(storage: str, profile: Any) -> None:
    for day in (1, 2, 3):
        run(storage, "add", "--date", f"2026-03-0{day}", "--pain", str(day))
    result = run(storage, "list", "--from", "2026-03-02", "--to", "2026-03-02", "--format", "csv")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("2026-03-02,2,")
    empty = run(storage, "list", "--from", "2027-01-01")
    assert "No diary entries yet" in empty.stdout


@pytest.mark.slow
def test_a_real_process_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "NIGHTSPINE_DATA_DIR": str(tmp_path / "data")}
    env.pop("NIGHTSPINE_DATABASE_URL", None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nightspine", "diary", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    added = cli("add", "--date", "2026-03-01", "--pain", "2", "--position", "side")
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "data" / "nightspine.sqlite3").exists()
    listed = cli("list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].startswith("2026-03-01,2,")
    bad = cli("add", "--pain", "12")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "error: --pain (pain_on_waking): got 12; expected a whole number from 0 to 10"
    )


def test_a_future_morning_is_refused(storage: str, profile: Any) -> None:
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    result = run(storage, "add", "--date", future, "--pain", "3")
    assert result.exit_code == 2
    assert "must be today or in the past" in result.output
    assert repo.list_entries(profile) == []


def test_an_unusual_value_is_pointed_out_not_stored_silently(storage: str, profile: Any) -> None:
    result = run(storage, "add", "--date", "2026-03-01", "--pain", "3", "--hours", "14")
    assert result.exit_code == 0
    assert "You entered 14 hours slept. Is that right?" in result.output
    assert "nightspine diary edit 2026-03-01 --hours" in result.output


def test_yes_no_flags_keep_three_states(storage: str, profile: Any) -> None:
    run(storage, "add", "--date", "2026-03-02", "--pain", "3", "--stretched", "--no-alcohol")
    entry = repo.list_entries(profile)[0]
    assert (entry.stretching, entry.alcohol_evening, entry.caffeine_evening) == (True, False, None)
    run(storage, "edit", "2026-03-02", "--clear", "stretching")
    assert repo.list_entries(profile)[0].stretching is None


def test_list_flags_keep_none_apart_from_not_recorded(storage: str, profile: Any) -> None:
    run(storage, "add", "--date", "2026-03-02", "--pain", "3", "--medication", "none")
    entry = repo.list_entries(profile)[0]
    assert (entry.medications, entry.pain_locations) == ((), None)
    run(storage, "edit", "2026-03-02", "--where", "none", "--clear", "medications")
    entry = repo.list_entries(profile)[0]
    assert (entry.medications, entry.pain_locations) == (None, ())
    # the prompts take "none" too, and offer it back as the answer kept on Enter
    answers = "4\n" + "\n" * 30
    assert run(storage, "edit", "2026-03-02", input=answers).exit_code == 0
    assert repo.list_entries(profile)[0].pain_locations == ()


def test_import_refuses_mornings_that_have_not_come(
    storage: str, profile: Any, tmp_path: Path
) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = tmp_path / "future.csv"
    path.write_text(f"date,pain_on_waking\n2026-03-01,3\n{future},4\n")
    refused = run(storage, "import", str(path))
    assert refused.exit_code == 2
    assert f"error: entry {future}: The date must be today or in the past" in refused.stderr
    assert repo.count_entries(profile) == 0
    kept = run(storage, "import", str(path), "--skip-invalid")
    assert "Imported 1 entry (1 new, 0 replaced, 1 invalid row(s) skipped)" in kept.stdout
    assert [e.date for e in repo.list_entries(profile)] == [dt.date(2026, 3, 1)]
