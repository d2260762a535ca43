"""`nightspine report`, `export` and `import` on a stored profile (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import report_simulation as sim
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from typer.testing import CliRunner

from nightspine.cli.main import app
from nightspine.report.exchange import read_export
from nightspine.report.fhir import morning_pain
from nightspine.storage import repository as repo
from nightspine.storage.database import empty_tables

runner = CliRunner()


def _fill(profile: Any, nights: int = 120) -> None:
    profile.birth_year, profile.sex = 1979, "female"
    profile.save()
    repo.import_entries(profile, sim.entries(nights))
    repo.save_assessment(
        profile,
        sim.answers(),
        sim.assessment(),
        created_at=dt.datetime(2026, 1, 5, 8, 30, 12, 345678, tzinfo=dt.UTC),
    )
    experiment = repo.create_experiment(
        profile, "knee_pillow", sim.START + dt.timedelta(days=40), {"blocks": ["A", "B"]}
    )
    repo.update_experiment(
        profile, experiment.id, status="finished", result={"verdict": "inconclusive"}
    )


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def _pages(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_report_from_the_stored_profile(profile: Any, storage: str, tmp_path: Path) -> None:
    _fill(profile)
    out = tmp_path / "report.pdf"
    result = _run("report", "--out", str(out), "--db", storage)
    assert result.exit_code == 0, result.output
    pages = _pages(out)
    assert len(pages) == 2
    assert "SOON" in pages[0] and "Inflammatory back pain" in pages[0]
    assert "Experiment, Knee pillow" in pages[0]
    assert "Try sleeping on your side" in pages[1]

    short = tmp_path / "short.pdf"
    args = ("--from", "2025-12-01", "--to", "2025-12-31", "--no-person-page", "--db", storage)
    result = _run("report", "--out", str(short), *args)
    assert result.exit_code == 0, result.output
    (page,) = _pages(short)
    assert "Diary 2025-12-01 to 2025-12-31" in page


def test_json_export_then_import_restores_exactly(
    profile: Any, storage: str, tmp_path: Path
) -> None:
    _fill(profile)
    first = tmp_path / "first.json"
    assert _run("export", "--format", "json", "--out", str(first), "--db", storage).exit_code == 0
    empty_tables()
    result = _run("import", "--format", "json", str(first), "--db", storage)
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.json"
    assert _run("export", "--format", "json", "--out", str(second), "--db", storage).exit_code == 0
    before = read_export(first.read_bytes())
    after = read_export(second.read_bytes())
    assert after.model_copy(update={"exported_at": before.exported_at}) == before
    assert len(after.entries) > 100 and after.assessments and after.experiments


def test_import_refuses_a_profile_that_holds_data(
    profile: Any, storage: str, tmp_path: Path
) -> None:
    _fill(profile, nights=10)
    export = tmp_path / "x.json"
    _run("export", "--format", "json", "--out", str(export), "--db", storage)
    result = runner.invoke(app, ["import", str(export), "--db", storage])
    assert result.exit_code != 0
    assert "empty profile" in str(result.exception)
    assert repo.count_entries(profile) == len(sim.entries(10))


def test_fhir_export_validates_and_keeps_the_pain(
    profile: Any, storage: str, tmp_path: Path
) -> None:
    _fill(profile, nights=30)
    out = tmp_path / "bundle.json"
    assert _run("export", "--format", "fhir", "--out", str(out), "--db", storage).exit_code == 0
    bundle = json.loads(out.read_text())
    Bundle.model_validate(bundle)
    assert morning_pain(bundle) == {e.date: e.pain_on_waking for e in sim.entries(30)}


@pytest.mark.parametrize("text", ["{", '{"format": "other"}'])
def test_import_of_a_wrong_file_says_why(storage: str, tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    result = runner.invoke(app, ["import", str(bad), "--db", storage])
    assert result.exit_code != 0
    assert str(bad) in str(result.exception)


def test_report_assesses_an_answers_file(storage: str, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sim.ANSWERS))
    out = tmp_path / "r.pdf"
    result = _run("report", "--out", str(out), "--answers", str(answers), "--db", storage)
    assert result.exit_code == 0, result.output
    pages = _pages(out)
    assert "SOON" in pages[0]
    assert "Answered no:" in pages[0]


def test_report_refuses_bad_answers(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("age: 300\ncolour: red\n")
    result = runner.invoke(
        app,
        ["report", "--out", str(tmp_path / "r.pdf"), "--answers", str(answers)],
    )
    assert result.exit_code != 0
    locations = [p.location for p in result.exception.problems]  # type: ignore[union-attr]
    assert locations == ["age", "colour"]
