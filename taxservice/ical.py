"""The filing calendar as iCalendar (RFC 5545), written by hand: CRLF line endings, lines
folded at 75 octets (never inside a UTF-8 character), TEXT values escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
MAX_OCTETS = 75


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuations start with a space."""
    chunks, current, size = [], "", 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size = " ", 1  # the leading space counts towards the next line's 75
        current += char
        size += width
    chunks.append(current)
    return CRLF.join(chunks)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[dict], stamp: datetime, reminder_days: int = 3) -> str:
    """``events``: dicts with uid, date, summary, description, url."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Government portal//Filing calendar//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART;VALUE=DATE:{_date(event['date'])}",
            f"DTEND;VALUE=DATE:{_date(event['date'] + timedelta(days=1))}",
            f"SUMMARY:{escape(event['summary'])}",
            f"DESCRIPTION:{escape(event['description'])}",
            "TRANSP:TRANSPARENT",
        ]
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        if reminder_days:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{escape(event['summary'])}",
                f"TRIGGER:-P{reminder_days}D",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
