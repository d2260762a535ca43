"""The JSON API under ``/api/v1``: every feature of the pages, with the command line's validation.

Authentication: ``Authorization: Bearer <token>`` (from ``POST /auth/token`` or ``/auth/signup``)
or the browser session (with its CSRF token). Errors are JSON ``{"detail", "problems"}``; bad
input is 422 with one problem per field, exactly as the command line lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from ninja import Body, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import Field

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import (
    ConflictError,
    InvalidInputError,
    MissingExtraError,
    NotFoundError,
    Problem,
)
from nightspine.insights import Insights
from nightspine.insights.experiments import Adherence, ExperimentReport, Tonight
from nightspine.storage import repository as repo
from nightspine.storage.models import Profile
from nightspine.storage.repository import StoredExperiment
from nightspine.web import bridges, experiments, services
from nightspine.web.engine import assess
from nightspine.web.models import Share
from nightspine.web.questions import sections
from nightspine.web.views.diary import export_response


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), SessionAuth()]

api = NinjaAPI(
    title="nightspine API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    docs_url=None,
    auth=AUTH,
)

# --- schemas ---


class ProblemOut(Schema):
    location: str
    message: str


class ErrorOut(Schema):
    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)


class Credentials(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class SignupIn(Credentials):
    role: Literal["person", "clinician"] = "person"
    display_name: str = Field("", max_length=100)


class TokenOut(Schema):
    token: str
    role: str


class OptionOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    key: str
    text: str
    kind: str
    help: str
    options: list[OptionOut]
    min: float | None
    max: float | None


class SectionOut(Schema):
    id: str
    title: str
    intro: str
    warning: bool
    questions: list[QuestionOut]


class AssessIn(Schema):
    answers: dict[str, Any] = Field(description="answer keys of the assessment vocabulary")
    save: bool = Field(False, description="store it in the signed-in person's account")


class AssessOut(Schema):
    id: int | None = None
    created_at: dt.datetime | None = None
    assessment: Assessment


class AssessmentSummary(Schema):
    id: int
    created_at: dt.datetime
    level: str
    knowledge_version: str


class AssessmentFull(AssessmentSummary):
    answers: dict[str, Any]
    assessment: Assessment


class ShareIn(Schema):
    label: str = Field("", max_length=100)


class ShareOut(Schema):
    id: int
    label: str
    status: str
    created_at: dt.datetime
    expires_at: dt.datetime
    clinician: str | None
    code: str | None = Field(None, description="shown once, when the code is made")


class AuditOut(Schema):
    at: dt.datetime
    who: str
    action: str


class RedeemIn(Schema):
    code: str = Field(max_length=40)


class PersonOut(Schema):
    profile_id: int
    name: str
    latest_level: str | None
    latest_assessed_at: dt.datetime | None


class PersonDetail(PersonOut):
    latest_assessment: Assessment | None
    entries: list[DiaryEntry]


class DeleteIn(Schema):
    password: str = Field(max_length=200)


class DeletedOut(Schema):
    deleted: bool
    entries: int
    assessments: int
    shares: int
    audit_events: int


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

# --- errors, as the command line reports them ---


def _problems(
    request: HttpRequest, detail: str, problems: list[Problem], status: int
) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": detail,
            "problems": [{"location": p.location, "message": p.message} for p in problems],
        },
        status=status,
    )


@api.exception_handler(InvalidInputError)
def _invalid(request: HttpRequest, exc: InvalidInputError) -> HttpResponse:
    return _problems(
        request, f"{len(exc.problems)} problem(s) with the {exc.what}", list(exc.problems), 422
    )


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "payload")]
        problems.append(Problem(".".join(loc) or "request", str(err.get("msg", "is invalid"))))
    return _problems(request, f"{len(problems)} problem(s) with the request", problems, 422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _problems(request, str(exc.message), [], exc.status_code)


@api.exception_handler(NotFoundError)
def _not_found(request: HttpRequest, exc: NotFoundError) -> HttpResponse:
    return _problems(request, str(exc), [], 404)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _problems(request, str(exc), [], 409)


@api.exception_handler(MissingExtraError)
def _missing_extra(request: HttpRequest, exc: MissingExtraError) -> HttpResponse:
    return _problems(request, str(exc), [], 501)  # e.g. the PDF without nightspine[pdf]


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _problems(request, "sign in: send a bearer token or a session cookie", [], 401)


def _person(request: HttpRequest) -> Profile:
    """The signed-in person's profile (only person accounts have one; one query)."""
    return services.profile_of(request.user)


