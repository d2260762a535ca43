"""The security-event log: one line per sign-in, failure, lock-out, token or session change.

A thin wrapper over the standard logger ``nightspine.security`` so that the log's format and
destination are decided in one place (the logging settings), not at each call.
"""

from __future__ import annotations

import logging
from typing import Any

LOGGER = logging.getLogger("nightspine.security")


def record(event: str, **fields: Any) -> None:
    """Log ``event`` (such as ``"sign_in"``) with its fields; never passwords or tokens."""
    details = " ".join(f"{key}={value!r}" for key, value in sorted(fields.items()))
    LOGGER.info("%s %s", event, details, extra={"event": event, "fields": fields})


__all__ = ["record"]
