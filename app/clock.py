"""Time helpers: UTC timestamps for records and the device's IANA time zone name."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_zone_name() -> str:
    """The IANA zone this device runs in ("Europe/Dublin"), else "UTC"; stored with each record."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
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
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def parse_utc(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def local_day(stamp: str, zone: str) -> str:
    """The calendar day (YYYY-MM-DD) a UTC time fell on in the zone where the record was made."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = dt.timezone.utc
    return parse_utc(stamp).astimezone(tz).date().isoformat()
