"""Settings come from NIGHTSPINE_* variables; the secret key is generated once and kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nightspine.config import Settings


def test_defaults_point_into_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIGHTSPINE_DATABASE_URL", raising=False)
    monkeypatch.setenv("NIGHTSPINE_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/nightspine.sqlite3"
    assert settings.debug is False
    assert "localhost" in settings.allowed_hosts


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTSPINE_DATABASE_URL", "postgresql://u:p@h:5432/n")
    monkeypatch.setenv("NIGHTSPINE_ALLOWED_HOSTS", "example.org, www.example.org")
    monkeypatch.setenv("NIGHTSPINE_DEBUG", "true")
    monkeypatch.setenv("NIGHTSPINE_SECRET_KEY", "given")
    settings = Settings()
    assert settings.resolved_database_url == "postgresql://u:p@h:5432/n"
    assert settings.allowed_hosts == ["example.org", "www.example.org"]
    assert settings.debug is True
    assert settings.resolved_secret_key() == "given"


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key=None)
    key = settings.resolved_secret_key()
    assert len(key) >= 50
    assert Settings(data_dir=tmp_path / "data").resolved_secret_key() == key
    mode = stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert list((tmp_path / "data").iterdir()) == [tmp_path / "data" / "secret_key"]


def test_the_emergency_number_follows_the_locale_unless_set() -> None:
    from nightspine.config import Settings, emergency_number_for

    assert emergency_number_for("en-GB") == "999"
    assert emergency_number_for("en_US") == "911"
    assert emergency_number_for("fr-FR") == "112"
    assert emergency_number_for("") == "112"
    assert Settings(locale="en-CA").resolved_emergency_number() == "911"
    assert Settings(locale="en-GB", emergency_number="000").resolved_emergency_number() == "000"
