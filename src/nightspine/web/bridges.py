"""The other features the web app shows: insights, the PDF report and the exports, each built
by its own package exactly as the command line builds it. Notes come from the web app's
encrypted store, so exports stay lossless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache

from nightspine.diary.entry import DiaryEntry
from nightspine.diary.fileio import to_csv
from nightspine.insights import Insights, analyze
from nightspine.storage.models import Profile

INSIGHTS_CACHE_SECONDS = 24 * 3600
"""How long a person's computed insights are kept; any change of the diary starts afresh."""


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class Diary:
    """A person's entries, read once per request, and the stamp of their last change."""

    stamp: str
    entries: list[DiaryEntry]


def diary_stamp(profile: Profile) -> str:
    """Changes with every write to the profile's diary (one indexed aggregate query).

    Any write adds or removes an entry (the count changes) or saves one, which sets its
    ``updated_at`` to now (the latest changes), whichever path wrote it: web, API, command line,
    import or sensors.
    """
    from django.db.models import Count, Max

    from nightspine.storage.models import DiaryEntry as Row

    seen = Row.objects.filter(profile=profile).aggregate(n=Count("id"), last=Max("updated_at"))
    last = seen["last"].isoformat() if seen["last"] else "-"
    return f"{seen['n']}@{last}"


def read_diary(profile: Profile) -> Diary:
    """The stamp first, then the entries: a write in between can only make the cache miss."""
    from nightspine.web import services

    stamp = diary_stamp(profile)
    return Diary(stamp, services.list_entries(profile))


def insights(profile: Profile) -> Insights:
    """The insights of the profile's diary, computed once per change of the diary."""
    return insights_page(profile).insights or analyze([])


@dataclass(frozen=True)
class InsightsPage:
    """What the insights page shows: None before the first entry."""

    insights: Insights | None
    chart_svg: str
    nights: int


def insights_page(profile: Profile) -> InsightsPage:
    """The insights and the chart of the whole diary, made once per change of the diary (the
    cache key holds the profile and the diary's stamp, so a view never reads a stale one)."""
    from nightspine.web.charts import pain_chart_svg

    stamp = diary_stamp(profile)  # before the entries: a write in between only misses
    key = f"nightspine:insights:{profile.pk}:{stamp}"
    found = cache.get(key)
    if isinstance(found, InsightsPage):
        return found
    entries = read_diary(profile).entries
    page = InsightsPage(
        analyze(entries) if entries else None, pain_chart_svg(entries), len(entries)
    )
    cache.set(key, page, INSIGHTS_CACHE_SECONDS)
    return page


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
