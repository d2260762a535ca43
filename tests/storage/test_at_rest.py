"""Health data at rest: the database file does not hold it in plain text; keys rotate; plain
rows from before encryption are still read and get encrypted; files are the owner's only."""

from __future__ import annotations

import datetime as dt
import json
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
        cursor.execute("SELECT health_values FROM nightspine_diaryentry")
        row = cursor.fetchone()
        cursor.execute("SELECT answers, result FROM nightspine_assessmentrecord")
        row += cursor.fetchone()
    assert all(str(v).startswith(crypto.TOKEN_PREFIX) for v in row)


def test_an_entry_s_health_values_are_one_sealed_token(profile: Any) -> None:
    """Every health value of a row sits in one token: one decryption reads the whole entry,
    and no other column of the row holds a health value."""
    from django.db import connection

    _save_distinctive(profile)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM nightspine_diaryentry")
        names = [c[0] for c in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    assert set(names) == {
        "id",
        "profile_id",
        "date",
        "health_values",
        "origin",
        "measured_fields",
        "created_at",
        "updated_at",
    }
    sealed = crypto.decrypt(str(row["health_values"]).encode("ascii"))
    assert json.loads(sealed) == {
        "pain_on_waking": 7,
        "pillow": PILLOW,
        "notes": NOTE,
        "pain_locations": ["shoulder_blade"],
    }


def test_plain_rows_from_before_encryption_are_read_and_re_encrypted(profile: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO nightspine_diaryentry (profile_id, date, health_values,"
            " measured_fields, origin, created_at, updated_at) VALUES (%s, %s, %s, '[]',"
            " 'typed', %s, %s)",
            [
                profile.pk,
                dt.date(2026, 2, 1),
                json.dumps(
                    {
                        "pain_on_waking": 4,
                        "knee_pillow": True,
                        "pillow": "old foam",
                        "pain_locations": ["neck"],
                        "medications": [],
                        "notes": "123",
                    }
                ),
                dt.datetime.now(dt.UTC),
                dt.datetime.now(dt.UTC),
            ],
        )
    entry = repo.get_entry(profile, dt.date(2026, 2, 1))
    assert entry.pain_on_waking == 4 and entry.knee_pillow is True and entry.notes == "123"
    assert entry.pillow == "old foam" and entry.pain_locations == ("neck",)
    assert entry.medications == () and entry.stress is None  # "none" and not recorded
    assert keys.re_encrypt()["DiaryEntry"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_values FROM nightspine_diaryentry")
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
    from nightspine.storage.database import prepare_sqlite_folder

    prepare_sqlite_folder(config)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    db = folder / "n.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o644)
    restrict_sqlite_files(config)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


MIGRATION_SCRIPT = """
import datetime as dt, json, sys
from django.core.management import call_command
from nightspine.storage import setup
setup(sys.argv[1], migrate=False)
call_command("migrate", "nightspine", "0002", verbosity=0)
from django.db import connection
now = dt.datetime.now(dt.UTC).isoformat()
with connection.cursor() as c:
    c.execute("INSERT INTO nightspine_profile (local_key, display_name, sex, created_at,"
              " updated_at) VALUES ('default', '', '', %s, %s)", [now, now])
    c.execute("INSERT INTO nightspine_diaryentry (profile_id, date, pain_on_waking, hours_slept,"
              " knee_pillow, pillow, pain_locations, medications, measured_fields, origin, notes,"
              " created_at, updated_at) VALUES (1, '2026-02-01', 6, 7.5, 0, 'old foam',"
              " '[\\"neck\\"]', '[]', '[]', 'typed', 'plain-kangaroo-note', %s, %s)", [now, now])
    c.execute("INSERT INTO nightspine_assessmentrecord (profile_id, answers, result, triage_level,"
              " knowledge_version, knowledge_checksum, created_at) VALUES (1, %s, %s, 'soon',"
              " 'v', 'c', %s)", [json.dumps({"age": 61}), json.dumps({"k": "plain-emu"}), now])
call_command("migrate", verbosity=0)
from nightspine.storage import repository as repo
profile = repo.get_or_create_default_profile()
entry = repo.get_entry(profile, dt.date(2026, 2, 1))
saved = repo.list_assessments(profile)[0]
print(json.dumps([entry.pain_on_waking, entry.hours_slept, entry.knee_pillow, entry.pillow,
                  list(entry.pain_locations), entry.medications, entry.notes, saved.answers,
                  saved.result]))
# and back: one token a column again, for the code before the values were sealed
call_command("migrate", "nightspine", "0005", verbosity=0)
from nightspine.storage import crypto
with connection.cursor() as c:
    c.execute("SELECT pain_on_waking, pillow, pain_locations, medications, notes, stress"
              " FROM nightspine_diaryentry")
    cells = c.fetchone()
print(json.dumps([None if v is None else json.loads(crypto.decrypt(v.encode())) for v in cells]))
call_command("migrate", verbosity=0)
print(json.dumps(repo.get_entry(profile, dt.date(2026, 2, 1)) == entry))
"""


@pytest.mark.slow
def test_the_migrations_encrypt_and_seal_existing_plain_rows_and_lose_nothing(
    tmp_path: Path,
) -> None:
    import json
    import os
    import subprocess
    import sys

    db = tmp_path / "old.sqlite3"
    env = {**os.environ, "NIGHTSPINE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("NIGHTSPINE_NOTES_KEY", None)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src
    done = subprocess.run(
        [sys.executable, "-c", MIGRATION_SCRIPT, f"sqlite:///{db}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    forward, back, again = (json.loads(line) for line in done.stdout.splitlines()[-3:])
    # the old empty list of medicines cannot say "none" from "never asked": not recorded
    assert forward == [
        6,
        7.5,
        False,
        "old foam",
        ["neck"],
        None,
        "plain-kangaroo-note",
        {"age": 61},
        {"k": "plain-emu"},
    ]
    assert back == [6, "old foam", ["neck"], [], "plain-kangaroo-note", None]
    assert again is True
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(db.name))
    for secret in (b"plain-kangaroo-note", b"old foam", b"plain-emu"):
        assert secret not in raw
