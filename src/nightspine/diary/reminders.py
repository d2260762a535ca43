"""Reminders that bring a person back: the morning diary entry and tonight's experiment.

Pure core: when a reminder is due in the person's own time zone, the words of each e-mail, and
a private iCalendar feed (built with the ``icalendar`` library) with an alarm on each event, for
a phone's calendar to subscribe to. Sending, storing and links are the shells' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar import Alarm, Calendar, Event, vRecur

from nightspine.errors import Problem

Kind = Literal["morning", "evening"]
KINDS: tuple[Kind, ...] = ("morning", "evening")
LATE_AFTER = dt.timedelta(hours=4)
"""A reminder not sent within this long after its time (the server was off) is skipped for
the day: a morning reminder in the afternoon would only be noise."""
FEED_EVENING_DAYS = 14
"""How many evenings ahead the calendar feed lists tonight's experiment."""
PRODUCT_ID = "-//nightspine//reminders//EN"


def zone_problem(name: str) -> Problem | None:
    """A problem if ``name`` is not an IANA time zone such as ``Europe/London``."""
    if name in available_timezones():
        return None
    return Problem(
        "time_zone", "Enter your time zone as a place, for example Europe/London or America/Chicago"
    )


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``; UTC if the name is unknown (checked when it was saved)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(now_utc: dt.datetime, zone_name: str) -> dt.datetime:
    """``now_utc`` on the person's clock."""
    return now_utc.astimezone(zone(zone_name))


def is_due(now: dt.datetime, at: dt.time) -> bool:
    """Whether a daily reminder set for ``at`` is due at ``now`` (the person's local time):
    from ``at`` until :data:`LATE_AFTER` later, on the same day."""
    start = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return start <= now < start + LATE_AFTER


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def morning_message(today: dt.date, diary_url: str, unsubscribe_url: str) -> Message:
    """The morning e-mail: a short nudge with the link straight to the entry."""
    return Message(
        subject="How was last night? Your morning diary",
        body=(
            f"Good morning. It takes about 30 seconds to record how your back was on waking "
            f"today ({today.day} {today:%B %Y}):\n\n{diary_url}\n\n"
            "Every morning you record makes what your nights say about your pain clearer.\n\n"
            "You asked for this reminder. To stop it, open this link (no sign-in needed):\n"
            f"{unsubscribe_url}\n"
        ),
    )


def evening_message(
    evening: dt.date, instruction: str, experiment_url: str, unsubscribe_url: str
) -> Message:
    """The evening e-mail: tonight's experiment instruction, in full."""
    return Message(
        subject="Tonight's experiment",
        body=(
            f"Tonight ({evening.day} {evening:%B %Y}) your experiment asks:\n\n{instruction}\n\n"
            f"Your experiment: {experiment_url}\n\n"
            "Tomorrow morning, record the night in your diary so the experiment can count it.\n\n"
            "You asked for this reminder. To stop it, open this link (no sign-in needed):\n"
            f"{unsubscribe_url}\n"
        ),
    )


@dataclass(frozen=True)
class Evening:
    """One evening of a running experiment and what to do on it."""

    date: dt.date
    instruction: str


def calendar_feed(
    *,
    zone_name: str,
    today: dt.date,
    morning_at: dt.time,
    diary_url: str,
    evening_at: dt.time,
    evenings: Sequence[Evening],
    experiment_url: str,
    uid_domain: str,
) -> bytes:
    """A private iCalendar feed: a daily morning-diary event from ``today`` and one event per
    experiment evening, each in the person's time zone with a display alarm at its start."""
    tz = zone(zone_name)
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "nightspine reminders")
    cal.add("x-wr-timezone", zone_name)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)

    morning = _event(
        uid=f"morning-diary@{uid_domain}",
        start=dt.datetime.combine(today, morning_at, tzinfo=tz),
        minutes=5,
        summary="Morning diary: how was your back on waking?",
        description=f"About 30 seconds: {diary_url}",
        url=diary_url,
        stamp=stamp,
    )
    morning.add("rrule", vRecur(freq="DAILY"))
    cal.add_component(morning)
    for evening in evenings:
        cal.add_component(
            _event(
                uid=f"experiment-{evening.date.isoformat()}@{uid_domain}",
                start=dt.datetime.combine(evening.date, evening_at, tzinfo=tz),
                minutes=15,
                summary="Tonight's experiment",
                description=f"{evening.instruction}\n\n{experiment_url}",
                url=experiment_url,
                stamp=stamp,
            )
        )
    cal.add_missing_timezones()
    feed: bytes = cal.to_ical()
    return feed


def _event(
    *,
    uid: str,
    start: dt.datetime,
    minutes: int,
    summary: str,
    description: str,
    url: str,
    stamp: dt.datetime,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event
