"""Recordings into the diary: the one code path the command line and the web app share.

:func:`fill_diary` writes measured nights into the person's diary entries in one transaction
(``nightspine sensors import`` and the web upload both call it). The web upload keeps the file
encrypted in the private data folder (:func:`save_upload`, chunk by chunk, see
:mod:`nightspine.storage.encrypted_files`) and a worker runs :func:`process_upload`: decrypt a
copy for the readers, analyse, fill the diary and mark the upload done, or mark it failed with
the reader's own message and leave the diary untouched; the copy is deleted either way. The
encrypted file is kept so the person can fill the diary from it again after adding entries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from nightspine.config import Settings, make_private_dir
from nightspine.errors import InvalidInputError, NightspineError, NotFoundError, Problem
from nightspine.storage import encrypted_files
from nightspine.storage import repository as repo
from nightspine.storage.models import Profile, Upload

if TYPE_CHECKING:  # numpy and scipy load only when a recording is analysed
    from nightspine.sensors import Analysis

UPLOAD_SUFFIXES = (".cwa", ".bin", ".gt3x", ".csv", ".zip")
"""What the readers take: Axivity, GENEActiv, ActiGraph, CSV, and phone exports (.zip/.csv)."""

PLACEMENTS = ("chest", "back", "wrist")

STALE_COPY_S = 24 * 3600
"""A plain copy older than this was left by a killed process (reading takes minutes)."""


@dataclass
class ImportReport:
    """What :func:`fill_diary` did: per morning the fields written and the typed ones kept."""

    filled: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # nights without a typed entry yet


def fill_diary(profile: Profile, result: Analysis, *, replace: bool = False) -> ImportReport:
    """Fill the profile's diary entries from the measured nights (see ``sensors.diary``).

    All or nothing: the entries are written in one transaction, so an error leaves the diary
    as it was. Only mornings with an entry are filled (an entry needs the pain on waking,
    which no sensor measures); the others are listed in ``waiting``.
    """
    from nightspine.sensors.diary import measured_values, merge

    report = ImportReport()
    with transaction.atomic():
        for night in result.nights:
            entry = repo.find_entry(profile, night.date)
            if entry is None:
                report.waiting.append(night.date.isoformat())
                continue
            merged = merge(entry, measured_values(night), replace=replace)
            if merged.written:
                repo.save_entry(profile, merged.entry, replace=True)
            report.filled.append((night.date.isoformat(), merged.written, merged.kept))
    return report


# --- web uploads ------------------------------------------------------------------------------


def check_upload(name: str, size_bytes: int, settings: Settings | None = None) -> None:
    """Refuse a file the readers cannot take or that is over the size limit, saying why."""
    limit_mb = (settings or Settings()).upload_max_mb
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InvalidInputError(
            [
                Problem(
                    "recording",
                    f"{name!r} is not a recording nightspine reads; choose a .cwa (Axivity), "
                    ".bin (GENEActiv), .gt3x (ActiGraph) or .csv file, or a phone app's .zip "
                    "or .csv export (Sensor Logger, phyphox)",
                )
            ]
        )
    check_size(repr(name), size_bytes, limit_mb)


def check_size(shown: str, size_bytes: int, limit_mb: int | None = None) -> None:
    """Refuse a file over the size limit (``NIGHTSPINE_UPLOAD_MAX_MB``), saying what to do;
    ``shown`` names the file in the message."""
    if limit_mb is None:
        limit_mb = Settings().upload_max_mb
    if size_bytes > limit_mb * 1024 * 1024:
        raise InvalidInputError(
            [
                Problem(
                    "recording",
                    f"{shown} is {size_bytes / 1024 / 1024:,.1f} MB; the largest file this "
                    f"server accepts is {limit_mb:,} MB. Send a shorter stretch (a few nights) "
                    "or ask whoever runs it to raise NIGHTSPINE_UPLOAD_MAX_MB",
                )
            ]
        )


def save_upload(
    profile: Profile,
    name: str,
    chunks: Iterable[bytes],
    size_bytes: int,
    *,
    placement: str = "chest",
    settings: Settings | None = None,
) -> Upload:
    """Keep the file encrypted in the private data folder and record it, waiting to be
    processed (memory stays bounded whatever the size: it is encrypted chunk by chunk)."""
    chosen = settings or Settings()
    check_upload(name, size_bytes, chosen)
    if placement not in PLACEMENTS:
        raise InvalidInputError(
            [Problem("placement", f"{placement!r} is not one of {', '.join(PLACEMENTS)}")]
        )
    relative = Path("uploads") / str(profile.pk) / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    target = chosen.data_dir / relative
    make_private_dir(chosen.uploads_dir)
    make_private_dir(target.parent)
    written = encrypted_files.write_encrypted(target, chunks)
    try:
        check_upload(name, written, chosen)  # the size as received, not as announced
    except InvalidInputError:
        target.unlink(missing_ok=True)
        raise
    return Upload.objects.create(
        profile=profile,
        original_name=Path(name).name[:255],
        stored_path=relative.as_posix(),
        size_bytes=written,
        placement=placement,
        stage="Waiting for its turn",
    )


def list_uploads(profile: Profile) -> list[Upload]:
    return list(Upload.objects.filter(profile=profile))


def get_upload(profile: Profile, upload_id: int) -> Upload:
    """The profile's own upload; another person's is "not found", like a missing one."""
    upload = Upload.objects.filter(profile=profile, pk=upload_id).first()
    if upload is None:
        raise NotFoundError(f"there is no upload {upload_id} in your data")
    return upload


def requeue_upload(profile: Profile, upload_id: int) -> Upload:
    """Mark a finished upload to be processed again (the file is still kept)."""
    upload = get_upload(profile, upload_id)
    if upload.status in ("done", "failed"):
        upload.status = "waiting"
        upload.progress_percent = 0
        upload.stage = "Waiting for its turn"
        upload.error_message = ""
        upload.finished_at = None
        upload.save()
    return upload


def _progress(upload: Upload, percent: int, stage: str, status: str = "running") -> None:
    upload.progress_percent = percent
    upload.stage = stage
    upload.status = status
    upload.save(update_fields=["progress_percent", "stage", "status"])


def process_upload(upload_id: int, settings: Settings | None = None) -> str:
    """Analyse an upload and fill the diary from it; returns the final status.

    A file the readers cannot read ends as ``failed`` with their message (naming the file as
    the person sent it), and the diary is left exactly as it was.
    """
    from nightspine.sensors import analyze

    chosen = settings or Settings()
    upload = Upload.objects.select_related("profile").get(pk=upload_id)
    if upload.status in ("done", "failed"):
        return str(upload.status)
    stored = chosen.data_dir / upload.stored_path
    shown = str(stored)  # the path the readers see, replaced by the name the person sent
    _progress(upload, 10, "Reading the recording and finding the nights")
    try:
        work = chosen.upload_work_dir
        make_private_dir(chosen.uploads_dir)
        make_private_dir(work)
        encrypted_files.remove_stale_copies(work, STALE_COPY_S)
        suffix = Path(upload.stored_path).suffix
        with encrypted_files.plain_copy(stored, work, suffix) as readable:
            shown = str(readable)
            result = analyze(readable, upload.placement)
        _progress(upload, 80, "Writing the nights into your diary")
        with transaction.atomic():
            report = fill_diary(upload.profile, result)
            upload.summary = upload_summary(result, report, upload.original_name, shown)
            upload.status = "done"
            upload.progress_percent = 100
            upload.stage = "Done"
            upload.finished_at = dt.datetime.now(dt.UTC)
            upload.save()
    except NightspineError as exc:
        _fail(upload, str(exc).replace(shown, upload.original_name))
    except Exception:
        _fail(
            upload,
            f"{upload.original_name}: something went wrong while reading it; nothing was "
            "written to your diary. Try again, or send the file to whoever runs this server",
        )
        raise
    return str(upload.status)


def _fail(upload: Upload, message: str) -> None:
    upload.refresh_from_db(fields=["summary"])
    upload.status = "failed"
    upload.stage = "Could not be read"
    upload.error_message = message
    upload.finished_at = dt.datetime.now(dt.UTC)
    upload.save()


def upload_summary(
    result: Analysis, report: ImportReport, shown_name: str, stored: str
) -> dict[str, Any]:
    """What the page shows: the nights, naps, notes and which diary mornings were filled."""
    recording = result.recording.to_json()
    recording["path"] = shown_name
    return {
        "nights": [n.to_json() for n in result.nights],
        "naps": result.nap_json(),
        "notes": [str(note).replace(stored, shown_name) for note in result.notes],
        "placement": result.placement,
        "recording": recording,
        "filled": [{"date": d, "written": list(w), "kept": list(k)} for d, w, k in report.filled],
        "waiting": report.waiting,
    }


def rotate_upload_files(settings: Settings | None = None) -> int:
    """Re-encrypt every kept recording with the newest key (and encrypt any kept from before
    encryption); how many files. Part of ``nightspine keys re-encrypt``."""
    folder = (settings or Settings()).data_dir
    count = 0
    for relative in Upload.objects.values_list("stored_path", flat=True).iterator():
        path = folder / relative
        if path.is_file():
            encrypted_files.rotate_file(path)
            count += 1
    return count


def delete_upload(profile: Profile, upload_id: int, settings: Settings | None = None) -> None:
    """Forget an upload and delete its file (the diary values it filled stay)."""
    upload = get_upload(profile, upload_id)
    (((settings or Settings()).data_dir) / upload.stored_path).unlink(missing_ok=True)
    upload.delete()


def delete_files_on_commit(profile: Profile, settings: Settings | None = None) -> int:
    """Delete the profile's uploaded files once the current transaction commits (its rows go
    with the profile); a rollback keeps them. Returns how many files there are."""
    folder = (settings or Settings()).data_dir
    paths = [
        folder / p
        for p in Upload.objects.filter(profile=profile).values_list("stored_path", flat=True)
    ]

    def remove() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(remove)
    return len(paths)


__all__ = [
    "PLACEMENTS",
    "UPLOAD_SUFFIXES",
    "ImportReport",
    "check_size",
    "check_upload",
    "delete_files_on_commit",
    "delete_upload",
    "fill_diary",
    "get_upload",
    "list_uploads",
    "process_upload",
    "requeue_upload",
    "rotate_upload_files",
    "save_upload",
    "upload_summary",
]
