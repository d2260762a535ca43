"""nightspine: night-time back pain triage, a sleep-and-pain diary and honest insights.

It supports decisions; it does not diagnose.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nightspine")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
