"""Accounts: sign up (with an optional e-mail and a privacy notice), sign in (with a second
step for clinicians who set one up), sign out, e-mail verification, password change and reset
(by e-mail, or by recovery code without one), sessions and tokens, delete an account.

Password reset and change are Django's own views (``django.contrib.auth.views``) with our
templates; the lock-out is django-axes plus :mod:`nightspine.web.lockout`.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.assessment.answers import validate_answers
from nightspine.errors import InvalidInputError, NotFoundError, Problem
from nightspine.web import security_events, services, sessions, twofactor
from nightspine.web.engine import assess
from nightspine.web.lockout import is_locked
from nightspine.web.models import EmailAddress
from nightspine.web.views.assessment import SESSION_KEY, session_answers
from nightspine.web.views.common import person_required

BACKEND = "nightspine.web.lockout.SprayGuardBackend"
PENDING_KEY = "nightspine_pending_second_step"
EMAIL_SALT = "nightspine.accounts.email"
EMAIL_LINK_SECONDS = 3 * 24 * 3600


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else ""


# --- sign up, sign in, sign out ---


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
                errors["email"] = ["is not an e-mail address, such as name@example.org"]
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
                errors.setdefault(p.location, []).append(p.message)
        else:
            login(request, user, backend=BACKEND)
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
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if is_locked(request):
            return render(request, "nightspine/locked_out.html", status=429)
        if user is None:
            error = "That username and password do not match an account."
        elif twofactor.has_second_factor(user):
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "next": _safe_next(request.POST.get("next", "")),
                "at": int(timezone.now().timestamp()),
            }
            return redirect("login_code")
        else:
            login(request, user)
            return redirect(_safe_next(request.POST.get("next", "")) or "dashboard")
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


SECOND_STEP_SECONDS = 300


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a sign-in: the authenticator's code or a recovery code."""
    pending = request.session.get(PENDING_KEY)
    now = int(timezone.now().timestamp())
    if not isinstance(pending, dict) or now - int(pending.get("at", 0)) > SECOND_STEP_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("login")
    error = ""
    if request.method == "POST":
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return render(request, "nightspine/locked_out.html", status=429)
        if twofactor.check_second_step(user, request.POST.get("code", "")):
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=BACKEND)
            return redirect(pending.get("next") or "dashboard")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        security_events.record("second_step_failed", user_id=user.pk)
        error = "That code is not right (or was already used). Try the newest code."
    return render(
        request, "nightspine/login_code.html", {"error": error}, status=401 if error else 200
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
    if request.method == "POST":
        user = request.user
        if not isinstance(user, AbstractBaseUser) or not user.check_password(
            request.POST.get("password", "")
        ):
            error = "The password is not right; your account was not deleted."
        elif request.POST.get("confirm") != "delete":
            error = "Tick the box to confirm that everything should be deleted."
        else:
            deleted = services.delete_account(user)
            logout(request)
            return render(request, "nightspine/deleted.html", {"deleted": deleted})
    return render(
        request,
        "nightspine/account.html",
        _account_context(request, error=error),
        status=400 if error else 200,
    )


def _account_context(request: HttpRequest, **shown: str) -> dict[str, Any]:
    """Everything the account page shows, whichever form on it was sent; ``shown`` overrides
    (an error, or a value kept as typed)."""
    return {
        "error": "",
        "email": EmailAddress.objects.filter(user_id=request.user.pk).first(),
        "second_factor": twofactor.has_second_factor(request.user),
        "codes_left": twofactor.recovery_codes_left(request.user),
        "verified_clinician": services.is_verified_clinician(request.user),
        **_reference_context(request),
        **shown,
    }


# --- e-mail ---


def _send_verification(request: HttpRequest, user: Any, email: str) -> None:
    EmailAddress.objects.update_or_create(
        user_id=user.pk, defaults={"email": email, "verified_at": None}
    )
    get_user_model().objects.filter(pk=user.pk).update(email="")  # until the new one is verified
    token = signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_SALT)
    link = request.build_absolute_uri(reverse("email_verify", args=[token]))
    body = render_to_string("nightspine/email/verify.txt", {"link": link, "user": user})
    send_mail("Confirm your e-mail address for nightspine", body, None, [email])
    security_events.record("email_verification_sent", user_id=user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    error = ""
    sent = False
    current = EmailAddress.objects.filter(user_id=request.user.pk).first()
    if request.method == "POST":
        if request.POST.get("remove") == "1":
            EmailAddress.objects.filter(user_id=request.user.pk).delete()
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
            current = EmailAddress.objects.filter(user_id=request.user.pk).first()
    return render(
        request,
        "nightspine/email.html",
        {"error": error, "sent": sent, "current": current},
        status=422 if error else 200,
    )


def email_verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_SECONDS)
    except signing.BadSignature:
        return render(
            request,
            "nightspine/error.html",
            {
                "title": "This link does not work",
                "message": "The confirmation link is old or incomplete. Ask for a new one from "
                "your account page.",
            },
            status=400,
        )
    updated = EmailAddress.objects.filter(
        user_id=data.get("u"), email=data.get("e"), verified_at__isnull=True
    ).update(verified_at=timezone.now())
    if updated:
        # Django's reset form and tokens read the user's own e-mail field: keep it in step.
        get_user_model().objects.filter(pk=data.get("u")).update(email=data.get("e"))
        security_events.record("email_verified", user_id=data.get("u"))
    return render(request, "nightspine/email_verified.html", {"email": data.get("e")})