def _optional_user(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return services.user_for_token(header[7:].strip())
    if request.user.is_authenticated and check_csrf(request) is None:
        return request.user
    return None


# --- accounts ---

auth_router = Router(tags=["accounts"])


@auth_router.post("/signup", auth=None, response={201: TokenOut, 400: ErrorOut, 422: ErrorOut})
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, str]]:
    user = services.create_account(
        payload.username, payload.password, payload.role, payload.display_name
    )
    return Status(201, {"token": services.issue_token(user), "role": payload.role})


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut, 422: ErrorOut},
)
def token(request: HttpRequest, payload: Credentials) -> Any:
    # The lock-out records failures from request.POST; this is a JSON body, so give it an empty
    # form (a malformed multipart header must not turn a failed login into a server error).
    request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(
            429, {"detail": "too many failed attempts; try again in an hour", "problems": []}
        )
    if user is None:
        return Status(
            401, {"detail": "that username and password do not match an account", "problems": []}
        )
    return Status(200, {"token": services.issue_token(user), "role": services.role_of(user) or ""})


@auth_router.delete("/account", response={200: DeletedOut, **ERRORS})
def delete_account(request: HttpRequest, payload: DeleteIn) -> Any:
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.check_password(payload.password):
        raise InvalidInputError([Problem("password", "is not right; nothing was deleted")])
    deleted = services.delete_account(user)
    return {"deleted": True, **deleted.__dict__}


# --- assessment ---

assess_router = Router(tags=["assessment"])


@assess_router.get("/questionnaire", auth=None, response=list[SectionOut])
def questionnaire(request: HttpRequest) -> Any:
    return [
        {
            "id": s.id,
            "title": s.title,
            "intro": s.intro,
            "warning": s.warning,
            "questions": [
                {
                    "key": q.key,
                    "text": q.text,
                    "kind": q.kind,
                    "help": q.help,
                    "options": [{"value": o.value, "label": o.label} for o in q.options],
                    "min": q.min,
                    "max": q.max,
                }
                for q in s.questions
            ],
        }
        for s in sections()
    ]


@assess_router.post("/assessments", auth=None, response={200: AssessOut, 201: AssessOut, **ERRORS})
def create_assessment(request: HttpRequest, payload: AssessIn) -> Any:
    answers = validate_answers(payload.answers)
    result = assess(answers)
    if not payload.save:
        return Status(200, {"assessment": result})
    user = _optional_user(request)
    if user is None:
        raise AuthenticationError()
    request.user = user
    record = services.save_assessment(_person(request), answers.to_json(), result)
    return Status(201, {"id": record.id, "created_at": record.created_at, "assessment": result})


@assess_router.get("/assessments", response={200: list[AssessmentSummary], **ERRORS})
def list_assessments(request: HttpRequest) -> Any:
    return [
        {
            "id": r.id,
            "created_at": r.created_at,
            "level": r.triage_level,
            "knowledge_version": r.knowledge_version,
        }
        for r in services.list_assessments(_person(request))
    ]


@assess_router.get("/assessments/{assessment_id}", response={200: AssessmentFull, **ERRORS})
def get_assessment(request: HttpRequest, assessment_id: int) -> Any:
    r = services.get_assessment(_person(request), assessment_id)
    return {
        "id": r.id,
        "created_at": r.created_at,
        "level": r.triage_level,
        "knowledge_version": r.knowledge_version,
        "answers": r.answers,
        "assessment": services.result_of(r),
    }


# --- diary ---

diary_router = Router(tags=["diary"])


DIARY_PAGE = 1000
"""Most entries one GET /diary answers; a `Link: <…>; rel="next"` header points past them."""


