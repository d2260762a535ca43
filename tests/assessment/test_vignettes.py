"""Every vignette's expectations, and the contract's six scores over each vignette set."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from nightspine.assessment import assess
from nightspine.assessment.scoring import GOALS, check, score_vignettes

DATA = Path(__file__).parent / "data"
SETS = {
    "public": "vignettes-public.yaml",
    "extra": "vignettes-extra.yaml",
    "guidelines-v2": "vignettes-guidelines-v2.yaml",
    "guidelines-v3": "vignettes-guidelines-v3.yaml",
}


@cache
def _vignettes(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((DATA / SETS[name]).read_text(encoding="utf-8"))
    return loaded


ALL = [(name, v) for name in SETS for v in _vignettes(name)]


def test_vignette_sets_are_well_formed() -> None:
    ids = [v["id"] for _, v in ALL]
    assert len(ids) == len(set(ids))
    assert len(_vignettes("public")) == 30
    assert len(_vignettes("extra")) >= 40
    assert len(_vignettes("guidelines-v2")) >= 40
    for _, v in ALL:
        assert set(v) >= {"id", "answers", "expect"}, v["id"]
    assert len(_vignettes("guidelines-v3")) >= 30
    for v in _vignettes("guidelines-v2") + _vignettes("guidelines-v3"):
        assert v.get("guideline"), f"{v['id']} names the guideline it was written from"


@pytest.mark.parametrize(("name", "vignette"), ALL, ids=[v["id"] for _, v in ALL])
def test_vignette_meets_its_expectations(name: str, vignette: dict[str, Any]) -> None:
    result = check(vignette, assess(vignette["answers"]))
    assert result.problems == [], f"{vignette['id']} ({vignette['story']})"


@pytest.mark.parametrize("name", list(SETS))
def test_scores_meet_the_contract_goals(name: str, score_lines: list[str]) -> None:
    scores, checks = score_vignettes(_vignettes(name), assess)
    line = f"{name}: {scores.summary()}"
    print(line)
    score_lines.append(line)
    assert len(checks) == len(_vignettes(name))
    assert scores.unmet() == [], f"{line}; failures: {scores.failures}"
    assert {g.name for g in GOALS} == {
        "safety",
        "exact_triage",
        "over_triage",
        "concern_recall",
        "false_concerns",
        "contributor_hit",
    }
