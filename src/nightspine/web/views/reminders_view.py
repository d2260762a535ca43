"""Reminder pages: the settings, the private calendar feed and the one-click unsubscribe."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from nightspine.errors import InvalidInputError
from nightspine.web import reminders, services
from nightspine.web.views.common import person_required

LABELS = {
    "email": "E-mail address for reminders",
    "time_zone": "Your time zone",
    "morning_time": "Morning reminder time",
    "evening_time": "Evening reminder time",
}


@person_required
@require_http_methods(["GET", "POST"])
def reminders_page(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    found = reminders.settings_of(profile, request.user)
    errors: dict[str, str] = {}
    feed_url = ""
    saved = False
    typed: dict[str, str] = {}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "save":
        typed = {k: request.POST.get(k, "") for k in LABELS}
        try:
            found = reminders.save_settings(
                profile,
                email=typed["email"],
                time_zone=typed["time_zone"],
                morning=request.POST.get("morning") == "on",
                morning_time=typed["morning_time"],
                evening=request.POST.get("evening") == "on",
                evening_time=typed["evening_time"],
            )
            saved = True
            typed = {}
        except InvalidInputError as exc:
            errors = {p.location: p.message for p in exc.problems}
    elif action == "new_feed":
        token = reminders.new_feed_token(profile)
        feed_url = request.build_absolute_uri(f"/reminders/feed/{token}.ics")
        found = reminders.settings_of(profile, request.user)
    elif action == "revoke_feed":
        reminders.revoke_feed(profile)
        found = reminders.settings_of(profile, request.user)
    values = {
        "email": found.email,
        "time_zone": found.time_zone,
        "morning_time": f"{found.morning_time:%H:%M}"
        if hasattr(found.morning_time, "hour")
        else str(found.morning_time),
        "evening_time": f"{found.evening_time:%H:%M}"
        if hasattr(found.evening_time, "hour")
        else str(found.evening_time),
    } | typed
    return render(
        request,
        "nightspine/reminders.html",
        {
            "settings": found,
            "values": values,
            "errors": errors,
            "labels": LABELS,
            "saved": saved,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "zones": sorted(available_timezones()),
        },
        status=422 if errors else 200,
    )


@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: anyone with the secret address may read it (as with any
    calendar subscription); a new address or "stop" revokes it."""
    found = reminders.settings_for_feed(token)
    if found is None:
        raise Http404("unknown calendar address")
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        reminders.feed(found, base), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="nightspine.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the signed token is the authority; mail clients POST here (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    kind = reminders.unsubscribe(token)
    return render(
        request,
        "nightspine/unsubscribed.html",
        {"kind": kind},
        status=200 if kind else 404,
    )
