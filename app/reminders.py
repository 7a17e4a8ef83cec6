"""Reminders without guilt: when the one daily check-in reminder comes, and what it says. Pure.

Off until the person picks a time. At most one a day, and none on a day they already checked in.
The words never count days, never say "missed", never keep a streak; in discreet mode they say
only "Time for your notes". On a phone the next one is scheduled with the system (one at a time:
if Regroup is not opened, one reminder comes, not one every day); in a browser the Today card is
the reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.clock import zone_info
from app.i18n import _

FORBIDDEN = ("streak", "missed", "miss ", "in a row", "don't forget", "you forgot", "again")  # a test reads these


@dataclass(frozen=True)
class Reminder:
    at: dt.datetime   # aware, in the person's zone
    zone: str         # that zone's IANA name (the phone's scheduler takes a wall time and a zone)
    title: str
    body: str


def words(discreet: bool) -> tuple[str, str]:
    """Title and body: an invitation, never a reproach; neutral in discreet mode."""
    if discreet:
        return _("Notes"), _("Time for your notes")
    return _("Regroup"), _("A moment for your check-in, whenever it suits you.")


def _at(day: dt.date, hhmm: str, zone: str) -> dt.datetime:
    """The wall time on that day in the zone; a time skipped by a clock change moves to just after it."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    tz = zone_info(zone)
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    round_trip = local.astimezone(dt.timezone.utc).astimezone(tz)
    if (round_trip.hour, round_trip.minute) != (hour, minute):  # did not exist (spring forward)
        return round_trip
    return local


def next_reminder(now: dt.datetime, *, zone: str, time: str | None, checked_in_today: bool,
                  last_reminded: dt.date | None, discreet: bool = False) -> Reminder | None:
    """The next reminder after now, or None when reminders are off (no time picked)."""
    if not time:
        return None
    today = now.astimezone(zone_info(zone)).date()
    day = today
    if checked_in_today or last_reminded == today or now >= _at(today, time, zone):
        day = today + dt.timedelta(days=1)
    title, body = words(discreet)
    return Reminder(at=_at(day, time, zone), zone=zone, title=title, body=body)
