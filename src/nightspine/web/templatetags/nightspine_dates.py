"""``{{ value|day }}`` and ``{{ value|moment }}``: the app's one date format on every page
(see ``nightspine.diary.dates``). Aware datetimes are shown in the current time zone."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from nightspine.diary.dates import day_text, moment_text

register = template.Library()


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """``2 Mar 2026``; '' for no value."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return day_text(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    """``2 Mar 2026, 14:05`` in the current time zone; '' for no value."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return moment_text(value)
