"""How tall the text of the report's first page will be, estimated before anything is drawn.

The renderer decides from this estimate whether page 1 needs the compact layout (smaller text and
shorter charts), so the charts are drawn once and Typst lays the report out once. The estimate
counts wrapped lines: a text's width is its length times the average width of a character of the
report's font (DejaVu Sans Condensed: 0.45 em, measured on the knowledge base's own prose), and it
errs on the tall side, so a page it calls "fits" does fit. The constants were fitted on the
vignettes with no diary, 10 nights and a year (the estimate came out 2-17% above Typst's own
layout); ``tests/report`` checks page 1 still holds the clinician's part.

Pure: the numbers mirror ``templates/report.typ``; change them together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from nightspine.report.content import ReportContent

PT_CM = 2.54 / 72
CHAR_EM = 0.45
"""Average advance of a character of DejaVu Sans Condensed, in em."""
WRAP_LOSS = 1.0
"""How many more characters' room a line takes than its characters (word breaks)."""
LINE_EM = 1.25
"""Distance between the baselines of two wrapped lines (cap height plus 0.5 em leading)."""

PAGE_TEXT_CM = 29.7 - 1.5 - 1.4
"""A4 minus the top and bottom margins of the template."""
WIDTH_CM = 18.2
COLUMN_CM = (WIDTH_CM - 0.6) / 2
LABEL_CM = 2.9
"""The label column of the fact tables."""
HEADING_CM = 0.8
"""A section heading: its text, its rule and the space above and below."""
GAP_EM = 0.25
FACT_PAD_EM = 0.0
"""Extra room of a fact-table row (its insets, less the leading a row does not have)."""
"""Space between two paragraphs, bullets or table rows, beyond their lines."""
TITLE_CM = 1.5
"""The title, the person and the diary period."""
CHART_TITLE_CM = 0.6
"""A chart's title line and the space around it."""


def _lines(text: str, width_cm: float, size_pt: float) -> int:
    per_line = width_cm / (CHAR_EM * size_pt * PT_CM * WRAP_LOSS)
    return max(1, math.ceil(len(text) / per_line))


def _paragraphs(texts: Iterable[str], width_cm: float, size_pt: float) -> float:
    """The height in cm of paragraphs (or bullets) set one under another."""
    total = 0.0
    for text in texts:
        total += (_lines(text, width_cm, size_pt) * LINE_EM + GAP_EM) * size_pt * PT_CM
    return total


def _facts(rows: Iterable[tuple[str, str]], size_pt: float) -> float:
    """A two-column fact table: a row is as tall as the taller of its label and its text."""
    total = 0.0
    for label, text in rows:
        lines = max(
            _lines(label, LABEL_CM, size_pt) if label else 0,
            _lines(text, COLUMN_CM - (LABEL_CM + 0.2 if label else 0), size_pt),
        )
        total += (lines * LINE_EM + FACT_PAD_EM) * size_pt * PT_CM
    return total


def text_height_cm(content: ReportContent, size_pt: float) -> float:
    """The estimated height of page 1's text (everything above the charts), in cm."""
    doc = content.clinician
    bullet_cm = COLUMN_CM - 0.3
    left = 3 * HEADING_CM
    if doc.triage is not None:
        triage = doc.triage
        left += _paragraphs([triage.meaning], COLUMN_CM - 1.6, size_pt)
        left += _paragraphs(triage.reasons, bullet_cm, size_pt)
        if triage.likely_contributors is not None:
            left += _paragraphs([triage.likely_contributors.line], COLUMN_CM, size_pt)
    for concern in doc.concerns:
        left += _paragraphs([concern.title], COLUMN_CM, size_pt)
        raised = "Raised by: " + "; ".join(f.line for f in concern.raised_by)
        left += _paragraphs([raised, "Findings: " + "; ".join(concern.reasons)], bullet_cm, size_pt)
    if doc.warning_signs is not None:
        signs = doc.warning_signs
        groups = (signs.reported, signs.denied, signs.not_asked)
        left += _paragraphs(["Reported: " + "; ".join(g) for g in groups if g], COLUMN_CM, size_pt)
    right = 3 * HEADING_CM
    right += _facts(((f.label, f.text) for f in doc.pattern), size_pt)
    right += _facts(((f.label, f.text) for f in doc.history), size_pt)
    right += _paragraphs(doc.tried or ["Nothing recorded."], bullet_cm, size_pt)
    diary = _paragraphs(doc.diary, bullet_cm, size_pt)
    table = (len(doc.factors) + 1) * 2.2 * LINE_EM * size_pt * PT_CM
    table += _paragraphs([doc.factors_note], COLUMN_CM, size_pt - 1.2)
    notes = _paragraphs(content.notes, WIDTH_CM, size_pt)
    return TITLE_CM + notes + max(left, right) + HEADING_CM + max(diary, table)


def charts_height_cm(content: ReportContent, heights_cm: tuple[float, float]) -> float:
    """The charts' height (with their titles) at the given (pain, positions) chart heights."""
    charts = content.charts
    total = 0.0
    if charts.pain:
        total += CHART_TITLE_CM + heights_cm[0]
        if charts.marks:  # the changes are listed beside the chart's title
            legend = " ".join(f"{m.date} {m.label}" for m in charts.marks)
            total += _paragraphs([legend], WIDTH_CM, 7.0)
    if charts.positions:
        total += CHART_TITLE_CM + heights_cm[1]
    return total


def fits_page_one(content: ReportContent, size_pt: float, heights_cm: tuple[float, float]) -> bool:
    """Whether page 1's text and charts, at this text size and these chart heights, fit."""
    return text_height_cm(content, size_pt) + charts_height_cm(content, heights_cm) <= PAGE_TEXT_CM
