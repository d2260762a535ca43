"""The PDF: pages, the key facts in its text, the knowledge version on every page, a PNG preview."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ChartData, ReportContent
from nightspine.report.render import render_pdf, render_png_pages

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def year_pdf(year_report: ReportContent) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(year_report)))


def _text(page_text: str) -> str:
    return " ".join(page_text.split())


def test_a_year_makes_two_pages(year_pdf: PdfReader) -> None:
    assert len(year_pdf.pages) == 2


def test_page_one_carries_the_key_facts(year_pdf: PdfReader) -> None:
    text = _text(year_pdf.pages[0].extract_text())
    for fact in (
        "SOON",
        "Inflammatory back pain",
        "Answered no:",
        "Fever",
        "Night sweats",
        "Age 47, female",
        "after hours lying and on waking",
        "Sleeping position: stomach",
        "1.6 to 2.6",
    ):
        assert fact in text, fact


def test_every_page_names_the_knowledge_version_and_date(
    year_pdf: PdfReader, year_report: ReportContent
) -> None:
    version = load_knowledge().version
    for page in year_pdf.pages:
        text = _text(page.extract_text())
        assert f"knowledge base {version}" in text
        assert year_report.made_on.isoformat() in text


def test_person_page_holds_plan_and_questions(year_pdf: PdfReader) -> None:
    text = _text(year_pdf.pages[1].extract_text())
    assert "Try sleeping on your side" in text
    assert "Could this be an inflammatory back condition?" in text


def test_without_the_person_page_it_is_one_page(year_report: ReportContent) -> None:
    clinician_only = year_report.model_copy(update={"person": None})
    assert len(PdfReader(io.BytesIO(render_pdf(clinician_only))).pages) == 1


def test_page_one_png_for_a_person_to_look_at(year_report: ReportContent) -> None:
    pages = render_png_pages(year_report, ppi=110)
    assert len(pages) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "report-page1.png"
    out.write_bytes(pages[0])
    assert pages[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000


def test_text_from_a_person_is_never_read_as_markup(year_report: ReportContent) -> None:
    hostile = '#panic("boom") *bold* $x$ <label> @ref'
    clinician = year_report.clinician.model_copy(update={"who": hostile})
    content = year_report.model_copy(
        update={"clinician": clinician, "person": None, "charts": ChartData()}
    )
    text = _text(PdfReader(io.BytesIO(render_pdf(content))).pages[0].extract_text())
    assert hostile in text
