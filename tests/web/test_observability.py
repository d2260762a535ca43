"""Request ids on every answer and log line; security events logged; the clean-up command."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nightspine.web import services
from nightspine.web.observability import LOGGING

pytestmark = pytest.mark.usefixtures("web_db")


def test_a_request_id_is_made_or_echoed(anon: Client) -> None:
    made = anon.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    assert anon.get("/healthz", HTTP_X_REQUEST_ID="proxy-42.a").headers["X-Request-ID"] == (
        "proxy-42.a"
    )
    bad = anon.get("/healthz", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b").headers["X-Request-ID"]
    assert bad != "x\r\nSet-Cookie: a=b" and len(bad) == 32


def test_every_log_line_is_json_with_the_request_id(anon: Client) -> None:
    import logging.config

    stream = io.StringIO()
    # dictConfig consumes the formatter's "()" key: configure a copy, never the setting itself
    config = copy.deepcopy(LOGGING)
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["json"]
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("nightspine")
    logger.addHandler(handler)
    try:
        anon.get("/healthz", HTTP_X_REQUEST_ID="trace-1")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines and all(line["request_id"] == "trace-1" for line in lines)
    request_line = next(line for line in lines if line["event"] == "request")
    assert request_line["status"] == 200 and request_line["path"] == "/healthz"


def test_share_revoke_view_and_export_are_security_events(
    alice: Client, doctor: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="nightspine.security")
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    share, code = services.create_share(profile, "GP")
    services.redeem_share(doctor.user, code)  # type: ignore[attr-defined]
    doctor.get(f"/clinician/{profile.pk}/")
    alice.get("/diary/export/csv")
    alice.post(f"/me/sharing/{share.pk}/revoke")
    events = [r.msg for r in caplog.records if r.name == "nightspine.security"]
    for event in ("share.created", "share.accepted", "clinician.view", "export", "share.revoked"):
        assert event in events


def test_clean_up_removes_expired_sessions_and_old_reminder_records(alice: Client) -> None:
    from django.contrib.sessions.models import Session

    from nightspine.storage.models import SentReminder

    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - dt.timedelta(days=1)
    )
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    old = SentReminder.objects.create(profile=profile, kind="morning", local_date=dt.date.today())
    SentReminder.objects.filter(pk=old.pk).update(sent_at=timezone.now() - dt.timedelta(days=60))
    out = io.StringIO()
    call_command("clean_up", stdout=out)
    assert "1 expired sessions removed" in out.getvalue()
    assert "1 old sent-reminder records removed" in out.getvalue()
    assert Session.objects.filter(session_key="old").count() == 0
    assert Session.objects.count() >= 1  # alice's live session stays
