"""The diary pages: this morning's entry, history, insights, report and export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.assessment import questionnaire as qn
from nightspine.diary.checks import Unusual, future_date_problem, unusual_values
from nightspine.diary.dates import day_text
from nightspine.diary.entry import DiaryEntry, entry_from_values
from nightspine.errors import (
    ConflictError,
    InvalidInputError,
    MissingExtraError,
    NotFoundError,
    Problem,
)
from nightspine.knowledge.vocabulary import diary_vocabulary
from nightspine.storage.models import Profile
from nightspine.web import bridges, experiments, services
from nightspine.web.charts import pain_chart_svg
from nightspine.web.insights_page import insights_context
from nightspine.web.questions import NONE_VALUE, humanize
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
QUICK = ("pain_on_waking", "sleep_position", "knee_pillow", "pillow", "mattress", "hours_slept")
"""Shown open: the pain on waking, last night's set-up and hours slept. The rest is under
"More about last night", which starts empty, so a section never opened stores nothing."""
SETUP = ("sleep_position", "knee_pillow", "pillow", "mattress")
"""Carried over from the last entry, marked as such (the same set-up the terminal offers)."""
BOOL_WORDS = {"yes": True, "no": False}
NONE_LABELS = {"pain_locations": "Nowhere", "medications": "None taken"}
"""The label of each list question's explicit "none" box (stored as an empty list)."""
HISTORY_PAGE = 90
"""Entries on one page of the history (and in its chart)."""


