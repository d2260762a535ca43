"""Recordings: a person uploads a sensor file or a phone export and sees the nights in it.

The file is kept in the private data folder and processed in the background (a task; see
:mod:`nightspine.web.tasks`). While it waits, the page's status region asks
:func:`upload_status` for the progress every few seconds (htmx) and reloads once the work is
over; without JavaScript a plain "Check again" link does the same. (No ``<meta refresh>``: it
moves the page under a screen reader and keyboard users without warning.) The measured nights
are shown beside the diary entries of the same mornings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from nightspine.config import Settings
from nightspine.errors import InvalidInputError, NotFoundError, Problem
from nightspine.sensors.position import POSITION_WORDS
from nightspine.storage import recordings
from nightspine.storage.models import Profile, Upload
from nightspine.web import services
from nightspine.web.tasks import process_upload_task
from nightspine.web.views.common import not_found, person_required

FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for the form's other fields when the request's announced size is checked."""

POLL_S = 2
"""How often the page of a recording still being processed asks for its progress."""


@person_required
@require_http_methods(["GET", "POST"])
def uploads_page(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    limit_mb = Settings().upload_max_mb
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            upload = _receive(request, profile)
        except InvalidInputError as exc:
            errors = {p.location: p.message for p in exc.problems}
            status = 413 if _too_large(request) else 400
        else:
            process_upload_task.enqueue(upload.pk)
            return redirect("upload_detail", upload_id=upload.pk)
    return render(
        request,
        "nightspine/uploads.html",
        {
            "uploads": recordings.list_uploads(profile),
            "errors": errors,
            "limit_mb": limit_mb,
            "placements": recordings.PLACEMENTS,
            "chosen": request.POST.get("placement", "chest"),
        },
        status=status,
    )


def _too_large(request: HttpRequest) -> bool:
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    return announced > Settings().upload_max_bytes


def _receive(request: HttpRequest, profile: Profile) -> Upload:
    """Check the announced size before reading the body, then keep the file."""
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    if announced > Settings().upload_max_bytes + FORM_OVERHEAD_BYTES:
        recordings.check_size("The file", announced)  # raises with the limit in words
    sent = request.FILES.get("recording")
    if sent is None:
        raise InvalidInputError(
            [
                Problem(
                    "recording",
                    "choose the recording file to upload (from your sensor or phone app)",
                )
            ]
        )
    return recordings.save_upload(
        profile,
        sent.name or "recording",
        sent.chunks(),
        sent.size or 0,
        placement=request.POST.get("placement", "chest"),
    )


@person_required
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    profile = services.profile_of(request.user)
    try:
        upload = recordings.get_upload(profile, upload_id)
    except NotFoundError:
        return not_found(request, "There is no such recording in your data.")
    pending = _pending(upload)
    return render(
        request,
        "nightspine/upload_detail.html",
        {
            "upload": upload,
            "pending": pending,
            "poll_s": POLL_S,
            "nights": night_rows(profile, upload.summary.get("nights", [])),
            "waiting": upload.summary.get("waiting", []),
            "naps": [
                {**nap, "start": dt.datetime.fromisoformat(str(nap["start"]))}
                for nap in upload.summary.get("naps", [])
            ],
            "notes": upload.summary.get("notes", []),
            "recording": upload.summary.get("recording", {}),
        },
    )


def _pending(upload: Upload) -> bool:
    return upload.status in ("waiting", "running")


@person_required
def upload_status(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The progress of a recording, for the status region of its page (htmx polls this).

    While the work goes on: the region's new content. Once it is over: an answer that makes
    htmx reload the page (which then shows the nights or the error), or for a plain request
    the page itself."""
    profile = services.profile_of(request.user)
    try:
        upload = recordings.get_upload(profile, upload_id)
    except NotFoundError:
        return not_found(request, "There is no such recording in your data.")
    if _pending(upload):
        return render(request, "nightspine/_upload_progress.html", {"upload": upload})
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRefresh()
    return redirect("upload_detail", upload_id=upload.pk)


@person_required
@require_POST
def upload_again(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Fill the diary from a processed recording again (after adding the missing entries)."""
    profile = services.profile_of(request.user)
    try:
        upload = recordings.requeue_upload(profile, upload_id)
    except NotFoundError:
        return not_found(request, "There is no such recording in your data.")
    process_upload_task.enqueue(upload.pk)
    return redirect("upload_detail", upload_id=upload.pk)


@person_required
@require_POST
def upload_delete(request: HttpRequest, upload_id: int) -> HttpResponse:
    profile = services.profile_of(request.user)
    try:
        recordings.delete_upload(profile, upload_id)
    except NotFoundError:
        return not_found(request, "There is no such recording in your data.")
    return redirect("uploads")


def _hm(minutes: float | None) -> str:
    if minutes is None:
        return ""
    m = round(minutes)
    return f"{m // 60} h {m % 60:02d} min"


def night_rows(profile: Profile, nights: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each measured night with the diary entry of the same morning (if there is one)."""
    if not nights:
        return []
    entries = {e.date: e for e in services.list_entries(profile)}
    rows = []
    for night in nights:
        date = dt.date.fromisoformat(str(night["date"]))
        minutes: dict[str, float] = night.get("minutes") or {}
        rows.append(
            {
                "date": date,
                "start": dt.datetime.fromisoformat(str(night["in_bed_start"])),
                "end": dt.datetime.fromisoformat(str(night["in_bed_end"])),
                "hours": night["in_bed_hours"],
                "main": night.get("main_position") if minutes else None,
                "positions": [
                    (POSITION_WORDS[k], _hm(v))
                    for k, v in sorted(minutes.items(), key=lambda kv: -kv[1])
                    if k in POSITION_WORDS and v >= 1
                ],
                "changes": night.get("position_changes"),
                "brief_turns": night.get("brief_turns"),
                "restless_percent": round(100 * float(night.get("restlessness") or 0)),
                "entry": entries.get(date),
            }
        )
    return rows


__all__ = [
    "night_rows",
    "upload_again",
    "upload_delete",
    "upload_detail",
    "upload_status",
    "uploads_page",
]
