"""What stops password guessing, in one place.

django-axes counts failures per username and address, per username from any address, and per
address against any username (``AXES_LOCKOUT_PARAMETERS``). That leaves one attack: one password
tried against many usernames from many addresses (password spraying). :class:`SprayGuardBackend`
checks passwords for Django and keeps a keyed hash (HMAC-SHA256 with the secret key) of each
failed password for the cool-off window only; a password that failed ``SPRAY_FAILURE_LIMIT``
times in that window is refused for every username until the window has passed.

A locked client gets HTTP 429: the JSON API as ``{"detail", "problems"}``, pages as HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from nightspine.web import security_events
from nightspine.web.models import FailedPassword

LOCKED_MESSAGE = "too many failed sign-in attempts; try again in an hour"


def _window() -> dt.timedelta:
    cool_off = get_cool_off()
    return cool_off if isinstance(cool_off, dt.timedelta) else dt.timedelta(hours=1)


def _digest(password: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, password.encode("utf-8"), hashlib.sha256).hexdigest()


def password_is_sprayed(password: str) -> bool:
    """Has this password failed too often, across any usernames, within the window?"""
    since = timezone.now() - _window()
    count = FailedPassword.objects.filter(digest=_digest(password), at__gte=since).count()
    return count >= int(settings.SPRAY_FAILURE_LIMIT)


def forget_old_failures() -> int:
    """Delete failed-password records older than the lock-out window; how many went."""
    deleted, _ = FailedPassword.objects.filter(at__lt=timezone.now() - _window()).delete()
    return deleted


def record_failed_password(password: str) -> None:
    """Remember one failure of ``password`` (hashed) and forget those older than the window."""
    forget_old_failures()
    FailedPassword.objects.create(digest=_digest(password), at=timezone.now())


def mark_locked(request: HttpRequest | None) -> None:
    if request is not None:
        request.axes_locked_out = True  # type: ignore[attr-defined]


def is_locked(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))


class SprayGuardBackend(ModelBackend):
    """Django's password check, refusing passwords that are being sprayed."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password is None:
            return None
        if password_is_sprayed(password):
            mark_locked(request)
            security_events.record("sign_in_refused_spray", username=username)
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failed_password(password)
            if password_is_sprayed(password):  # this failure reached the limit, as in axes
                mark_locked(request)
            # Stop here: ModelBackend (listed after us only for existing sessions) would check
            # the same password a second time.
            raise PermissionDenied("wrong username or password")
        return user


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked client: JSON for the API, our page for people."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    security_events.record("locked_out", username=username, path=request.path)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": LOCKED_MESSAGE, "problems": []}, status=429
        )
    else:
        response = render(request, "nightspine/locked_out.html", status=429)
    response["Retry-After"] = str(int(_window().total_seconds()))
    return response


__all__ = [
    "SprayGuardBackend",
    "is_locked",
    "lockout_response",
    "password_is_sprayed",
    "record_failed_password",
]
