"""The third-pass vignettes (``vignettes-guidelines-v3.yaml``): the plan's expectations of each
case, and one metamorphic check over every case (adding any one warning sign never lowers its
level). The contract's own expectations and scores of the set are checked in test_vignettes.py.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from answer_strategies import VOCAB, WARNING_SIGN_KEYS

from nightspine.assessment import assess
from nightspine.assessment.result import Assessment

SET = Path(__file__).parent / "data" / "vignettes-guidelines-v3.yaml"


@cache
def _vignettes() -> tuple[dict[str, Any], ...]:
    loaded: list[dict[str, Any]] = yaml.safe_load(SET.read_text(encoding="utf-8"))
    return tuple(loaded)


def _tonight_first_three(result: Assessment) -> list[str]:
    """The first three things to try tonight, as the result's first screen shows them."""
    return [p.id for p in result.plan if p.when == "tonight"][:3]


def _with_one_more_sign(answers: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every answers document that reports one more warning sign than ``answers``."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key in WARNING_SIGN_KEYS:
        spec = VOCAB.answers[key]
        if spec.type == "bool" and answers.get(key) is not True:
            out.append((key, {**answers, key: True}))
        elif spec.type == "many-of":
            have = list(answers.get(key, []))
            out += [
                (f"{key}={v}", {**answers, key: [*have, v]}) for v in spec.values if v not in have
            ]
    return out


def test_the_set_is_well_formed() -> None:
    cases = _vignettes()
    assert len(cases) >= 30
    assert len({v["id"] for v in cases}) == len(cases)
    for v in cases:
        assert v.get("guideline"), f"{v['id']} names the guideline it was written from"
        assert set(v) >= {"id", "story", "answers", "expect"}, v["id"]


PLAN_CASES = [v for v in _vignettes() if {"plan_excludes", "tonight_top3"} & set(v["expect"])]


@pytest.mark.parametrize("vignette", PLAN_CASES, ids=[v["id"] for v in PLAN_CASES])
def test_plan_fits_the_person(vignette: dict[str, Any]) -> None:
    result = assess(vignette["answers"])
    offered = [p.id for p in result.plan]
    expect = vignette["expect"]
    unwanted = set(expect.get("plan_excludes", ())) & set(offered)
    assert not unwanted, f"{vignette['id']}: {sorted(unwanted)} offered ({vignette['story']})"
    first = _tonight_first_three(result)
    missing = [a for a in expect.get("tonight_top3", ()) if a not in first]
    assert not missing, f"{vignette['id']}: {missing} not among tonight's first three {first}"


@pytest.mark.parametrize("vignette", _vignettes(), ids=[v["id"] for v in _vignettes()])
def test_adding_a_warning_sign_never_lowers_the_level(vignette: dict[str, Any]) -> None:
    base = assess(vignette["answers"]).triage.level
    lowered = [
        (change, level.value)
        for change, answers in _with_one_more_sign(vignette["answers"])
        if (level := assess(answers).triage.level).rank < base.rank
    ]
    assert not lowered, f"{vignette['id']} at {base.value}: lowered by {lowered}"
