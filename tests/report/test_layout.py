"""The report is laid out once: render.py chooses the compact layout from an estimate of page 1's
height, made before anything is drawn. The estimate must err on the tall side (a page it calls
"fits" does fit), so it is compared here with Typst's own layout of many reports."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import report_simulation as sim
import typst
import yaml
from pypdf import PdfReader

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.engine import assess
from nightspine.insights import analyze
from nightspine.knowledge.loader import load_knowledge
from nightspine.report import render
from nightspine.report.charts import pain_chart
from nightspine.report.content import ChartData, ReportContent, build_report
from nightspine.report.layout import PAGE_TEXT_CM, fits_page_one, text_height_cm

KB = load_knowledge()
DATA = Path(__file__).resolve().parents[1] / "assessment" / "data"
VIGNETTES: list[dict[str, Any]] = [
    v
    for name in ("vignettes-public.yaml", "vignettes-extra.yaml", "vignettes-guidelines-v2.yaml")
    for v in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
][::9]
DIARIES = (0, 10, 365)
TOP_MARGIN_CM = 1.5


def _report(vignette: dict[str, Any], nights: int) -> ReportContent:
    answers = validate_answers(vignette["answers"])
    entries = sim.entries(nights) if nights else []
    return build_report(
        knowledge=KB,
        made_on=dt.date(2026, 11, 21),
        answers=answers,
        assessment=assess(answers, KB),
        entries=entries,
        insights=analyze(entries) if entries else None,
        experiments=sim.experiments() if nights > 300 else (),
    )


def _typst_text_height_cm(content: ReportContent, *, compact: bool) -> float:
    """Where Typst ends page 1's text (the charts left out: they come after it)."""
    page_one = content.model_copy(update={"charts": ChartData(), "person": None})
    data = {
        "content": page_one.model_dump(mode="json"),
        "pictures": {},
        "stamp": page_one.stamp,
        "compact": compact,
        "pain_svg": "",
        "positions_svg": "",
    }
    templates = render._folder("templates")
    where = json.loads(
        typst.query(
            str(templates / "report.typ"),
            "<clinician-text-end>",
            field="value",
            one=True,
            root=str(templates),
            font_paths=[str(render._folder("fonts"))],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data)},
        )
    )
    return float((where["page"] - 1) * PAGE_TEXT_CM + where["y"] - TOP_MARGIN_CM)


CASES = [(v, n) for v in VIGNETTES for n in DIARIES]


@pytest.mark.parametrize(("vignette", "nights"), CASES, ids=[f"{v['id']}-{n}" for v, n in CASES])
def test_the_estimate_is_never_shorter_than_the_layout(
    vignette: dict[str, Any], nights: int
) -> None:
    content = _report(vignette, nights)
    for compact, size in ((False, render.FULL_TEXT_PT), (True, 7.4)):
        laid_out = _typst_text_height_cm(content, compact=compact)
        estimate = text_height_cm(content, size)
        assert laid_out <= estimate <= 1.3 * laid_out, (compact, laid_out, estimate)


@pytest.mark.parametrize("nights", DIARIES)
def test_page_one_holds_the_clinicians_part(nights: int) -> None:
    content = _report(VIGNETTES[0], nights)
    pages = PdfReader(io.BytesIO(render.render_pdf(content))).pages
    second = " ".join(pages[1].extract_text().split())
    assert "For you: your plan and what to ask" in second.split("page 2 of")[1][:60]


def test_a_short_diary_keeps_the_full_size_and_a_year_is_compact() -> None:
    person = {"id": "simulated", "answers": sim.ANSWERS}  # the simulated person's assessment
    short, year = _report(person, 10), _report(person, 365)
    assert fits_page_one(short, render.FULL_TEXT_PT, render.CHART_HEIGHTS_CM[False])
    assert not fits_page_one(year, render.FULL_TEXT_PT, render.CHART_HEIGHTS_CM[False])


def test_the_charts_are_drawn_once_and_typst_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(render, "pain_chart", counted("pain", render.pain_chart))
    monkeypatch.setattr(render, "position_chart", counted("positions", render.position_chart))
    monkeypatch.setattr(render.typst, "compile", counted("typst", render.typst.compile))
    render.render_pdf(_report(VIGNETTES[0], 365))  # the compact layout
    assert sorted(calls) == ["pain", "positions", "typst"]


def test_the_nights_are_one_path_whatever_their_number() -> None:
    def elements(nights: int) -> tuple[int, int]:
        points = build_report(
            knowledge=KB, made_on=dt.date(2026, 11, 21), entries=sim.entries(nights)
        ).charts.pain
        span = (points[0].date, points[-1].date)
        svg = pain_chart(points, [], span=span, width_cm=18.2, height_cm=4.3)
        return svg.count("<use"), svg.count("<path")

    few, many = elements(30), elements(365)
    assert many[0] <= few[0] + 20  # glyphs of the tick labels only, never one per night
    assert many[1] <= few[1] + 5
