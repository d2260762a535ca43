"""Every JSON API operation, with the command line's validation and error shapes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.web.conftest import PASSWORD

from nightspine.assessment.answers import validate_answers
from nightspine.errors import InvalidInputError
from nightspine.knowledge.loader import load_knowledge

pytestmark = pytest.mark.usefixtures("web_db")


class Api:
    """A small JSON client with a bearer token."""

    def __init__(self, token: str = "") -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, url: str, **query: Any) -> Any:
        return self.client.get(f"/api/v1{url}", query, **self._headers())

    def send(self, method: str, url: str, body: Any = None) -> Any:
        call = getattr(self.client, method)
        return call(f"/api/v1{url}", body, content_type="application/json", **self._headers())


def _signup(username: str, role: str = "person") -> Api:
    response = Api().send(
        "post", "/auth/signup", {"username": username, "password": PASSWORD, "role": role}
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == role
    return Api(response.json()["token"])


@pytest.fixture
def person() -> Api:
    return _signup("pat")


@pytest.fixture
def clinician() -> Api:
    return _signup("drc", role="clinician")


def test_signup_problems_name_fields() -> None:
    response = Api().send(
        "post", "/auth/signup", {"username": "", "password": "x", "role": "person"}
    )
    assert response.status_code == 422
    locations = {p["location"] for p in response.json()["problems"]}
    assert {"username", "password"} <= locations


def test_signup_rejects_unknown_role() -> None:
    response = Api().send(
        "post", "/auth/signup", {"username": "q", "password": PASSWORD, "role": "admin"}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["location"] == "role"


def test_token_login(person: Api) -> None:
    ok = Api().send("post", "/auth/token", {"username": "pat", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    bad = Api().send("post", "/auth/token", {"username": "pat", "password": "wrong"})
    assert bad.status_code == 401


def test_questionnaire_warning_signs_first() -> None:
    sections = Api().get("/questionnaire").json()
    assert sections[0]["warning"] is True
    keys = {q["key"] for s in sections for q in s["questions"]}
    assert {"age", "bladder_bowel", "sleep_position"} <= keys


def test_anonymous_assessment() -> None:
    response = Api().send(
        "post", "/assessments", {"answers": {"age": 40, "sleep_position": "side"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None
    assert body["assessment"]["triage"]["level"] in ("self_care", "soon", "urgent", "emergency")


def test_assessment_problems_match_the_command_line() -> None:
    bad = {"age": 5, "sleep_position": "upside_down", "nonsense": True}
    response = Api().send("post", "/assessments", {"answers": bad})
    assert response.status_code == 422
    with pytest.raises(InvalidInputError) as cli:
        validate_answers(bad)
    expected = [{"location": p.location, "message": p.message} for p in cli.value.problems]
    assert response.json()["problems"] == expected


def test_malformed_request_is_422_with_problems() -> None:
    response = Api().send("post", "/assessments", {"answers": "not a mapping"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["location"].startswith("answers")


def test_saving_an_assessment_needs_a_person(person: Api) -> None:
    assert Api().send("post", "/assessments", {"answers": {}, "save": True}).status_code == 401
    saved = person.send("post", "/assessments", {"answers": {"age": 50}, "save": True})
    assert saved.status_code == 201
    listed = person.get("/assessments").json()
    assert [a["id"] for a in listed] == [saved.json()["id"]]
    one = person.get(f"/assessments/{saved.json()['id']}").json()
    assert one["answers"] == {"age": 50}
    assert person.get("/assessments/999999").status_code == 404


def test_diary_crud(person: Api) -> None:
    entry = {"date": "2026-01-10", "pain_on_waking": 4, "sleep_position": "side", "notes": "n"}
    created = person.send("post", "/diary", entry)
    assert created.status_code == 201 and created.json()["notes"] == "n"
    assert person.send("post", "/diary", entry).status_code == 409
    replaced = person.client.post(
        "/api/v1/diary?replace=true",
        {**entry, "pain_on_waking": 2},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {person.token}",
    )
    assert replaced.status_code == 201
    assert person.get("/diary/2026-01-10").json()["pain_on_waking"] == 2
    put = person.send("put", "/diary/2026-01-10", {"pain_on_waking": 1})
    assert put.status_code == 200 and put.json()["sleep_position"] is None
    assert len(person.get("/diary", start="2026-01-01", end="2026-01-31").json()) == 1
    assert person.get("/diary", start="2026-02-01").json() == []
    assert person.send("delete", "/diary/2026-01-10").status_code == 204
    assert person.get("/diary/2026-01-10").status_code == 404


def test_diary_problems_name_fields(person: Api) -> None:
    response = person.send("post", "/diary", {"date": "2026-13-01", "pain_on_waking": 11, "x": 1})
    assert response.status_code == 422
    locations = {p["location"] for p in response.json()["problems"]}
    assert {"entry, date", "entry, pain_on_waking", "entry, x"} <= locations


def test_put_date_must_match(person: Api) -> None:
    response = person.send("put", "/diary/2026-01-10", {"date": "2026-01-11", "pain_on_waking": 1})
    assert response.status_code == 422


def test_insights_and_export(person: Api) -> None:
    person.send("post", "/diary", {"date": "2026-01-10", "pain_on_waking": 4})
    insights = person.get("/insights")
    assert insights.status_code == 200 and insights.json()["nights"] == 1
    csv_text = person.get("/export", format="csv").content.decode()
    assert "2026-01-10,4" in csv_text
    data = person.get("/export", format="json").json()
    assert data["entries"][0]["date"] == "2026-01-10"
    assert person.get("/export", format="doc").status_code == 422


def test_sharing_flow(person: Api, clinician: Api) -> None:
    person.send("post", "/diary", {"date": "2026-01-10", "pain_on_waking": 4})
    person.send("post", "/assessments", {"answers": {"age": 50}, "save": True})
    share = person.send("post", "/shares", {"label": "GP"}).json()
    assert share["status"] == "waiting" and share["code"]
    redeemed = clinician.send("post", "/clinician/redeem", {"code": share["code"]})
    assert redeemed.status_code == 200
    pid = redeemed.json()["profile_id"]
    people = clinician.get("/clinician/people").json()
    assert [p["profile_id"] for p in people] == [pid]
    detail = clinician.get(f"/clinician/people/{pid}").json()
    assert detail["entries"][0]["pain_on_waking"] == 4
    assert detail["latest_assessment"]["triage"]["level"]
    export = clinician.get(f"/clinician/people/{pid}/export", format="csv")
    assert export.status_code == 200
    assert person.get("/shares").json()[0]["status"] == "active"
    actions = [e["action"] for e in person.get("/audit").json()]
    assert any("viewed" in a for a in actions) and any("CSV" in a for a in actions)
    revoked = person.send("post", f"/shares/{share['id']}/revoke")
    assert revoked.json()["status"] == "revoked"
    assert clinician.get(f"/clinician/people/{pid}").status_code == 404


def test_bad_code(clinician: Api) -> None:
    response = clinician.send("post", "/clinician/redeem", {"code": "NOPE-NOPE"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["location"] == "code"


def test_delete_account(person: Api) -> None:
    person.send("post", "/diary", {"date": "2026-01-10", "pain_on_waking": 4})
    assert person.send("delete", "/auth/account", {"password": "wrong"}).status_code == 422
    response = person.send("delete", "/auth/account", {"password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {
        "deleted": True,
        "entries": 1,
        "assessments": 0,
        "shares": 0,
        "audit_events": 0,
    }
    assert person.get("/diary").status_code == 401


def test_healthz_and_openapi() -> None:
    # one public health check, at /healthz (tests/web/test_hardening.py); none in the API
    assert Api().get("/healthz").status_code == 404
    schema = Client().get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/diary" in schema["paths"]
    assert "/api/v1/assessments" in schema["paths"]


def test_experiments(person: Api) -> None:
    changes = Api().get("/experiments/changes").json()
    assert changes and {"id", "title", "why"} <= set(changes[0])
    labels = {s.label for s in load_knowledge().sources.values()}
    assert all(c["sources"] and set(c["sources"]) <= labels for c in changes)
    simple = next(c["id"] for c in changes if not c["needs_labels"])
    assert person.get("/experiments/active").status_code == 404
    started = person.send("post", "/experiments", {"change": simple, "weeks": 2})
    assert started.status_code == 201 and started.json()["status"] == "running"
    assert person.send("post", "/experiments", {"change": simple}).status_code == 409
    active = person.get("/experiments/active").json()
    assert active["tonight"]["message"] and active["adherence"]["nights_due"] >= 0
    assert person.send("post", "/experiments/active/finish").json()["status"] == "finished"
    assert [e["status"] for e in person.get("/experiments").json()] == ["finished"]
    bad = person.send("post", "/experiments", {"change": simple, "weeks": 9})
    assert bad.status_code == 422 and bad.json()["problems"][0]["location"] == "weeks"
