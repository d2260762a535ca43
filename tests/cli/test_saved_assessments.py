"""``nightspine assess --save`` keeps results; the global ``--db`` reaches every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from nightspine.cli.main import app
from nightspine.storage import repository as repo

runner = CliRunner()


def test_assess_save_keeps_answers_and_result(storage: str, profile: Any, tmp_path: Path) -> None:
    answers = {"age": 41, "sex": "male", "pain_locations": ["lower_back"], "duration_days": 10}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = runner.invoke(
        app, ["assess", "--answers", str(path), "--format", "json", "--save", "--db", storage]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)  # stdout stays the result alone
    assert "Saved as assessment" in result.stderr
    (stored,) = repo.list_assessments(profile)
    assert stored.result == shown
    assert stored.answers["age"] == 41
    assert stored.knowledge_version == shown["knowledge_version"]
    again = runner.invoke(app, ["--db", storage, "assess", "--answers", str(path), "--save"])
    assert again.exit_code == 0, again.output
    assert len(repo.list_assessments(profile)) == 2


def test_assess_without_save_stores_nothing(storage: str, profile: Any, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"age": 41}))
    result = runner.invoke(app, ["--db", storage, "assess", "--answers", str(path)])
    assert result.exit_code == 0, result.output
    assert repo.list_assessments(profile) == []


def test_global_db_reaches_insights(storage: str, profile: Any) -> None:
    for day in range(1, 4):
        added = runner.invoke(
            app, ["--db", storage, "diary", "add", "--date", f"2026-03-0{day}", "--pain", "3"]
        )
        assert added.exit_code == 0, added.output
    result = runner.invoke(app, ["--db", storage, "insights", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["nights"] == 3
