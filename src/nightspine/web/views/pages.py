"""Home, the dashboard, saved assessments and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from nightspine.errors import NotFoundError
from nightspine.web import experiments, services
from nightspine.web.presenting import present_assessment
from nightspine.web.questions import sections
from nightspine.web.views.common import not_found, person_required


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "nightspine/home.html", {"sections": sections()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    role = services.role_of(request.user)
    if role == "clinician":
        return redirect("clinician_people")
    if role != "person":
        return redirect("home")
    profile = services.profile_of(request.user)
    latest = services.latest_assessment(profile)
    return render(
        request,
        "nightspine/dashboard.html",
        {
            "latest": latest,
            "a": present_assessment(services.result_of(latest)) if latest else None,
            "last_entry": services.latest_entry(profile),
            "running": experiments.active(profile, services.today_for(profile)),
        },
    )


@person_required
def assessments(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    rows = [(r, services.result_of(r)) for r in services.list_assessments(profile)]
    return render(request, "nightspine/assessments.html", {"rows": rows})


@person_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        record = services.get_assessment(services.profile_of(request.user), assessment_id)
    except NotFoundError as exc:
        return not_found(request, str(exc))
    return render(
        request,
        "nightspine/result.html",
        {"a": present_assessment(services.result_of(record)), "saved": record},
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    from nightspine.web import health

    status, body = health.check()
    return JsonResponse(body, status=status)
