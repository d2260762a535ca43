"""An assessment as Markdown: the readable form the command line prints (``--format markdown``
and, rendered by Rich, the default text view) and that other shells may reuse.

Pure: no I/O, no shell libraries. Ids never appear as words a person reads; answers are shown
through the questionnaire's labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from nightspine.assessment import questionnaire as qn
from nightspine.assessment.plan import WHEN_ORDER, WHEN_TITLES
from nightspine.assessment.result import Assessment, PlanItem, TriageLevel
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge
from nightspine.knowledge.pictures import Picture, Pictures, load_pictures

PictureLink = Callable[[Picture], str]
"""Where a picture's link points: by default the SVG file inside the installed package as a
``file://`` URL, which opens in a browser or image viewer on the same computer and which terminals
that understand links (Rich prints them as hyperlinks) make clickable. A shell that serves the
pictures itself (the web app, under ``/static/pictures/``) passes its own."""


def file_link(pictures: Pictures) -> PictureLink:
    """Links to the SVG files of the installed package (``file:///.../chin_tuck.svg``)."""
    return lambda picture: pictures.path(picture).resolve().as_uri()


TRIAGE_HEADLINES = {
    TriageLevel.SELF_CARE: "Self-care: you can start with the plan below",
    TriageLevel.SOON: "See a doctor or physiotherapist within about two weeks",
    TriageLevel.URGENT: "See a doctor today (within 24 hours)",
    TriageLevel.EMERGENCY: "Emergency: call the emergency number or go to an emergency "
    "department now",
}


def answer_facts(keys: Sequence[str], answers: Mapping[str, Any] | None, kb: KnowledgeBase) -> str:
    """'sleeping position: on my stomach; pillow: too high' (or the plain labels when the answers
    themselves are not at hand)."""
    parts: list[str] = []
    for key in keys:
        if not qn.has_question(key, kb):
            continue
        q = qn.question(key, kb)
        if answers is not None and key in answers:
            parts.append(f"{q.short}: {qn.answer_text(key, answers[key], kb)}")
        else:
            parts.append(q.short)
    return "; ".join(parts)


DAYTIME_NOTE = (
    "What you do in the day (posture, long sitting, lifting, stress, too little exercise) is more "
    "often behind night-time back pain than the sleeping position itself."
)
EXPLAINED = 3
"""The best-ranked contributors are shown with their explanation and sources."""


def sentences(parts: Sequence[str]) -> str:
    """Join reasons into running text: full sentences with spaces, fragments with semicolons."""
    parts = [p.strip() for p in parts if p.strip()]
    if all(p.endswith((".", "!", "?")) for p in parts):
        return " ".join(parts)
    return "; ".join(p.rstrip(".") for p in parts)


def _bullets(lines: Sequence[str]) -> list[str]:
    return [f"- {line}" for line in lines]


def _pictures(item: PlanItem, pictures: Pictures, link: PictureLink) -> list[str]:
    """One line per picture: its caption as a link to the drawing."""
    return [f"- [Picture: {p.caption}]({link(p)})" for p in pictures.for_advice(item.id)]


def _plan(items: Sequence[PlanItem], pictures: Pictures, link: PictureLink) -> list[str]:
    out: list[str] = []
    for when in WHEN_ORDER:
        group = [i for i in items if i.when == when]
        if not group:
            continue
        out += [f"### {WHEN_TITLES[when]}", ""]
        for item in group:
            out.append(f"**{item.title}.** {item.text}")
            out.append("")
            drawn = _pictures(item, pictures, link)
            if drawn:
                out += [*drawn, ""]
            if item.why:
                out.append(f"*Why for you:* {item.why}")
                out.append("")
            if item.sources:
                out.append("*Sources:* " + "; ".join(s.label for s in item.sources))
                out.append("")
    return out


def assessment_markdown(
    assessment: Assessment,
    answers: Mapping[str, Any] | None = None,
    kb: KnowledgeBase | None = None,
    *,
    title: str = "Your nightspine assessment",
    include_triage: bool = True,
    picture_link: PictureLink | None = None,
) -> str:
    """The whole assessment as Markdown, most important first.

    ``include_triage=False`` leaves out the triage headline and reasons (for a shell that shows
    them more prominently itself). Plan items that have pictures get one link per picture
    (see :data:`PictureLink` for where the links point).
    """
    kb = kb if kb is not None else load_knowledge()
    pictures = load_pictures()
    link = picture_link if picture_link is not None else file_link(pictures)
    a = assessment
    out = [f"# {title}", ""]
    if include_triage:
        out += [f"## {TRIAGE_HEADLINES[a.triage.level]}", ""]
        out += _bullets(a.triage.reasons)
        if a.triage.advice:
            out += ["", a.triage.advice]
        out.append("")
    if a.concerns:
        out += ["## Conditions a doctor should rule out", ""]
        for c in a.concerns:
            why = sentences(c.reasons) or answer_facts(c.because, answers, kb)
            out.append(f"- **{c.title}**: {why}")
            if c.sources:
                out += ["", "  *Sources:* " + "; ".join(s.label for s in c.sources), ""]
        out.append("")
    if a.contributors:
        out += ["## What may be feeding your pain (most likely first)", "", DAYTIME_NOTE, ""]
        for rank, contributor in enumerate(a.contributors):
            why = sentences(contributor.reasons) or answer_facts(contributor.because, answers, kb)
            out.append(f"- **{contributor.title}** (score {contributor.score:.2f}): {why}")
            if rank < EXPLAINED and contributor.explanation:
                out += ["", f"  *How it feeds the pain:* {contributor.explanation}"]
            if rank < EXPLAINED and contributor.sources:
                out += ["", "  *Sources:* " + "; ".join(s.label for s in contributor.sources), ""]
        out.append("")
    if a.plan:
        out += ["## Your plan", ""]
        out += _plan(a.plan, pictures, link)
    d = a.for_your_doctor
    out += ["## For your doctor", ""]
    out += _bullets(d.summary)
    if d.warning_signs_reported:
        out += ["", "**Warning signs reported:** " + "; ".join(d.warning_signs_reported)]
    if d.warning_signs_denied:
        out += ["", "**Asked and denied:** " + "; ".join(d.warning_signs_denied)]
    if d.history:
        out += ["", "**History and medicines:** " + "; ".join(d.history)]
    if d.tried:
        out += ["", "**Already tried:** " + "; ".join(t.removeprefix("Tried: ") for t in d.tried)]
    if d.write_down:
        out += ["", "### What to write down before you go", ""]
        out += _bullets(d.write_down)
    if d.what_a_doctor_may_do:
        out += ["", "### What a doctor may do", ""]
        out += _bullets(d.what_a_doctor_may_do)
    if d.questions_to_ask:
        out += ["", "### Questions to ask", ""]
        out += _bullets(d.questions_to_ask)
    out += [
        "",
        "---",
        "",
        f"*{a.disclaimer}*",
        "",
        f"Knowledge base version {a.knowledge_version}.",
        "",
    ]
    return "\n".join(out)


__all__ = [
    "TRIAGE_HEADLINES",
    "PictureLink",
    "answer_facts",
    "assessment_markdown",
    "file_link",
    "sentences",
]
