"""Sharing with clinicians (the person's side) and the clinician's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.errors import InvalidInputError, NotFoundError
from nightspine.storage import repository as repo
from nightspine.web import bridges, clinician_page, services
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
    sort = request.GET.get("sort", "level")
    sort = sort if sort in services.SORTS else "level"
    page = services.people_page(request.user, sort, _page_number(request.GET.get("page")))
    return render(
        request,
        "nightspine/clinician_people.html",
        {"page": page, "rows": page.rows, "error": error, "sort": sort},
        status=422 if error else 200,
    )


def _page_number(text: str | None) -> int:
    """``?page=`` as a number; anything else is the first page (the list shows the nearest)."""
    return int(text) if text and text.isdigit() and len(text) < 10 else 1


@clinician_required
def person(request: HttpRequest, profile_id: int) -> HttpResponse:
    try:
        profile = services.shared_profile(request.user, profile_id, services.VIEWED_SUMMARY)
    except NotFoundError as exc:
        return not_found(request, str(exc))
    records = services.list_assessments(profile)
    results = [services.result_of(r) for r in records]
    page = bridges.insights_page(profile)
    recent = services.newest_entries(profile, limit=90)
    latest = results[0] if results else None
    return render(
        request,
        "nightspine/clinician_person.html",
        {
            "profile": profile,
            "name": services.person_name(profile),
            "age": clinician_page.age_text(
                profile.birth_year, services.today_for(profile), records[0] if records else None
            ),
            "reference": services.reference_of(profile),
            "history": clinician_page.triage_history(records, results),
            "doctor": services.doctor_summary(records[0], latest) if latest else None,
            "triage": latest.triage if latest else None,
            "insights": page.insights,
            "chart": page.chart_svg,
            "nights": page.nights,
            "last_entry": recent[0].date if recent else None,
            "positions": clinician_page.measured_positions(recent),
            "position_nights": clinician_page.MEASURED_POSITION_NIGHTS,
            "experiments": clinician_page.experiment_rows(repo.list_experiments(profile)),
            **clinician_page.insights_numbers(page.insights),
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
