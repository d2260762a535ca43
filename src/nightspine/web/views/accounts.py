"""Accounts: sign up (with an optional e-mail and a privacy notice), sign in (with a second
step for clinicians who set one up), sign out, e-mail verification, password change and reset
(by e-mail, or by recovery code without one), sessions and tokens, delete an account.

E-mail confirmation, the password reset by e-mail, the second step of a sign-in and the pages
that turn two-step sign-in on and off are django-allauth's views (wired in ``urls.py``; see
:mod:`nightspine.web.allauth_glue` and :mod:`nightspine.web.twofactor` for what is ours and
why); password change is Django's own view; all with our templates. The lock-out is
django-axes plus :mod:`nightspine.web.lockout`.
"""

from __future__ import annotations

from typing import Any

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.internal.flows import login as login_flow  # allauth <66 (pinned)
from allauth.account.models import EmailAddress as AllauthEmail
from allauth.account.models import Login
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.assessment.answers import validate_answers
from nightspine.errors import InvalidInputError, NotFoundError, Problem
from nightspine.web import security_events, services, sessions, twofactor
from nightspine.web.engine import assess
from nightspine.web.lockout import is_locked
from nightspine.web.views.assessment import SESSION_KEY, session_answers
from nightspine.web.views.common import person_required

BACKEND = "nightspine.web.lockout.SprayGuardBackend"
SIGNUP_LABELS = {
    "role": "Account type",
    "username": "Username",
    "display_name": "Name",
    "email": "E-mail address",
    "password": "Password",
}
"""The sign-up form's fields by the words people see, for error sentences."""


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else ""


# --- sign up, sign in, sign out ---


def _password_just_typed(request: HttpRequest, user: Any) -> None:
    """Tell allauth the password was typed just now: for its 5 minutes
    (``ACCOUNT_REAUTHENTICATION_TIMEOUT``) turning two-step sign-in on or off does not ask for
    it again. (allauth counts only its own "confirm it is you" page; asking a clinician for the
    password a second time seconds after signing up or in protects nothing.)"""
    login_flow.record_authentication(
        request, user, method="password", username=user.get_username(), reauthenticated=True
    )


