"""Sleeping position, stillness and restlessness from a raw body-worn accelerometer recording.

Core package (numpy/scipy only). The steps, one module each, in algorithm order: ``readers``
(with ``epochs``), ``calibration``, ``frame``, ``nonwear``, ``window``, ``position``, ``bouts``,
``nights``; ``analysis`` runs them all, ``diary`` turns a night into diary values.
"""

from nightspine.sensors.analysis import PLACEMENTS, Analysis, Params, analyze, analyze_epochs
from nightspine.sensors.nights import NightSummary
from nightspine.sensors.position import POSITIONS
from nightspine.sensors.readers import read_epochs

__all__ = [
    "PLACEMENTS",
    "POSITIONS",
    "Analysis",
    "NightSummary",
    "Params",
    "analyze",
    "analyze_epochs",
    "read_epochs",
]
