"""iCalendar (RFC 5545) invitations: the meeting, and an agreement on its date. Plain text
work without Flask: CRLF line ends, escaped text, lines folded at 75 octets."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

PRODID = "-//Intervisiebord//NL"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """One calendar item: timed (floating local time) when start is a datetime, else all day."""

    uid: str
    start: date | datetime
    end: date | datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line cut into lines of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space (RFC 5545 3.1)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{value.strftime('%Y%m%dT%H%M%S')}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def calendar(events: list[Event], stamp: datetime) -> bytes:
    """A VCALENDAR with these events, as the bytes of a .ics file."""
    utc = stamp.astimezone(UTC) if stamp.tzinfo else stamp
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{utc.strftime('%Y%m%dT%H%M%SZ')}"]
        lines += [_when("DTSTART", event.start), _when("DTEND", event.end)]
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
