"""``nightspine insights`` and ``nightspine experiment``: diary statistics on the command line.

They read the default local profile's entries and experiments through the storage repository
and hand them to the pure core (:mod:`nightspine.insights`). Storage (Django) is imported only
when a command runs, so ``nightspine --help`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from nightspine.errors import InvalidInputError, NotFoundError, Problem

if TYPE_CHECKING:
    from nightspine.diary.entry import DiaryEntry
    from nightspine.insights.experiments import ExperimentPlan
    from nightspine.storage.models import Profile
    from nightspine.storage.repository import StoredExperiment

console = Console(highlight=False)

DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: NIGHTSPINE_DATABASE_URL or the local SQLite file)."
)


class Format(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="text for people, json for tools.")]


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            [Problem(option, f"expected a date as YYYY-MM-DD, got {value!r}")], what="command"
        ) from None


def _profile(db: str | None) -> Profile:
    from nightspine.cli.db import open_profile  # honours the global --db too

    return open_profile(db)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def insights(
    output: FormatOption = Format.text,
    start: str | None = typer.Option(None, "--from", help="First morning to include (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last morning to include (YYYY-MM-DD)."),
    db: str | None = DB_OPTION,
) -> None:
    """What your own nights say: the trend, factor effects with honest intervals, changes."""
    from nightspine.insights import analyze, render_text
    from nightspine.storage import repository as repo

    first, last = _parse_date(start, "--from"), _parse_date(end, "--to")
    if first is not None and last is not None and first > last:
        raise InvalidInputError(
            [Problem("--from", f"{first.isoformat()} is after --to {last.isoformat()}")],
            what="command",
        )
    profile = _profile(db)
    if first is None and last is None:  # the latest nights only: the rest would be left out
        entries, recorded = repo.insights_entries(profile)
    else:
        entries = repo.list_entries(profile, first, last)
        recorded = len(entries)
    result = analyze(entries, today=dt.date.today(), recorded=recorded)
    if output is Format.json:
        _print_json(result.to_json())
    else:
        typer.echo(render_text(result), nl=False)


experiment_app = typer.Typer(
    help="Test one change on yourself over randomised blocks of nights (an N-of-1 trial).",
    no_args_is_help=True,
)


def _active(profile: Profile) -> StoredExperiment:
    from nightspine.storage import repository as repo

    active = repo.active_experiment(profile)
    if active is None:
        raise NotFoundError(
            "no experiment is planned or running; start one with `nightspine experiment start "
            "CHANGE` (see `nightspine experiment changes`)"
        )
    return active


def _plan(stored: StoredExperiment) -> ExperimentPlan:
    from nightspine.insights.experiments import ExperimentPlan

    return ExperimentPlan.from_json(stored.schedule)


def _active_nights(
    db: str | None,
) -> tuple[Profile, StoredExperiment, ExperimentPlan, list[DiaryEntry]]:
    """The profile, its planned or running experiment, the plan and the diary entries so far."""
    from nightspine.storage import repository as repo

    profile = _profile(db)
    stored = _active(profile)
    plan = _plan(stored)
    return profile, stored, plan, repo.list_entries(profile, plan.start, plan.end)


def _mark_running(profile: Profile, stored: StoredExperiment, today: dt.date) -> None:
    from nightspine.storage import repository as repo

    if stored.status == "planned" and stored.start_date <= today:
        repo.update_experiment(profile, stored.id, status="running")


@experiment_app.command("changes")
def changes() -> None:
    """The changes you can test, why, and what they rest on."""
    from nightspine.insights.experiments import catalogue

    for spec in catalogue().values():
        console.print(f"[bold]{spec.id}[/bold]: {spec.title}")
        console.print(f"  {spec.why}", markup=False)
        for label in spec.source_labels():
            console.print(f"  source: {label}", markup=False)
        console.print()


@experiment_app.command("start")
def start(
    change: str | None = typer.Argument(
        None,
        help="The change to test (see `experiment changes`; default: the one that addresses "
        "the most likely contributor of your latest saved assessment).",
    ),
    weeks: int = typer.Option(4, "--weeks", help="How long to run it: 2 to 6 weeks."),
    block_nights: int | None = typer.Option(
        None, "--block-nights", help="Nights per block, 3 or 4 (default: the change's own)."
    ),
    start_on: str | None = typer.Option(
        None, "--start", help="First evening (YYYY-MM-DD; default tonight)."
    ),
    usual: str | None = typer.Option(
        None,
        "--usual",
        help="Pillow or mattress: the usual one's label (default: the last logged).",
    ),
    new: str | None = typer.Option(None, "--new", help="Pillow or mattress: the new one's label."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: drawn at random)."),
    db: str | None = DB_OPTION,
) -> None:
    """Plan an experiment and store it; then run `nightspine experiment tonight` each evening."""
    from nightspine.insights.experiments import get_change, plan_experiment, suggested_change
    from nightspine.storage import repository as repo

    first = _parse_date(start_on, "--start") or dt.date.today()
    profile = _profile(db)
    if change is None:
        latest = repo.latest_assessment(profile)
        ids = [c.id for c in latest.assessment().contributors] if latest else []
        suggested, addressed = suggested_change(ids)
        change = suggested.id
        why = f"it addresses {addressed.replace('_', ' ')}" if addressed else "cheap and safe"
        typer.echo(f"Suggested change: {suggested.title.lower()} ({why}).")
    spec = get_change(change)
    if spec.needs_labels and usual is None:
        usual = repo.last_label(profile, spec.field)
    plan = plan_experiment(
        change,
        first,
        seed=secrets.randbelow(2**31) if seed is None else seed,
        weeks=weeks,
        block_nights=block_nights,
        usual_label=usual,
        new_label=new,
    )
    status = "running" if first <= dt.date.today() else "planned"
    stored = repo.create_experiment(profile, change, first, plan.to_json(), status=status)
    typer.echo(
        f"Experiment {stored.id} planned: {spec.title.lower()}, {plan.pairs} pairs of "
        f"{plan.block_nights}-night blocks ({plan.nights} nights), evenings "
        f"{plan.start.isoformat()} to {plan.last_evening.isoformat()}."
    )
    typer.echo(
        "Each evening run `nightspine experiment tonight`; keep logging your diary each morning."
    )


@experiment_app.command("tonight")
def tonight_command(
    on: str | None = typer.Option(None, "--date", help="The evening (YYYY-MM-DD; default today)."),
    output: FormatOption = Format.text,
    db: str | None = DB_OPTION,
) -> None:
    """What to do tonight for the running experiment."""
    from nightspine.insights.experiments import tonight
    from nightspine.storage import repository as repo

    evening = _parse_date(on, "--date") or dt.date.today()
    profile = _profile(db)
    stored = _active(profile)
    _mark_running(profile, stored, evening)
    plan = _plan(stored)
    entries = repo.list_entries(profile, evening, evening)
    result = tonight(plan, evening, entries)
    if output is Format.json:
        _print_json(result.model_dump(mode="json"))
    else:
        typer.echo(result.message)


@experiment_app.command("status")
def status(
    today_option: str | None = typer.Option(None, "--today", hidden=True),
    output: FormatOption = Format.text,
    db: str | None = DB_OPTION,
) -> None:
    """How the running experiment is going: nights done, adherence so far."""
    from nightspine.insights.experiments import check_adherence

    today = _parse_date(today_option, "--today") or dt.date.today()
    _, stored, plan, entries = _active_nights(db)
    adherence = check_adherence(plan, entries, today=today)
    if output is Format.json:
        _print_json(
            {
                "id": stored.id,
                "change": plan.change,
                "status": stored.status,
                "plan": plan.to_json(),
                "adherence": adherence.model_dump(mode="json"),
            }
        )
        return
    typer.echo(
        f"Experiment {stored.id}: {plan.spec.title} ({stored.status}), evenings "
        f"{plan.start.isoformat()} to {plan.last_evening.isoformat()}."
    )
    typer.echo(adherence.message)


@experiment_app.command("report")
def report(
    experiment_id: int | None = typer.Argument(
        None, help="Which experiment (default: the planned or running one)."
    ),
    today_option: str | None = typer.Option(None, "--today", hidden=True),
    output: FormatOption = Format.text,
    db: str | None = DB_OPTION,
) -> None:
    """The result: the effect with its interval and a plain verdict (once the nights are over).

    When the last night is past, the running experiment is marked finished and its result kept.
    """
    from nightspine.insights.experiments import render_report, report_experiment
    from nightspine.storage import repository as repo

    today = _parse_date(today_option, "--today") or dt.date.today()
    profile = _profile(db)
    stored = (
        _active(profile) if experiment_id is None else repo.get_experiment(profile, experiment_id)
    )
    plan = _plan(stored)
    entries = repo.list_entries(profile, plan.start, plan.end)
    result = report_experiment(plan, entries, today=today)
    if result.status == "complete" and stored.status in ("planned", "running"):
        repo.update_experiment(profile, stored.id, status="finished", result=result.to_json())
    if output is Format.json:
        _print_json(result.to_json())
    else:
        typer.echo(render_report(result), nl=False)


@experiment_app.command("finish")
def finish(
    today_option: str | None = typer.Option(None, "--today", hidden=True),
    db: str | None = DB_OPTION,
) -> None:
    """Finish the running experiment now (early: the result is kept without a verdict)."""
    from nightspine.insights.experiments import render_report, report_experiment
    from nightspine.storage import repository as repo

    today = _parse_date(today_option, "--today") or dt.date.today()
    profile, stored, plan, entries = _active_nights(db)
    result = report_experiment(plan, entries, today=today)
    repo.update_experiment(profile, stored.id, status="finished", result=result.to_json())
    typer.echo(render_report(result), nl=False)


@experiment_app.command("abandon")
def abandon(db: str | None = DB_OPTION) -> None:
    """Stop the planned or running experiment without a result."""
    from nightspine.storage import repository as repo

    profile = _profile(db)
    stored = _active(profile)
    repo.update_experiment(profile, stored.id, status="abandoned")
    typer.echo(f"Experiment {stored.id} ({stored.change}) abandoned.")


@experiment_app.command("list")
def list_command(db: str | None = DB_OPTION) -> None:
    """Your experiments, past and present."""
    from nightspine.storage import repository as repo

    profile = _profile(db)
    stored = repo.list_experiments(profile)
    if not stored:
        typer.echo("No experiments yet; see `nightspine experiment changes`.")
        return
    table = Table("id", "change", "start", "status", "verdict")
    for s in stored:
        verdict = str((s.result or {}).get("verdict", "")).replace("_", " ")
        table.add_row(str(s.id), s.change, s.start_date.isoformat(), s.status, verdict)
    console.print(table)
