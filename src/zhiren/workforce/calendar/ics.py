"""iCalendar (RFC 5545) text for an agent's published shifts. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from ..schedules import PlannedShift


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (continuation lines start with a space)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def calendar(shifts: Iterable[PlannedShift], *, name: str, summary_of, uid_domain: str, now: datetime) -> str:
    """A VCALENDAR with one VEVENT per shift; ``summary_of(shift)`` gives the event title."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Zhiren//Workforce//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for shift in shifts:
        details = ", ".join(
            f"{a.kind} {a.start.strftime('%H:%M')}-{a.end.strftime('%H:%M')}"
            for a in shift.activities
            if a.kind != "work"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.agent_id}-{shift.day.isoformat()}@{uid_domain}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(shift.start)}",
            f"DTEND:{_utc(shift.end)}",
            f"SUMMARY:{_escape(summary_of(shift))}",
            f"DESCRIPTION:{_escape(details)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