@diary_router.get("/diary", response={200: list[DiaryEntry], **ERRORS})
def list_entries(
    request: HttpRequest,
    response: HttpResponse,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: Annotated[int, Field(ge=1, le=DIARY_PAGE)] = DIARY_PAGE,
) -> Any:
    """Entries oldest first from ``start``, at most ``limit``; when more follow, the ``Link``
    header holds the address of the next page (the same query from the next date)."""
    entries = services.list_entries(_person(request), start, end, limit=limit + 1)
    if len(entries) > limit:
        entries = entries[:limit]
        query = request.GET.copy()
        query["start"] = (entries[-1].date + dt.timedelta(days=1)).isoformat()
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return entries


@diary_router.post("/diary", response={201: DiaryEntry, **ERRORS})
def create_entry(
    request: HttpRequest,
    payload: Body[dict[str, Any]],
    replace: bool = False,
    confirm_unusual: bool = False,
) -> Any:
    """Store an entry. An unusual value (such as 14 hours slept) is answered 422 with a
    question, unless ``confirm_unusual=true`` says it is right."""
    return Status(
        201,
        services.save_entry(
            _person(request), payload, replace=replace, unusual_confirmed=confirm_unusual
        ),
    )


@diary_router.get("/diary/{date}", response={200: DiaryEntry, **ERRORS})
def get_entry(request: HttpRequest, date: dt.date) -> Any:
    return services.get_entry(_person(request), date)


@diary_router.put("/diary/{date}", response={200: DiaryEntry, **ERRORS})
def put_entry(
    request: HttpRequest,
    date: dt.date,
    payload: Body[dict[str, Any]],
    confirm_unusual: bool = False,
) -> Any:
    if "date" in payload and str(payload["date"]) != date.isoformat():
        raise InvalidInputError([Problem("entry, date", "must match the date in the address")])
    return services.save_entry(
        _person(request),
        {**payload, "date": date},
        replace=True,
        unusual_confirmed=confirm_unusual,
    )


@diary_router.delete("/diary/{date}", response={204: None, **ERRORS})
def delete_entry(request: HttpRequest, date: dt.date) -> Any:
    services.delete_entry(_person(request), date)
    return Status(204, None)


@diary_router.get("/insights", response={200: Insights, **ERRORS})
def insights(request: HttpRequest) -> Any:
    return bridges.insights(_person(request))


@diary_router.get("/export", response={200: None, **ERRORS})
def export(
    request: HttpRequest, format: Literal["csv", "json", "fhir", "pdf"] = "json"
) -> HttpResponse:
    return export_response(_person(request), format)


# --- experiments ---

experiment_router = Router(tags=["experiments"])


class ChangeOut(Schema):
    id: str
    title: str
    why: str
    needs_labels: bool
    sources: list[str]


class ExperimentIn(Schema):
    change: str = Field(max_length=64)
    weeks: int = 4
    usual: str | None = Field(None, max_length=60)
    new: str | None = Field(None, max_length=60)


class ExperimentOut(Schema):
    id: int
    change: str
    status: str
    start_date: dt.date
    result: dict[str, Any] | None


class RunningOut(Schema):
    experiment: ExperimentOut
    tonight: Tonight
    adherence: Adherence
    report: ExperimentReport


def _experiment_out(e: StoredExperiment) -> dict[str, Any]:
    return {
        "id": e.id,
        "change": e.change,
        "status": e.status,
        "start_date": e.start_date,
        "result": e.result,
    }


@experiment_router.get("/experiments/changes", auth=None, response=list[ChangeOut])
def experiment_changes(request: HttpRequest) -> Any:
    return [
        {
            "id": c.id,
            "title": c.title,
            "why": c.why,
            "needs_labels": c.needs_labels,
            "sources": list(c.source_labels()),
        }
        for c in experiments.changes()
    ]


@experiment_router.get("/experiments", response={200: list[ExperimentOut], **ERRORS})
def list_experiments(request: HttpRequest) -> Any:
    return [_experiment_out(e) for e in repo.list_experiments(_person(request))]


@experiment_router.post("/experiments", response={201: ExperimentOut, **ERRORS})
def start_experiment(request: HttpRequest, payload: ExperimentIn) -> Any:
    stored = experiments.start(
        _person(request),
        payload.change,
        weeks=payload.weeks,
        usual=payload.usual,
        new=payload.new,
    )
    return Status(201, _experiment_out(stored))


