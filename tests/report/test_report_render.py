"""The PDF: pages, the key facts in its text, the knowledge version on every page, a PNG preview."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import report_simulation as sim
from pypdf import PdfReader

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.questionnaire import question
from nightspine.assessment.result import Concern, TriageLevel
from nightspine.knowledge.loader import load_knowledge
from nightspine.report.content import ChartData, ReportContent, build_report
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
        "Age 47, female",
        "worse after some hours lying, on waking",
        "Sleeping position: stomach",
        "1.6 to 2.6",
    ):
        assert fact in text, fact
    denied = text.split("Answered no:")[1].split("Not asked:")[0].lower()
    for key in ("fever", "night_sweats", "weight_loss_unexplained", "bladder_bowel"):
        assert question(key).short in denied, key


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


def test_a_busy_first_page_is_laid_out_compactly_to_stay_on_page_one() -> None:
    answers = dict(
        sim.ANSWERS,
        fever=True,
        night_sweats=True,
        weight_loss_unexplained=True,
        weakness=["both_legs"],
        bladder_bowel=["retention"],
        numbness_or_tingling=["saddle_area", "legs"],
        numbness_both_sides=True,
        conditions=["cancer", "osteoporosis", "psoriasis"],
    )
    because = ["bladder_bowel", "numbness_or_tingling", "weakness"]
    concerns = [
        Concern(id=i, title=i.replace("_", " ").capitalize(), level=level, because=because)
        for i, level in (
            ("cauda_equina_syndrome", TriageLevel.EMERGENCY),
            ("spinal_cord_compression", TriageLevel.EMERGENCY),
            ("cancer", TriageLevel.URGENT),
            ("spinal_infection", TriageLevel.URGENT),
        )
    ]
    content = build_report(
        knowledge=load_knowledge(),
        made_on=dt.date(2026, 11, 21),
        answers=validate_answers(answers),
        assessment=sim.assessment().model_copy(update={"concerns": concerns}),
        entries=sim.entries(),
        insights=sim.insights_json(),
        experiments=sim.experiments(),
    )
    reader = PdfReader(io.BytesIO(render_pdf(content)))
    assert len(reader.pages) == 2
    first = _text(reader.pages[0].extract_text())
    assert "Cauda equina syndrome" in first and "Reported:" in first
    assert "Sleeping position, share of each week" in first


def test_the_person_page_shows_the_plan_pictures_with_their_captions(
    year_report: ReportContent,
) -> None:
    import yaml

    from nightspine.assessment.engine import assess
    from nightspine.knowledge.pictures import load_pictures

    vignettes = Path(__file__).parents[1] / "assessment" / "data" / "vignettes-public.yaml"
    stomach = next(
        v for v in yaml.safe_load(vignettes.read_text(encoding="utf-8")) if v["id"] == "P01"
    )
    answers = validate_answers(stomach["answers"])
    assessment = assess(answers)
    report = build_report(
        knowledge=load_knowledge(),
        made_on=year_report.made_on,
        answers=answers,
        assessment=assessment,
        assessed_on=dt.date(2026, 10, 1),
        entries=sim.entries(),
        insights=sim.insights_json(),
        experiments=sim.experiments(),
    )
    pictures = load_pictures()
    shown = [p for item in assessment.plan for p in pictures.for_advice(item.id)]
    assert {p.id for p in shown} >= {"stomach_flat_pillow_hips", "chin_tuck"}
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    person = _text(" ".join(page.extract_text() for page in reader.pages[1:]))
    for picture in shown:
        assert _text(picture.caption) in person, picture.caption
    assert report.person is not None
    plain = report.person.model_copy(
        update={"plan": [line.model_copy(update={"pictures": []}) for line in report.person.plan]}
    )
    without = PdfReader(io.BytesIO(render_pdf(report.model_copy(update={"person": plain}))))

    def ink(pdf: PdfReader) -> int:  # Typst draws each SVG as vector paths in the page
        return sum(len(page.get_contents().get_data()) for page in pdf.pages[1:])

    assert ink(reader) > ink(without) + 2_000 * len({p.id for p in shown})
    pages = render_png_pages(report, ppi=90)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-person-page-pictures.png").write_bytes(pages[1])
