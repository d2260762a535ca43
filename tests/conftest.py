"""Test-wide fixtures: the databases (SQLite and a throwaway PostgreSQL), see database_plugin."""

pytest_plugins = ["database_plugin"]
