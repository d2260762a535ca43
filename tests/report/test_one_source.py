"""One source for every clinical sentence: the PDF's clinician page, the web's clinician page and
the terminal's Markdown all say what the assessment's for-your-doctor summary says, word for word,
and none of it speaks to the person ("you", "your") — a clinician reads it.

Run over every vignette of the assessment's test sets, so a report that words a fact anew (or a
knowledge-base title written to the person) fails here."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import report_simulation as sim
import yaml
from pypdf import PdfReader

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.doctor import clinical_title
from nightspine.assessment.engine import assess
from nightspine.assessment.markdown import assessment_markdown
from nightspine.assessment.result import Assessment, Contributor
from nightspine.insights import analyze
from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ReportContent, build_report
from nightspine.report.render import render_pdf

KB = load_knowledge()
DATA = Path(__file__).resolve().parents[1] / "assessment" / "data"
SETS = ("vignettes-public.yaml", "vignettes-extra.yaml", "vignettes-guidelines-v2.yaml")
VIGNETTES: list[dict[str, Any]] = [
    v for name in SETS for v in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
]
YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
NOT_ON_THE_PAGE = ("Patient:", "nightspine triage", "Conditions to rule out:")
"""Summary lines the PDF shows in its own form: the person in the header, the level in its box,
the concerns as headings (each is the same object, not a rewording)."""


def _both(vignette: dict[str, Any]) -> tuple[Assessment, ReportContent]:
    answers = validate_answers(vignette["answers"])
    result = assess(answers, KB)
    report = build_report(
        knowledge=KB, made_on=dt.date(2026, 12, 6), answers=answers, assessment=result
    )
    return result, report


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_the_report_says_what_the_summary_says(vignette: dict[str, Any]) -> None:
    result, report = _both(vignette)
    said, page = result.for_your_doctor, report.clinician
    assert page.triage is not None and page.warning_signs is not None
    shown = [fact.line for fact in page.pattern]
    if page.triage.likely_contributors is not None:
        shown.append(page.triage.likely_contributors.line)
    assert shown == [line for line in said.summary if not line.startswith(NOT_ON_THE_PAGE)]
    assert [fact.line for fact in page.history] == said.history
    assert page.tried == said.tried  # no diary, no experiments: only what was answered
    assert page.warning_signs.reported == said.warning_signs_reported
    assert page.warning_signs.denied == said.warning_signs_denied
    assert {c.title for c in page.concerns} == {c.title for c in result.concerns}
    markdown = assessment_markdown(result, vignette["answers"], KB)
    for line in said.summary:  # the terminal prints the same lines
        assert f"- {line}\n" in markdown, line


def _clinician_text(result: Assessment, report: ReportContent) -> list[str]:
    said, page = result.for_your_doctor, report.clinician
    assert page.triage is not None
    texts = [*said.summary, *said.history, *said.tried]
    texts += [*said.warning_signs_reported, *said.warning_signs_denied]
    texts += [page.triage.meaning, *page.triage.reasons]
    texts += [f.line for f in (*page.pattern, *page.history)]
    for concern in page.concerns:
        texts += [concern.title, *concern.reasons, *(f.line for f in concern.raised_by)]
    return texts


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_clinician_text_does_not_speak_to_the_person(vignette: dict[str, Any]) -> None:
    result, report = _both(vignette)
    spoken = [t for t in _clinician_text(result, report) if YOU.search(t)]
    assert spoken == [], vignette["id"]


def test_every_contributor_has_a_clinical_name() -> None:
    for info in KB.contributors.values():
        name = clinical_title(KB, Contributor(id=info.id, title=info.title, score=0.5, because=[]))
        assert not YOU.search(name), (info.id, name)


def test_the_pdf_clinician_page_does_not_speak_to_the_person() -> None:
    stomach = next(v for v in VIGNETTES if v["id"] == "P01")  # a stomach sleeper
    answers = validate_answers(stomach["answers"])
    result = assess(answers, KB)
    entries = sim.entries()  # a year: the insights' trend and changes are on page 1 too
    report = build_report(
        knowledge=KB,
        made_on=dt.date(2026, 12, 6),
        answers=answers,
        assessment=result,
        entries=entries,
        insights=analyze(entries),
        experiments=sim.experiments(),
    )
    assert any("Sleeping on the stomach" in line for line in result.for_your_doctor.summary)
    page_one = PdfReader(io.BytesIO(render_pdf(report))).pages[0].extract_text()
    text = " ".join(page_one.split())
    assert "Sleeping on the stomach" in text and "Mornings have" in text
    assert YOU.findall(text) == []
