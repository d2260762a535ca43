"""``nightspine insights`` and ``nightspine experiment`` on a real database (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from nightspine.cli.main import app, report_error
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import ConflictError, InvalidInputError, NotFoundError
from nightspine.insights.experiments import ExperimentPlan
from nightspine.knowledge.loader import load_knowledge
from nightspine.storage import repository as repo

runner = CliRunner()
START = dt.date(2026, 1, 5)


def _run(db: str, *args: str) -> Any:
    return runner.invoke(app, [*args, "--db", db])


def _save_diary(profile: Any, nights: int, *, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    for day in range(nights):
        stomach = bool(rng.random() < 0.3)
        repo.save_entry(
            profile,
            DiaryEntry(
                date=START + dt.timedelta(days=day),
                pain_on_waking=int(np.clip(round(3 + 3 * stomach + rng.normal(0, 0.7)), 0, 10)),
                sleep_position="stomach" if stomach else "side",
                knee_pillow=bool(rng.random() < 0.5),
            ),
        )


def test_insights_on_an_empty_diary(storage: str) -> None:
    result = _run(storage, "insights")
    assert result.exit_code == 0, result.output
    assert "Not enough data yet" in result.output


def test_insights_text_and_json(storage: str, profile: Any) -> None:
    _save_diary(profile, 40)
    text = _run(storage, "insights")
    assert text.exit_code == 0, text.output
    assert "Mornings after nights on the stomach were" in text.output
    data = json.loads(_run(storage, "insights", "--format", "json").output)
    assert data["nights"] == 40
    assert {"trend", "factors", "changes"} <= set(data)
    stomach = next(f for f in data["factors"] if f["level"] == "stomach")
    assert stomach["credible"] is True
    window = json.loads(
        _run(
            storage, "insights", "--format", "json", "--from", "2026-01-10", "--to", "2026-01-29"
        ).output
    )
    assert window["nights"] == 20


def test_a_bad_date_is_an_input_error(storage: str) -> None:
    result = _run(storage, "insights", "--from", "2026-02-30")
    assert isinstance(result.exception, InvalidInputError)
    assert report_error(result.exception) == 2
    assert "--from" in str(result.exception)


def _follow(profile: Any, plan: ExperimentPlan, effect: float, seed: int = 2) -> None:
    rng = np.random.default_rng(seed)
    for block in plan.blocks:
        for evening in block.evenings:
            knee = block.arm == "B"
            pain = 5 + effect * knee + rng.normal(0, 0.6)
            repo.save_entry(
                profile,
                DiaryEntry(
                    date=evening + dt.timedelta(days=1),
                    pain_on_waking=int(np.clip(round(pain), 0, 10)),
                    knee_pillow=knee,
                ),
            )


def test_an_experiment_from_start_to_report(storage: str, profile: Any) -> None:
    start = "2026-03-02"
    result = _run(
        storage,
        "experiment",
        "start",
        "knee_pillow",
        "--start",
        start,
        "--seed",
        "7",
        "--weeks",
        "3",
    )
    assert result.exit_code == 0, result.output
    assert "planned" in result.output
    stored = repo.active_experiment(profile)
    assert stored is not None and stored.change == "knee_pillow"
    plan = ExperimentPlan.from_json(stored.schedule)
    assert plan.seed == 7 and plan.start == dt.date(2026, 3, 2)

    tonight = _run(storage, "experiment", "tonight", "--date", start)
    assert tonight.exit_code == 0, tonight.output
    assert tonight.output.startswith("Tonight:")
    first = json.loads(
        _run(storage, "experiment", "tonight", "--date", start, "--format", "json").output
    )
    assert first["arm"] == plan.blocks[0].arm and first["status"] == "during"

    _follow(profile, plan, effect=-2.5)
    midway = (plan.start + dt.timedelta(days=5)).isoformat()
    status = _run(storage, "experiment", "status", "--today", midway)
    assert status.exit_code == 0 and "followed the plan" in status.output
    interim = _run(storage, "experiment", "report", "--today", midway)
    assert "to go" in interim.output
    assert repo.get_experiment(profile, stored.id).status == "running"

    after = (plan.end + dt.timedelta(days=1)).isoformat()
    final = _run(storage, "experiment", "report", "--today", after, "--format", "json")
    assert final.exit_code == 0, final.output
    data = json.loads(final.output)
    assert data["verdict"] == "helped" and data["ci95"][1] < 0
    done = repo.get_experiment(profile, stored.id)
    assert done.status == "finished" and done.result is not None
    assert done.result["verdict"] == "helped"
    listing = _run(storage, "experiment", "list")
    assert "finished" in listing.output and "helped" in listing.output


def test_one_experiment_at_a_time_and_abandon(storage: str, profile: Any) -> None:
    assert _run(storage, "experiment", "start", "stretching", "--seed", "1").exit_code == 0
    second = _run(storage, "experiment", "start", "knee_pillow")
    assert isinstance(second.exception, ConflictError)
    abandoned = _run(storage, "experiment", "abandon")
    assert abandoned.exit_code == 0 and "abandoned" in abandoned.output
    nothing = _run(storage, "experiment", "tonight")
    assert isinstance(nothing.exception, NotFoundError)


@pytest.mark.parametrize("change", ["pillow", "mattress_topper"])
def test_label_changes_need_labels(storage: str, change: str) -> None:
    result = _run(storage, "experiment", "start", change, "--new", "cervical")
    assert isinstance(result.exception, InvalidInputError)
    assert [p.location for p in result.exception.problems] == ["usual_label"]


def test_the_usual_label_defaults_to_the_last_logged(storage: str, profile: Any) -> None:
    repo.save_entry(profile, DiaryEntry(date=START, pain_on_waking=3, pillow="old foam"))
    result = _run(storage, "experiment", "start", "pillow", "--new", "cervical", "--seed", "3")
    assert result.exit_code == 0, result.output
    stored = repo.active_experiment(profile)
    assert stored is not None
    assert ExperimentPlan.from_json(stored.schedule).labels == {
        "usual": "old foam",
        "new": "cervical",
    }


def test_the_catalogue_is_listed_with_sources() -> None:
    result = runner.invoke(app, ["experiment", "changes"])
    assert result.exit_code == 0
    assert "knee_pillow" in result.output and "source:" in result.output
    # the knowledge base's labels, not the ids the catalogue cites
    assert f"source: {load_knowledge().sources['kravitz_2014'].label}" in result.output
    assert "source: kravitz_2014" not in result.output


def test_from_after_to_is_refused(storage: str) -> None:
    result = _run(storage, "insights", "--from", "2026-02-01", "--to", "2026-01-01")
    assert isinstance(result.exception, InvalidInputError)
    assert "is after --to" in str(result.exception)


def test_start_without_a_change_suggests_one_that_fits_the_assessment(
    storage: str, profile: Any
) -> None:
    from nightspine.assessment.engine import assess
    from nightspine.storage import repository

    answers = {"age": 40, "sleep_position": "stomach"}
    repository.save_assessment(profile, answers, assess(answers))
    result = _run(storage, "experiment", "start", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "Suggested change: sleeping on the side instead of the stomach" in result.output
    assert "stomach sleeping" in result.output
    stored = repository.active_experiment(profile)
    assert stored is not None and stored.change == "side_not_stomach"


def test_insights_say_when_older_nights_are_left_out(
    storage: str, profile: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nightspine.insights import analysis

    monkeypatch.setattr(analysis, "WINDOW_NIGHTS", 30)
    _save_diary(profile, 40)
    text = _run(storage, "insights")
    assert text.exit_code == 0, text.output
    assert "Your diary: 40 nights recorded.\nBased on your last 30 nights" in text.output
    data = json.loads(_run(storage, "insights", "--format", "json").output)
    assert (data["nights"], data["nights_recorded"]) == (30, 40)
