"""N-of-1 experiments for the web app, through the insights package and the storage layer,
the same steps as ``nightspine experiment``."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from nightspine.errors import NotFoundError
from nightspine.insights.experiments import (
    Adherence,
    ChangeSpec,
    ExperimentPlan,
    ExperimentReport,
    Tonight,
    catalogue,
    check_adherence,
    get_change,
    plan_experiment,
    report_experiment,
    suggested_change,
    tonight,
)
from nightspine.storage import repository as repo
from nightspine.storage.models import Profile
from nightspine.storage.repository import StoredExperiment


@dataclass(frozen=True)
class Running:
    stored: StoredExperiment
    plan: ExperimentPlan
    tonight: Tonight
    adherence: Adherence
    report: ExperimentReport


def changes() -> list[ChangeSpec]:
    return list(catalogue().values())


@dataclass(frozen=True)
class Suggestion:
    change: ChangeSpec
    contributor: str | None
    """The title of the likely contributor it addresses (``None``: nothing to go on yet)."""


def suggestion(profile: Profile) -> Suggestion:
    """The change that fits the person's latest assessment (its top contributors first)."""
    latest = repo.latest_assessment(profile)
    contributors = latest.assessment().contributors if latest else []
    change, addressed = suggested_change([c.id for c in contributors])
    title = next((c.title for c in contributors if c.id == addressed), None)
    return Suggestion(change, title)


def start(
    profile: Profile,
    change: str,
    *,
    weeks: int = 4,
    usual: str | None = None,
    new: str | None = None,
    first: dt.date | None = None,
) -> StoredExperiment:
    """Plan and store an experiment (one at a time; a second is a ConflictError)."""
    spec = get_change(change)
    first = first or dt.date.today()
    if spec.needs_labels and not usual:
        usual = repo.last_label(profile, spec.field)
    plan = plan_experiment(
        change,
        first,
        seed=secrets.randbelow(2**31),
        weeks=weeks,
        usual_label=usual or None,
        new_label=new or None,
    )
    status = "running" if first <= dt.date.today() else "planned"
    return repo.create_experiment(profile, change, first, plan.to_json(), status=status)


def active(profile: Profile, today: dt.date | None = None) -> Running | None:
    stored = repo.active_experiment(profile)
    if stored is None:
        return None
    today = today or dt.date.today()
    if stored.status == "planned" and stored.start_date <= today:
        stored = repo.update_experiment(profile, stored.id, status="running")
    plan = ExperimentPlan.from_json(stored.schedule)
    entries = repo.list_entries(profile, plan.start, plan.end)
    report = report_experiment(plan, entries, today=today)
    if report.status == "complete":
        repo.update_experiment(profile, stored.id, status="finished", result=report.to_json())
    return Running(
        stored, plan, tonight(plan, today), check_adherence(plan, entries, today=today), report
    )


def stop(profile: Profile, how: str, today: dt.date | None = None) -> StoredExperiment:
    """``how``: "finish" (keep the result so far) or "abandon" (no result)."""
    stored = repo.active_experiment(profile)
    if stored is None:
        raise NotFoundError("no experiment is planned or running")
    if how == "abandon":
        return repo.update_experiment(profile, stored.id, status="abandoned")
    plan = ExperimentPlan.from_json(stored.schedule)
    result = report_experiment(
        plan, repo.list_entries(profile, plan.start, plan.end), today=today or dt.date.today()
    )
    return repo.update_experiment(profile, stored.id, status="finished", result=result.to_json())


def history(profile: Profile) -> list[StoredExperiment]:
    return [e for e in repo.list_experiments(profile) if e.status in ("finished", "abandoned")]