def parse_entry(data: QueryDict) -> tuple[dict[str, Any], list[Problem], dict[str, str]]:
    """Diary field values from a submitted form, the problems (GOV.UK-style, naming the field)
    and the text as typed (kept on the page when there is a problem).

    A yes/no question has three answers: "yes", "no" and not recorded (its "not recorded"
    choice, or nothing sent at all); not recorded is stored as nothing, never as "no". A list
    question likewise: its choices, its explicit "None" box (an empty list), or nothing ticked
    (not recorded), so a section never opened stores nothing.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    typed: dict[str, str] = {}
    for name, spec in diary_vocabulary().fields.items():
        if spec.type == "bool":
            answer = data.get(name) or ""
            if answer in BOOL_WORDS:
                values[name] = BOOL_WORDS[answer]
            continue
        if spec.type == "many-of":
            chosen = data.getlist(name)
            if NONE_VALUE in chosen and len(chosen) > 1:
                problems.append(Problem(name, none_and_choices_message(name)))
                values[name] = tuple(chosen)  # shown again as ticked; never saved so
            elif chosen == [NONE_VALUE]:
                values[name] = ()  # "none", said explicitly
            elif chosen:
                values[name] = tuple(chosen)
            continue
        raw = (data.get(name) or "").strip()
        if raw == "":
            continue
        typed[name] = raw
        if spec.type in ("int", "0-10", "number"):
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                problems.append(Problem(name, number_message(name, spec)))
                continue
            values[name] = int(number) if spec.type != "number" and number.is_integer() else number
        else:
            values[name] = raw
    return values, problems, typed


def none_and_choices_message(name: str) -> str:
    """GOV.UK style: the "none" box and a choice ticked together."""
    return f'Tick "{NONE_LABELS.get(name, "None")}" or the ones that apply, not both'


def contract_problems(values: dict[str, Any]) -> list[Problem]:
    """What the diary contract says about ``values`` (nothing if they make an entry)."""
    try:
        entry_from_values(values, where="entry")
    except InvalidInputError as exc:
        return list(exc.problems)
    return []


def label_of(name: str) -> str:
    if name == "pain_on_waking":
        return "Back pain on waking"
    if name == "date":
        return "Morning of"
    return LABELS.get(name, humanize(name))


def number_message(name: str, spec: Any) -> str:
    """What to type, GOV.UK style: "Enter hours slept as a number from 0 to 24"."""
    what = label_of(name).split(" (")[0].lower()
    whole = "a whole number" if spec.type in ("int", "0-10") else "a number"
    if spec.min is not None and spec.max is not None:
        return f"Enter {what} as {whole} from {spec.min:g} to {spec.max:g}"
    if spec.min is not None:
        return f"Enter {what} as {whole}, {spec.min:g} or more"
    return f"Enter {what} as {whole}"


def person_message(name: str, message: str) -> str:
    """A core problem in the words of a form (the core's words name the contract)."""
    spec = diary_vocabulary().fields.get(name)
    if name == "pain_on_waking" and "required" in message:
        return "Select how much your back hurt on waking, from 0 to 10"
    if name == "date" and "required" in message:
        return "Enter the date of the morning, for example 6 12 2026"
    if spec is not None and spec.type in ("int", "0-10", "number"):
        return number_message(name, spec)
    return message[:1].upper() + message[1:]


def _fields(extra_quick: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": LABELS.get(name, humanize(name)),
            "spec": spec,
            "options": [(v, _choice(name, v)) for v in spec.values],
            "none_label": NONE_LABELS.get(name, "None"),
            "quick": name in QUICK or name in extra_quick,
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


def _form_values(
    profile: Profile, entry: DiaryEntry | None
) -> tuple[dict[str, Any], DiaryEntry | None]:
    """The values the form starts with, and the entry the set-up was carried over from."""
    if entry is not None:
        return entry.model_dump(mode="json"), None
    previous = services.latest_entry(profile)
    values: dict[str, Any] = {"date": services.today_for(profile).isoformat()}
    if previous is None:
        return values, None
    carried = {name: getattr(previous, name) for name in SETUP}
    values.update({k: v for k, v in carried.items() if v is not None})
    return values, previous if any(v is not None for v in carried.values()) else None


def _labels(profile: Profile) -> dict[str, list[str]]:
    return services.labels_used(profile)


def _future_problem(profile: Profile, value: object) -> Problem | None:
    """The future-date problem of a submitted date, if it is one (told with the others)."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return future_date_problem(day, services.latest_allowed_date(profile))


def _has_entry(profile: Profile, date: dt.date) -> bool:
    try:
        services.get_entry(profile, date)
    except NotFoundError:
        return False
    return True


def _confirmed(data: QueryDict, unusual: list[Unusual]) -> bool:
    """Whether the person ticked "yes, that is right" for each unusual value as it is now."""
    return all(data.get(f"confirm_{u.field}") == f"{u.value:g}" for u in unusual)


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
    unusual: list[Unusual] = []
    values, carried_from = _form_values(profile, editing)
    carried = [n for n in SETUP if carried_from is not None and values.get(n) is not None]
    if request.method == "POST":
        parsed, problems, typed = parse_entry(request.POST)
        if editing is not None:
            parsed["date"] = editing.date
        future = _future_problem(profile, parsed.get("date"))
        if future is not None:
            problems.append(future)
        if problems:  # every problem at once: the contract's too, for the other fields
            flagged = {p.location for p in problems}
            problems += [
                p
                for p in contract_problems(parsed)
                if p.location.removeprefix("entry, ") not in flagged
            ]
        if not problems:
            unusual = unusual_values(parsed)
            if unusual and not _confirmed(request.POST, unusual):
                problems = [Problem(u.field, u.question()) for u in unusual]
            else:
                unusual = []
        stored: DiaryEntry | None = None
        if not problems:
            try:
                stored = services.save_entry(
                    profile,
                    parsed,
                    replace=editing is not None or request.POST.get("replace") == "yes",
                    where="entry",
                )
            except InvalidInputError as exc:
                problems = list(exc.problems)
            except ConflictError:
                day = dt.date.fromisoformat(str(parsed["date"]))
                problems = [
                    Problem(
                        "date",
                        f"You already have an entry for the morning of {day_text(day)}: "
                        'edit it, or tick "Replace" and save again',
                    )
                ]
        if stored is not None:
            see_other = HttpResponseRedirect(
                f"{reverse('diary_history')}?saved={stored.date.isoformat()}"
            )
            see_other.status_code = 303  # "see the history", after a form post
            return see_other
        errors = {
            p.location.removeprefix("entry, "): (
                p.message
                if unusual
                else person_message(p.location.removeprefix("entry, "), p.message)
            )
            for p in problems
        }
        values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in parsed.items()}
        values.update(typed)  # what the person typed stays on the page
        if editing is None and "date" not in values:
            values["date"] = request.POST.get("date", "")
        carried = []
    today = services.today_for(profile)
    done_today = editing is None and request.method == "GET" and _has_entry(profile, today)
    running = experiments.active(profile, today)
    experiment_field = (running.plan.spec.field,) if running else ()
    return render(
        request,
        "nightspine/diary_entry.html",
        {
            "fields": _fields(experiment_field),
            "values": values,
            "errors": errors,
            "error_labels": {k: label_of(k) for k in errors},
            "unusual": {u.field: {"value": f"{u.value:g}", "unit": u.unit} for u in unusual},
            "editing": editing,
            "labels": _labels(profile),
            "conflict": "You already have an entry" in errors.get("date", ""),
            "carried": carried,
            "carried_from": carried_from,
            "running": running,
            "today": services.latest_allowed_date(profile).isoformat(),
            "none_value": NONE_VALUE,
            "done_today": today if done_today else None,
        },
        status=422 if errors else 200,
    )


@person_required
def history(request: HttpRequest) -> HttpResponse:
    """One page of HISTORY_PAGE entries, newest first; ``?before=<date>`` pages back."""
    profile = services.profile_of(request.user)
    before: dt.date | None = None
    if request.GET.get("before"):
        try:
            before = dt.date.fromisoformat(request.GET["before"])
        except ValueError:
            return not_found(request, "That page of the diary does not exist (a bad date).")
    page = services.newest_entries(profile, limit=HISTORY_PAGE + 1, before=before)
    entries, older = page[:HISTORY_PAGE], len(page) > HISTORY_PAGE
    saved = request.GET.get("saved", "")
    saved_day = next((e.date for e in entries if e.date.isoformat() == saved), None)
    if saved and saved_day is None:  # saved a morning older than this page
        try:
            day = dt.date.fromisoformat(saved)
        except ValueError:
            day = None
        saved_day = day if day is not None and _has_entry(profile, day) else None
    running = experiments.active(profile, services.today_for(profile)) if saved else None
    return render(
        request,
        "nightspine/diary_history.html",
        {
            "entries": entries,
            "chart": pain_chart_svg(list(reversed(entries))),
            "older": entries[-1].date.isoformat() if older else None,
            "paged": before is not None,
            "saved": saved_day,
            "running": running,
        },
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
    page = bridges.insights_page(services.profile_of(request.user))
    return render(
        request,
        "nightspine/insights.html",
        insights_context(page.insights, page.chart_svg, page.nights),
    )


def export_response(profile: Profile, fmt: str) -> HttpResponse:
    from nightspine.web import security_events

    download = bridges.export(profile, fmt)
    security_events.record("export", profile_id=profile.pk, format=fmt)
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@person_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        return export_response(services.profile_of(request.user), fmt)
    except NotFoundError as exc:
        return not_found(request, str(exc))
    except MissingExtraError as exc:  # the PDF on an install without nightspine[pdf]
        return render(
            request,
            "nightspine/error.html",
            {"title": "Not installed on this server", "message": str(exc)},
            status=501,
        )
