"""The JSON API under ``/api/v1``: every feature of the pages, with the command line's validation.

Authentication: ``Authorization: Bearer <token>`` (from ``POST /auth/token`` or ``/auth/signup``)
or the browser session (with its CSRF token). Errors are JSON ``{"detail", "problems"}``; bad
input is 422 with one problem per field, exactly as the command line lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import authenticate, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
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
from nightspine.web import (
    bridges,
    experiments,
    security_events,
    services,
    sessions,
    twofactor,
)
from nightspine.web.engine import assess
from nightspine.web.lockout import LOCKED_MESSAGE, is_locked
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


class TokenRequest(Credentials):
    code: str = Field(
        "",
        max_length=20,
        description="the authenticator's 6-digit code (or a recovery code) for accounts with "
        "two-step sign-in",
    )
    name: str = Field("", max_length=100, description="a name to recognise the token by")


class SignupIn(Credentials):
    role: Literal["person", "clinician"] = "person"
    display_name: str = Field("", max_length=100)


class TokenOut(Schema):
    token: str
    role: str
    expires_at: dt.datetime | None = None


class TokenInfo(Schema):
    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    current: bool = Field(description="the token this request was made with")


class LoggedOut(Schema):
    tokens_revoked: int


class SessionOut(Schema):
    id: int
    browser: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool = Field(description="the browser session this request was made with")


class TwoFactorSetup(Schema):
    secret: str = Field(description="the base-32 key to type into an authenticator app")
    uri: str = Field(description="the otpauth:// address (what the QR code holds)")


class CodeIn(Schema):
    code: str = Field(max_length=20)


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(description="shown once; each works once")


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
    clinician_verified: bool | None = Field(
        None, description="false: staff have not checked that this clinician is one"
    )
    code: str | None = Field(None, description="shown once, when the code is made")


class AuditOut(Schema):
    at: dt.datetime
    who: str
    who_verified: bool | None = Field(
        None, description="for a clinician: false until staff have verified them"
    )
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
    403: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
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


def _token_out(user: Any, role: str, name: str = "") -> dict[str, Any]:
    token = services.issue_token(user, name)
    record = services.token_record(token)
    return {"token": token, "role": role, "expires_at": record.expires_at if record else None}


@auth_router.post("/signup", auth=None, response={201: TokenOut, 400: ErrorOut, 422: ErrorOut})
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, Any]]:
    user = services.create_account(
        payload.username, payload.password, payload.role, payload.display_name
    )
    return Status(201, _token_out(user, payload.role))


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut, 422: ErrorOut},
)
def token(request: HttpRequest, payload: TokenRequest) -> Any:
    # The lock-out records failures from request.POST; this is a JSON body, so give it an empty
    # form (a malformed multipart header must not turn a failed login into a server error).
    request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
    user = authenticate(request, username=payload.username, password=payload.password)
    if is_locked(request):
        return Status(429, {"detail": LOCKED_MESSAGE, "problems": []})
    if user is None:
        return Status(
            401, {"detail": "that username and password do not match an account", "problems": []}
        )
    if twofactor.has_second_factor(user) and not twofactor.check_second_step(user, payload.code):
        user_login_failed.send(
            sender=__name__, credentials={"username": payload.username}, request=request
        )
        return Status(
            401,
            {
                "detail": "this account signs in in two steps: send the authenticator's current "
                "code (or a recovery code) as code",
                "problems": [{"location": "code", "message": "is missing, wrong or used"}],
            },
        )
    security_events.record("api_token_issued", user_id=user.pk)
    return Status(200, _token_out(user, services.role_of(user) or "", payload.name))


def _current_token_id(request: HttpRequest) -> int | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    record = services.token_record(header[7:].strip())
    return record.pk if record else None


@auth_router.get("/tokens", response={200: list[TokenInfo], **ERRORS})
def list_tokens(request: HttpRequest) -> Any:
    current = _current_token_id(request)
    return [
        {
            "id": t.pk,
            "name": t.name,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "last_used_at": t.last_used_at,
            "current": t.pk == current,
        }
        for t in services.tokens_of(request.user)
    ]


@auth_router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    services.revoke_token(request.user, token_id)
    security_events.record("api_token_revoked", user_id=request.user.pk)
    return Status(204, None)


@auth_router.get("/sessions", response={200: list[SessionOut], **ERRORS})
def list_sessions(request: HttpRequest) -> Any:
    """The browsers signed in to this login (API tokens: GET /auth/tokens)."""
    session = getattr(request, "session", None)
    current = session.session_key if session is not None else None
    return [
        {
            "id": r.pk,
            "browser": r.browser,
            "created_at": r.created_at,
            "last_seen_at": r.last_seen_at,
            "current": r.session_key == current,
        }
        for r in sessions.sessions_of(request.user)
    ]


@auth_router.delete("/sessions/{session_id}", response={204: None, **ERRORS})
def end_session(request: HttpRequest, session_id: int) -> Any:
    sessions.end_session(request.user, session_id)
    return Status(204, None)


@auth_router.post("/two-factor", response={200: TwoFactorSetup, **ERRORS})
def two_factor_start(request: HttpRequest) -> Any:
    """Start turning on two-step sign-in: add the key to an app, then confirm a code."""
    if twofactor.has_second_factor(request.user):
        raise ConflictError("two-step sign-in is already on")
    secret = twofactor.start_setup(request.user)
    return {"secret": secret, "uri": twofactor.provisioning_uri(request.user, secret)}


@auth_router.post("/two-factor/confirm", response={200: RecoveryCodesOut, **ERRORS})
def two_factor_confirm(request: HttpRequest, payload: CodeIn) -> Any:
    codes = twofactor.confirm_setup(request.user, payload.code)
    if codes is None:
        raise InvalidInputError([Problem("code", "is not the app's current 6-digit code")])
    security_events.record("second_factor_added", user_id=request.user.pk)
    return {"recovery_codes": codes}


@auth_router.post("/logout", response={200: LoggedOut, **ERRORS})
def logout_api(request: HttpRequest) -> Any:
    """Sign out: every API token of the login ends (and the browser session, if any)."""
    user = request.user
    revoked = services.revoke_all_tokens(user)
    if getattr(request, "session", None) is not None and request.session.session_key:
        logout(request)
    security_events.record("sign_out", user_id=user.pk, tokens_revoked=revoked)
    return {"tokens_revoked": revoked}


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
    # the JSON kept since the diary last changed, answered as it is (no re-serialising per view)
    return HttpResponse(bridges.insights_json(_person(request)), content_type="application/json")


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
        "clinician_verified": services.is_verified_clinician(share.clinician)
        if share.clinician
        else None,
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
        {
            "at": e.at,
            "who": e.actor_name,
            "who_verified": services.is_verified_clinician(e.actor)
            if e.actor is not None and services.role_of(e.actor) == "clinician"
            else None,
            "action": e.action,
        }
        for e in services.audit_log(_person(request))
    ]


# --- the clinician's side ---

clinician_router = Router(tags=["clinician"])


def _two_step(request: HttpRequest) -> None:
    """Clinicians reach shared data only once two-step sign-in is on (POST /auth/two-factor)."""
    if services.role_of(request.user) == "clinician" and not twofactor.has_second_factor(
        request.user
    ):
        raise HttpError(403, "turn on two-step sign-in first: POST /api/v1/auth/two-factor")


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
    _two_step(request)
    return _person_out(services.redeem_share(request.user, payload.code))  # type: ignore[arg-type]


PEOPLE_API_PAGE = 100
"""Most people one GET /clinician/people answers; a `Link: <…>; rel="next"` header points on."""


@clinician_router.get("/clinician/people", response={200: list[PersonOut], **ERRORS})
def people(
    request: HttpRequest,
    response: HttpResponse,
    sort: Literal["level", "entry", "name"] = "level",
    page: Annotated[int, Field(ge=1)] = 1,
    limit: Annotated[int, Field(ge=1, le=PEOPLE_API_PAGE)] = services.PEOPLE_PAGE_SIZE,
) -> Any:
    """One page of the clinician's people in the list's order; ``X-Total-Count`` holds how many
    there are in all and, when more follow, the ``Link`` header the next page's address."""
    _two_step(request)
    found = services.people_page(request.user, sort, page, limit)
    response["X-Total-Count"] = str(found.total)
    if found.number == page and page < found.pages:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    rows = found.rows if found.number == page else []  # past the end: an empty page
    return [
        {
            "profile_id": p.share.profile_id,
            "name": p.name,
            "latest_level": p.latest_level,
            "latest_assessed_at": p.latest_assessed_at,
        }
        for p in rows
    ]


@clinician_router.get("/clinician/people/{profile_id}", response={200: PersonDetail, **ERRORS})
def person(request: HttpRequest, profile_id: int) -> Any:
    _two_step(request)
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
    _two_step(request)
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
