"""The security-event log: who signed in, was locked out, shared, revoked, exported or viewed.

A thin wrapper over the standard ``logging`` module (logger ``nightspine.security``), so any
handler an operator configures receives the events; with the web settings each one is a JSON
line carrying the request id. Fields name accounts and records by id, never health data.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("nightspine.security")


def record(event: str, **fields: Any) -> None:
    """Log the security event ``event`` (such as ``"share.revoked"``) with ``fields``."""
    logger.info(event, extra={"security_event": event, **fields})
