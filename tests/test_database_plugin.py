"""The PostgreSQL test plugin: a missing server skips locally and fails in CI."""

from __future__ import annotations

import pytest

import database_plugin


def test_missing_binaries_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_plugin, "_find_bin", lambda name: None)
    with pytest.raises(database_plugin._NoPostgres, match="no PostgreSQL server binaries"):
        database_plugin._Cluster()


def test_no_server_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL tests skipped: why"):
        database_plugin._unavailable("why")


def test_no_server_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is required in CI"):
        database_plugin._unavailable("why")
