"""The lossless JSON export: everything a profile holds, in one versioned document (pure).

``nightspine export --format json`` writes :class:`ExportDocument` and ``nightspine import
--format json`` reads it back into an empty profile. Parsing reports every problem at once with
its place in the file (:class:`~nightspine.errors.InvalidInputError`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, Problem

FORMAT: Literal["nightspine-export"] = "nightspine-export"
FORMAT_VERSION = 1


class AssessmentRecord(BaseModel):
    """A stored assessment: when it was taken, the answers as given (JSON form) and the result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    taken_at: dt.datetime
    answers: dict[str, Any]
    result: Assessment | None = None
    knowledge_version: str = ""


class ExportDocument(BaseModel):
    """One profile's data. ``profile`` and ``experiments`` keep storage's own fields verbatim."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["nightspine-export"] = FORMAT
    version: int = FORMAT_VERSION
    exported_at: dt.datetime
    profile: dict[str, Any] = Field(default_factory=dict)
    entries: list[DiaryEntry] = Field(default_factory=list)
    assessments: list[AssessmentRecord] = Field(default_factory=list)
    experiments: list[dict[str, Any]] = Field(default_factory=list)

    def to_json_text(self) -> str:
        """The document as JSON text (UTF-8, stable key order, one field per line)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def read_export(data: str | bytes | Mapping[str, Any], *, where: str = "file") -> ExportDocument:
    """Parse an export (JSON text or an already-parsed mapping); every problem is reported."""
    if isinstance(data, str | bytes):
        try:
            parsed: Any = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInputError(
                [Problem(where, f"is not valid JSON ({exc}); expected a nightspine JSON export")],
                what="export",
            ) from exc
    else:
        parsed = dict(data)
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise InvalidInputError(
            [Problem(where, f'is not a nightspine export (no "format": "{FORMAT}")')],
            what="export",
        )
    if parsed.get("version") != FORMAT_VERSION:
        raise InvalidInputError(
            [
                Problem(
                    where,
                    f"export format version {parsed.get('version')!r} is not supported;"
                    f" this nightspine reads version {FORMAT_VERSION}",
                )
            ],
            what="export",
        )
    try:
        return ExportDocument.model_validate(parsed)
    except ValidationError as exc:
        problems = [
            Problem(f"{where}, " + ".".join(str(p) for p in err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise InvalidInputError(problems, what="export") from exc
