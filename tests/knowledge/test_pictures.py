"""The pictures that go with the plan: one validated index, every drawing present and used."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from nightspine.errors import KnowledgeError
from nightspine.knowledge.loader import load_knowledge
from nightspine.knowledge.pictures import INDEX, load_pictures, validate_pictures

KB = load_knowledge()
PICTURES = load_pictures()


def _index() -> dict[str, Any]:
    data = yaml.safe_load((PICTURES.folder / INDEX).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_position_and_stretch_the_plan_names_has_a_picture() -> None:
    wanted = {
        "back_sleeping_support",
        "side_sleeping_support",
        "body_pillow",
        "if_stomach_sleeping",
        "gentle_stretches",
    }
    assert wanted <= set(PICTURES.advice)
    captions = " ".join(p.caption.lower() for p in PICTURES.for_advice("gentle_stretches"))
    for stretch in ("shoulder rolls", "chin tuck", "shoulder-blade squeeze", "turn"):
        assert stretch in captions
    assert PICTURES.for_advice("posture_breaks") == ()


def test_each_drawing_is_a_small_plain_svg_in_black_and_grey() -> None:
    for picture in PICTURES.by_id.values():
        text = PICTURES.svg(picture)
        assert text.startswith("<svg") and "viewBox" in text
        colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", text)}
        greys = {c for c in colours if c[1:3] == c[3:5] == c[5:7]}
        assert colours == greys, (picture.file, colours - greys)  # readable in black and white
        assert picture.alt != picture.caption


def test_an_unknown_advice_id_is_refused() -> None:
    data = _index()
    data["advice"]["no_such_advice"] = ["chin_tuck"]
    with pytest.raises(KnowledgeError, match="no_such_advice"):
        validate_pictures(data, PICTURES.folder, KB)


def test_a_missing_file_an_unused_picture_and_a_script_are_refused(tmp_path: Path) -> None:
    data = _index()
    data["pictures"][0]["file"] = "nowhere.svg"
    with pytest.raises(KnowledgeError, match=r"nowhere\.svg is missing"):
        validate_pictures(data, PICTURES.folder, KB)
    data = _index()
    data["advice"] = {"gentle_stretches": ["chin_tuck"]}
    with pytest.raises(KnowledgeError, match="is not shown with any advice"):
        validate_pictures(data, PICTURES.folder, KB)
    (tmp_path / "chin_tuck.svg").write_text('<svg viewBox="0 0 1 1"><script/></svg>')
    data = _index()
    data["pictures"] = [p for p in data["pictures"] if p["id"] == "chin_tuck"]
    data["advice"] = {"gentle_stretches": ["chin_tuck"]}
    with pytest.raises(KnowledgeError, match="script"):
        validate_pictures(data, tmp_path, KB)


def test_a_picture_without_a_text_alternative_is_refused() -> None:
    data = _index()
    data["pictures"][0]["alt"] = ""
    with pytest.raises(KnowledgeError, match="alt"):
        validate_pictures(data, PICTURES.folder, KB)


def test_plain_problems_say_what_to_do_and_never_echo_the_value() -> None:
    from nightspine.knowledge.fields import plain_problem
    from nightspine.knowledge.vocabulary import FieldSpec

    pain = FieldSpec(type="0-10", min=0, max=10)
    assert plain_problem("Pain on waking", pain) == (
        "Enter pain on waking as a whole number from 0 to 10"
    )
    hours = FieldSpec(type="number", min=0, max=24)
    assert plain_problem("Hours slept", hours) == "Enter hours slept as a number from 0 to 24"
    where = FieldSpec(type="one-of", values=("back", "side"))
    assert plain_problem("Sleeping position", where).startswith("Choose sleeping position")
