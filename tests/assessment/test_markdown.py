"""The readable assessment: every section in plain words, never an id."""

from __future__ import annotations

from pathlib import Path

import yaml

from nightspine.assessment.answers import validate_answers
from nightspine.assessment.engine import assess
from nightspine.assessment.markdown import assessment_markdown, sentences
from nightspine.knowledge.loader import load_knowledge

VIGNETTES = yaml.safe_load(
    (Path(__file__).parent / "data" / "vignettes-public.yaml").read_text(encoding="utf-8")
)


def test_sentences_join_reasons_cleanly() -> None:
    assert sentences(["One thing.", "Another."]) == "One thing. Another."
    assert sentences(["one thing", "another."]) == "one thing; another"


def test_markdown_of_every_public_vignette_names_no_ids() -> None:
    kb = load_knowledge()
    ids = [*kb.vocabulary.concerns, *kb.vocabulary.contributors, *kb.advice]
    ids = [i for i in ids if "_" in i]
    for vignette in VIGNETTES:
        answers = validate_answers(vignette["answers"])
        text = assessment_markdown(assess(answers), answers, kb)
        assert "## For your doctor" in text
        assert "does not diagnose" in text
        shown = [i for i in ids if i in text]
        assert not shown, (vignette["id"], shown)


def test_markdown_groups_the_plan_by_when() -> None:
    answers = validate_answers(VIGNETTES[0]["answers"])
    text = assessment_markdown(assess(answers), answers)
    assert text.index("### Tonight") < text.index("### Over the next two weeks")
    assert "*Why for you:*" in text and "*Sources:*" in text


def test_plan_items_with_pictures_link_to_drawings_that_open() -> None:
    from urllib.parse import unquote, urlparse

    from nightspine.knowledge.pictures import load_pictures

    pictures = load_pictures()
    linked = 0
    for vignette in VIGNETTES:
        answers = validate_answers(vignette["answers"])
        result = assess(answers)
        text = assessment_markdown(result, answers)
        for item in result.plan:
            for picture in pictures.for_advice(item.id):
                match = f"- [Picture: {picture.caption}]("
                assert match in text
                url = text.split(match, 1)[1].split(")", 1)[0]
                drawing = Path(unquote(urlparse(url).path)).read_text(encoding="utf-8")
                assert drawing.startswith("<svg")
                linked += 1
    assert linked >= 4  # the public vignettes include back, side and stretch advice
    answers = validate_answers(VIGNETTES[0]["answers"])
    web = assessment_markdown(assess(answers), answers, picture_link=lambda p: f"/p/{p.file}")
    assert "file://" not in web
