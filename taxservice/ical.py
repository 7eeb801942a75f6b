"""The filing calendar as iCalendar (RFC 5545), written with the ``icalendar`` library: it
escapes TEXT values, ends lines with CRLF and folds them at 75 octets without splitting a UTF-8
character or an escaped comma, semicolon or line break (a ``\\,`` cut in two by a fold is valid
RFC 5545, but Google Calendar and Outlook then drop or garble the event)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration

PRODID = "-//Government portal//Filing calendar//ZH"
REFRESH = timedelta(days=1)  # calendar apps are asked to poll the feed daily


def calendar(name: str, events: list[dict], stamp: datetime, reminder_days: int = 3) -> str:
    """``events``: dicts with uid, date, summary, description, url. One all-day event per
    deadline, each with a reminder ``reminder_days`` before (none for 0)."""
    feed = Calendar()
    feed.add("PRODID", PRODID)
    feed.add("VERSION", "2.0")
    feed.add("CALSCALE", "GREGORIAN")
    feed.add("METHOD", "PUBLISH")
    feed.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME (older apps)
    feed.add("X-WR-TIMEZONE", "Asia/Shanghai")
    feed.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    feed.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for item in events:
        event = Event()
        event.add("UID", item["uid"])
        event.add("DTSTAMP", stamp.astimezone(UTC))
        event.add("DTSTART", item["date"])  # a date: VALUE=DATE, an all-day event
        event.add("DTEND", item["date"] + timedelta(days=1))
        event.add("SUMMARY", item["summary"])
        event.add("DESCRIPTION", item["description"])
        event.add("TRANSP", "TRANSPARENT")
        if item.get("url"):
            event.add("URL", item["url"])
        if reminder_days:
            alarm = Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", item["summary"])
            alarm.add("TRIGGER", timedelta(days=-reminder_days))
            event.add_component(alarm)
        feed.add_component(event)
    return feed.to_ical().decode("utf-8")
