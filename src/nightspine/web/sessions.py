"""Signed-in browsers: each one is recorded so that its owner can see and end it; one left
idle for ``IDLE_SECONDS`` is signed out; signing out or changing the password revokes the
login's API tokens (and a password change ends its other sessions)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from nightspine.errors import NotFoundError
from nightspine.web import security_events, services
from nightspine.web.models import SessionRecord

LAST_SEEN_KEY = "nightspine_last_seen"
_TOUCH_SECONDS = 60  # how often the "last seen" time of a session is written


def sessions_of(user: Any) -> list[SessionRecord]:
    """The login's live sessions, most recently used first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(SessionRecord.objects.filter(user_id=user.pk, session_key__in=live))


def end_session(user: Any, record_id: int) -> None:
    record = SessionRecord.objects.filter(user_id=user.pk, pk=record_id).first()
    if record is None:
        raise NotFoundError(f"no session {record_id}")
    Session.objects.filter(session_key=record.session_key).delete()
    record.delete()
    security_events.record("session_ended", user_id=user.pk)


def end_other_sessions(user: Any, keep: str | None = None) -> int:
    records = SessionRecord.objects.filter(user_id=user.pk)
    if keep:
        records = records.exclude(session_key=keep)
    keys = list(records.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    records.delete()
    return len(keys)


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    remember_session(request, user)
    security_events.record("sign_in", user_id=user.pk)


def remember_session(request: HttpRequest, user: Any) -> None:
    """Record the request's session as one of the login's signed-in browsers."""
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if key is None:
        return
    request.session[LAST_SEEN_KEY] = int(time.time())
    browser = request.headers.get("User-Agent", "")[:200]
    SessionRecord.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "browser": browser, "last_seen_at": timezone.now()},
    )


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    if request is not None and getattr(request, "session", None) is not None:
        SessionRecord.objects.filter(session_key=request.session.session_key).delete()
    revoked = services.revoke_all_tokens(user)
    security_events.record("sign_out", user_id=user.pk, tokens_revoked=revoked)


def _on_user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A changed password revokes the login's API tokens and ends its sessions.

    (Django then keeps the browser that changed it signed in, through
    ``update_session_auth_hash``, which saves that session again.)"""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    old = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is None or old == instance.password:
        return
    revoked = services.revoke_all_tokens(instance)
    ended = end_other_sessions(instance)
    security_events.record(
        "password_changed", user_id=instance.pk, tokens_revoked=revoked, sessions_ended=ended
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="nightspine_session_login")
    user_logged_out.connect(_on_logout, dispatch_uid="nightspine_session_logout")
    pre_save.connect(
        _on_user_saved, sender=get_user_model(), dispatch_uid="nightspine_password_changed"
    )


class IdleTimeoutMiddleware:
    """Signs out a browser that made no request for ``IDLE_SECONDS``; keeps "last seen"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            last = session.get(LAST_SEEN_KEY)
            if isinstance(last, int) and now - last > int(settings.IDLE_SECONDS):
                security_events.record("session_idle_timeout", user_id=user.pk)
                logout(request)  # ends the session and, with it, the login's API tokens
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "signed out after a time without activity", "problems": []},
                        status=401,
                    )
                return redirect(f"{reverse('login')}?idle=1")
            if not isinstance(last, int) or now - last >= _TOUCH_SECONDS:
                session[LAST_SEEN_KEY] = now
                SessionRecord.objects.filter(session_key=session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)


__all__ = [
    "IdleTimeoutMiddleware",
    "connect",
    "end_other_sessions",
    "end_session",
    "remember_session",
    "sessions_of",
]
