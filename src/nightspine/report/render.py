"""Rendering the report to PDF (or PNG pages): the ONLY module that imports the PDF engine.

Typst (its PyPI package, no system libraries) lays out ``templates/report.typ`` with the content
model as JSON; matplotlib draws the charts as SVG (``report/charts.py``). The fonts ship inside
the package (``report/fonts``, DejaVu Sans Condensed, with its licence): nothing is looked up on
the system or downloaded, so a report looks the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Literal

from nightspine.errors import NightspineError, missing_extra
from nightspine.knowledge.pictures import load_pictures
from nightspine.report.content import ReportContent
from nightspine.report.layout import fits_page_one

try:
    import typst

    from nightspine.report.charts import pain_chart, position_chart
except ImportError as exc:  # the PDF engine is the optional 'pdf' part
    raise missing_extra("pdf", "the PDF report", exc) from exc

PACKAGE = "nightspine.report"
CHART_WIDTH_CM = 18.2


class RenderError(NightspineError):
    """The report could not be laid out (a bug in the template, or a missing font)."""


def _folder(name: str) -> Path:
    return Path(str(resources.files(PACKAGE).joinpath(name)))


CHART_HEIGHTS_CM = {False: (4.3, 2.7), True: (3.3, 2.2)}  # (pain, positions) by compactness
FULL_TEXT_PT = 8.0  # the template's text size when not compact


def _pictures(content: ReportContent) -> dict[str, dict[str, str | bool]]:
    """The drawings the person's plan shows, by id: SVG text, text alternative, caption, and
    whether it is a wide drawing (a lying position) that takes two of the four picture columns."""
    if content.person is None:
        return {}
    pictures = load_pictures()
    wanted = {pid for line in content.person.plan for pid in line.pictures}
    return {
        pid: {
            "svg": pictures.svg(p),
            "alt": p.alt,
            "caption": p.caption,
            "wide": pictures.size(p)[0] > 1.5 * pictures.size(p)[1],
        }
        for pid, p in pictures.by_id.items()
        if pid in wanted
    }


def _payload(content: ReportContent, *, compact: bool) -> str:
    charts = content.charts
    days = [p.date for p in charts.pain]
    span = (
        content.period_start or min(days, default=content.made_on),
        content.period_end or max(days, default=content.made_on),
    )
    pain_cm, positions_cm = CHART_HEIGHTS_CM[compact]
    pain = positions = ""
    if charts.pain:
        pain = pain_chart(
            charts.pain, charts.marks, span=span, width_cm=CHART_WIDTH_CM, height_cm=pain_cm
        )
    if charts.positions:
        positions = position_chart(
            charts.positions, span=span, width_cm=CHART_WIDTH_CM, height_cm=positions_cm
        )
    data = {
        "content": content.model_dump(mode="json"),
        "pictures": _pictures(content),
        "stamp": content.stamp,
        "compact": compact,
        "pain_svg": pain,
        "positions_svg": positions,
    }
    return json.dumps(data, ensure_ascii=False)


def _compile(
    content: ReportContent, fmt: Literal["pdf", "png"], ppi: float | None
) -> bytes | list[bytes]:
    """Lay the report out once: compactly when the estimate says page 1 would overflow
    (``report/layout.py``), so the charts are drawn once, at the size they are shown."""
    templates = _folder("templates")
    made = dt.datetime.combine(content.made_on, dt.time(12), tzinfo=dt.UTC)
    compact = not fits_page_one(content, FULL_TEXT_PT, CHART_HEIGHTS_CM[False])
    try:
        result: bytes | list[bytes] | None = typst.compile(
            str(templates / "report.typ"),
            root=str(templates),
            font_paths=[str(_folder("fonts"))],
            ignore_system_fonts=True,
            format=fmt,
            ppi=ppi,
            timestamp=made,
            sys_inputs={"data": _payload(content, compact=compact)},
        )
    except RuntimeError as exc:  # typst.TypstError derives from RuntimeError
        raise RenderError(f"the report could not be laid out: {exc}") from exc
    if result is None:
        raise RenderError("the PDF engine returned nothing")
    return result


def render_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4; the knowledge version and date on every page)."""
    result = _compile(content, "pdf", None)
    if not isinstance(result, bytes):
        raise RenderError("the PDF engine returned pages instead of one document")
    return result


def render_png_pages(content: ReportContent, *, ppi: float = 110) -> list[bytes]:
    """Each page as a PNG image (for previews and for a person checking the layout)."""
    result = _compile(content, "png", ppi)
    return [result] if isinstance(result, bytes) else list(result)


def write_pdf(content: ReportContent, path: Path) -> Path:
    """Render and write the PDF to ``path`` (parents created); returns ``path``."""
    data = render_pdf(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
