"""Recordings in the web app: upload, background processing, nights beside the diary.

Tasks run at once here (django-tasks' immediate backend); one test runs a task through the
database backend and its worker, as `nightspine serve` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from tests.web.recordings import Truth, phyphox_zip, sensor_logger_zip, write_night_cwa

from nightspine.storage import repository as repo
from nightspine.storage.models import DiaryEntry as DiaryRow
from nightspine.storage.models import Upload
from nightspine.web import services

pytestmark = pytest.mark.usefixtures("web_db")

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    path = tmp_path_factory.mktemp("upload") / "night.cwa"
    return path, write_night_cwa(path)


@pytest.fixture(autouse=True)
def immediate_tasks() -> Iterator[None]:
    with override_settings(TASKS=IMMEDIATE):
        yield


def _send(client: Client, name: str, content: bytes, placement: str = "chest") -> object:
    return client.post(
        "/me/recordings",
        {"recording": SimpleUploadedFile(name, content), "placement": placement},
    )


def _only_upload(client: Client) -> Upload:
    profile = services.profile_of(client.user)  # type: ignore[attr-defined]
    (upload,) = Upload.objects.filter(profile=profile)
    return upload


def test_upload_finds_the_night_and_fills_the_typed_entry(
    alice: Client, night: tuple[Path, Truth]
) -> None:
    path, truth = night
    (date, start_s, end_s, _) = truth.nights[0]
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    services.save_entry(profile, {"date": date, "pain_on_waking": 4, "sleep_position": "side"})

    response = _send(alice, "my night.cwa", path.read_bytes())
    upload = _only_upload(alice)
    assert response.status_code == 302
    assert response["Location"] == f"/me/recordings/{upload.pk}"
    assert upload.status == "done" and upload.progress_percent == 100
    assert upload.summary["filled"][0]["date"] == date.isoformat()
    stored = repo.get_entry(profile, date)
    assert stored.sleep_position == "side"  # typed: kept
    assert stored.pain_on_waking == 4
    assert stored.hours_slept == pytest.approx((end_s - start_s) / 3600, abs=0.25)
    assert (settings_dir := Path(upload.stored_path)).suffix == ".cwa"
    assert "uploads" in settings_dir.parts

    page = alice.get(response["Location"]).content.decode()
    assert f"Night before {date.day} {date:%b %Y}</h2>" in page  # the app's one date format
    assert "Most of the night: " in page and "of position" in page
    assert " on the back</li>" in page or " on the left side</li>" in page
    assert "Pain on waking: 4/10" in page  # the diary beside the measured night
    assert 'http-equiv="refresh"' not in page
    assert "my night.cwa" in alice.get("/me/recordings").content.decode()


def test_a_waiting_upload_shows_progress_in_a_status_region_without_meta_refresh(
    alice: Client,
) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    upload = Upload.objects.create(
        profile=profile,
        original_name="week.cwa",
        stored_path="uploads/x.cwa",
        size_bytes=10,
        status="running",
        progress_percent=10,
        stage="Reading the recording and finding the nights",
    )
    page = alice.get(f"/me/recordings/{upload.pk}").content.decode()
    assert 'http-equiv="refresh"' not in page  # axe-core: meta-refresh
    status_url = f"/me/recordings/{upload.pk}/status"
    assert f'role="status" aria-live="polite" id="progress" hx-get="{status_url}"' in page
    assert f'href="/me/recordings/{upload.pk}">Check again</a>' in page  # without JavaScript
    assert '<progress max="100" value="10"' in page
    assert "Reading the recording and finding the nights: 10%" in page

    # htmx polls the status: the region's new content while the work goes on ...
    upload.progress_percent, upload.stage = 60, "Finding the positions"
    upload.save()
    polled = alice.get(status_url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200
    assert "Finding the positions: 60%" in polled.content.decode()
    assert "<main" not in polled.content.decode()  # the fragment only
    # ... then a reload of the whole page once it is over (a plain request: the page itself)
    upload.status, upload.progress_percent = "done", 100
    upload.save()
    over = alice.get(status_url, HTTP_HX_REQUEST="true")
    assert over.status_code == 200 and over["HX-Refresh"] == "true"
    plain = alice.get(status_url)
    assert plain.status_code == 302 and plain["Location"] == f"/me/recordings/{upload.pk}"
    assert alice.get("/me/recordings/999999/status").status_code == 404


def test_too_large_is_refused_with_the_limit(
    alice: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGHTSPINE_UPLOAD_MAX_MB", "1")
    response = _send(alice, "big.cwa", b"\0" * (1024 * 1024 + 512))
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "the largest file this server accepts is 1 MB" in page
    assert "NIGHTSPINE_UPLOAD_MAX_MB" in page
    assert not Upload.objects.exists()


def test_announced_size_over_the_limit_is_refused_before_reading(
    alice: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGHTSPINE_UPLOAD_MAX_MB", "1")
    response = alice.post(
        "/me/recordings",
        {"recording": SimpleUploadedFile("big.cwa", b"\0" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 413
    assert "largest file this server accepts is 1 MB" in response.content.decode()
    assert not Upload.objects.exists()


def test_wrong_kind_of_file_is_refused(alice: Client) -> None:
    response = _send(alice, "holiday.jpg", b"\xff\xd8\xff")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "is not a recording nightspine reads" in response.content.decode()  # type: ignore[attr-defined]
    assert not Upload.objects.exists()


def test_no_file_says_to_choose_one(alice: Client) -> None:
    response = alice.post("/me/recordings", {"placement": "chest"})
    assert response.status_code == 400
    assert "choose the recording file" in response.content.decode()


def test_unreadable_file_gives_the_readers_message_and_changes_no_diary_row(
    alice: Client,
) -> None:
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    services.save_entry(profile, {"date": dt.date(2026, 3, 3), "pain_on_waking": 6})
    before = list(DiaryRow.objects.filter(profile=profile).values())

    response = _send(alice, "broken.cwa", b"MD this is not a CWA file at all" * 40)
    upload = _only_upload(alice)
    assert upload.status == "failed"
    assert "broken.cwa" in upload.error_message
    assert "/uploads/" not in upload.error_message  # the private path is never shown
    page = alice.get(response["Location"]).content.decode()  # type: ignore[index]
    assert "This file could not be read" in page
    assert "Nothing was written to your diary." in page
    assert upload.error_message.split(":")[0] in page
    assert list(DiaryRow.objects.filter(profile=profile).values()) == before


def test_a_failure_while_writing_leaves_the_diary_as_it_was(
    alice: Client, night: tuple[Path, Truth], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nightspine.errors import StorageError
    from nightspine.storage import recordings

    path, truth = night
    date = truth.nights[0][0]
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    services.save_entry(profile, {"date": date, "pain_on_waking": 2})
    before = list(DiaryRow.objects.filter(profile=profile).values())

    def broken_summary(*args: object, **kwargs: object) -> dict[str, object]:
        raise StorageError("the disk is full")  # after the entry was written

    monkeypatch.setattr(recordings, "upload_summary", broken_summary)
    _send(alice, "night.cwa", path.read_bytes())
    upload = _only_upload(alice)
    assert upload.status == "failed" and "the disk is full" in upload.error_message
    assert list(DiaryRow.objects.filter(profile=profile).values()) == before


def test_another_person_cannot_see_or_delete_it(
    alice: Client, bob: Client, night: tuple[Path, Truth]
) -> None:
    _send(alice, "alice.cwa", night[0].read_bytes())
    upload = _only_upload(alice)
    assert bob.get(f"/me/recordings/{upload.pk}").status_code == 404
    assert bob.post(f"/me/recordings/{upload.pk}/delete").status_code == 404
    assert bob.post(f"/me/recordings/{upload.pk}/again").status_code == 404
    assert "alice.cwa" not in bob.get("/me/recordings").content.decode()
    assert Upload.objects.filter(pk=upload.pk).exists()


def test_signed_out_and_clinicians_are_kept_out(anon: Client, doctor: Client) -> None:
    assert anon.get("/me/recordings").status_code == 302
    assert doctor.get("/me/recordings").status_code == 403


def test_fill_again_after_adding_the_entry(alice: Client, night: tuple[Path, Truth]) -> None:
    path, truth = night
    date = truth.nights[0][0]
    profile = services.profile_of(alice.user)  # type: ignore[attr-defined]
    _send(alice, "night.cwa", path.read_bytes())
    upload = _only_upload(alice)
    assert upload.summary["waiting"] == [date.isoformat()]
    page = alice.get(f"/me/recordings/{upload.pk}").content.decode()
    assert "No entry for this morning yet" in page
    services.save_entry(profile, {"date": date, "pain_on_waking": 3})
    alice.post(f"/me/recordings/{upload.pk}/again")
    upload.refresh_from_db()
    assert upload.status == "done" and upload.summary["waiting"] == []
    assert repo.get_entry(profile, date).hours_slept is not None


def test_delete_removes_the_file(alice: Client, night: tuple[Path, Truth]) -> None:
    from nightspine.config import Settings

    _send(alice, "night.cwa", night[0].read_bytes())
    upload = _only_upload(alice)
    stored = Settings().data_dir / upload.stored_path
    assert stored.is_file()
    assert alice.post(f"/me/recordings/{upload.pk}/delete").status_code == 302
    assert not stored.exists() and not Upload.objects.exists()


@pytest.mark.parametrize("app", ["Sensor Logger", "phyphox"])
def test_a_phone_export_gives_the_night(alice: Client, tmp_path: Path, app: str) -> None:
    """A phone app's zip export (made from its documented layout) shows the night and the gap."""
    path = (
        sensor_logger_zip(tmp_path / "phone.zip", "android")
        if app == "Sensor Logger"
        else phyphox_zip(tmp_path / "phone.zip")
    )
    response = _send(alice, "phone.zip", path.read_bytes())
    upload = _only_upload(alice)
    assert upload.status == "done", upload.error_message
    assert len(upload.summary["nights"]) == 1
    page = alice.get(response["Location"]).content.decode()  # type: ignore[index]
    assert f"1 night found in this {app} recording" in page
    assert "1 gap in the samples" in page


