"""Sharing with clinicians (the person's side) and the clinician's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.errors import InvalidInputError, NotFoundError
from nightspine.web import services
from nightspine.web.charts import pain_chart_svg
from nightspine.web.presenting import present_assessment
from nightspine.web.views.common import clinician_required, not_found, person_required
from nightspine.web.views.diary import export_response

# --- the person's side ---


@person_required
@require_http_methods(["GET", "POST"])
def shares(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    new_code = ""
    if request.method == "POST":
        _, new_code = services.create_share(profile, request.POST.get("label", ""))
    return render(
        request,
        "nightspine/shares.html",
        {"shares": services.shares_of(profile), "new_code": new_code, "days": services.SHARE_DAYS},
    )


@person_required
@require_POST
def revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    try:
        services.revoke_share(services.profile_of(request.user), share_id)
    except NotFoundError as exc:
        return not_found(request, str(exc))
    return redirect("shares")


@person_required
def audit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    return render(request, "nightspine/audit.html", {"events": services.audit_log(profile)})


# --- the clinician's side ---


@clinician_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            share = services.redeem_share(request.user, request.POST.get("code", ""))  # type: ignore[arg-type]
        except InvalidInputError as exc:
            error = exc.problems[0].message
        else:
            return redirect("clinician_person", profile_id=share.profile_id)
    rows = [
        {
            "share": person.share,
            "name": person.name,
            "level": person.latest_level,
            "assessed": person.latest_assessed_at,
        }
        for person in services.people_list(request.user)
    ]
    return render(
        request,
        "nightspine/clinician_people.html",
        {"rows": rows, "error": error},
        status=422 if error else 200,
    )


@clinician_required
def person(request: HttpRequest, profile_id: int) -> HttpResponse:
    try:
        profile = services.shared_profile(request.user, profile_id, "viewed your summary")
    except NotFoundError as exc:
        return not_found(request, str(exc))
    latest = services.latest_assessment(profile)
    recent = services.newest_entries(profile, limit=90)  # the chart's 90, the table's 14
    return render(
        request,
        "nightspine/clinician_person.html",
        {
            "profile": profile,
            "name": services.person_name(profile),
            "a": present_assessment(services.result_of(latest)) if latest else None,
            "assessed": latest.created_at if latest else None,
            "chart": pain_chart_svg(list(reversed(recent))),
            "entries": recent[:14],
            "nights": services.count_entries(profile),
            "clinician_view": True,
        },
    )


@clinician_required
def person_report(request: HttpRequest, profile_id: int, fmt: str) -> HttpResponse:
    try:
        profile = services.shared_profile(
            request.user, profile_id, f"downloaded your {fmt.upper()} report"
        )
        return export_response(profile, fmt)
    except NotFoundError as exc:
        return not_found(request, str(exc))
