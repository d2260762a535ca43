"""The other features the web app shows: insights, the PDF report and the exports, each built
by its own package exactly as the command line builds it. Notes come from the web app's
encrypted store, so exports stay lossless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nightspine.diary.fileio import to_csv
from nightspine.insights import Insights, analyze
from nightspine.storage.models import Profile


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str


def insights(profile: Profile) -> Insights:
    from nightspine.web import services

    return analyze(services.list_entries(profile))


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
