"""Tries to cross the lines: other people's data, clinicians without a share, revoked shares,
missing CSRF tokens, lock-out, headers, hashing. None of it may work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from tests.web.conftest import PASSWORD, make_client

from nightspine.storage.models import Profile
from nightspine.web import services
from nightspine.web.models import AuditEvent
from nightspine.web.settings import PASSWORD_HASHERS

pytestmark = pytest.mark.usefixtures("web_db")


def _profile(client: Client) -> Profile:
    return services.profile_of(client.user)  # type: ignore[attr-defined]


def _token(client: Client) -> str:
    return services.issue_token(client.user)  # type: ignore[attr-defined]


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _share(owner: Client, clinician: Client) -> int:
    page = owner.post("/me/sharing", {"label": "x"}).content.decode()
    code = page.split('id="share-code">')[1].split("<")[0]
    assert clinician.post("/clinician/", {"code": code}).status_code == 302
    return services.shares_of(_profile(owner))[0].pk


@pytest.fixture
def bob_entry(bob: Client) -> dt.date:
    day = dt.date(2026, 2, 1)
    services.save_entry(_profile(bob), {"date": day, "pain_on_waking": 7, "notes": "bob private"})
    return day


def test_person_cannot_reach_another_persons_entries_by_page(
    alice: Client, bob: Client, bob_entry: dt.date
) -> None:
    assert "bob private" not in alice.get("/diary/history").content.decode()
    assert alice.get(f"/diary/{bob_entry}/edit").status_code == 404
    assert alice.post(f"/diary/{bob_entry}/delete").status_code == 404
    assert services.get_entry(_profile(bob), bob_entry).pain_on_waking == 7
    assert "bob private" not in alice.get("/diary/export/json").content.decode()


def test_person_cannot_reach_another_persons_entries_by_api(
    alice: Client, bob: Client, bob_entry: dt.date
) -> None:
    headers = _bearer(_token(alice))
    assert alice.get("/api/v1/diary", **headers).json() == []
    assert alice.get(f"/api/v1/diary/{bob_entry}", **headers).status_code == 404
    assert alice.delete(f"/api/v1/diary/{bob_entry}", **headers).status_code == 404
    response = alice.put(
        f"/api/v1/diary/{bob_entry}",
        {"pain_on_waking": 0},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200  # writes go to alice's own diary, never to bob's
    assert services.get_entry(_profile(bob), bob_entry).pain_on_waking == 7


def test_person_cannot_open_another_persons_assessment(alice: Client, bob: Client) -> None:
    from nightspine.web.engine import assess

    record = services.save_assessment(_profile(bob), {"age": 40}, assess({"age": 40}))
    assert alice.get(f"/me/assessments/{record.id}").status_code == 404
    assert (
        alice.get(f"/api/v1/assessments/{record.id}", **_bearer(_token(alice))).status_code == 404
    )


def test_person_cannot_revoke_another_persons_share(
    alice: Client, bob: Client, doctor: Client
) -> None:
    share_id = _share(bob, doctor)
    assert alice.post(f"/me/sharing/{share_id}/revoke").status_code == 404
    assert (
        alice.post(f"/api/v1/shares/{share_id}/revoke", **_bearer(_token(alice))).status_code == 404
    )
    assert services.shares_of(_profile(bob))[0].status == "active"


def test_clinician_without_a_share_sees_nothing(
    alice: Client, doctor: Client, bob_entry: dt.date, bob: Client
) -> None:
    bob_id = _profile(bob).pk
    assert doctor.get(f"/clinician/{bob_id}/").status_code == 404
    assert doctor.get(f"/clinician/{bob_id}/export/csv").status_code == 404
    headers = _bearer(_token(doctor))
    assert doctor.get(f"/api/v1/clinician/people/{bob_id}", **headers).status_code == 404
    assert doctor.get("/api/v1/clinician/people", **headers).json() == []
    assert not AuditEvent.objects.filter(profile_id=bob_id).exists()


def test_share_reaches_one_person_only(
    alice: Client, bob: Client, doctor: Client, bob_entry: dt.date
) -> None:
    _share(alice, doctor)
    assert doctor.get(f"/clinician/{_profile(alice).pk}/").status_code == 200
    assert doctor.get(f"/clinician/{_profile(bob).pk}/").status_code == 404


def test_other_clinician_does_not_inherit_a_share(
    alice: Client, doctor: Client, other_doctor: Client
) -> None:
    _share(alice, doctor)
    assert other_doctor.get(f"/clinician/{_profile(alice).pk}/").status_code == 404


def test_revoked_share_ends_access_at_once(alice: Client, doctor: Client) -> None:
    share_id = _share(alice, doctor)
    person = f"/clinician/{_profile(alice).pk}/"
    assert doctor.get(person).status_code == 200
    assert alice.post(f"/me/sharing/{share_id}/revoke").status_code == 302
    assert doctor.get(person).status_code == 404
    api = doctor.get(f"/api/v1/clinician/people/{_profile(alice).pk}", **_bearer(_token(doctor)))
    assert api.status_code == 404
    assert "Alice" not in doctor.get("/clinician/").content.decode()


def test_revoked_or_expired_code_cannot_be_redeemed(alice: Client, doctor: Client) -> None:
    share, code = services.create_share(_profile(alice))
    services.revoke_share(_profile(alice), share.pk)
    assert doctor.post("/clinician/", {"code": code}).status_code == 422
    share2, code2 = services.create_share(_profile(alice))
    share2.expires_at = share2.created_at - dt.timedelta(seconds=1)
    share2.save()
    assert doctor.post("/clinician/", {"code": code2}).status_code == 422


def test_a_person_cannot_redeem_codes(alice: Client, bob: Client) -> None:
    _, code = services.create_share(_profile(bob))
    assert alice.post("/clinician/", {"code": code}).status_code == 403
    response = alice.post(
        "/api/v1/clinician/redeem",
        {"code": code},
        content_type="application/json",
        **_bearer(_token(alice)),
    )
    assert response.status_code == 422


def test_every_clinician_view_is_audited(alice: Client, doctor: Client) -> None:
    _share(alice, doctor)
    profile = _profile(alice)
    before = AuditEvent.objects.filter(profile=profile).count()
    doctor.get(f"/clinician/{profile.pk}/")
    doctor.get(f"/clinician/{profile.pk}/export/csv")
    doctor.get(f"/api/v1/clinician/people/{profile.pk}", **_bearer(_token(doctor)))
    events = list(AuditEvent.objects.filter(profile=profile))
    assert len(events) == before + 3
    assert {e.actor_name for e in events} == {"Drwho"}
    page = alice.get("/me/audit").content.decode()
    assert "downloaded your CSV report" in page
    audit = alice.get("/api/v1/audit", **_bearer(_token(alice))).json()
    assert len(audit) == before + 3


def test_forms_need_a_csrf_token(alice: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[attr-defined]
    for url, data in [
        ("/diary/", {"date": "2026-03-01", "pain_on_waking": "3"}),
        ("/me/sharing", {"label": "x"}),
        ("/account", {"password": PASSWORD, "confirm": "delete"}),
        ("/logout", {}),
        ("/assess/restart", {}),
    ]:
        response = strict.post(url, data)
        assert response.status_code == 403, url
    assert services.list_entries(_profile(alice)) == []
    assert Profile.objects.filter(pk=_profile(alice).pk).exists()
    # With the token from the page, the same post works.
    page = strict.get("/diary/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    ok = strict.post(
        "/diary/",
        {"date": "2026-03-01", "pain_on_waking": "3", "csrfmiddlewaretoken": token.group(1)},
    )
    assert ok.status_code == 303  # saved; "see the history"


def test_api_with_session_cookie_needs_csrf(alice: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[attr-defined]
    response = strict.post(
        "/api/v1/diary",
        {"date": "2026-03-02", "pain_on_waking": 3},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert services.list_entries(_profile(alice)) == []


def test_api_needs_authentication(anon: Client) -> None:
    for url in [
        "/api/v1/diary",
        "/api/v1/assessments",
        "/api/v1/shares",
        "/api/v1/audit",
        "/api/v1/clinician/people",
    ]:
        assert anon.get(url).status_code == 401, url
    assert anon.get("/api/v1/diary", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_pages_need_sign_in(anon: Client) -> None:
    for url in ["/me", "/diary/", "/diary/history", "/me/sharing", "/me/audit", "/account"]:
        response = anon.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_login_is_locked_after_repeated_failures(anon: Client) -> None:
    services.create_account("erin", PASSWORD, "person")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        anon.post("/login", {"username": "erin", "password": "wrong password"})
    locked = anon.post("/login", {"username": "erin", "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert anon.get("/me").status_code == 302
    api = anon.post(
        "/api/v1/auth/token",
        {"username": "erin", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code in (403, 429)


def test_security_headers_and_cookies(alice: Client) -> None:
    response = alice.get("/diary/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_no_inline_scripts_or_styles_in_pages(alice: Client) -> None:
    for url in ["/", "/diary/", "/diary/history", "/me", "/me/sharing"]:
        page = alice.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page and "<style" not in page, url


def test_argon2_is_the_first_password_hasher() -> None:
    assert PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_passwords_are_stored_with_argon2() -> None:
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS):
        user = services.create_account("frank", PASSWORD, "person")
    assert user.password.startswith("argon2")


def test_clinician_has_no_diary(doctor: Client) -> None:
    assert doctor.get("/diary/").status_code == 403
    headers = _bearer(_token(doctor))
    assert doctor.get("/api/v1/diary", **headers).status_code == 404


def test_admin_is_for_staff_only(alice: Client) -> None:
    response = alice.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response["Location"]


def test_secure_cookies_when_served_over_https(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import nightspine.web.settings as web_settings

    monkeypatch.setenv("NIGHTSPINE_SECURE_COOKIES", "true")
    secure = importlib.reload(web_settings)
    try:
        assert secure.SESSION_COOKIE_SECURE and secure.CSRF_COOKIE_SECURE
        assert secure.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.delenv("NIGHTSPINE_SECURE_COOKIES")
        plain = importlib.reload(web_settings)
    assert not plain.SESSION_COOKIE_SECURE


def test_make_client_helper_roles() -> None:
    c = make_client("gina", role="clinician")
    assert services.role_of(c.user) == "clinician"  # type: ignore[attr-defined]


def test_deleting_a_clinician_revokes_their_shares(alice: Client, doctor: Client) -> None:
    _share(alice, doctor)
    response = doctor.post("/account", {"password": PASSWORD, "confirm": "delete"})
    assert "has been deleted" in response.content.decode()
    (share,) = services.shares_of(_profile(alice))
    assert share.status == "revoked"


def test_admin_works_for_staff() -> None:
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/web/share/").status_code == 200