def _as_sentence(field: str, message: str) -> str:
    """A problem as a sentence people can read: the password checks already write whole
    sentences; our own problems ("is taken; choose another") get the field's label in front,
    never its key."""
    if message[:1].isupper():
        return message
    return f"{SIGNUP_LABELS.get(field, 'This field')} {message}."


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    form = {"username": "", "display_name": "", "role": "person", "email": ""}
    save = request.GET.get("save") == "1" or request.POST.get("save") == "1"
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        if form["email"]:
            try:
                validate_email(form["email"])
            except ValidationError:
                errors["email"] = ["Enter an e-mail address, such as name@example.org."]
        try:
            if errors:
                raise InvalidInputError(
                    [Problem("email", m) for m in errors.pop("email")], what="account"
                )
            user = services.create_account(
                form["username"],
                request.POST.get("password", ""),
                form["role"],
                form["display_name"],
            )
        except InvalidInputError as exc:
            for p in exc.problems:
                errors.setdefault(p.location, []).append(_as_sentence(p.location, p.message))
        else:
            login(request, user, backend=BACKEND)
            _password_just_typed(request, user)
            if form["email"]:
                _send_verification(request, user, form["email"])
            answers = session_answers(request)
            if save and answers and form["role"] == "person":
                services.save_assessment(
                    services.profile_of(user), validate_answers(answers).to_json(), assess(answers)
                )
                request.session[SESSION_KEY] = answers
            return redirect("dashboard")
    return render(
        request,
        "nightspine/signup.html",
        {"form": form, "errors": errors, "save": save},
        status=422 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Our sign-in form (username-first, through the lock-out); allauth then runs the rest:
    the second step for accounts with two-step sign-in (``/login/code``), then the login."""
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if is_locked(request):
            return render(request, "nightspine/locked_out.html", status=429)
        if user is None:
            error = "That username and password do not match an account."
        else:
            pending = Login(
                user=user,
                email_verification=EmailVerificationMethod.NONE,
                redirect_url=_safe_next(request.POST.get("next", "")) or reverse("dashboard"),
            )
            _password_just_typed(request, user)
            response: HttpResponse = login_flow.perform_login(request, pending)
            return response
    return render(
        request,
        "nightspine/login.html",
        {
            "error": error,
            "username": username,
            "next": request.GET.get("next", ""),
            "idle": request.GET.get("idle") == "1",
        },
        status=401 if error else 200,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)  # also revokes the login's API tokens (nightspine.web.sessions)
    return redirect("home")


# --- the account page and deleting it ---


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    error = ""
    error_at = "del-password"  # the field the error summary links to
    if request.method == "POST":
        user = request.user
        if not isinstance(user, AbstractBaseUser) or not user.check_password(
            request.POST.get("password", "")
        ):
            error = "The password is not right; your account was not deleted."
        elif request.POST.get("confirm") != "delete":
            error = "Tick the box to confirm that everything should be deleted."
            error_at = "del-confirm"
        else:
            deleted = services.delete_account(user)
            logout(request)
            return render(request, "nightspine/deleted.html", {"deleted": deleted})
    return render(
        request,
        "nightspine/account.html",
        _account_context(request, error=error, error_at=error_at),
        status=400 if error else 200,
    )


def _account_context(request: HttpRequest, **shown: str) -> dict[str, Any]:
    """Everything the account page shows, whichever form on it was sent; ``shown`` overrides
    (an error, or a value kept as typed)."""
    return {
        "error": "",
        "email": _email_of(request.user),
        "second_factor": twofactor.has_second_factor(request.user),
        "codes_made": twofactor.has_recovery_codes(request.user),
        "codes_left": twofactor.recovery_codes_left(request.user),
        "verified_clinician": services.is_verified_clinician(request.user),
        **_reference_context(request),
        **shown,
    }


# --- e-mail (django-allauth keeps the address, sends and checks the link) ---


def _send_verification(request: HttpRequest, user: Any, email: str) -> None:
    """Send a confirmation link (allauth); a new address replaces the old once confirmed."""
    AllauthEmail.objects.add_new_email(request, user, email)
    security_events.record("email_verification_sent", user_id=user.pk)


def _email_of(user: Any) -> AllauthEmail | None:
    """The address shown: the one waiting for confirmation, else the confirmed one."""
    return AllauthEmail.objects.get_new(user) or AllauthEmail.objects.get_verified(user)


@login_required
@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    error = ""
    sent = False
    address = ""
    if request.method == "POST":
        if request.POST.get("remove") == "1":
            AllauthEmail.objects.filter(user_id=request.user.pk).delete()
            get_user_model().objects.filter(pk=request.user.pk).update(email="")
            return redirect("account")
        address = request.POST.get("email", "").strip()
        try:
            validate_email(address)
        except ValidationError:
            error = "Enter an e-mail address, such as name@example.org."
        else:
            _send_verification(request, request.user, address)
            sent = True
    return render(
        request,
        "nightspine/email.html",
        {
            "error": error,
            "sent": sent,
            "current": _email_of(request.user),
            "typed": address if error else "",  # kept as typed, to correct it
        },
        status=422 if error else 200,
    )


def email_confirmed(request: HttpRequest) -> HttpResponse:
    """Where allauth sends the browser once a confirmation link was used."""
    return render(request, "nightspine/email_verified.html")


# --- password: change, reset by e-mail (django-allauth's views), recovery codes ---


password_change = auth_views.PasswordChangeView.as_view(
    template_name="nightspine/password_change.html",
    success_url=reverse_lazy("password_change_done"),
)


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    # The change ended every session and token (nightspine.web.sessions); Django kept this
    # browser signed in, so list it again as one of the login's sessions.
    sessions.remember_session(request, request.user)
    return render(request, "nightspine/password_change_done.html")


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes: list[str] = []
    if request.method == "POST":
        codes = twofactor.new_recovery_codes(request.user)
        security_events.record("recovery_codes_made", user_id=request.user.pk)
    return render(
        request,
        "nightspine/recovery_codes.html",
        {
            "codes": codes,
            "made": twofactor.has_recovery_codes(request.user),
            "left": twofactor.recovery_codes_left(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    """A new password with a recovery code, for people who gave no e-mail address."""
    errors: dict[str, str] = {}
    username = request.POST.get("username", "").strip() if request.method == "POST" else ""
    if request.method == "POST":
        credentials = {"username": username}
        if AxesProxyHandler.is_locked(request, credentials):
            return render(request, "nightspine/locked_out.html", status=429)
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        password = request.POST.get("password", "")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
        if not errors:
            if user is None or not twofactor.use_recovery_code(user, request.POST.get("code", "")):
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                errors["code"] = "That username and recovery code do not match (or it was used)."
            else:
                user.set_password(password)
                user.save()
                security_events.record("password_recovered", user_id=user.pk)
                return render(request, "account/password_reset_from_key_done.html")
    return render(
        request,
        "nightspine/recover.html",
        {"errors": errors, "username": username, "code": request.POST.get("code", "").strip()},
        status=422 if errors else 200,
    )


# --- sessions and tokens ---


@login_required
@require_http_methods(["GET", "POST"])
def sessions_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            if "end" in request.POST:
                sessions.end_session(request.user, int(request.POST["end"]))
            elif "revoke" in request.POST:
                services.revoke_token(request.user, int(request.POST["revoke"]))
            elif "end_others" in request.POST:
                sessions.end_other_sessions(request.user, keep=request.session.session_key)
        except (NotFoundError, ValueError):
            pass  # already ended: the list below shows what is left
        return redirect("sessions")
    return render(
        request,
        "nightspine/sessions.html",
        {
            "sessions": sessions.sessions_of(request.user),
            "current": request.session.session_key,
            "tokens": services.tokens_of(request.user),
        },
    )


def _reference_context(request: HttpRequest) -> dict[str, str]:
    if services.role_of(request.user) != "person":
        return {}
    return {"reference": services.reference_of(services.profile_of(request.user))}


@person_required
@require_POST
def reference(request: HttpRequest) -> HttpResponse:
    """The person's own reference number (a hospital or practice number) for their clinicians."""
    profile = services.profile_of(request.user)
    typed = request.POST.get("reference", "")
    try:
        services.set_reference(profile, typed)
    except InvalidInputError as exc:
        context = _account_context(
            request, reference=typed, reference_error=exc.problems[0].message
        )
        return render(request, "nightspine/account.html", context, status=400)
    return redirect("account")