def test_a_phone_export_without_gravity_says_why(alice: Client, tmp_path: Path) -> None:
    path = phyphox_zip(tmp_path / "linear.zip", linear=True)
    _send(alice, "linear.zip", path.read_bytes())
    upload = _only_upload(alice)
    assert upload.status == "failed"
    assert upload.error_message.startswith("linear.zip")
    assert "with g" in upload.error_message


def test_the_database_backend_worker_runs_the_task(
    alice: Client, night: tuple[Path, Truth], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Queued in the database, then run by the worker `nightspine serve` starts."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker closes stale connections between tasks; here the test's own connection holds
    # the rolled-back transaction every web test runs in, so it must stay open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    from django_tasks_db.models import DBTaskResult

    from nightspine.web.tasks import process_upload_task

    with override_settings(TASKS=DATABASE):
        response = _send(alice, "queued.cwa", night[0].read_bytes())
        upload = _only_upload(alice)
        assert upload.status == "waiting"
        page = alice.get(response["Location"]).content.decode()  # type: ignore[index]
        assert "Check again" in page and "Waiting for its turn" in page
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        ).run()
        upload.refresh_from_db()
        assert upload.status == "done" and upload.summary["nights"]
        result = DBTaskResult.objects.get(args_kwargs__args=[upload.pk])
        assert result.task_path == process_upload_task.module_path
        assert result.status == "SUCCESSFUL" and result.return_value == "done"


