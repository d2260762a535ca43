"""The vignettes' answer documents, shared by the assessment benchmarks in this folder.

The scripts run as ``PYTHONPATH=src python benchmarks/<name>.py``, so Python finds this module
beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "tests" / "assessment" / "data"
SETS = ("vignettes-public.yaml", "vignettes-extra.yaml")


def vignette_answers() -> list[dict[str, Any]]:
    """The answers of every public and extra vignette, in file order."""
    out: list[dict[str, Any]] = []
    for name in SETS:
        out += [v["answers"] for v in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))]
    return out
