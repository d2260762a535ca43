"""The diary pages: this morning's entry, history, insights, report and export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.assessment import questionnaire as qn
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import ConflictError, InvalidInputError, NotFoundError, Problem
from nightspine.knowledge.fields import plain_problem
from nightspine.knowledge.vocabulary import diary_vocabulary
from nightspine.storage.models import Profile
from nightspine.web import bridges, services
from nightspine.web.charts import pain_chart_svg
from nightspine.web.insights_page import insights_context
from nightspine.web.questions import humanize
from nightspine.web.views.common import not_found, person_required

LABELS = {
    "pain_worst_night": "Worst pain in the night (0–10)",
    "stiffness_minutes": "Morning stiffness (minutes)",
    "woke_from_pain": "Times woken by pain",
    "pain_locations": "Where it hurt",
    "sleep_position": "How you slept most of the night",
    "knee_pillow": "Pillow under or between the knees",
    "pillow": "Pillow",
    "mattress": "Mattress",
    "hours_slept": "Hours slept",
    "tosses_and_turns": "Tossed and turned",
    "exercise_minutes": "Exercise yesterday (minutes)",
    "sitting_hours": "Hours sitting yesterday",
    "stress": "Stress yesterday",
    "alcohol_evening": "Alcohol in the evening",
    "caffeine_evening": "Caffeine in the evening",
    "screens_in_bed": "Screens in bed",
    "stretching": "Stretched before bed",
    "heat_or_ice": "Used heat or ice",
    "medications": "Medicines taken",
    "notes": "Notes",
}
QUICK = ("pain_on_waking", "sleep_position", "hours_slept", "knee_pillow", "tosses_and_turns")
NOT_CARRIED = ("date", "pain_on_waking", "pain_worst_night", "woke_from_pain", "notes")


def parse_entry(data: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
    """Diary field values from a submitted form; problems name the field."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, spec in diary_vocabulary().fields.items():
        if spec.type == "bool":
            values[name] = data.get(name) == "yes"
            continue
        if spec.type == "many-of":
            values[name] = tuple(data.getlist(name))
            continue
        raw = (data.get(name) or "").strip()
        if raw == "":
            continue
        if spec.type in ("int", "0-10", "number"):
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                problems.append(Problem(name, f"got {raw!r}; expected {spec.describe()}"))
                values[name] = raw  # kept so the form shows what the person typed
                continue
            values[name] = int(number) if spec.type != "number" and number.is_integer() else number
        else:
            values[name] = raw
    return values, problems


def _plain(name: str, message: str) -> str:
    """A problem as a form shows it (GOV.UK style: what to do, never "got 30.0")."""
    spec = diary_vocabulary().fields.get(name)
    shape = message.startswith("got ") or "; expected " in message or message == "is required"
    if spec is not None and shape:
        return plain_problem(LABELS.get(name, humanize(name)), spec)
    return message[:1].upper() + message[1:]


def _fields() -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": LABELS.get(name, humanize(name)),
            "spec": spec,
            "options": [(v, _choice(name, v)) for v in spec.values],
            "quick": name in QUICK,
        }
        for name, spec in diary_vocabulary().fields.items()
        if name != "date"
    ]


def _choice(name: str, value: str) -> str:
    """The same words for a choice as the questionnaire uses, where it asks the same thing."""
    if qn.has_question(name):
        label = qn.choice_label(name, value)
        return label[:1].upper() + label[1:]
    return humanize(value)


def _form_values(profile: Profile, entry: DiaryEntry | None) -> dict[str, Any]:
    if entry is not None:
        return entry.model_dump(mode="json")
    previous = services.latest_entry(profile)
    values: dict[str, Any] = {"date": timezone.localdate().isoformat()}
    if previous is not None:
        carried = previous.model_dump(mode="json", exclude=set(NOT_CARRIED))
        values.update({k: v for k, v in carried.items() if k in diary_vocabulary().fields})
    return values


def _labels(profile: Profile) -> dict[str, list[str]]:
    entries = services.list_entries(profile)
    return {
        "pillow": sorted({e.pillow for e in entries if e.pillow}),
        "mattress": sorted({e.mattress for e in entries if e.mattress}),
    }


@person_required
@require_http_methods(["GET", "POST"])
def entry_view(request: HttpRequest, date: str | None = None) -> HttpResponse:
    profile = services.profile_of(request.user)
    editing: DiaryEntry | None = None
    if date is not None:
        try:
            editing = services.get_entry(profile, dt.date.fromisoformat(date))
        except (ValueError, NotFoundError):
            return not_found(request, f"There is no diary entry for {date}.")
    errors: dict[str, str] = {}
    values = _form_values(profile, editing)
    if request.method == "POST":
        parsed, problems = parse_entry(request.POST)
        if editing is not None:
            parsed["date"] = editing.date
        if not problems:
            try:
                services.save_entry(
                    profile,
                    parsed,
                    replace=editing is not None or request.POST.get("replace") == "yes",
                    where="entry",
                )
            except InvalidInputError as exc:
                problems = list(exc.problems)
            except ConflictError as exc:
                problems = [Problem("date", str(exc))]
        if not problems:
            saved = parsed["date"]
            if request.headers.get("HX-Request") == "true":
                return render(request, "nightspine/_saved.html", {"date": saved})
            return redirect("diary_history")
        errors = {}
        for p in problems:
            where = p.location.removeprefix("entry, ")
            errors[where] = _plain(where, p.message)
        values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in parsed.items()}
        if request.headers.get("HX-Request") == "true":
            return render(
                request,
                "nightspine/_diary_errors.html",
                {"errors": errors, "conflict": "date" in errors, "date": values.get("date")},
            )
    return render(
        request,
        "nightspine/diary_entry.html",
        {
            "fields": _fields(),
            "values": values,
            "errors": errors,
            "editing": editing,
            "labels": _labels(profile),
            "conflict": "date" in errors,
        },
        status=422 if errors else 200,
    )


@person_required
def history(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    entries = services.list_entries(profile)
    return render(
        request,
        "nightspine/diary_history.html",
        {"entries": list(reversed(entries)), "chart": pain_chart_svg(entries[-90:])},
    )


@person_required
@require_POST
def delete(request: HttpRequest, date: str) -> HttpResponse:
    profile = services.profile_of(request.user)
    try:
        services.delete_entry(profile, dt.date.fromisoformat(date))
    except (ValueError, NotFoundError):
        return not_found(request, f"There is no diary entry for {date}.")
    return redirect("diary_history")


@person_required
def insights(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    entries = services.list_entries(profile)
    result = bridges.insights(profile) if entries else None
    return render(request, "nightspine/insights.html", insights_context(entries, result))


def export_response(profile: Profile, fmt: str) -> HttpResponse:
    download = bridges.export(profile, fmt)
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@person_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        return export_response(services.profile_of(request.user), fmt)
    except NotFoundError as exc:
        return not_found(request, str(exc))
