"""Background tasks of the web app (Django's tasks framework, through the django-tasks backport).

The work itself lives in :mod:`nightspine.storage.recordings`, shared with the command line;
this module only makes it a task. ``nightspine serve`` runs a worker (see
:mod:`nightspine.web.worker`); tests run tasks at once with the immediate backend.
"""

from __future__ import annotations

from django_tasks import task

from nightspine.storage.recordings import process_upload


@task()
def process_upload_task(upload_id: int) -> str:
    """Analyse an uploaded recording and fill the person's diary; returns the final status."""
    return process_upload(upload_id)


__all__ = ["process_upload_task"]
