"""Helpers shared by the pages: the template context, role checks, error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from nightspine.assessment.result import DISCLAIMER
from nightspine.web import services, twofactor
from nightspine.web.models import Account

V = TypeVar("V", bound=Callable[..., HttpResponse])


def nightspine_context(request: HttpRequest) -> dict[str, Any]:
    return {"role": services.role_of(request.user), "disclaimer": DISCLAIMER}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "nightspine/error.html",
        {
            "title": "The form expired",
            "message": "For your safety this form could not be accepted (its security token was "
            "missing or old). Go back, reload the page and send it again.",
        },
        status=403,
    )


def _needs(role: str) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if services.role_of(request.user) != role:
                return render(
                    request,
                    "nightspine/error.html",
                    {
                        "title": "Not available to this account",
                        "message": f"This page is for {role} accounts.",
                    },
                    status=403,
                )
            if role == Account.CLINICIAN and not twofactor.has_second_factor(request.user):
                # Clinicians see other people's health data: two-step sign-in first.
                return redirect(f"{reverse('two_factor')}?required=1")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


person_required = _needs(Account.PERSON)
clinician_required = _needs(Account.CLINICIAN)


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request, "nightspine/error.html", {"title": "Not found", "message": message}, status=404
    )
