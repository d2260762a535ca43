"""Health data at rest: the database file does not hold it in plain text; keys rotate; plain
rows from before encryption are still read and get encrypted; files are the owner's only."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from nightspine.diary.entry import entry_from_values
from nightspine.storage import crypto, keys
from nightspine.storage import repository as repo

NOTE = "zebra-ache-under-left-shoulder-blade"
PILLOW = "marmalade-memory-foam"
ANSWER = "quokka-bedroom-answer"


def _raw_database_bytes() -> bytes:
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"]))
    connection.close()  # the write-ahead log may still hold the pages: read it too
    return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())


def _save_distinctive(profile: Any) -> None:
    from nightspine.assessment.result import Assessment, Triage, TriageLevel

    entry = entry_from_values(
        {
            "date": dt.date(2026, 3, 1),
            "pain_on_waking": 7,
            "notes": NOTE,
            "pillow": PILLOW,
            "pain_locations": ["shoulder_blade"],
        }
    )
    repo.save_entry(profile, entry)
    result = Assessment(
        knowledge_version="2026.1",
        knowledge_checksum="sha256:abc",
        triage=Triage(level=TriageLevel.SOON, reasons=["pain at night"]),
    )
    repo.save_assessment(profile, {"age": 52, "free_text": ANSWER}, result)


def test_the_database_file_holds_no_health_value_in_plain_text(profile: Any) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the file is read directly on SQLite")
    _save_distinctive(profile)
    raw = _raw_database_bytes()
    for secret in (NOTE, PILLOW, ANSWER, "shoulder_blade", "pain at night"):
        assert secret.encode() not in raw, secret
    # and it all reads back
    entry = repo.get_entry(profile, dt.date(2026, 3, 1))
    assert (entry.notes, entry.pillow, entry.pain_on_waking) == (NOTE, PILLOW, 7)
    assert repo.list_assessments(profile)[0].answers["free_text"] == ANSWER


def test_every_encrypted_column_holds_a_fernet_token(profile: Any) -> None:
    from django.db import connection

    _save_distinctive(profile)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pain_on_waking, notes, pillow FROM nightspine_diaryentry")
        row = cursor.fetchone()
        cursor.execute("SELECT answers, result FROM nightspine_assessmentrecord")
        row += cursor.fetchone()
    assert all(str(v).startswith(crypto.TOKEN_PREFIX) for v in row)


def test_plain_rows_from_before_encryption_are_read_and_re_encrypted(profile: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO nightspine_diaryentry (profile_id, date, pain_on_waking, knee_pillow,"
            " pillow, pain_locations, medications, measured_fields, origin, notes, created_at,"
            " updated_at) VALUES (%s, %s, '4', '1', 'old foam', '[\"neck\"]', '[]', '[]',"
            " 'typed', '123', %s, %s)",
            [profile.pk, dt.date(2026, 2, 1), dt.datetime.now(dt.UTC), dt.datetime.now(dt.UTC)],
        )
    entry = repo.get_entry(profile, dt.date(2026, 2, 1))
    assert entry.pain_on_waking == 4 and entry.knee_pillow is True and entry.notes == "123"
    assert entry.pillow == "old foam" and entry.pain_locations == ("neck",)
    assert keys.re_encrypt()["DiaryEntry"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pillow FROM nightspine_diaryentry")
        assert cursor.fetchone()[0].startswith(crypto.TOKEN_PREFIX)
    assert repo.get_entry(profile, dt.date(2026, 2, 1)) == entry


def test_rotation_keeps_old_data_readable_then_moves_it_to_the_new_key(
    profile: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.conf import settings

    old = Fernet.generate_key().decode()
    monkeypatch.setattr(settings, "NOTES_KEY", old, raising=False)
    _save_distinctive(profile)
    new = Fernet.generate_key().decode()
    monkeypatch.setattr(settings, "NOTES_KEY", f"{new},{old}")
    assert repo.get_entry(profile, dt.date(2026, 3, 1)).notes == NOTE  # old key still reads
    counts = keys.re_encrypt()
    assert (counts["DiaryEntry"], counts["AssessmentRecord"]) == (1, 1)
    monkeypatch.setattr(settings, "NOTES_KEY", new)  # the old key is gone
    assert repo.get_entry(profile, dt.date(2026, 3, 1)).notes == NOTE


def test_rotate_key_file_puts_the_new_key_first_and_keeps_the_file_private(
    tmp_path: Path,
) -> None:
    from nightspine.config import Settings

    chosen = Settings(data_dir=tmp_path, notes_key=None)
    first = chosen.resolved_notes_key()
    path = keys.rotate_key_file(chosen)
    lines = path.read_text().split()
    assert len(lines) == 2 and lines[1] == first and lines[0] != first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Fernet(lines[0].encode())


def test_the_sqlite_file_and_data_folder_are_the_owner_s_only(tmp_path: Path) -> None:
    from nightspine.storage.database import database_config, restrict_sqlite_files

    folder = tmp_path / "data"
    config = database_config(f"sqlite:///{folder / 'n.sqlite3'}")
    from nightspine.storage.database import _prepare_sqlite_folder

    _prepare_sqlite_folder(config)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    db = folder / "n.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o644)
    restrict_sqlite_files(config)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
