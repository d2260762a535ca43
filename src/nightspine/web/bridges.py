"""The other features the web app shows (insights, report, export), called through one place."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from nightspine.diary.entry import CONTRACT_FIELDS, DiaryEntry
from nightspine.errors import NightspineError


class FeatureUnavailable(NightspineError):
    """A feature's package is not installed in this build."""


def insights(entries: Sequence[DiaryEntry]) -> dict[str, Any]:
    try:
        from nightspine.insights import analyze  # type: ignore[attr-defined]
    except ImportError as exc:
        raise FeatureUnavailable("insights are not available in this build") from exc
    result = analyze(list(entries))
    if hasattr(result, "to_json"):
        return dict(result.to_json())
    if hasattr(result, "model_dump"):
        return dict(result.model_dump(mode="json"))
    return dict(result)


def diary_csv(entries: Sequence[DiaryEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CONTRACT_FIELDS), lineterminator="\n")
    writer.writeheader()
    for e in entries:
        row: dict[str, str] = {}
        for name in CONTRACT_FIELDS:
            value = getattr(e, name)
            if value is None:
                row[name] = ""
            elif isinstance(value, bool):
                row[name] = "true" if value else "false"
            elif isinstance(value, tuple):
                row[name] = ";".join(value)
            else:
                row[name] = str(value)
        writer.writerow(row)
    return out.getvalue()


def diary_json(entries: Sequence[DiaryEntry], assessments: Sequence[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "entries": [e.model_dump(mode="json") for e in entries],
            "assessments": list(assessments),
        },
        indent=2,
    )


def fhir_bundle(entries: Sequence[DiaryEntry], assessments: Sequence[dict[str, Any]]) -> str:
    raise FeatureUnavailable("the FHIR export is not available in this build")


def report_pdf(entries: Sequence[DiaryEntry], assessments: Sequence[dict[str, Any]]) -> bytes:
    raise FeatureUnavailable("the PDF report is not available in this build")
