"""The assessment pages: one screen per topic, warning signs first, answers kept in the session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.stop import emergency_now
from nightspine.errors import InvalidInputError, NotFoundError, Problem
from nightspine.web import services
from nightspine.web.engine import assess
from nightspine.web.presenting import present_assessment
from nightspine.web.questions import (
    NONE_VALUE,
    Checklist,
    Question,
    Section,
    prune_hidden,
    sections,
)

SESSION_KEY = "assessment_answers"


def session_answers(request: HttpRequest) -> dict[str, Any]:
    stored = request.session.get(SESSION_KEY, {})
    return dict(stored) if isinstance(stored, dict) else {}


def _visible_sections(answers: Mapping[str, Any]) -> list[Section]:
    return [s for s in sections() if s.visible(answers)]


def parse_section(
    section: Section, data: QueryDict, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """The answers of one screen, read from a submitted form (absent = not given).

    Warning signs must be answered (a tick or "none of these", yes or no), as on the command
    line, where they cannot be skipped. An optional question or checklist left alone stays
    unanswered: nothing is recorded that the person did not say.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for item in section.items(answers):
        if isinstance(item, Checklist):
            checked, problem = _parse_checklist(item, data)
            values.update(checked)
            if problem is not None:
                problems.append(problem)
            continue
        q = item
        if q.key not in data and q.kind not in ("bool", "many-of"):
            continue
        try:
            value = _parse(q, data)
        except ValueError as exc:
            problems.append(Problem(q.key, str(exc)))
            continue
        if value is None and section.warning and q.kind == "bool":
            problems.append(Problem(q.key, "please answer yes or no"))
        elif value is None and section.warning and q.kind == "many-of":
            none = q.none_label or "none of these"
            problems.append(Problem(q.key, f"tick what applies, or \u201c{none}\u201d"))
        elif value is not None:
            values[q.key] = value
    return values, problems


def _parse_checklist(item: Checklist, data: QueryDict) -> tuple[dict[str, bool], Problem | None]:
    """Ticked questions are yes and the others no; "none of these" is no throughout."""
    chosen = set(data.getlist(item.field))
    ticked = chosen - {NONE_VALUE}
    if NONE_VALUE in chosen and ticked:
        return {}, Problem(
            item.field, "tick \u201cNone of these\u201d or the ones that apply, not both"
        )
    if not chosen:
        if item.warning:
            return {}, Problem(item.field, "tick any that apply, or \u201cNone of these\u201d")
        return {}, None
    return {q.key: q.key in ticked for q in item.questions}, None


def _parse(q: Question, data: QueryDict) -> Any:
    if q.kind == "bool":
        raw = data.get(q.key)
        return True if raw == "yes" else (False if raw == "no" else None)
    if q.kind == "many-of":
        chosen = [v for v in data.getlist(q.key) if v != NONE_VALUE]
        if chosen:
            return chosen
        return [] if NONE_VALUE in data.getlist(q.key) else None
    raw = (data.get(q.key) or "").strip()
    if raw == "":
        return None
    if q.kind == "one-of":
        return raw
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise ValueError(f"got {raw!r}; expected a number") from None
    if q.kind in ("int", "0-10"):
        return int(number) if number.is_integer() else number
    return number


def _emergency(answers: Mapping[str, Any]) -> bool:
    """Whether the answers so far already mean an emergency (checked after every screen)."""
    return emergency_now(answers) is not None


def _stop_url() -> str:
    return reverse("assess_result") + "?stopped=1"


def _is_follow_up(q: Question) -> bool:
    return q.source is not None and q.source.show_if is not None


