"""Accounts and sign-in, attacked and used: tokens that expire and end, lock-out that stops
guessing and spraying, sessions people can see and end, clinicians' verification and second
step, e-mail verification, password reset and recovery codes, deletion that forgets sign-ins,
and owner-only database files."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
from pathlib import Path

import pyotp
import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from tests.web.conftest import PASSWORD, make_client

from nightspine.config import Settings, make_private_dir
from nightspine.web import services, twofactor
from nightspine.web.models import ApiToken, FailedPassword, SessionRecord
from nightspine.web.sessions import LAST_SEEN_KEY

pytestmark = pytest.mark.usefixtures("web_db")

NEW_PASSWORD = "a brand new long passphrase"


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _me(client: Client, token: str) -> int:
    return client.get("/api/v1/auth/tokens", **_bearer(token)).status_code


def _api_login(username: str, password: str, address: str = "127.0.0.1") -> object:
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


# --- tokens ---


def test_tokens_expire_list_and_revoke(alice: Client) -> None:
    user = alice.user  # type: ignore[attr-defined]
    first = services.issue_token(user, "laptop")
    second = services.issue_token(user, "phone")
    listed = alice.get("/api/v1/auth/tokens", **_bearer(first)).json()
    assert [t["name"] for t in listed] == ["phone", "laptop"]
    assert [t["current"] for t in listed] == [False, True]
    days = (dt.datetime.fromisoformat(listed[0]["expires_at"]) - timezone.now()).days
    assert settings.API_TOKEN_DAYS - 1 <= days <= settings.API_TOKEN_DAYS
    # Revoke the phone's token with the laptop's: it stops working at once.
    phone_id = listed[0]["id"]
    assert alice.delete(f"/api/v1/auth/tokens/{phone_id}", **_bearer(first)).status_code == 204
    assert _me(Client(), second) == 401
    assert alice.delete(f"/api/v1/auth/tokens/{phone_id}", **_bearer(first)).status_code == 404
    # An expired token is refused.
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(Client(), first) == 401


def test_someone_elses_token_cannot_be_revoked(alice: Client, bob: Client) -> None:
    alices = services.issue_token(alice.user)  # type: ignore[attr-defined]
    bobs = services.issue_token(bob.user)  # type: ignore[attr-defined]
    alice_id = ApiToken.objects.get(user=alice.user).pk  # type: ignore[attr-defined]
    assert Client().delete(f"/api/v1/auth/tokens/{alice_id}", **_bearer(bobs)).status_code == 404
    assert _me(Client(), alices) == 200


def test_logins_do_not_pile_up_live_tokens(web_db: str) -> None:
    services.create_account("tess", PASSWORD, "person")
    tokens = [_api_login("tess", PASSWORD).json()["token"] for _ in range(15)]  # type: ignore[attr-defined]
    assert ApiToken.objects.filter(user__username="tess").count() == settings.API_TOKENS_PER_USER
    assert _me(Client(), tokens[-1]) == 200
    assert _me(Client(), tokens[0]) == 401  # the oldest made room


def test_web_sign_out_revokes_api_tokens(web_db: str) -> None:
    services.create_account("lou", PASSWORD, "person")
    token = _api_login("lou", PASSWORD).json()["token"]  # type: ignore[attr-defined]
    browser = Client()
    assert browser.post("/login", {"username": "lou", "password": PASSWORD}).status_code == 302
    assert _me(Client(), token) == 200
    browser.post("/logout")
    assert _me(Client(), token) == 401


def test_api_logout_revokes_every_token(alice: Client) -> None:
    user = alice.user  # type: ignore[attr-defined]
    one, two = services.issue_token(user), services.issue_token(user)
    answer = Client().post("/api/v1/auth/logout", **_bearer(one))
    assert answer.status_code == 200 and answer.json() == {"tokens_revoked": 2}
    assert _me(Client(), one) == 401 and _me(Client(), two) == 401


def test_password_change_revokes_tokens_and_other_sessions(web_db: str) -> None:
    services.create_account("max", PASSWORD, "person")
    token = _api_login("max", PASSWORD).json()["token"]  # type: ignore[attr-defined]
    here, there = Client(), Client()
    for browser in (here, there):
        assert browser.post("/login", {"username": "max", "password": PASSWORD}).status_code == 302
    changed = here.post(
        "/account/password",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302, changed.content
    assert here.get(changed["Location"]).status_code == 200
    assert _me(Client(), token) == 401
    assert there.get("/me").status_code == 302  # the other browser was signed out
    assert here.get("/me").status_code == 200  # the one that changed it stays in
    assert SessionRecord.objects.filter(user__username="max").count() == 1


# --- lock-out and spraying ---


def test_one_username_from_forty_addresses_is_stopped(web_db: str) -> None:
    services.create_account("vic", PASSWORD, "person")
    answers = [
        _api_login("vic", f"guess number {i}", address=f"10.0.{i}.1").status_code  # type: ignore[attr-defined]
        for i in range(40)
    ]
    # django-axes answers the failure that reaches the limit with the lock-out itself.
    assert answers.count(401) == settings.AXES_FAILURE_LIMIT - 1
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    # Even the right password, from a new address, waits for the cool-off.
    assert _api_login("vic", PASSWORD, address="10.9.9.9").status_code == 429  # type: ignore[attr-defined]


def test_one_password_sprayed_across_usernames_and_addresses_is_stopped(web_db: str) -> None:
    for i in range(40):
        services.create_account(f"user{i}", f"{PASSWORD} {i}", "person")
    sprayed = "Winter is coming 2026"
    answers = [
        _api_login(f"user{i}", sprayed, address=f"10.1.{i}.1").status_code  # type: ignore[attr-defined]
        for i in range(40)
    ]
    assert answers.count(401) == settings.SPRAY_FAILURE_LIMIT - 1
    assert set(answers[settings.SPRAY_FAILURE_LIMIT - 1 :]) == {429}
    # The store holds keyed hashes, never the password.
    assert FailedPassword.objects.exists()
    assert not FailedPassword.objects.filter(digest__icontains="winter").exists()
    # Other people's own passwords still work.
    assert _api_login("user39", f"{PASSWORD} 39", address="10.2.0.1").status_code == 200  # type: ignore[attr-defined]


def test_one_address_against_many_usernames_is_stopped(web_db: str) -> None:
    answers = [
        Client()
        .post("/login", {"username": f"nobody{i}", "password": f"pw {i}"}, REMOTE_ADDR="10.3.0.1")
        .status_code
        for i in range(10)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [401] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}


def test_locked_api_client_gets_json_429_and_pages_get_html(web_db: str) -> None:
    services.create_account("wes", PASSWORD, "person")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _api_login("wes", f"nope {i}")
    locked = _api_login("wes", PASSWORD)
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert locked["Content-Type"].startswith("application/json")  # type: ignore[index]
    assert locked.json()["detail"].startswith("too many failed")  # type: ignore[attr-defined]
    assert int(locked["Retry-After"]) > 0  # type: ignore[index]
    page = Client().post("/login", {"username": "wes", "password": PASSWORD})
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert "Too many attempts" in page.content.decode()


# --- sessions ---


def test_idle_browser_is_signed_out(alice: Client) -> None:
    assert alice.get("/me").status_code == 200
    session = alice.session
    session[LAST_SEEN_KEY] = int(timezone.now().timestamp()) - settings.IDLE_SECONDS - 5
    session.save()
    response = alice.get("/me")
    assert response.status_code == 302 and response["Location"].endswith("/login?idle=1")
    assert alice.get("/me").status_code == 302  # really signed out
    assert "left unused" in alice.get("/login?idle=1").content.decode()


def test_idle_api_session_gets_json_401(alice: Client) -> None:
    alice.get("/me")
    session = alice.session
    session[LAST_SEEN_KEY] = int(timezone.now().timestamp()) - settings.IDLE_SECONDS - 5
    session.save()
    answer = alice.get("/api/v1/diary/entries")
    assert answer.status_code == 401 and answer["Content-Type"].startswith("application/json")


def test_people_see_and_end_their_sessions(web_db: str) -> None:
    services.create_account("ida", PASSWORD, "person")
    phone = Client(HTTP_USER_AGENT="Phone browser 1.0")
    laptop = Client(HTTP_USER_AGENT="Laptop browser 2.0")
    for browser in (phone, laptop):
        browser.post("/login", {"username": "ida", "password": PASSWORD})
    page = laptop.get("/account/sessions").content.decode()
    assert "This browser" in page and "Phone browser 1.0" in page
    phone_record = SessionRecord.objects.get(browser__startswith="Phone")
    assert laptop.post("/account/sessions", {"end": phone_record.pk}).status_code == 302
    assert phone.get("/me").status_code == 302
    assert laptop.get("/me").status_code == 200
    # The same through the API, with a token.
    token = services.issue_token(SessionRecord.objects.get(browser__startswith="Laptop").user)
    listed = Client().get("/api/v1/auth/sessions", **_bearer(token)).json()
    assert [s["browser"] for s in listed] == ["Laptop browser 2.0"]
    # Nobody ends someone else's session.
    other = make_client("stranger")
    laptop_record = SessionRecord.objects.get(browser__startswith="Laptop")
    other.post("/account/sessions", {"end": laptop_record.pk})
    theirs = services.issue_token(other.user)  # type: ignore[attr-defined]
    refused = Client().delete(f"/api/v1/auth/sessions/{laptop_record.pk}", **_bearer(theirs))
    assert refused.status_code == 404
    assert laptop.get("/me").status_code == 200
    ended = Client().delete(f"/api/v1/auth/sessions/{laptop_record.pk}", **_bearer(token))
    assert ended.status_code == 204
    assert laptop.get("/me").status_code == 302


# --- clinicians ---


def _share_with(owner: Client, clinician: Client) -> None:
    page = owner.post("/me/sharing", {"label": "x"}).content.decode()
    code = page.split('id="share-code">')[1].split("<")[0]
    assert clinician.post("/clinician/", {"code": code}).status_code == 302


def test_unverified_clinician_is_marked_where_people_see_them(
    alice: Client, doctor: Client
) -> None:
    _share_with(alice, doctor)
    doctor.get(f"/clinician/{services.profile_of(alice.user).pk}/")  # type: ignore[attr-defined]
    mark = "unverified clinician"
    assert mark in alice.get("/me/sharing").content.decode().split("Your codes")[1]
    assert mark in alice.get("/me/audit").content.decode()
    token = services.issue_token(alice.user)  # type: ignore[attr-defined]
    assert Client().get("/api/v1/shares", **_bearer(token)).json()[0]["clinician_verified"] is False
    assert Client().get("/api/v1/audit", **_bearer(token)).json()[0]["who_verified"] is False
    assert "not verified yet" in doctor.get("/clinician/").content.decode()

    call_command("verify_clinician", "drwho", "--note", "GMC 1234567")
    assert mark not in alice.get("/me/sharing").content.decode().split("Your codes")[1]
    assert mark not in alice.get("/me/audit").content.decode()
    assert Client().get("/api/v1/shares", **_bearer(token)).json()[0]["clinician_verified"] is True
    assert "not verified yet" not in doctor.get("/clinician/").content.decode()

    call_command("verify_clinician", "drwho", "--undo")
    assert mark in alice.get("/me/audit").content.decode()
    with pytest.raises(CommandError, match="not a clinician"):
        call_command("verify_clinician", "alice")
    with pytest.raises(CommandError, match="no account"):
        call_command("verify_clinician", "nobody-at-all")


def test_admin_action_verifies_clinicians(doctor: Client) -> None:
    staff = make_client("staff")
    staff.user.is_staff = staff.user.is_superuser = True  # type: ignore[attr-defined]
    staff.user.save()  # type: ignore[attr-defined]
    staff.force_login(staff.user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[attr-defined]
    account = doctor.user.account  # type: ignore[attr-defined]
    response = staff.post(
        "/admin/web/account/",
        {"action": "verify_clinicians", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302
    assert services.is_verified_clinician(doctor.user)  # type: ignore[attr-defined]


def test_clinician_pages_need_two_step_sign_in_and_it_is_asked_at_sign_in(web_db: str) -> None:
    services.create_account("drz", PASSWORD, "clinician")
    browser = Client()
    assert browser.post("/login", {"username": "drz", "password": PASSWORD}).status_code == 302
    sent_away = browser.get("/clinician/")
    assert sent_away.status_code == 302 and "/account/two-factor" in sent_away["Location"]
    page = browser.get(sent_away["Location"]).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert secret is not None and "<svg" in page  # the QR code is drawn inline
    turned_on = browser.post(
        "/account/two-factor", {"code": pyotp.TOTP(secret[1]).now()}, follow=True
    )
    recovery = re.findall(r"<li>(\d{8})</li>", turned_on.content.decode())
    assert len(recovery) == 10
    assert browser.get("/clinician/").status_code == 200
    browser.post("/logout")

    # The next sign-in asks for the code; a wrong one is refused, a recovery code works once.
    step = browser.post("/login", {"username": "drz", "password": PASSWORD})
    assert step.status_code == 302 and step["Location"].endswith("/login/code")
    assert browser.get("/clinician/").status_code == 302  # not signed in yet
    wrong = browser.post("/login/code", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert browser.post("/login/code", {"code": recovery[0]}).status_code == 302
    assert browser.get("/clinician/").status_code == 200
    assert not twofactor.use_recovery_code(browser.get("/me").wsgi_request.user, recovery[0])


def test_changing_two_step_sign_in_asks_for_the_password_unless_just_typed(
    doctor: Client,
) -> None:
    # The doctor fixture's browser was signed in without typing a password.
    page = doctor.get("/account/two-factor", follow=True)
    assert page.redirect_chain[-1][0].startswith("/account/confirm-password?next=")
    assert "Confirm it is you" in page.content.decode()
    wrong = doctor.post(page.redirect_chain[-1][0], {"password": "not it"})
    assert b"aria-invalid" in wrong.content
    turned_off = doctor.post(page.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert "Turn two-step sign-in off" in turned_off.content.decode()
    doctor.post("/account/two-factor/off")
    assert not twofactor.has_second_factor(doctor.user)  # type: ignore[attr-defined]
    assert doctor.get("/clinician/").status_code == 302  # and the clinician pages close


def test_two_step_secrets_are_encrypted_and_move_to_a_new_key(
    doctor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allauth.mfa.models import Authenticator
    from cryptography.fernet import Fernet

    from nightspine.storage import keys

    old = settings.NOTES_KEY
    user = doctor.user  # type: ignore[attr-defined]
    Authenticator.objects.filter(user_id=user.pk).delete()
    pending = twofactor.start_setup(user)
    codes = twofactor.confirm_setup(user, pyotp.TOTP(pending).now())
    assert codes is not None
    stored = str(Authenticator.objects.filter(user_id=user.pk).values_list("data", flat=True))
    assert pending not in stored and not any(c in stored for c in codes)
    new = Fernet.generate_key().decode()
    monkeypatch.setattr(settings, "NOTES_KEY", f"{new},{old}")
    assert keys.re_encrypt()["sign-in secrets"] == 2  # the TOTP key and the codes' seed
    monkeypatch.setattr(settings, "NOTES_KEY", new)  # the old key is gone
    assert twofactor.recovery_codes_left(user) == 10
    assert twofactor.check_second_step(user, codes[0])


def test_second_step_guessing_is_locked_out_and_then_a_right_code_does_not_help(
    web_db: str,
) -> None:
    user = services.create_account("drq", PASSWORD, "clinician")
    secret = twofactor.start_setup(user)
    codes = twofactor.confirm_setup(user, pyotp.TOTP(secret).now())
    assert codes is not None and twofactor.has_second_factor(user)
    browser = Client()
    assert browser.post("/login", {"username": "drq", "password": PASSWORD}).status_code == 302
    answers = [
        browser.post("/login/code", {"code": f"{i:06d}"}).status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[-1] == 429  # django-axes counts wrong codes as failed sign-ins
    browser.post("/login/code", {"code": codes[0]})
    assert browser.get("/clinician/").status_code == 302  # still not signed in
    assert Client().post("/login", {"username": "drq", "password": PASSWORD}).status_code == 429


# --- e-mail, reset, recovery codes ---


def test_signup_shows_the_privacy_notice(anon: Client) -> None:
    page = anon.get("/signup").content.decode()
    for words in ("What we store", "Who can see it", "How to delete it"):
        assert words in page


def test_email_is_verified_then_password_reset_by_email(anon: Client) -> None:
    mail.outbox.clear()
    created = anon.post(
        "/signup",
        {"username": "rosa", "password": PASSWORD, "role": "person", "email": "rosa@example.org"},
    )
    assert created.status_code == 302
    token = services.issue_token(created.wsgi_request.user)
    anon.post("/logout")
    # Not verified yet: a reset request sends nothing (and says the same as for anyone).
    assert anon.post("/password-reset", {"email": "rosa@example.org"}).status_code == 302
    assert len(mail.outbox) == 1  # only the verification mail
    link = re.search(r"https?://\S+(/account/email/confirm/\S+)", mail.outbox[0].body)
    assert link is not None
    assert "Confirm this address" in anon.get(link[1]).content.decode()  # a GET changes nothing
    assert not EmailAddress.objects.get(user__username="rosa").verified
    assert "is confirmed" in anon.post(link[1], follow=True).content.decode()
    assert EmailAddress.objects.get(user__username="rosa").verified

    assert anon.post("/password-reset", {"email": "ROSA@example.org"}).status_code == 302
    assert len(mail.outbox) == 2
    reset = re.search(r"https?://\S+(/password-reset/key/\S+)", mail.outbox[1].body)
    assert reset is not None
    form = anon.get(reset[1], follow=True)
    assert "Choose a new password" in form.content.decode()
    done = anon.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert _me(Client(), token) == 401  # the reset ended the API tokens
    assert anon.post("/login", {"username": "rosa", "password": PASSWORD}).status_code == 401
    assert anon.post("/login", {"username": "rosa", "password": NEW_PASSWORD}).status_code == 302


def test_bad_email_at_signup_keeps_what_was_typed(anon: Client) -> None:
    response = anon.post(
        "/signup", {"username": "sam", "password": PASSWORD, "role": "person", "email": "sam@"}
    )
    assert response.status_code == 422
    assert 'value="sam@"' in response.content.decode()
    assert not services.role_of(response.wsgi_request.user)


def _summary_takes_the_focus_and_links_to_fields(page: str) -> list[str]:
    """The error summary is focused on load (autofocus, tabindex=-1, like the app's other
    forms) and each of its links leads to a field on the page; the links' targets."""
    summary = re.search(r'<div class="error-summary" id="error-summary"([^>]*)>(.*?)</div>', page)
    assert summary is not None, page
    assert 'tabindex="-1" autofocus' in summary[1]
    targets = re.findall(r'href="#([^"]+)"', summary[2])
    for target in targets:
        assert re.search(rf'<(input|select|textarea)[^>]* id="{target}"', page), target
    return targets


