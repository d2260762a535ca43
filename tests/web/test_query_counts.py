"""A clinician's list costs the same number of queries for 1 person as for many."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import make_client

from nightspine.web import services
from nightspine.web.engine import assess

pytestmark = pytest.mark.usefixtures("web_db")

ANSWERS = {"age": 44, "pain_now": 4, "sleep_position": "stomach"}
WARNING = {**ANSWERS, "numbness_or_tingling": ["arms"]}


def _share_people(doctor: Client, start: int, count: int) -> None:
    for i in range(start, start + count):
        person = make_client(f"person{i}")
        profile = services.profile_of(person.user)  # type: ignore[attr-defined]
        for _ in range(2):
            services.save_assessment(profile, ANSWERS, assess(ANSWERS))
        services.save_entry(profile, {"date": f"2026-03-{i + 1:02d}", "pain_on_waking": 3})
        _, code = services.create_share(profile)
        services.redeem_share(doctor.user, code)  # type: ignore[attr-defined]
        if i % 2:  # the last look, then warning signs since: both columns have work to do
            doctor.get(f"/clinician/{profile.pk}/")
            services.save_assessment(profile, WARNING, assess(WARNING))


def _queries(client: Client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen.captured_queries), response.content


@pytest.mark.parametrize("url", ["/clinician/", "/api/v1/clinician/people"])
def test_the_clinician_list_is_a_constant_number_of_queries(doctor: Client, url: str) -> None:
    _share_people(doctor, 0, 1)
    one, _ = _queries(doctor, url)
    _share_people(doctor, 1, 6)
    seven, content = _queries(doctor, url)
    assert seven == one
    assert b"Person6" in content  # the newest person is listed, with their name
    level = assess(ANSWERS).triage.level.value
    assert level.encode() in content
    if url == "/clinician/":  # the new columns are filled in
        assert b"New since your last look" in content and b"1 Mar 2026" in content


@pytest.mark.parametrize("sort", ["level", "entry", "name"])
def test_every_order_of_the_list_costs_the_same(doctor: Client, sort: str) -> None:
    _share_people(doctor, 0, 1)
    one, _ = _queries(doctor, f"/clinician/?sort={sort}")
    _share_people(doctor, 1, 6)
    seven, _ = _queries(doctor, f"/clinician/?sort={sort}")
    assert seven == one


def test_the_list_shows_the_latest_level_and_date(doctor: Client) -> None:
    _share_people(doctor, 0, 1)
    [row] = services.people_list(doctor.user)  # type: ignore[attr-defined]
    latest = services.latest_assessment(row.share.profile)
    assert latest is not None
    assert row.latest_level == latest.triage_level
    assert row.latest_assessed_at == latest.created_at
    assert row.name == services.person_name(row.share.profile)


def test_the_username_check_uses_an_index_not_a_scan(alice: Client) -> None:
    with CaptureQueriesContext(connection) as seen:
        assert services._username_taken("ALICE")
    assert not services._username_taken("alicia")
    [query] = seen.captured_queries
    assert "LOWER" in query["sql"].upper()
    if connection.vendor == "sqlite":  # PostgreSQL's planner scans tables this small anyway
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "nightspine_user_username_lower" in plan, plan


def test_the_paged_list_costs_the_same_on_every_page_and_for_any_number(doctor: Client) -> None:
    size = 3
    _share_people(doctor, 0, 1)
    one = _page_queries(doctor, 1, size)
    _share_people(doctor, 1, 9)  # ten people: pages of 3, 3, 3 and 1
    for page in (1, 2, 4):
        assert _page_queries(doctor, page, size) == one
    found = services.people_page(doctor.user, "level", 2, size)  # type: ignore[attr-defined]
    assert (found.total, found.pages, len(found.rows)) == (10, 4, size)


def _page_queries(doctor: Client, page: int, size: int) -> int:
    with CaptureQueriesContext(connection) as seen:
        found = services.people_page(doctor.user, "level", page, size)  # type: ignore[attr-defined]
    assert found.rows
    return len(seen.captured_queries)


def test_the_api_list_is_paged_with_a_link_to_the_next_page(doctor: Client) -> None:
    _share_people(doctor, 0, 4)
    response = doctor.get("/api/v1/clinician/people?limit=3&sort=name")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    assert [p["name"] for p in response.json()] == ["Person0", "Person1", "Person2"]
    assert "page=2" in response["Link"] and 'rel="next"' in response["Link"]
    last = doctor.get("/api/v1/clinician/people?limit=3&sort=name&page=2")
    assert [p["name"] for p in last.json()] == ["Person3"] and "Link" not in last
    assert doctor.get("/api/v1/clinician/people?limit=3&page=9").json() == []


@pytest.mark.parametrize("url", ["/api/v1/insights", "/diary/insights"])
def test_kept_insights_are_one_query_beyond_finding_the_person(alice: Client, url: str) -> None:
    """Seen again without a change, insights cost one query: the diary's stamp and the kept
    snapshot read together (it was a stamp query, then a snapshot query)."""
    for day in range(1, 4):
        services.save_entry(
            services.profile_of(alice.user),  # type: ignore[attr-defined]
            {"date": f"2026-01-0{day}", "pain_on_waking": day},
        )
    alice.get(url)  # computed and kept
    with CaptureQueriesContext(connection) as seen:
        assert alice.get(url).status_code == 200
    sqls = [q["sql"] for q in seen.captured_queries]
    insights = [s for s in sqls if "diaryentry" in s or "insightssnapshot" in s]
    assert len(insights) == 1, insights
    assert not any("INSERT" in s or "UPDATE" in s for s in sqls)  # nothing computed or kept
    if url.startswith("/api/"):  # the session, its user, the profile and the insights
        assert len(sqls) == 4, sqls


def _save_zone(profile: Any, zone: str) -> None:
    from nightspine.web import reminders

    reminders.save_settings(
        profile,
        email="",
        time_zone=zone,
        morning=False,
        morning_time="07:30",
        evening=False,
        evening_time="21:00",
    )


def test_an_api_diary_write_is_three_reads_and_the_insert() -> None:
    """The token, the person and their time zone are read with plain SQL (services._first):
    the person's zone still decides which day is the latest they may write."""
    from django.utils import timezone

    from nightspine.diary.checks import latest_today

    latest = latest_today(timezone.now()).isoformat()  # today somewhere on Earth
    answers = {}
    for name, zone in (("nozone", None), ("pagopago", "Pacific/Pago_Pago")):
        user = services.create_account(name, "correct horse battery staple", "person")
        if zone:
            _save_zone(services.profile_of(user), zone)  # UTC-11: never the latest day on Earth
        api = Client(HTTP_AUTHORIZATION=f"Bearer {services.issue_token(user)}")
        api.post("/api/v1/diary", {"date": "2026-03-01"}, content_type="application/json")
        with CaptureQueriesContext(connection) as seen:
            answers[name] = api.post(
                "/api/v1/diary",
                {"date": latest, "pain_on_waking": 3},
                content_type="application/json",
            )
        statements = [q["sql"].split()[0].upper() for q in seen.captured_queries]
        work = [s for s in statements if s in ("SELECT", "INSERT", "UPDATE", "DELETE")]
        assert work == ["SELECT"] * 3 + (["INSERT"] if zone is None else []), work
    assert answers["nozone"].status_code == 201
    assert answers["pagopago"].status_code == 422  # a day that has not begun where they are


def test_a_clinician_token_has_no_diary_and_a_revoked_one_no_entry() -> None:
    user = services.create_account("doc", "correct horse battery staple", "clinician")
    token = services.issue_token(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/diary")
    assert response.status_code == 404
    assert "clinician accounts see shared data only" in response.json()["detail"]
    user.is_active = False
    user.save()
    assert api.get("/api/v1/diary").status_code == 401
