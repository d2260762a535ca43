"""The CLI tests use the real engine when it exists, else a tiny stand-in (assess_engine_stub)."""

from __future__ import annotations

from assess_engine_stub import install

install()