def test_error_summaries_of_the_account_forms_take_the_focus_and_keep_what_was_typed(
    alice: Client, doctor: Client
) -> None:
    anon = Client()
    page = anon.post("/login", {"username": "alice", "password": "not it"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-password"]
    assert 'value="alice"' in page and "not it" not in page  # never the password
    page = anon.post("/password-reset", {"email": "rosa@"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["id_email"]
    assert 'value="rosa@"' in page
    form = {"username": "alice", "code": "1234-typo", "password": NEW_PASSWORD}
    page = anon.post("/login/recover", form).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-code"]
    assert 'value="alice"' in page and 'value="1234-typo"' in page
    assert NEW_PASSWORD not in page

    page = alice.post("/account/email", {"email": "alice@example"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-email"]
    assert 'value="alice@example"' in page
    form = {"old_password": "not it", "new_password1": "x", "new_password2": "y"}
    page = alice.post("/account/password", form).content.decode()
    assert "id_old_password" in _summary_takes_the_focus_and_links_to_fields(page)
    page = alice.post("/account", {"password": PASSWORD}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["del-confirm"]

    services.create_account("drq", PASSWORD, "clinician")
    clinician = Client()
    clinician.post("/login", {"username": "drq", "password": PASSWORD})
    page = clinician.post("/account/two-factor", {"code": "000000"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-code"]
    confirm = doctor.get("/account/two-factor", follow=False)["Location"]
    page = doctor.post(confirm, {"password": "not it"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-password"]
    doctor.post("/logout")
    assert doctor.post("/login", {"username": "drwho", "password": PASSWORD}).status_code == 302
    page = doctor.post("/login/code", {"code": "000000"}).content.decode()
    assert _summary_takes_the_focus_and_links_to_fields(page) == ["in-code"]


def test_account_page_says_plainly_when_there_are_no_recovery_codes_yet(alice: Client) -> None:
    page = alice.get("/account").content.decode()
    assert "0 unused" not in page
    assert "Recovery codes: you have none yet." in page
    assert '<a href="/account/recovery-codes">Make recovery codes</a>' in page
    assert (
        "You have no recovery codes yet." in alice.get("/account/recovery-codes").content.decode()
    )
    alice.post("/account/recovery-codes")
    assert "Recovery codes</a>: 10 unused" in alice.get("/account").content.decode()


def test_recovery_code_sets_a_new_password_once(alice: Client) -> None:
    page = alice.post("/account/recovery-codes").content.decode()
    codes = re.findall(r"<li>(\d{8})</li>", page)
    assert len(codes) == 10
    form = {"username": "alice", "code": f" {codes[3]} ", "password": NEW_PASSWORD}
    assert Client().post("/login/recover", form).status_code == 200
    assert (
        Client().post("/login", {"username": "alice", "password": NEW_PASSWORD}).status_code == 302
    )
    again = Client().post("/login/recover", {**form, "password": "yet another passphrase"})
    assert again.status_code == 422


def test_recovery_code_guessing_is_locked_out(alice: Client) -> None:
    alice.post("/account/recovery-codes")
    guesser = Client()
    answers = [
        guesser.post(
            "/login/recover",
            {"username": "alice", "code": f"aaaaa-aaaa{i}", "password": NEW_PASSWORD},
        ).status_code
        for i in range(8)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [422] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}


# --- deletion forgets sign-in records ---


def test_deleting_an_account_removes_lockout_records_and_sessions(web_db: str) -> None:
    services.create_account("una", PASSWORD, "person")
    Client().post("/login", {"username": "una", "password": "wrong one"}, REMOTE_ADDR="10.4.0.1")
    elsewhere = Client()
    elsewhere.post("/login", {"username": "una", "password": PASSWORD})
    here = Client()
    here.post("/login", {"username": "una", "password": PASSWORD})
    keys = list(SessionRecord.objects.values_list("session_key", flat=True))
    assert len(keys) == 2 and Session.objects.filter(session_key__in=keys).count() == 2
    assert AccessLog.objects.filter(username__iexact="una").exists()
    # What a later failure leaves (the success above reset the attempts; the failure log is
    # off by default): the records the deletion must remove.
    AccessAttempt.objects.create(username="una", ip_address="10.4.0.1", failures_since_start=1)
    AccessFailureLog.objects.create(username="Una", ip_address="10.4.0.1", user_agent="x")

    assert here.post("/account", {"password": PASSWORD, "confirm": "delete"}).status_code == 200
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username__iexact="una").exists(), model.__name__
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not SessionRecord.objects.exists()
    assert elsewhere.get("/me").status_code == 302


# --- files readable by their owner only ---


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_and_key_files_are_owner_only(tmp_path: Path) -> None:
    from nightspine.storage.database import prepare_sqlite_folder

    old = os.umask(0o022)
    try:
        data = tmp_path / "data"
        keys = Settings(data_dir=data)
        keys.resolved_secret_key()
        keys.resolved_notes_key()
        assert _mode(data) == 0o700
        assert _mode(data / "secret_key") == 0o600
        assert _mode(data / "notes_key") == 0o600
        database = tmp_path / "db" / "nightspine.sqlite3"
        prepare_sqlite_folder({"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)})
        assert _mode(database.parent) == 0o700
        assert _mode(database) == 0o600
        data.chmod(0o755)  # an older, world-readable folder is tightened at the next start
        make_private_dir(data)
        assert _mode(data) == 0o700
        database.chmod(0o644)  # an older, world-readable file is tightened at the next start
        prepare_sqlite_folder({"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)})
        assert _mode(database) == 0o600
    finally:
        os.umask(old)


def test_the_running_apps_database_is_owner_only(web_db: str) -> None:
    name = settings.DATABASES["default"]["NAME"]
    if not str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
        pytest.skip("file modes are the SQLite file's")
    assert _mode(Path(name)) == 0o600


def test_clear_sign_ins_forgets_expired_records(alice: Client) -> None:
    user = alice.user  # type: ignore[attr-defined]
    old, new = services.issue_token(user, "old"), services.issue_token(user, "new")
    ApiToken.objects.filter(user=user, name="old").update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    FailedPassword.objects.create(digest="x" * 64, at=timezone.now() - dt.timedelta(hours=2))
    FailedPassword.objects.create(digest="y" * 64)
    SessionRecord.objects.create(user=user, session_key="gone")
    for _ in range(2):  # safe to run twice
        out = io.StringIO()
        call_command("clear_sign_ins", stdout=out)
    assert "deleted 0 expired token(s)" in out.getvalue()
    assert list(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == ["new"]
    assert list(FailedPassword.objects.values_list("digest", flat=True)) == ["y" * 64]
    assert not SessionRecord.objects.filter(session_key="gone").exists()
    assert _me(Client(), old) == 401 and _me(Client(), new) == 200


def test_email_goes_to_the_console_until_an_smtp_host_is_set(tmp_path: Path) -> None:
    console = "django.core.mail.backends.console.EmailBackend"
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert Settings(data_dir=tmp_path).resolved_email_backend() == console
    assert (
        Settings(data_dir=tmp_path, email_host="mail.example.org").resolved_email_backend() == smtp
    )
    chosen = Settings(data_dir=tmp_path, email_host="x", email_backend=console)
    assert chosen.resolved_email_backend() == console