def _merge(section: Section, answers: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    merged = {k: v for k, v in answers.items() if k not in {q.key for q in section.questions}}
    merged.update(values)
    return prune_hidden(merged)


def _section_index(visible: list[Section], section_id: str) -> int:
    for i, s in enumerate(visible):
        if s.id == section_id:
            return i
    raise NotFoundError(f"no questionnaire section {section_id!r}")


def start(request: HttpRequest) -> HttpResponse:
    return redirect("assess_section", section_id=sections()[0].id)


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("assess_start")


@require_http_methods(["GET", "POST"])
def section_view(request: HttpRequest, section_id: str) -> HttpResponse:
    answers = session_answers(request)
    visible = _visible_sections(answers)
    try:
        index = _section_index(visible, section_id)
    except NotFoundError:
        return redirect("assess_start")
    section = visible[index]
    errors: dict[str, str] = {}
    follow_up = False
    if request.method == "POST":
        values, problems = parse_section(section, request.POST, answers)
        merged = _merge(section, answers, values)
        try:
            validate_answers(merged)
        except InvalidInputError as exc:
            problems.extend(p for p in exc.problems if p.location in values)
        shown_before = set(request.POST.getlist("shown"))
        new_follow_ups = [
            q
            for q in section.visible(merged)
            if q.key not in shown_before and q.key not in merged and _is_follow_up(q)
        ]
        if not any(p.location in values for p in problems) and _emergency(merged):
            # An emergency answer stops the questions at once, on any screen, as in the terminal.
            request.session[SESSION_KEY] = merged
            return redirect(_stop_url())
        if problems:
            errors = {p.location: p.message for p in problems}
            answers = {**answers, **{k: v for k, v in values.items() if k not in errors}}
        elif new_follow_ups and request.POST.get("go") != "back":
            # An answer opened follow-up questions on this screen: ask them before moving on.
            request.session[SESSION_KEY] = merged
            answers = merged
            follow_up = True
        else:
            request.session[SESSION_KEY] = merged
            visible = _visible_sections(merged)
            if request.POST.get("go") == "back":
                return redirect("assess_section", section_id=visible[max(index - 1, 0)].id)
            if index + 1 < len(visible):
                return redirect("assess_section", section_id=visible[index + 1].id)
            return redirect("assess_result")
    status = 422 if errors else 200
    return render(
        request,
        "nightspine/assess_section.html",
        {
            "section": section,
            "questions": section.visible(answers),
            "answers": answers,
            "errors": errors,
            "step": index + 1,
            "steps": len(visible),
            "first": index == 0,
            "last": index + 1 == len(visible),
            "follow_up": follow_up,
            "items": section.items(answers),
            "none_ticked": [
                item.id
                for item in section.items(answers)
                if isinstance(item, Checklist)
                and all(answers.get(q.key) is False for q in item.questions)
            ],
            "labels": _labels(section, answers),
            "none_value": NONE_VALUE,
        },
        status=status,
    )


def _labels(section: Section, answers: Mapping[str, Any]) -> dict[str, str]:
    """The words naming each form field in the error summary."""
    labels = {q.key: q.text for q in section.questions}
    for item in section.items(answers):
        if isinstance(item, Checklist):
            labels[item.field] = item.text
    return labels


@require_POST
def live_check(request: HttpRequest) -> HttpResponse:
    """htmx, on every change: as soon as the answers mean an emergency, go to the stop screen."""
    answers = session_answers(request)
    visible = _visible_sections(answers)
    try:
        section = visible[_section_index(visible, request.POST.get("section", visible[0].id))]
    except NotFoundError:
        return HttpResponse("")
    values, problems = parse_section(section, request.POST, answers)
    if any(p.location in values for p in problems):
        return HttpResponse("")
    merged = _merge(section, answers, values)
    if not _emergency(merged):
        return HttpResponse("")
    request.session[SESSION_KEY] = merged
    return HttpResponseClientRedirect(_stop_url())


def result_view(request: HttpRequest) -> HttpResponse:
    answers = session_answers(request)
    if not answers:
        return redirect("assess_start")
    try:
        result = assess(answers)
    except InvalidInputError:
        request.session.pop(SESSION_KEY, None)
        return redirect("assess_start")
    return render(
        request,
        "nightspine/result.html",
        {
            "a": present_assessment(result),
            "stopped": request.GET.get("stopped") == "1",
            "can_save": services.role_of(request.user) == "person",
            "first_section": sections()[0].id,
        },
    )


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    if services.role_of(request.user) != "person":
        return redirect(reverse("signup") + "?save=1")
    answers = session_answers(request)
    if not answers:
        return redirect("assess_start")
    record = services.save_assessment(
        services.profile_of(request.user), validate_answers(answers).to_json(), assess(answers)
    )
    return redirect("assessment_detail", assessment_id=record.id)
