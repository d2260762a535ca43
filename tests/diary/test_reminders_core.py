"""The reminders' timing, words and calendar feed (pure core)."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from nightspine.diary.reminders import (
    Evening,
    calendar_feed,
    is_due,
    local_now,
    morning_message,
    zone_problem,
)


def test_due_from_its_time_for_four_hours_in_local_time() -> None:
    at = dt.time(7, 30)
    day = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    london = local_now(day.replace(hour=6, minute=31), "Europe/London")  # 07:31 in summer
    assert is_due(london, at)
    assert not is_due(local_now(day.replace(hour=6, minute=29), "Europe/London"), at)
    assert not is_due(local_now(day.replace(hour=10, minute=31), "Europe/London"), at)


def test_time_zone_names_are_checked() -> None:
    assert zone_problem("Europe/London") is None
    problem = zone_problem("London")
    assert problem is not None and problem.location == "time_zone"


def test_the_morning_message_links_the_diary_and_the_way_out() -> None:
    message = morning_message(dt.date(2026, 3, 2), "https://x/diary/", "https://x/stop")
    assert "2 March 2026" in message.body
    assert "https://x/diary/" in message.body and "https://x/stop" in message.body


def test_the_feed_has_alarms_and_the_time_zone() -> None:
    feed = calendar_feed(
        zone_name="America/New_York",
        today=dt.date(2026, 3, 2),
        morning_at=dt.time(7, 0),
        diary_url="https://x/diary/",
        evening_at=dt.time(21, 30),
        evenings=[Evening(dt.date(2026, 3, 2), "Sleep with a pillow between your knees.")],
        experiment_url="https://x/experiments",
        uid_domain="p1.test",
    )
    cal = Calendar.from_ical(feed)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    assert all(e.walk("VALARM")[0]["ACTION"] == "DISPLAY" for e in events)
    evening = events[1].decoded("DTSTART")
    assert (evening.hour, evening.minute, str(evening.tzinfo)) == (21, 30, "America/New_York")
    assert "pillow between your knees" in str(events[1]["DESCRIPTION"])
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["America/New_York"]
