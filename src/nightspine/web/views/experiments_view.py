"""The experiments page: test one change over randomised blocks of nights."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nightspine.errors import ConflictError, InvalidInputError, NotFoundError
from nightspine.web import experiments, services
from nightspine.web.views.common import not_found, person_required


@person_required
@require_http_methods(["GET", "POST"])
def experiments_page(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    errors: list[str] = []
    if request.method == "POST":
        try:
            weeks = int(request.POST.get("weeks", "4") or 4)
        except ValueError:
            weeks = 0
        try:
            experiments.start(
                profile,
                request.POST.get("change", ""),
                weeks=weeks,
                usual=request.POST.get("usual", "").strip() or None,
                new=request.POST.get("new", "").strip() or None,
                first=services.today_for(profile),
            )
        except InvalidInputError as exc:
            errors = [f"{p.location}: {p.message}" for p in exc.problems]
        except (ConflictError, NotFoundError) as exc:
            errors = [str(exc)]
        else:
            return redirect("experiments")
    return render(
        request,
        "nightspine/experiments.html",
        {
            "running": experiments.active(profile, services.today_for(profile)),
            "changes": experiments.changes(),
            "suggested": experiments.suggestion(profile),
            "history": experiments.history(profile),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@person_required
@require_POST
def stop(request: HttpRequest, how: str) -> HttpResponse:
    if how not in ("finish", "abandon"):
        return not_found(request, "unknown action")
    try:
        experiments.stop(services.profile_of(request.user), how)
    except NotFoundError as exc:
        return not_found(request, str(exc))
    return redirect("experiments")
