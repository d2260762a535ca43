"""The notes key: generated once, private, a valid Fernet key; notes round-trip encrypted."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from nightspine.config import Settings
from nightspine.errors import StorageError
from nightspine.web import crypto


def test_notes_key_is_generated_once_and_private(tmp_path: Path) -> None:
    key = Settings(data_dir=tmp_path, notes_key=None).resolved_notes_key()
    Fernet(key.encode())  # a valid key
    assert Settings(data_dir=tmp_path, notes_key=None).resolved_notes_key() == key
    assert stat.S_IMODE((tmp_path / "notes_key").stat().st_mode) == 0o600


def test_notes_round_trip_and_wrong_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    token = crypto.encrypt("sore at 4 am")
    assert b"sore" not in token
    assert crypto.decrypt(token) == "sore at 4 am"
    from django.conf import settings

    monkeypatch.setattr(settings, "NOTES_KEY", Fernet.generate_key().decode())
    with pytest.raises(StorageError, match="NIGHTSPINE_NOTES_KEY"):
        crypto.decrypt(token)
