"""Now and here: the one clock the app reads (UTC time and the device's IANA zone), and day helpers.

Nothing else reads the system clock, so tests and demos can set the date: a test of Trends
runs on the 1st of a month or on 29 February as easily as today.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
CLOCK_ENV = "REGROUP_CLOCK"  # an ISO time the app starts at (tests and demos only); then it ticks,
#                              unless followed by " frozen" (a test that must not cross midnight)


def local_zone_name(env: Mapping[str, str] | None = None) -> str:
    """The IANA zone this device runs in ("Europe/Dublin"), else "UTC"; stored with each record."""
    env = os.environ if env is None else env
    candidates = [env.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    for name in candidates:
        if name and _zone(name) is not None:
            return name
    return "UTC"


def _zone(name: str) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_info(name: str) -> dt.tzinfo:
    """The zone, or UTC for a name this device does not know."""
    return _zone(name) or UTC


def stamp(when: dt.datetime) -> str:
    """An aware time as the ISO-8601 UTC string records and sync use ("2026-11-26T12:00:00.000Z")."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def local_day(value: str, zone: str) -> str:
    """The calendar day (YYYY-MM-DD) a UTC time fell on in the zone where the record was made."""
    return parse_utc(value).astimezone(zone_info(zone)).date().isoformat()


class Clock:
    """The real clock in the device's zone. Subclasses decide what `now` is."""

    def __init__(self, zone: str | None = None):
        self.zone = zone or local_zone_name()

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    def stamp(self) -> str:
        return stamp(self.now())

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(zone_info(self.zone))

    def today(self) -> dt.date:
        return self.local_now().date()

    def to_local(self, value: str) -> dt.datetime:
        """A stored UTC time in the device's current zone, for display."""
        return parse_utc(value).astimezone(zone_info(self.zone))


class FixedClock(Clock):
    """A clock that stands still until a test moves it."""

    def __init__(self, when: dt.datetime | str, zone: str = "UTC"):
        super().__init__(zone)
        self.set(when)

    def set(self, when: dt.datetime | str) -> None:
        self._now = parse_utc(when) if isinstance(when, str) else when.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)

    def now(self) -> dt.datetime:
        return self._now


class StartedClock(Clock):
    """Starts at a chosen time, then runs at the real pace (an app under a browser test)."""

    def __init__(self, start: dt.datetime, zone: str | None = None):
        super().__init__(zone)
        self._start, self._began = start.astimezone(UTC), time.monotonic()

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=time.monotonic() - self._began)


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The real clock, unless REGROUP_CLOCK names a start time (tests and demos); the zone follows TZ."""
    env = os.environ if env is None else env
    zone = local_zone_name(env)
    start, _, mode = env.get(CLOCK_ENV, "").strip().partition(" ")
    if not start:
        return Clock(zone)
    when = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
    if when.tzinfo is None:  # a wall time in the device's zone
        when = when.replace(tzinfo=zone_info(zone))
    return FixedClock(when, zone) if mode.strip() == "frozen" else StartedClock(when, zone)
