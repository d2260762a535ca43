"""The result models: every engine result survives validation unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml

from nightspine.assessment import Assessment, assess
from nightspine.assessment.result import TriageLevel

DATA = Path(__file__).parent / "data"


def test_every_vignette_result_passes_validation_unchanged() -> None:
    """Every vignette's result goes through validation again and comes out equal (the property
    tests do the same for random answers via JSON)."""
    for name in ("vignettes-public.yaml", "vignettes-extra.yaml"):
        for vignette in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            result = assess(vignette["answers"])
            again = Assessment.model_validate(result.model_dump())
            assert again == result, vignette["id"]
            assert type(result.triage.level) is TriageLevel
