"""``nightspine report``, ``nightspine export`` and ``nightspine import``.

The report is a PDF for a clinician (page 1) and the person (page 2); the exports are FHIR R4,
the diary CSV and a lossless JSON document that ``import`` restores into an empty profile.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nightspine.cli.db import DbOption, open_profile
from nightspine.errors import InvalidInputError, Problem

console = Console(highlight=False)


class ExportFormat(StrEnum):
    fhir = "fhir"
    csv = "csv"
    json = "json"


class ImportFormat(StrEnum):
    json = "json"


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError([Problem(str(path), f"cannot be read: {exc.strerror}")]) from exc
    from nightspine.safe_yaml import YamlInputError, load

    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            [Problem(str(path), f"is not valid JSON: {exc.msg} (line {exc.lineno})")],
            what="answers",
        ) from None
    except YamlInputError as exc:
        raise InvalidInputError(
            [Problem(str(path), f"is not valid YAML we accept: {exc}")], what="answers"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInputError(
            [Problem(str(path), "expected a mapping of answer keys to values")], what="answers"
        )
    return data


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers", help="Assess these answers (JSON or YAML), not the saved ones."),
    ] = None,
    start: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First morning (YYYY-MM-DD)."),
    ] = None,
    end: Annotated[
        dt.datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last morning (YYYY-MM-DD)."),
    ] = None,
    no_person_page: Annotated[
        bool, typer.Option("--no-person-page", help="Only the clinician's page, not your plan.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Make the PDF report for your doctor: one page for them, one for you."""
    from nightspine.assessment.answers import validate_answers
    from nightspine.report.render import write_pdf
    from nightspine.report.transfer import report_content

    first = start.date() if start else None
    last = end.date() if end else None
    if first and last and first > last:
        raise InvalidInputError([Problem("--from", f"{first} is after --to {last}")])
    given = validate_answers(_read_answers(answers_file)) if answers_file is not None else None
    content = report_content(
        open_profile(db),
        start=first,
        end=last,
        today=dt.date.today(),
        answers=given,
        person_page=not no_person_page,
    )
    write_pdf(content, out)
    period = f"{content.period_start} to {content.period_end}, " if content.period_start else ""
    console.print(f"Wrote {out} ({period}{content.nights} mornings).", markup=False)


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="fhir, csv or json.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.")],
    db: DbOption = None,
) -> None:
    """Export your data: FHIR R4 for health records, the diary as CSV, or everything as JSON."""
    from nightspine.report.transfer import collect, fhir_json

    profile = open_profile(db)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    document = collect(profile, now=now)
    if fmt is ExportFormat.json:
        data = document.to_json_text().encode()
    elif fmt is ExportFormat.fhir:
        data = fhir_json(profile, document, now=now).encode()
    else:
        from nightspine.diary.fileio import to_csv

        data = to_csv(document.entries).encode()
    _write(out, data)
    console.print(
        f"Wrote {out} ({len(document.entries)} diary entries, "
        f"{len(document.assessments)} assessments, {fmt.value}).",
        markup=False,
    )


def import_(
    file: Annotated[Path, typer.Argument(help="A JSON export made by `nightspine export`.")],
    fmt: Annotated[ImportFormat, typer.Option("--format", help="json (the only one).")] = (
        ImportFormat.json
    ),
    db: DbOption = None,
) -> None:
    """Restore a JSON export into an empty profile, exactly as it was exported."""
    from nightspine.report.exchange import read_export
    from nightspine.report.transfer import restore

    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InvalidInputError([Problem(str(file), f"cannot be read: {exc.strerror}")]) from exc
    document = read_export(raw, where=str(file))
    profile = open_profile(db)
    restore(profile, document)
    console.print(
        f"Imported {len(document.entries)} diary entries, {len(document.assessments)}"
        f" assessments and {len(document.experiments)} experiments from {file}.",
        markup=False,
    )
