"""``nightspine keys``: a real process rotates the key; the file on disk never holds the note,
before or after; the database and key files are the owner's only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
NOTE = "walrus-stiff-at-dawn"


@pytest.mark.slow
def test_rotate_then_read_with_the_new_key_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(SRC), "NIGHTSPINE_DATA_DIR": str(data)}
    for name in ("NIGHTSPINE_DATABASE_URL", "NIGHTSPINE_NOTES_KEY", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nightspine", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    added = cli("diary", "add", "--date", "2026-03-01", "--pain", "2", "--notes", NOTE)
    assert added.returncode == 0, added.stderr
    db = data / "nightspine.sqlite3"
    raw = b"".join(p.read_bytes() for p in data.iterdir() if p.name.startswith(db.name))
    assert NOTE.encode() not in raw
    for private in (db, data / "notes_key"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600, private
    assert stat.S_IMODE(data.stat().st_mode) == 0o700

    old_key = (data / "notes_key").read_text().split()[0]
    rotated = cli("keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert "1 DiaryEntry" in rotated.stdout
    new_key = (data / "notes_key").read_text().split()[0]
    assert new_key != old_key
    (data / "notes_key").write_text(new_key + "\n")  # drop the old key: all was re-encrypted
    listed = cli("diary", "list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert NOTE in listed.stdout