def test_deleting_the_account_deletes_the_uploaded_files(
    alice: Client, night: tuple[Path, Truth]
) -> None:
    from django.test import TestCase

    from nightspine.config import Settings

    _send(alice, "night.cwa", night[0].read_bytes())
    stored = Settings().data_dir / _only_upload(alice).stored_path
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.delete_account(alice.user)  # type: ignore[attr-defined]
    assert not stored.exists() and not Upload.objects.exists()


# --- kept encrypted at rest (issue 13 §3) ------------------------------------------------------


def _stored(upload: Upload) -> Path:
    from nightspine.config import Settings

    return Settings().data_dir / upload.stored_path


def _windows(raw: bytes, width: int = 24, count: int = 40) -> list[bytes]:
    """Slices of the file spread over it, each long enough to be recognisable."""
    step = max(1, (len(raw) - width) // count)
    return [raw[i : i + width] for i in range(0, len(raw) - width, step)]


def test_the_kept_file_holds_no_recognisable_byte_of_the_recording(
    alice: Client, night: tuple[Path, Truth], tmp_path: Path
) -> None:
    from nightspine.storage import encrypted_files

    raw = night[0].read_bytes()
    _send(alice, "night.cwa", raw)
    kept = _stored(_only_upload(alice)).read_bytes()
    assert kept.startswith(encrypted_files.MAGIC)
    assert raw[:512] not in kept  # the CWA header block (device, session, times)
    assert not [w for w in _windows(raw) if w in kept]
    Upload.objects.all().delete()

    csv = b"time,x,y,z\n" + b"".join(
        f"2026-03-0{1 + i // 1000}T00:00:{i % 60:02d},0.98765,-0.12345,0.0{i:04d}\n".encode()
        for i in range(3000)
    )
    _send(alice, "plain.csv", csv)
    kept = _stored(_only_upload(alice)).read_bytes()
    for known in (b"time,x,y,z", b"0.98765", b"-0.12345", b"2026-03-0"):
        assert known not in kept, known
    Upload.objects.all().delete()

    phone = sensor_logger_zip(tmp_path / "phone.zip", "android")
    _send(alice, "phone.zip", phone.read_bytes())
    kept = _stored(_only_upload(alice)).read_bytes()
    assert b".csv" not in kept and b"PK\x03\x04" not in kept  # zip member names and headers


def test_processing_the_encrypted_file_gives_the_same_nights_as_the_plain_one(
    alice: Client, night: tuple[Path, Truth]
) -> None:
    from nightspine.sensors import analyze

    direct = [n.to_json() for n in analyze(night[0], "chest").nights]
    _send(alice, "night.cwa", night[0].read_bytes())
    upload = _only_upload(alice)
    assert upload.status == "done", upload.error_message
    assert upload.summary["nights"] == direct and len(direct) == 1


def test_files_are_the_owner_s_only_and_no_plain_copy_is_left(
    alice: Client, night: tuple[Path, Truth]
) -> None:
    import stat

    from nightspine.config import Settings

    _send(alice, "night.cwa", night[0].read_bytes())
    stored = _stored(_only_upload(alice))
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    work = Settings().upload_work_dir
    assert stat.S_IMODE(Settings().uploads_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
    assert list(work.iterdir()) == []  # the decrypted copy was deleted after reading


def test_a_rotated_key_still_reads_the_file_and_re_encrypt_moves_it_to_the_new_key(
    alice: Client, night: tuple[Path, Truth], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.fernet import Fernet
    from django.conf import settings

    from nightspine.storage import keys

    old = Fernet.generate_key().decode()
    monkeypatch.setattr(settings, "NOTES_KEY", old)
    _send(alice, "night.cwa", night[0].read_bytes())
    upload = _only_upload(alice)
    nights = upload.summary["nights"]
    before = _stored(upload).read_bytes()

    new = Fernet.generate_key().decode()
    monkeypatch.setattr(settings, "NOTES_KEY", f"{new},{old}")
    alice.post(f"/me/recordings/{upload.pk}/again")  # the old key still reads it
    upload.refresh_from_db()
    assert upload.status == "done" and upload.summary["nights"] == nights

    counts = keys.re_encrypt()
    assert counts["uploaded recording files"] == 1 and counts["Upload"] == 1
    after = _stored(upload).read_bytes()
    assert after != before and len(after) == len(before)
    monkeypatch.setattr(settings, "NOTES_KEY", new)  # the old key is gone
    upload.refresh_from_db()
    assert upload.summary["nights"] == nights  # the summary row was re-encrypted too
    alice.post(f"/me/recordings/{upload.pk}/again")
    upload.refresh_from_db()
    assert upload.status == "done", upload.error_message
    assert upload.summary["nights"] == nights


def test_a_file_kept_before_encryption_is_still_read_and_re_encrypt_encrypts_it(
    alice: Client, night: tuple[Path, Truth]
) -> None:
    from nightspine.storage import encrypted_files, keys

    _send(alice, "night.cwa", night[0].read_bytes())
    upload = _only_upload(alice)
    stored = _stored(upload)
    stored.write_bytes(night[0].read_bytes())  # as an older version kept it
    alice.post(f"/me/recordings/{upload.pk}/again")
    upload.refresh_from_db()
    assert upload.status == "done", upload.error_message
    keys.re_encrypt()
    assert encrypted_files.is_encrypted(stored)
    assert b"".join(encrypted_files.iter_decrypted(stored)) == night[0].read_bytes()
