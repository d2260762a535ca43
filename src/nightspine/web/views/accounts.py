"""Sign up, sign in, sign out and delete an account (with all its data)."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.assessment.answers import validate_answers
from nightspine.errors import InvalidInputError
from nightspine.web import services
from nightspine.web.engine import assess
from nightspine.web.views.assessment import SESSION_KEY, session_answers
from nightspine.web.views.common import person_required


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    form = {"username": "", "display_name": "", "role": "person"}
    save = request.GET.get("save") == "1" or request.POST.get("save") == "1"
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
        if getattr(request, "axes_locked_out", False):
            return render(request, "nightspine/locked_out.html", status=429)
        if user is None:
            error = "That username and password do not match an account."
        else:
            login(request, user)
            next_url = request.POST.get("next", "")
            if next_url.startswith("/") and not next_url.startswith("//"):
                return redirect(next_url)
            return redirect("dashboard")
    return render(
        request,
        "nightspine/login.html",
        {"error": error, "username": username, "next": request.GET.get("next", "")},
        status=401 if error else 200,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


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
        {"error": error, **_reference_context(request)},
        status=400 if error else 200,
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
        return render(
            request,
            "nightspine/account.html",
            {"reference": typed, "reference_error": exc.problems[0].message},
            status=400,
        )
    return redirect("account")