# --- password: change, reset by e-mail, recovery codes ---


class VerifiedEmailResetForm(PasswordResetForm):
    """Django's reset form, sending only to verified addresses (an unverified one may be
    someone else's). It says the same whether or not an account matched."""

    def get_users(self, email: str) -> Any:
        ids = EmailAddress.objects.filter(
            email__iexact=email, verified_at__isnull=False
        ).values_list("user_id", flat=True)
        for user in get_user_model().objects.filter(pk__in=list(ids), is_active=True):
            if user.has_usable_password():
                yield user


password_reset = auth_views.PasswordResetView.as_view(
    template_name="nightspine/password_reset.html",
    email_template_name="nightspine/email/password_reset.txt",
    subject_template_name="nightspine/email/password_reset_subject.txt",
    form_class=VerifiedEmailResetForm,
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="nightspine/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="nightspine/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="nightspine/password_reset_complete.html"
)
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
        {"codes": codes, "left": twofactor.recovery_codes_left(request.user)},
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
                return render(request, "nightspine/password_reset_complete.html")
    return render(
        request,
        "nightspine/recover.html",
        {"errors": errors, "username": username},
        status=422 if errors else 200,
    )


# --- second factor (clinicians) ---


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    error = ""
    codes: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "remove":
        if not isinstance(user, AbstractBaseUser) or not user.check_password(
            request.POST.get("password", "")
        ):
            error = "The password is not right; the second step stays on."
        else:
            twofactor.remove_second_factor(user)
            security_events.record("second_factor_removed", user_id=user.pk)
            return redirect("account")
    elif request.method == "POST":
        if twofactor.check_code(user, request.POST.get("code", ""), confirming=True):
            codes = twofactor.new_recovery_codes(user)
            security_events.record("second_factor_added", user_id=user.pk)
        else:
            error = "That code is not right. Type the 6 digits your app shows now."
    enabled = twofactor.has_second_factor(user)
    context: dict[str, Any] = {
        "enabled": enabled,
        "error": error,
        "codes": codes,
        "required": request.GET.get("required") == "1",
        "clinician": services.role_of(user) == "clinician",
    }
    if not enabled:
        factor = twofactor.start_setup(user)
        uri = twofactor.provisioning_uri(user, factor)
        context.update({"secret": twofactor.secret_of(factor), "qr": twofactor.qr_svg(uri)})
    return render(request, "nightspine/two_factor.html", context, status=422 if error else 200)


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
