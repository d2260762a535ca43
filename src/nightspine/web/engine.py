"""The assessment engine as the web app calls it: the same one as the command line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from nightspine.assessment.engine import assess as _engine_assess
from nightspine.assessment.result import Assessment


def assess(raw: Mapping[str, Any]) -> Assessment:
    """Validate ``raw`` (raises InvalidInputError naming each bad answer) and assess it; the
    advice names the configured emergency number (``NIGHTSPINE_EMERGENCY_NUMBER``)."""
    number: str = settings.NIGHTSPINE_EMERGENCY_NUMBER
    return _engine_assess(raw, emergency_number=number)