@experiment_router.get("/experiments/active", response={200: RunningOut, **ERRORS})
def active_experiment(request: HttpRequest) -> Any:
    running = experiments.active(_person(request))
    if running is None:
        raise NotFoundError("no experiment is planned or running")
    return {
        "experiment": _experiment_out(running.stored),
        "tonight": running.tonight,
        "adherence": running.adherence,
        "report": running.report,
    }


@experiment_router.post("/experiments/active/{how}", response={200: ExperimentOut, **ERRORS})
def stop_experiment(request: HttpRequest, how: Literal["finish", "abandon"]) -> Any:
    return _experiment_out(experiments.stop(_person(request), how))


# --- sharing and the audit log ---

share_router = Router(tags=["sharing"])


def _share_out(share: Share, code: str | None = None) -> dict[str, Any]:
    return {
        "id": share.pk,
        "label": share.label,
        "status": share.status,
        "created_at": share.created_at,
        "expires_at": share.expires_at,
        "clinician": services.display_name(share.clinician) if share.clinician else None,
        "code": code,
    }


@share_router.get("/shares", response={200: list[ShareOut], **ERRORS})
def list_shares(request: HttpRequest) -> Any:
    return [_share_out(s) for s in services.shares_of(_person(request))]


@share_router.post("/shares", response={201: ShareOut, **ERRORS})
def create_share(request: HttpRequest, payload: ShareIn) -> Any:
    share, code = services.create_share(_person(request), payload.label)
    return Status(201, _share_out(share, code))


@share_router.post("/shares/{share_id}/revoke", response={200: ShareOut, **ERRORS})
def revoke_share(request: HttpRequest, share_id: int) -> Any:
    return _share_out(services.revoke_share(_person(request), share_id))


@share_router.get("/audit", response={200: list[AuditOut], **ERRORS})
def audit(request: HttpRequest) -> Any:
    return [
        {"at": e.at, "who": e.actor_name, "action": e.action}
        for e in services.audit_log(_person(request))
    ]


# --- the clinician's side ---

clinician_router = Router(tags=["clinician"])


def _person_out(share: Share) -> dict[str, Any]:
    latest = services.latest_assessment(share.profile)
    return {
        "profile_id": share.profile_id,
        "name": services.person_name(share.profile),
        "latest_level": latest.triage_level if latest else None,
        "latest_assessed_at": latest.created_at if latest else None,
    }


@clinician_router.post("/clinician/redeem", response={200: PersonOut, **ERRORS})
def redeem(request: HttpRequest, payload: RedeemIn) -> Any:
    return _person_out(services.redeem_share(request.user, payload.code))  # type: ignore[arg-type]


@clinician_router.get("/clinician/people", response={200: list[PersonOut], **ERRORS})
def people(request: HttpRequest) -> Any:
    return [
        {
            "profile_id": p.share.profile_id,
            "name": p.name,
            "latest_level": p.latest_level,
            "latest_assessed_at": p.latest_assessed_at,
        }
        for p in services.people_list(request.user)
    ]


@clinician_router.get("/clinician/people/{profile_id}", response={200: PersonDetail, **ERRORS})
def person(request: HttpRequest, profile_id: int) -> Any:
    profile = services.shared_profile(request.user, profile_id, "viewed your summary (API)")
    latest = services.latest_assessment(profile)
    return {
        "profile_id": profile.pk,
        "name": services.person_name(profile),
        "latest_level": latest.triage_level if latest else None,
        "latest_assessed_at": latest.created_at if latest else None,
        "latest_assessment": services.result_of(latest) if latest else None,
        "entries": services.list_entries(profile),
    }


@clinician_router.get("/clinician/people/{profile_id}/export", response={200: None, **ERRORS})
def person_export(
    request: HttpRequest, profile_id: int, format: Literal["csv", "json", "fhir", "pdf"] = "pdf"
) -> HttpResponse:
    profile = services.shared_profile(
        request.user, profile_id, f"downloaded your {format.upper()} report (API)"
    )
    return export_response(profile, format)


api.add_router("/auth", auth_router)
api.add_router("", assess_router)
api.add_router("", diary_router)
api.add_router("", experiment_router)
api.add_router("", share_router)
api.add_router("", clinician_router)
