"""The lossless JSON export: everything a profile holds, in one versioned document (pure).

``nightspine export --format json`` writes :class:`ExportDocument` and ``nightspine import
--format json`` reads it back into an empty profile. Parsing reports every problem at once with
its place in the file (:class:`~nightspine.errors.InvalidInputError`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nightspine.assessment.result import Assessment
from nightspine.diary.entry import DiaryEntry
from nightspine.errors import InvalidInputError, Problem

FORMAT: Literal["nightspine-export"] = "nightspine-export"
FORMAT_VERSION = 2
"""Version 2 tells a list answered "none" (``[]``) from one not recorded (``null``)."""
READABLE_VERSIONS = (1, 2)
LIST_FIELDS = ("pain_locations", "medications")
"""The diary's list answers. Version 1 wrote ``[]`` for both "none" and never answered, so
reading a version 1 file takes ``[]`` as not recorded: nothing is claimed the person did not
say (the database migration ``0006_sealed_diary_values`` reads old rows the same way)."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProfileRecord(_Record):
    """Who the profile is: a name only if the person gave one, birth year and sex if given."""

    display_name: str = ""
    birth_year: int | None = None
    sex: str = ""


class AssessmentRecord(_Record):
    """A stored assessment: when it was made, the answers as given and the result (JSON)."""

    created_at: dt.datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    knowledge_version: str = ""
    knowledge_checksum: str = ""

    def assessment(self) -> Assessment:
        """The result as the core's :class:`Assessment`."""
        return Assessment.model_validate(self.result)

    @classmethod
    def of(cls, created_at: dt.datetime, answers: Mapping[str, Any], result: Assessment) -> Self:
        """A record of an assessment made now (answers as their JSON form)."""
        to_json = getattr(answers, "to_json", None)
        plain = to_json() if callable(to_json) else dict(answers)
        return cls(
            created_at=created_at,
            answers=plain,
            result=result.to_json(),
            knowledge_version=result.knowledge_version,
            knowledge_checksum=result.knowledge_checksum,
        )


class ExperimentRecord(_Record):
    """A stored one-change experiment: the change, its schedule, status and result."""

    change: str
    start_date: dt.date
    schedule: dict[str, Any] = Field(default_factory=dict)
    status: str = "planned"
    result: dict[str, Any] | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class ExportDocument(_Record):
    """Everything one profile holds, in one versioned document."""

    format: Literal["nightspine-export"] = FORMAT
    version: int = FORMAT_VERSION
    exported_at: dt.datetime
    profile: ProfileRecord = Field(default_factory=ProfileRecord)
    entries: list[DiaryEntry] = Field(default_factory=list)
    assessments: list[AssessmentRecord] = Field(default_factory=list)
    experiments: list[ExperimentRecord] = Field(default_factory=list)

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
    if parsed.get("version") not in READABLE_VERSIONS:
        raise InvalidInputError(
            [
                Problem(
                    where,
                    f"export format version {parsed.get('version')!r} is not supported;"
                    f" this nightspine reads versions "
                    f"{', '.join(str(v) for v in READABLE_VERSIONS)}",
                )
            ],
            what="export",
        )
    if parsed["version"] == 1:
        parsed = _from_version_1(parsed)
    try:
        return ExportDocument.model_validate(parsed)
    except ValidationError as exc:
        problems = [
            Problem(f"{where}, " + ".".join(str(p) for p in err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise InvalidInputError(problems, what="export") from exc


def _from_version_1(parsed: dict[str, Any]) -> dict[str, Any]:
    """A version 1 document as version 2: its empty lists were never a recorded "none"."""
    entries = parsed.get("entries")
    if not isinstance(entries, list):
        return {**parsed, "version": FORMAT_VERSION}
    upgraded = [
        {k: (None if k in LIST_FIELDS and v == [] else v) for k, v in e.items()}
        if isinstance(e, dict)
        else e
        for e in entries
    ]
    return {**parsed, "version": FORMAT_VERSION, "entries": upgraded}
