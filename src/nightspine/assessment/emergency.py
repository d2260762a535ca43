"""The emergency call to action: ONE sentence, with the number to call, for every place that
says it (the triage advice, the plan's first item, the stop screen of the terminal and the web).

The number is not clinical knowledge but where the person is: the shells pass the configured one
(``NIGHTSPINE_EMERGENCY_NUMBER``, or the one of ``NIGHTSPINE_LOCALE``'s country; see
:meth:`nightspine.config.Settings.resolved_emergency_number`). Without one, 112, which reaches
the emergency services from mobile phones in the EU and in many other countries.
"""

from __future__ import annotations

import re

from nightspine.errors import InvalidInputError, Problem

DEFAULT_EMERGENCY_NUMBER = "112"
CALL_NOW = "Call the emergency number, {number}, now, or go to an emergency department."
DO_NOT_WAIT = "Do not drive yourself and do not wait to see whether it passes."
IF_WORSE = "If it gets worse or a new warning sign appears, call {number}."

_NUMBER = re.compile(r"^\+?[0-9][0-9 ]*$")


def checked_number(number: str) -> str:
    """``number`` without surrounding spaces; raises when it is not a telephone number."""
    number = number.strip()
    if not _NUMBER.match(number):
        raise InvalidInputError(
            [
                Problem(
                    "emergency number",
                    f"{number!r} is not a telephone number; give digits, "
                    "such as 999, 911 or 112 (NIGHTSPINE_EMERGENCY_NUMBER)",
                )
            ],
            what="settings",
        )
    return number


def call_now(number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """'Call the emergency number, 999, now, or go to an emergency department.'"""
    return CALL_NOW.format(number=checked_number(number))


def if_worse(number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """'If it gets worse or a new warning sign appears, call 999.'"""
    return IF_WORSE.format(number=checked_number(number))


__all__ = [
    "CALL_NOW",
    "DEFAULT_EMERGENCY_NUMBER",
    "DO_NOT_WAIT",
    "IF_WORSE",
    "call_now",
    "checked_number",
    "if_worse",
]
