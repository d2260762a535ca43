"""The other features the web app shows: insights, the PDF report and the exports, each built
by its own package exactly as the command line builds it. Notes come from the web app's
encrypted store, so exports stay lossless.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError

from nightspine.diary.fileio import to_csv
from nightspine.errors import StorageError
from nightspine.insights import Insights, analyze
from nightspine.storage.models import Profile

log = logging.getLogger("nightspine.web")


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str


def _look_sql() -> str:
    """The diary's entry count and latest save, and the kept snapshot's stamp and sealed data,
    in one SELECT; the tables are named by their models, so a renamed table cannot go stale."""
    from nightspine.storage.models import DiaryEntry
    from nightspine.web.models import InsightsSnapshot

    entries, kept = DiaryEntry._meta.db_table, InsightsSnapshot._meta.db_table
    return f"""
SELECT (SELECT COUNT(*) FROM {entries} WHERE profile_id = %s),
       (SELECT MAX(updated_at) FROM {entries} WHERE profile_id = %s),
       (SELECT stamp FROM {kept} WHERE profile_id = %s),
       (SELECT sealed FROM {kept} WHERE profile_id = %s)
"""


def diary_stamp(profile: Profile) -> str:
    """Changes with every write to the profile's diary (one query; see ``_look``)."""
    return _look(profile)[0]


def _look(profile: Profile) -> tuple[str, dict[str, Any] | None]:
    """The diary's stamp now, and the kept snapshot if it was computed at that stamp (None if
    the diary changed since, it was never computed, or it was sealed with a key since retired,
    then it is computed again), read in one query (``_look_sql``): each round trip to the
    database costs a cached view as much as its work, more so on PostgreSQL.

    The stamp changes with every write to the diary: any write adds or removes an entry (the
    count changes) or saves one, which sets its ``updated_at`` to now (the latest changes),
    whichever path wrote it: web, API, command line, import or sensors.
    """
    from django.db import connection

    from nightspine.storage import crypto

    with connection.cursor() as cursor:  # plain SQL: the ORM took 4 ms of CPU to build it
        cursor.execute(_look_sql(), [profile.pk] * 4)
        n, last, kept_stamp, kept_sealed = cursor.fetchone()
    stamp = f"{n}@{last or '-'}"
    if kept_stamp != stamp or kept_sealed is None:
        return stamp, None
    try:
        found: dict[str, Any] = json.loads(crypto.decrypt_bytes(kept_sealed))
    except StorageError:
        return stamp, None
    return stamp, found


@dataclass(frozen=True)
class InsightsPage:
    """What the insights page shows: ``insights`` is None before the first entry."""

    insights: Insights | None
    chart_svg: str
    nights: int


def insights_json(profile: Profile) -> str:
    """The insights of the profile's diary as the API answers them (``Insights`` as JSON)."""
    return json.dumps(_snapshot(profile)["insights"])


def insights_page(profile: Profile) -> InsightsPage:
    """The insights and the pain chart of the latest nights (``insights.WINDOW_NIGHTS``);
    ``nights`` counts the whole diary."""
    found = _snapshot(profile)
    nights = int(found["nights"])
    result = Insights.model_validate(found["insights"]) if nights else None
    return InsightsPage(result, str(found["chart_svg"]), nights)


COMPUTING = threading.Lock()
"""One computation of insights at a time in a worker process. The work is CPU-bound, so threads
computing side by side under the GIL only finish later together; one after the other, the first
is served first, and a second view of the same changed diary finds the first one's result."""


def _snapshot(profile: Profile) -> dict[str, Any]:
    """The insights (as JSON data), the pain chart and the number of nights, computed once per
    change of the diary and kept sealed in the database for every worker process.

    The stamp is read before the entries, so a write in between only makes the next view
    compute again; never is a stale result served.
    """
    from nightspine.storage import crypto
    from nightspine.storage import repository as repo
    from nightspine.web.charts import pain_chart_svg
    from nightspine.web.models import InsightsSnapshot

    stamp, found = _look(profile)
    if found is not None:
        return found
    with COMPUTING:
        stamp, found = _look(profile)  # computed meanwhile by another view in this process
        if found is not None:
            return found
        # the latest nights insights analyse, and how many the whole diary holds: the cost of a
        # change does not grow with the diary's length
        entries, recorded = repo.insights_entries(profile)
        computed = {
            "insights": analyze(entries, recorded=recorded).model_dump(mode="json"),
            "chart_svg": pain_chart_svg(entries),
            "nights": recorded,
        }
        sealed = crypto.encrypt_bytes(json.dumps(computed).encode())
        try:
            InsightsSnapshot.objects.update_or_create(
                profile=profile, defaults={"stamp": stamp, "sealed": sealed}
            )
        except DatabaseError as exc:  # a full disk, say: shown all the same, computed again
            log.warning("insights not kept", extra={"error": type(exc).__name__})
    return computed


def export(profile: Profile, fmt: str) -> Download:
    """``fmt``: csv (the diary contract), json (everything, lossless), fhir (R4) or pdf."""
    from nightspine.report.transfer import collect, fhir_json
    from nightspine.web import services

    if fmt == "pdf":
        return Download(report_pdf(profile), "application/pdf", "nightspine-report.pdf")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    entries = services.list_entries(profile)
    if fmt == "csv":
        return Download(to_csv(entries).encode(), "text/csv; charset=utf-8", "nightspine-diary.csv")
    document = collect(profile, now=now).model_copy(update={"entries": entries})
    if fmt == "json":
        return Download(
            document.to_json_text().encode(), "application/json", "nightspine-export.json"
        )
    if fmt == "fhir":
        text = fhir_json(profile, document, now=now)
        return Download(text.encode(), "application/fhir+json", "nightspine-fhir.json")
    from nightspine.errors import NotFoundError

    raise NotFoundError(f"unknown format {fmt!r}; use csv, json, fhir or pdf")


def report_pdf(profile: Profile) -> bytes:
    """The PDF report for a clinician (page 1) and the person (page 2), as on the command line."""
    from nightspine.report.render import render_pdf
    from nightspine.report.transfer import report_content

    return render_pdf(report_content(profile, today=dt.date.today()))
